"""`python -m ui` starts the app, as the `dsar-desk` command does."""

from ui.main import main

raise SystemExit(main())

"""DSAR Desk core: domain rules and storage. Never imports Qt, so it runs and tests headless."""

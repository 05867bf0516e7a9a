"""Emails the bundle's `--self-test` reads: our own samples, made for it (see tests/ship)."""

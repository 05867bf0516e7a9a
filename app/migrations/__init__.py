"""Alembic environment and versions; run by app.store, never by hand."""

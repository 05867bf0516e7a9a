"""Alembic environment and versions; run by app.store, never by hand.

`SCHEMA_HEAD` names the newest revision so that opening an up-to-date store needs no Alembic
at all (importing it costs about 100 ms of start-up). A test keeps it equal to Alembic's head.
"""

SCHEMA_HEAD = "0009"

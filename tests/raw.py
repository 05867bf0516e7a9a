"""SQL past the app, on a connection of its own, on whichever engine the test's store is:
sqlite3 on the file at a desk, the member's own role through the driver on a team server.
Statements use `?` placeholders (sqlite3's); refusals surface as the engine raises them, so a
test expecting one catches `REFUSED`.

`outside(store)` is a forger's way in: someone with the store but not the app. At a desk that
is the file itself (sqlite3, the append-only triggers dropped); on a team server it is the
superuser's own connection to the database (the append-only guard and the server's sealing
trigger switched off), the most a person with access to the database server can do without
the chain's key. Either way it is autocommit, and the cursor it yields takes `?`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError

from app.store import Store

REFUSED = (sqlite3.IntegrityError, sqlite3.OperationalError, DBAPIError)
# The triggers a forger switches off: the append-only guard (and on a server its seal).
GUARDS = ("case_events_no_update", "case_events_no_delete")
SERVER_SEAL = "case_events_seal"


def raw_rows(store: Store, statement: str, *params: object) -> list[tuple[object, ...]]:
    """The rows of `statement`, read without the app."""
    return _run(store, statement, params, fetch=True)


def raw_execute(store: Store, statement: str, *params: object) -> None:
    """Run `statement` without the app and commit it."""
    _run(store, statement, params, fetch=False)


def _run(
    store: Store, statement: str, params: tuple[object, ...], *, fetch: bool
) -> list[tuple[object, ...]]:
    if store.path is not None:
        with closing(sqlite3.connect(store.path)) as raw:
            cursor = raw.execute(statement, params)
            rows = cursor.fetchall() if fetch else []
            raw.commit()
            return rows
    with store.engine.connect() as connection:
        result = connection.exec_driver_sql(statement.replace("?", "%s"), params)
        rows = [tuple(row) for row in result] if fetch else []
        connection.commit()
        return rows


class _QuestionMarks:
    """A DB-API connection that takes sqlite3's `?` placeholders, as the tests write them."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, statement: str, params: Sequence[object] = ()) -> Any:
        cursor = self._connection.cursor()
        cursor.execute(statement.replace("?", "%s"), tuple(params))
        return cursor


@contextmanager
def outside(where: Store | Path) -> Iterator[Any]:
    """A forger's autocommit connection to the store (see the module's docstring)."""
    path = where if isinstance(where, Path) else where.path
    if path is not None:
        with closing(sqlite3.connect(path, isolation_level=None)) as raw:
            for name in GUARDS:
                raw.execute(f"DROP TRIGGER IF EXISTS {name}")
            yield raw
        return
    from tests.engines import cluster_from_environment

    assert isinstance(where, Store) and getattr(where, "address", None) is not None
    engine = cluster_from_environment().admin(where.address.database)  # type: ignore[attr-defined]
    connection = engine.raw_connection()
    try:
        connection.driver_connection.autocommit = True
        raw = _QuestionMarks(connection.driver_connection)
        for name in (*GUARDS, SERVER_SEAL):
            raw.execute(f"ALTER TABLE case_events DISABLE TRIGGER {name}")
        yield raw
        # The guard stays off, as a forger leaves it (Verify records says so); the server
        # seals the app's own events again.
        raw.execute(f"ALTER TABLE case_events ENABLE TRIGGER {SERVER_SEAL}")
    finally:
        connection.close()
        engine.dispose()

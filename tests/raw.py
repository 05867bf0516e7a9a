"""SQL past the app, on a connection of its own, on whichever engine the test's store is:
sqlite3 on the file at a desk, the member's own role through the driver on a team server.
Statements use `?` placeholders (sqlite3's); refusals surface as the engine raises them, so a
test expecting one catches `REFUSED`."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from sqlalchemy.exc import DBAPIError

from app.store import Store

REFUSED = (sqlite3.IntegrityError, sqlite3.OperationalError, DBAPIError)


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

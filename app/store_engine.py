"""The SQLite engine over a store file (plain, or encrypted by SQLCipher)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event

from app.store_cipher import StoreKey, connect
from app.store_inspect import sqlite_uri


def sqlite_engine(
    path: Path,
    *,
    immediate: bool,
    busy_timeout_ms: int,
    read_only: bool = False,
    cipher: StoreKey | None = None,
) -> Engine:
    """The engine over a store file: every connection gets the store's pragmas (WAL, full
    sync, foreign keys, secure delete), SQLAlchemy's BEGIN owns transactions, and a writer's
    is BEGIN IMMEDIATE, so a save takes the write lock before it reads what it changes."""
    if read_only:
        url = URL.create(
            "sqlite+pysqlite", database=sqlite_uri(path, mode="ro"), query={"uri": "true"}
        )
    else:
        url = URL.create("sqlite+pysqlite", database=str(path))
    # hide_parameters: a failed statement's text names no requester, whoever prints it.
    if cipher is None:
        engine = create_engine(url, hide_parameters=True)
    else:
        # SQLCipher's module as the driver (so its errors are SQLAlchemy's errors too); each
        # connection is keyed before SQLAlchemy or a pragma below touches the file.
        import sqlcipher3.dbapi2

        target = sqlite_uri(path, mode="ro") if read_only else str(path)
        engine = create_engine(
            url,
            hide_parameters=True,
            module=sqlcipher3.dbapi2,
            # Pooled connections move between threads, as SQLAlchemy lets plain ones do.
            creator=lambda: connect(target, cipher, uri=read_only, check_same_thread=False),
        )
    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's BEGIN below own transactions instead of the driver's guesses.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Deleted content (an erased case, a deleted ID document) is overwritten with zeros,
        # not left in free pages for anyone reading the file.
        cursor.execute("PRAGMA secure_delete = ON")
        # Sorts and rebuilds (VACUUM) keep their scratch copies in memory, not in temp files.
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: object) -> None:
        connection.exec_driver_sql(begin)  # type: ignore[attr-defined]

    return engine

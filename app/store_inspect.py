"""Reading a store or backup file through SQLite before anything opens it for work: is it a
DSAR Desk store, healthy, and at which schema revision.

Only SQLite ever reads the file (DESIGN.md section 6: plain file I/O on an open store would
drop its locks), read-only, and as immutable when nobody has it open, so a file about to be
refused gets no -wal or -shm beside it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from app.store_cipher import DATABASE_ERRORS, StoreKey, connect
from app.store_errors import CorruptStore, NotAStore, StoreError, locked

BUSY_TIMEOUT_MS = 5000
# Below this size the full page check at opening costs a few milliseconds; above it, it runs
# after an unclean shutdown and daily with the backup, off the window's start-up path.
ALWAYS_CHECK_BYTES = 8 * 1024 * 1024


def sqlite_uri(path: Path, **options: str) -> str:
    """A SQLite URI for `path` that survives `#`, `%`, `?` and spaces in folder names."""
    query = "&".join(f"{key}={value}" for key, value in options.items())
    return Path(path).absolute().as_uri() + (f"?{query}" if query else "")


def inspect_file(
    path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS, *, key: StoreKey | None = None
) -> str | None:
    """Check a store or backup file through SQLite; its schema revision (None when empty).

    Raises NotAStore, CorruptStore or LockedStore, naming the file.

    The full page check (quick_check) runs for small stores and after an unclean shutdown
    (a write-ahead log left behind); otherwise reading the schema, the revision and the ends
    of the main tables catches a damaged or foreign file without reading 100 MB first.
    """
    wal = Path(f"{path}-wal")
    unclean = wal.exists() and wal.stat().st_size > 0
    # Without a log beside it nobody has the store open, so it can be read as immutable:
    # SQLite then creates no -wal/-shm files next to a file we may be about to refuse.
    options = {"mode": "ro"} if wal.exists() else {"mode": "ro", "immutable": "1"}
    try:
        with closing(connect(sqlite_uri(path, **options), key, uri=True)) as conn:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA schema_version").fetchone()  # "not a database" for others
            if unclean or path.stat().st_size <= ALWAYS_CHECK_BYTES:
                _check_pages(conn, path)
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                if tables:
                    raise NotAStore(
                        path, "This file is a SQLite database, but not a DSAR Desk store."
                    )
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            for table in (
                ("cases", "case_events", "requesters")
                if tables >= {"cases", "case_events", "requesters"}
                else ()
            ):
                conn.execute(f"SELECT max(id), min(id) FROM {table}").fetchone()
            return row[0] if row else None
    except StoreError:
        raise
    except DATABASE_ERRORS as exc:
        message = str(exc).lower()
        if "locked" in message or "busy" in message:
            raise locked(path) from exc
        if key is not None and "not a database" in message:
            raise NotAStore(
                path,
                "This file is not an encrypted DSAR Desk store that this key opens (another "
                "store's file, or damaged at its head).",
            ) from exc
        if "not a database" in message or "encrypted" in message:
            raise NotAStore(
                path, "This file is not a DSAR Desk store (it is not a SQLite database)."
            ) from exc
        if "unable to open" in message:
            raise StoreError(path, "The store cannot be read (check its permissions).") from exc
        raise CorruptStore(
            path,
            "The store is damaged and cannot be read. Restore it from a backup; this file has "
            "been left as it is.",
        ) from exc


def _check_pages(conn: sqlite3.Connection, path: Path) -> None:
    """SQLite's page check (under SQLCipher it also checks each page's HMAC)."""
    if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
        raise CorruptStore(
            path,
            "The store is damaged (SQLite's integrity check failed). Restore it from a "
            "backup; this file has been left as it is.",
        )

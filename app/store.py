"""Opening the store: file permissions, SQLite pragmas, schema upgrades and backups.

`open_store(path)` is the only way in. It refuses, with a message naming the file and without
writing to it, anything that is not a healthy DSAR Desk store this version can read.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.integrity.keys import KeyStore
from app.integrity.seal import SESSION_KEY, LocalChain, open_chain
from app.migrations import SCHEMA_HEAD

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
BACKUPS_KEPT = 10
# Below this size the full page check at opening costs a few milliseconds; above it, it runs
# after an unclean shutdown and daily with the backup, off the window's start-up path.
ALWAYS_CHECK_BYTES = 8 * 1024 * 1024


class StoreError(Exception):
    """The store cannot be opened. `str()` is a message for the user that names the file."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{message}\n\nFile: {path}")
        self.path = path
        self.reason = message


class NotAStore(StoreError):
    """The file is not a SQLite database, or is some other program's database."""


class CorruptStore(StoreError):
    """The file is a SQLite database that fails its integrity check."""


class NewerStore(StoreError):
    """The store was written by a newer version of DSAR Desk."""


class LockedStore(StoreError):
    """Another program holds the store locked for longer than we are willing to wait."""


@dataclass(eq=False)
class Store:
    """An open store: the engine plus one short session per user action."""

    path: Path
    engine: Engine
    _sessions: sessionmaker[Session] = field(repr=False)
    _writer: Engine = field(repr=False)
    _write_sessions: sessionmaker[Session] = field(repr=False)
    chain: LocalChain | None = field(default=None, repr=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; never commits."""
        try:
            with self._sessions() as session:
                yield session
        except OperationalError as exc:
            raise _storage_failure(self.path, exc) from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: BEGIN IMMEDIATE, commit when the block ends, roll back on error.

        Taking the write lock at BEGIN means two writers queue on the busy timeout instead of
        failing half-way when one of them tries to upgrade a read lock.
        """
        try:
            with self._write_sessions() as session, session.begin():
                yield session
        except OperationalError as exc:
            raise _storage_failure(self.path, exc) from exc

    def backup(self, destination: Path) -> Path:
        """Copy the store with SQLite's online backup API (consistent even while in use)."""
        return _backup(self.path, destination)

    def close(self) -> None:
        self.engine.dispose()
        self._writer.dispose()


def open_store(
    path: str | os.PathLike[str],
    *,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    keys: KeyStore | None = None,
) -> Store:
    """Open (creating if needed) the store at `path` and bring its schema up to date.

    `busy_timeout_ms` is how long to wait for another program's lock before giving up.
    `keys` is where this computer keeps the stores' chain keys (default: the user's config
    folder or the system keyring, app.integrity.keys).
    """
    keys = keys or KeyStore.for_user()
    path = Path(path).expanduser().absolute()
    _make_private_folder(path.parent)
    existing = path.exists() and path.stat().st_size > 0
    revision = None
    if existing:
        revision = _inspect(path, busy_timeout_ms)
        if revision is not None and revision != SCHEMA_HEAD:
            if revision not in _known_revisions():
                raise NewerStore(
                    path,
                    "This store was written by a newer version of DSAR Desk. Install that "
                    "version (or newer) to open it; this one has not touched the file.",
                )
            _backup(path, backup_path(path, f"before-upgrade-from-{revision}"))
    else:
        _create_private_file(path)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)

    engine = _engine(path, immediate=False, busy_timeout_ms=busy_timeout_ms)
    writer = _engine(path, immediate=True, busy_timeout_ms=busy_timeout_ms)
    try:
        if revision != SCHEMA_HEAD:
            _upgrade(writer, keys)
        else:
            with writer.connect() as connection:  # applies the pragmas; fails if locked
                connection.exec_driver_sql("SELECT 1").close()
    except Exception as exc:
        engine.dispose()
        writer.dispose()
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise _locked(path) from exc
        raise StoreError(path, f"The store could not be opened for writing: {exc}") from exc
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions() as session:
        chain = open_chain(session, keys)
    return Store(
        path=path,
        engine=engine,
        _sessions=sessions,
        _writer=writer,
        # Every write session carries the chain, which seals each event appended in it.
        _write_sessions=sessionmaker(writer, expire_on_commit=False, info={SESSION_KEY: chain}),
        chain=chain,
    )


def backup_path(store_path: Path, label: str) -> Path:
    """Where a backup of `store_path` taken now goes: beside it, timestamped, never reused."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = store_path.parent / "backups"
    return folder / f"{store_path.stem}-{stamp}-{label}{store_path.suffix or '.sqlite'}"


def _backup(source: Path, destination: Path) -> Path:
    _make_private_folder(destination.parent)
    _create_private_file(destination)
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(destination)) as dst,
    ):
        src.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
    os.chmod(destination, stat.S_IRUSR | stat.S_IWUSR)
    return destination


def daily_backup(store: Store, *, keep: int = BACKUPS_KEPT) -> Path | None:
    """Take today's backup unless there is one already; keep the newest `keep` backups.

    Called when the desk opens, so a DPO who works every day always has yesterday's store.
    """
    today = datetime.now(UTC).strftime("%Y%m%d")
    folder = store.path.parent / "backups"
    if folder.is_dir() and any(folder.glob(f"{store.path.stem}-{today}T*-daily*")):
        return None
    taken = store.backup(backup_path(store.path, "daily"))
    with closing(sqlite3.connect(f"file:{taken}?mode=ro", uri=True)) as copy:
        healthy = copy.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    if not healthy:
        # A damaged copy must not push a good older backup out of the rotation.
        taken.unlink(missing_ok=True)
        raise CorruptStore(
            store.path,
            "Today's check found damage in the store. Keep working only after restoring the "
            "latest backup; older backups are kept in the 'backups' folder beside it.",
        )
    prune_backups(store.path, keep=keep)
    return taken


def restore_backup(store: Store, backup: Path) -> Path:
    """Put a backup's content back into the open store; return the safety copy of what was
    there, taken first, so a restore can itself be undone.

    The copy goes through SQLite's backup API into the live file, so every open view sees
    the restored content at its next read; nothing has to be reopened.
    """
    backup = Path(backup).absolute()
    if not backup.is_file():
        raise StoreError(backup, "There is no backup file here.")
    revision = _inspect(backup, BUSY_TIMEOUT_MS)
    if revision != SCHEMA_HEAD:
        raise StoreError(
            backup,
            "This backup was made by another version of DSAR Desk, so it cannot be restored "
            "into this store. Open it on its own with --store to read it.",
        )
    if backup.resolve() == store.path.resolve():
        raise StoreError(backup, "This is the store itself, not a backup of it.")
    safety = store.backup(backup_path(store.path, "before-restore"))
    try:
        with (
            closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as source,
            closing(sqlite3.connect(store.path)) as target,
        ):
            target.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            source.backup(target)
    except sqlite3.DatabaseError as exc:
        raise StoreError(store.path, f"The backup could not be restored: {exc}") from exc
    # Pooled connections may hold pages cached from before; start them afresh.
    store.engine.dispose()
    store._writer.dispose()
    return safety


def prune_backups(store_path: Path, keep: int = BACKUPS_KEPT) -> None:
    """Keep the newest `keep` backups of this store; old backups are personal data too."""
    folder = store_path.parent / "backups"
    if not folder.is_dir():
        return
    suffix = store_path.suffix or ".sqlite"
    ours = sorted(folder.glob(f"{store_path.stem}-*{suffix}"), key=lambda p: p.name)
    for old in ours[:-keep] if keep else ours:
        for part in (old, old.with_name(old.name + "-wal"), old.with_name(old.name + "-shm")):
            part.unlink(missing_ok=True)


def _make_private_folder(folder: Path) -> None:
    """Create missing folders 0700; folders the user already had are theirs, left as they are."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for created in reversed(missing):
        created.mkdir(mode=0o700)
        os.chmod(created, 0o700)


def _create_private_file(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def _inspect(path: Path, busy_timeout_ms: int) -> str | None:
    """Check the file read-only and return its schema revision (None for an empty database).

    The full page check (quick_check) runs for small stores and after an unclean shutdown
    (a write-ahead log left behind); otherwise reading the schema, the revision and the ends
    of the main tables catches a damaged or foreign file without reading 100 MB first.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(path, f"The store cannot be read: {exc.strerror}.") from exc
    if header != SQLITE_HEADER:
        raise NotAStore(path, "This file is not a DSAR Desk store (it is not a SQLite database).")
    wal = path.with_name(path.name + "-wal")
    unclean = wal.exists() and wal.stat().st_size > 0
    # Without a log beside it nobody has the store open, so it can be read as immutable:
    # SQLite then creates no -wal/-shm files next to a file we may be about to refuse.
    uri = f"file:{path}?mode=ro" + ("" if wal.exists() else "&immutable=1")
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
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
    except sqlite3.DatabaseError as exc:
        message = str(exc).lower()
        if "locked" in message or "busy" in message:
            raise _locked(path) from exc
        if "not a database" in message or "encrypted" in message:
            raise NotAStore(path, "This file is not a DSAR Desk store.") from exc
        raise CorruptStore(
            path,
            "The store is damaged and cannot be read. Restore it from a backup; this file has "
            "been left as it is.",
        ) from exc


def _check_pages(conn: sqlite3.Connection, path: Path) -> None:
    if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
        raise CorruptStore(
            path,
            "The store is damaged (SQLite's integrity check failed). Restore it from a "
            "backup; this file has been left as it is.",
        )


def _storage_failure(path: Path, exc: OperationalError) -> StoreError:
    """SQLite's own complaint turned into a message for the user; the transaction was rolled
    back, so nothing was half-saved."""
    message = str(exc.orig if exc.orig is not None else exc).lower()
    if "locked" in message or "busy" in message:
        return _locked(path)
    if "readonly" in message or "read-only" in message:
        return StoreError(
            path, "The store is read-only (check the file's permissions); nothing was saved."
        )
    if "disk" in message and ("full" in message or "i/o" in message):
        return StoreError(
            path, "The disk could not be written (full, or failing); nothing was saved."
        )
    if "malformed" in message or "not a database" in message:
        return CorruptStore(path, "The store is damaged. Restore it from a backup.")
    return StoreError(path, f"The store could not be used: {message}")


def _locked(path: Path) -> LockedStore:
    return LockedStore(
        path,
        "The store is locked by another program (perhaps DSAR Desk is already open on it, in "
        "another window or on another computer). Close that and try again.",
    )


def _engine(path: Path, *, immediate: bool, busy_timeout_ms: int) -> Engine:
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's BEGIN below own transactions instead of the driver's guesses.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Deleted content (an erased case, a deleted ID document) is overwritten with zeros,
        # not left in free pages for anyone reading the file.
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: object) -> None:
        connection.exec_driver_sql(begin)  # type: ignore[attr-defined]

    return engine


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("app") / "migrations"))
    return config


def _script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def _known_revisions() -> set[str]:
    return {script.revision for script in _script_directory().walk_revisions()}


def _upgrade(engine: Engine, keys: KeyStore) -> None:
    from alembic import command

    config = _alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        config.attributes["chain_keys"] = keys  # the chain's migration makes the store's key
        command.upgrade(config, "head")
        connection.commit()

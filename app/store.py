"""Opening the store: file permissions, SQLite pragmas, schema upgrades, file identity.

`open_store(path)` is the only way in. It refuses, with a message naming the file and without
writing to it, anything that is not a healthy DSAR Desk store this version can read.

Lock safety (DESIGN.md section 6): SQLite's locks on a file are POSIX locks, owned by the
process, and closing *any* handle on the file drops them all. So this module never opens the
store with plain file I/O: the header and schema are read through SQLite, and
`live_store_holding(path)` lets every reader of user-chosen files refuse an open store.
Backups and restores live in `app.backups`.
"""

from __future__ import annotations

import os
import stat
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.integrity.keys import KeyStore
from app.integrity.seal import SESSION_KEY, EventChain, open_chain
from app.migrations import SCHEMA_HEAD
from app.permissions import Capability
from app.private_files import create_private_file, make_private_folder, restrict_to_owner
from app.store_cipher import (
    StoreKey,
    destroy_replaced,
    file_salt,
    known_key,
    replaced_name,
)
from app.store_engine import sqlite_engine

# The errors live in app.store_errors; callers import them from here, where they are raised.
from app.store_errors import (
    CorruptStore,
    NewerStore,
    NotAStore,
    ReadOnlyStore,
    StoreError,
    StoreGone,
    StoreKeyNeeded,
    StoreMissing,
    UnstorableText,
    codepoint,
    locked,
    storage_failure,
)
from app.store_errors import (
    LockedStore as LockedStore,
)
from app.store_errors import (
    NotPermitted as NotPermitted,
)
from app.store_inspect import BUSY_TIMEOUT_MS, inspect_file
from app.store_schema import known_revisions, upgrade

# Files SQLite keeps beside a store while it is in use.
SIDECARS = ("-wal", "-shm", "-journal")
# A write session's info key naming who writes (a team server's role; app.cases.actor_of).
ACTOR_KEY = "actor"


@dataclass(eq=False)
class Store:
    """An open store: the engine plus one short session per user action.

    `read_only` stores (a file without write permission, or one open in another DSAR Desk)
    refuse every write with `ReadOnlyStore`, saying why in `read_only_reason`.

    A store on a team server (app.team.server.ServerStore) has no `path`; what differs for it
    (errors, backups, the chain, encryption) it overrides.
    """

    path: Path | None
    engine: Engine
    _sessions: sessionmaker[Session] = field(repr=False)
    _writer: Engine | None = field(repr=False)
    _write_sessions: sessionmaker[Session] | None = field(repr=False)
    identity: tuple[int, int] = (0, 0)
    read_only_reason: str = ""
    chain: EventChain | None = field(default=None, repr=False)
    # The SQLCipher key of an encrypted store (app.store_cipher); None for a plain one.
    cipher: StoreKey | None = field(default=None, repr=False)
    # Told (on the thread that found it) when the store turns out damaged or gone, so the
    # window can offer a restore wherever the failure surfaced.
    trouble_listeners: list[Callable[[StoreError], None]] = field(default_factory=list)

    @property
    def read_only(self) -> bool:
        return self._write_sessions is None

    @property
    def on_server(self) -> bool:
        return self.path is None

    @property
    def location(self) -> Path | str:
        """Where the store is, for messages: the file (a server store says its address)."""
        assert self.path is not None
        return self.path

    @property
    def title(self) -> str:
        """The store's name for the window title."""
        return self.path.name if self.path is not None else str(self.location)

    def denies(self, capability: Capability) -> str:
        """'' when this store lets its user do it; else why not, for the window."""
        return self.read_only_reason or _READ_ONLY if self.read_only else ""

    @property
    def actor(self) -> str:
        """Who is writing, for the record: the OS user at a desk, the role on a server."""
        return current_user()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; never commits."""
        try:
            with self._sessions() as session:
                yield session
        except DBAPIError as exc:
            failure = self._failure(exc)
            if failure is None:
                raise
            raise self._noticed(failure) from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: BEGIN IMMEDIATE, commit when the block ends, roll back on error.

        Taking the write lock at BEGIN means two writers queue on the busy timeout instead of
        failing half-way when one of them tries to upgrade a read lock. With the lock held,
        the file is checked to be the one opened: a store deleted, moved or swapped for
        another file since would otherwise take the save into a file nobody will see again.
        """
        if self._write_sessions is None:
            raise ReadOnlyStore(self.location, self.read_only_reason or _READ_ONLY)
        try:
            with self._write_sessions() as session, session.begin():
                session.connection()  # BEGIN IMMEDIATE now, before the check
                self.check_file()
                yield session
        except DBAPIError as exc:
            failure = self._failure(exc)
            if failure is None:
                raise
            raise self._noticed(failure) from exc
        except UnicodeEncodeError as exc:
            raise UnstorableText(
                self.location,
                f"Some of the text holds a character that is not valid text ({codepoint(exc)}"
                ", an unpaired surrogate, perhaps from a damaged copy and paste). Retype it; "
                "nothing was saved.",
            ) from exc

    def _failure(self, exc: DBAPIError) -> StoreError | None:
        """The driver's error in words for the user, or None when it is not the store's
        failure (a constraint the code breaks: let it be raised as it is)."""
        if not isinstance(exc, OperationalError):
            return None
        assert self.path is not None
        return storage_failure(self.path, exc)

    def check_file(self) -> None:
        """Raise StoreGone unless the file at `path` is still the one that was opened."""
        if self.path is None:
            return
        try:
            st = os.stat(self.path)
        except OSError as exc:
            raise self._noticed(
                StoreGone(
                    self.path,
                    "The store file is no longer where it was opened (deleted, moved, or on a "
                    "drive that was removed). Nothing was saved. Put the file back, or close "
                    "DSAR Desk and open the store where it is now.",
                )
            ) from exc
        if (st.st_dev, st.st_ino) != self.identity:
            raise self._noticed(
                StoreGone(
                    self.path,
                    "The store file was replaced by another file while DSAR Desk had it open. "
                    "Nothing was saved, so neither file is changed. Close DSAR Desk and open "
                    "it again to work on the file that is there now.",
                )
            )

    def _noticed(self, error: StoreError) -> StoreError:
        if isinstance(error, (CorruptStore, StoreGone)):
            for listener in list(self.trouble_listeners):
                with suppress(Exception):  # telling must never hide the error itself
                    listener(error)
        return error

    def backup(self, destination: Path) -> Path:
        """Copy the store to `destination` (see app.backups.take_backup)."""
        from app.backups import take_backup

        return take_backup(self, destination)

    def close(self) -> None:
        self.engine.dispose()
        if self._writer is not None:
            self._writer.dispose()
        _LIVE.discard(self)


_READ_ONLY = "The store is open for reading only; nothing can be saved."


def current_user() -> str:
    """The OS user name: who did it, for the record on a desk."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"


# The stores this process has open: readers of user-chosen files refuse them by identity.
_LIVE: weakref.WeakSet[Store] = weakref.WeakSet()


def live_store_holding(path: str | os.PathLike[str]) -> Store | None:
    """The open store that `path` is (or is a SQLite side file of), else None.

    Compared by file identity, so a hard link, a symlink or another spelling of the path is
    caught too. Costs one stat per open store.
    """
    candidate = Path(path)
    try:
        st = candidate.stat()
    except OSError:
        return None
    for store in list(_LIVE):
        if (st.st_dev, st.st_ino) == store.identity:
            return store
        for suffix in SIDECARS:
            try:
                side = os.stat(f"{store.path}{suffix}")
            except OSError:
                continue
            if (st.st_dev, st.st_ino) == (side.st_dev, side.st_ino):
                return store
    return None


def open_store(
    path: str | os.PathLike[str],  # a file, or a team server's postgresql:// address
    *,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    create: bool = True,
    read_only: bool = False,
    read_only_reason: str = "",
    keys: KeyStore | None = None,
) -> Store:
    """Open the store at `path` and bring its schema up to date.

    A missing file is created when `create` (else `StoreMissing`). A file without write
    permission opens read-only and is never chmodded; `read_only` asks for that anyway
    (another DSAR Desk has the store open). `busy_timeout_ms` is how long to wait for
    another program's lock before giving up. `keys` is where this computer keeps the
    stores' chain keys (default: the system keyring or the user's config folder,
    app.integrity.keys).
    """
    if isinstance(path, str) and "://" in path:
        from app.team.server import open_server_store

        return open_server_store(path, read_only=read_only, read_only_reason=read_only_reason)
    keys = keys or KeyStore.for_user()
    path = Path(path).expanduser().absolute()
    if not path.exists():
        if not create:
            raise StoreMissing(path, "There is no store at this place.")
        make_private_folder(path.parent)
        create_private_file(path)
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise NotAStore(path, "This is not a file, so it cannot be a DSAR Desk store.")
    cipher = store_key(path, keys)
    if cipher is not None:  # an encryption cut short after the swap: its plain original goes
        destroy_replaced(replaced_name(path))
    if not st.st_mode & stat.S_IWUSR and not read_only:
        read_only = True
        read_only_reason = (
            "The store file is read-only (its permissions do not allow writing), so it is "
            "open for reading: nothing can be changed. To work on it, make the file writable "
            "and open it again."
        )
    revision = inspect_file(path, busy_timeout_ms, key=cipher) if st.st_size > 0 else None
    if revision is not None and revision != SCHEMA_HEAD:
        if revision not in known_revisions():
            raise NewerStore(
                path,
                "This store was written by a newer version of DSAR Desk. Install that "
                "version (or newer) to open it; this one has not touched the file.",
            )
        if read_only:
            raise ReadOnlyStore(
                path,
                "This store was written by an older version of DSAR Desk and must be upgraded "
                "before use, which needs writing to it; it is open read-only now. "
                + read_only_reason,
            )
        from app.backups import backup_file, backup_path

        backup_file(path, backup_path(path, f"before-upgrade-from-{revision}"), key=cipher)
    if read_only:
        return _open_read_only(
            path, st, busy_timeout_ms, read_only_reason or _READ_ONLY, keys, cipher
        )
    restrict_to_owner(path)
    engine = sqlite_engine(path, immediate=False, busy_timeout_ms=busy_timeout_ms, cipher=cipher)
    writer = sqlite_engine(path, immediate=True, busy_timeout_ms=busy_timeout_ms, cipher=cipher)
    try:
        if revision != SCHEMA_HEAD:
            upgrade(writer, keys)
        else:
            _first_connection(writer)
    except Exception as exc:
        engine.dispose()
        writer.dispose()
        raise _opening_failed(path, exc, "writing") from exc
    store = _live_store(path, st, engine, writer, keys, cipher=cipher)
    from app.reference_mark import keep_references_ahead

    keep_references_ahead(store)
    return store


# How long opening waits, in all, for another process's brief lock (its checkpoint as it
# closes, or a colleague's save) before saying the store is locked: a start is not a
# keystroke, and on a busy or encrypted store those locks can outlast BUSY_TIMEOUT_MS.
OPEN_WAIT_SECONDS = 5.0


def _first_connection(writer: Engine) -> None:
    """Apply the pragmas on a first connection, waiting out brief locks (OPEN_WAIT_SECONDS)."""
    give_up = time.monotonic() + OPEN_WAIT_SECONDS
    while True:
        try:
            with writer.connect() as connection:  # applies the pragmas; fails if locked
                connection.exec_driver_sql("SELECT 1").close()
            return
        except OperationalError as exc:
            if "locked" not in str(exc.orig) or time.monotonic() >= give_up:
                raise
            time.sleep(0.1)


def store_key(path: Path, keys: KeyStore) -> StoreKey | None:
    """The SQLCipher key of the store at `path`: None when it is a plain SQLite file.

    Raises StoreKeyNeeded when it is encrypted and this computer does not hold its key.
    The file's head is read only when this process holds no connection to it; otherwise the
    open store already knows its key.
    """
    live = live_store_holding(path)
    if live is not None:
        return live.cipher
    salt = file_salt(path)
    if salt is None:
        return None
    key = known_key(salt, keys)
    if key is None:
        raise StoreKeyNeeded(path, salt)
    return key


def _open_read_only(
    path: Path,
    st: os.stat_result,
    busy_timeout_ms: int,
    reason: str,
    keys: KeyStore,
    cipher: StoreKey | None,
) -> Store:
    if st.st_size == 0:
        raise StoreError(path, "The store is empty and read-only, so there is nothing to show.")
    engine = sqlite_engine(
        path, immediate=False, busy_timeout_ms=busy_timeout_ms, read_only=True, cipher=cipher
    )
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").close()
    except Exception as exc:
        engine.dispose()
        raise _opening_failed(path, exc, "reading") from exc
    return _live_store(path, st, engine, None, keys, reason, cipher=cipher)


def _live_store(
    path: Path,
    st: os.stat_result,
    engine: Engine,
    writer: Engine | None,
    keys: KeyStore,
    reason: str = "",
    *,
    cipher: StoreKey | None = None,
) -> Store:
    """The Store over `engine` (and `writer`, unless read-only), known to this process.

    Every write session carries the store's event chain, which seals each event appended in
    it; a read-only store keeps the chain too, so it can still be verified."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions() as session:
        chain = open_chain(session, keys)
    store = Store(
        path=path,
        engine=engine,
        _sessions=sessions,
        _writer=writer,
        _write_sessions=None
        if writer is None
        else sessionmaker(writer, expire_on_commit=False, info={SESSION_KEY: chain}),
        identity=(st.st_dev, st.st_ino),
        read_only_reason=reason,
        chain=chain,
        cipher=cipher,
    )
    _LIVE.add(store)
    return store


def _opening_failed(path: Path, exc: Exception, purpose: str) -> StoreError:
    if "locked" in str(exc).lower() or "busy" in str(exc).lower():
        return locked(path)
    return StoreError(path, f"The store could not be opened for {purpose}: {exc}")


def forget_deleted(store: Store, *, rebuild: bool = False) -> None:
    """After an erasure: optionally rebuild the file (VACUUM: no free page or stale cell left
    from before secure_delete was on), then fold the write-ahead log into it and empty it, so
    no earlier copy of an erased page lingers in the log."""
    if store._writer is None:
        return
    connection = store._writer.raw_connection()
    try:
        cursor = connection.cursor()
        if rebuild:
            cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        connection.close()

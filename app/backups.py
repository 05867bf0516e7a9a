"""Backups that always exist: taken, checked, listed, copied away and restored.

Every backup goes through SQLite's online backup API (consistent while the store is in use)
into a temporary name beside its final name, is checked with SQLite's page check, flushed to
disk and only then renamed. So a crash, a kill or a full disk leaves either a whole, checked
backup or a temporary file that the next attempt clears; it never leaves a partial file that
looks like today's backup and blocks every retry. Failures carry the cause (disk full, folder
not writable) in words for a dialog.

Long copies report progress and can be cancelled: the progress callback returns False, the
copy stops and `Cancelled` is raised. A cancelled restore leaves the store as it was,
because SQLite rolls back an unfinished backup into its destination.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from app.domain import Cancelled
from app.migrations import SCHEMA_HEAD
from app.private_files import (
    O_BINARY,
    create_private_file,
    make_private_folder,
    partial_name,
    remove_stale_partials,
    restrict_to_owner,
    sync_folder,
)
from app.reference_mark import catch_up, issued_in, raise_mark
from app.store import (
    BUSY_TIMEOUT_MS,
    CorruptStore,
    LockedStore,
    Store,
    StoreError,
    inspect_file,
    live_store_holding,
)
from app.store_cipher import DATABASE_ERRORS, StoreKey, connect, file_salt
from app.store_inspect import sqlite_uri

BACKUPS_KEPT = 10
PAGES_PER_STEP = 512  # 2 MB at the default page size: progress and cancel every few ms
_STAMP = re.compile(r"-(\d{8}T\d{6})\d*Z-")

# Called with (pages done, pages in all); returns False to ask the copy to stop.
Progress = Callable[[int, int], bool]


class BackupFailed(StoreError):
    """A backup could not be written; `reason` names the cause and `path` the folder."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a backup holds, shown before it replaces anything."""

    path: Path
    taken_at: datetime
    cases: int
    open_cases: int
    newest_reference: str | None
    newest_received: date | None
    revision: str | None

    @property
    def restorable(self) -> bool:
        return self.revision == SCHEMA_HEAD


def backup_folder(store_path: Path) -> Path:
    return store_path.parent / "backups"


def backup_path(store_path: Path, label: str) -> Path:
    """Where a backup of `store_path` taken now goes: beside it, timestamped, never reused."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return backup_folder(store_path) / f"{store_path.stem}-{stamp}-{label}{_suffix(store_path)}"


def list_backups(store_path: Path) -> list[Path]:
    """The finished backups of this store, newest first."""
    folder = backup_folder(store_path)
    if not folder.is_dir():
        return []
    ours = folder.glob(f"{store_path.stem}-*{_suffix(store_path)}")
    return sorted((p for p in ours if not p.name.startswith(".")), key=lambda p: p.name)[::-1]


def backup_file(
    source: Path,
    destination: Path,
    *,
    progress: Progress | None = None,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    key: StoreKey | None = None,
) -> Path:
    """Copy the store file `source` to `destination`: temporary name, check, rename.

    An encrypted store (`key`) gives a backup encrypted with the same key and salt, so the
    store's recovery passphrase opens it anywhere (app.store_cipher).

    Raises BackupFailed (cause named), CorruptStore (the copy fails the page check, so the
    store itself is damaged), Cancelled or LockedStore; in each case nothing is left at
    `destination` or under a temporary name.
    """
    folder = destination.parent
    partial = partial_name(destination)
    try:
        make_private_folder(folder)
        create_private_file(partial)
        with (
            closing(connect(sqlite_uri(source, mode="ro"), key, uri=True)) as src,
            closing(connect(partial, key)) as dst,
        ):
            src.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            src.backup(
                dst, pages=PAGES_PER_STEP, progress=_stepper(source, progress, busy_timeout_ms)
            )
            dst.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
            healthy = dst.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        if not healthy:
            raise CorruptStore(
                source,
                "Today's check found damage in the store (the backup copy failed SQLite's page "
                "check). Keep working only after restoring the latest backup; older backups "
                "are kept in the 'backups' folder beside it.",
            )
        _fsync_file(partial)
        restrict_to_owner(partial)
        os.replace(partial, destination)
        sync_folder(folder)
    except (StoreError, Cancelled):
        _discard(partial)
        raise
    except (OSError, *DATABASE_ERRORS) as exc:
        _discard(partial)
        raise BackupFailed(folder, explain_write_failure(exc, folder)) from exc
    except BaseException:
        _discard(partial)
        raise
    return destination


def take_backup(store: Store, destination: Path, *, progress: Progress | None = None) -> Path:
    """Back up the open store to `destination`."""
    return backup_file(store.path, destination, progress=progress, key=store.cipher)


def back_up_now(
    store: Store, *, progress: Progress | None = None, keep: int = BACKUPS_KEPT
) -> Path:
    """File → Back up now: a checked backup beside the store, whatever was taken today."""
    remove_stale_partials(backup_folder(store.path))
    taken = take_backup(store, backup_path(store.path, "manual"), progress=progress)
    prune_backups(store.path, keep=keep)
    return taken


def daily_backup(
    store: Store, *, keep: int = BACKUPS_KEPT, progress: Progress | None = None
) -> Path | None:
    """Take today's backup unless a finished one exists; keep the newest `keep` backups.

    Called when the desk opens, so a DPO who works every day always has yesterday's store.
    Temporary files of backups that were interrupted are cleared first, so they never stand
    in for today's backup.
    """
    remove_stale_partials(backup_folder(store.path))
    today = datetime.now(UTC).strftime("%Y%m%d")
    if any(f"-{today}T" in p.name and "-daily" in p.name for p in list_backups(store.path)):
        return None
    taken = take_backup(store, backup_path(store.path, "daily"), progress=progress)
    prune_backups(store.path, keep=keep)
    return taken


def copy_backup_to(store: Store, folder: Path, *, progress: Progress | None = None) -> Path:
    """File → Copy a backup to…: a fresh, checked backup in another folder (a USB stick)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BackupFailed(
            folder, f"The folder {folder} does not exist (is the drive plugged in?)."
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{store.path.stem}-{stamp}-copy{_suffix(store.path)}"
    return backup_file(store.path, target, progress=progress, key=store.cipher)


def describe_backup(path: Path, key: StoreKey | None = None) -> BackupSummary:
    """Read what a backup holds (through SQLite, read-only). Raises StoreError if it is not a
    readable DSAR Desk store. `key` is the open store's (None when it is plain); a backup
    encrypted with another key, or a plain backup of an encrypted store, is refused."""
    path = Path(path).absolute()
    if live_store_holding(path) is not None:
        raise StoreError(path, "This is the store that is open now, not a backup of it.")
    if not path.is_file():
        raise StoreError(path, "There is no backup file here.")
    _same_encryption(path, key)
    revision = inspect_file(path, key=key)
    cases = open_cases = 0
    newest: tuple[str, str] | None = None
    if revision is not None:
        with closing(connect(sqlite_uri(path, mode="ro"), key, uri=True)) as conn:
            cases, open_cases = conn.execute(
                "SELECT count(*), coalesce(sum(status != 'closed'), 0) FROM cases"
            ).fetchone()
            newest = conn.execute(
                "SELECT reference, received_on FROM cases ORDER BY id DESC LIMIT 1"
            ).fetchone()
    return BackupSummary(
        path=path,
        taken_at=taken_at(path),
        cases=cases,
        open_cases=open_cases,
        newest_reference=newest[0] if newest else None,
        newest_received=date.fromisoformat(newest[1]) if newest and newest[1] else None,
        revision=revision,
    )


def restore_backup(
    store: Store,
    backup: Path,
    *,
    progress: Progress | None = None,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Path:
    """Put a backup's content back into the open store; return the safety copy of what was
    there, taken first, so a restore can itself be undone.

    The copy goes through SQLite's backup API into the live file, so every open view sees
    the restored content at its next read; nothing has to be reopened. References issued
    since the backup are not issued again (app.reference_mark). Cancelled or failed, the
    store is left exactly as it was.
    """
    backup = Path(backup).absolute()
    if live_store_holding(backup) is not None:  # before any other look at the file
        raise StoreError(backup, "This is the store itself (it is open now), not a backup of it.")
    if not backup.is_file():
        raise StoreError(backup, "There is no backup file here.")
    _same_encryption(backup, store.cipher)
    if inspect_file(backup, key=store.cipher) != SCHEMA_HEAD:
        raise StoreError(
            backup,
            "This backup was made by another version of DSAR Desk, so it cannot be restored "
            "into this store. Open it on its own with --store to read it.",
        )
    with store.read() as session:
        mark = raise_mark(store.path, issued_in(session))
    safety = take_backup(store, backup_path(store.path, "before-restore"))
    store.check_file()
    try:
        with (
            closing(connect(sqlite_uri(backup, mode="ro"), store.cipher, uri=True)) as source,
            closing(connect(store.path, store.cipher)) as target,
        ):
            target.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            step = _stepper(store.path, progress, busy_timeout_ms)
            source.backup(target, pages=PAGES_PER_STEP, progress=step)
    except DATABASE_ERRORS as exc:
        raise StoreError(store.path, f"The backup could not be restored: {exc}") from exc
    finally:
        # Pooled connections may hold pages cached from before; start them afresh.
        store.engine.dispose()
        if store._writer is not None:
            store._writer.dispose()
    with store.write() as session:
        catch_up(session, mark)
    return safety


def _same_encryption(backup: Path, key: StoreKey | None) -> None:
    """Refuse a backup the open store's key does not fit: one of an encrypted store into a
    plain one (or the reverse), or one encrypted under another store's key. Reads the head of
    the backup file, which is never a live store (checked by the callers first)."""
    salt = file_salt(backup)
    if salt is None and key is not None:
        raise StoreError(
            backup,
            "This backup is not encrypted, and the open store is. Restoring it would put "
            "unencrypted records back; open it on its own with --store to read it.",
        )
    if salt is not None and key is None:
        raise StoreError(
            backup,
            "This file is not a DSAR Desk store this store can read: it is encrypted (a backup "
            "of an encrypted store: open it on its own with --store and its recovery "
            "passphrase) or it is not a store at all.",
        )
    if salt is not None and key is not None and salt != key.salt:
        raise StoreError(
            backup,
            "This file is not a backup of this store: it is encrypted with another store's "
            "key, or it is not a DSAR Desk store at all. Nothing was changed.",
        )


def prune_backups(store_path: Path, keep: int = BACKUPS_KEPT) -> None:
    """Keep the newest `keep` backups of this store; old backups are personal data too."""
    for old in list_backups(store_path)[keep:]:
        for part in (old, Path(f"{old}-wal"), Path(f"{old}-shm"), Path(f"{old}-journal")):
            part.unlink(missing_ok=True)


def explain_write_failure(exc: BaseException, folder: Path) -> str:
    """The cause of a failed write, in words for the DPO."""
    code = exc.errno if isinstance(exc, OSError) else None
    text = str(exc).lower()
    if code in (errno.ENOSPC, errno.EDQUOT) or "full" in text:
        return (
            f"The disk holding {folder} is full, so the backup could not be written. Free "
            "some space (or choose another place) and try again. The store is unchanged."
        )
    if (
        code in (errno.EACCES, errno.EPERM, errno.EROFS)
        or "readonly" in text
        or ("unable to open" in text)
    ):
        return (
            f"The folder {folder} cannot be written to (no permission, or a read-only "
            "drive), so the backup could not be made. Check the folder's permissions, or "
            "choose another place. The store is unchanged."
        )
    if code in (errno.ENOTDIR, errno.EEXIST):
        return f"{folder} is not a folder (a file has that name), so no backup can go there."
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"The backup could not be written to {folder}: {reason}. The store is unchanged."


def _stepper(
    path: Path, progress: Progress | None, busy_timeout_ms: int
) -> Callable[[int, int, int], None]:
    """Adapt SQLite's backup callback: report pages, stop on Cancel, give up on a lock held
    longer than the busy timeout (SQLite's backup loop would otherwise wait for ever)."""
    waiting_since: list[float] = []

    def step(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            waiting_since[:1] = waiting_since[:1] or [time.monotonic()]
            if (time.monotonic() - waiting_since[0]) * 1000 > busy_timeout_ms:
                raise LockedStore(
                    path,
                    "The store is locked by another program, so the copy could not finish. "
                    "Close that program and try again.",
                )
        else:
            waiting_since.clear()
        keep_going = progress is None or progress(max(total - remaining, 0), total)
        # Once SQLite says done, the copy is complete and committed: too late to cancel.
        if not keep_going and status != sqlite3.SQLITE_DONE:
            raise Cancelled()

    return step


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | O_BINARY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(partial: Path) -> None:
    for part in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal")):
        with contextlib.suppress(OSError):  # a folder we cannot write holds none of them
            part.unlink(missing_ok=True)


def taken_at(path: Path) -> datetime:
    """When the backup was taken (from its name, else the file's time)."""
    found = _STAMP.search(path.name)
    if found:
        return datetime.strptime(found.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _suffix(store_path: Path) -> str:
    return store_path.suffix or ".sqlite"

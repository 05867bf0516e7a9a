"""The reference counter never goes back, even when the store does.

Restoring an older backup (or copying one over the store by hand) would otherwise hand out
`DSR-2026-0002` a second time, to someone else, after the first one was already on a letter.
So the highest number ever issued per year is also kept outside the store, in a small
owner-only file beside it (`<store>-references`), written after every commit that issues a
reference. Each time the store opens (and after a restore) the counters are raised to that
mark: a restored store continues after the highest reference ever issued, leaving a gap
where the lost cases were rather than a duplicate.

The mark file is read and written under an exclusive lock of its own (never a lock on the
store), so two processes issuing references at once cannot write it backwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.models import ReferenceCounter
from app.private_files import O_BINARY, PRIVATE_FILE

if TYPE_CHECKING:
    from app.store import Store

Marks = dict[int, int]
_PENDING = "dsar_references_issued"


def mark_path(store_path: Path) -> Path:
    return Path(f"{store_path}-references")


def read_mark(store_path: Path) -> Marks:
    """The highest reference numbers ever issued from this store, per year ({} if none)."""
    path = mark_path(store_path)
    if not path.exists():
        return {}
    with _locked(path) as fd:
        return _parse(_read_all(fd))


def raise_mark(store_path: Path, issued: Marks) -> Marks:
    """Merge `issued` into the mark (each year only ever goes up); the merged mark."""
    if not issued:
        return read_mark(store_path)
    with _locked(mark_path(store_path)) as fd:
        current = _parse(_read_all(fd))
        merged = dict(current)
        for year, number in issued.items():
            merged[year] = max(merged.get(year, 0), number)
        if merged != current:
            data = json.dumps({str(y): n for y, n in sorted(merged.items())}).encode()
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, data)
            os.fsync(fd)
        return merged


def issued_in(session: Session) -> Marks:
    """The counters as the store holds them."""
    return {row.year: row.last_number for row in session.scalars(select(ReferenceCounter))}


def catch_up(session: Session, mark: Marks) -> Marks:
    """Raise the store's counters to `mark` in the caller's transaction; what was raised."""
    raised: Marks = {}
    for year, number in mark.items():
        counter = session.get(ReferenceCounter, year)
        if counter is None:
            session.add(ReferenceCounter(year=year, last_number=number))
            raised[year] = number
        elif counter.last_number < number:
            counter.last_number = number
            raised[year] = number
    return raised


def keep_references_ahead(store: Store) -> None:
    """At opening: bring counters and mark level, and note every later issue in the mark."""
    if store.read_only:
        return
    mark = read_mark(store.path)
    with store.read() as session:
        issued = issued_in(session)
    if any(issued.get(year, 0) < number for year, number in mark.items()):
        with store.write() as session:
            catch_up(session, mark)
            issued = issued_in(session)
    with contextlib.suppress(OSError):  # an unwritable folder must not stop the desk
        raise_mark(store.path, issued)
    _watch(store)


def _watch(store: Store) -> None:
    sessions = store._write_sessions
    if sessions is None or getattr(sessions, "_references_watched", False):
        return
    sessions._references_watched = True  # type: ignore[attr-defined]
    path = store.path

    def after_flush(session: Session, _context: Any) -> None:
        for obj in (*session.new, *session.dirty):
            if isinstance(obj, ReferenceCounter):
                session.info.setdefault(_PENDING, {})[obj.year] = obj.last_number

    def after_commit(session: Session) -> None:
        issued = session.info.pop(_PENDING, None)
        if issued:
            with contextlib.suppress(OSError):  # the store has it; the next open catches up
                raise_mark(path, issued)

    def after_rollback(session: Session) -> None:
        session.info.pop(_PENDING, None)

    event.listen(sessions, "after_flush", after_flush)
    event.listen(sessions, "after_commit", after_commit)
    event.listen(
        sessions, "after_soft_rollback", lambda session, _previous: after_rollback(session)
    )


def _parse(data: bytes) -> Marks:
    try:
        raw = json.loads(data.decode() or "{}")
        return {int(year): int(number) for year, number in raw.items()}
    except (ValueError, AttributeError, TypeError):
        return {}  # a damaged mark: the store's own counters still hold


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[int]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | O_BINARY, PRIVATE_FILE)
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # closing releases the lock; this file is never a store

"""Letters for many cases at once: for each case the letter `render_letter` gives, made faster.

A loop of `render_letter` pays, for every letter, a session and a read of the organisation's
settings and the stage's template, then builds the PDF on one core. A batch reads the
settings and each stage's template once (a snapshot for the whole batch), reads its cases a
chunk at a time with one session per chunk, and builds the PDFs in worker processes when
there are enough letters to repay starting them: building a PDF is pure-Python CPU work, so
threads would queue on one interpreter lock.

Each letter is made by the same code from the same inputs as `render_letter` (its bytes
differ only by reportlab's creation time and document id, as two renders of one letter do),
and the letters come back in the order of `case_ids`. A case whose letter cannot be made (a
stage it is not at, an unfinished search record, a missing case) comes back with the message
for the DPO, and the batch goes on. The batch writes nothing.

Cancel: `progress(done, total)` (as `ui.ops.run_with_progress` hands one over) is called
after each letter; when it returns False the workers are stopped (a letter being built is
finished and thrown away, none waiting is started) and `Cancelled` is raised. Nothing has
been written, so nothing is left half-done.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain import Cancelled, DomainError
from app.letters import LetterInputs, RenderedLetter, SharedReads, read_letter
from app.letters.markup import register_fonts
from app.letters.stages import Stage
from app.models import Case
from app.store import Store

READ_CHUNK = 50  # cases read in one session: few sessions, yet short read transactions
POOL_FROM = 200  # fewer are built in this process: starting workers takes 0.5-1 s
GROUP = 8  # letters per task sent to a worker: few round trips, and Cancel lands quickly
MAX_WORKERS = 4

# Called with (done, total) after each letter; returns False to stop the batch.
Progress = Callable[[int, int], bool]
# A case's inputs, or the message saying why its letter cannot be made.
_Read = tuple[int, LetterInputs | str]


@dataclass(frozen=True, slots=True)
class BatchLetter:
    """One case's result: its letter, or the message saying why there is none."""

    case_id: int
    letter: RenderedLetter | None
    problem: str | None = None


def render_letters(
    store: Store,
    case_ids: Sequence[int],
    stage: str | Stage,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Iterator[BatchLetter]:
    """The letter of `stage` for each case, in order. `workers` is the number of processes
    building PDFs (1: this process); by default `default_workers` chooses. Close the
    generator (or run it to its end) to stop the workers of a batch left unfinished."""
    ids = list(case_ids)
    day = today or date.today()
    count = default_workers(len(ids)) if workers is None else max(1, workers)
    groups = _read_groups(store, ids, stage)
    built = _in_workers(groups, day, count) if count > 1 else _here(groups, day)
    done = 0
    try:
        for results in built:
            for result in results:
                yield result
                done += 1
                if progress is not None and not progress(done, len(ids)):
                    raise Cancelled
    finally:
        built.close()  # stops the workers now, not when the generator is collected


def default_workers(letters: int) -> int:
    """Processes for a batch of `letters`: one per core that is idle now (plus this
    process's own), up to MAX_WORKERS. On a machine already busy, workers only add their
    start and the copying of letters between processes (measured on 2 cores at load 8: 300
    letters 6.8 s in-process, 9.4 s with two spawned workers). A frozen bundle builds
    in-process: a worker there is the bundle's executable, which would have to recognise
    it is one (freeze_support)."""
    if letters < POOL_FROM or getattr(sys, "frozen", False):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # Without a load average (Windows), the machine is taken to be busy with this alone.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 1.0
    idle = (cores or 1) - load
    return max(1, min(int(idle) + 1, cores or 1, MAX_WORKERS))


def _here(groups: Iterator[list[_Read]], day: date) -> Iterator[list[BatchLetter]]:
    for group in groups:
        yield _build(group, day)


def _read_groups(store: Store, ids: list[int], stage: str | Stage) -> Iterator[list[_Read]]:
    """The cases' inputs, GROUP at a time; each READ_CHUNK read in one session that is
    closed before any of them is built."""
    shared: SharedReads | None = None
    for start in range(0, len(ids), READ_CHUNK):
        wanted = ids[start : start + READ_CHUNK]
        with store.read() as session:
            shared = shared or SharedReads(session)
            held = _prefetch(session, wanted)
            chunk = [(case_id, _read_one(session, case_id, stage, shared)) for case_id in wanted]
            del held
        for first in range(0, len(chunk), GROUP):
            yield chunk[first : first + GROUP]


def _prefetch(session: Session, ids: list[int]) -> list[Case]:
    """The chunk's cases with their requesters and timelines in three statements, held in
    the session (which keeps rows only weakly) while their letters are read: a case read
    alone takes five (the case twice, its requester, its events, its search record)."""
    statement = (
        select(Case)
        .where(Case.id.in_(set(ids)))
        .options(selectinload(Case.requester), selectinload(Case.events))
    )
    return list(session.scalars(statement))


def _read_one(
    session: Session, case_id: int, stage: str | Stage, shared: SharedReads
) -> LetterInputs | str:
    try:
        return read_letter(session, case_id, stage, shared)
    except DomainError as exc:
        return str(exc)


def _build(group: list[_Read], day: date) -> list[BatchLetter]:
    """Runs in a worker process (or in this one): needs no store."""
    return [_build_one(case_id, inputs, day) for case_id, inputs in group]


def _build_one(case_id: int, inputs: LetterInputs | str, day: date) -> BatchLetter:
    if isinstance(inputs, str):
        return BatchLetter(case_id, None, inputs)
    try:
        return BatchLetter(case_id, inputs.render(day))
    except DomainError as exc:  # e.g. a stage the case is not at: this case only
        return BatchLetter(case_id, None, str(exc))


def _in_workers(
    groups: Iterator[list[_Read]], day: date, count: int
) -> Iterator[list[BatchLetter]]:
    """Groups built by `count` worker processes, handed back in the order they were read.
    A few groups per worker are kept in flight, so the workers never wait on the reads
    and memory stays bounded whatever the batch size. Workers are not
    forked from this process (a fork of a process running Qt and SQLite threads is not
    safe) but from a fork server, a clean process started once that has imported the
    letter code, so a batch after the first starts its workers at once."""
    pool = ProcessPoolExecutor(count, mp_context=_context(), initializer=register_fonts)
    pending: deque[Future[list[BatchLetter]]] = deque()
    try:
        for group in groups:
            pending.append(pool.submit(_build, group, day))
            if len(pending) >= 3 * count:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    """A fork server that has imported this module (and so reportlab and the letter code):
    its workers start in milliseconds after the first, then register the fonts."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")  # Windows has no fork
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context

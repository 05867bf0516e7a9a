"""What the benchmarks share: a median of wall-clock runs, a measure interleaved with its
baseline, and cases that each carry a run of notes (so the store holds sealed events to
verify)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date

from app import cases
from app.domain import Channel, RequestType
from app.readmodels import RequesterDetails
from app.store import Store


def median_seconds(work: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def add_noted_cases(store: Store, count: int, notes: int, *, on: date) -> list[int]:
    """`count` access requests logged on `on`, each followed by `notes` notes; their ids."""
    logged = []
    for n in range(count):
        case_id = cases.log_request(
            store,
            RequesterDetails(f"Person {n}", f"p{n}@example.org", "1 High St"),
            request_type=RequestType.ACCESS,
            channel=Channel.EMAIL,
            on=on,
            today=on,
        ).id
        for k in range(notes):
            cases.add_note(store, case_id, f"Note {k} on case {n}.")
        logged.append(case_id)
    return logged


def interleaved(
    ours: Callable[[], object],
    raw: Callable[[], object],
    *,
    setup: Callable[[], object] = lambda: None,
    rounds: int,
) -> tuple[float, float]:
    """Median ms of `ours` (after an untimed `setup` each round) and of `raw`, alternately,
    so that load from elsewhere on the machine falls on both alike."""
    ours(), raw()  # warm both
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        setup()
        start = time.perf_counter()
        ours()
        times[0].append(time.perf_counter() - start)
        start = time.perf_counter()
        raw()
        times[1].append(time.perf_counter() - start)
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000

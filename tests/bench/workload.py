"""What the chain and encryption benchmarks share: a median of wall-clock runs, and cases
that each carry a run of notes (so the store holds sealed events to verify)."""

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


def add_noted_cases(store: Store, count: int, notes: int, *, on: date) -> None:
    """`count` access requests logged on `on`, each followed by `notes` notes."""
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

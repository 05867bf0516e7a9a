"""Simulated members of a privacy team working the same store at once, each in their own
process and connected as their own role, as many desks would be.

Each member works without pause for a fixed time through a mix of what a desk does all day
(`MIX`): open the list of open cases, search, open a case (its details and timeline), add a
note to the case they opened, change its status (pause it for clarification, or take the
clarification in). Writes carry the version the member saw when they opened the case, so two
members saving the same case meet the conflict message as the window does; the member then
reloads and saves again, and the conflict is counted. The cases written to are a small set
logged at the start (`HOT_CASES`), so members do collide; the list and searches run over the
whole store.

What a member does is the desk's own service layer (app.queries, app.cases) with the list
model's page size: the same SQL as the window sends, without Qt in the worker processes.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app import cases
from app.domain import ConcurrentChange, Status
from app.listing import CaseFilter, CaseQuery
from app.queries import count_cases, list_cases, plan_for
from app.store import Store, open_store
from tests.bench.workload import add_noted_cases

# How often each operation comes up, in a desk's day (reads far outnumber writes).
MIX = {"list": 25, "search": 25, "open": 30, "note": 12, "status": 8}
WRITES = ("note", "status")
HOT_CASES = 30
PAGE = 64  # the list model's page (ui/case_table_model.PAGE_SIZE)
SEARCHES = ("jur", "jurg", "patel", "smith", "okafor", "grainne.smith1", "dsr-2025-12", "nia")
START_WAIT_SECONDS = 300
TRIES = 20  # saves of one change before giving up (each conflict is counted)


@dataclass
class MemberRun:
    """What one member did: each operation's latency (seconds), and what went wrong."""

    member: str
    latencies: dict[str, list[float]] = field(default_factory=dict)
    conflicts: int = 0
    writes: int = 0
    seconds: float = 0.0  # from the start to the end of the member's last operation
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TeamRun:
    """Everyone's runs over `seconds` of wall-clock time."""

    members: list[MemberRun]
    seconds: float

    def latencies(self, operation: str | None = None) -> list[float]:
        return [
            latency
            for run in self.members
            for op, found in run.latencies.items()
            if operation in (None, op)
            for latency in found
        ]

    @property
    def operations(self) -> int:
        return len(self.latencies())

    @property
    def per_second(self) -> float:
        return self.operations / self.seconds

    @property
    def conflicts(self) -> int:
        return sum(run.conflicts for run in self.members)

    @property
    def writes(self) -> int:
        return sum(run.writes for run in self.members)

    @property
    def errors(self) -> list[str]:
        return [error for run in self.members for error in run.errors]

    def p99_ms(self, operation: str | None = None) -> float:
        return percentile(self.latencies(operation), 99) * 1000

    def median_ms(self, operation: str | None = None) -> float:
        return statistics.median(self.latencies(operation)) * 1000


def percentile(values: list[float], percent: float) -> float:
    """The value below which `percent` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * percent // 100))  # ceiling
    return ordered[int(rank) - 1]


def log_hot_cases(store: Store, *, on: date) -> list[int]:
    """The cases the members will write to: fresh access requests, logged through the desk."""
    return add_noted_cases(store, HOT_CASES, 0, on=on)


def member_desk(
    url: str,
    member: str,
    hot: list[int],
    seconds: float,
    seed: int,
    start: Any,
    results: Any,
) -> None:
    """One member's desk in its own process (the target of a spawned Process)."""
    run = MemberRun(member)
    store = open_store(url)
    try:
        desk = _Desk(store, run, hot, random.Random(seed))
        start.wait(START_WAIT_SECONDS)  # everyone connected; go together
        went = time.perf_counter()
        until = went + seconds
        operations = list(MIX)
        weights = list(MIX.values())
        while time.perf_counter() < until:
            operation = desk.rng.choices(operations, weights)[0]
            began = time.perf_counter()
            try:
                desk.do(operation)
            except Exception as exc:  # reported whole: a benchmark must not hide failures
                run.errors.append(f"{operation}: {type(exc).__name__}: {exc}")
                continue
            ended = time.perf_counter()
            run.latencies.setdefault(operation, []).append(ended - began)
            run.seconds = ended - went
    finally:
        store.close()
        results.put(run)


class _Desk:
    def __init__(self, store: Store, run: MemberRun, hot: list[int], rng: random.Random):
        self.store, self.run, self.hot, self.rng = store, run, hot, rng
        self.opened: tuple[int, int] | None = None  # case id, the version seen

    def do(self, operation: str) -> None:
        if operation in WRITES and self.opened is None:
            self._open()
        getattr(self, f"_{operation}")()

    def _show(self, query: CaseQuery) -> None:
        """What the list model does on a reset: plan, first page, count if the page is full."""
        today = date.today()
        plan = plan_for(self.store, query)
        page = list_cases(self.store, query, today=today, limit=PAGE, plan=plan)
        if len(page) == PAGE:
            count_cases(self.store, query, today=today, plan=plan)

    def _list(self) -> None:
        self._show(CaseQuery(filter=CaseFilter.OPEN))

    def _search(self) -> None:
        self._show(CaseQuery(filter=CaseFilter.ALL, search=self.rng.choice(SEARCHES)))

    def _open(self) -> None:
        case_id = self.rng.choice(self.hot)
        detail = cases.get_case(self.store, case_id)
        cases.timeline(self.store, case_id)
        self.opened = (case_id, detail.version)

    def _note(self) -> None:
        self._write(
            lambda case_id, version: cases.add_note(
                self.store, case_id, f"Checked by {self.run.member}.", expected_version=version
            )
        )

    def _status(self) -> None:
        def change(case_id: int, version: int) -> object:
            today = date.today()
            if cases.get_case(self.store, case_id).status is Status.AWAITING_CLARIFICATION:
                return cases.clarification_received(
                    self.store, case_id, on=today, today=today, expected_version=version
                )
            return cases.pause_for_clarification(
                self.store,
                case_id,
                on=today,
                today=today,
                question="Which of your accounts do you mean?",
                expected_version=version,
            )

        self._write(change)

    def _write(self, change: Any) -> None:
        """Save on the version seen; on a colleague's change, reload and save again (what
        the window offers after its conflict message), as often as it takes."""
        assert self.opened is not None
        case_id, version = self.opened
        for _ in range(TRIES):
            try:
                detail = change(case_id, version)
                break
            except ConcurrentChange:
                self.run.conflicts += 1
                version = cases.get_case(self.store, case_id).version
        else:
            raise RuntimeError(f"{TRIES} conflicts in a row on one save")
        self.run.writes += 1
        self.opened = (case_id, detail.version)


def actors_of_new_events(store: Store, after: int) -> Counter[str]:
    """How many events past sequence number `after` each member's role made."""
    from sqlalchemy import func, select

    from app.models import CaseEvent

    with store.read() as session:
        rows = session.execute(
            select(CaseEvent.actor, func.count())
            .where(CaseEvent.seq > after)
            .group_by(CaseEvent.actor)
        ).all()
    return Counter({actor: int(n) for actor, n in rows})

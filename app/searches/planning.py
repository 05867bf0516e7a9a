"""Making and keeping a case's search plan, inside the caller's transaction.

app.cases calls these while it logs a request, changes its type or closes it, so the plan
changes in the same transaction as the case and its one event. Nothing here appends events
or imports app.cases: the caller says what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session, selectinload

from app.domain import DomainError, Outcome, RequestType
from app.models import Case, SearchTaskRecord, SystemRecord
from app.searches.records import ACTION_FOR_TYPE, PlanCounts, SearchTask, TaskStatus, to_task

# Closing these as fulfilled or partly fulfilled needs a finished search record (issue 10):
# a marketing opt-out is actioned at once in the systems marked for it.
CHECKED_TYPES = frozenset(
    {
        RequestType.ACCESS,
        RequestType.ERASURE,
        RequestType.RECTIFICATION,
        RequestType.RESTRICTION,
        RequestType.PORTABILITY,
    }
)
CHECKED_OUTCOMES = frozenset({Outcome.FULFILLED, Outcome.PARTLY_FULFILLED})


@dataclass(frozen=True, slots=True)
class Replanned:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    kept: tuple[str, ...]  # no longer relevant, but already holding a record


def relevant_systems(session: Session, request_type: RequestType) -> list[SystemRecord]:
    """Systems in use that the register marks relevant to `request_type`, in register order."""
    rows = session.scalars(
        select(SystemRecord).where(SystemRecord.retired_at.is_(None)).order_by(SystemRecord.id)
    )
    return [row for row in rows if request_type.value in (row.request_types or [])]


def create_plan(session: Session, case: Case, now: datetime) -> list[str]:
    """One open task per relevant system for a newly logged case; the titles, for its event."""
    systems = relevant_systems(session, RequestType(case.request_type))
    for position, system in enumerate(systems):
        session.add(_task(case, system, position, now))
    return [system.name for system in systems]


def replan(session: Session, case: Case, now: datetime) -> Replanned:
    """Bring the plan in line with the case's (new) type: tasks for newly relevant systems
    are added; untouched tasks for systems no longer relevant are dropped (they record
    nothing); a task that already holds a search or a reason stays, as evidence."""
    request_type = RequestType(case.request_type)
    wanted = {system.id: system for system in relevant_systems(session, request_type)}
    tasks = _rows(session, case.id)
    present = {task.system_id for task in tasks if task.system_id is not None}
    removed, kept = [], []
    for task in tasks:
        if task.system_id is None or task.system_id in wanted:
            continue
        if task.status == TaskStatus.OPEN and task.action is None:
            removed.append(task.title)
            session.delete(task)
        else:
            kept.append(task.title)
    position = max((task.position for task in tasks), default=-1) + 1
    added = []
    for system_id, system in wanted.items():
        if system_id not in present:
            session.add(_task(case, system, position, now))
            added.append(system.name)
            position += 1
    return Replanned(tuple(added), tuple(removed), tuple(kept))


def read_plan(session: Session, case: Case) -> list[SearchTask]:
    request_type = RequestType(case.request_type)
    return [to_task(row, request_type) for row in _rows(session, case.id)]


def counts_by_case(session: Session, case_ids: Sequence[int]) -> dict[int, PlanCounts]:
    """Each case's plan counts, computed in SQL (reminders read them for every open case)."""
    acting = [kind.value for kind in ACTION_FOR_TYPE]
    task = SearchTaskRecord
    awaiting_action = and_(
        task.status == TaskStatus.SEARCHED.value,
        task.found.is_(True),
        task.action.is_(None),
        Case.request_type.in_(acting),
    )
    counts: dict[int, PlanCounts] = {}
    for start in range(0, len(case_ids), 500):
        rows = session.execute(
            select(
                task.case_id,
                func.count(),
                func.sum(when((task.status == TaskStatus.SEARCHED.value, 1), else_=0)),
                func.sum(when((task.status == TaskStatus.LEFT_OUT.value, 1), else_=0)),
                func.sum(
                    when((or_(task.status == TaskStatus.OPEN.value, awaiting_action), 1), else_=0)
                ),
            )
            .join(Case, Case.id == task.case_id)
            .where(task.case_id.in_(case_ids[start : start + 500]))
            .group_by(task.case_id)
        )
        for case_id, total, searched, left_out, still_open in rows:
            counts[case_id] = PlanCounts(total, searched, left_out, still_open)
    return counts


def check_can_close(session: Session, case: Case, outcome: Outcome) -> None:
    """Refuse, naming them, to close with tasks neither done nor left out with a reason."""
    request_type = RequestType(case.request_type)
    if request_type not in CHECKED_TYPES or outcome not in CHECKED_OUTCOMES:
        return
    unfinished = [task for task in read_plan(session, case) if not task.done]
    if not unfinished:
        return
    untouched = [task.title for task in unfinished if task.status is TaskStatus.OPEN]
    no_action = [task.title for task in unfinished if task.status is not TaskStatus.OPEN]
    parts = []
    if untouched:
        parts.append("Not yet searched or left out with a reason: " + "; ".join(untouched) + ".")
    if no_action:
        action = ACTION_FOR_TYPE[request_type].label.lower()
        parts.append(
            f"Data found, but not yet recorded as {action} or kept: " + "; ".join(no_action) + "."
        )
    raise DomainError(
        f"The search record is not finished, so the case cannot be closed as "
        f"{outcome.label.lower()}. " + " ".join(parts) + " Record them in the Searches tab."
    )


def next_position(session: Session, case_id: int) -> int:
    highest = session.scalar(
        select(func.max(SearchTaskRecord.position)).where(SearchTaskRecord.case_id == case_id)
    )
    return 0 if highest is None else highest + 1


def _rows(session: Session, case_id: int) -> list[SearchTaskRecord]:
    return list(
        session.scalars(
            select(SearchTaskRecord)
            .options(selectinload(SearchTaskRecord.material))
            .where(SearchTaskRecord.case_id == case_id)
            .order_by(SearchTaskRecord.position, SearchTaskRecord.id)
        )
    )


def _task(case: Case, system: SystemRecord, position: int, now: datetime) -> SearchTaskRecord:
    return SearchTaskRecord(
        case=case,
        system_id=system.id,
        title=system.name,
        manual=False,
        position=position,
        status=TaskStatus.OPEN.value,
        created_at=now,
        terms="",
        items=0,
        note="",
        action_ground="",
        recipients_told="",
    )

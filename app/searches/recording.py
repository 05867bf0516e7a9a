"""The use cases of the search record: each is one transaction that changes a task and
appends exactly one event to the case's timeline (app.cases.record_event)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from app.cases import actor_of, record_event
from app.domain import ConcurrentChange, DomainError, EventKind, NotFound, RequestType, Status
from app.formatting import uk_date
from app.models import Attachment, Case, SearchMaterial, SearchTaskRecord, SystemRecord
from app.searches.planning import next_position, read_plan
from app.searches.records import (
    ACTION_FOR_TYPE,
    PlanCounts,
    SearchTask,
    SystemAction,
    TaskStatus,
    to_task,
)
from app.store import Store
from app.validation import MAX_NAME, text_problem

Change = Callable[[Session, SearchTaskRecord, Case], tuple[EventKind, str, dict[str, Any]]]


# ---------------------------------------------------------------------------------------
# Reading


def plan(store: Store, case_id: int) -> list[SearchTask]:
    """The case's search plan, in checklist order."""
    with store.read() as session:
        return read_plan(session, _case(session, case_id))


def counts(store: Store, case_id: int) -> PlanCounts:
    return plan_counts(plan(store, case_id))


def plan_counts(tasks: Sequence[SearchTask]) -> PlanCounts:
    return PlanCounts(
        total=len(tasks),
        searched=sum(task.status is TaskStatus.SEARCHED for task in tasks),
        left_out=sum(task.status is TaskStatus.LEFT_OUT for task in tasks),
        open=sum(not task.done for task in tasks),
    )


def get_task(store: Store, task_id: int) -> SearchTask:
    with store.read() as session:
        row = _task(session, task_id)
        return to_task(row, RequestType(row.case.request_type))


# ---------------------------------------------------------------------------------------
# Writing


def record_search(
    store: Store,
    task_id: int,
    *,
    on: date,
    terms: str,
    found: bool,
    items: int = 0,
    note: str = "",
    period_from: date | None = None,
    period_to: date | None = None,
    material: Sequence[int] = (),
    today: date | None = None,
    expected_version: int | None = None,
) -> SearchTask:
    """The system was searched `on` that day for `terms` (the identifiers and search terms
    used), over the period given (none: everything held), finding `items` items or nothing;
    `material` names the case's attachments the search produced. Recording again replaces
    the earlier record; the timeline keeps both."""
    terms, note = terms.strip(), note.strip()
    _no_future(on, today, "of the search")
    if not terms:
        raise DomainError(
            "Say what was searched for: the identifiers and search terms used (for example "
            "the requester's email address and name)."
        )
    _check_text(("search terms", terms, False), ("note", note, True))
    if items < 0:
        raise DomainError("The number of items cannot be negative.")
    if found and items < 1:
        raise DomainError("The search found data: say how many items (at least one).")
    if not found and items:
        raise DomainError("Nothing was found, so the number of items must be 0.")
    if period_from and period_to and period_from > period_to:
        raise DomainError("The period searched ends before it begins.")
    if period_to and period_to > on:
        raise DomainError("The period searched cannot end after the day of the search.")
    wanted = sorted(set(material))

    def change(session: Session, row: SearchTaskRecord, case: Case) -> tuple[EventKind, str, dict]:
        if on < case.received_on:
            raise DomainError(
                "The search cannot be before the request was received "
                f"({uk_date(case.received_on)})."
            )
        _check_material(session, case.id, wanted)
        before = _search_values(row)
        row.status = TaskStatus.SEARCHED.value
        row.searched_on, row.terms, row.found, row.items, row.note = on, terms, found, items, note
        row.period_from, row.period_to = period_from, period_to
        row.left_out_reason = None
        row.material = [SearchMaterial(attachment_id=a) for a in wanted]
        if not found:
            _clear_action(row)  # nothing found here, so nothing was done here
        _decided(row)
        result = f"{items} item{'s' if items != 1 else ''} found" if found else "nothing found"
        summary = f"Searched {row.title} on {uk_date(on)} for {terms}: {result}."
        if period_from or period_to:
            summary += f" Period: {_period(period_from, period_to)}."
        if note:
            summary += f" {note}"
        return (
            EventKind.SEARCH_RECORDED,
            summary,
            {"task_id": row.id, "before": before, "after": _search_values(row)},
        )

    return _change(store, task_id, expected_version, change)


def leave_out(
    store: Store, task_id: int, *, reason: str, expected_version: int | None = None
) -> SearchTask:
    """Decide not to search this system, for a reason: the proportionality record
    (Art. 15(1A)), e.g. 'archived backups, restored only for legal hold'."""
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "Give the reason for leaving this system out; it shows the search was reasonable "
            "and proportionate (Art. 15(1A)), and it goes in the access letter."
        )
    _check_text(("reason", reason, True))

    def change(session: Session, row: SearchTaskRecord, case: Case) -> tuple[EventKind, str, dict]:
        before = _search_values(row)
        row.status = TaskStatus.LEFT_OUT.value
        row.left_out_reason = reason
        row.searched_on, row.terms, row.found, row.items = None, "", None, 0
        row.period_from = row.period_to = None
        row.material = []
        _clear_action(row)
        _decided(row)
        return (
            EventKind.SEARCH_LEFT_OUT,
            f"{row.title} left out of the search: {reason}",
            {"task_id": row.id, "before": before, "after": _search_values(row)},
        )

    return _change(store, task_id, expected_version, change)


def record_action(
    store: Store,
    task_id: int,
    *,
    action: SystemAction,
    on: date,
    ground: str = "",
    recipients_told: str = "",
    today: date | None = None,
    expected_version: int | None = None,
) -> SearchTask:
    """What an erasure, rectification or restriction request led to in this system: done,
    or kept with the ground; and which recipients were told of it (Art. 19)."""
    action = SystemAction(action)
    ground, recipients_told = ground.strip(), recipients_told.strip()
    _no_future(on, today, "of the action")
    _check_text(("ground", ground, True), ("recipients told", recipients_told, True))
    if action is SystemAction.KEPT and not ground:
        raise DomainError(
            "State the ground for keeping the data in this system (for an erasure, the "
            "Article 17(3) exemption)."
        )

    def change(session: Session, row: SearchTaskRecord, case: Case) -> tuple[EventKind, str, dict]:
        request_type = RequestType(case.request_type)
        expected = ACTION_FOR_TYPE.get(request_type)
        if expected is None:
            raise DomainError(
                f"A {request_type.label.lower()} request does not act on systems; record the "
                "search only."
            )
        if action not in (expected, SystemAction.KEPT):
            raise DomainError(
                f"For a {request_type.label.lower()} request the action is "
                f"'{expected.label.lower()}' or 'kept' (with a ground)."
            )
        if row.status != TaskStatus.SEARCHED.value or not row.found:
            raise DomainError(
                f"Record the search of {row.title} (with what it found) before the action."
            )
        if on < (row.searched_on or case.received_on):
            raise DomainError("The action cannot come before the search that found the data.")
        system = session.get(SystemRecord, row.system_id) if row.system_id else None
        if (
            action is not SystemAction.KEPT
            and not recipients_told
            and system is not None
            and system.recipients.strip()
        ):
            raise DomainError(
                f"{row.title} passes data to recipients ({system.recipients.strip()}). Say "
                f"which were told of the {action.label.lower()} data, or why not (Art. 19)."
            )
        before = _action_values(row)
        row.action, row.action_ground, row.action_on = action.value, ground, on
        row.recipients_told = recipients_told
        row.action_by = actor_of(object_session(row))
        summary = f"{row.title}: {action.label.split(' (')[0].lower()} on {uk_date(on)}"
        summary += f" ({ground.rstrip('.')})." if ground else "."
        if recipients_told:
            summary += f" Recipients told (Art. 19): {recipients_told}"
        return (
            EventKind.SEARCH_ACTION_RECORDED,
            summary,
            {"task_id": row.id, "before": before, "after": _action_values(row)},
        )

    return _change(store, task_id, expected_version, change)


def add_task(
    store: Store,
    case_id: int,
    *,
    title: str = "",
    system_id: int | None = None,
    expected_version: int | None = None,
) -> SearchTask:
    """Add a place to search: a register system not yet in the plan, or (with `title` only)
    a place outside the register, such as a paper file or a manager's notebook."""
    title = " ".join(title.split())
    if system_id is None:
        if not title:
            raise DomainError("Name the place to search (for example 'Paper files, HR cabinet').")
        if len(title) > MAX_NAME:
            raise DomainError(f"A place's name can be at most {MAX_NAME} characters.")
        _check_text(("place", title, False))
    with store.write() as session:
        case = _case(session, case_id)
        _check_version(case, expected_version)
        if case.status == Status.CLOSED:
            raise DomainError(f"Case {case.reference} is closed; reopen it to change its search.")
        tasks = read_plan(session, case)
        if system_id is not None:
            system = session.get(SystemRecord, system_id)
            if system is None:
                raise NotFound(f"There is no system with id {system_id} in the register.")
            if system.retired_at is not None:
                raise DomainError(f"{system.name} is retired; reinstate it in the register first.")
            if any(task.system_id == system_id for task in tasks):
                raise DomainError(f"{system.name} is already in this case's search plan.")
            title = system.name
        elif any(task.title.casefold() == title.casefold() for task in tasks):
            raise DomainError(f"{title} is already in this case's search plan.")
        row = SearchTaskRecord(
            case_id=case.id,
            system_id=system_id,
            title=title,
            manual=system_id is None,
            position=next_position(session, case.id),
            status=TaskStatus.OPEN.value,
            created_at=datetime.now(UTC),
            terms="",
            items=0,
            note="",
            action_ground="",
            recipients_told="",
        )
        session.add(row)
        session.flush()
        where = "from the register" if system_id is not None else "outside the register"
        record_event(
            session,
            case.id,
            EventKind.SEARCH_TASK_ADDED,
            f"{title} added to the search plan ({where}).",
            {"task_id": row.id, "title": title, "system_id": system_id},
        )
        session.flush()
        return to_task(row, RequestType(case.request_type))


# ---------------------------------------------------------------------------------------
# Helpers


def _change(store: Store, task_id: int, expected_version: int | None, change: Change) -> SearchTask:
    """Run one change to a task in one transaction, with its event on the case's timeline."""
    with store.write() as session:
        row = _task(session, task_id)
        case = row.case
        _check_version(case, expected_version)
        if case.status == Status.CLOSED:
            raise DomainError(f"Case {case.reference} is closed; reopen it to change its search.")
        kind, summary, details = change(session, row, case)
        session.flush()
        record_event(session, case.id, kind, summary, details)
        session.flush()
        return to_task(row, RequestType(case.request_type))


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"There is no case with id {case_id}.")
    return case


def _task(session: Session, task_id: int) -> SearchTaskRecord:
    row = session.get(SearchTaskRecord, task_id)
    if row is None:
        raise NotFound(f"There is no search task with id {task_id}.")
    return row


def _check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and case.version != expected_version:
        raise ConcurrentChange(
            f"Case {case.reference} was changed elsewhere since you opened it. It has been "
            "reloaded; check it and try again."
        )


def _check_material(session: Session, case_id: int, attachment_ids: list[int]) -> None:
    if not attachment_ids:
        return
    rows = session.scalars(select(Attachment).where(Attachment.id.in_(attachment_ids))).all()
    found = {row.id: row for row in rows}
    for attachment_id in attachment_ids:
        row = found.get(attachment_id)
        if row is None or row.case_id != case_id:
            raise DomainError("Only this case's own attachments can be linked to its search.")
        if row.deleted_at is not None:
            raise DomainError(f"{row.filename} has been deleted; it cannot be linked.")


def _clear_action(row: SearchTaskRecord) -> None:
    row.action, row.action_ground, row.action_on, row.action_by = None, "", None, None
    row.recipients_told = ""


def _decided(row: SearchTaskRecord) -> None:
    row.decided_at = datetime.now(UTC)
    row.decided_by = actor_of(object_session(row))


def _no_future(on: date, today: date | None, what: str) -> None:
    if on > (today or date.today()):
        raise DomainError(f"The date {what} cannot be in the future ({uk_date(on)}).")


def _check_text(*checks: tuple[str, str, bool]) -> None:
    for label, text, multiline in checks:
        problem = text_problem(label, text, multiline=multiline)
        if problem:
            raise DomainError(problem)


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{uk_date(start)} to {uk_date(end)}"
    if start:
        return f"from {uk_date(start)}"
    return f"up to {uk_date(end)}" if end else "all"


def _search_values(row: SearchTaskRecord) -> dict[str, Any]:
    return {
        "status": row.status,
        "searched_on": row.searched_on.isoformat() if row.searched_on else None,
        "terms": row.terms,
        "period_from": row.period_from.isoformat() if row.period_from else None,
        "period_to": row.period_to.isoformat() if row.period_to else None,
        "found": row.found,
        "items": row.items,
        "note": row.note,
        "left_out_reason": row.left_out_reason,
        "material": [link.attachment_id for link in row.material],
        "action": row.action,
    }


def _action_values(row: SearchTaskRecord) -> dict[str, Any]:
    return {
        "action": row.action,
        "ground": row.action_ground,
        "on": row.action_on.isoformat() if row.action_on else None,
        "recipients_told": row.recipients_told,
    }

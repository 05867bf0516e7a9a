"""Logging a request and correcting what was logged: the requester, the type, the reference."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.reading import _case, _detail, _due_values, get_case
from app.cases.writing import _append_event, _clean, _mutate, _now, _planning, _recompute, _sentence
from app.dialects import next_counter
from app.domain import Channel, DomainError, EventKind, RequestType, Status
from app.formatting import uk_date
from app.models import Case, Requester
from app.readmodels import CaseDetail, RequesterDetails
from app.settings import read_settings
from app.store import Store
from app.text import fold
from app.validation import email_problem, name_problem, received_date_problem, text_problem

REQUESTER_FIELDS = ("name", "email", "postal_address", "phone")


_FIELD_LABELS = {
    "name": "name",
    "email": "email",
    "postal_address": "postal address",
    "phone": "phone",
}


def _plan_phrase(titles: Sequence[str]) -> str:
    if not titles:
        return "No system in the register is marked for this type of request."
    return f"Search plan: {len(titles)} system{'s' if len(titles) != 1 else ''} to search."


def _validate_requester(details: RequesterDetails) -> None:
    for problem in (
        name_problem(details.name),
        email_problem(details.email),
        text_problem("postal address", details.postal_address),
        text_problem("phone number", details.phone, multiline=False),
    ):
        if problem:
            raise DomainError(problem)


def _search_key(reference: str, requester: Requester) -> str:
    return fold(f"{reference} {requester.name} {requester.email}")


def _next_reference(session: Session, year: int) -> str:
    """Allocate the next reference of `year` inside the caller's write transaction."""
    return f"DSR-{year}-{next_counter(session, year):04d}"


def log_request(
    store: Store,
    requester: RequesterDetails,
    *,
    request_type: RequestType,
    channel: Channel,
    on: date,
    description: str = "",
    identity_required: bool = False,
    today: date | None = None,
    within: Callable[[Session, int], object] | None = None,
) -> CaseDetail:
    """Log a new request received `on` that day; its clock starts that day.

    `within(session, case_id)` runs inside the same transaction (e.g. keeping the original
    email with the case), so the case and what belongs to it are saved together or not at all.
    """
    requester = RequesterDetails(
        name=_clean(requester.name),
        email=_clean(requester.email),
        postal_address=requester.postal_address.strip(),
        phone=_clean(requester.phone),
    )
    _validate_requester(requester)
    problem = received_date_problem(on, today or date.today()) or text_problem(
        "description", description
    )
    if problem:
        raise DomainError(problem)
    request_type = RequestType(request_type)
    channel = Channel(channel)
    with store.write() as session:
        settings = read_settings(session)
        now = _now()
        person = Requester(
            name=requester.name,
            email=requester.email,
            postal_address=requester.postal_address,
            phone=requester.phone,
            email_key=requester.email.lower(),
            created_at=now,
        )
        reference = _next_reference(session, on.year)
        case = Case(
            reference=reference,
            requester=person,
            request_type=request_type,
            channel=channel,
            received_on=on,
            description=description.strip(),
            status=Status.OPEN,
            identity_required=identity_required,
            clock_start=on,
            pauses=[],
            extension_months=0,
            region=settings.region,
            promise_days=settings.promise_days,
            search_key=_search_key(reference, person),
            description_key=fold(description.strip()),
            requester_sort=fold(requester.name),
            created_at=now,
            updated_at=now,
        )
        session.add(case)
        _recompute(case)
        search_plan = _planning().create_plan(session, case, now)
        _append_event(
            session,
            case,
            now,
            EventKind.LOGGED,
            f"{request_type.label} request received {channel.phrase} on "
            f"{uk_date(on)}; due {uk_date(case.effective_due)}. {_plan_phrase(search_plan)}",
            {
                "request_type": request_type.value,
                "channel": channel.value,
                "received_on": on.isoformat(),
                "identity_required": identity_required,
                **_due_values(case),
                "search_plan": search_plan,
            },
        )
        session.flush()
        if within is not None:
            within(session, case.id)
        return _detail(case)


def update_requester(
    store: Store, case_id: int, details: RequesterDetails, *, expected_version: int | None = None
) -> CaseDetail:
    """Correct the requester's details; the record keeps what they were before."""
    details = RequesterDetails(
        name=_clean(details.name),
        email=_clean(details.email),
        postal_address=details.postal_address.strip(),
        phone=_clean(details.phone),
    )
    _validate_requester(details)
    with store.read() as session:
        current = _case(session, case_id).requester
        changed = [f for f in REQUESTER_FIELDS if getattr(current, f) != getattr(details, f)]
    if not changed:
        return get_case(store, case_id)

    def change(session: Session, case: Case, now: datetime) -> tuple[EventKind, str, dict]:
        person = case.requester
        before = {f: getattr(person, f) for f in REQUESTER_FIELDS}
        for f in REQUESTER_FIELDS:
            setattr(person, f, getattr(details, f))
        person.email_key = person.email.lower()
        diffs = [f for f in REQUESTER_FIELDS if before[f] != getattr(person, f)]
        for other in person.cases:
            other.search_key = _search_key(other.reference, person)
            other.requester_sort = fold(person.name)
        labels = ", ".join(_FIELD_LABELS[f] for f in diffs)
        return (
            EventKind.REQUESTER_UPDATED,
            f"Requester's {labels} corrected.",
            {
                "fields": diffs,
                "before": {f: before[f] for f in diffs},
                "after": {f: getattr(person, f) for f in diffs},
            },
        )

    return _mutate(store, case_id, expected_version, change)


def open_cases_for_email(
    store: Store, email: str, *, exclude: Sequence[int] = ()
) -> list[tuple[int, str]]:
    """(id, reference) of open cases from the same email: repeated requests may justify an
    extension, and the DPO should see them at intake."""
    key = email.strip().lower()
    if not key:
        return []
    with store.read() as session:
        rows = session.execute(
            select(Case.id, Case.reference)
            .join(Requester)
            .where(Requester.email_key == key, Case.status != Status.CLOSED)
            .order_by(Case.id)
        ).all()
        return [(row.id, row.reference) for row in rows if row.id not in exclude]


def change_request_type(
    store: Store,
    case_id: int,
    request_type: RequestType,
    *,
    reason: str = "",
    expected_version: int | None = None,
) -> CaseDetail:
    """The request turns out to be of another type (an 'access' email that asks for erasure):
    the deadlines follow the new type and the search plan gets the new type's systems."""
    request_type = RequestType(request_type)
    reason = reason.strip()
    problem = text_problem("reason", reason)
    if problem:
        raise DomainError(problem)

    def change(session: Session, case: Case, now: datetime) -> tuple[EventKind, str, dict]:
        before = RequestType(case.request_type)
        if case.status == Status.CLOSED:
            raise DomainError(f"Case {case.reference} is closed; reopen it to change its type.")
        if before is request_type:
            raise DomainError(f"This case is already a {request_type.label.lower()} request.")
        if request_type is RequestType.MARKETING_OPT_OUT and case.extension_months:
            raise DomainError(
                "This case has been extended, and a marketing opt-out is never extended: "
                "log the opt-out as a new request instead."
            )
        case.request_type = request_type
        dues = _recompute(case)
        plan = _planning().replan(session, case, now)
        summary = f"Request type changed from {before.label.lower()} to "
        summary += f"{request_type.label.lower()}"
        summary += f": {_sentence(reason)}" if reason else "."
        summary += f" Now due {uk_date(case.effective_due)}."
        if plan.added:
            summary += f" Added to the search plan: {', '.join(plan.added)}."
        if plan.removed:
            summary += f" Dropped from it (not relevant): {', '.join(plan.removed)}."
        return (
            EventKind.REQUEST_TYPE_CHANGED,
            summary,
            {
                "request_type_before": before.value,
                "request_type_after": request_type.value,
                "reason": reason,
                "search_plan_added": list(plan.added),
                "search_plan_removed": list(plan.removed),
                "search_plan_kept": list(plan.kept),
                **dues,
            },
        )

    return _mutate(store, case_id, expected_version, change)

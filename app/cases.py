"""The use cases: the only code that changes a case.

Each is one transaction (`store.write()`) that changes the case and appends exactly one
CaseEvent saying who did what, when, with before/after values. A broken rule raises
DomainError before anything is written, so a refused action changes nothing.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from types import ModuleType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.deadlines import (
    MAX_EXTENSION_MONTHS,
    Clock,
    case_deadlines,
    notice_in_time,
    paused_days,
)
from app.domain import (
    Channel,
    ConcurrentChange,
    DomainError,
    EventKind,
    NotFound,
    Outcome,
    RequestType,
    Status,
)
from app.formatting import uk_date
from app.grounds import check_outcome
from app.identity import DEFAULTS as DEFAULT_DOCUMENTS
from app.identity import check_documents
from app.integrity.seal import chain_of
from app.integrity.state import orm_values
from app.models import Case, CaseEvent, ReferenceCounter, Requester, Suppression
from app.readmodels import CaseDetail, RequesterDetails, TimelineEntry
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


def current_actor() -> str:
    """The OS user name: who did it, for the record."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"


def _now() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------------------------------
# Reading


def get_case(store: Store, case_id: int) -> CaseDetail:
    with store.read() as session:
        return read_case(session, case_id)


def read_case(session: Session, case_id: int) -> CaseDetail:
    """The case as `get_case` gives it, inside a session the caller holds: a letter reads
    the case, its template, the settings and its search record in one session."""
    return _detail(_case(session, case_id))


def timeline(store: Store, case_id: int) -> list[TimelineEntry]:
    """Every event of the case, oldest first."""
    with store.read() as session:
        _case(session, case_id)
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        ).all()
        return [
            TimelineEntry(e.id, e.at, e.actor, e.kind, e.summary, dict(e.details)) for e in events
        ]


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"There is no case with id {case_id}.")
    return case


def _detail(case: Case) -> CaseDetail:
    deadlines = case_deadlines(_clock(case))
    requester = case.requester
    return CaseDetail(
        id=case.id,
        reference=case.reference,
        requester_id=requester.id,
        requester=RequesterDetails(
            name=requester.name,
            email=requester.email,
            postal_address=requester.postal_address,
            phone=requester.phone,
        ),
        request_type=RequestType(case.request_type),
        channel=Channel(case.channel),
        received_on=case.received_on,
        description=case.description,
        status=Status(case.status),
        outcome=Outcome(case.outcome) if case.outcome else None,
        ground=case.ground,
        closed_on=case.closed_on,
        identity_required=case.identity_required,
        clock_start=case.clock_start,
        paused_on=case.paused_on,
        pauses=tuple(case.pauses),
        extension_months=case.extension_months,
        extension_reason=case.extension_reason,
        region=case.region,
        promise_days=case.promise_days,
        statutory_due=case.statutory_due,
        promised_due=case.promised_due,
        effective_due=case.effective_due,
        extension_notice_by=deadlines.extension_notice_by,
        maximum_due=deadlines.maximum,
        version=case.version,
        created_at=case.created_at,
        extension_notice_due=case.extension_notice_due,
        clarification_question=case.clarification_question,
        identity_reason=case.identity_reason,
        identity_documents=tuple(case.identity_documents or ()),
        ground_basis=case.ground_basis,
        last_step_on=last_step_date(case),
    )


def _clock(case: Case) -> Clock:
    return Clock(
        start=case.clock_start,
        pauses=tuple(case.pauses),
        extension_months=case.extension_months,
        marketing_opt_out=case.request_type == RequestType.MARKETING_OPT_OUT,
        promise_days=case.promise_days,
        region=case.region,
        paused_since=case.paused_on if case.status == Status.AWAITING_CLARIFICATION else None,
    )


def _recompute(case: Case) -> dict[str, str]:
    """Store the deadlines the clock now gives; return before/after for the event."""
    before = _due_values(case)
    deadlines = case_deadlines(_clock(case))
    case.statutory_due = deadlines.statutory
    case.promised_due = deadlines.promised
    case.effective_due = deadlines.effective
    after = _due_values(case)
    return {f"{key}_before": before[key] for key in before} | {
        f"{key}_after": after[key] for key in after
    }


def _due_values(case: Case) -> dict[str, str]:
    return {
        "statutory_due": case.statutory_due.isoformat() if case.statutory_due else "",
        "promised_due": case.promised_due.isoformat() if case.promised_due else "",
        "effective_due": case.effective_due.isoformat() if case.effective_due else "",
    }


# ---------------------------------------------------------------------------------------
# Writing


def _mutate(
    store: Store,
    case_id: int,
    expected_version: int | None,
    change: Callable[[Session, Case, datetime], tuple[EventKind, str, dict[str, Any]]],
    within: Callable[[Session, CaseDetail], object] | None = None,
) -> CaseDetail:
    """Run one change in one transaction and append its event.

    `within(session, detail)` runs after it in the same transaction (e.g. keeping the letter
    that goes with the step), so both are saved or neither is."""
    with store.write() as session:
        case = _case(session, case_id)
        if expected_version is not None and case.version != expected_version:
            raise ConcurrentChange(
                f"Case {case.reference} was changed elsewhere since you opened it. "
                "It has been reloaded; check it and try again."
            )
        _not_erased(case)
        before = orm_values(case)
        now = _now()
        kind, summary, details = change(session, case, now)
        case.updated_at = now
        _append_event(session, case, now, kind, summary, details, before=before)
        session.flush()
        if within is not None:
            within(session, _detail(case))
            session.flush()
        return _detail(case)


def _append_event(
    session: Session,
    case: Case,
    at: datetime,
    kind: EventKind,
    summary: str,
    details: dict[str, Any],
    *,
    before: dict[str, Any] | None = None,
) -> None:
    """The one way an event is written: sealed into the chain (app.integrity) as it is added.

    `before` is the case's values when the use case began (None for a new case), so a change
    made to the row outside the app since its last event is put on the record."""
    event = CaseEvent(at=at, actor=current_actor(), kind=kind, summary=summary, details=details)
    chain_of(session).append(session, case, event, before)
    event.case = case
    session.add(event)


def record_event(
    store_session: Session,
    case_id: int,
    kind: EventKind,
    summary: str,
    details: dict[str, Any],
    *,
    change: Callable[[Case], dict[str, Any]] | None = None,
) -> None:
    """Append an event from another use-case module (letters, mail, attachments) inside the
    caller's transaction, bumping the case's version so open windows notice.

    `change(case)` changes the case as part of this event (after its values before are
    taken, so the chain sees the change as the event's own) and returns details to add."""
    case = _case(store_session, case_id)
    _not_erased(case)
    before = orm_values(case)
    if change is not None:
        details = details | change(case)
    now = _now()
    case.updated_at = now
    _append_event(store_session, case, now, kind, summary, details, before=before)


def _planning() -> ModuleType:
    """app.searches.planning, imported when first needed: app.searches imports this module
    (for record_event), so a top-level import here would be circular."""
    from app.searches import planning

    return planning


def _plan_phrase(titles: Sequence[str]) -> str:
    if not titles:
        return "No system in the register is marked for this type of request."
    return f"Search plan: {len(titles)} system{'s' if len(titles) != 1 else ''} to search."


def _not_erased(case: Case) -> None:
    if case.erased_on is not None:
        raise DomainError(
            f"Case {case.reference} was erased under the retention policy; nothing more can "
            "be recorded on it."
        )


def _require_date(on: date, today: date | None, what: str) -> None:
    if on > (today or date.today()):
        raise DomainError(f"The date {what} cannot be in the future ({uk_date(on)}).")


# Where each dated step keeps its date in its event's details.
_STEP_DATE_KEYS = ("received_on", "on", "clock_start_after", "resumed_on")


def last_step_date(case: Case) -> date:
    """The date of the latest dated step on the record (receipt, ID, pause, extension...).

    A step dated before it would rewrite history: the timeline would say one thing happened
    after another that it came before."""
    latest = case.received_on
    for event in case.events:
        for key in _STEP_DATE_KEYS:
            value = event.details.get(key) if isinstance(event.details, dict) else None
            if isinstance(value, str) and value:
                try:
                    latest = max(latest, date.fromisoformat(value))
                except ValueError:
                    continue
    return latest


def _not_before_last_step(case: Case, on: date, what: str) -> None:
    latest = last_step_date(case)
    if on < latest:
        raise DomainError(
            f"{what} cannot be dated {uk_date(on)}: the record already has a step on "
            f"{uk_date(latest)}, and back-dating before it would make the timeline untrue."
        )


def _sentence(text: str) -> str:
    """`text` ending as a sentence, so the next one can follow it in a summary."""
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _clean(text: str) -> str:
    return text.strip()


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
    counter = session.get(ReferenceCounter, year)
    if counter is None:
        counter = ReferenceCounter(year=year, last_number=0)
        session.add(counter)
    counter.last_number += 1
    return f"DSR-{year}-{counter.last_number:04d}"


def _not_for_opt_out(case: Case, what: str) -> None:
    if case.request_type == RequestType.MARKETING_OPT_OUT:
        raise DomainError(
            f"A marketing opt-out needs no {what}: the objection is absolute (Article 21(3)) "
            "and is actioned at once. Suppress the contact and close it as fulfilled."
        )


def _start_waiting(case: Case, waiting: Status, on: date, what: str) -> dict[str, Any]:
    """Stop a running clock to wait for the requester; the event's before/after values."""
    status = Status(case.status)
    if status is not Status.OPEN:
        raise DomainError(
            f"{what} only on an open, running case; this case is {status.label.lower()}."
        )
    case.status = waiting
    case.paused_on = on
    return {"status_before": status.value, "status_after": waiting.value, "on": on.isoformat()}


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


def request_identity(
    store: Store,
    case_id: int,
    *,
    on: date,
    reason: str = "",
    documents: Sequence[str] | None = None,
    today: date | None = None,
    expected_version: int | None = None,
) -> CaseDetail:
    """Ask for proof of identity: the period will start again when it arrives (rule 5).

    `reason` is why the identity is in reasonable doubt (Art. 12(6)) and `documents` what is
    asked for (app.identity; the type's default when None): the identity letter states both.
    """
    _require_date(on, today, "identity was requested")
    reason = reason.strip()
    problem = text_problem("reason", reason)
    if problem:
        raise DomainError(problem)

    def change(session: Session, case: Case, now: datetime) -> tuple[EventKind, str, dict]:
        _not_for_opt_out(case, "proof of identity")
        if on < case.received_on:
            raise DomainError("Identity cannot be requested before the request was received.")
        _not_before_last_step(case, on, "The identity request")
        details = _start_waiting(case, Status.AWAITING_IDENTITY, on, "Identity can be asked for")
        chosen = check_documents(
            DEFAULT_DOCUMENTS[RequestType(case.request_type)] if documents is None else documents
        )
        if not chosen:
            raise DomainError("Choose what the requester should send to prove their identity.")
        case.identity_required = True
        case.identity_reason = reason or None
        case.identity_documents = chosen
        details |= {"reason": reason, "documents": chosen}
        return (
            EventKind.IDENTITY_REQUESTED,
            f"Proof of identity requested on {uk_date(on)}; the clock waits for it.",
            details,
        )

    return _mutate(store, case_id, expected_version, change)


def identity_received(
    store: Store,
    case_id: int,
    *,
    on: date,
    today: date | None = None,
    expected_version: int | None = None,
) -> CaseDetail:
    """Identity arrived `on`: the relevant time; the whole period restarts that day."""
    _require_date(on, today, "identity was received")

    def change(session: Session, case: Case, now: datetime) -> tuple[EventKind, str, dict]:
        if case.status != Status.AWAITING_IDENTITY:
            raise DomainError("This case is not waiting for proof of identity.")
        assert case.paused_on is not None
        if on < case.paused_on:
            raise DomainError(
                f"Identity cannot arrive before it was asked for ({uk_date(case.paused_on)})."
            )
        start_before = case.clock_start
        case.status = Status.OPEN
        case.clock_start = on
        case.paused_on = None
        case.pauses = []  # pauses before the relevant time no longer matter
        dues = _recompute(case)
        return (
            EventKind.IDENTITY_RECEIVED,
            f"Proof of identity received on {uk_date(on)}; the period starts again, "
            f"now due {uk_date(case.effective_due)}.",
            {
                "status_before": Status.AWAITING_IDENTITY.value,
                "status_after": Status.OPEN.value,
                "clock_start_before": start_before.isoformat(),
                "clock_start_after": on.isoformat(),
                **dues,
            },
        )

    return _mutate(store, case_id, expected_version, change)


def pause_for_clarification(
    store: Store,
    case_id: int,
    *,
    on: date,
    question: str = "",
    today: date | None = None,
    expected_version: int | None = None,
    within: Callable[[Session, CaseDetail], object] | None = None,
) -> CaseDetail:
    """Stop the clock while the requester says what the request is about (rule 6).

    `question` is what the DPO asks this requester; the clarification letter prints it.
    `within` runs in the same transaction (app.letters keeps the letter dated `on` there)."""
    _require_date(on, today, "clarification was requested")
    question = question.strip()
    problem = text_problem("question", question)
    if problem:
        raise DomainError(problem)

    def change(session: Session, case: Case, now: datetime) -> tuple[EventKind, str, dict]:
        _not_for_opt_out(case, "clarification")
        _not_before_last_step(case, on, "The pause")
        if Status(case.status) is Status.OPEN and on < case.clock_start:
            raise DomainError("The clock cannot be paused before it started.")
        if Status(case.status) is Status.OPEN and on > case.statutory_due:
            raise DomainError(
                f"The period ended on {uk_date(case.statutory_due)}; the clock can no longer "
                "be paused."
            )
        details = _start_waiting(case, Status.AWAITING_CLARIFICATION, on, "The clock can be paused")
        case.clarification_question = question or None
        details["question"] = question
        return (
            EventKind.CLARIFICATION_REQUESTED,
            f"Clarification requested on {uk_date(on)}; the clock is paused.",
            details,
        )

    return _mutate(store, case_id, expected_version, change, within)


def clarification_received(
    store: Store,
    case_id: int,
    *,
    on: date,
    today: date | None = None,
    expected_version: int | None = None,
) -> CaseDetail:
    """The clarification arrived `on`: the paused days (both ends) are added to every deadline."""
    _require_date(on, today, "clarification was received")

    def change(session: Session, case: Case, now: datetime) -> tuple[EventKind, str, dict]:
        if case.status != Status.AWAITING_CLARIFICATION:
            raise DomainError("The clock is not paused for clarification on this case.")
        assert case.paused_on is not None
        if on < case.paused_on:
            raise DomainError(
                f"The clarification cannot arrive before it was asked for "
                f"({uk_date(case.paused_on)})."
            )
        days = paused_days(case.paused_on, on)
        paused_on = case.paused_on
        case.pauses = [*case.pauses, days]
        case.paused_on = None
        case.status = Status.OPEN
        dues = _recompute(case)
        if case.extension_notice_due is not None:  # the notice month moved with the pause
            case.extension_notice_due = case_deadlines(_clock(case)).extension_notice_by
        return (
            EventKind.CLARIFICATION_RECEIVED,
            f"Clarification received on {uk_date(on)}; {days} paused day"
            f"{'s' if days != 1 else ''} added, now due {uk_date(case.effective_due)}.",
            {
                "status_before": Status.AWAITING_CLARIFICATION.value,
                "status_after": Status.OPEN.value,
                "paused_on": paused_on.isoformat(),
                "resumed_on": on.isoformat(),
                "paused_days": days,
                **dues,
            },
        )

    return _mutate(store, case_id, expected_version, change)


def extend(
    store: Store,
    case_id: int,
    *,
    reason: str,
    on: date,
    months: int = MAX_EXTENSION_MONTHS,
    today: date | None = None,
    expected_version: int | None = None,
) -> CaseDetail:
    """Extend by up to two further months, for a reason, told before the month ends (rule 7)."""
    _require_date(on, today, "of the extension")
    reason = reason.strip()
    if not reason:
        raise DomainError("Give the reason for the extension; the requester must be told it.")
    if months not in range(1, MAX_EXTENSION_MONTHS + 1):
        raise DomainError("An extension is of one or two further months.")

    def change(session: Session, case: Case, now: datetime) -> tuple[EventKind, str, dict]:
        status = Status(case.status)
        if status is Status.CLOSED:
            raise DomainError("A closed case cannot be extended.")
        if status is Status.AWAITING_IDENTITY:
            raise DomainError(
                "The period has not started yet (waiting for proof of identity), so there is "
                "nothing to extend."
            )
        if case.request_type == RequestType.MARKETING_OPT_OUT:
            raise DomainError(
                "A marketing opt-out is absolute (Article 21(3)), actioned at once and never "
                "extended: suppress the contact now."
            )
        total = case.extension_months + months
        if total > MAX_EXTENSION_MONTHS:
            already = case.extension_months
            raise DomainError(
                f"The law allows at most two further months. This case is already extended by "
                f"{already} month{'s' if already != 1 else ''}"
                + (f"; at most {MAX_EXTENSION_MONTHS - already} more." if already < 2 else ".")
            )
        _not_before_last_step(case, on, "The extension")
        clock = _clock(case)
        if not notice_in_time(clock, on):
            notice_by = case_deadlines(clock).extension_notice_by
            raise DomainError(
                f"The requester must be told of an extension within the first month, which "
                f"ended on {uk_date(notice_by)}. It is too late to extend this case."
            )
        months_before = case.extension_months
        notice_due = case_deadlines(clock).extension_notice_by
        case.extension_notice_due = notice_due  # until the notice letter goes out
        case.extension_months = total
        case.extension_reason = (
            reason if not case.extension_reason else f"{case.extension_reason}\n{reason}"
        )
        dues = _recompute(case)
        return (
            EventKind.EXTENDED,
            f"Extended by {months} month{'s' if months != 1 else ''} on {uk_date(on)}: "
            f"{_sentence(reason)} Now due {uk_date(case.effective_due)}.",
            {
                "reason": reason,
                "on": on.isoformat(),
                "extension_months_before": months_before,
                "extension_months_after": total,
                "extension_notice_due": notice_due.isoformat(),
                **dues,
            },
        )

    return _mutate(store, case_id, expected_version, change)


def add_note(
    store: Store, case_id: int, text: str, *, expected_version: int | None = None
) -> CaseDetail:
    text = text.strip()
    if not text:
        raise DomainError("The note is empty.")
    problem = text_problem("note", text)
    if problem:
        raise DomainError(problem)

    def change(session: Session, case: Case, now: datetime) -> tuple[EventKind, str, dict]:
        return EventKind.NOTE, text, {"text": text}

    return _mutate(store, case_id, expected_version, change)


def close(
    store: Store,
    case_id: int,
    *,
    outcome: Outcome,
    on: date,
    ground: str = "",
    ground_basis: str | None = None,
    late_reason: str = "",
    today: date | None = None,
    expected_version: int | None = None,
) -> CaseDetail:
    """Close with an outcome; a refusal or partial fulfilment must state its ground and the
    legal basis it rests on (`ground_basis`, app.grounds), which the letter states.

    `late_reason` says why an answer came after the statutory deadline; the close dialog
    asks for it and the reports count it, so the board hears why, not only how often.
    """
    _require_date(on, today, "of closing")
    outcome = Outcome(outcome)
    ground = ground.strip()
    late_reason = late_reason.strip()
    problem = text_problem("reason for lateness", late_reason)
    if problem:
        raise DomainError(problem)
    if outcome.needs_ground and not ground:
        raise DomainError(
            f"State the ground for '{outcome.label.lower()}' (for an erasure, the Article 17(3) "
            "exemption); it goes in the outcome letter."
        )

    def change(session: Session, case: Case, now: datetime) -> tuple[EventKind, str, dict]:
        status = Status(case.status)
        if status is Status.CLOSED:
            raise DomainError(f"Case {case.reference} is already closed.")
        if on < case.received_on:
            raise DomainError("A case cannot be closed before the request was received.")
        basis = check_outcome(RequestType(case.request_type), outcome, ground_basis)
        _planning().check_can_close(session, case, outcome)
        case.ground_basis = basis.value if basis else None
        case.status = Status.CLOSED
        case.outcome = outcome
        case.ground = ground or None
        case.closed_on = on
        paused_on = case.paused_on
        case.paused_on = None
        suppressed = False
        if case.request_type == RequestType.MARKETING_OPT_OUT and outcome is Outcome.FULFILLED:
            requester = case.requester
            session.add(
                Suppression(
                    email_key=requester.email_key,
                    name=requester.name,
                    case_id=case.id,
                    created_at=now,
                )
            )
            suppressed = True
        on_time = on <= case.effective_due  # the date the desk worked to
        summary = f"Closed on {uk_date(on)}: {outcome.label.lower()}"
        summary += f" ({ground})." if ground else "."
        summary += timing_phrase(on, case.effective_due, case.statutory_due)
        late_days = (on - case.statutory_due).days
        if late_days > 0 and late_reason:
            summary += f" Why late: {_sentence(late_reason)}"
        return (
            EventKind.CLOSED,
            summary,
            {
                "status_before": status.value,
                "status_after": Status.CLOSED.value,
                "outcome": outcome.value,
                "ground": ground,
                "ground_basis": basis.value if basis else None,
                "on": on.isoformat(),
                "on_time": on_time,
                "late_days": max(late_days, 0),
                "late_reason": late_reason if late_days > 0 else "",
                "open_pause_cleared": paused_on.isoformat() if paused_on else None,
                "suppressed": suppressed,
            },
        )

    return _mutate(store, case_id, expected_version, change)


def timing_phrase(closed_on: date, effective_due: date, statutory_due: date) -> str:
    """How a reply's date stands: late only after the statutory deadline; after our promise
    but within the law it is said as that, never as late (issue 8 point 3)."""
    if closed_on > statutory_due:
        return f" Late: the statutory deadline was {uk_date(statutory_due)}."
    if closed_on > effective_due:
        return (
            f" After our promise date ({uk_date(effective_due)}), within the statutory "
            f"deadline ({uk_date(statutory_due)})."
        )
    return ""


def reopen(
    store: Store, case_id: int, *, reason: str = "", expected_version: int | None = None
) -> CaseDetail:
    """Reopen a closed case; its deadlines are as they were (the clock did not restart)."""
    reason = reason.strip()

    def change(session: Session, case: Case, now: datetime) -> tuple[EventKind, str, dict]:
        if case.status != Status.CLOSED:
            raise DomainError(f"Case {case.reference} is not closed, so it cannot be reopened.")
        before = {
            "outcome": case.outcome,
            "ground": case.ground,
            "ground_basis": case.ground_basis,
            "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        }
        case.status = Status.OPEN
        case.outcome = None
        case.ground = None
        case.ground_basis = None
        case.closed_on = None
        summary = "Reopened" + (f": {reason}" if reason else ".")
        return (
            EventKind.REOPENED,
            summary,
            {
                "status_before": Status.CLOSED.value,
                "status_after": Status.OPEN.value,
                "reason": reason,
                **{f"{k}_before": v for k, v in before.items()},
            },
        )

    return _mutate(store, case_id, expected_version, change)


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

"""The steps that stop, restart or extend the clock: identity, clarification, extension."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.cases.reading import _clock
from app.cases.writing import _mutate, _not_before_last_step, _recompute, _require_date, _sentence
from app.deadlines import MAX_EXTENSION_MONTHS, case_deadlines, notice_in_time, paused_days
from app.domain import DomainError, EventKind, RequestType, Status
from app.formatting import uk_date
from app.identity import DEFAULTS as DEFAULT_DOCUMENTS
from app.identity import check_documents
from app.models import Case
from app.readmodels import CaseDetail
from app.store import Store
from app.validation import text_problem


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

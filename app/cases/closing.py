"""Closing a case with its outcome, and reopening it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from app.cases.writing import _mutate, _planning, _require_date, _sentence
from app.domain import DomainError, EventKind, Outcome, RequestType, Status
from app.formatting import uk_date
from app.grounds import check_outcome
from app.models import Case, Suppression
from app.readmodels import CaseDetail
from app.store import Store
from app.validation import text_problem


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

"""How every use case writes: one transaction, one sealed event, and the guards they share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from types import ModuleType
from typing import Any

from sqlalchemy.orm import Session

from app.cases.reading import _case, _clock, _detail, _due_values, last_step_date
from app.deadlines import case_deadlines
from app.domain import ConcurrentChange, DomainError, EventKind
from app.formatting import uk_date
from app.integrity.seal import chain_of
from app.integrity.state import orm_values
from app.models import Case, CaseEvent
from app.readmodels import CaseDetail
from app.store import ACTOR_KEY, Store, current_user
from app.validation import text_problem


def current_actor() -> str:
    """The OS user name: who did it, for the record on a desk."""
    return current_user()


def actor_of(session: Session | None) -> str:
    """Who is writing in `session`: the member's role on a team server (its write sessions
    say so), else the OS user."""
    if session is not None and session.info.get(ACTOR_KEY):
        return str(session.info[ACTOR_KEY])
    return current_user()


def _now() -> datetime:
    return datetime.now(UTC)


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
        case = _case(session, case_id, lock=True)
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
    event = CaseEvent(at=at, actor=actor_of(session), kind=kind, summary=summary, details=details)
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
    case = _case(store_session, case_id, lock=True)
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


def _not_erased(case: Case) -> None:
    if case.erased_on is not None:
        raise DomainError(
            f"Case {case.reference} was erased under the retention policy; nothing more can "
            "be recorded on it."
        )


def _require_date(on: date, today: date | None, what: str) -> None:
    if on > (today or date.today()):
        raise DomainError(f"The date {what} cannot be in the future ({uk_date(on)}).")


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

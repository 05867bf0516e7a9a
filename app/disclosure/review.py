"""The review step: before a bundle can be built, the DPO marks the set reviewed, on the
record with who and when. Any later change to the set (an item, a decision, a redaction)
moves the set to a new revision, and the review has to be done again."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.cases import actor_of, record_event
from app.disclosure.items import read_items
from app.disclosure.records import ItemInfo, ReviewState, review_state
from app.disclosure.vocabulary import Decision
from app.domain import DomainError, EventKind
from app.models import DisclosureSet
from app.store import Store


def get_review(store: Store, case_id: int) -> ReviewState:
    with store.read() as session:
        return review_state(session.get(DisclosureSet, case_id))


def set_problems(items: list[ItemInfo]) -> list[str]:
    """What stops the set being sent as it stands, one sentence each."""
    if not items:
        return ["The set is empty: add the material found in the search first."]
    problems = []
    for item in items:
        if item.decision is Decision.WITHHOLD and not item.exemption:
            problems.append(f"Item {item.number} ({item.title}) is withheld without an exemption.")
        if item.decision is Decision.DISCLOSE_REDACTED and not item.redactions:
            problems.append(
                f"Item {item.number} ({item.title}) is to be disclosed redacted but has no "
                "redaction yet."
            )
    return problems


def require_reviewed(items: list[ItemInfo], state: ReviewState, making: str) -> None:
    """Refuse to make `making` (a bundle, an export) from a set that cannot go out, or that
    was not reviewed as it now stands."""
    problems = set_problems(items)
    if problems:
        raise DomainError(" ".join(problems))
    if not state.current:
        raise DomainError(
            "The disclosure set has changed since it was last reviewed (or was never "
            f"reviewed). Check it and mark it reviewed, then make {making}."
        )


def mark_reviewed(store: Store, case_id: int) -> ReviewState:
    """Record that the set, as it now stands, was reviewed (by whom, when)."""
    with store.write() as session:
        items = read_items(session, case_id)
        problems = set_problems(items)
        if problems:
            raise DomainError(" ".join(problems))
        state = _state(session, case_id)
        if state.reviewed_revision == state.revision:
            raise DomainError("The set is already marked reviewed as it stands.")
        state.reviewed_revision = state.revision
        state.reviewed_by = actor_of(session)
        state.reviewed_at = datetime.now(UTC)
        counts = {d: sum(1 for i in items if i.decision is d) for d in Decision}
        record_event(
            session,
            case_id,
            EventKind.DISCLOSURE_REVIEWED,
            f"Disclosure set reviewed: {len(items)} item{'s' if len(items) != 1 else ''} "
            f"({counts[Decision.DISCLOSE]} to disclose, {counts[Decision.DISCLOSE_REDACTED]} "
            f"redacted, {counts[Decision.WITHHOLD]} withheld).",
            {
                "revision": state.revision,
                "items": len(items),
                "disclose": counts[Decision.DISCLOSE],
                "disclose_redacted": counts[Decision.DISCLOSE_REDACTED],
                "withhold": counts[Decision.WITHHOLD],
            },
        )
        return review_state(state)


def _state(session: Session, case_id: int) -> DisclosureSet:
    state = session.get(DisclosureSet, case_id)
    if state is None:
        state = DisclosureSet(case_id=case_id, revision=0)
        session.add(state)
        session.flush()
    return state

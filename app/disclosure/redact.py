"""Redaction: boxes drawn on a page, or every place a term occurs across the set, each with a
reason, kept as the redaction log (item, page, box, reason, who, when).

A redaction is recorded against the item's pages as collected; the burned-in copy is made
from them whenever it is needed (`redacted_item_pdf`, the bundle), so withdrawing a box drawn
by mistake is possible until the bundle goes out, and the log shows both. What leaves the
desk is always burned in (app.disclosure.surgery): the text, images and annotations under a
box are gone from the file, not covered.

The term itself stays in the redaction log, not on the timeline: a third party's name is
exactly what the timeline, reports and exports should not repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from app.cases import actor_of, record_event
from app.disclosure.items import item_row, live_row, pages_of, read_items, touch
from app.disclosure.pages import Box, Hit, find, open_pdf
from app.disclosure.records import RedactionInfo, redaction_info
from app.disclosure.surgery import burn
from app.disclosure.vocabulary import Decision
from app.domain import DomainError, EventKind, NotFound
from app.models import DisclosureItem, Redaction
from app.store import Store
from app.validation import text_problem

MIN_TERM = 2
MAX_TERM = 200


@dataclass(frozen=True, slots=True)
class TermHit:
    item_id: int
    item_title: str
    page: int
    boxes: tuple[Box, ...]


def add_box(store: Store, item_id: int, *, page: int, box: Box, reason: str) -> RedactionInfo:
    """Redact a box drawn on page `page` (1-based) of an item."""
    reason = _clean_reason(reason)
    pdf = _pages(store, item_id)
    with open_pdf(pdf, "The item") as document:
        if not 1 <= page <= len(document):
            raise DomainError(f"The item has no page {page}.")
        width, height = document.get_page_size(page - 1)
    box = box.normalised().clipped(width, height)
    if box.empty:
        raise DomainError("The box is empty or off the page; draw it over what is to go.")
    with store.write() as session:
        row = live_row(session, item_id)
        redaction = _keep(session, row, page, box, reason, None)
        touch(session, row.case_id)
        record_event(
            session,
            row.case_id,
            EventKind.REDACTED,
            f"Redaction on {row.title}, page {page}: {reason}",
            {"item_id": row.id, "redaction_ids": [redaction.id], "pages": [page], "reason": reason},
        )
        return redaction_info(redaction, row.title)


def find_term(store: Store, case_id: int, term: str) -> list[TermHit]:
    """Every place `term` occurs in the set (case ignored), without redacting anything."""
    term = _clean_term(term)
    with store.read() as session:
        items = read_items(session, case_id)
        pdfs = {info.id: pages_of(item_row(session, info.id)) for info in items}
    hits: list[TermHit] = []
    for info in items:
        with open_pdf(pdfs[info.id], info.title) as document:
            found: list[Hit] = find(document, term)
        hits += [TermHit(info.id, info.title, hit.page, hit.boxes) for hit in found]
    return hits


def redact_term(store: Store, case_id: int, term: str, *, reason: str) -> list[RedactionInfo]:
    """Redact every place `term` occurs across the set, each hit a logged redaction, all in
    one transaction and one event."""
    reason = _clean_reason(reason)
    hits = find_term(store, case_id, term)
    if not hits:
        raise DomainError("The term was not found in the set's text (pictures are not read).")
    term = _clean_term(term)
    with store.write() as session:
        kept: list[RedactionInfo] = []
        items: set[int] = set()
        for hit in hits:
            row = live_row(session, hit.item_id)
            for box in hit.boxes:
                redaction = _keep(session, row, hit.page, box, reason, term)
                kept.append(redaction_info(redaction, row.title))
            items.add(row.id)
        touch(session, case_id)
        count = len(kept)
        record_event(
            session,
            case_id,
            EventKind.REDACTED,
            f"A search term redacted in {count} place{'s' if count != 1 else ''} across "
            f"{len(items)} item{'s' if len(items) != 1 else ''}: {reason}",
            {
                "redaction_ids": [r.id for r in kept],
                "item_ids": sorted(items),
                "reason": reason,
                "by_term": True,
            },
        )
        return kept


def withdraw_redaction(store: Store, redaction_id: int) -> RedactionInfo:
    """Take back a redaction (drawn in the wrong place); the log keeps it, marked withdrawn."""
    with store.write() as session:
        redaction = session.get(Redaction, redaction_id)
        if redaction is None:
            raise NotFound(f"There is no redaction with id {redaction_id}.")
        if redaction.withdrawn_at is not None:
            raise DomainError("This redaction was already withdrawn.")
        row = live_row(session, redaction.item_id)
        redaction.withdrawn_at = datetime.now(UTC)
        redaction.withdrawn_by = actor_of(session)
        touch(session, row.case_id)
        record_event(
            session,
            row.case_id,
            EventKind.REDACTION_WITHDRAWN,
            f"Redaction withdrawn on {row.title}, page {redaction.page} (was: {redaction.reason}).",
            {"item_id": row.id, "redaction_id": redaction.id, "page": redaction.page},
        )
        return redaction_info(redaction, row.title)


def redaction_log(store: Store, case_id: int) -> list[RedactionInfo]:
    """Every redaction on the case, oldest first, withdrawn ones included."""
    with store.read() as session:
        rows = session.execute(
            select(Redaction, DisclosureItem.title)
            .join(DisclosureItem, DisclosureItem.id == Redaction.item_id)
            .where(Redaction.case_id == case_id)
            .order_by(Redaction.id)
        ).all()
        return [redaction_info(redaction, title) for redaction, title in rows]


def item_redactions(store: Store, item_id: int) -> list[RedactionInfo]:
    """The redactions in force on one item."""
    with store.read() as session:
        row = item_row(session, item_id)
        rows = session.scalars(
            select(Redaction)
            .where(Redaction.item_id == item_id, Redaction.withdrawn_at.is_(None))
            .order_by(Redaction.id)
        ).all()
        return [redaction_info(r, row.title) for r in rows]


def redacted_item_pdf(
    store: Store, item_id: int, *, checkpoint: Callable[[], None] | None = None
) -> bytes:
    """The item's pages with its redactions burned in (unchanged if it has none)."""
    pdf = _pages(store, item_id)
    boxes = boxes_by_page(item_redactions(store, item_id))
    return burn(pdf, boxes, what="The item", checkpoint=checkpoint) if boxes else pdf


def boxes_by_page(redactions: list[RedactionInfo]) -> dict[int, list[Box]]:
    pages: dict[int, list[Box]] = {}
    for redaction in redactions:
        if redaction.in_force:
            pages.setdefault(redaction.page, []).append(redaction.box)
    return pages


def _keep(
    session: object, row: DisclosureItem, page: int, box: Box, reason: str, term: str | None
) -> Redaction:
    redaction = Redaction(
        case_id=row.case_id,
        item_id=row.id,
        page=page,
        x0=box.x0,
        top=box.top,
        x1=box.x1,
        bottom=box.bottom,
        reason=reason,
        term=term,
        actor=actor_of(session),  # type: ignore[arg-type]
        at=datetime.now(UTC),
    )
    session.add(redaction)  # type: ignore[attr-defined]
    session.flush()  # type: ignore[attr-defined]
    if row.decision == Decision.DISCLOSE:
        row.decision = Decision.DISCLOSE_REDACTED.value  # a redacted item goes out redacted
    return redaction


def _pages(store: Store, item_id: int) -> bytes:
    with store.read() as session:
        return pages_of(live_row(session, item_id))


def _clean_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError("Give the reason for the redaction; the redaction log records it.")
    problem = text_problem("reason", reason, multiline=False)
    if problem:
        raise DomainError(problem)
    return reason


def _clean_term(term: str) -> str:
    term = " ".join(term.split())
    if len(term) < MIN_TERM:
        raise DomainError(f"Search for at least {MIN_TERM} characters.")
    if len(term) > MAX_TERM:
        raise DomainError(f"The term is too long (at most {MAX_TERM} characters).")
    return term

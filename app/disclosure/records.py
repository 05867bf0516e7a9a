"""Plain read models of the disclosure set, handed to the UI and to callers; no ORM object
leaves app.disclosure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from app.disclosure.pages import Box
from app.disclosure.vocabulary import Decision, ItemKind, exemption
from app.models import DisclosureBundle, DisclosureItem, DisclosureSet, Redaction


@dataclass(frozen=True, slots=True)
class ItemInfo:
    id: int
    case_id: int
    number: int  # its number in the schedule: 1, 2, 3... in the set's order
    title: str
    source: str
    item_date: date | None
    kind: ItemKind
    filename: str
    mime_type: str
    size: int
    sha256: str
    page_count: int
    decision: Decision
    exemption: str | None
    redaction_reasons: tuple[str, ...]  # one per redaction in force
    attachment_id: int | None
    search_task_id: int | None
    added_at: datetime
    added_by: str

    @property
    def redactions(self) -> int:
        return len(self.redaction_reasons)

    @property
    def decision_text(self) -> str:
        """How the schedule states the decision, with its reasons or exemption."""
        if self.decision is Decision.WITHHOLD:
            return "Withheld: " + (exemption(self.exemption).text if self.exemption else "?")
        if self.decision is Decision.DISCLOSE_REDACTED:
            counts = Counter(self.redaction_reasons)
            reasons = "; ".join(
                f"{reason} (×{count})" if count > 1 else reason for reason, count in counts.items()
            )
            n = self.redactions
            return f"Disclosed with {n} redaction{'s' if n != 1 else ''}: {reasons}"
        return "Disclosed"


@dataclass(frozen=True, slots=True)
class RedactionInfo:
    id: int
    case_id: int
    item_id: int
    item_title: str
    page: int
    box: Box
    reason: str
    term: str | None
    actor: str
    at: datetime
    withdrawn_at: datetime | None
    withdrawn_by: str | None

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True, slots=True)
class ReviewState:
    revision: int
    reviewed_revision: int | None
    reviewed_by: str | None
    reviewed_at: datetime | None

    @property
    def current(self) -> bool:
        """The set was reviewed as it now stands (nothing changed since)."""
        return self.reviewed_revision is not None and self.reviewed_revision == self.revision


@dataclass(frozen=True, slots=True)
class BundleInfo:
    id: int
    case_id: int
    kind: str  # "bundle" (PDF) or "portable" (ZIP)
    version: int
    sha256: str
    size: int
    page_count: int
    encrypted: bool
    created_at: datetime
    created_by: str
    emailed_at: datetime | None
    emailed_to: str | None

    @property
    def filename_suffix(self) -> str:
        return ".pdf" if self.kind == "bundle" else ".zip"


def item_info(row: DisclosureItem, number: int, reasons: tuple[str, ...]) -> ItemInfo:
    return ItemInfo(
        id=row.id,
        case_id=row.case_id,
        number=number,
        title=row.title,
        source=row.source,
        item_date=row.item_date,
        kind=ItemKind(row.kind),
        filename=row.filename,
        mime_type=row.mime_type,
        size=row.size,
        sha256=row.sha256,
        page_count=row.page_count,
        decision=Decision(row.decision),
        exemption=row.exemption,
        redaction_reasons=reasons,
        attachment_id=row.attachment_id,
        search_task_id=row.search_task_id,
        added_at=row.added_at,
        added_by=row.added_by,
    )


def redaction_info(row: Redaction, item_title: str) -> RedactionInfo:
    return RedactionInfo(
        id=row.id,
        case_id=row.case_id,
        item_id=row.item_id,
        item_title=item_title,
        page=row.page,
        box=Box(row.x0, row.top, row.x1, row.bottom),
        reason=row.reason,
        term=row.term,
        actor=row.actor,
        at=row.at,
        withdrawn_at=row.withdrawn_at,
        withdrawn_by=row.withdrawn_by,
    )


def review_state(row: DisclosureSet | None) -> ReviewState:
    if row is None:
        return ReviewState(0, None, None, None)
    return ReviewState(row.revision, row.reviewed_revision, row.reviewed_by, row.reviewed_at)


def bundle_info(row: DisclosureBundle) -> BundleInfo:
    return BundleInfo(
        id=row.id,
        case_id=row.case_id,
        kind=row.kind,
        version=row.version,
        sha256=row.sha256,
        size=row.size,
        page_count=row.page_count,
        encrypted=row.encrypted,
        created_at=row.created_at,
        created_by=row.created_by,
        emailed_at=row.emailed_at,
        emailed_to=row.emailed_to,
    )

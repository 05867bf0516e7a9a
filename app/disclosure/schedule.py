"""The schedule: the page after the cover letter that lists every item of the set, what was
done with it and where it is in the bundle (ICO: keep a record of what was disclosed and
withheld, and why).

The pages an item occupies depend on how long the schedule itself is, so the schedule is
laid out until its own length stops changing (twice, in practice).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Spacer

from app.disclosure import documents
from app.disclosure.pages import open_pdf
from app.disclosure.records import ItemInfo
from app.disclosure.vocabulary import Decision
from app.formatting import uk_date

INTRO = (
    "This schedule lists every item we found when searching for your personal data, and what "
    "we did with each: disclosed in full; disclosed with parts removed (redacted), with the "
    "reason for each removal; or withheld, with the exemption in the law that we rely on. "
    "Page numbers are those stamped at the foot of each page of this bundle."
)


def schedule_pdf(
    reference: str, items: Sequence[ItemInfo], pages: dict[int, tuple[int, int]], total: int
) -> bytes:
    """The schedule's pages. `pages` maps an item id to its first and last bundle page."""
    flowables: list[Flowable] = [
        documents.text(f"Schedule of information — {reference}", documents.title_style()),
        documents.text(INTRO),
        Spacer(1, 6),
    ]
    rows = []
    for item in items:
        span = pages.get(item.id)
        shown = "—" if span is None else _span(*span)
        rows.append(
            [
                str(item.number),
                item.title,
                item.source or "—",
                uk_date(item.item_date) if item.item_date else "—",
                shown,
                item.decision_text,
            ]
        )
    flowables.append(
        documents.table(
            ["No.", "Item", "Source", "Date", "Pages", "Decision"],
            rows,
            documents.content_width(),
            weights=(4.5, 22, 12, 10, 7, 33),
            size=8,
        )
    )
    counts = {d: sum(1 for i in items if i.decision is d) for d in Decision}
    flowables += [
        Spacer(1, 8),
        documents.text(
            f"{len(items)} item{'s' if len(items) != 1 else ''}: "
            f"{counts[Decision.DISCLOSE]} disclosed in full, "
            f"{counts[Decision.DISCLOSE_REDACTED]} disclosed with redactions, "
            f"{counts[Decision.WITHHOLD]} withheld. This bundle has {total} pages."
        ),
    ]
    return documents.build(flowables, title=f"{reference} schedule")


def _span(first: int, last: int) -> str:
    return f"{first}–{last}" if last > first else str(first)


def settle_schedule(
    reference: str,
    items: Sequence[ItemInfo],
    item_pages: dict[int, int],
    before: int,
) -> tuple[bytes, int]:
    """Lay out the schedule until its length is stable; returns it and its page count.

    `item_pages` maps each included item's id to its page count; `before` is the number of
    pages ahead of the schedule (the cover letter)."""
    length = 1
    for _attempt in range(5):
        spans, total = spans_after(items, item_pages, before + length)
        pdf = schedule_pdf(reference, items, spans, total)
        with open_pdf(pdf, "The schedule") as document:
            actual = len(document)
        if actual == length:
            return pdf, length
        length = actual
    return pdf, length


def spans_after(
    items: Sequence[ItemInfo], item_pages: dict[int, int], start_after: int
) -> tuple[dict[int, tuple[int, int]], int]:
    spans: dict[int, tuple[int, int]] = {}
    page = start_after
    for item in items:
        count = item_pages.get(item.id)
        if count:
            spans[item.id] = (page + 1, page + count)
            page += count
    return spans, page

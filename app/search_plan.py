"""How to find the cases whose text contains a search: chosen per query from what the index
says about it, because no one way is fast for every text.

- `NOTHING`: no case can match (no trigram of the text is in the index).
- `FEW` (up to `FEW` cases match, as for a reference or an email): read just those cases and
  sort them.
- `SPREAD` (more, but a small share of all cases, as for a surname): walk the list's own
  order on its index and keep the ids the search index matched, so a page costs the matches'
  ids plus the index entries walked, never a read of every match.
- `COMMON` (a large share, as for one letter or a word of a template description): walk the
  list's order and test each case's text; the page fills after a few hundred cases, and the
  index is not asked at all (listing half a million ids would cost more than the page).

Every way gives the same cases as testing every case's folded text for the folded search
(tests/test_search_equivalence.py holds them to that on 100,000 cases).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from app import search_index
from app.dialects import is_server
from app.models import Case
from app.text import fold

# Up to this many matches, reading each matched case is cheaper than any walk.
FEW = 1000
# Walking the list and testing each case's text costs about (page / share) case reads;
# walking it against the index's matches costs about (share x cases) id lookups plus a tenth
# of that walk. Past share x estimated matches = DENSE_WORK the first is cheaper (measured at
# 100,000 and 1,000,000 cases: tests/bench).
DENSE_WORK = 3000
# One- and two-character texts: the share among this many cases decides whether the index's
# vocabulary (slow for a common letter) is worth reading at all.
SAMPLE = 1000


class Way(Enum):
    NOTHING = "nothing"
    FEW = "few"
    SPREAD = "spread"
    COMMON = "common"


@dataclass(frozen=True, slots=True)
class SearchPlan:
    folded: str
    way: Way
    match: str | None = None  # the search index's MATCH expression, when it was built
    matches: int | None = None  # how many cases match in all, when that came for free

    def condition(self) -> ColumnElement[bool]:
        """The search as a condition on `Case`, shaped for listing in an order."""
        match self.way:
            case Way.NOTHING:
                return false()
            case Way.FEW:
                return Case.id.in_(search_index.ids(self._match))
            case Way.SPREAD:
                # `id + 0` is not the rowid to SQLite, so it cannot drive the query from the
                # matches; it walks the order's index and checks each id against them.
                return (Case.id + 0).in_(search_index.ids(self._match))
            case Way.COMMON:
                return contains_text(self.folded)

    def counting_condition(self) -> ColumnElement[bool]:
        """The search as a condition for counting (no order to walk): look up the matches."""
        if self.way is Way.SPREAD:
            return Case.id.in_(search_index.ids(self._match))
        return self.condition()

    @property
    def _match(self) -> str:
        assert self.match is not None, "planned without the index"
        return self.match


def contains_text(folded: str) -> ColumnElement[bool]:
    """The plain test (what the list did before it had an index): a substring of either key."""
    return or_(
        Case.search_key.contains(folded, autoescape=True),
        Case.description_key.contains(folded, autoescape=True),
    )


def plan_search(session: Session, text: str) -> SearchPlan | None:
    """The way to search for `text` (None when there is nothing to search for)."""
    folded = fold(text)
    if not folded:
        return None
    if is_server(session):
        # A team server: pg_trgm's GIN indexes over both keys (migration 0009) answer the
        # plain substring test themselves, and the planner weighs them against walking the
        # list's order from its own statistics.
        return SearchPlan(folded, Way.COMMON)
    last_id = session.execute(select(func.max(Case.id))).scalar_one() or 0
    if last_id == 0:
        return SearchPlan(folded, Way.NOTHING, matches=0)
    if len(folded) < search_index.TRIGRAM:
        share = _sampled_share(session, folded)
        if share * share * last_id > DENSE_WORK:
            return SearchPlan(folded, Way.COMMON)
    match = search_index.expression(session, folded)
    if match is None:
        return SearchPlan(folded, Way.NOTHING, matches=0)
    first = search_index.first_ids(session, match, FEW + 1)
    if len(first) <= FEW:
        way = Way.FEW if first else Way.NOTHING
        return SearchPlan(folded, way, match=match, matches=len(first))
    share = len(first) / first[-1]  # ids are handed out in order from 1
    if share * share * last_id > DENSE_WORK:
        return SearchPlan(folded, Way.COMMON, match=match)
    return SearchPlan(folded, Way.SPREAD, match=match)


def _sampled_share(session: Session, folded: str) -> float:
    sample = select(Case.search_key, Case.description_key).order_by(Case.id).limit(SAMPLE)
    rows = sample.subquery()
    hit = or_(
        rows.c.search_key.contains(folded, autoescape=True),
        rows.c.description_key.contains(folded, autoescape=True),
    )
    seen, hits = session.execute(
        select(func.count(), func.count().filter(hit)).select_from(rows)
    ).one()
    return hits / seen if seen else 0.0

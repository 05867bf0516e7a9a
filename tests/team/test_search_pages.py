"""A search's page on a team server is the page of the whole list in its order, whether the
matches lie early in the list (a short walk of the list's order finds them) or all at its
far end (the walk gives up after `SERVER_WALK` rows and the matches are sorted instead):
app.queries._server_search_page. The bench that showed the far-end case taking 2.5 s at a
million cases is tests/bench/team/test_bench_pages.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from app import cases, queries
from app.domain import Channel, RequestType
from app.listing import CaseFilter, CaseQuery, SortKey
from app.queries import case_ids, list_cases
from app.readmodels import RequesterDetails
from app.store import Store
from tests.conftest import TODAY

pytestmark = pytest.mark.server_only

CASES = 24
PAGE = 3


@pytest.fixture
def listed(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """24 cases received a day apart: every other requester is an Amy (spread through the
    list), and the six received last, so due last, are Zeds."""
    monkeypatch.setattr(queries, "SERVER_WALK", 4)
    for n in range(CASES):
        first = "Zed" if n >= CASES - 6 else ("Amy" if n % 2 else "Bob")
        cases.log_request(
            store,
            RequesterDetails(f"{first} Person{n:02d}", f"p{n}@example.org", "1 High St"),
            request_type=RequestType.ACCESS,
            channel=Channel.EMAIL,
            on=TODAY - timedelta(days=CASES - n),
            today=TODAY,
        )
    return store


def _page_and_statements(store: Store, query: CaseQuery, offset: int) -> tuple[list[int], int]:
    sent: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_: object) -> None:
        sent.append(statement)

    event.listen(store.engine, "before_cursor_execute", keep)
    try:
        page = list_cases(store, query, today=TODAY, offset=offset, limit=PAGE)
    finally:
        event.remove(store.engine, "before_cursor_execute", keep)
    return [row.id for row in page], len([s for s in sent if "LIMIT" in s.upper()])


@pytest.mark.parametrize("search", ["zed", "amy", "person1", "nobody"])
@pytest.mark.parametrize(
    ("sort", "descending"),
    [(SortKey.DUE, False), (SortKey.DUE, True), (SortKey.REQUESTER, False)],
)
@pytest.mark.parametrize("offset", [0, 2])
def test_a_search_page_is_that_of_the_whole_list(
    listed: Store, search: str, sort: SortKey, descending: bool, offset: int
) -> None:
    query = CaseQuery(filter=CaseFilter.OPEN, search=search, sort=sort, descending=descending)
    whole = case_ids(listed, query, today=TODAY)
    page, _ = _page_and_statements(listed, query, offset)
    assert page == whole[offset : offset + PAGE]


def test_matches_early_in_the_list_are_found_by_the_short_walk(listed: Store) -> None:
    query = CaseQuery(filter=CaseFilter.ALL, search="amy", sort=SortKey.DUE)
    page, statements = _page_and_statements(listed, query, 0)
    assert len(page) == PAGE
    assert statements == 1


def test_matches_at_the_far_end_are_sorted_instead_of_walked_to(listed: Store) -> None:
    query = CaseQuery(filter=CaseFilter.ALL, search="zed", sort=SortKey.DUE)
    page, statements = _page_and_statements(listed, query, 0)
    assert page == case_ids(listed, query, today=TODAY)[:PAGE]
    assert statements == 2  # the walk (which found none), then the sorted matches

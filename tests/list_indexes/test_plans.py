"""Issue 14: every filter of the case list, in every column's order, reads its page by walking
one index in that order (migration 0008), never by sorting the matching cases.

The plans are SQLite's own (EXPLAIN QUERY PLAN) for the very statements `list_cases` sends,
caught on the store's engine, on a real store file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from app.demo import fill_bulk
from app.queries import CaseFilter, CaseQuery, SortKey, case_ids, list_cases
from app.store import Store

TODAY = date(2026, 11, 25)

# The column each sort reads its order from (Days left is the due date read backwards).
SORT_COLUMN = {
    SortKey.REFERENCE: "reference",
    SortKey.REQUESTER: "requester_sort",
    SortKey.TYPE: "request_type",
    SortKey.RECEIVED: "received_on",
    SortKey.DUE: "effective_due",
    SortKey.DAYS_LEFT: "effective_due",
    SortKey.STATUS: "status",
}
ORDERS = [
    (case_filter, sort, descending)
    for case_filter in CaseFilter
    for sort in SortKey
    for descending in (False, True)
]


def _label(order: tuple[CaseFilter, SortKey, bool]) -> str:
    case_filter, sort, descending = order
    return f"{case_filter.value}-{sort.value}-{'desc' if descending else 'asc'}"


@pytest.fixture(scope="module")
def bulk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from app.store import open_store

    store = open_store(tmp_path_factory.mktemp("plans") / "dsar.sqlite")
    fill_bulk(store, 600, today=TODAY)
    yield store
    store.close()


@contextmanager
def statements_sent(store: Store) -> Iterator[list[tuple[str, Any]]]:
    sent: list[tuple[str, Any]] = []

    def seen(_conn, _cursor, statement: str, parameters: Any, *_rest: Any) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)


@pytest.mark.parametrize("order", ORDERS, ids=_label)
def test_a_page_is_read_from_an_index_in_its_order(
    bulk_store: Store, order: tuple[CaseFilter, SortKey, bool]
) -> None:
    case_filter, sort, descending = order
    query = CaseQuery(filter=case_filter, sort=sort, descending=descending)
    with statements_sent(bulk_store) as sent:
        rows = list_cases(bulk_store, query, today=TODAY, offset=0, limit=50)
    assert len(sent) == 1
    [(statement, parameters)] = sent
    with closing(sqlite3.connect(bulk_store.path)) as raw:
        plan = [r[3] for r in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
        [walked] = [step for step in plan if step.startswith("SCAN cases USING ")]
        index = walked.split(" INDEX ", 1)[1]
        leading = raw.execute(f"PRAGMA index_info('{index}')").fetchall()[0][2]
    assert not [step for step in plan if "TEMP B-TREE" in step], plan
    assert leading == SORT_COLUMN[sort]
    assert rows  # the bulk store has cases under every filter


@pytest.mark.parametrize("order", ORDERS, ids=_label)
def test_pages_hold_the_cases_the_query_lists_in_its_order(
    bulk_store: Store, order: tuple[CaseFilter, SortKey, bool]
) -> None:
    """The index-walking statement lists what the plain query lists: same cases, same order
    (case_ids asks SQLite without steering it, and its plan sorts)."""
    case_filter, sort, descending = order
    query = CaseQuery(filter=case_filter, sort=sort, descending=descending)
    every = case_ids(bulk_store, query, today=TODAY)
    pages = [
        [row.id for row in list_cases(bulk_store, query, today=TODAY, offset=o, limit=40)]
        for o in range(0, len(every) + 40, 40)
    ]
    assert [case_id for page in pages for case_id in page] == every

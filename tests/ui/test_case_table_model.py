"""The case table model: a well-behaved Qt model that pages through SQL lazily."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QIcon
from PySide6.QtWidgets import QTableView

import app.queries as queries_module
from app.demo import fill_bulk
from app.domain import Status, Urgency
from app.formatting import uk_date
from app.queries import CaseFilter, CaseQuery, SortKey, count_cases, list_cases, urgency_counts
from app.store import Store, open_store
from tests.conftest import TODAY
from ui.case_table_model import (
    CASE_ID_ROLE,
    DAYS_LEFT_COLUMN,
    PAGE_SIZE,
    STATUS_COLUMN,
    CaseTableModel,
)
from ui.urgency_style import LOOKS, urgency_icon


@pytest.fixture
def demo_store(demo_store_path: Path):  # type: ignore[no-untyped-def]
    store = open_store(demo_store_path)
    yield store
    store.close()


def _model(store: Store, **kwargs) -> CaseTableModel:  # type: ignore[no-untyped-def]
    return CaseTableModel(store, today=lambda: TODAY, **kwargs)


def test_model_passes_qt_model_tester_with_demo_data(qtmodeltester, demo_store: Store) -> None:
    model = _model(demo_store, query=CaseQuery(filter=CaseFilter.ALL), page_size=7)
    assert model.rowCount() == count_cases(demo_store, CaseQuery(CaseFilter.ALL), today=TODAY)
    assert model.rowCount() >= 35
    qtmodeltester.check(model)


def test_model_passes_qt_model_tester_on_an_empty_store(qtmodeltester, store: Store) -> None:
    model = _model(store)
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_rows_show_uk_dates_and_urgency_as_colour_text_and_icon(qapp, demo_store: Store) -> None:
    model = _model(demo_store, query=CaseQuery(filter=CaseFilter.ALL))
    expected = list_cases(demo_store, CaseQuery(filter=CaseFilter.ALL), today=TODAY, limit=500)
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == [
        row.reference for row in expected
    ]
    seen: set[Urgency] = set()
    for r, row in enumerate(expected):
        due = (
            "Not started" if row.status is Status.AWAITING_IDENTITY else uk_date(row.effective_due)
        )
        assert model.data(model.index(r, 4)) == due
        assert model.data(model.index(r, 3)) == uk_date(row.received_on)
        assert model.data(model.index(r, 0), CASE_ID_ROLE) == row.id
        status = model.data(model.index(r, STATUS_COLUMN))
        background = model.data(model.index(r, STATUS_COLUMN), Qt.ItemDataRole.BackgroundRole)
        icon = model.data(model.index(r, STATUS_COLUMN), Qt.ItemDataRole.DecorationRole)
        assert isinstance(background, QBrush)
        assert background.color().name().upper() == LOOKS[row.urgency].background
        assert isinstance(icon, QIcon)
        assert not icon.isNull()
        if row.urgency is Urgency.OVERDUE:
            assert status.startswith("Overdue · ")
            assert model.data(model.index(r, DAYS_LEFT_COLUMN)).endswith("overdue")
        elif row.urgency is Urgency.CLOSED:
            assert row.outcome is not None and row.closed_on is not None
            assert status == f"Closed · {row.outcome.label}, {uk_date(row.closed_on)}"
            late = (row.closed_on - row.statutory_due).days
            timing = model.data(model.index(r, DAYS_LEFT_COLUMN))
            assert timing == (
                f"late by {late} day{'s' if late != 1 else ''}" if late > 0 else "in time"
            )
        elif row.urgency is Urgency.PAUSED:
            assert model.data(model.index(r, DAYS_LEFT_COLUMN)) == "clock stopped"
        seen.add(row.urgency)
    assert seen == set(Urgency), "the demo data covers every urgency"


def test_each_urgency_has_its_own_words_and_icon(qapp, demo_store: Store) -> None:
    model = _model(demo_store, query=CaseQuery(filter=CaseFilter.ALL))
    words: dict[Urgency, set[str]] = {}
    for r in range(model.rowCount()):
        row = model.case_row(r)
        assert row is not None
        text = model.data(model.index(r, STATUS_COLUMN))
        words.setdefault(row.urgency, set()).add(text.split(" ·")[0])
    running = [words[u] for u in (Urgency.OVERDUE, Urgency.ON_TRACK, Urgency.CLOSED)]
    assert all(len(w) == 1 for w in running)
    assert len({next(iter(w)) for w in running}) == 3
    assert words[Urgency.DUE_SOON] <= {"Due soon", "Due today"}
    assert words[Urgency.PAUSED] <= {"Waiting for ID", "Paused: clarification"}
    shapes = {_opaque_pixels(u) for u in Urgency}
    assert len(shapes) == len(Urgency), "each urgency has a different shape, not just colour"


def _opaque_pixels(urgency: Urgency) -> frozenset[tuple[int, int]]:
    """Where the icon is drawn, ignoring colour: the shape alone must tell urgencies apart."""
    image = urgency_icon(urgency).pixmap(16, 16).toImage()
    return frozenset(
        (x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 128 and image.pixelColor(x, y).lightness() < 200
    )


def test_sorting_goes_to_sql_in_both_directions(qapp, demo_store: Store) -> None:
    model = _model(demo_store, query=CaseQuery(filter=CaseFilter.ALL))
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.query.sort is SortKey.REQUESTER
    ascending = [model.case_id(r) for r in range(model.rowCount())]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.query.descending
    descending = [model.case_id(r) for r in range(model.rowCount())]
    expected = list_cases(
        demo_store,
        replace(model.query, descending=False),
        today=TODAY,
        limit=500,
    )
    assert ascending == [row.id for row in expected]
    assert descending != ascending
    assert sorted(descending) == sorted(ascending)
    model.sort(4, Qt.SortOrder.AscendingOrder)
    dues = [model.case_row(r).effective_due for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert dues == sorted(dues)


def test_pages_are_fetched_lazily_over_five_thousand_cases(
    qtbot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_bulk(store, 5000, today=TODAY)
    fetched: list[tuple[int, int]] = []  # (offset, rows returned) of every list_cases call

    def counting_list_cases(*args, **kwargs):  # type: ignore[no-untyped-def]
        rows = list_cases(*args, **kwargs)
        fetched.append((kwargs["offset"], len(rows)))
        return rows

    # The model imports its queries where it runs them (the window shows before SQLAlchemy).
    monkeypatch.setattr(queries_module, "list_cases", counting_list_cases)
    model = _model(store, query=CaseQuery(filter=CaseFilter.ALL))
    assert model.rowCount() == 5000
    first_page = [(0, PAGE_SIZE)]
    assert fetched == first_page, "only the first page is read (it is shown next)"

    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.grab()
    assert fetched == first_page, "showing the top of the list reads only the first page"

    view.scrollToBottom()
    view.grab()
    bottom = fetched[1:]
    assert bottom, "the bottom of the list is read when it is shown"
    assert all(offset % PAGE_SIZE == 0 for offset, _ in bottom)
    assert bottom[0][0] >= 5000 - 2 * PAGE_SIZE, "only the pages at the bottom are read"
    last_offset, last_rows = bottom[-1]
    assert last_offset + last_rows == 5000
    assert model.case_id(4999) is not None
    assert model.rows_fetched == sum(n for _, n in fetched) <= 3 * PAGE_SIZE


def test_cache_keeps_a_few_pages_and_refetches_forgotten_ones(store: Store) -> None:
    fill_bulk(store, 1000, today=TODAY)
    model = _model(store, query=CaseQuery(filter=CaseFilter.ALL), page_size=100, pages_cached=3)
    assert model.rows_fetched == 100  # the first page, read with the count
    first = model.case_id(0)
    for row in (150, 250, 350):
        model.case_id(row)
    assert model.rows_fetched == 400
    assert model.case_id(0) == first  # page 0 was evicted and is read again
    assert model.rows_fetched == 500
    model.case_id(350)  # still cached
    assert model.rows_fetched == 500


def test_a_short_first_page_is_the_count(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    fill_bulk(store, 300, today=TODAY)
    counted: list[CaseQuery] = []

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        counted.append(args[1])
        return count_cases(*args, **kwargs)

    monkeypatch.setattr(queries_module, "count_cases", counting)
    model = _model(store, query=CaseQuery(filter=CaseFilter.ALL), page_size=100)
    assert model.rowCount() == 300
    assert len(counted) == 1, "a full first page needs a count"
    model.set_search("zzz-nobody")
    assert model.rowCount() == 0
    expected = count_cases(store, CaseQuery(filter=CaseFilter.ALL, search="a"), today=TODAY)
    assert expected > 0
    model.set_search("a")
    assert model.rowCount() == expected
    searches = [q.search for q in counted]
    assert "zzz-nobody" not in searches, "an empty first page is the whole answer"


def test_row_of_finds_a_case_beyond_the_cached_pages(store: Store) -> None:
    fill_bulk(store, 1000, today=TODAY)
    query = CaseQuery(filter=CaseFilter.ALL)
    last = list_cases(store, query, today=TODAY, offset=999, limit=1)[0]
    model = _model(store, query=query)
    assert model.row_of(last.id) == 999
    assert model.row_of(last.id, hint=999) == 999
    assert model.row_in_first_page(last.id) is None


def test_urgency_counts_agree_with_the_listed_rows(store: Store) -> None:
    """The index-based counts behind the home strip match the urgency of every listed row."""
    fill_bulk(store, 3000, today=TODAY)
    rows = list_cases(store, CaseQuery(filter=CaseFilter.ALL), today=TODAY, limit=5000)
    by_row = {u: sum(1 for r in rows if r.urgency is u) for u in Urgency}
    assert urgency_counts(store, today=TODAY) == by_row
    assert all(by_row[u] > 0 for u in (Urgency.OVERDUE, Urgency.PAUSED, Urgency.CLOSED))


def test_a_case_waiting_for_id_has_no_due_date_yet(qapp, store: Store) -> None:
    from datetime import timedelta

    from app import cases
    from app.domain import Channel, RequestType
    from app.readmodels import RequesterDetails

    case_id = cases.log_request(
        store,
        RequesterDetails(name="Ann Example"),
        request_type=RequestType.ACCESS,
        channel=Channel.POST,
        on=TODAY - timedelta(days=3),
        today=TODAY,
    ).id
    model = _model(store)
    assert model.data(model.index(0, 4)) == uk_date(cases.get_case(store, case_id).effective_due)
    cases.request_identity(store, case_id, on=TODAY - timedelta(days=2), today=TODAY)
    model = _model(store)
    assert model.data(model.index(0, 4)) == "Not started"
    assert model.data(model.index(0, DAYS_LEFT_COLUMN)) == "clock stopped"


def test_a_sort_change_reads_its_first_page_with_one_query(store: Store) -> None:
    """Issue 14: the rows are the same, so the count stands; only the first page is read."""
    from sqlalchemy import event

    fill_bulk(store, 300, today=TODAY)
    model = _model(store, query=CaseQuery(filter=CaseFilter.OPEN), page_size=50)
    count = model.rowCount()
    statements: list[str] = []

    def seen(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        model.sort(1, Qt.SortOrder.DescendingOrder)
        first = [model.case_id(row) for row in range(50)]
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")
    assert model.rowCount() == count
    expected = list_cases(store, model.query, today=TODAY, limit=50)
    assert first == [row.id for row in expected]

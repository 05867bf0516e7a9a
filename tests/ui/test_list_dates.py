"""The lists say more (issue 12 point 6): closed cases show outcome, date and timing; a date
range narrows any list by received or due date, in SQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDateEdit, QPushButton, QTableView, QWidget

from app.queries import CaseFilter, CaseQuery, count_cases, list_cases
from app.store import Store
from tests.handworked import TODAY
from ui.main import build_main_window


def test_query_date_ranges(store: Store, handworked_ids: dict[str, int]) -> None:
    names = {v: k for k, v in handworked_ids.items()}

    def keys(query: CaseQuery) -> set[str]:
        return {names[r.id] for r in list_cases(store, query, today=TODAY)}

    october = CaseQuery(
        filter=CaseFilter.ALL, received_from=date(2026, 10, 1), received_to=date(2026, 10, 31)
    )
    assert keys(october) == {"C09", "C10", "C11", "C12", "C13", "C14", "C15", "C19"}
    assert count_cases(store, october, today=TODAY) == 8
    due = CaseQuery(filter=CaseFilter.OPEN, due_from=date(2026, 11, 25), due_to=date(2026, 12, 4))
    # Open cases whose effective due date falls 25 Nov - 4 Dec: C19 (25 Nov), C18 (2 Dec),
    # C16 (3 Dec; waiting for ID, the date counted from receipt).
    assert keys(due) == {"C19", "C18", "C16"}
    assert keys(CaseQuery(filter=CaseFilter.ALL, received_to=date(2026, 8, 31))) == {"C20"}


def test_closed_list_and_date_bar(qtbot, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests import handworked

    _, references = handworked.build_file(store_path)
    c10 = references["C10"]
    window = build_main_window(store_path, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.set_filter(CaseFilter.CLOSED)
    table = window.findChild(QTableView, "caseTable")
    model = table.model()
    rows = {
        model.index(r, 0).data(): (model.index(r, 5).data(), model.index(r, 6).data())
        for r in range(model.rowCount())
    }
    assert len(rows) == 13
    assert rows[c10] == ("late by 4 days", "Closed · Fulfilled, Tue 10 Nov 2026")
    assert sum(1 for timing, _ in rows.values() if timing == "in time") == 10

    toggle = window.findChild(QPushButton, "dateRangeToggle")
    bar = window.findChild(QWidget, "dateRangeBar")
    assert not bar.isVisible()
    toggle.click()
    assert bar.isVisible()
    field = window.findChild(QComboBox, "dateFieldCombo")
    start = window.findChild(QDateEdit, "dateFromEdit")
    end = window.findChild(QDateEdit, "dateToEdit")
    assert start.text() == "Any" and end.text() == "Any"
    field.setCurrentIndex(field.findData("received"))
    start.setDate(date(2026, 10, 1))
    end.setDate(date(2026, 10, 31))
    # Closed and received in October: C09 C10 C11 C14.
    assert model.rowCount() == 4
    assert window.model.query.received_from == date(2026, 10, 1)
    window.set_filter(CaseFilter.ALL)  # the range stays with the list
    assert model.rowCount() == 8
    field.setCurrentIndex(field.findData("due"))  # the same days, now on the due date
    assert window.model.query.received_from is None
    assert window.model.query.due_to == date(2026, 10, 31)
    window.findChild(QPushButton, "clearDatesButton").click()
    assert model.rowCount() == 20
    start.setDate(date(2026, 12, 1))
    # Due from 1 Dec on, any status: C18 (2 Dec), C16 (3 Dec), C02 (8 Dec), C17 (11 Dec),
    # C12 (14 Dec).
    assert model.rowCount() == 5
    toggle.click()  # closing the range shows any dates again
    assert not bar.isVisible() and model.rowCount() == 20

"""The Today view driven by objectName: its rows, opening a case, snooze, mark chased."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QTableView

from app import cases
from app.reminders import ReminderKind
from app.store import Store
from tests.handworked import TODAY
from tests.ui.test_accessibility import unnamed
from ui.signals import StoreSignals
from ui.today_view import TodayView


@pytest.fixture
def view(qtbot, store: Store, handworked_ids: dict[str, int]) -> TodayView:  # type: ignore[no-untyped-def]
    view = TodayView(store, StoreSignals(), today=lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1000, 400)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == 11, timeout=10_000)
    return view


def table(view: TodayView) -> QTableView:
    found = view.findChild(QTableView, "todayTable")
    assert found is not None
    return found


def rows(view: TodayView) -> list[tuple[str, str, str]]:
    model = table(view).model()
    return [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]


def select(view: TodayView, case_id: int, kind: ReminderKind) -> None:
    row = next(n for n, r in enumerate(view.model.rows()) if (r.case_id, r.kind) == (case_id, kind))
    table(view).selectRow(row)


def test_it_lists_the_days_reminders(view: TodayView, store: Store, handworked_ids) -> None:  # type: ignore[no-untyped-def]
    ref = {k: cases.get_case(store, v).reference for k, v in handworked_ids.items()}
    assert rows(view) == [
        ("Today", ref["C13"], "Overdue"),
        ("Today", ref["C12"], "Send extension notice"),
        ("Today", ref["C19"], "Promise date soon"),
        ("Today", ref["C13"], "Searches to finish"),
        ("Today", ref["C19"], "Searches to finish"),
        ("Today", ref["C16"], "Chase proof of identity"),
        ("Today", ref["C15"], "Chase clarification"),
        ("Today", ref["C17"], "Delete ID documents"),
        ("Thu 26 Nov 2026", ref["C19"], "Statutory deadline soon"),
        ("Wed 2 Dec 2026", ref["C18"], "Statutory deadline soon"),
        ("Wed 2 Dec 2026", ref["C18"], "Searches to finish"),
    ]
    assert view.findChild(type(view.summary), "todaySummaryLabel").text() == (
        "8 to do today, 3 coming up."
    )
    assert unnamed(view) == []


def test_enter_opens_the_case(qtbot, view: TodayView, handworked_ids) -> None:  # type: ignore[no-untyped-def]
    opened: list[int] = []
    view.openCaseRequested.connect(opened.append)
    table(view).setFocus()
    select(view, handworked_ids["C16"], ReminderKind.IDENTITY_CHASE)
    qtbot.keyClick(table(view), Qt.Key.Key_Return)
    view.findChild(QPushButton, "todayOpenButton").click()
    assert opened == [handworked_ids["C16"]] * 2


def test_snooze_with_a_date(qtbot, view: TodayView, handworked_ids) -> None:  # type: ignore[no-untyped-def]
    select(view, handworked_ids["C16"], ReminderKind.IDENTITY_CHASE)
    assert view.findChild(QPushButton, "todayChasedButton").isEnabled()
    view.findChild(QPushButton, "todaySnoozeButton").click()
    prompt = view.snooze_prompt
    assert prompt.date_edit.date().toPython() == date(2026, 11, 26)
    prompt.date_edit.setDate(date(2026, 11, 30))
    prompt.accept()
    qtbot.waitUntil(lambda: view.model.rowCount() == 10, timeout=10_000)
    assert handworked_ids["C16"] not in [r.case_id for r in view.model.rows()]
    assert cases.timeline(view.store, handworked_ids["C16"])[-1].kind == "reminder_snoozed"


def test_mark_chased_only_for_chases(qtbot, view: TodayView, handworked_ids) -> None:  # type: ignore[no-untyped-def]
    chased = view.findChild(QPushButton, "todayChasedButton")
    select(view, handworked_ids["C13"], ReminderKind.OVERDUE)
    assert not chased.isEnabled()
    select(view, handworked_ids["C15"], ReminderKind.CLARIFICATION_CHASE)
    assert chased.isEnabled()
    chased.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 10, timeout=10_000)
    assert cases.timeline(view.store, handworked_ids["C15"])[-1].summary == (
        "Requester chased for clarification on Wed 25 Nov 2026."
    )


def test_acting_in_the_case_updates_the_view(qtbot, view: TodayView, handworked_ids) -> None:  # type: ignore[no-untyped-def]
    cases.identity_received(view.store, handworked_ids["C16"], on=TODAY, today=TODAY)
    view.signals.case_changed.emit(handworked_ids["C16"])
    qtbot.waitUntil(lambda: view.model.rowCount() == 10, timeout=10_000)
    assert view.due_today == 7


def test_only_the_most_pressing_are_listed_and_all_are_counted(
    qtbot, store: Store, handworked_ids, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import ui.today_view as today_view

    monkeypatch.setattr(today_view, "LISTED", 3)  # as 500 of 700,000 at 1,000,000 cases
    view = TodayView(store, StoreSignals(), today=lambda: TODAY)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=10_000)
    assert [r[2] for r in rows(view)] == ["Overdue", "Send extension notice", "Promise date soon"]
    assert view.summary.text() == (
        "8 to do today, 3 coming up. The 3 most pressing are listed here."
    )
    assert view.due_today == 8

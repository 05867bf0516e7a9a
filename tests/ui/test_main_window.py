"""The main window driven by object names, over a real store of demo cases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from app import cases
from app.domain import Channel, RequestType, Status, Urgency
from app.queries import CaseFilter, CaseQuery, count_cases, urgency_counts
from app.readmodels import IntakeDraft, RequesterDetails
from app.store import Store, open_store
from tests.conftest import TODAY
from ui.main import build_main_window
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, demo_store_path: Path) -> Iterator[MainWindow]:
    built = build_main_window(demo_store_path, today=lambda: TODAY)
    qtbot.addWidget(built)
    built.show()
    qtbot.waitExposed(built)
    yield built


def _table(window: MainWindow) -> QTableView:
    return window.findChild(QTableView, "caseTable")


def _combo(window: MainWindow) -> QComboBox:
    return window.findChild(QComboBox, "statusFilterCombo")


def _column(window: MainWindow, column: int) -> list[str]:
    model = _table(window).model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _names(window: MainWindow) -> list[str]:
    return _column(window, 1)


def test_interactive_widgets_have_names_and_accessible_names(window: MainWindow) -> None:
    for name, kind in [
        ("searchEdit", QLineEdit),
        ("statusFilterCombo", QComboBox),
        ("caseTable", QTableView),
        ("homeOverdueButton", QPushButton),
        ("homeDueWeekButton", QPushButton),
        ("homePausedButton", QPushButton),
        ("homeOpenedMonthButton", QPushButton),
        ("caseView", QWidget),
        ("homeView", QWidget),
    ]:
        widget = window.findChild(kind, name)
        assert widget is not None, name
    for widget in window.findChildren(QWidget):
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isVisible():
            if widget.parent() is window.case_view or window.case_view.isAncestorOf(widget):
                continue  # the case view is UI-2's, tested there
            assert widget.objectName(), widget
            assert widget.accessibleName(), widget.objectName()
    assert window.objectName() == "mainWindow"
    action = window.findChild(type(window.action_new_request), "actionNewRequest")
    assert action.shortcut().toString() == "Ctrl+N"
    assert action in window.menu_file.actions()
    assert action in window.toolbar.actions()


def test_filter_combo_lists_each_filter_in_sql(window: MainWindow) -> None:
    combo = _combo(window)
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[:6] == ["Open", "Overdue", "Due this week", "Paused", "Closed", "All"]
    store = window.store
    for case_filter in (CaseFilter.CLOSED, CaseFilter.OVERDUE, CaseFilter.PAUSED):
        combo.setCurrentIndex(labels.index(case_filter.label))
        expected = count_cases(store, CaseQuery(filter=case_filter), today=TODAY)
        assert expected > 0
        assert _table(window).model().rowCount() == expected
    combo.setCurrentIndex(labels.index("Closed"))
    # The Closed list says the outcome, when, and whether the answer was in time.
    assert all(text.startswith("Closed · ") for text in _column(window, 6))
    assert set(_column(window, 5)) <= {"in time"} | {f"late by {n} days" for n in range(2, 400)}
    combo.setCurrentIndex(labels.index("Overdue"))
    assert all(text.startswith("Overdue · ") for text in _column(window, 6))
    combo.setCurrentIndex(labels.index("All"))
    assert _table(window).model().rowCount() == count_cases(
        store, CaseQuery(filter=CaseFilter.ALL), today=TODAY
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("MÜLLER", "Jürgen Müller"), ("muller", "Jürgen Müller"), ("zoe", "Zoë Adeyemi")],
)
def test_search_as_you_type_ignores_case_and_accents(
    qtbot, window: MainWindow, typed: str, expected: str
) -> None:
    window.set_filter(CaseFilter.ALL)
    search = window.findChild(QLineEdit, "searchEdit")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert search.hasFocus()
    qtbot.keyClicks(search, typed)
    names = _names(window)
    assert expected in names
    assert all(
        typed.casefold()[:3] in name.casefold().replace("ü", "u").replace("ë", "e")
        for name in names
        if name != expected
    ) or names == [expected]
    search.clear()
    assert len(_names(window)) > len(names)


def test_search_narrows_with_each_keystroke(qtbot, window: MainWindow) -> None:
    window.set_filter(CaseFilter.ALL)
    search = window.findChild(QLineEdit, "searchEdit")
    counts = []
    for letter in "jurgen":
        qtbot.keyClick(search, letter)
        counts.append(_table(window).model().rowCount())
    assert counts == sorted(counts, reverse=True)
    assert counts[-1] >= 1
    assert "Jürgen Müller" in _names(window)


def test_sort_by_due_date_both_ways(window: MainWindow) -> None:
    window.set_filter(CaseFilter.ALL)
    table = _table(window)
    model = window.model
    table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    dues = [model.case_row(r).effective_due for r in range(model.rowCount())]
    assert dues == sorted(dues, reverse=True)
    assert dues[0] > dues[-1]
    table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    dues = [model.case_row(r).effective_due for r in range(model.rowCount())]
    assert dues == sorted(dues)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    references = _column(window, 0)
    assert references == sorted(references)


def test_status_bar_counts_open_overdue_and_due_this_week(window: MainWindow) -> None:
    counts = urgency_counts(window.store, today=TODAY)
    open_count = sum(n for u, n in counts.items() if u is not Urgency.CLOSED)
    text = window.findChild(QLabel, "statusCounts").text()
    assert text == (
        f"{open_count} open · {counts[Urgency.OVERDUE]} overdue · "
        f"{counts[Urgency.PAST_PROMISE]} past our promise · "
        f"{counts[Urgency.DUE_SOON]} due this week"
    )
    assert counts[Urgency.OVERDUE] > 0 and counts[Urgency.DUE_SOON] > 0


@pytest.mark.parametrize(
    ("button", "case_filter"),
    [
        ("homeOverdueButton", CaseFilter.OVERDUE),
        ("homePastPromiseButton", CaseFilter.PAST_PROMISE),
        ("homeDueWeekButton", CaseFilter.DUE_THIS_WEEK),
        ("homePausedButton", CaseFilter.PAUSED),
        ("homeOpenedMonthButton", CaseFilter.OPENED_THIS_MONTH),
    ],
)
def test_home_buttons_show_their_count_and_filter_the_list(
    qtbot, window: MainWindow, button: str, case_filter: CaseFilter
) -> None:
    window.findChild(QLineEdit, "searchEdit").setText("zzz-no-such-case")
    assert _table(window).model().rowCount() == 0
    widget = window.findChild(QPushButton, button)
    expected = count_cases(window.store, CaseQuery(filter=case_filter), today=TODAY)
    assert expected > 0
    assert widget.text().startswith(f"{expected} ")
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    assert _combo(window).currentText() == case_filter.label
    assert window.findChild(QLineEdit, "searchEdit").text() == ""
    assert _table(window).model().rowCount() == expected
    assert _table(window).hasFocus()


def test_home_strip_and_list_follow_store_changes_keeping_the_selection(
    window: MainWindow,
) -> None:
    window.set_filter(CaseFilter.ALL)
    table = _table(window)
    keep = window.model.case_id(5)
    assert keep is not None
    assert window.select_case(keep)
    before = window.model.rowCount()
    overdue_before = window.home.counts[CaseFilter.OVERDUE]
    detail = cases.log_request(
        window.store,
        RequesterDetails(name="Aaron Aardvark", email="aaron@example.org"),
        request_type=RequestType.ERASURE,
        channel=Channel.EMAIL,
        on=TODAY - timedelta(days=40),
        description="Delete my account.",
        today=TODAY,
    )
    window.signals.case_changed.emit(detail.id)
    assert window.model.rowCount() == before + 1
    assert window.selected_case_id() == keep
    assert table.selectionModel().selectedRows()[0].row() == window.model.row_of(keep)
    assert window.home.counts[CaseFilter.OVERDUE] == overdue_before + 1
    assert f"{window.counts['overdue']} overdue" in window.status_counts.text()


def test_select_case_widens_the_filter_when_the_case_is_hidden(window: MainWindow) -> None:
    window.set_filter(CaseFilter.CLOSED)
    closed = window.model.case_id(0)
    assert closed is not None
    assert window.model.case_row(0).status is Status.CLOSED  # type: ignore[union-attr]
    window.set_filter(CaseFilter.OVERDUE)
    assert window.model.row_of(closed) is None
    assert window.select_case(closed)
    assert _combo(window).currentText() == "All"
    assert window.selected_case_id() == closed


def test_enter_and_double_click_open_the_case(qtbot, window: MainWindow, monkeypatch) -> None:
    shown: list[int | None] = []
    original = window.case_view.show_case

    def recording(case_id: int | None) -> None:
        shown.append(case_id)
        original(case_id)

    monkeypatch.setattr(window.case_view, "show_case", recording)
    table = _table(window)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    row = table.currentIndex().row()
    assert row >= 1
    assert shown[-1] == window.model.case_id(row), "moving the selection shows the case"
    shown.clear()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert shown == [window.model.case_id(row)]
    assert not table.hasFocus(), "Enter moves the keyboard into the case"
    shown.clear()
    rect = table.visualRect(window.model.index(0, 1))
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown and shown[-1] == window.model.case_id(0)


def test_window_state_is_remembered_between_runs(qtbot, demo_store_path: Path) -> None:
    first = build_main_window(demo_store_path, today=lambda: TODAY)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(760, 560)  # within the offscreen screen (800x600), which clamps geometry
    first.splitter.setSizes([460, 300])
    _table(first).horizontalHeader().resizeSection(1, 311)
    _table(first).sortByColumn(0, Qt.SortOrder.DescendingOrder)
    sizes = first.splitter.sizes()
    first.close()

    second = build_main_window(demo_store_path, today=lambda: TODAY)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (760, 560)
    assert second.splitter.sizes() == sizes
    assert _table(second).horizontalHeader().sectionSize(1) == 311
    assert second.model.query.descending
    references = _column(second, 0)
    assert references == sorted(references, reverse=True)


def test_closing_the_window_closes_the_store(qtbot, demo_store_path: Path) -> None:
    window = build_main_window(demo_store_path, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.close()
    again = open_store(demo_store_path)  # nothing holds the file
    again.close()
    assert window.store.engine.pool.checkedout() == 0


# Screenshots for a human to look at, only when asked: DSAR_SCREENSHOTS=/some/folder.
SHOTS = Path(os.environ.get("DSAR_SCREENSHOTS", "/nonexistent-screenshots-folder"))


@pytest.mark.parametrize(
    ("size", "side_by_side", "name"),
    [((1280, 800), False, "main_window.png"), ((1920, 1080), True, "main_window_1920.png")],
)
def test_nothing_is_cut_off_at_common_screen_sizes(
    qtbot, demo_store_path: Path, size: tuple[int, int], side_by_side: bool, name: str
) -> None:
    window = build_main_window(demo_store_path, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.select_case(window.model.case_id(2))
    table = _table(window)
    expected = Qt.Orientation.Horizontal if side_by_side else Qt.Orientation.Vertical
    assert window.splitter.orientation() == expected
    assert not table.horizontalScrollBar().isVisible(), "every column is in view"
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    for column in range(window.model.columnCount()):
        widest = max(
            metrics.horizontalAdvance(window.model.index(row, column).data())
            for row in range(window.model.rowCount())
        )
        icon = 22 if column == 6 else 0
        assert header.sectionSize(column) >= widest + icon + 8, window.model.headerData(
            column, Qt.Orientation.Horizontal
        )
    for button in window.home.buttons.values():
        assert button.width() >= button.sizeHint().width(), button.objectName()
    if SHOTS.is_dir():
        window.grab().save(str(SHOTS / name))


def test_new_request_is_selected_and_shown_after_intake(qtbot, window: MainWindow) -> None:
    window.set_filter(CaseFilter.CLOSED)  # the new case is not in this list: it must widen
    seen: dict[str, object] = {}

    def fill_and_log() -> None:
        dialog = QApplication.activeModalWidget()
        seen["dialog"] = dialog.objectName()
        dialog.findChild(QLineEdit, "requesterNameEdit").setText("Ōtsuka Hanako")
        dialog.findChild(QLineEdit, "requesterEmailEdit").setText("hanako@example.org")
        dialog.findChild(QPlainTextEdit, "detailsEdit").setPlainText("A copy of my data.")
        dialog.accept()

    QTimer.singleShot(0, fill_and_log)
    case_id = window.open_intake()
    assert seen["dialog"] == "intakeDialog"
    assert isinstance(case_id, int)
    assert window.selected_case_id() == case_id
    row = window.model.case_row(window.table.currentIndex().row())
    assert row is not None and row.requester_name == "Ōtsuka Hanako"
    assert _combo(window).currentText() in ("Open", "All")
    assert window.counts["open"] == count_cases(
        window.store, CaseQuery(filter=CaseFilter.OPEN), today=TODAY
    )
    opened = count_cases(window.store, CaseQuery(filter=CaseFilter.OPENED_THIS_MONTH), today=TODAY)
    assert window.home.counts[CaseFilter.OPENED_THIS_MONTH] == opened


def test_cancelled_intake_changes_nothing(qtbot, window: MainWindow) -> None:
    before = window.model.rowCount()
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    assert window.open_intake(IntakeDraft(name="Draft Person")) is None
    assert window.model.rowCount() == before


def test_the_case_goes_under_the_list_when_narrow_and_each_layout_keeps_its_sizes(
    qtbot, window: MainWindow
) -> None:
    window.resize(1000, 560)
    assert window.splitter.orientation() == Qt.Orientation.Vertical
    window.splitter.setSizes([300, 200])
    stacked = window.splitter.sizes()
    window.resize(1900, 900)
    assert window.splitter.orientation() == Qt.Orientation.Horizontal
    assert window.splitter.sizes()[1] >= window.case_view.minimumSizeHint().width()
    window.splitter.setSizes([1000, 880])
    beside = window.splitter.sizes()
    window.resize(1000, 560)
    assert window.splitter.orientation() == Qt.Orientation.Vertical
    assert window.splitter.sizes() == stacked
    window.resize(1900, 900)
    assert window.splitter.sizes() == beside


def test_a_home_tile_is_in_its_alarm_colour_only_while_it_counts_something(
    qtbot, store: Store
) -> None:  # type: ignore[no-untyped-def]
    from ui.home_view import HomeView
    from ui.urgency_style import LOOKS

    home = HomeView(store, today=lambda: TODAY)
    qtbot.addWidget(home)
    home.show_counts(
        {
            CaseFilter.OVERDUE: 0,
            CaseFilter.PAST_PROMISE: 0,
            CaseFilter.DUE_THIS_WEEK: 2,
            CaseFilter.PAUSED: 0,
            CaseFilter.OPENED_THIS_MONTH: 5,
        }
    )
    overdue = home.buttons[CaseFilter.OVERDUE]
    due = home.buttons[CaseFilter.DUE_THIS_WEEK]
    assert overdue.text() == "0 overdue"
    assert LOOKS[Urgency.OVERDUE].background not in overdue.styleSheet()
    assert LOOKS[Urgency.DUE_SOON].background in due.styleSheet()
    home.show_counts(
        {
            CaseFilter.OVERDUE: 3,
            CaseFilter.PAST_PROMISE: 1,
            CaseFilter.DUE_THIS_WEEK: 2,
            CaseFilter.PAUSED: 0,
            CaseFilter.OPENED_THIS_MONTH: 5,
        }
    )
    assert LOOKS[Urgency.OVERDUE].background in overdue.styleSheet()


def test_an_empty_list_says_why(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    hint = window.findChild(QLabel, "emptyListLabel")
    assert hint is not None and hint.isHidden()
    qtbot.keyClicks(window.search_edit, "<b>nobody</b>")
    assert window.model.rowCount() == 0
    assert not hint.isHidden()
    assert hint.text() == (
        "No open cases match “<b>nobody</b>”. Choose “All” under Show to search every case."
    )
    assert hint.textFormat() == Qt.TextFormat.PlainText
    window.search_edit.clear()
    assert hint.isHidden()


def test_the_case_menu_offers_the_case_views_actions(window: MainWindow) -> None:
    menu = window.findChild(QMenu, "menuCase")
    assert menu is not None
    names = [action.objectName() for action in menu.actions() if not action.isSeparator()]
    for name in (
        "actionIdentity",
        "actionClock",
        "actionExtend",
        "actionCloseCase",
        "actionReopen",
        "actionAddNote",
        "actionEditRequester",
        "actionLetters",
    ):
        assert name in names
    window.set_filter(CaseFilter.ALL)
    window.select_case(1)
    extend = next(a for a in menu.actions() if a.objectName() == "actionExtend")
    assert extend is window.case_view.action_extend  # one action: same state, same shortcut


def test_restore_from_backup_brings_the_list_back(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from app.backups import daily_backup

    window.set_filter(CaseFilter.ALL)
    before = window.model.rowCount()
    backup = daily_backup(window.store)
    assert backup is not None
    new = cases.log_request(
        window.store,
        RequesterDetails(name="Added After Backup"),
        request_type=RequestType.ERASURE,
        channel=Channel.POST,
        on=TODAY,
        today=TODAY,
    )
    window.signals.cases_changed.emit()
    assert window.model.rowCount() == before + 1
    window.select_case(new.id)
    window.restore_backup(backup, confirm=False)  # off the UI thread
    qtbot.waitUntil(lambda: "Restored" in window.statusBar().currentMessage(), timeout=10_000)
    assert window.case_view.case_id is None  # the case shown is not in the backup
    assert window.model.rowCount() == before
    assert window.select_case(new.id) is False
    assert "Restored" in window.statusBar().currentMessage()
    assert window.findChild(QAction, "actionRestoreBackup") is window.action_restore

"""The Searches tab, driven by its objectNames against a real store: record a search, leave
a system out, record an erasure's action, add a place, change the type; the header counts
and the timeline follow; closing is refused naming what is open, then allowed."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
    QWidget,
)

from app import cases, searches
from app.attachments import add_attachment
from app.domain import EventKind, Outcome, RequestType, Status
from app.searches import SystemAction, TaskStatus
from app.store import Store
from tests.conftest import TODAY
from tests.searches.conftest import log
from tests.ui.mnemonics import clashing_mnemonics
from tests.ui.test_case_view import answer_error, child, ok_of, wait_window
from ui.case_view import CaseView
from ui.forms import to_qdate
from ui.searches_tab import SearchesTab
from ui.signals import StoreSignals

SHOTS = Path(os.environ.get("DSAR_SCREENSHOTS", "/nonexistent-screenshots-folder"))


@pytest.fixture
def signals() -> StoreSignals:
    return StoreSignals()


@pytest.fixture
def view(qtbot, store: Store, signals: StoreSignals) -> CaseView:  # type: ignore[no-untyped-def]
    shown = CaseView(store, signals, today=lambda: TODAY)
    qtbot.addWidget(shown)
    shown.resize(1000, 900)
    shown.show()
    return shown


def open_tab(view: CaseView, case_id: int) -> SearchesTab:
    view.show_case(case_id)
    tab = child(view, QWidget, "searchesTab")
    assert isinstance(tab, SearchesTab)
    view.tabs.setCurrentWidget(tab)
    return tab


def select_row(tab: SearchesTab, row: int) -> None:
    table = child(tab, QTableView, "searchTaskTable")
    table.selectionModel().setCurrentIndex(
        table.model().index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def click(qtbot, tab: QWidget, action_name: str) -> None:  # type: ignore[no-untyped-def]
    button = child(tab, QAbstractButton, f"{action_name}Button")
    assert button.isEnabled(), f"{action_name} is disabled: {button.toolTip()}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def counts(view: CaseView) -> str:
    return child(view, QLabel, "searchCountsLabel").text()


def test_recording_a_search_by_its_object_names(qtbot, view: CaseView, store: Store) -> None:  # type: ignore[no-untyped-def]
    case_id = log(store)
    export = add_attachment(store, case_id, filename="crm.csv", content=b"a,b", kind="disclosure")
    tab = open_tab(view, case_id)
    # The names issue 10 lists, as widgets and actions of the tab.
    for cls, name in (
        (QTableView, "searchTaskTable"),
        (QLineEdit, "searchTermsEdit"),
        (QComboBox, "searchResultCombo"),
        (QPlainTextEdit, "skipReasonEdit"),
        (QAction, "actionRecordSearch"),
        (QAction, "actionSkipSearch"),
    ):
        child(tab, cls, name)
    table = child(tab, QTableView, "searchTaskTable")
    assert table.model().rowCount() == 9
    assert counts(view) == "Searches: 0 of 9 systems searched; 9 to do"
    assert tab.current_task().title == "CRM (marketing contacts)"  # the first open task
    terms = child(tab, QLineEdit, "searchTermsEdit")
    assert terms.text() == "zoe@example.org, Zoë Adeyemi"  # suggested from the requester
    terms.setText("zoe@example.org; Zoë Adeyemi; account 4471")
    result = child(tab, QComboBox, "searchResultCombo")
    result.setCurrentIndex(result.findData(True))
    items = child(tab, QSpinBox, "searchItemsSpin")
    assert items.isEnabled() and items.value() == 1
    items.setValue(7)
    child(tab, QDateEdit, "periodFromEdit").setDate(to_qdate(date(2024, 1, 1)))
    material = child(tab, QListView, "searchMaterialList")
    material.model().item(0).setCheckState(Qt.CheckState.Checked)
    child(tab, QLineEdit, "searchNoteEdit").setText("Two duplicate contacts.")
    click(qtbot, tab, "actionRecordSearch")

    crm = searches.plan(store, case_id)[0]
    assert (crm.status, crm.found, crm.items, crm.material) == (
        TaskStatus.SEARCHED,
        True,
        7,
        (export.id,),
    )
    assert crm.terms == "zoe@example.org; Zoë Adeyemi; account 4471"
    assert (crm.period_from, crm.period_to, crm.searched_on) == (date(2024, 1, 1), None, TODAY)
    assert counts(view) == "Searches: 1 of 9 systems searched; 8 to do"
    assert view.timeline_model.entries()[-1].kind == EventKind.SEARCH_RECORDED
    assert table.model().index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert table.model().index(0, 4).data() == "7 items found (1 file)"
    by = table.model().index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert by == f"Recorded by {crm.decided_by}" and crm.decided_by == store.actor
    # The checklist moves on to the next system, suggesting the same terms and period.
    assert tab.current_task().title == "Client service records"
    assert terms.text() == "zoe@example.org; Zoë Adeyemi; account 4471"
    assert child(tab, QComboBox, "searchResultCombo").currentData() is False


def test_leaving_out_needs_a_reason_said_under_the_form(
    qtbot, view: CaseView, store: Store
) -> None:  # type: ignore[no-untyped-def]
    case_id = log(store)
    tab = open_tab(view, case_id)
    select_row(tab, 6)
    assert tab.current_task().title.startswith("Website analytics")
    reason = child(tab, QPlainTextEdit, "skipReasonEdit")
    assert "aggregated statistics" in reason.placeholderText()  # it cannot be searched
    click(qtbot, tab, "actionSkipSearch")
    error = child(tab, QLabel, "searchErrorLabel")
    assert error.isVisible() and "Give the reason" in error.text()
    assert searches.plan(store, case_id)[6].status is TaskStatus.OPEN
    assert [e.kind for e in cases.timeline(store, case_id)] == [EventKind.LOGGED]
    reason.setPlainText("It holds aggregated statistics only, which cannot identify anyone.")
    click(qtbot, tab, "actionSkipSearch")
    assert not error.isVisible()
    left = searches.plan(store, case_id)[6]
    assert left.status is TaskStatus.LEFT_OUT
    assert (
        left.left_out_reason == "It holds aggregated statistics only, which cannot identify anyone."
    )
    assert counts(view) == "Searches: 0 of 9 systems searched, 1 left out; 8 to do"
    assert view.timeline_model.entries()[-1].summary.startswith(
        "Website analytics (Google Analytics, aggregated) left out of the search"
    )


def test_a_refused_search_keeps_what_was_typed(qtbot, view: CaseView, store: Store) -> None:  # type: ignore[no-untyped-def]
    case_id = log(store)
    tab = open_tab(view, case_id)
    terms = child(tab, QLineEdit, "searchTermsEdit")
    terms.setText("   ")
    child(tab, QLineEdit, "searchNoteEdit").setText("kept")
    click(qtbot, tab, "actionRecordSearch")
    assert "Say what was searched for" in child(tab, QLabel, "searchErrorLabel").text()
    assert child(tab, QLineEdit, "searchNoteEdit").text() == "kept"
    assert tab.current_task().status is TaskStatus.OPEN


def test_closing_is_refused_naming_the_open_task_then_allowed(
    qtbot, view: CaseView, store: Store
) -> None:  # type: ignore[no-untyped-def]
    case_id = log(store)
    tab = open_tab(view, case_id)
    for _ in range(8):  # every system but the last, through the tab
        click(qtbot, tab, "actionRecordSearch")
    assert counts(view) == "Searches: 8 of 9 systems searched; 1 to do"
    assert tab.current_task().title == "Social media (Twitter, LinkedIn)"

    view.action_close.trigger()
    dialog = wait_window(qtbot, "closeDialog")
    qtbot.mouseClick(ok_of(dialog), Qt.MouseButton.LeftButton)
    message = answer_error(qtbot)
    assert "cannot be closed as fulfilled" in message
    assert (
        "Not yet searched or left out with a reason: Social media (Twitter, LinkedIn)." in message
    )
    assert dialog.isVisible() and view.detail.status is Status.OPEN
    dialog.reject()

    child(tab, QPlainTextEdit, "skipReasonEdit").setPlainText(
        "She asked only about her email correspondence."
    )
    click(qtbot, tab, "actionSkipSearch")
    view.action_close.trigger()
    dialog = wait_window(qtbot, "closeDialog")
    qtbot.mouseClick(ok_of(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert view.detail.status is Status.CLOSED and view.detail.outcome is Outcome.FULFILLED
    kinds = [e.kind for e in view.timeline_model.entries()]
    assert kinds == [
        EventKind.LOGGED,
        *[EventKind.SEARCH_RECORDED] * 8,
        EventKind.SEARCH_LEFT_OUT,
        EventKind.CLOSED,
    ]
    # A closed case's record is read-only in the tab.
    assert not child(tab, QAbstractButton, "actionRecordSearchButton").isEnabled()
    assert not child(tab, QAbstractButton, "actionAddSearchTaskButton").isEnabled()


def test_an_erasure_records_the_action_and_recipients_told(
    qtbot, view: CaseView, store: Store
) -> None:  # type: ignore[no-untyped-def]
    case_id = log(store, RequestType.ERASURE)
    tab = open_tab(view, case_id)
    table = child(tab, QTableView, "searchTaskTable")
    assert not table.isColumnHidden(5)  # the Action column, for erasure
    select_row(tab, 5)
    assert tab.current_task().title == "Recruitment records"
    assert not child(tab, QAbstractButton, "actionRecordSystemActionButton").isEnabled()
    result = child(tab, QComboBox, "searchResultCombo")
    result.setCurrentIndex(result.findData(True))
    child(tab, QSpinBox, "searchItemsSpin").setValue(2)
    click(qtbot, tab, "actionRecordSearch")
    select_row(tab, 5)
    assert tab.editor_tabs.currentIndex() == 2  # data found: the action is what is next
    combo = child(tab, QComboBox, "systemActionCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == ["Erased", "Kept (ground stated)"]
    recipients = child(tab, QLineEdit, "recipientsToldEdit")
    assert "Recruitment agencies" in recipients.placeholderText()
    click(qtbot, tab, "actionRecordSystemAction")
    assert "Art. 19" in child(tab, QLabel, "searchErrorLabel").text()
    recipients.setText("Told Acme Recruitment by email.")
    click(qtbot, tab, "actionRecordSystemAction")
    task = searches.plan(store, case_id)[5]
    assert (task.action, task.recipients_told, task.done) == (
        SystemAction.ERASED,
        "Told Acme Recruitment by email.",
        True,
    )
    assert table.model().index(5, 5).data() == "Erased"
    assert view.timeline_model.entries()[-1].kind == EventKind.SEARCH_ACTION_RECORDED


def test_adding_a_place_and_changing_the_type(qtbot, view: CaseView, store: Store) -> None:  # type: ignore[no-untyped-def]
    case_id = log(store, RequestType.MARKETING_OPT_OUT)
    tab = open_tab(view, case_id)
    table = child(tab, QTableView, "searchTaskTable")
    assert table.model().rowCount() == 1 and counts(view) == (
        "Searches: 0 of 1 system searched; 1 to do"
    )
    click(qtbot, tab, "actionAddSearchTask")
    dialog = wait_window(qtbot, "addSearchTaskDialog")
    systems = child(dialog, QComboBox, "searchTaskSystemCombo")
    assert "CRM (marketing contacts)" not in [systems.itemText(i) for i in range(systems.count())]
    systems.setCurrentIndex(systems.count() - 1)  # somewhere else
    assert not ok_of(dialog).isEnabled()
    child(dialog, QLineEdit, "searchTaskTitleEdit").setText("Events sign-up sheets (paper)")
    qtbot.mouseClick(ok_of(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert table.model().rowCount() == 2
    assert tab.current_task().title == "Events sign-up sheets (paper)"

    click(qtbot, tab, "actionChangeType")
    dialog = wait_window(qtbot, "changeTypeDialog")
    combo = child(dialog, QComboBox, "newRequestTypeCombo")
    combo.setCurrentIndex(combo.findData(RequestType.ERASURE.value))
    child(dialog, QPlainTextEdit, "changeTypeReasonEdit").setPlainText(
        "Her email asks us to delete everything."
    )
    qtbot.mouseClick(ok_of(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert view.detail.request_type is RequestType.ERASURE
    assert table.model().rowCount() == 9  # CRM, the manual place, 7 more for erasure
    assert view.timeline_model.entries()[-1].kind == EventKind.REQUEST_TYPE_CHANGED


def test_a_change_made_elsewhere_is_not_overwritten(qtbot, view: CaseView, store: Store) -> None:  # type: ignore[no-untyped-def]
    case_id = log(store)
    tab = open_tab(view, case_id)
    cases.add_note(store, case_id, "Another window got there first.")
    click(qtbot, tab, "actionRecordSearch")
    assert "changed elsewhere" in answer_error(qtbot)
    assert searches.plan(store, case_id)[0].status is TaskStatus.OPEN
    assert [e.kind for e in view.timeline_model.entries()][-1] == EventKind.NOTE  # reloaded
    click(qtbot, tab, "actionRecordSearch")
    assert searches.plan(store, case_id)[0].status is TaskStatus.SEARCHED


def test_screenshot_of_the_searches_tab(qtbot, store: Store, signals: StoreSignals) -> None:  # type: ignore[no-untyped-def]
    view = CaseView(store, signals, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(980, 860)
    view.show()
    qtbot.waitExposed(view)
    case_id = log(store)
    add_attachment(store, case_id, filename="crm-export.csv", content=b"a", kind="disclosure")
    plan = searches.plan(store, case_id)
    terms = "zoe@example.org, Zoë Adeyemi"
    searches.record_search(
        store,
        plan[0].id,
        on=TODAY,
        terms=terms,
        found=True,
        items=4,
        material=[1],
        period_from=date(2024, 1, 1),
    )
    searches.record_search(store, plan[1].id, on=TODAY, terms=terms, found=True, items=12)
    searches.record_search(store, plan[2].id, on=TODAY, terms=terms, found=False)
    searches.leave_out(
        store, plan[6].id, reason="Aggregated statistics only; they cannot identify a person."
    )
    tab = open_tab(view, case_id)
    assert tab.current_task().title == "Telephone system"
    table = child(tab, QTableView, "searchTaskTable")
    assert not table.horizontalScrollBar().isVisible(), "every column is in view"
    assert counts(view) == "Searches: 3 of 9 systems searched, 1 left out; 5 to do"
    label = child(view, QLabel, "searchCountsLabel")
    qtbot.waitUntil(lambda: label.width() >= label.sizeHint().width())  # not cut off
    # The longest name of the register is shown whole, beside its tick box.
    longest = table.fontMetrics().horizontalAdvance(plan[6].title)
    assert table.columnWidth(0) >= longest + 24
    if SHOTS.is_dir():
        view.grab().save(str(SHOTS / "searches_tab.png"))


def test_a_narrow_case_pane_keeps_every_column_in_view(
    qtbot, store: Store, signals: StoreSignals
) -> None:  # type: ignore[no-untyped-def]
    view = CaseView(store, signals, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(800, 700)
    view.show()
    qtbot.waitExposed(view)
    case_id = log(store, RequestType.ERASURE)
    plan = searches.plan(store, case_id)
    for task in plan[:2]:
        searches.record_search(store, task.id, on=TODAY, terms="zoe", found=True, items=2)
    ground = "Invoices are kept six years (Art. 17(3)(b))."
    searches.record_action(store, plan[0].id, action=SystemAction.KEPT, on=TODAY, ground=ground)
    tab = open_tab(view, case_id)
    table = child(tab, QTableView, "searchTaskTable")
    qtbot.waitUntil(lambda: table.isVisible())
    assert not table.isColumnHidden(5)
    assert not table.horizontalScrollBar().isVisible(), "every column is in view"
    model = table.model()
    viewport = table.viewport().width()
    assert all(table.columnViewportPosition(c) + table.columnWidth(c) <= viewport for c in range(6))
    assert model.index(1, 1).data() == "Action to record"
    # What a narrow column cuts short is whole in its tooltip.
    assert model.index(0, 5).data(Qt.ItemDataRole.ToolTipRole) == f"Kept: {ground}"
    assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == "zoe"
    assert model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole) == "2 items found"


def test_the_keyboard_reaches_each_form_without_clashing_letters(
    qtbot, view: CaseView, store: Store
) -> None:  # type: ignore[no-untyped-def]
    case_id = log(store, RequestType.ERASURE)
    crm = searches.plan(store, case_id)[0]
    searches.record_search(store, crm.id, on=TODAY, terms="zoe", found=True, items=1)
    tab = open_tab(view, case_id)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)  # mnemonics need an active window
    select_row(tab, 1)
    for page in range(3):  # record search, leave out, action taken
        tab.editor_tabs.setCurrentIndex(page)
        clashes = clashing_mnemonics(view)
        assert not clashes, f"page {page}: Alt+{clashes} reach two places"
    tab.editor_tabs.setCurrentIndex(0)
    for key, name in (
        (Qt.Key.Key_F, "searchTermsEdit"),
        (Qt.Key.Key_N, "searchNoteEdit"),
        (Qt.Key.Key_U, "searchResultCombo"),
    ):
        qtbot.keyClick(view.focusWidget() or view, key, Qt.KeyboardModifier.AltModifier)
        assert view.focusWidget().objectName() == name
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tab.editor_tabs.currentIndex() == 1)  # the Leave out page
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert view.focusWidget().objectName() == "skipReasonEdit"

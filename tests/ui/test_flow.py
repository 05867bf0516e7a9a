"""The whole desk, keyboard only: log a request, find it, pause and restart the clock,
extend it (an empty reason refused first), close it; then reopen the store in a new
window and find all of it again.

Keys are sent to whichever widget has the focus, as a keyboard user's would be; nothing is
clicked. The intake dialog runs modally (`exec()`), so it is driven from a timer that fires
inside its event loop; the case view's dialogs are window-modal but not blocking.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from app import cases, searches
from app.domain import EventKind, Outcome, Status
from app.formatting import uk_date
from tests.conftest import TODAY, finish_search_record
from tests.ui.test_case_view import child, find_window, ok_of, wait_window
from ui.extension_dialog import extended_deadline
from ui.forms import from_qdate
from ui.main import build_main_window
from ui.main_window import MainWindow

NAME = "Ghadah <Al-Harbi> & Sons غادة"
EMAIL = "ghadah@example.co.uk"
KEY = Qt.Key
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like a keyboard would; QTest only knows ASCII keys, so other characters arrive
    the way a national keyboard layout sends them: a key event carrying the text."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(focused(), char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(focused(), event)


def back_to(qtbot, window: QWidget) -> None:  # type: ignore[no-untyped-def]
    """A closed dialog hands the focus back to its window. A desktop's window manager does
    that by reactivating the window; the offscreen platform has no window manager, so the
    test does the reactivating (and then checks where the focus landed)."""
    window.activateWindow()
    qtbot.waitUntil(
        lambda: (
            QApplication.focusWidget() is not None and QApplication.focusWidget().window() is window
        )
    )


def drive_modal(name: str, handler: Callable[[QDialog], None]) -> dict:
    """Run `handler` on the modal dialog `name` once its exec() loop shows it.

    A failure inside the handler rejects the dialog (so exec() returns) and is re-raised by
    `check_modal` in the test.
    """
    outcome: dict = {"done": False, "error": None}

    def poll(tries: int = 500) -> None:
        dialog = find_window(name)
        if dialog is None:
            if tries:
                QTimer.singleShot(10, lambda: poll(tries - 1))
            else:
                outcome["error"] = AssertionError(f"{name} was never shown")
            return
        assert isinstance(dialog, QDialog)
        try:
            handler(dialog)
        except BaseException as error:  # re-raised in the test, after exec() returns
            outcome["error"] = error
            if dialog.isVisible():
                dialog.reject()
        outcome["done"] = True

    QTimer.singleShot(0, poll)
    return outcome


def check_modal(outcome: dict) -> None:
    if outcome["error"] is not None:
        raise outcome["error"]
    assert outcome["done"]


def open_window(qtbot, path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = build_main_window(path, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return window


def intake_by_keyboard(qtbot):  # type: ignore[no-untyped-def]
    def handler(dialog: QDialog) -> None:
        qtbot.waitUntil(lambda: focused().window() is dialog)
        assert focused().objectName() == "requesterNameEdit"
        type_text(qtbot, NAME)
        press(qtbot, KEY.Key_Tab)
        assert focused().objectName() == "requesterEmailEdit"
        type_text(qtbot, "ghadah@example")  # not yet an email address
        email_error = child(dialog, QLabel, "requesterEmailError")
        assert email_error.isVisible() and "not a valid email" in email_error.text()
        assert not ok_of(dialog).isEnabled()
        press(qtbot, KEY.Key_Return)  # Enter does nothing while the form is invalid
        assert dialog.isVisible()
        type_text(qtbot, ".co.uk")
        assert not email_error.isVisible()
        for expected in (
            "requesterAddressEdit",
            "requesterPhoneEdit",
            "requestTypeCombo",
            "channelCombo",
            "receivedDateEdit",
        ):
            press(qtbot, KEY.Key_Tab)
            assert focused().objectName() == expected
        received = child(dialog, QDateEdit, "receivedDateEdit")
        press(qtbot, KEY.Key_Up)  # tomorrow: refused, the date stays today
        assert from_qdate(received.date()) == TODAY
        assert from_qdate(received.maximumDate()) == TODAY
        press(qtbot, KEY.Key_Down)
        press(qtbot, KEY.Key_Down)
        press(qtbot, KEY.Key_Down)
        assert from_qdate(received.date()) == TODAY - timedelta(days=3)
        press(qtbot, KEY.Key_Return)  # default button: Log request
        assert not dialog.isVisible()

    return drive_modal("intakeDialog", handler)


def answer_prompt(qtbot, name: str, *, days_back: int = 0) -> None:  # type: ignore[no-untyped-def]
    prompt = wait_window(qtbot, name)
    window = prompt.parentWidget().window()
    qtbot.waitUntil(lambda: focused().window() is prompt)
    for _ in range(days_back):
        press(qtbot, KEY.Key_Down)
    press(qtbot, KEY.Key_Return)
    qtbot.waitUntil(lambda: not prompt.isVisible())
    back_to(qtbot, window)


def test_whole_flow_by_keyboard_and_again_after_reopening(qtbot, demo_store_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_store_path)
    view = window.case_view

    # -- log the request --------------------------------------------------------------------
    intake = intake_by_keyboard(qtbot)
    press(qtbot, KEY.Key_N, Qt.KeyboardModifier.ControlModifier)
    check_modal(intake)
    assert view.detail is not None and view.detail.requester.name == NAME
    case_id = view.detail.id
    reference = view.detail.reference
    assert view.detail.received_on == TODAY - timedelta(days=3)
    assert window.selected_case_id() == case_id  # selected in the list, deadline shown
    assert uk_date(view.detail.effective_due) in view.due_label.text()

    # -- find it by search and open it --------------------------------------------------------
    back_to(qtbot, window)
    assert focused().objectName() == "caseTable"  # where it was before the dialog
    press(
        qtbot, KEY.Key_Home, Qt.KeyboardModifier.ControlModifier
    )  # another case first, so opening ours is seen
    qtbot.waitUntil(lambda: view.case_id not in (None, case_id))
    press(qtbot, KEY.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused().objectName() == "searchEdit"
    type_text(qtbot, "GHADAH")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.model.case_id(0) == case_id
    press(qtbot, KEY.Key_Return)  # into the list
    assert focused().objectName() == "caseTable"
    press(qtbot, KEY.Key_Return)  # open the case
    qtbot.waitUntil(lambda: view.case_id == case_id)

    # -- pause for clarification, then clarification received ----------------------------------
    press(qtbot, KEY.Key_P, CTRL_SHIFT)
    answer_prompt(qtbot, "datePromptDialog", days_back=2)
    assert view.detail.status is Status.AWAITING_CLARIFICATION
    assert view.status_label.text() == Status.AWAITING_CLARIFICATION.label
    press(qtbot, KEY.Key_P, CTRL_SHIFT)
    answer_prompt(qtbot, "datePromptDialog")
    assert view.detail.status is Status.OPEN
    assert view.detail.pauses == (3,)

    # -- extend: an empty reason is refused, then extend with a reason ---------------------------
    before_extension = view.detail
    press(qtbot, KEY.Key_E, CTRL_SHIFT)
    dialog = wait_window(qtbot, "extensionDialog")
    qtbot.waitUntil(lambda: focused().objectName() == "extensionReasonEdit")
    assert not ok_of(dialog).isEnabled()
    assert child(dialog, QLabel, "extensionReasonError").isVisible()
    press(qtbot, KEY.Key_Tab)
    assert focused().objectName() == "extensionMonthsCombo"
    press(qtbot, KEY.Key_Return)  # refused: OK is disabled, nothing happens
    assert dialog.isVisible()
    assert cases.get_case(window.store, case_id).extension_months == 0
    new_deadline = extended_deadline(before_extension, 2)
    assert uk_date(new_deadline) in child(dialog, QLabel, "extensionNewDeadlineLabel").text()
    press(qtbot, KEY.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused().objectName() == "extensionReasonEdit"
    type_text(qtbot, "Several requests from the same person.")
    press(qtbot, KEY.Key_Tab)
    press(qtbot, KEY.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    back_to(qtbot, window)
    assert view.detail.extension_months == 2
    assert view.detail.effective_due == new_deadline

    # -- close ----------------------------------------------------------------------------------
    # The search record is finished first (closing as fulfilled needs it); the Searches tab
    # is driven by keyboard in tests/ui/test_searches_tab.py.
    finish_search_record(window.store, case_id, on=TODAY)
    searched = len(searches.plan(window.store, case_id))
    window.signals.case_changed.emit(case_id)  # as the Searches tab announces its changes
    press(qtbot, KEY.Key_C, CTRL_SHIFT)
    closing = wait_window(qtbot, "closeDialog")
    qtbot.waitUntil(lambda: focused().objectName() == "outcomeCombo")
    press(qtbot, KEY.Key_Return)  # Fulfilled, today
    qtbot.waitUntil(lambda: not closing.isVisible())
    assert view.detail.status is Status.CLOSED
    assert find_window("domainErrorBox") is None

    expected_kinds = [
        EventKind.LOGGED,
        EventKind.CLARIFICATION_REQUESTED,
        EventKind.CLARIFICATION_RECEIVED,
        EventKind.EXTENDED,
        *[EventKind.SEARCH_RECORDED] * searched,
        EventKind.CLOSED,
    ]
    assert [e.kind for e in view.timeline_model.entries()] == expected_kinds
    shown_timeline = [
        [view.timeline_model.index(r, c).data() for c in range(4)]
        for r in range(view.timeline_model.rowCount())
    ]
    final = view.detail
    window.close()

    # -- a new window on the same store finds all of it again ------------------------------------
    again = open_window(qtbot, demo_store_path)
    press(qtbot, KEY.Key_6, Qt.KeyboardModifier.ControlModifier)  # show all: it is closed
    assert again.findChild(QComboBox, "statusFilterCombo").currentText() == "All"
    press(qtbot, KEY.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is again.findChild(QLineEdit, "searchEdit")
    type_text(qtbot, reference)
    qtbot.waitUntil(lambda: again.model.rowCount() == 1)
    press(qtbot, KEY.Key_Return)
    press(qtbot, KEY.Key_Return)
    view = again.case_view
    qtbot.waitUntil(lambda: view.case_id == case_id)
    detail = view.detail
    assert detail.requester.name == NAME and detail.requester.email == EMAIL
    assert detail.status is Status.CLOSED and detail.outcome is Outcome.FULFILLED
    assert detail.closed_on == TODAY
    assert (detail.received_on, detail.statutory_due, detail.effective_due) == (
        final.received_on,
        final.statutory_due,
        final.effective_due,
    )
    assert detail.extension_reason == "Several requests from the same person."
    assert view.status_label.text() == "Closed"
    assert view.requester_label.text() == NAME
    assert [
        [view.timeline_model.index(r, c).data() for c in range(4)]
        for r in range(view.timeline_model.rowCount())
    ] == shown_timeline
    again.close()

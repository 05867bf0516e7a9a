"""The case view against a real store: each step through the UI changes the case and its
timeline; a refused step says why and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from app import cases
from app.domain import Channel, EventKind, Outcome, RequestType, Status
from app.formatting import days_phrase, uk_date, uk_long_date
from app.grounds import GroundBasis
from app.letters.records import letter_pdf, list_letters
from app.readmodels import RequesterDetails
from app.settings import save_settings
from app.store import Store
from tests.conftest import TODAY, finish_search_record
from tests.letters.conftest import ORG, pdf_text
from ui.case_view import CaseView
from ui.extension_dialog import extended_deadline
from ui.forms import from_qdate, to_qdate
from ui.requester_dialog import RequesterDialog
from ui.signals import StoreSignals
from ui.timeline_model import TimelineModel, kind_label

NAME = "<b>Ann</b> & Co 😀 آن"


# ---------------------------------------------------------------------------------------
# Helpers shared with test_flow.py


def find_window(name: str) -> QWidget | None:
    """The visible top-level window (dialog, message box) with this object name."""
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == name and widget.isVisible():
            return widget
    return None


def wait_window(qtbot, name: str) -> QWidget:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: find_window(name) is not None)
    found = find_window(name)
    assert found is not None
    return found


def child(parent: QWidget, cls: type, name: str):  # type: ignore[no-untyped-def]
    found = parent.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name}"
    return found


def ok_of(dialog: QWidget) -> QAbstractButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button


def answer_error(qtbot) -> str:  # type: ignore[no-untyped-def]
    """Read and dismiss the refusal message; return its text."""
    box = wait_window(qtbot, "domainErrorBox")
    assert isinstance(box, QMessageBox)
    text = box.text()
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: find_window("domainErrorBox") is None)
    return text


def assert_all_named(top: QWidget) -> None:
    """Every widget the keyboard can reach has an object name and an accessible name."""
    for widget in [top, *top.findChildren(QWidget)]:
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        ancestor = widget.parentWidget()
        while (
            ancestor is not None
            and ancestor.metaObject().className() != "QComboBoxPrivateContainer"
        ):
            ancestor = ancestor.parentWidget()
        if ancestor is not None:
            continue  # the combo box's own popup list, named by the combo box
        assert widget.objectName(), widget
        assert widget.accessibleName(), widget.objectName()


def log_case(store: Store, *, days_ago: int = 5, **kwargs: object) -> int:
    detail = cases.log_request(
        store,
        RequesterDetails(
            name=str(kwargs.pop("name", "Jürgen Müller")),
            email=str(kwargs.pop("email", "jurgen@example.org")),
            postal_address="1 High Street\nLeeds\nLS1 4AP",
        ),
        request_type=kwargs.pop("request_type", RequestType.ACCESS),  # type: ignore[arg-type]
        channel=Channel.EMAIL,
        on=TODAY - timedelta(days=days_ago),
        description="Everything you hold about me.",
        today=TODAY,
    )
    return detail.id


# ---------------------------------------------------------------------------------------


@pytest.fixture
def signals() -> StoreSignals:
    return StoreSignals()


@pytest.fixture
def view(qtbot, store: Store, signals: StoreSignals) -> CaseView:  # type: ignore[no-untyped-def]
    save_settings(store, ORG)  # the letterhead: pausing makes the clarification letter
    widget = CaseView(store, signals, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(900, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def timeline_kinds(view: CaseView) -> list[str]:
    return [entry.kind for entry in view.timeline_model.entries()]


def run_date_step(qtbot, view: CaseView, action: Callable[[], None], on: date) -> QDialog:  # type: ignore[no-untyped-def]
    action()
    prompt = wait_window(qtbot, "datePromptDialog")
    edit = child(prompt, QDateEdit, "promptDateEdit")
    assert from_qdate(edit.date()) == TODAY  # today by default
    assert from_qdate(edit.maximumDate()) == TODAY  # never a future date
    edit.setDate(to_qdate(on))
    ok_of(prompt).click()
    return prompt


def run_text_step(  # type: ignore[no-untyped-def]
    qtbot, action: Callable[[], None], prefix: str, on: date, text: str
) -> QDialog:
    """The identity or clarification step: a date and the text its letter prints."""
    action()
    dialog = wait_window(qtbot, f"{prefix}Dialog")
    edit = child(dialog, QDateEdit, f"{prefix}DateEdit")
    assert from_qdate(edit.date()) == TODAY
    edit.setDate(to_qdate(on))
    assert not ok_of(dialog).isEnabled()  # the letter needs the text
    child(dialog, QPlainTextEdit, f"{prefix}TextEdit").setPlainText(text)
    assert ok_of(dialog).isEnabled()
    ok_of(dialog).click()
    return dialog


def test_empty_state_has_no_actions(view: CaseView) -> None:
    view.show_case(None)
    assert view.stack.currentWidget() is view.empty_label
    assert not any(action.isEnabled() for action in view.case_actions())
    assert not any(action.isEnabled() for action in view.toolbar.actions())  # extensions too


def test_shows_the_case_with_user_data_as_plain_text(view: CaseView, store: Store) -> None:
    case_id = log_case(store, name=NAME)
    view.show_case(case_id)
    detail = cases.get_case(store, case_id)
    assert view.requester_label.text() == NAME
    assert view.requester_label.textFormat() == Qt.TextFormat.PlainText
    assert view.detail_labels["name"].text() == NAME
    # A right-to-left name (NAME ends in Arabic) stays beside its caption, not at the far edge.
    for label in (view.requester_label, view.detail_labels["name"]):
        assert label.alignment() & Qt.AlignmentFlag.AlignAbsolute
        assert label.alignment() & Qt.AlignmentFlag.AlignLeft
    status = view.findChild(QLabel, "statusLabel")
    assert status is not None and status.text() == "Open"
    due = view.findChild(QLabel, "dueDateLabel")
    assert due is not None
    assert uk_date(detail.effective_due) in due.text()
    assert days_phrase(detail.days_left(TODAY)) in due.text()
    assert view.statutory_label.text() == uk_date(detail.statutory_due)
    assert view.promised_label.text() == uk_date(detail.promised_due)
    assert view.timeline_model.rowCount() == 1
    assert view.timeline_view.objectName() == "timelineView"


def test_identity_requested_then_received(qtbot, view: CaseView, store: Store) -> None:  # type: ignore[no-untyped-def]
    case_id = log_case(store, days_ago=10)
    view.show_case(case_id)
    assert view.action_identity.text() == "Request &ID…"
    run_text_step(
        qtbot,
        view.action_identity.trigger,
        "identity",
        TODAY - timedelta(days=8),
        "The email address is new to us.",
    )
    qtbot.waitUntil(lambda: view.detail.status is Status.AWAITING_IDENTITY)
    assert cases.get_case(store, case_id).status is Status.AWAITING_IDENTITY
    assert view.status_label.text() == Status.AWAITING_IDENTITY.label
    assert view.action_identity.text() == "&ID received…"
    # No deadline counted from the receipt while the period waits for the ID.
    for label in (view.statutory_label, view.promised_label, view.notice_label):
        assert label.text() == "Not started"
    assert not view.action_clock.isEnabled() and not view.action_extend.isEnabled()
    assert timeline_kinds(view)[-1] == EventKind.IDENTITY_REQUESTED

    run_date_step(qtbot, view, view.action_identity.trigger, TODAY - timedelta(days=2))
    qtbot.waitUntil(lambda: view.detail.status is Status.OPEN)
    detail = cases.get_case(store, case_id)
    assert detail.clock_start == TODAY - timedelta(days=2)
    assert timeline_kinds(view)[-1] == EventKind.IDENTITY_RECEIVED
    assert uk_date(detail.effective_due) in view.due_label.text()
    assert view.statutory_label.text() == uk_date(detail.statutory_due)


def test_pause_and_resume_the_clock(qtbot, view: CaseView, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    case_id = log_case(store, days_ago=10)
    view.show_case(case_id)
    before = cases.get_case(store, case_id)
    with qtbot.waitSignal(signals.case_changed) as blocker:
        run_text_step(
            qtbot,
            view.action_clock.trigger,
            "clarification",
            TODAY - timedelta(days=6),
            "Which of your two accounts do you mean?",
        )
    assert blocker.args == [case_id]
    paused = cases.get_case(store, case_id)
    assert paused.status is Status.AWAITING_CLARIFICATION
    assert paused.clarification_question == "Which of your two accounts do you mean?"
    # The letter was made in the same step, dated the day the clock stopped.
    [letter] = list_letters(store, case_id)
    assert letter.stage == "clarification_request"
    text = " ".join(pdf_text(letter_pdf(store, letter.id)).split())
    assert "Which of your two accounts do you mean?" in text
    assert uk_long_date(TODAY - timedelta(days=6)) in text
    assert view.action_clock.text() == "Clarification &received…"
    assert view.action_clock.iconText() == "Resume clock"  # the toolbar's pair to "Pause clock"
    assert "clock is stopped" in view.due_label.text()

    run_date_step(qtbot, view, view.action_clock.trigger, TODAY - timedelta(days=2))
    qtbot.waitUntil(lambda: view.detail.status is Status.OPEN)
    after = cases.get_case(store, case_id)
    assert after.pauses == (5,)
    assert after.statutory_due > before.statutory_due
    assert timeline_kinds(view)[-3:] == [
        EventKind.CLARIFICATION_REQUESTED,
        EventKind.LETTER_GENERATED,  # the letter asking the question, made in the same step
        EventKind.CLARIFICATION_RECEIVED,
    ]


def test_extension_refuses_empty_reason_and_shows_the_new_deadline(  # type: ignore[no-untyped-def]
    qtbot, view: CaseView, store: Store
) -> None:
    case_id = log_case(store, days_ago=5)
    view.show_case(case_id)
    detail = cases.get_case(store, case_id)
    view.action_extend.trigger()
    dialog = wait_window(qtbot, "extensionDialog")
    reason = child(dialog, QPlainTextEdit, "extensionReasonEdit")
    months = child(dialog, QComboBox, "extensionMonthsCombo")
    shown = child(dialog, QLabel, "extensionNewDeadlineLabel")
    assert not ok_of(dialog).isEnabled()
    assert child(dialog, QLabel, "extensionReasonError").isVisible()
    assert [months.itemData(i) for i in range(months.count())] == [1, 2]

    months.setCurrentIndex(0)
    assert uk_date(extended_deadline(detail, 1)) in shown.text()
    months.setCurrentIndex(1)
    two_months = extended_deadline(detail, 2)
    assert uk_date(two_months) in shown.text()
    assert cases.get_case(store, case_id).version == detail.version  # nothing written yet

    reason.setPlainText("   ")
    assert not ok_of(dialog).isEnabled()
    reason.setPlainText("Ten years of records across several systems.")
    assert ok_of(dialog).isEnabled()
    ok_of(dialog).click()
    qtbot.waitUntil(lambda: view.detail.extension_months == 2)
    after = cases.get_case(store, case_id)
    assert after.effective_due == two_months
    assert after.extension_reason == "Ten years of records across several systems."
    assert timeline_kinds(view)[-1] == EventKind.EXTENDED
    assert not view.action_extend.isEnabled()  # two further months is the most the law allows
    assert not dialog.isVisible()


def test_close_needs_a_ground_when_refused_then_reopen(qtbot, view: CaseView, store: Store) -> None:  # type: ignore[no-untyped-def]
    case_id = log_case(store)
    view.show_case(case_id)
    view.action_close.trigger()
    dialog = wait_window(qtbot, "closeDialog")
    outcome = child(dialog, QComboBox, "outcomeCombo")
    ground = child(dialog, QPlainTextEdit, "groundEdit")
    outcome.setCurrentIndex(outcome.findData(Outcome.REFUSED.value))
    assert not ok_of(dialog).isEnabled()
    assert child(dialog, QLabel, "groundError").isVisible()
    ground.setPlainText("Manifestly unfounded: the requester offered to withdraw for payment.")
    assert not ok_of(dialog).isEnabled()  # the legal basis is still to choose
    assert child(dialog, QLabel, "groundBasisError").isVisible()
    basis = child(dialog, QComboBox, "groundBasisCombo")
    assert [basis.itemData(i) for i in range(1, basis.count())] == [
        "manifestly_unfounded",
        "manifestly_excessive",
        "exemption",
        "third_party",
    ]
    basis.setCurrentIndex(basis.findData(GroundBasis.MANIFESTLY_UNFOUNDED.value))
    assert ok_of(dialog).isEnabled()
    ok_of(dialog).click()
    qtbot.waitUntil(lambda: view.detail.status is Status.CLOSED)
    detail = cases.get_case(store, case_id)
    assert detail.outcome is Outcome.REFUSED
    assert detail.ground.startswith("Manifestly unfounded")
    assert detail.ground_basis == "manifestly_unfounded"
    assert view.status_label.text() == "Closed"
    enabled = {a.objectName() for a in view.case_actions() if a.isEnabled()}
    assert enabled == {"actionReopen", "actionAddNote", "actionEditRequester"}

    view.action_reopen.trigger()
    reopen = wait_window(qtbot, "reopenDialog")
    child(reopen, QPlainTextEdit, "noteEdit").setPlainText("The requester sent new details.")
    ok_of(reopen).click()
    qtbot.waitUntil(lambda: view.detail.status is Status.OPEN)
    assert timeline_kinds(view)[-2:] == [EventKind.CLOSED, EventKind.REOPENED]
    assert cases.get_case(store, case_id).outcome is None


@pytest.mark.parametrize(
    ("request_type", "example", "absent"),
    [
        (RequestType.ERASURE, "Article 17(3)", None),
        (RequestType.ACCESS, "Schedule 2", "17(3)"),
        (RequestType.RECTIFICATION, "provision", "17(3)"),
    ],
)
def test_close_ground_example_fits_the_request_type(  # type: ignore[no-untyped-def]
    qtbot, view: CaseView, store: Store, request_type: RequestType, example: str, absent: str | None
) -> None:
    """Article 17(3) is an erasure exemption: suggesting it for other requests misleads."""
    view.show_case(log_case(store, request_type=request_type))
    view.action_close.trigger()
    dialog = wait_window(qtbot, "closeDialog")
    hint = child(dialog, QPlainTextEdit, "groundEdit").placeholderText()
    assert example in hint
    assert absent is None or absent not in hint
    dialog.reject()


def test_marketing_opt_out_shows_its_next_working_day_target_not_the_promise(
    view: CaseView, store: Store
) -> None:
    case_id = log_case(store, request_type=RequestType.MARKETING_OPT_OUT, days_ago=1)
    view.show_case(case_id)
    detail = cases.get_case(store, case_id)
    assert view.promised_caption.text() == "Target (next working day)"
    assert view.promised_label.accessibleName() == "Target (next working day)"
    assert view.promised_label.text() == uk_date(detail.promised_due)
    assert not view.action_extend.isEnabled()  # actioned at once, never extended
    assert "never extended" in view.action_extend.toolTip()
    view.show_case(log_case(store, request_type=RequestType.ACCESS))
    assert view.promised_caption.text() == f"Promised ({detail.promise_days} days)"
    assert view.action_extend.isEnabled()


def test_requester_dialog_grows_so_a_two_line_error_is_not_cut_off(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = RequesterDialog(None, RequesterDetails(name="Ann", email="ann@example.org"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.form.name_edit.clear()
    dialog.form.email_edit.setText("ann@")  # its error wraps onto two lines
    QApplication.processEvents()  # let the layout settle, as it does on screen
    error = dialog.form.email_error
    assert error.isVisible()
    assert error.height() >= error.heightForWidth(error.width())
    below = dialog.form.address_edit
    assert error.geometry().bottom() < below.geometry().top()  # nothing lies over the field
    name_error = dialog.form.name_error
    assert name_error.geometry().bottom() < dialog.form.email_edit.geometry().top()


def test_add_note_and_edit_requester(qtbot, view: CaseView, store: Store) -> None:  # type: ignore[no-untyped-def]
    case_id = log_case(store)
    view.show_case(case_id)
    view.action_note.trigger()
    note = wait_window(qtbot, "noteDialog")
    assert not ok_of(note).isEnabled()  # an empty note is refused
    child(note, QPlainTextEdit, "noteEdit").setPlainText("Called <i>them</i> & agreed scope")
    ok_of(note).click()
    qtbot.waitUntil(lambda: view.notes_model.rowCount() == 1)
    assert view.notes_model.entries()[0].summary == "Called <i>them</i> & agreed scope"

    view.action_requester.trigger()
    dialog = wait_window(qtbot, "requesterDialog")
    email = dialog.findChild(QWidget, "requesterEmailEdit")
    email.setText("not an email")  # type: ignore[attr-defined]
    assert not ok_of(dialog).isEnabled()
    assert child(dialog, QLabel, "requesterEmailError").isVisible()
    email.setText("ann@example.co.uk")  # type: ignore[attr-defined]
    dialog.findChild(QWidget, "requesterNameEdit").setText(NAME)  # type: ignore[attr-defined]
    ok_of(dialog).click()
    qtbot.waitUntil(lambda: view.detail.requester.name == NAME)
    detail = cases.get_case(store, case_id)
    assert (detail.requester.name, detail.requester.email) == (NAME, "ann@example.co.uk")
    assert view.requester_label.text() == NAME
    assert timeline_kinds(view)[-1] == EventKind.REQUESTER_UPDATED


def test_refused_pause_says_why_and_changes_nothing(qtbot, view: CaseView, store: Store) -> None:  # type: ignore[no-untyped-def]
    case_id = log_case(store, days_ago=45)  # overdue: the period has ended
    view.show_case(case_id)
    before = cases.get_case(store, case_id)
    assert view.action_clock.isEnabled()
    prompt = run_text_step(qtbot, view.action_clock.trigger, "clarification", TODAY, "Which?")
    message = answer_error(qtbot)
    assert "the clock can no longer be paused" in message
    assert prompt.isVisible()  # still open with what was chosen
    assert cases.get_case(store, case_id) == before
    assert len(cases.timeline(store, case_id)) == 1
    assert list_letters(store, case_id) == []  # no letter without its pause
    prompt.reject()


def test_change_made_elsewhere_is_not_overwritten(qtbot, view: CaseView, store: Store) -> None:  # type: ignore[no-untyped-def]
    case_id = log_case(store)
    view.show_case(case_id)
    cases.add_note(store, case_id, "Written in another window.")  # no signal: unseen here
    prompt = run_text_step(qtbot, view.action_clock.trigger, "clarification", TODAY, "Which?")
    assert "changed elsewhere" in answer_error(qtbot)
    assert cases.get_case(store, case_id).status is Status.OPEN
    assert timeline_kinds(view)[-1] == EventKind.NOTE  # the view reloaded
    ok_of(prompt).click()  # trying again, now on the fresh version, works
    qtbot.waitUntil(lambda: view.detail.status is Status.AWAITING_CLARIFICATION)


def test_reloads_when_another_view_changes_the_case(view: CaseView, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    case_id = log_case(store)
    view.show_case(case_id)
    finish_search_record(store, case_id, on=TODAY)
    cases.close(store, case_id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    signals.case_changed.emit(case_id)
    assert view.status_label.text() == "Closed"
    assert "in time" in view.due_label.text()


def test_toolbar_buttons_are_named_and_reachable(view: CaseView, store: Store) -> None:
    view.show_case(log_case(store))
    for action in view.case_actions():
        button = view.toolbar.widgetForAction(action)
        assert button is not None
        assert button.objectName() == f"{action.objectName()}Button"
        assert button.accessibleName()
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert not action.shortcut().isEmpty()


def test_timeline_model_passes_the_model_tester(qtmodeltester, store: Store) -> None:  # type: ignore[no-untyped-def]
    case_id = log_case(store, name=NAME)
    cases.add_note(store, case_id, "<script>x</script>")
    model = TimelineModel()
    model.set_entries(cases.timeline(store, case_id))
    qtmodeltester.check(model)
    what = model.index(1, TimelineModel.WHAT)
    assert model.data(what) == "<script>x</script>"
    assert "&lt;script&gt;" in model.data(what, Qt.ItemDataRole.ToolTipRole)


def test_timeline_labels_every_kind_and_says_the_clock_resumes() -> None:
    """After a clarification the period continues (Art. 12A); it restarts only for ID."""
    assert kind_label(EventKind.CLARIFICATION_RECEIVED) == "Clock resumed"
    for kind in EventKind:
        assert "_" not in kind_label(kind), kind


def test_every_focusable_widget_is_named(qtbot, view: CaseView, store: Store) -> None:  # type: ignore[no-untyped-def]
    case_id = log_case(store)
    view.show_case(case_id)
    assert_all_named(view)
    for action, name in (
        (view.action_identity, "identityDialog"),
        (view.action_clock, "clarificationDialog"),
        (view.action_extend, "extensionDialog"),
        (view.action_close, "closeDialog"),
        (view.action_note, "noteDialog"),
        (view.action_requester, "requesterDialog"),
    ):
        action.trigger()
        dialog = wait_window(qtbot, name)
        assert_all_named(dialog)
        dialog.reject()
        qtbot.waitUntil(lambda name=name: find_window(name) is None)


def test_days_left_follow_the_date_overnight(qtbot, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    day = [TODAY]
    view = CaseView(store, signals, today=lambda: day[0])
    qtbot.addWidget(view)
    case_id = log_case(store, days_ago=5)
    view.show_case(case_id)
    detail = cases.get_case(store, case_id)
    assert days_phrase(detail.days_left(TODAY)) in view.due_label.text()
    day[0] = TODAY + timedelta(days=1)
    view._day_timer.timeout.emit()  # the once-a-minute check
    assert days_phrase(detail.days_left(TODAY + timedelta(days=1))) in view.due_label.text()


def test_disabled_actions_say_why(view: CaseView, store: Store) -> None:
    late = log_case(store, days_ago=45)
    view.show_case(late)
    notice_by = cases.get_case(store, late).extension_notice_by
    assert not view.action_extend.isEnabled()
    assert view.action_extend.toolTip() == (
        f"Too late to extend: the requester had to be told by {uk_date(notice_by)}."
    )
    assert view.action_reopen.toolTip() == "Only a closed case can be reopened."
    assert view.action_clock.isEnabled()
    assert view.action_clock.toolTip() == "Pause for clarification… (Ctrl+Shift+P)"
    view.show_case(None)
    assert view.action_note.toolTip() == "Select a case first."


def test_keyboard_reaches_every_step_along_the_toolbar(qtbot, view: CaseView, store: Store) -> None:  # type: ignore[no-untyped-def]
    view.show_case(log_case(store))
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.setFocus()
    view.focusNextChild()  # what the main window does when a case is opened with Enter
    seen = []
    for _ in range(20):
        focused = QApplication.focusWidget()
        if focused.objectName() in seen:
            break
        seen.append(focused.objectName())
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    buttons = [f"{a.objectName()}Button" for a in view.toolbar.actions() if a.isEnabled()]
    assert seen[: len(buttons)] == buttons  # the toolbar first, in order
    assert seen[len(buttons) :][:2] == ["caseTabBar", "timelineView"]
    clock = view.toolbar.widgetForAction(view.action_clock)
    clock.setFocus()
    qtbot.keyClick(clock, Qt.Key.Key_Space)  # a focused button is pressed with Space
    prompt = wait_window(qtbot, "clarificationDialog")
    prompt.reject()

"""The intake dialog against a real store, driven by object names like a user would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app import attachments, cases
from app.domain import Channel, EventKind, RequestType
from app.formatting import uk_date
from app.readmodels import IntakeDraft
from app.settings import OrgSettings, save_settings
from app.store import Store
from app.validation import email_problem
from tests.conftest import TODAY
from tests.ui.test_case_view import assert_all_named, child, log_case, ok_of
from ui.forms import from_qdate, to_qdate
from ui.intake_dialog import IntakeDialog
from ui.signals import StoreSignals

NAME = "<b>Ann</b> & Co — آن الحسيني 😀"


@pytest.fixture
def signals() -> StoreSignals:
    return StoreSignals()


def make_dialog(qtbot, store: Store, signals: StoreSignals, draft: IntakeDraft | None = None):  # type: ignore[no-untyped-def]
    dialog = IntakeDialog(store, signals, draft=draft, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def fill_valid(dialog: IntakeDialog, qtbot, *, email: str = "ann@example.co.uk") -> None:  # type: ignore[no-untyped-def]
    child(dialog, QLineEdit, "requesterNameEdit").setText(NAME)
    qtbot.keyClicks(child(dialog, QLineEdit, "requesterEmailEdit"), email)
    child(dialog, QPlainTextEdit, "requesterAddressEdit").setPlainText("1 Queen St\nCardiff\nCF10")
    child(dialog, QLineEdit, "requesterPhoneEdit").setText("07700 900123")
    kinds = child(dialog, QComboBox, "requestTypeCombo")
    kinds.setCurrentIndex(kinds.findData(RequestType.ERASURE.value))
    channels = child(dialog, QComboBox, "channelCombo")
    channels.setCurrentIndex(channels.findData(Channel.WEB_FORM.value))
    child(dialog, QPlainTextEdit, "detailsEdit").setPlainText("Delete my account <now> & all.")


def test_defaults_and_names(qtbot, store: Store, signals: StoreSignals) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, store, signals)
    assert dialog.objectName() == "intakeDialog"
    received = child(dialog, QDateEdit, "receivedDateEdit")
    assert from_qdate(received.date()) == TODAY
    assert received.displayFormat() == "ddd d MMM yyyy"
    assert received.text() == "Wed 25 Nov 2026"
    assert not ok_of(dialog).isEnabled()  # no name yet
    assert child(dialog, QLabel, "requesterNameError").isVisible()
    for name in (
        "requesterNameEdit",
        "requesterEmailEdit",
        "requesterAddressEdit",
        "requesterPhoneEdit",
        "requestTypeCombo",
        "channelCombo",
        "receivedDateEdit",
        "detailsEdit",
        "identityRequiredCheck",
    ):
        widget = dialog.findChild(object, name)
        assert widget is not None and widget.accessibleName(), name
    assert_all_named(dialog)
    for name in ("requesterNameEdit", "requesterEmailEdit", "receivedDateEdit"):
        field = dialog.findChild(QWidget, name)
        hit = dialog.childAt(field.mapTo(dialog, field.rect().center()))
        assert hit is field or field.isAncestorOf(hit), name  # nothing lies over the field
    for label in dialog.findChildren(QLabel):
        if label.buddy() is not None and label.isVisible():
            assert dialog.childAt(label.mapTo(dialog, label.rect().center())) is label
    channels = child(dialog, QComboBox, "channelCombo")
    assert [channels.itemText(i) for i in range(channels.count())] == [
        "Email",
        "Post",
        "Phone",
        "Web form",
        "In person",
    ]


def test_invalid_email_is_refused_next_to_the_field(qtbot, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, store, signals)
    fill_valid(dialog, qtbot, email="ann@example")
    error = child(dialog, QLabel, "requesterEmailError")
    assert error.isVisible()
    assert error.text() == email_problem("ann@example")
    assert not ok_of(dialog).isEnabled()
    qtbot.keyClicks(child(dialog, QLineEdit, "requesterEmailEdit"), ".co.uk")
    assert not error.isVisible()
    assert ok_of(dialog).isEnabled()


def test_future_date_is_refused(qtbot, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, store, signals)
    received = child(dialog, QDateEdit, "receivedDateEdit")
    assert from_qdate(received.maximumDate()) == TODAY
    received.setDate(to_qdate(TODAY + timedelta(days=1)))
    assert from_qdate(received.date()) == TODAY
    received.setFocus()
    qtbot.keyClick(received, Qt.Key.Key_Up)  # step the day forward with the keyboard
    assert from_qdate(received.date()) == TODAY
    qtbot.keyClick(received, Qt.Key.Key_Down)
    assert from_qdate(received.date()) == TODAY - timedelta(days=1)


def test_draft_dated_in_the_future_is_not_accepted(qtbot, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    draft = IntakeDraft(name="Ann", email="ann@example.org", received_on=TODAY + timedelta(1))
    dialog = make_dialog(qtbot, store, signals, draft)
    problems = child(dialog, QLabel, "draftProblemsLabel")
    assert problems.isVisible() and "in the future" in problems.text()
    assert uk_date(TODAY + timedelta(1)) in problems.text()  # dates as the UK writes them
    assert child(dialog, QLabel, "receivedDateError").text() == (
        "Enter the date the request was received."
    )
    assert not ok_of(dialog).isEnabled()


def test_logs_the_case_exactly_as_typed(qtbot, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, store, signals)
    fill_valid(dialog, qtbot)
    child(dialog, QDateEdit, "receivedDateEdit").setDate(to_qdate(TODAY - timedelta(days=3)))
    child(dialog, QCheckBox, "identityRequiredCheck").setChecked(True)
    assert ok_of(dialog).isEnabled()
    with qtbot.waitSignal(signals.cases_changed), qtbot.waitSignal(signals.case_changed):
        ok_of(dialog).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    detail = cases.get_case(store, dialog.created_case_id)
    assert detail.requester.name == NAME
    assert detail.requester.email == "ann@example.co.uk"
    assert detail.requester.postal_address == "1 Queen St\nCardiff\nCF10"
    assert detail.requester.phone == "07700 900123"
    assert detail.request_type is RequestType.ERASURE
    assert detail.channel is Channel.WEB_FORM
    assert detail.received_on == TODAY - timedelta(days=3)
    assert detail.description == "Delete my account <now> & all."
    assert detail.identity_required
    assert [e.kind for e in cases.timeline(store, detail.id)] == [EventKind.LOGGED]


def test_open_case_from_the_same_email_is_linked(qtbot, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    existing = log_case(store, email="Ann@Example.co.uk")
    reference = cases.get_case(store, existing).reference
    dialog = make_dialog(qtbot, store, signals)
    warning = child(dialog, QLabel, "duplicateCaseLabel")
    assert not warning.isVisible()
    fill_valid(dialog, qtbot, email="ann@example.co.uk")
    assert warning.isVisible()
    assert reference in warning.text()
    assert dialog.duplicate_case_ids() == [existing]
    assert ok_of(dialog).isEnabled()  # a warning, not a refusal
    href = f"case:{existing}"
    assert f'href="{href}"' in warning.text()
    with qtbot.waitSignal(dialog.openCaseRequested) as blocker:
        warning.linkActivated.emit(href)
    assert blocker.args == [existing]


def test_draft_problems_shown_and_fields_left_empty(qtbot, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    draft = IntakeDraft(
        name="Zoë Adeyemi",
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        description="Please send me my data.",
        problems=("No sender address", "No date"),
    )
    dialog = make_dialog(qtbot, store, signals, draft)
    problems = child(dialog, QLabel, "draftProblemsLabel")
    assert problems.isVisible()
    assert "No sender address" in problems.text() and "No date" in problems.text()
    assert child(dialog, QLineEdit, "requesterEmailEdit").text() == ""
    received = child(dialog, QDateEdit, "receivedDateEdit")
    assert received.text() == received.specialValueText()  # "not set", not invented
    assert not ok_of(dialog).isEnabled()
    assert child(dialog, QLineEdit, "requesterNameEdit").text() == "Zoë Adeyemi"
    received.setDate(to_qdate(TODAY - timedelta(days=1)))
    assert ok_of(dialog).isEnabled()


def test_draft_original_is_kept_with_the_case(qtbot, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    original = b"From: ann@example.co.uk\r\nSubject: SAR\r\n\r\nPlease send my data.\r\n"
    draft = IntakeDraft(
        name="Ann",
        email="ann@example.co.uk",
        received_on=TODAY,
        original=original,
        original_filename="request.eml",
        original_mime_type="message/rfc822",
    )
    dialog = make_dialog(qtbot, store, signals, draft)
    ok_of(dialog).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    kept = attachments.list_attachments(store, dialog.created_case_id)
    assert [(a.filename, a.kind) for a in kept] == [("request.eml", "email_original")]
    assert attachments.attachment_content(store, kept[0].id) == original


def test_refused_original_logs_nothing(qtbot, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    # An original over the attachment limit: the case and its email are one transaction.
    save_settings(store, OrgSettings(attachment_limit_mb=1))
    draft = IntakeDraft(
        name="Ann",
        email="ann@example.co.uk",
        received_on=TODAY,
        original=b"x" * (1024 * 1024 + 1),
        original_filename="huge.eml",
    )
    dialog = make_dialog(qtbot, store, signals, draft)
    ok_of(dialog).click()
    assert dialog.isVisible()
    error = child(dialog, QLabel, "intakeErrorLabel")
    assert error.isVisible() and "over the limit of 1 MB" in error.text()
    assert dialog.created_case_id == 0
    assert cases.open_cases_for_email(store, "ann@example.co.uk") == []
    name = child(dialog, QLineEdit, "requesterNameEdit")
    assert name.isEnabled() and name.text() == "Ann"  # nothing typed is lost


def test_keyboard_only_intake(qtbot, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, store, signals)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # shortcuts and mnemonics need an active window
    order = []
    for text in ("Ann Jones", "ann@example.org", "1 Mill Road", "07700 900456"):
        focused = dialog.focusWidget()
        order.append(focused.objectName())
        qtbot.keyClicks(focused, text)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert order == [
        "requesterNameEdit",
        "requesterEmailEdit",
        "requesterAddressEdit",
        "requesterPhoneEdit",
    ]
    assert dialog.focusWidget().objectName() == "requestTypeCombo"
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Down)  # next request type
    assert child(dialog, QComboBox, "requestTypeCombo").currentData() == "rectification"
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget().objectName() == "channelCombo"
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget().objectName() == "receivedDateEdit"
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget().objectName() == "detailsEdit"  # the label's mnemonic, &Details
    qtbot.keyClicks(dialog.focusWidget(), "Correct my address")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    identity = child(dialog, QCheckBox, "identityRequiredCheck")
    qtbot.waitUntil(identity.isChecked)  # &Identity: a mnemonic "animates" the click
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # default button: Log request
    assert dialog.result() == QDialog.DialogCode.Accepted
    detail = cases.get_case(store, dialog.created_case_id)
    assert detail.requester.postal_address == "1 Mill Road"
    assert detail.description == "Correct my address"
    assert detail.identity_required
    assert detail.request_type is RequestType.RECTIFICATION


def test_linked_case_opens_from_the_keyboard(qtbot, store: Store, signals) -> None:  # type: ignore[no-untyped-def]
    existing = log_case(store, email="ann@example.co.uk")
    dialog = make_dialog(qtbot, store, signals)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    email = child(dialog, QLineEdit, "requesterEmailEdit")
    email.setFocus()
    qtbot.keyClicks(email, "ann@example.co.uk")
    qtbot.keyClick(email, Qt.Key.Key_Tab)
    assert dialog.focusWidget().objectName() == "duplicateCaseLabel"
    with qtbot.waitSignal(dialog.openCaseRequested) as blocker:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert blocker.args == [existing]
    assert dialog.isVisible()  # Enter on the link opens it; it does not log the request
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget().objectName() == "requesterAddressEdit"  # and Tab moves on


def test_errors_appearing_later_grow_the_dialog_instead_of_covering_fields(
    qtbot, store: Store, signals
) -> None:  # type: ignore[no-untyped-def]
    draft = IntakeDraft(name="Ann", email="ann@example.org", received_on=TODAY)
    dialog = make_dialog(qtbot, store, signals, draft)  # valid: no error lines yet
    child(dialog, QLineEdit, "requesterNameEdit").clear()
    child(dialog, QLineEdit, "requesterEmailEdit").setText("ann@")
    child(dialog, QLineEdit, "requesterPhoneEdit").setText("a\x01b")
    child(dialog, QPlainTextEdit, "detailsEdit").setPlainText("x\x02")
    QApplication.processEvents()
    pairs = [
        ("requesterNameError", "requesterEmailEdit"),
        ("requesterEmailError", "requesterAddressEdit"),
        ("requesterPhoneError", "requestTypeCombo"),
        ("detailsError", "identityRequiredCheck"),
    ]
    for error_name, below_name in pairs:
        error = child(dialog, QLabel, error_name)
        below = dialog.findChild(QWidget, below_name)
        assert error.isVisible() and below is not None
        assert error.height() >= error.heightForWidth(error.width()), error_name
        top_of_below = below.mapTo(dialog, below.rect().topLeft()).y()
        assert error.mapTo(dialog, error.rect().bottomLeft()).y() < top_of_below, error_name
    details = child(dialog, QPlainTextEdit, "detailsEdit")
    details_error = child(dialog, QLabel, "detailsError")
    assert (
        details.mapTo(dialog, details.rect().bottomLeft()).y()
        < details_error.mapTo(dialog, details_error.rect().topLeft()).y()
    )

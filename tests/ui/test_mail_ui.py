"""The mail dialogs on a real store, sending to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import os
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.cases import timeline
from app.domain import EventKind
from app.letters.records import get_letter
from app.mail.compose import body_template
from app.mail.settings import load_mail_settings
from app.store import Store
from tests.mail import conftest as mail
from tests.raw import raw_rows
from ui.mail_settings_dialog import MailSettingsDialog
from ui.send_mail_dialog import SendMailDialog
from ui.signals import StoreSignals

# Fixtures shared with tests/mail (a real aiosmtpd server, an in-memory keyring).
memory_keyring = mail.memory_keyring
no_keyring = mail.no_keyring
plain_server = mail.plain_server
auth_server = mail.auth_server
starttls_server = mail.starttls_server
ca = mail.ca
ca_file = mail.ca_file

# Screenshots for a human to look at, only when asked: DSAR_SCREENSHOTS=/some/folder.
SHOTS = Path(os.environ.get("DSAR_SCREENSHOTS", "/nonexistent-screenshots-folder"))


@pytest.fixture
def signals() -> StoreSignals:
    return StoreSignals()


def child(widget, kind, name):  # type: ignore[no-untyped-def]
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS.is_dir():
        QApplication.processEvents()  # let a pending re-layout happen before the grab
        widget.grab().save(str(SHOTS / name))


def _send_dialog(qtbot, store: Store, signals: StoreSignals, setup) -> SendMailDialog:  # type: ignore[no-untyped-def]
    dialog = SendMailDialog(store, setup.letter.id, signals)
    qtbot.addWidget(dialog)
    dialog.open_saved_drafts = False
    dialog.resize(680, 560)
    dialog.show()
    return dialog


def test_send_dialog_sends_off_the_ui_thread(
    qtbot, store: Store, signals: StoreSignals, plain_server: mail.Server
) -> None:  # type: ignore[no-untyped-def]
    setup = mail.case_with_letter(store)
    mail.configure(store, mail.settings_for(plain_server))
    dialog = _send_dialog(qtbot, store, signals, setup)
    to = child(dialog, QLineEdit, "mailToEdit")
    assert to.text() == "zoe.o'brien@example.org"
    subject = child(dialog, QLineEdit, "mailSubjectEdit")
    assert setup.case.reference in subject.text()
    body = child(dialog, QPlainTextEdit, "mailBodyEdit")
    assert "Dear Zoë O'Brien," in body.toPlainText()
    assert not child(dialog, QLineEdit, "mailPasswordEdit").isVisible()
    for name in (
        "mailToEdit",
        "mailSubjectEdit",
        "mailBodyEdit",
        "sendMailButton",
        "saveDraftButton",
    ):
        assert dialog.findChild(object, name).accessibleName()
    _shot(dialog, "mail-send-dialog.png")

    to.setText("requester@example.net")
    body.setPlainText("Edited text.\nSecond line.")
    changed: list[int] = []
    signals.case_changed.connect(changed.append)
    with qtbot.waitSignal(dialog.sendFinished, timeout=20000) as blocker:
        qtbot.mouseClick(child(dialog, QPushButton, "sendMailButton"), Qt.MouseButton.LeftButton)
        # The click returned before the server answered: the window was never blocked.
        assert not child(dialog, QPushButton, "sendMailButton").isEnabled()
        assert child(dialog, QLabel, "mailStatusLabel").text() == (
            "Sending to requester@example.net…"
        )
    result = blocker.args[0]
    assert result.sent
    assert (
        child(dialog, QLabel, "mailStatusLabel").text().startswith("Sent to requester@example.net.")
    )
    assert changed == [setup.case.id]
    [message] = plain_server.recorder.messages()
    assert message["To"] == "requester@example.net"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text == "Edited text.\nSecond line.\n"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content() == setup.pdf
    assert get_letter(store, setup.letter.id).emailed_to == "requester@example.net"
    _shot(dialog, "mail-send-dialog-sent.png")


def test_invalid_recipient_disables_send(
    qtbot, store: Store, signals: StoreSignals, plain_server: mail.Server
) -> None:  # type: ignore[no-untyped-def]
    setup = mail.case_with_letter(store)
    mail.configure(store, mail.settings_for(plain_server))
    dialog = _send_dialog(qtbot, store, signals, setup)
    to = child(dialog, QLineEdit, "mailToEdit")
    to.setText("not an address")
    error = child(dialog, QLabel, "mailToError")
    assert error.isVisible()
    assert "not a valid email address" in error.text()
    assert not child(dialog, QPushButton, "sendMailButton").isEnabled()
    assert not child(dialog, QPushButton, "saveDraftButton").isEnabled()


def test_refused_connection_shown_and_recorded(qtbot, store: Store, signals: StoreSignals) -> None:  # type: ignore[no-untyped-def]
    setup = mail.case_with_letter(store)
    settings = mail.configure(store, mail.settings_for(None))
    dialog = _send_dialog(qtbot, store, signals, setup)
    with qtbot.waitSignal(dialog.sendFinished, timeout=20000):
        child(dialog, QPushButton, "sendMailButton").click()
    status = child(dialog, QLabel, "mailStatusLabel").text()
    assert status.startswith(
        f"Not sent: Could not connect to 127.0.0.1:{settings.port}: the connection was refused."
    )
    assert "still marked unsent" in status
    assert child(dialog, QPushButton, "sendMailButton").isEnabled()  # can try again
    assert not get_letter(store, setup.letter.id).sent
    assert timeline(store, setup.case.id)[-1].kind == EventKind.LETTER_EMAIL_FAILED
    # Nothing typed is lost: the edited fields are still there to send again.
    assert child(dialog, QLineEdit, "mailToEdit").text() == "zoe.o'brien@example.org"
    _shot(dialog, "mail-send-dialog-refused.png")


def test_failed_login_shown_and_recorded(
    qtbot,
    store: Store,
    signals: StoreSignals,
    auth_server: mail.Server,
    memory_keyring: mail.MemoryKeyring,
) -> None:  # type: ignore[no-untyped-def]
    setup = mail.case_with_letter(store)
    mail.configure(store, mail.settings_for(auth_server, username=mail.USER))
    dialog = _send_dialog(qtbot, store, signals, setup)
    password = child(dialog, QLineEdit, "mailPasswordEdit")
    assert password.isVisible()  # nothing in the keyring yet
    password.setText("wrong password")
    with qtbot.waitSignal(dialog.sendFinished, timeout=20000):
        child(dialog, QPushButton, "sendMailButton").click()
    status = child(dialog, QLabel, "mailStatusLabel").text()
    assert status.startswith("Not sent: 535 5.7.8 Authentication credentials invalid")
    failed = [e for e in timeline(store, setup.case.id) if e.kind == EventKind.LETTER_EMAIL_FAILED]
    assert failed[-1].details["error"] == "535 5.7.8 Authentication credentials invalid"
    assert not get_letter(store, setup.letter.id).sent
    assert auth_server.recorder.envelopes == []

    password.setText(mail.PASSWORD)
    with qtbot.waitSignal(dialog.sendFinished, timeout=20000):
        child(dialog, QPushButton, "sendMailButton").click()
    assert dialog.last_result is not None and dialog.last_result.sent
    assert len(auth_server.recorder.envelopes) == 1


def test_save_as_draft_writes_a_standard_eml(
    qtbot, store: Store, signals: StoreSignals, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    setup = mail.case_with_letter(store)
    mail.configure(store, mail.settings_for(None))
    dialog = _send_dialog(qtbot, store, signals, setup)
    target = tmp_path / "out" / "draft"
    target.parent.mkdir()
    dialog._ask_draft_path = lambda suggested: str(target)  # type: ignore[method-assign]
    child(dialog, QPushButton, "saveDraftButton").click()
    saved = tmp_path / "out" / "draft.eml"
    assert dialog.saved_draft == saved
    raw = saved.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    message = message_from_bytes(raw, policy=policy.default)
    assert message["X-Unsent"] == "1"
    assert message["MIME-Version"] == "1.0"
    assert message["Date"] and message["Message-ID"]
    assert message["To"] == "zoe.o'brien@example.org"
    assert setup.case.reference in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content() == setup.pdf
    assert attachment.get_filename() == f"{setup.case.reference}-acknowledgement-v1.pdf"
    assert "Draft saved to" in child(dialog, QLabel, "mailStatusLabel").text()
    assert not get_letter(store, setup.letter.id).sent
    last = timeline(store, setup.case.id)[-1]
    assert "Email draft of the letter saved" in last.summary
    assert last.kind == "letter_draft_saved"  # a record of the app's, not a DPO's note


def test_unconfigured_mail_still_allows_a_draft(
    qtbot, store: Store, signals: StoreSignals, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    setup = mail.case_with_letter(store)
    dialog = _send_dialog(qtbot, store, signals, setup)
    assert child(dialog, QLabel, "mailNotConfiguredLabel").isVisible()
    assert not child(dialog, QPushButton, "sendMailButton").isEnabled()
    assert child(dialog, QPushButton, "saveDraftButton").isEnabled()
    dialog._ask_draft_path = lambda suggested: str(tmp_path / suggested)  # type: ignore[method-assign]
    child(dialog, QPushButton, "saveDraftButton").click()
    saved = tmp_path / f"{setup.case.reference}-acknowledgement-v1.eml"
    message = message_from_bytes(saved.read_bytes(), policy=policy.default)
    assert message["From"] is None  # Outlook or Thunderbird fills in the sender
    assert message["X-Unsent"] == "1"
    _shot(dialog, "mail-send-dialog-unconfigured.png")


def _settings_dialog(qtbot, store: Store, signals: StoreSignals) -> MailSettingsDialog:  # type: ignore[no-untyped-def]
    dialog = MailSettingsDialog(store, signals)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _fill(
    dialog: MailSettingsDialog,
    *,
    host: str,
    port: int,
    security: str,
    user: str,
    password: str,
    cafile: str = "",
) -> None:
    child(dialog, QLineEdit, "mailHostEdit").setText(host)
    combo = child(dialog, QComboBox, "mailSecurityCombo")
    combo.setCurrentIndex(combo.findData(security))
    child(dialog, QSpinBox, "mailPortSpin").setValue(port)
    child(dialog, QLineEdit, "mailUserEdit").setText(user)
    child(dialog, QLineEdit, "mailPasswordEdit").setText(password)
    child(dialog, QLineEdit, "mailFromEdit").setText("dpo@example.co.uk")
    child(dialog, QLineEdit, "mailFromNameEdit").setText("Example Ltd DPO")
    child(dialog, QLineEdit, "mailCaFileEdit").setText(cafile)


def test_settings_dialog_test_email_success_and_exact_error(
    qtbot,
    store: Store,
    signals: StoreSignals,
    starttls_server: mail.Server,
    memory_keyring: mail.MemoryKeyring,
) -> None:  # type: ignore[no-untyped-def]
    dialog = _settings_dialog(qtbot, store, signals)
    assert not child(dialog, QLabel, "mailKeyringLabel").isVisible()
    _fill(
        dialog,
        host="127.0.0.1",
        port=starttls_server.port,
        security="starttls",
        user=mail.USER,
        password="bad",
        cafile=starttls_server.cafile,
    )
    with qtbot.waitSignal(dialog.testFinished, timeout=20000) as blocker:
        child(dialog, QPushButton, "sendTestEmailButton").click()
        assert not child(dialog, QPushButton, "sendTestEmailButton").isEnabled()
    assert blocker.args == [False, "535 5.7.8 Authentication credentials invalid"]
    assert child(dialog, QLabel, "mailTestResultLabel").text() == (
        "535 5.7.8 Authentication credentials invalid"
    )
    _shot(dialog, "mail-settings-test-failed.png")

    child(dialog, QLineEdit, "mailPasswordEdit").setText(mail.PASSWORD)
    with qtbot.waitSignal(dialog.testFinished, timeout=20000) as blocker:
        child(dialog, QPushButton, "sendTestEmailButton").click()
    assert blocker.args[0] is True
    assert (
        child(dialog, QLabel, "mailTestResultLabel")
        .text()
        .startswith("Test email sent to dpo@example.co.uk")
    )
    [message] = starttls_server.recorder.messages()
    assert message["Subject"] == "DSAR Desk test email"

    seen: list[bool] = []
    signals.settings_changed.connect(lambda: seen.append(True))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert seen == [True]
    saved = load_mail_settings(store)
    assert (saved.host, saved.port, saved.security, saved.username) == (
        "127.0.0.1",
        starttls_server.port,
        "starttls",
        mail.USER,
    )
    # The password is in the keyring, and nowhere in the store (nor in its file at a desk).
    assert memory_keyring.passwords == {("dsar-desk", "dpo@127.0.0.1"): mail.PASSWORD}
    settings = raw_rows(store, "SELECT key, CAST(value AS TEXT) FROM settings")
    assert settings and not any(mail.PASSWORD in str(value) for _key, value in settings)
    store.close()
    if store.path is not None:
        assert mail.PASSWORD.encode() not in store.path.read_bytes()
        wal = store.path.with_name(store.path.name + "-wal")
        assert not wal.exists() or mail.PASSWORD.encode() not in wal.read_bytes()


def test_settings_refuse_plain_smtp_to_a_remote_host(
    qtbot, store: Store, signals: StoreSignals, memory_keyring: mail.MemoryKeyring
) -> None:  # type: ignore[no-untyped-def]
    dialog = _settings_dialog(qtbot, store, signals)
    _fill(dialog, host="smtp.example.com", port=25, security="none", user="", password="")
    dialog.accept()
    assert dialog.isVisible()
    error = child(dialog, QLabel, "mailSettingsErrorLabel")
    assert "only allowed to a server on this computer" in error.text()
    assert load_mail_settings(store).host == ""
    child(dialog, QPushButton, "sendTestEmailButton").click()  # refused before any network
    assert (
        "only allowed to a server on this computer"
        in child(dialog, QLabel, "mailTestResultLabel").text()
    )


def test_no_keyring_says_so_and_does_not_store_the_password(
    qtbot, store: Store, signals: StoreSignals, no_keyring: None
) -> None:  # type: ignore[no-untyped-def]
    dialog = _settings_dialog(qtbot, store, signals)
    label = child(dialog, QLabel, "mailKeyringLabel")
    assert label.isVisible()
    assert "No system keyring is available" in label.text()
    _fill(dialog, host="localhost", port=2525, security="none", user="dpo", password="secret")
    dialog.accept()
    assert (
        "Settings saved, but the password was not"
        in child(dialog, QLabel, "mailSettingsErrorLabel").text()
    )
    assert load_mail_settings(store).username == "dpo"
    _shot(dialog, "mail-settings-no-keyring.png")
    dialog.accept()  # the next OK closes
    assert dialog.result() == dialog.DialogCode.Accepted


def test_body_template_is_editable(
    qtbot, store: Store, signals: StoreSignals, memory_keyring: mail.MemoryKeyring
) -> None:  # type: ignore[no-untyped-def]
    dialog = _settings_dialog(qtbot, store, signals)
    _fill(dialog, host="localhost", port=2525, security="none", user="", password="")
    edit = child(dialog, QPlainTextEdit, "mailBodyTemplateEdit")
    edit.setPlainText("Hello $name, see $reference. Cost: $$0.")
    dialog.accept()
    assert body_template(store) == "Hello $name, see $reference. Cost: $$0."
    setup = mail.case_with_letter(store)
    send = _send_dialog(qtbot, store, signals, setup)
    assert child(send, QPlainTextEdit, "mailBodyEdit").toPlainText() == (
        f"Hello Zoë O'Brien, see {setup.case.reference}. Cost: $0."
    )

    dialog2 = _settings_dialog(qtbot, store, signals)
    child(dialog2, QPlainTextEdit, "mailBodyTemplateEdit").setPlainText("Hi $nmae")
    dialog2.accept()
    assert "unknown placeholder $nmae" in child(dialog2, QLabel, "mailSettingsErrorLabel").text()


# ---------------------------------------------------------------------------------------
# The letter dialog's "Email to requester…"


def test_letter_dialog_emails_the_generated_letter(
    qtbot, store: Store, signals: StoreSignals, plain_server: mail.Server
) -> None:  # type: ignore[no-untyped-def]
    from app.letters.records import letter_pdf, list_letters
    from app.settings import save_settings
    from tests.letters.conftest import ORG
    from ui.letter_dialog import LetterDialog

    save_settings(store, ORG)
    setup_case = mail.case_with_letter(store, email="zoe@example.org", name="Zoë Adeyemi")
    mail.configure(store, mail.settings_for(plain_server))
    dialog = LetterDialog(store, setup_case.case.id, signals, today=date(2026, 11, 25))
    qtbot.addWidget(dialog)
    dialog.show()
    button = child(dialog, QPushButton, "emailLetterButton")
    assert button.isEnabled() and button.accessibleName() == "Email to requester"
    button.click()
    send = dialog.mail_dialog
    assert send.objectName() == "sendMailDialog" and send.isVisible()
    kept = list_letters(store, setup_case.case.id)[0]  # generated and kept by the click
    assert kept.id == send.letter_id and kept.version == 2
    send.open_saved_drafts = False
    with qtbot.waitSignal(send.sendFinished, timeout=20000):
        child(send, QPushButton, "sendMailButton").click()
    [message] = plain_server.recorder.messages()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"{setup_case.case.reference}-acknowledgement-v2.pdf"
    assert attachment.get_content() == letter_pdf(store, kept.id)  # the generated letter
    assert get_letter(store, kept.id).emailed_to == "zoe@example.org"
    assert "emailed" in child(dialog, QLabel, "letterStatusLabel").text()
    send.reject()


# ---------------------------------------------------------------------------------------
# Email into the main window


@pytest.fixture
def window(qtbot, store_path: Path):  # type: ignore[no-untyped-def]
    from app.store import open_store
    from tests.conftest import TODAY
    from ui.main import build_main_window

    open_store(store_path).close()
    built = build_main_window(store_path, today=lambda: TODAY)
    qtbot.addWidget(built)
    built.show()
    return built


def _captured(window) -> list:  # type: ignore[no-untyped-def]
    drafts: list = []
    window.open_intake = lambda draft=None: drafts.append(draft)  # type: ignore[method-assign]
    return drafts


def test_import_email_action_and_mail_settings_action(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QAction

    from tests.mail.test_email_intake import GMAIL

    file_actions = [a.objectName() for a in window.menu_file.actions()]
    assert file_actions.index("actionImportEmail") == file_actions.index("actionNewRequest") + 1
    assert "actionMailSettings" in [a.objectName() for a in window.menu_settings.actions()]

    path = tmp_path / "gmail.eml"
    path.write_bytes(GMAIL)
    drafts = _captured(window)
    importer = window.email_importer
    importer._ask_path = lambda: str(path)
    window.findChild(QAction, "actionImportEmail").trigger()
    qtbot.waitUntil(lambda: len(drafts) == 1, timeout=20000)
    [draft] = drafts
    assert (draft.name, draft.email) == ("Zoë Müller", "zoe.mueller@gmail.com")
    assert draft.original == GMAIL and draft.original_filename == "gmail.eml"

    window.findChild(QAction, "actionMailSettings").trigger()
    dialog = window.findChild(MailSettingsDialog, "mailSettingsDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_dropping_an_email_on_the_window_opens_the_intake(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from ui.email_import import email_paths

    msg = mail_fixture("unicode.msg")
    path = tmp_path / "unicode.msg"
    path.write_bytes(msg)
    other = tmp_path / "notes.txt"
    other.write_text("not an email")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other)), QUrl.fromLocalFile(str(path))])
    assert email_paths(mime) == [path]
    assert window.acceptDrops()
    drafts = _captured(window)
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt routes drops only during a real drag; hand the event to the window's filter.
    assert window.email_importer.eventFilter(window, drop)
    qtbot.waitUntil(lambda: len(drafts) == 1, timeout=20000)
    assert drafts[0].email == "brizhou@gmail.com"
    assert drafts[0].original == msg


def test_unreadable_email_file_is_said_plainly(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    path = tmp_path / "broken.msg"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    drafts = _captured(window)
    op = window.email_importer.import_file(path)
    with qtbot.waitSignal(op.finished, timeout=20000):
        pass
    assert drafts == []
    box = window.findChild(QMessageBox, "domainErrorBox")
    assert box is not None
    assert "broken.msg could not be read as an Outlook email" in box.text()
    box.close()


def mail_fixture(name: str) -> bytes:
    from tests.conftest import SHARED

    path = SHARED / "fixtures" / "msg" / name
    if not path.exists():
        pytest.skip(f"the shared Outlook samples are not here ({path})")
    return path.read_bytes()


def test_intake_dialog_says_what_the_msg_lacks_and_keeps_the_original(
    qtbot, store: Store, signals: StoreSignals
) -> None:  # type: ignore[no-untyped-def]
    from app.attachments import attachment_content, list_attachments
    from app.cases import get_case
    from app.email_intake import read_email
    from tests.conftest import TODAY
    from ui.intake_dialog import IntakeDialog

    data = mail_fixture("strangeDate.msg")
    draft = read_email(data, "strangeDate.msg")
    dialog = IntakeDialog(store, signals, draft=draft, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    label = child(dialog, QLabel, "draftProblemsLabel")
    assert label.isVisible()
    assert "No sender address in this email." in label.text()
    assert "No date in this email." in label.text()
    assert child(dialog, QLineEdit, "requesterNameEdit").text() == ""
    assert child(dialog, QLineEdit, "requesterEmailEdit").text() == ""
    _shot(dialog, "intake-strange-date-msg.png")

    child(dialog, QLineEdit, "requesterNameEdit").setText("Jane Roe")
    child(dialog, QLineEdit, "requesterEmailEdit").setText("jane.roe@example.org")
    received = dialog.findChild(QWidget, "receivedDateEdit")
    from ui.forms import to_qdate

    received.setDate(to_qdate(TODAY))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted, child(
        dialog, QLabel, "intakeErrorLabel"
    ).text()
    case = get_case(store, dialog.created_case_id)
    assert case.description.startswith("Subject: MSG Test File")
    [kept] = list_attachments(store, case.id)
    assert (kept.kind, kept.filename) == ("email_original", "strangeDate.msg")
    assert attachment_content(store, kept.id) == data


def test_without_a_keyring_the_password_is_typed_per_send(
    qtbot, store: Store, signals: StoreSignals, auth_server: mail.Server, no_keyring: None
) -> None:  # type: ignore[no-untyped-def]
    setup = mail.case_with_letter(store)
    mail.configure(store, mail.settings_for(auth_server, username=mail.USER))
    dialog = _send_dialog(qtbot, store, signals, setup)
    password = child(dialog, QLineEdit, "mailPasswordEdit")
    assert password.isVisible()
    assert password.placeholderText() == "Not stored on this computer"
    child(dialog, QPushButton, "sendMailButton").click()  # no password typed yet
    assert child(dialog, QLabel, "mailStatusLabel").text() == (
        "Type the mail server's password first."
    )
    assert auth_server.recorder.envelopes == []
    password.setText(mail.PASSWORD)
    with qtbot.waitSignal(dialog.sendFinished, timeout=20000):
        child(dialog, QPushButton, "sendMailButton").click()
    assert dialog.last_result is not None and dialog.last_result.sent


# ---------------------------------------------------------------------------------------
# ui.ops: work off the UI thread, callbacks on it


def test_background_op_runs_off_the_ui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    import threading

    from PySide6.QtCore import QObject

    from ui.ops import run_in_background

    owner = QObject()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def success(value: int) -> None:
        seen["callback"] = threading.get_ident()
        seen["value"] = value

    op = run_in_background(owner, work, success=success, failure=seen.setdefault)
    with qtbot.waitSignal(op.finished, timeout=10000):
        pass
    assert seen["value"] == 42
    assert seen["worker"] != threading.get_ident()
    assert seen["callback"] == threading.get_ident()
    assert not op.running

    failures: list[Exception] = []
    op = run_in_background(owner, lambda: 1 / 0, success=lambda _v: None, failure=failures.append)
    with qtbot.waitSignal(op.finished, timeout=10000):
        pass
    assert [type(e) for e in failures] == [ZeroDivisionError]


def test_draft_with_no_program_to_open_it_says_so(
    qtbot, store: Store, signals: StoreSignals, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    setup = mail.case_with_letter(store)
    dialog = _send_dialog(qtbot, store, signals, setup)
    dialog.open_saved_drafts = True
    opened: list[str] = []

    def no_handler(url) -> bool:  # type: ignore[no-untyped-def]
        opened.append(url.toLocalFile())
        return False  # what a desktop without a mail program answers

    monkeypatch.setattr("ui.send_mail_dialog.QDesktopServices.openUrl", no_handler)
    dialog._ask_draft_path = lambda suggested: str(tmp_path / "draft.eml")  # type: ignore[method-assign]
    child(dialog, QPushButton, "saveDraftButton").click()
    assert opened == [str(tmp_path / "draft.eml")]
    status = child(dialog, QLabel, "mailStatusLabel").text()
    assert "No mail program is set up to open it" in status  # not silence
    assert str(tmp_path / "draft.eml") in status


def test_an_email_import_can_be_cancelled_and_opens_nothing(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    path = tmp_path / "long.eml"
    path.write_bytes(
        b"From: Ann <ann@example.org>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n"
        + b"A line of a very long letter.\r\n" * 200_000
    )
    drafts = _captured(window)
    op = window.email_importer.import_file(path)
    op.cancel()  # what the progress dialog's Cancel does
    with qtbot.waitSignal(op.finished, timeout=20000):
        pass
    assert drafts == []
    assert window.findChild(QMessageBox, "domainErrorBox") is None  # a Cancel is no error


def test_the_open_store_is_not_imported_as_an_email(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    drafts = _captured(window)
    op = window.email_importer.import_file(window.store.path)
    with qtbot.waitSignal(op.finished, timeout=20000):
        pass
    assert drafts == []
    box = window.findChild(QMessageBox, "domainErrorBox")
    assert box is not None and "store that is open now" in box.text()
    box.close()

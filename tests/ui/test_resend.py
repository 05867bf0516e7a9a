"""After a successful send the Send button says "Sent", and a second send asks first
(issue 8 point 8), against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from app.cases import timeline
from app.domain import EventKind
from app.store import Store
from tests.mail import conftest as mail
from ui.send_mail_dialog import SendMailDialog
from ui.signals import StoreSignals

memory_keyring = mail.memory_keyring
plain_server = mail.plain_server


def _dialog(qtbot, store: Store, letter_id: int) -> SendMailDialog:  # type: ignore[no-untyped-def]
    dialog = SendMailDialog(store, letter_id, StoreSignals())
    qtbot.addWidget(dialog)
    dialog.open_saved_drafts = False
    dialog.show()
    return dialog


def test_sent_then_a_second_send_asks_first(  # type: ignore[no-untyped-def]
    qtbot, store: Store, plain_server: mail.Server
) -> None:
    setup = mail.case_with_letter(store)
    mail.configure(store, mail.settings_for(plain_server))
    dialog = _dialog(qtbot, store, setup.letter.id)
    button = dialog.findChild(QPushButton, "sendMailButton")
    assert button.text() == "&Send"
    with qtbot.waitSignal(dialog.sendFinished, timeout=20000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.text() == "Sent"
    assert len(plain_server.recorder.messages()) == 1

    asked: list[str] = []
    _answer_the_question(asked, QMessageBox.StandardButton.No)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the real question box: No
    assert len(asked) == 1 and "already emailed to zoe.o'brien@example.org on" in asked[0]
    assert asked[0].endswith("Send it again?")
    qtbot.wait(200)
    assert len(plain_server.recorder.messages()) == 1  # nothing sent
    emailed = [e for e in timeline(store, setup.case.id) if e.kind == EventKind.LETTER_EMAILED]
    assert len(emailed) == 1

    _answer_the_question(asked, QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.sendFinished, timeout=20000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2
    assert len(plain_server.recorder.messages()) == 2


def _answer_the_question(asked: list[str], answer: QMessageBox.StandardButton) -> None:
    """Press `answer` in the "Send again?" box once it is up (it runs its own event loop)."""

    def press() -> None:
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "resendQuestionBox"
        ]
        shown = [box for box in boxes if box.isVisible()]
        if not shown:
            QTimer.singleShot(20, press)
            return
        asked.append(shown[0].text())
        shown[0].button(answer).click()

    QTimer.singleShot(0, press)


def test_a_letter_already_emailed_opens_saying_sent(  # type: ignore[no-untyped-def]
    qtbot, store: Store, plain_server: mail.Server
) -> None:
    from app.letters.records import record_emailed

    setup = mail.case_with_letter(store)
    mail.configure(store, mail.settings_for(plain_server))
    record_emailed(store, setup.letter.id, to="zoe@example.org", message_id="<x@example>")
    dialog = _dialog(qtbot, store, setup.letter.id)
    assert dialog.findChild(QPushButton, "sendMailButton").text() == "Sent"

"""Email one stored letter (or a disclosure bundle) to the requester, or save it as a draft
for Outlook/Thunderbird. What is sent comes as an app.mail.outgoing.Outgoing.

The recipient, subject and text can be changed before sending. Sending runs off the UI
thread; the window stays usable and the result (the server's own words when it fails) is
shown here and kept on the case's timeline either way. Once the letter has gone, the Send
button says "Sent", and sending it again asks first: a second copy is a second email to the
requester and a second line on the record.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.domain import DomainError
from app.mail.outgoing import Outgoing, letter_outgoing
from app.mail.send import SendResult
from app.mail.settings import keyring_problem, load_mail_settings, settings_problem
from app.mail.settings import stored_password as keyring_password
from app.store import Store, StoreError
from app.validation import email_problem
from ui.forms import (
    ERROR_STYLE,
    WARNING_STYLE,
    FieldError,
    name_widget,
    named_button,
    plain_label,
    plain_text_edit,
)
from ui.ops import run_in_background
from ui.signals import StoreSignals

OK_STYLE = "color: #0b6a0b;"


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class SendMailDialog(QDialog):
    sendFinished = Signal(object)  # SendResult, or the Exception that stopped the send

    def __init__(
        self,
        store: Store,
        letter_id: int | None,
        signals: StoreSignals,
        parent: QWidget | None = None,
        *,
        outgoing: Outgoing | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.letter_id = letter_id
        self.signals = signals
        self.open_saved_drafts = True  # tests turn this off: no external viewer there
        self.last_result: SendResult | None = None
        self._sending = False
        self._settings_problem: str | None = None
        self.saved_draft: Path | None = None
        if outgoing is None:
            assert letter_id is not None
            outgoing = letter_outgoing(store, letter_id)
        self.mail = outgoing
        self.case_id = self.mail.case_id
        noun = self.mail.noun
        name_widget(self, "sendMailDialog", f"Email {noun} for case {self.mail.reference}")
        self.setWindowTitle(f"Email {noun} — {self.mail.reference}")
        self.setMinimumWidth(600)

        layout = QVBoxLayout(self)
        self.settings_label = plain_label("", "mailNotConfiguredLabel")
        self.settings_label.setAccessibleName("Mail settings")
        self.settings_label.setStyleSheet(WARNING_STYLE)
        layout.addWidget(self.settings_label)

        form = QFormLayout()
        self.to_edit = QLineEdit(self.mail.to)
        name_widget(self.to_edit, "mailToEdit", "To")
        self.to_error = FieldError("mailToError")
        to_box = QVBoxLayout()
        to_box.setContentsMargins(0, 0, 0, 0)
        to_box.addWidget(self.to_edit)
        to_box.addWidget(self.to_error)
        to_label = QLabel("&To:")
        to_label.setBuddy(self.to_edit)
        form.addRow(to_label, to_box)
        self.subject_edit = QLineEdit(self.mail.subject)
        name_widget(self.subject_edit, "mailSubjectEdit", "Subject")
        form.addRow("&Subject:", self.subject_edit)
        self.attachment_label = plain_label(
            f"{self.mail.attachment_name} ({_size(self.mail.size)})",
            "mailAttachmentLabel",
        )
        self.attachment_label.setAccessibleName(f"Attached {noun}")
        form.addRow("Attached:", self.attachment_label)
        self.password_edit = QLineEdit()
        name_widget(self.password_edit, "mailPasswordEdit", "Mail server password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel("Pass&word:")
        self.password_label.setBuddy(self.password_edit)
        form.addRow(self.password_label, self.password_edit)
        layout.addLayout(form)

        body_label = QLabel("&Message:")
        layout.addWidget(body_label)
        self.body_edit = plain_text_edit("mailBodyEdit", "Message", lines=10)
        self.body_edit.setMaximumHeight(16777215)  # grows with the window
        self.body_edit.setPlainText(self.mail.body)
        body_label.setBuddy(self.body_edit)
        layout.addWidget(self.body_edit, 1)

        self.status_label = plain_label("", "mailStatusLabel")
        self.status_label.setAccessibleName("Send status")
        # Room for a server's message over three lines: a wrapped label that grows after
        # the layout settled would be clipped.
        self.status_label.setMinimumHeight(self.status_label.fontMetrics().lineSpacing() * 3)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status_label)

        buttons = QHBoxLayout()
        self.send_button = named_button(
            "&Send", "sendMailButton", "Send", self.send, auto_default=False
        )
        self.draft_button = named_button(
            "Save as &draft…",
            "saveDraftButton",
            "Save as draft",
            self.save_draft,
            auto_default=False,
        )
        self.settings_button = named_button(
            "Mail settings…",
            "openMailSettingsButton",
            "Mail settings",
            self.open_settings,
            auto_default=False,
        )
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.draft_button)
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        name_widget(close.buttons()[0], "mailCloseButton", "Close")
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        self.to_edit.textChanged.connect(self._check_to)
        signals.settings_changed.connect(self._refresh_settings)
        self._refresh_settings()
        self._show_letter_state()
        self._check_to()
        self.send_button.setDefault(True)

    # -- state -----------------------------------------------------------------------------

    def _refresh_settings(self) -> None:
        settings = load_mail_settings(self.store)
        self._settings_problem = (
            None
            if settings.configured and not settings_problem(settings)
            else "Mail is not set up yet: open Mail settings to enter your SMTP server. "
            "You can still save the email as a draft."
        )
        needs_password = bool(settings.username) and keyring_password(settings) is None
        self.password_edit.setVisible(needs_password)
        self.password_label.setVisible(needs_password)
        if needs_password:
            self.password_edit.setPlaceholderText(
                "Not stored on this computer"
                if keyring_problem()
                else "Not saved yet: type it, or save it in Mail settings"
            )
        self.settings_label.setText(self._settings_problem or "")
        self.settings_label.setVisible(self._settings_problem is not None)
        self._update_buttons()

    def _show_letter_state(self) -> None:
        if self.mail.sent_note:
            self._mark_sent()
        if self.mail.too_large:
            self._status(self.mail.too_large, False)
        elif self.mail.sent_note:
            self._status(self.mail.sent_note, None)

    def _check_to(self) -> None:
        self.to_error.show_problem(email_problem(self.to_edit.text(), required=True))
        self._update_buttons()

    def _update_buttons(self) -> None:
        valid = email_problem(self.to_edit.text(), required=True) is None
        idle = not self._sending
        self.send_button.setEnabled(
            valid and idle and self._settings_problem is None and not self.mail.too_large
        )
        self.draft_button.setEnabled(valid and idle)

    def _status(self, text: str, ok: bool | None) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet("" if ok is None else OK_STYLE if ok else ERROR_STYLE)

    # -- actions ---------------------------------------------------------------------------

    def send(self) -> None:
        if not self.send_button.isEnabled():
            return
        to = self.to_edit.text().strip()
        subject = self.subject_edit.text()
        body = self.body_edit.toPlainText()
        password = self.password_edit.text() if self.password_edit.isVisible() else None
        if self.password_edit.isVisible() and not password:
            self._status("Type the mail server's password first.", False)
            self.password_edit.setFocus()
            return
        before = self.mail.already_emailed()
        if before and not self._confirm_resend(
            f"This {self.mail.noun} was {before}. Send it again?"
        ):
            return
        send = self.mail.send
        self._sending = True
        self._update_buttons()
        self._status(f"Sending to {to}…", None)
        run_in_background(
            self,
            lambda: send(to, subject, body, password),
            success=self._sent,
            failure=self._send_failed,
        )

    def _sent(self, result: SendResult) -> None:
        self._sending = False
        self.last_result = result
        if result.sent:
            self._mark_sent()
            self._status(f"{result.message} The send is on the case's timeline.", True)
        else:
            self._status(
                f"Not sent: {result.message.rstrip('.')}. The failure is on the case's "
                f"timeline; the {self.mail.noun} is still marked unsent.",
                False,
            )
        self._update_buttons()
        self.signals.case_changed.emit(self.case_id)
        self.sendFinished.emit(result)

    def _mark_sent(self) -> None:
        self.send_button.setText("Sent")
        self.send_button.setAccessibleName("Sent: send again")
        self.send_button.setToolTip("Already emailed; pressing it again asks before sending.")

    def _confirm_resend(self, question: str) -> bool:
        """Ask before a second copy goes out; No is the default."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Send again?",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("resendQuestionBox")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _send_failed(self, exc: Exception) -> None:
        self._sending = False
        text = str(exc) if isinstance(exc, DomainError) else f"Sending failed: {exc}"
        self._status(f"Not sent: {text}", False)
        self._update_buttons()
        self.sendFinished.emit(exc)

    def save_draft(self) -> None:
        suggested = self.mail.attachment_name.rsplit(".", 1)[0] + ".eml"
        chosen = self._ask_draft_path(suggested)
        if not chosen:
            return
        try:
            path = self.mail.save_draft(
                Path(chosen),
                self.to_edit.text(),
                self.subject_edit.text(),
                self.body_edit.toPlainText(),
            )
        except (DomainError, StoreError) as error:
            self._status(f"Draft not saved: {error}", False)
            return
        self.saved_draft = path
        self.signals.case_changed.emit(self.case_id)
        self._status(
            f"Draft saved to {path}. Open it in your mail program and send it from there.", True
        )
        if self.open_saved_drafts and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self._status(
                f"Draft saved to {path}. No mail program is set up to open it here: open it "
                "from your mail program and send it from there.",
                True,
            )

    def _ask_draft_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save email draft", suggested, "Email message (*.eml)"
        )
        return path

    def open_settings(self) -> None:
        from ui.mail_settings_dialog import MailSettingsDialog

        dialog = MailSettingsDialog(self.store, self.signals, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

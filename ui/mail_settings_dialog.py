"""Mail settings: the SMTP server, the sender, the password (kept in the system keyring
only) and the text of the letter email. "Send test email" proves the settings work, or
shows the server's exact words, without freezing the window."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain import DomainError
from app.mail.compose import PLACEHOLDERS, body_template, save_body_template
from app.mail.send import MailError, send_test_email
from app.mail.settings import (
    DEFAULT_PORTS,
    SECURITY_LABELS,
    MailSettings,
    keyring_problem,
    load_mail_settings,
    remember_password,
    save_mail_settings,
    settings_problem,
    stored_password,
)
from app.store import Store, StoreError
from ui.forms import (
    ERROR_STYLE,
    WARNING_STYLE,
    SubmitDialog,
    name_buttons,
    name_widget,
    plain_label,
    plain_text_edit,
)
from ui.ops import run_in_background
from ui.signals import StoreSignals

OK_STYLE = "color: #0b6a0b;"


class MailSettingsDialog(SubmitDialog):
    testFinished = Signal(bool, str)  # ok, what was shown

    def __init__(self, store: Store, signals: StoreSignals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "mailSettingsDialog", "Mail settings")
        self.setWindowTitle("Mail settings")
        self.setMinimumWidth(560)
        self.resize(660, 720)  # room for the wrapped notes without squeezing the fields
        self.store = store
        self.signals = signals
        self.submit = self._save
        current = load_mail_settings(store)
        self._has_stored_password = bool(stored_password(current))

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.host_edit = self._line("mailHostEdit", "SMTP server", current.host)
        self.host_edit.setPlaceholderText("smtp.office365.com")
        form.addRow("SMTP &server:", self.host_edit)

        row = QHBoxLayout()
        self.security_combo = QComboBox()
        name_widget(self.security_combo, "mailSecurityCombo", "Connection security")
        for key, label in SECURITY_LABELS.items():
            self.security_combo.addItem(label, key)
        self.security_combo.setCurrentIndex(max(0, self.security_combo.findData(current.security)))
        self.port_spin = QSpinBox()
        name_widget(self.port_spin, "mailPortSpin", "Port")
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(current.port)
        port_label = QLabel("&Port:")
        port_label.setBuddy(self.port_spin)
        row.addWidget(self.security_combo, 1)
        row.addWidget(port_label)
        row.addWidget(self.port_spin)
        security_label = QLabel("Se&curity:")
        security_label.setBuddy(self.security_combo)
        form.addRow(security_label, row)
        self._security = current.security
        self.security_combo.currentIndexChanged.connect(self._on_security)

        self.user_edit = self._line("mailUserEdit", "User name", current.username)
        self.user_edit.setPlaceholderText("Leave empty if the server needs no login")
        form.addRow("&User name:", self.user_edit)
        self.password_edit = self._line("mailPasswordEdit", "Password", "")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(
            "Saved in the system keyring (type to change)" if self._has_stored_password else ""
        )
        form.addRow("Pass&word:", self.password_edit)
        self.keyring_label = plain_label(keyring_problem() or "", "mailKeyringLabel")
        self.keyring_label.setAccessibleName("Keyring")
        self.keyring_label.setStyleSheet(WARNING_STYLE)
        self.keyring_label.setVisible(bool(keyring_problem()))

        self.from_edit = self._line("mailFromEdit", "From address", current.from_address)
        self.from_edit.setPlaceholderText("privacy@example.co.uk")
        form.addRow("&From address:", self.from_edit)
        self.from_name_edit = self._line("mailFromNameEdit", "Sender name", current.from_name)
        self.from_name_edit.setPlaceholderText("Example Ltd Data Protection")
        form.addRow("Sender &name:", self.from_name_edit)
        self.cafile_edit = self._line("mailCaFileEdit", "Extra CA certificate", current.cafile)
        self.cafile_edit.setPlaceholderText("Optional: a PEM file, for a private mail server")
        form.addRow("Extra C&A file:", self.cafile_edit)
        layout.addLayout(form)
        layout.addWidget(self.keyring_label)  # under the form: a wrapped label fits here

        test_row = QHBoxLayout()
        self.test_button = QPushButton("Send &test email")
        name_widget(self.test_button, "sendTestEmailButton", "Send test email")
        self.test_button.clicked.connect(self.send_test)
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        self.test_label = plain_label("", "mailTestResultLabel")
        self.test_label.setAccessibleName("Test result")
        self.test_label.setVisible(False)
        layout.addWidget(self.test_label)

        template_label = QLabel("Text of the email that carries a &letter:")
        layout.addWidget(template_label)
        self.template_edit = plain_text_edit("mailBodyTemplateEdit", "Letter email text", lines=9)
        self.template_edit.setMaximumHeight(16777215)  # grows with the window
        self.template_edit.setPlainText(body_template(store))
        template_label.setBuddy(self.template_edit)
        layout.addWidget(self.template_edit, 1)
        hint = plain_label(
            "Placeholders: "
            + ", ".join(f"${key} ({text})" for key, text in PLACEHOLDERS.items())
            + ".",
            "mailPlaceholdersLabel",
        )
        hint.setAccessibleName("Placeholders")
        layout.addWidget(hint)

        self.error_label = plain_label("", "mailSettingsErrorLabel")
        self.error_label.setAccessibleName("Error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)

        # Wrapped notes get exactly the height their text needs at the dialog's width (Qt's
        # guess for a wrapped label is either too tall or, in a form, clipped); spare room
        # goes to the template text.
        self._notes = (self.keyring_label, self.test_label, hint, self.error_label)
        for label in self._notes:
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        name_buttons(self.buttons, "mailSettings")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_notes()

    def _fit_notes(self) -> None:
        margins = self.layout().contentsMargins()
        width = max(100, self.width() - margins.left() - margins.right())
        for label in self._notes:
            height = label.heightForWidth(width) if label.text() else -1
            label.setFixedHeight(height if height > 0 else label.sizeHint().height())

    def _line(self, object_name: str, accessible: str, text: str) -> QLineEdit:
        edit = QLineEdit(text)
        name_widget(edit, object_name, accessible)
        return edit

    def _on_security(self) -> None:
        new = str(self.security_combo.currentData())
        if self.port_spin.value() == DEFAULT_PORTS.get(self._security):
            self.port_spin.setValue(DEFAULT_PORTS[new])
        self._security = new

    def settings(self) -> MailSettings:
        """What the form says, not yet saved."""
        return MailSettings(
            host=self.host_edit.text().strip(),
            port=self.port_spin.value(),
            security=str(self.security_combo.currentData()),
            username=self.user_edit.text().strip(),
            from_address=self.from_edit.text().strip(),
            from_name=self.from_name_edit.text().strip(),
            cafile=self.cafile_edit.text().strip(),
        )

    def _password(self, settings: MailSettings) -> str | None:
        typed = self.password_edit.text()
        return typed if typed else stored_password(settings)

    # -- test ------------------------------------------------------------------------------

    def send_test(self) -> None:
        settings = self.settings()
        problem = settings_problem(settings)
        if problem is None and settings.username and not self._password(settings):
            problem = "Type the password to test the login."
        if problem:
            self._show_test(False, problem)
            return
        password = self._password(settings) if settings.username else None
        self.test_button.setEnabled(False)
        self._show_test(None, f"Sending a test email to {settings.from_address}…")
        run_in_background(
            self,
            lambda: send_test_email(settings, password),
            success=lambda text: self._test_done(True, text),
            failure=self._test_failed,
        )

    def _test_failed(self, exc: Exception) -> None:
        if isinstance(exc, MailError | DomainError):
            self._test_done(False, str(exc))
        else:
            self._test_done(False, f"The test failed: {exc}")

    def _test_done(self, ok: bool, text: str) -> None:
        self.test_button.setEnabled(True)
        self._show_test(ok, text)
        self.testFinished.emit(ok, text)

    def _show_test(self, ok: bool | None, text: str) -> None:
        self.test_label.setText(text)
        self.test_label.setStyleSheet("" if ok is None else OK_STYLE if ok else ERROR_STYLE)
        self.test_label.setVisible(True)
        self._fit_notes()

    # -- save ------------------------------------------------------------------------------

    def _save(self) -> bool:
        settings = self.settings()
        password = self.password_edit.text()
        try:
            if not settings.host and not settings.from_address:
                raise DomainError("Enter the SMTP server and the From address.")
            saved = save_mail_settings(self.store, settings)
            save_body_template(self.store, self.template_edit.toPlainText())
            if password and saved.username:
                if keyring_problem():
                    self.signals.settings_changed.emit()
                    self._fail(
                        "Settings saved, but the password was not: " + (keyring_problem() or "")
                    )
                    self.submit = None  # the next OK just closes
                    return False
                remember_password(saved, password)
        except (DomainError, StoreError) as error:
            self._fail(str(error))
            return False
        self.signals.settings_changed.emit()
        return True

    def _fail(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(True)
        self._fit_notes()

"""The requester's details: one form used at intake and when correcting them later.

Each field says why its value is refused, right under it, with the same messages the use
cases raise (app.validation), so the dialog and the core never disagree.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.readmodels import RequesterDetails
from app.validation import email_problem, name_problem, text_problem
from ui.forms import (
    FieldError,
    SubmitDialog,
    add_field,
    default_ok,
    name_buttons,
    name_widget,
    ok_button,
    plain_text_edit,
)


class RequesterForm(QWidget):
    """Name, email, postal address and phone, each with its error line."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, form: QFormLayout | None = None) -> None:
        super().__init__(parent)
        self.name_edit = QLineEdit()
        name_widget(self.name_edit, "requesterNameEdit", "Requester's name")
        self.email_edit = QLineEdit()
        name_widget(self.email_edit, "requesterEmailEdit", "Requester's email address")
        self.email_edit.setPlaceholderText("name@example.co.uk")
        self.address_edit = plain_text_edit(
            "requesterAddressEdit", "Requester's postal address", lines=3
        )
        self.phone_edit = QLineEdit()
        name_widget(self.phone_edit, "requesterPhoneEdit", "Requester's phone number")
        self.name_error = FieldError("requesterNameError")
        self.email_error = FieldError("requesterEmailError")
        self.address_error = FieldError("requesterAddressError")
        self.phone_error = FieldError("requesterPhoneError")
        # Either fill the caller's form layout (intake: one form for everything) or our own.
        self.form = form if form is not None else QFormLayout(self)
        if form is not None:
            self.hide()  # the fields live in the caller's form; this empty widget must not
            # sit over them and catch their clicks
        self.columns: dict[str, QVBoxLayout] = {}
        for key, text, edit, error in (
            ("name", "&Name:", self.name_edit, self.name_error),
            ("email", "E&mail:", self.email_edit, self.email_error),
            ("postal_address", "&Address:", self.address_edit, self.address_error),
            ("phone", "P&hone:", self.phone_edit, self.phone_error),
        ):
            self.columns[key] = add_field(self.form, text, edit, error)
        for line in (self.name_edit, self.email_edit, self.phone_edit):
            line.textChanged.connect(self.changed)
        self.address_edit.textChanged.connect(self.changed)
        self.changed.connect(self.validate)

    def set_details(self, details: RequesterDetails) -> None:
        self.name_edit.setText(details.name)
        self.email_edit.setText(details.email)
        self.address_edit.setPlainText(details.postal_address)
        self.phone_edit.setText(details.phone)
        self.validate()

    def details(self) -> RequesterDetails:
        return RequesterDetails(
            name=self.name_edit.text().strip(),
            email=self.email_edit.text().strip(),
            postal_address=self.address_edit.toPlainText().strip(),
            phone=self.phone_edit.text().strip(),
        )

    def validate(self) -> bool:
        """Show each field's problem; True when all four are acceptable."""
        problems = (
            (self.name_error, name_problem(self.name_edit.text())),
            (self.email_error, email_problem(self.email_edit.text())),
            (self.address_error, text_problem("postal address", self.address_edit.toPlainText())),
            (
                self.phone_error,
                text_problem("phone number", self.phone_edit.text(), multiline=False),
            ),
        )
        for label, problem in problems:
            label.show_problem(problem)
        return not any(problem for _label, problem in problems)

    def tab_chain(self) -> list[QWidget]:
        return [self.name_edit, self.email_edit, self.address_edit, self.phone_edit]


class RequesterDialog(SubmitDialog):
    """Correct the requester's details; the timeline keeps what they were before."""

    def __init__(self, parent: QWidget | None, details: RequesterDetails) -> None:
        super().__init__(parent)
        name_widget(self, "requesterDialog", "Edit the requester's details")
        self.setWindowTitle("Requester's details")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.form = RequesterForm()
        layout.addWidget(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        default_ok(self.buttons, "&Save")
        name_buttons(self.buttons, "requester")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addStretch(1)  # spare height goes here, not between a field and its error
        layout.addWidget(self.buttons)
        self.form.changed.connect(self._update_ok)
        self.form.set_details(details)
        self._update_ok()
        self.form.name_edit.setFocus()

    def details(self) -> RequesterDetails:
        return self.form.details()

    def _update_ok(self) -> None:
        ok_button(self.buttons).setEnabled(self.form.validate())
        self.fit_height()

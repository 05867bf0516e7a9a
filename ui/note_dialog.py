"""A free-text dialog: a note for the timeline, or the reason for reopening a case."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui.forms import (
    FieldError,
    SubmitDialog,
    default_ok,
    name_buttons,
    name_widget,
    ok_button,
    plain_text_edit,
)


class NoteDialog(SubmitDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str = "Add a note",
        prompt: str = "&Note for the case record:",
        required: bool = True,
        object_name: str = "noteDialog",
        ok_text: str = "&Add note",
    ) -> None:
        super().__init__(parent)
        name_widget(self, object_name, title)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._required = required
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        self.text_edit = plain_text_edit("noteEdit", prompt.replace("&", "").rstrip(":"), lines=5)
        label.setBuddy(self.text_edit)
        self.error = FieldError("noteError")
        layout.addWidget(label)
        layout.addWidget(self.text_edit)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        default_ok(self.buttons, ok_text)
        name_buttons(self.buttons, "note")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text_edit.textChanged.connect(self._validate)
        self._validate()
        self.text_edit.setFocus()

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def _validate(self) -> None:
        empty = self._required and not self.text()
        ok_button(self.buttons).setEnabled(not empty)
        self.error.show_problem(None)

    def show_problem(self, problem: str) -> None:
        self.error.show_problem(problem)

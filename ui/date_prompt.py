"""The small "on which date?" question asked before a dated step (ID received, clarification
asked for, ...). Today by default, since most steps are recorded the day they happen; never a
future date, and never before the step that must come first."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui.forms import SubmitDialog, date_edit, date_value, name_buttons, name_widget


class DatePrompt(SubmitDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        question: str,
        today: date,
        minimum: date | None = None,
        ok_text: str = "&Record",
    ) -> None:
        super().__init__(parent)
        name_widget(self, "datePromptDialog", title)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)  # room for the title bar's text and a one-line question
        layout = QVBoxLayout(self)
        label = QLabel(question)
        label.setWordWrap(True)
        self.date_edit = date_edit(
            "promptDateEdit", question, today=today, minimum=minimum or date(2000, 1, 1)
        )
        label.setBuddy(self.date_edit)
        layout.addWidget(label)
        layout.addWidget(self.date_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(ok_text)
        ok.setDefault(True)
        name_buttons(buttons, "datePrompt")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.date_edit.setFocus()

    def chosen(self) -> date:
        day = date_value(self.date_edit)
        assert day is not None
        return day

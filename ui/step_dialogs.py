"""The two steps that ask the requester for something: proof of identity (with the reason
for the doubt and the documents for this case) and clarification (with the question, whose
letter is made in the same step, on the same date).

Both write nothing until OK; the use case (app.cases / app.letters) decides, and a refusal
keeps the dialog open with what was typed.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from app.identity import DEFAULTS, DOCUMENTS
from app.readmodels import CaseDetail
from ui.forms import (
    FieldError,
    SubmitDialog,
    add_field,
    date_edit,
    date_value,
    default_ok,
    name_buttons,
    name_widget,
    ok_button,
    plain_label,
    plain_text_edit,
)


class _StepDialog(SubmitDialog):
    """A date, a text the letter prints, and OK once the text is there."""

    def _build(
        self,
        detail: CaseDetail,
        *,
        prefix: str,
        title: str,
        intro: str,
        date_label: str,
        text_label: str,
        text_name: str,
        today: date,
        minimum: date,
        ok_text: str,
    ) -> QFormLayout:
        name_widget(self, f"{prefix}Dialog", f"{title} — {detail.reference}")
        self.setWindowTitle(f"{title} — {detail.reference}")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        note = plain_label(intro, f"{prefix}IntroLabel")
        note.setAccessibleName(f"About {title.lower()}")
        layout.addWidget(note)
        form = QFormLayout()
        # The text first: it is what the DPO must write; the date is usually today. (Tab in
        # a date edit walks its sections, so a date before the text would trap the keyboard.)
        self.text_edit = plain_text_edit(f"{prefix}TextEdit", text_name, lines=3)
        self.text_error = FieldError(f"{prefix}TextError")
        self.date_edit = date_edit(
            f"{prefix}DateEdit", date_label.replace("&", ""), today=today, minimum=minimum
        )
        add_field(form, text_label, self.text_edit, self.text_error)
        add_field(form, date_label, self.date_edit)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        default_ok(self.buttons, ok_text)
        name_buttons(self.buttons, prefix)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._layout = layout
        self.text_edit.textChanged.connect(self._update)
        return form

    def _finish(self) -> None:
        self._layout.addStretch(1)
        self._layout.addWidget(self.buttons)
        self._update()
        self.text_edit.setFocus()

    def chosen(self) -> date:
        day = date_value(self.date_edit)
        assert day is not None
        return day

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def _problem(self) -> str | None:
        return None

    def _update(self) -> None:
        problem = self._problem()
        self.text_error.show_problem(problem if self.text_edit.toPlainText() or problem else None)
        ok_button(self.buttons).setEnabled(problem is None)
        self.fit_height()


class ClarificationDialog(_StepDialog):
    def __init__(self, parent: QWidget | None, detail: CaseDetail, *, today: date) -> None:
        super().__init__(parent)
        self._build(
            detail,
            prefix="clarification",
            title="Pause for clarification",
            intro="The clock stops on this date until the answer arrives (both days "
            "uncounted). The letter asking your question is made now, dated the same day, "
            "and kept with the case; send it from Letters.",
            date_label="&Date asked:",
            text_label="&Question:",
            text_name="Question for the requester",
            today=today,
            minimum=detail.clock_start,
            ok_text="&Pause and make letter",
        )
        self.text_edit.setPlaceholderText(
            "What do you need to know? e.g. Which account, and which years, do you mean?"
        )
        self._finish()

    def _problem(self) -> str | None:
        return None if self.text() else "Type the question the letter asks."


class IdentityDialog(_StepDialog):
    def __init__(self, parent: QWidget | None, detail: CaseDetail, *, today: date) -> None:
        super().__init__(parent)
        form = self._build(
            detail,
            prefix="identity",
            title="Request proof of identity",
            intro="Ask only where there is reasonable doubt about who made the request, and "
            "only for what that doubt needs (Article 12(6)). The period starts again when "
            "the proof arrives.",
            date_label="&Date asked:",
            text_label="&Reason for doubt:",
            text_name="Reason for doubt about the requester's identity",
            today=today,
            minimum=detail.received_on,
            ok_text="&Request ID",
        )
        self.text_edit.setPlaceholderText(
            "e.g. The request came from an email address we have never used with you."
        )
        self.documents: dict[str, QCheckBox] = {}
        column = QVBoxLayout()
        column.setSpacing(2)
        for key, (label, _letter) in DOCUMENTS.items():
            box = QCheckBox(label)
            name_widget(box, f"identityDocument_{key}", label)
            box.setChecked(key in DEFAULTS[detail.request_type])
            box.toggled.connect(self._update)
            column.addWidget(box)
            self.documents[key] = box
        self.documents_error = FieldError("identityDocumentsError")
        column.addWidget(self.documents_error)
        holder = QWidget()
        holder.setLayout(column)
        name_widget(holder, "identityDocumentsBox", "Documents to ask for")
        form.addRow("Ask for:", holder)
        self._finish()

    def chosen_documents(self) -> list[str]:
        return [key for key, box in self.documents.items() if box.isChecked()]

    def _problem(self) -> str | None:
        return None if self.text() else "Give the reason: the letter must state it."

    def _update(self) -> None:
        if hasattr(self, "documents_error"):
            none = not self.chosen_documents()
            self.documents_error.show_problem("Tick at least one." if none else None)
        super()._update()
        if hasattr(self, "documents") and not self.chosen_documents():
            ok_button(self.buttons).setEnabled(False)

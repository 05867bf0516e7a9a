"""Close a case with its outcome. A refusal or a partial fulfilment must state its ground
(it goes in the outcome letter), so OK waits for it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from app.domain import Outcome, RequestType
from app.formatting import uk_date
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

# The example in the empty ground field: the exemption that fits the request's type (an
# Article 17(3) ground means nothing to an access or a rectification request).
GROUND_EXAMPLE = "the reason and the provision it rests on"
GROUND_EXAMPLES: dict[RequestType, str] = {
    RequestType.ACCESS: "the DPA 2018 Schedule 2 exemption, or third-party data withheld",
    RequestType.ERASURE: "the Article 17(3) exemption",
}


class CloseDialog(SubmitDialog):
    def __init__(self, parent: QWidget | None, detail: CaseDetail, *, today: date) -> None:
        super().__init__(parent)
        name_widget(self, "closeDialog", f"Close case {detail.reference}")
        self.setWindowTitle(f"Close {detail.reference}")
        self.setMinimumWidth(500)
        layout = QVBoxLayout(self)
        summary = plain_label(
            f"Due {uk_date(detail.effective_due)}; received {uk_date(detail.received_on)}.",
            "closeSummaryLabel",
        )
        summary.setAccessibleName("Case dates")
        layout.addWidget(summary)
        form = QFormLayout()
        self.outcome_combo = QComboBox()
        name_widget(self.outcome_combo, "outcomeCombo", "Outcome")
        for outcome in Outcome:
            self.outcome_combo.addItem(outcome.label, outcome.value)
        self.ground_edit = plain_text_edit("groundEdit", "Ground for the outcome")
        self.ground_edit.setPlaceholderText(
            "Required when partly fulfilled or refused, e.g. "
            + GROUND_EXAMPLES.get(detail.request_type, GROUND_EXAMPLE)
        )
        self.ground_error = FieldError("groundError")
        self.date_edit = date_edit(
            "closeDateEdit", "Date closed", today=today, minimum=detail.received_on
        )
        add_field(form, "&Outcome:", self.outcome_combo)
        add_field(form, "&Ground:", self.ground_edit, self.ground_error)
        add_field(form, "&Date closed:", self.date_edit)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        default_ok(self.buttons, "&Close case")
        name_buttons(self.buttons, "close")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addStretch(1)  # spare height goes here, not between a field and its error
        layout.addWidget(self.buttons)
        self.outcome_combo.currentIndexChanged.connect(self._update)
        self.ground_edit.textChanged.connect(self._update)
        self._update()
        self.outcome_combo.setFocus()

    def outcome(self) -> Outcome:
        return Outcome(self.outcome_combo.currentData())

    def ground(self) -> str:
        return self.ground_edit.toPlainText().strip()

    def closed_on(self) -> date:
        day = date_value(self.date_edit)
        assert day is not None
        return day

    def _update(self) -> None:
        outcome = self.outcome()
        missing = outcome.needs_ground and not self.ground()
        self.ground_error.show_problem(
            f"State the ground for '{outcome.label.lower()}'; it goes in the outcome letter."
            if missing
            else None
        )
        ok_button(self.buttons).setEnabled(not missing)
        self.fit_height()

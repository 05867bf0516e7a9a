"""Close a case with its outcome. A refusal or a partial fulfilment must state its legal
basis (chosen from those that fit the request type, app.grounds) and its ground (the
particulars); both go in the letter, so OK waits for them. A marketing opt-out is offered
no refusal and no partial fulfilment: the objection is absolute (Art. 21(3)). Closed after
the statutory deadline, the dialog asks why: the reason goes on the record and into the
reports' "reasons for lateness" (issue 12)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from app.domain import Outcome, RequestType
from app.formatting import uk_date
from app.grounds import BASES_BY_TYPE, GroundBasis, outcomes_for
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
        self.statutory_due = detail.statutory_due
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
        for outcome in outcomes_for(detail.request_type):
            self.outcome_combo.addItem(outcome.label, outcome.value)
        self.basis_combo = QComboBox()
        name_widget(self.basis_combo, "groundBasisCombo", "Legal basis")
        self.basis_combo.addItem("Choose the legal basis…", "")
        for basis in BASES_BY_TYPE[detail.request_type]:
            self.basis_combo.addItem(basis.label, basis.value)
        self.basis_error = FieldError("groundBasisError")
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
        add_field(form, "Legal &basis:", self.basis_combo, self.basis_error)
        add_field(form, "&Ground:", self.ground_edit, self.ground_error)
        self._default_placeholder = self.ground_edit.placeholderText()
        add_field(form, "&Date closed:", self.date_edit)
        self.late_edit = plain_text_edit("lateReasonEdit", "Why the answer is late", lines=2)
        self.late_edit.setPlaceholderText(
            "e.g. we waited for records from the payroll provider (the reports list this)"
        )
        self.late_error = FieldError("lateReasonError")
        self.late_row = add_field(form, "Why &late:", self.late_edit, self.late_error)
        self.form = form
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
        self.basis_combo.currentIndexChanged.connect(self._update)
        self.ground_edit.textChanged.connect(self._update)
        self.date_edit.dateChanged.connect(self._update)
        self.late_edit.textChanged.connect(self._update)
        self._update()
        self.outcome_combo.setFocus()

    def outcome(self) -> Outcome:
        return Outcome(self.outcome_combo.currentData())

    def ground(self) -> str:
        return self.ground_edit.toPlainText().strip()

    def ground_basis(self) -> str | None:
        """The chosen legal basis, when the outcome needs one."""
        value = self.basis_combo.currentData()
        return value if value and self.outcome().needs_ground else None

    def select_basis(self, basis: GroundBasis) -> None:
        self.basis_combo.setCurrentIndex(self.basis_combo.findData(basis.value))

    def days_late(self) -> int:
        """Calendar days after the statutory deadline (0 when in time); a withdrawn request
        is not an answer, so it is never late."""
        if self.outcome() is Outcome.WITHDRAWN:
            return 0
        return max((self.closed_on() - self.statutory_due).days, 0)

    def late_reason(self) -> str:
        return self.late_edit.toPlainText().strip() if self.days_late() else ""

    def closed_on(self) -> date:
        day = date_value(self.date_edit)
        assert day is not None
        return day

    def _update(self) -> None:
        outcome = self.outcome()
        needed = outcome.needs_ground
        self.basis_combo.setEnabled(needed)
        basis = self.basis_combo.currentData()
        self.ground_edit.setPlaceholderText(
            f"Required: {GroundBasis(basis).example}"
            if needed and basis
            else self._default_placeholder
        )
        missing = needed and not self.ground()
        no_basis = needed and not basis
        self.basis_error.show_problem(
            f"Choose the legal basis for '{outcome.label.lower()}'; the letter states it."
            if no_basis
            else None
        )
        self.ground_error.show_problem(
            f"State the ground for '{outcome.label.lower()}'; it goes in the outcome letter."
            if missing
            else None
        )
        late = self.days_late()
        self.form.setRowVisible(self.late_row, bool(late))
        no_reason = bool(late) and not self.late_reason()
        self.late_error.show_problem(
            f"Closed {late} day{'s' if late != 1 else ''} after the statutory deadline "
            f"({uk_date(self.statutory_due)}): say why; the reports list the reasons."
            if no_reason
            else None
        )
        ok_button(self.buttons).setEnabled(not missing and not no_basis and not no_reason)
        self.fit_height()

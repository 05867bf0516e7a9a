"""Extend a case by one or two further months (DESIGN.md rule 7).

The new deadline is computed live with the same pure function the use case uses, so the DPO
sees exactly what they are committing to before confirming; nothing is written until OK.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from app.deadlines import MAX_EXTENSION_MONTHS, case_deadlines
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


def extended_deadline(detail: CaseDetail, extra_months: int) -> date:
    """The effective deadline once `extra_months` more are added to the case's clock."""
    return case_deadlines(detail.clock(extra_months=extra_months)).effective


class ExtensionDialog(SubmitDialog):
    def __init__(self, parent: QWidget | None, detail: CaseDetail, *, today: date) -> None:
        super().__init__(parent)
        self.detail = detail
        name_widget(self, "extensionDialog", f"Extend case {detail.reference}")
        self.setWindowTitle(f"Extend {detail.reference}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        told_by = (
            "An extension needs a reason (a complex request, or several requests from the "
            "same person), and the requester must be told of it by "
            f"{uk_date(detail.extension_notice_by)}."
        )
        since = detail.clock().paused_since
        if since is not None and since <= detail.extension_notice_by:
            told_by += (
                f" The clock is stopped for clarification since {uk_date(since)}, so notice "
                "given while it is stopped is in time."
            )
        intro = plain_label(told_by, "extensionIntroLabel")
        intro.setAccessibleName("About extensions")
        layout.addWidget(intro)
        form = QFormLayout()
        self.reason_edit = plain_text_edit("extensionReasonEdit", "Reason for the extension")
        self.reason_error = FieldError("extensionReasonError")
        self.months_combo = QComboBox()
        name_widget(self.months_combo, "extensionMonthsCombo", "Further months")
        remaining = MAX_EXTENSION_MONTHS - detail.extension_months
        for months in range(1, max(remaining, 0) + 1):
            self.months_combo.addItem(f"{months} month{'s' if months != 1 else ''}", months)
        self.months_combo.setCurrentIndex(self.months_combo.count() - 1)
        self.date_edit = date_edit(
            "extensionDateEdit",
            "Date the requester is told",
            today=today,
            minimum=detail.clock_start,
        )
        self.date_error = FieldError("extensionDateError")
        add_field(form, "&Reason:", self.reason_edit, self.reason_error)
        add_field(form, "Further &months:", self.months_combo)
        add_field(form, "&Notice date:", self.date_edit, self.date_error)
        layout.addLayout(form)
        self.current_label = plain_label(
            f"Currently due: {uk_date(detail.effective_due)}", "extensionCurrentLabel"
        )
        self.current_label.setAccessibleName("Current deadline")
        self.new_deadline_label = plain_label("", "extensionNewDeadlineLabel")
        self.new_deadline_label.setAccessibleName("New deadline")
        self.new_deadline_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.current_label)
        layout.addWidget(self.new_deadline_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        default_ok(self.buttons, "&Extend")
        name_buttons(self.buttons, "extension")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addStretch(1)  # spare height goes here, not between a field and its error
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._update)
        self.months_combo.currentIndexChanged.connect(self._update)
        self.date_edit.dateChanged.connect(self._update)
        self._update()
        self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def months(self) -> int:
        return int(self.months_combo.currentData() or 0)

    def notice_date(self) -> date:
        day = date_value(self.date_edit)
        assert day is not None
        return day

    def new_deadline(self) -> date | None:
        return extended_deadline(self.detail, self.months()) if self.months() else None

    def _update(self) -> None:
        new = self.new_deadline()
        if new is None:
            self.new_deadline_label.setText("This case already has the longest extension.")
        else:
            self.new_deadline_label.setText(f"New deadline: {uk_date(new)}")
        reason_problem = (
            None if self.reason() else "Give the reason: the requester must be told it."
        )
        self.reason_error.show_problem(reason_problem)
        late = not self.detail.notice_in_time(self.notice_date())
        self.date_error.show_problem(
            f"Too late: the notice had to be given by {uk_date(self.detail.extension_notice_by)}."
            if late
            else None
        )
        ok_button(self.buttons).setEnabled(new is not None and not reason_problem and not late)
        self.fit_height()

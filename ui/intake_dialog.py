"""Log a new request: a thirty-second job, and the day it arrived is the day it is logged.

The form refuses what the core would refuse (same messages, app.validation), next to the
field, and OK waits until all is well. A draft (e.g. from an imported email) fills the form;
what could not be read is listed at the top and left empty rather than guessed. When the
same email already has an open case the dialog says so and links it: repeated requests can
justify an extension.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app import cases
from app.domain import Channel, DomainError, RequestType
from app.formatting import uk_date
from app.intake import log_request_with_original
from app.readmodels import IntakeDraft, RequesterDetails
from app.store import Store, StoreError
from app.suppressions import is_suppressed, open_cases_for_name
from app.validation import received_date_problem, text_problem
from ui.forms import (
    ERROR_STYLE,
    WARNING_STYLE,
    FieldError,
    SubmitDialog,
    add_field,
    date_edit,
    date_value,
    name_buttons,
    name_widget,
    ok_button,
    plain_label,
    plain_text_edit,
    to_qdate,
)
from ui.requester_dialog import RequesterForm
from ui.signals import StoreSignals


class LinkLabel(QLabel):
    """A label of links where Tab lands on the first link itself, so Enter opens it at once."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() is Qt.FocusReason.TabFocusReason:
            self.focusNextPrevChild(True)
        elif event.reason() is Qt.FocusReason.BacktabFocusReason:
            self.focusNextPrevChild(False)


class IntakeDialog(SubmitDialog):
    openCaseRequested = Signal(int)

    def __init__(
        self,
        store: Store,
        signals: StoreSignals,
        parent: QWidget | None = None,
        *,
        draft: IntakeDraft | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "intakeDialog", "Log a new request")
        self.setWindowTitle("Log a new request")
        self.setMinimumWidth(560)
        self.store = store
        self.signals = signals
        self.today = today
        self.draft = draft
        self.created_case_id: int = 0
        self._duplicates: list[tuple[int, str]] = []
        self._suppressed = False

        layout = QVBoxLayout(self)
        self.problems_label = plain_label("", "draftProblemsLabel")
        self.problems_label.setAccessibleName("What could not be read")
        self.problems_label.setStyleSheet(WARNING_STYLE)
        self.problems_label.setVisible(False)
        layout.addWidget(self.problems_label)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.requester = RequesterForm(self, form=form)
        self.duplicate_label = LinkLabel()
        self.duplicate_label.setObjectName("duplicateCaseLabel")
        self.duplicate_label.setAccessibleName("Warnings: suppressed contact or other open cases")
        self.duplicate_label.setTextFormat(Qt.TextFormat.RichText)  # links; data escaped
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.setStyleSheet(WARNING_STYLE)
        self.duplicate_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.duplicate_label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.duplicate_label.linkActivated.connect(self._open_linked)
        self.duplicate_label.setVisible(False)
        self.requester.columns["email"].addWidget(self.duplicate_label)  # under its error

        self.type_combo = QComboBox()
        name_widget(self.type_combo, "requestTypeCombo", "Request type")
        for kind in RequestType:
            self.type_combo.addItem(f"{kind.label} ({kind.article})", kind.value)
        self.channel_combo = QComboBox()
        name_widget(self.channel_combo, "channelCombo", "Received by")
        for channel in Channel:
            self.channel_combo.addItem(channel.label, channel.value)
        self.received_edit = date_edit(
            "receivedDateEdit", "Date received", today=today(), allow_unset=True
        )
        self.received_error = FieldError("receivedDateError")
        self.details_edit = plain_text_edit("detailsEdit", "What the requester asks for", lines=4)
        self.details_error = FieldError("detailsError")
        self.identity_check = QCheckBox("&Identity must be checked before answering")
        name_widget(self.identity_check, "identityRequiredCheck", "Identity must be checked")
        add_field(form, "Request &type:", self.type_combo)
        add_field(form, "Re&ceived by:", self.channel_combo)
        add_field(form, "&Received on:", self.received_edit, self.received_error)
        add_field(form, "&Details:", self.details_edit, self.details_error)
        form.addRow("", self.identity_check)
        layout.addLayout(form)

        self.error_label = plain_label("", "intakeErrorLabel")
        self.error_label.setAccessibleName("Why the request was not logged")
        self.error_label.setStyleSheet(ERROR_STYLE + "font-weight: bold;")
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = ok_button(self.buttons)
        ok.setText("&Log request")
        ok.setDefault(True)
        name_buttons(self.buttons, "intake")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addStretch(1)  # spare height goes here, not between a field and its error
        layout.addWidget(self.buttons)

        chain: list[QWidget] = [
            *self.requester.tab_chain()[:2],
            self.duplicate_label,
            *self.requester.tab_chain()[2:],
            self.type_combo,
            self.channel_combo,
            self.received_edit,
            self.details_edit,
            self.identity_check,
            ok,
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._fields = chain[:-2]

        if draft is not None:
            self._apply_draft(draft)
        self.requester.changed.connect(self._validate)
        self.requester.email_edit.textChanged.connect(self._check_duplicates)
        self.requester.name_edit.textChanged.connect(self._check_duplicates)
        self.received_edit.dateChanged.connect(self._validate)
        self.details_edit.textChanged.connect(self._validate)
        self.submit = self._log
        self._check_duplicates()
        self._validate()
        self.requester.name_edit.setFocus()

    # -----------------------------------------------------------------------------------

    def _apply_draft(self, draft: IntakeDraft) -> None:
        self.requester.set_details(
            RequesterDetails(draft.name, draft.email, draft.postal_address, draft.phone)
        )
        if draft.request_type is not None:
            self.type_combo.setCurrentIndex(self.type_combo.findData(draft.request_type.value))
        if draft.channel is not None:
            self.channel_combo.setCurrentIndex(self.channel_combo.findData(draft.channel.value))
        problems = list(draft.problems)
        if draft.received_on is None:
            self.received_edit.setDate(self.received_edit.minimumDate())  # "not set"
        elif draft.received_on > self.today():
            problems.append(f"The date given ({uk_date(draft.received_on)}) is in the future.")
            self.received_edit.setDate(self.received_edit.minimumDate())
        else:
            self.received_edit.setDate(to_qdate(draft.received_on))
        self.details_edit.setPlainText(draft.description)
        if problems:
            self.problems_label.setText(
                "Check this request: " + " ".join(p.rstrip(".") + "." for p in problems)
            )
            self.problems_label.setVisible(True)

    def _validate(self) -> bool:
        ok = self.requester.validate()
        received = date_value(self.received_edit)
        received_problem = (
            "Enter the date the request was received."
            if received is None
            else received_date_problem(received, self.today())
        )
        self.received_error.show_problem(received_problem)
        details_problem = text_problem("description", self.details_edit.toPlainText())
        self.details_error.show_problem(details_problem)
        valid = ok and not received_problem and not details_problem
        ok_button(self.buttons).setEnabled(valid)
        self.fit_height()
        return valid

    def _check_duplicates(self) -> None:
        """Warn (never refuse) when the requester is on the suppression list, or already has
        an open case under the same email or the same name (case and accents folded)."""
        email = self.requester.email_edit.text().strip()
        valid_email = "@" in email
        by_email = cases.open_cases_for_email(self.store, email) if valid_email else []
        by_name = open_cases_for_name(self.store, self.requester.name_edit.text())
        seen = {case_id for case_id, _ in by_email}
        by_name = [(case_id, ref) for case_id, ref in by_name if case_id not in seen]
        suppressed = valid_email and is_suppressed(self.store, email)
        self._duplicates = by_email + by_name
        self._suppressed = suppressed
        parts = []
        if suppressed:
            parts.append("This email is on the suppression list: never contact it for marketing.")

        def links(found: list[tuple[int, str]]) -> str:
            return ", ".join(
                f'<a href="case:{case_id}">{html.escape(reference)}</a>'
                for case_id, reference in found
            )

        def noun(found: list[tuple[int, str]]) -> str:
            return "an open case" if len(found) == 1 else f"{len(found)} open cases"

        if by_email:
            parts.append(f"This email already has {noun(by_email)}: {links(by_email)}.")
        if by_name:
            parts.append(f"Someone of the same name has {noun(by_name)}: {links(by_name)}.")
        if by_email or by_name:
            parts.append("Repeated requests can justify an extension.")
        if not parts:
            self.duplicate_label.setVisible(False)
            self.duplicate_label.clear()
            return
        self.duplicate_label.setText(" ".join(parts))
        self.duplicate_label.setVisible(True)

    def is_suppressed_contact(self) -> bool:
        return self._suppressed

    def duplicate_case_ids(self) -> list[int]:
        return [case_id for case_id, _reference in self._duplicates]

    def _open_linked(self, link: str) -> None:
        if link.startswith("case:"):
            self.openCaseRequested.emit(int(link.removeprefix("case:")))

    def _log(self) -> bool:
        """OK: log the case (and keep the original email with it), or say why not."""
        if not self._validate():
            return False
        received = date_value(self.received_edit)
        assert received is not None
        fields = {
            "request_type": RequestType(self.type_combo.currentData()),
            "channel": Channel(self.channel_combo.currentData()),
            "on": received,
            "description": self.details_edit.toPlainText(),
            "identity_required": self.identity_check.isChecked(),
            "today": self.today(),
        }
        draft = self.draft
        try:
            if draft is not None and draft.original is not None:
                # The case and its original email are kept together or not at all.
                detail = log_request_with_original(
                    self.store,
                    self.requester.details(),
                    original=draft.original,
                    original_filename=draft.original_filename or "original-request.eml",
                    original_mime_type=draft.original_mime_type,
                    **fields,
                )
            else:
                detail = cases.log_request(self.store, self.requester.details(), **fields)
        except (DomainError, StoreError) as error:
            self.error_label.setText(str(error))
            self.error_label.setVisible(True)
            return False
        self.created_case_id = detail.id
        self.signals.cases_changed.emit()
        self.signals.case_changed.emit(detail.id)
        return True

"""First start: a short welcome that asks for what every letter prints and what the deadlines
depend on, so the DPO's first letter is never "Your Organisation Ltd … contact us at  or .".

Shown at start while the store has no organisation details (`needs_welcome`); "Later" closes
it, and until the details are in, the letter dialog says which are missing. Every field here
is also in Settings ▸ Organisation settings, where it can be changed at any time.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.deadlines import REGION_LABELS
from app.domain import DomainError
from app.settings import (
    LETTERHEAD_FIELDS,
    OrgSettings,
    load_settings,
    missing_letterhead,
    save_settings,
)
from app.store import Store, StoreError
from app.validation import email_problem
from ui.forms import (
    FieldError,
    SubmitDialog,
    add_field,
    default_ok,
    name_buttons,
    name_widget,
    plain_text_edit,
)
from ui.settings_dialog import LETTERHEAD_LINES
from ui.signals import StoreSignals


def needs_welcome(settings: OrgSettings) -> bool:
    """A store whose letterhead was never filled in (a new store, or one that only ever had
    the old placeholder name)."""
    return "organisation name" in missing_letterhead(settings)


class WelcomeDialog(SubmitDialog):
    def __init__(self, store: Store, signals: StoreSignals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.signals = store, signals
        self.original = load_settings(store)
        name_widget(self, "welcomeDialog", "Welcome to DSAR Desk")
        self.setWindowTitle("Welcome to DSAR Desk")
        self.setMinimumWidth(560)

        intro = QLabel(
            "<b>Welcome.</b> Before the first request, tell DSAR Desk who is answering. "
            "These details print on every letter (letterhead, contact lines, signature), and "
            "the region and promise set every deadline. You can change them later under "
            "Settings ▸ Organisation settings."
        )
        intro.setObjectName("welcomeIntroLabel")
        intro.setWordWrap(True)

        form = QFormLayout()
        self.lines: dict[str, QLineEdit] = {}
        self.errors: dict[str, FieldError] = {}
        for field, object_name, label in LETTERHEAD_LINES:
            edit = QLineEdit(getattr(self.original, field))
            name_widget(edit, object_name, label.replace("&", ""))
            self.lines[field] = edit
            self.errors[field] = FieldError(f"{object_name.removesuffix('Edit')}ErrorLabel")
            add_field(form, label, edit, self.errors[field])
            if field == "org_name":
                self.address_edit = plain_text_edit(
                    "orgAddressEdit", "Organisation postal address", lines=3
                )
                self.address_edit.setPlaceholderText("As it goes on an envelope, one line each")
                self.address_edit.setPlainText(self.original.org_address)
                self.errors["org_address"] = FieldError("orgAddressErrorLabel")
                add_field(form, "Postal a&ddress", self.address_edit, self.errors["org_address"])
        self.lines["org_email"].setPlaceholderText("e.g. privacy@yourcompany.co.uk")

        self.region_combo = QComboBox()
        name_widget(self.region_combo, "regionCombo", "Bank-holiday region")
        for key, label in REGION_LABELS.items():
            self.region_combo.addItem(label, key)
        self.region_combo.setCurrentIndex(max(0, self.region_combo.findData(self.original.region)))
        add_field(form, "Bank-holiday &region", self.region_combo)
        self.promise_spin = QSpinBox()
        name_widget(self.promise_spin, "promiseSpinBox", "Our promise in days")
        self.promise_spin.setRange(1, 31)
        self.promise_spin.setSuffix(" days")
        self.promise_spin.setValue(self.original.promise_days)
        promise_note = QLabel(
            "The reply your privacy policy promises. A case works to the earlier of this and "
            "one calendar month (UK GDPR Art. 12(3))."
        )
        promise_note.setObjectName("promiseNoteLabel")
        promise_note.setWordWrap(True)
        add_field(form, "Our &promise", self.promise_spin, promise_note)

        self.error = FieldError("welcomeErrorLabel")
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        name_buttons(box, "welcome")
        default_ok(box, "&Save and start")
        cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText("&Later")
            cancel.setAccessibleName("Later")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)  # room that error lines free up goes below, not between fields
        layout.addWidget(self.error)
        layout.addWidget(box)
        self.submit = self._save

    def values(self) -> OrgSettings:
        changes = {field: edit.text().strip() for field, edit in self.lines.items()}
        return replace(
            self.original,
            **changes,
            org_address=self.address_edit.toPlainText().strip(),
            region=self.region_combo.currentData(),
            promise_days=self.promise_spin.value(),
        )

    def _problems(self, settings: OrgSettings) -> dict[str, str]:
        problems = {
            field: "Needed: every letter prints it."
            for field, _label in LETTERHEAD_FIELDS  # the complaints line is optional
            if not getattr(settings, field)
        }
        if "org_email" not in problems:
            problem = email_problem(settings.org_email)
            if problem:
                problems["org_email"] = problem
        return problems

    def _save(self) -> bool:
        settings = self.values()
        problems = self._problems(settings)
        for field, error in self.errors.items():
            error.show_problem(problems.get(field))
        if problems:
            first = next(f for f in ("org_name", "org_address", *self.lines) if f in problems)
            (self.address_edit if first == "org_address" else self.lines[first]).setFocus()
            self.error.show_problem(None)
            self.fit_height()
            return False
        try:
            save_settings(self.store, settings)
        except (DomainError, StoreError) as error:
            self.error.show_problem(str(error))
            self.fit_height()
            return False
        self.signals.settings_changed.emit()
        return True

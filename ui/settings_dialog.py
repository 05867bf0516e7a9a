"""Organisation settings: the letterhead, the DPO's signature, the deadline policy and the
Article 15 information the access letter carries.

Nothing is written until OK; a refused value (app.settings says why) keeps the dialog open
with everything typed. The logo is checked as it is chosen, so a wrong file is named at once
rather than when the first letter fails.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.deadlines import REGION_LABELS
from app.domain import DomainError
from app.letters.logo import logo_problem
from app.settings import LETTERHEAD_FIELDS, OrgSettings, load_settings, save_settings
from app.store import Store, StoreError
from ui.forms import (
    FieldError,
    SubmitDialog,
    default_ok,
    name_buttons,
    name_widget,
    plain_text_edit,
    show_error,
)
from ui.signals import StoreSignals

LOGO_PREVIEW_HEIGHT = 56

# (field, object name, label) of the single-line texts (the welcome asks for the same).
LETTERHEAD_LINES = (
    ("org_name", "orgNameEdit", "Organisation &name"),
    ("org_email", "orgEmailEdit", "Contact &email"),
    ("org_phone", "orgPhoneEdit", "Contact &phone"),
    ("dpo_name", "dpoNameEdit", "DPO's n&ame (signs letters)"),
    ("dpo_title", "dpoTitleEdit", "DPO's &title"),
    ("complaints_contact", "complaintsContactEdit", "How to complain to &us"),
)
# (field, object name, label, hint) of the Article 15 texts; the hint says what the law
# asks each one to cover (UK GDPR Art. 15(1) and (2)).
_ARTICLE_15 = (
    (
        "purposes",
        "purposesEdit",
        "&Purposes of the processing",
        "Why the data is used, e.g. providing the services in the contract; billing",
    ),
    (
        "categories",
        "categoriesEdit",
        "&Categories of personal data",
        "e.g. contact details, support tickets, call recordings",
    ),
    (
        "recipients",
        "recipientsEdit",
        "&Recipients",
        "Who receives the data (Art. 15(1)(c)), naming any recipients in countries outside "
        "the UK or international organisations",
    ),
    (
        "transfer_safeguards",
        "transferSafeguardsEdit",
        "Sa&feguards for transfers abroad",
        "Art. 15(2): the safeguards for each transfer outside the UK (e.g. UK adequacy "
        "regulations, the International Data Transfer Agreement), or that there are none",
    ),
    (
        "retention",
        "retentionEdit",
        "How long data is &kept",
        "How long, or the criteria used to decide",
    ),
    (
        "source",
        "sourceEdit",
        "&Where data comes from",
        "Where the data came from when not from the requester",
    ),
    (
        "automated_decisions",
        "automatedDecisionsEdit",
        "&Automated decision-making",
        "Art. 15(1)(h): whether decisions are made by automated means (including profiling); "
        "if so, the logic involved, its significance and the envisaged consequences",
    ),
)

# The Article 15 answers the systems register can give instead of free text.
REGISTER_FIELDS = ("purposes", "categories", "recipients", "retention", "transfer_safeguards")


class SettingsDialog(SubmitDialog):
    def __init__(self, store: Store, signals: StoreSignals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.signals = store, signals
        self.original = load_settings(store)
        self.logo: bytes | None = self.original.logo
        name_widget(self, "settingsDialog", "Organisation settings")
        self.setWindowTitle("Organisation settings")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        name_widget(self.tabs, "settingsTabs", "Settings sections")
        layout.addWidget(self.tabs)
        self.lines: dict[str, QLineEdit] = {}
        self.texts: dict[str, QPlainTextEdit] = {}
        self.tabs.addTab(self._letterhead_tab(), "&Letterhead")
        self.tabs.addTab(self._deadlines_tab(), "&Deadlines")
        self.tabs.addTab(self._article_15_tab(), "Article &15 information")
        self.error = FieldError("settingsErrorLabel")
        layout.addWidget(self.error)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        name_buttons(box, "settings")
        default_ok(box, "&Save")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.submit = self._save
        self._show_logo()

    # -- building --------------------------------------------------------------------------

    def _letterhead_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        for field, object_name, label in LETTERHEAD_LINES[:3]:
            self._line(form, field, object_name, label)
        self.address_edit = plain_text_edit(
            "orgAddressEdit", "Organisation postal address", lines=4
        )
        self.address_edit.setPlainText(self.original.org_address)
        self.address_edit.setMaximumHeight(self.address_edit.fontMetrics().lineSpacing() * 5 + 16)
        self.texts["org_address"] = self.address_edit
        form.insertRow(1, self._label("Postal a&ddress", self.address_edit), self.address_edit)
        for field, object_name, label in LETTERHEAD_LINES[3:]:
            self._line(form, field, object_name, label)
        self.lines["complaints_contact"].setPlaceholderText(
            "e.g. using the form at example.com/complaints (empty: by email or post)"
        )
        self.lines["complaints_contact"].setToolTip(
            "Outcome letters tell the requester how to complain to us first (DPA 2018 s.164A)."
        )

        row = QHBoxLayout()
        self.logo_preview = QLabel()
        name_widget(self.logo_preview, "logoPreviewLabel", "Logo")
        self.logo_preview.setMinimumHeight(LOGO_PREVIEW_HEIGHT)
        self.logo_preview.setMinimumWidth(160)
        self.logo_preview.setWordWrap(True)  # "No logo: ..." wraps rather than being cut off
        row.addWidget(self.logo_preview, 1)
        self.choose_logo_button = QPushButton("Choose &logo…")
        name_widget(self.choose_logo_button, "chooseLogoButton", "Choose logo")
        self.choose_logo_button.clicked.connect(self.choose_logo)
        row.addWidget(self.choose_logo_button)
        self.remove_logo_button = QPushButton("&Remove logo")
        name_widget(self.remove_logo_button, "removeLogoButton", "Remove logo")
        self.remove_logo_button.clicked.connect(self.remove_logo)
        row.addWidget(self.remove_logo_button)
        form.addRow("Logo (PNG or JPEG)", row)
        self.logo_error = FieldError("logoErrorLabel")
        form.addRow("", self.logo_error)
        return page

    def _deadlines_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.region_combo = QComboBox()
        name_widget(self.region_combo, "regionCombo", "Bank-holiday region")
        for key, label in REGION_LABELS.items():
            self.region_combo.addItem(label, key)
        self.region_combo.setCurrentIndex(max(0, self.region_combo.findData(self.original.region)))
        form.addRow(self._label("Bank-holiday &region", self.region_combo), self.region_combo)
        self.promise_spin = QSpinBox()
        name_widget(self.promise_spin, "promiseSpinBox", "Our promise in days")
        self.promise_spin.setRange(1, 31)
        self.promise_spin.setSuffix(" days")
        self.promise_spin.setValue(self.original.promise_days)
        form.addRow(self._label("Our &promise", self.promise_spin), self.promise_spin)
        note = QLabel(
            "The deadline a case works to is the earlier of one calendar month and this "
            "promise. A new value applies to requests logged from now on."
        )
        note.setWordWrap(True)
        form.addRow("", note)
        self.attachment_spin = QSpinBox()
        name_widget(self.attachment_spin, "attachmentLimitSpinBox", "Attachment limit in MB")
        self.attachment_spin.setRange(1, 500)
        self.attachment_spin.setSuffix(" MB")
        self.attachment_spin.setValue(self.original.attachment_limit_mb)
        form.addRow(self._label("&Attachment limit", self.attachment_spin), self.attachment_spin)
        return page

    def _article_15_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        intro = QLabel(
            "The access (Article 15) cover letter gives the requester these. "
            "An access letter cannot be produced while one is empty."
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.from_register_check = QCheckBox(
            "Take purposes, categories, recipients, retention and transfers from the s&ystems "
            "register"
        )
        name_widget(
            self.from_register_check, "article15FromRegisterCheck", "Take them from the register"
        )
        self.from_register_check.setToolTip(
            "The letter then lists, for the systems where the requester's data was found, what "
            "the register says of them (Settings ▸ Systems register…)."
        )
        self.from_register_check.setChecked(self.original.article_15_from_register)
        form.addRow(self.from_register_check)
        for field, object_name, label, hint in _ARTICLE_15:
            edit = plain_text_edit(object_name, label.replace("&", ""), lines=2)
            edit.setPlaceholderText(hint)
            edit.setPlainText(getattr(self.original, field))
            self.texts[field] = edit
            form.addRow(self._label(label, edit), edit)
        self.from_register_check.toggled.connect(self._article_15_source)
        self._article_15_source()
        return page

    def _article_15_source(self) -> None:
        from_register = self.from_register_check.isChecked()
        for field in REGISTER_FIELDS:
            self.texts[field].setEnabled(not from_register)

    def _line(self, form: QFormLayout, field: str, object_name: str, label: str) -> None:
        edit = QLineEdit(getattr(self.original, field))
        name_widget(edit, object_name, label.replace("&", ""))
        self.lines[field] = edit
        form.addRow(self._label(label, edit), edit)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def focus_missing(self) -> None:
        """Put the keyboard in the first letterhead detail that is still empty."""
        for field, _label in LETTERHEAD_FIELDS:
            edit = self.lines.get(field) or self.texts.get(field)
            if edit is not None and not getattr(self.original, field).strip():
                self.tabs.setCurrentIndex(0)
                edit.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    # -- logo ------------------------------------------------------------------------------

    def choose_logo(self) -> None:
        path = self._ask_logo_path()
        if not path:
            return
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            self.logo_error.show_problem(f"The file could not be read: {error.strerror}.")
            return
        self.set_logo(data)

    def set_logo(self, data: bytes) -> bool:
        problem = logo_problem(data)
        self.logo_error.show_problem(problem)
        if problem is None:
            self.logo = data
            self._show_logo()
        return problem is None

    def remove_logo(self) -> None:
        self.logo = None
        self.logo_error.show_problem(None)
        self._show_logo()

    def _show_logo(self) -> None:
        self.remove_logo_button.setEnabled(self.logo is not None)
        if not self.logo:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo: the letterhead shows the name only.")
            return
        image = QImage.fromData(self.logo)
        pixmap = QPixmap.fromImage(image).scaledToHeight(
            LOGO_PREVIEW_HEIGHT, Qt.TransformationMode.SmoothTransformation
        )
        self.logo_preview.setPixmap(pixmap)

    def _ask_logo_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the letterhead logo", "", "Images (*.png *.jpg *.jpeg)"
        )
        return path

    # -- saving ----------------------------------------------------------------------------

    def values(self) -> OrgSettings:
        changes: dict[str, object] = {f: e.text().strip() for f, e in self.lines.items()}
        changes |= {f: e.toPlainText().strip() for f, e in self.texts.items()}
        return replace(
            self.original,
            **changes,  # type: ignore[arg-type]
            logo=self.logo,
            region=self.region_combo.currentData(),
            promise_days=self.promise_spin.value(),
            attachment_limit_mb=self.attachment_spin.value(),
            article_15_from_register=self.from_register_check.isChecked(),
        )

    def _save(self) -> bool:
        if not self.lines["org_name"].text().strip():
            self.error.show_problem("The organisation's name is needed for the letterhead.")
            self.tabs.setCurrentIndex(0)
            self.lines["org_name"].setFocus()
            return False
        try:
            save_settings(self.store, self.values())
        except (DomainError, StoreError) as error:
            self.error.show_problem(str(error))
            return False
        except OSError as error:  # pragma: no cover - disk trouble
            show_error(self, "Settings not saved", str(error))
            return False
        self.signals.settings_changed.emit()
        return True

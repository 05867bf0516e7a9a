"""Adding or editing one system of the register. Nothing is written until OK; a refused entry
(app.systems says why) keeps the dialog open with everything typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import RequestType
from app.systems import Identifier, System, SystemDetails
from ui.forms import (
    FieldError,
    SubmitDialog,
    add_field,
    default_ok,
    name_buttons,
    name_widget,
    plain_text_edit,
)

# (field, object name, label, placeholder, lines; 0 for one line)
_WHAT = (
    ("name", "systemNameEdit", "&Name", "e.g. Payroll (Sage)", 0),
    ("owner", "systemOwnerEdit", "&Owner", "The person or team answerable for it", 0),
    ("data_held", "systemDataEdit", "Personal &data held", "e.g. names, emails, call logs", 2),
    ("purposes", "systemPurposesEdit", "&Purposes", "Why the data is used", 2),
    ("lawful_basis", "systemBasisEdit", "&Lawful basis", "e.g. Contract (Art. 6(1)(b))", 0),
    ("retention", "systemRetentionEdit", "Re&tention", "How long, or the criteria", 0),
)
_SHARING = (
    ("recipients", "systemRecipientsEdit", "Re&cipients", "Who receives it, if anyone", 2),
    (
        "transfer_safeguard",
        "systemSafeguardEdit",
        "Transfer safe&guard",
        "e.g. UK adequacy regulations; the IDTA",
        2,
    ),
)
_REQUESTS = (
    ("how_to_search", "systemHowToSearchEdit", "How &to search", "Where and how to look", 2),
    ("how_to_erase", "systemHowToEraseEdit", "How to &erase", "What erasing means here", 2),
    ("how_to_correct", "systemHowToCorrectEdit", "How to &correct", "How to fix a record", 2),
)


class SystemDialog(SubmitDialog):
    def __init__(self, parent: QWidget | None, system: System | None = None) -> None:
        super().__init__(parent)
        self.system = system
        title = f"Edit {system.name}" if system else "Add a system to the register"
        name_widget(self, "systemDialog", title)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        name_widget(self.tabs, "systemTabs", "System sections")
        name_widget(self.tabs.tabBar(), "systemTabBar", "System sections")
        self.tabs.addTab(self._page(_WHAT)[0], "What it &holds")
        sharing, form = self._page(_SHARING)
        self.outside_check = QCheckBox("Sent outside the &UK")
        name_widget(self.outside_check, "systemOutsideUkCheck", "Sent outside the UK")
        form.insertRow(1, "", self.outside_check)
        self.outside_check.toggled.connect(self._update)
        self.tabs.addTab(sharing, "Sha&ring")
        requests, form = self._page(_REQUESTS)
        self.identifier_checks = self._checks(
            {i: i.label for i in Identifier}, "identifier", "Searchable by"
        )
        self.type_checks = self._checks(
            {t: t.label for t in RequestType}, "systemType", "Relevant to requests"
        )
        form.insertRow(0, "Searchable &by:", self.identifier_checks[1])
        form.insertRow(1, "Relevant to:", self.type_checks[1])
        self.tabs.addTab(requests, "Re&quests")
        layout.addWidget(self.tabs)
        self.error = FieldError("systemErrorLabel")
        layout.addWidget(self.error)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        name_buttons(box, "system")
        default_ok(box, "&Save" if system else "&Add")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self._load(system.details() if system else SystemDetails(name=""))
        self.edits["name"].setFocus()

    def _page(
        self, rows: tuple[tuple[str, str, str, str, int], ...]
    ) -> tuple[QWidget, QFormLayout]:
        """A tab of the dialog and its form; the rows sit together at the top of the tab
        (a short page is not spread down it)."""
        page = QWidget()
        column = QVBoxLayout(page)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field, object_name, label, hint, lines in rows:
            accessible = label.replace("&", "")
            edit: QLineEdit | QPlainTextEdit
            if lines:
                edit = plain_text_edit(object_name, accessible, lines=lines)
            else:
                edit = QLineEdit()
                name_widget(edit, object_name, accessible)
            edit.setPlaceholderText(hint)
            self.edits[field] = edit
            add_field(form, f"{label}:", edit)
        return page, form

    def _checks(
        self, options: dict[Any, str], prefix: str, accessible: str
    ) -> tuple[dict[Any, QCheckBox], QWidget]:
        box = QWidget()
        name_widget(box, f"{prefix}Checks", accessible)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        checks: dict[Any, QCheckBox] = {}
        for n, (value, label) in enumerate(options.items()):
            check = QCheckBox(label)
            key = str(value).title().replace("_", "")
            name_widget(check, f"{prefix}{key}Check", label)
            grid.addWidget(check, n // 2, n % 2)
            checks[value] = check
        return checks, box

    def _load(self, details: SystemDetails) -> None:
        for field, edit in self.edits.items():
            value = getattr(details, field)
            if isinstance(edit, QLineEdit):
                edit.setText(value)
            else:
                edit.setPlainText(value)
        self.outside_check.setChecked(details.outside_uk)
        for identifier, check in self.identifier_checks[0].items():
            check.setChecked(identifier in details.identifiers)
        for kind, check in self.type_checks[0].items():
            check.setChecked(kind in details.request_types)
        self._update()

    def _update(self) -> None:
        self.edits["transfer_safeguard"].setEnabled(self.outside_check.isChecked())

    def details(self) -> SystemDetails:
        texts = {
            field: (edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText())
            for field, edit in self.edits.items()
        }
        outside = self.outside_check.isChecked()
        if not outside:
            texts["transfer_safeguard"] = ""
        return SystemDetails(
            **texts,
            outside_uk=outside,
            identifiers=tuple(i for i, c in self.identifier_checks[0].items() if c.isChecked()),
            request_types=tuple(t for t, c in self.type_checks[0].items() if c.isChecked()),
        )

    def show_problem(self, problem: str | None) -> None:
        self.error.show_problem(problem)
        self.fit_height()


def describe(system: System) -> str:
    """The whole entry as plain text, for a tooltip or a screen reader."""
    lines = [
        f"Owner: {system.owner}",
        f"Personal data: {system.data_held}",
        f"Purposes: {system.purposes}",
        f"Lawful basis: {system.lawful_basis}",
        f"Recipients: {system.recipients or 'none'}",
        f"Outside the UK: {'yes, ' + system.transfer_safeguard if system.outside_uk else 'no'}",
        f"Retention: {system.retention}",
        f"How to search: {system.how_to_search}",
        f"How to erase: {system.how_to_erase}",
        f"How to correct: {system.how_to_correct}",
    ]
    return "\n".join(lines)

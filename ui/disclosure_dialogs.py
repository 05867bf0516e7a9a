"""The Disclosure tab's dialogs: redact a term across the set, and pick material already kept
with the case (an attachment, or a file attached to a kept email)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.attachments import list_attachments
from app.disclosure import (
    REDACTION_REASONS,
    email_attachments,
    find_term,
    tasks_with_material,
)
from app.domain import DomainError
from app.email_intake import EML_MIME, MSG_MIME
from app.store import Store, StoreError
from ui.forms import name_buttons, name_widget, named_button, plain_label

EMAIL_TYPES = (EML_MIME, MSG_MIME)


def reason_combo(object_name: str, accessible_name: str) -> QComboBox:
    """An editable list of the usual redaction reasons; the DPO may type another."""
    combo = QComboBox()
    name_widget(combo, object_name, accessible_name)
    combo.setEditable(True)
    combo.addItems(REDACTION_REASONS)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(24)  # the long reasons must not push the page aside
    name_editor(combo, accessible_name)
    editor = combo.lineEdit()
    if editor is not None:
        editor.setCursorPosition(0)  # a long reason shows its beginning, not its end
    return combo


def name_editor(combo: QComboBox, accessible_name: str) -> None:
    """An editable combo's own line edit is focusable: it gets its owner's names."""
    editor = combo.lineEdit()
    if editor is not None:
        name_widget(editor, combo.objectName() + "Edit", accessible_name)


class TermDialog(QDialog):
    """Find a term across the set, see how many places it is in, then redact them all."""

    def __init__(self, store: Store, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "redactTermDialog", "Redact a term across the set")
        self.setWindowTitle("Redact a term across the set")
        self.store, self.case_id = store, case_id
        self.hits_found: int | None = None
        layout = QVBoxLayout(self)
        help_label = plain_label(
            "Every place the term appears in the set's text is redacted, each with the "
            "reason below. Pictures and scans are not read: draw boxes on those.",
            "redactTermHelpLabel",
        )
        help_label.setAccessibleName("How a term is redacted")
        layout.addWidget(help_label)
        form = QFormLayout()
        self.term_edit = QLineEdit()
        name_widget(self.term_edit, "redactTermEdit", "Term to redact")
        self.term_edit.setPlaceholderText("A name, an email address, a phone number…")
        form.addRow("&Term:", self.term_edit)
        self.reason = reason_combo("redactTermReasonCombo", "Reason for the redactions")
        form.addRow("&Reason:", self.reason)
        layout.addLayout(form)
        self.find_button = named_button("&Find", "findTermButton", "Find the term", self.find)
        layout.addWidget(self.find_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.result_label = plain_label("", "redactTermResultLabel")
        self.result_label.setAccessibleName("Places found")
        layout.addWidget(self.result_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        name_buttons(self.buttons, "redactTerm")
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Redact all")
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.term_edit.textChanged.connect(self._changed)
        self.setMinimumWidth(520)

    @property
    def term(self) -> str:
        return self.term_edit.text()

    @property
    def reason_text(self) -> str:
        return self.reason.currentText()

    def _changed(self) -> None:
        self.hits_found = None
        self.ok.setEnabled(False)
        self.result_label.setText("")

    def find(self) -> None:
        try:
            hits = find_term(self.store, self.case_id, self.term)
        except (DomainError, StoreError) as error:
            self.result_label.setText(str(error))
            return
        items = len({h.item_id for h in hits})
        places = sum(len(h.boxes) for h in hits)
        self.hits_found = places
        self.result_label.setText(
            f"Found in {places} place{'s' if places != 1 else ''} on "
            f"{len(hits)} page{'s' if len(hits) != 1 else ''} of "
            f"{items} item{'s' if items != 1 else ''}."
            if places
            else "Not found in the set's text."
        )
        self.ok.setEnabled(places > 0)


class MaterialDialog(QDialog):
    """The case's kept files, and the files attached to its kept emails, to add to the set."""

    def __init__(self, store: Store, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "addMaterialDialog", "Add material kept with the case")
        self.setWindowTitle("Add material kept with the case")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Choose the files to add to the disclosure set:"))
        self.list = QListWidget()
        name_widget(self.list, "materialList", "Files kept with the case")
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        layout.addWidget(self.list, 1)
        for attachment in list_attachments(store, case_id):
            if attachment.deleted:
                continue
            entry = QListWidgetItem(f"{attachment.filename} ({attachment.kind_label})")
            entry.setData(Qt.ItemDataRole.UserRole, (attachment.id, None))
            self.list.addItem(entry)
            if attachment.mime_type in EMAIL_TYPES:
                try:
                    inside = email_attachments(store, attachment.id)
                except (DomainError, StoreError):
                    inside = []
                for index, attached in enumerate(inside):
                    child = QListWidgetItem(f"    ↳ {attached.filename} (in {attachment.filename})")
                    child.setData(Qt.ItemDataRole.UserRole, (attachment.id, index))
                    self.list.addItem(child)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        name_buttons(buttons, "addMaterial")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def chosen(self) -> list[tuple[int, int | None]]:
        """(attachment id, index of a file inside it or None) for each selected line."""
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()]


class SearchMaterialDialog(QDialog):
    """The case's searches that produced files: the chosen ones' files join the set."""

    def __init__(self, store: Store, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "addFromSearchDialog", "Add material from the searches")
        self.setWindowTitle("Add material from the searches")
        layout = QVBoxLayout(self)
        tasks = tasks_with_material(store, case_id)
        layout.addWidget(
            QLabel(
                "Choose the searches whose files to add (each file once; the system searched "
                "becomes the item's source):"
                if tasks
                else "No search of this case has recorded files yet (Searches tab)."
            )
        )
        self.list = QListWidget()
        name_widget(self.list, "searchMaterialList", "Searches that produced files")
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        for task in tasks:
            count = len(task.material)
            entry = QListWidgetItem(f"{task.title}: {count} file{'s' if count != 1 else ''}")
            entry.setData(Qt.ItemDataRole.UserRole, task.id)
            self.list.addItem(entry)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        name_buttons(buttons, "addFromSearch")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 300)

    def chosen(self) -> list[int]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()]

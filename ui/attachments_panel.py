"""The files kept with a case: add (button or drag and drop), open read-only, delete with a
reason on the record, and, once identity is verified, the offer to delete the ID documents
that are no longer needed (data kept no longer than necessary)."""

from __future__ import annotations

import atexit
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    QUrl,
)
from PySide6.QtGui import QColor, QDesktopServices, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.attachments import (
    KINDS,
    AttachmentInfo,
    add_attachment_from_path,
    delete_attachment,
    list_attachments,
    open_readonly_copy,
    should_offer_id_deletion,
    stored_id_documents,
)
from app.domain import DomainError
from app.formatting import uk_timestamp
from app.private_temp import process_temp_folder, remove_process_folder
from app.store import Store, StoreError
from ui.file_drops import LocalFileDrops
from ui.forms import (
    WARNING_STYLE,
    name_buttons,
    name_widget,
    named_button,
    plain_label,
    read_only_rows,
    show_error,
)
from ui.row_table_model import Index, RowTableModel
from ui.signals import StoreSignals

COLUMNS = ("File", "Kind", "Size", "Added", "SHA-256")
ID_DELETION_REASON = "Identity verified; the ID document is no longer needed."


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class AttachmentsModel(RowTableModel[AttachmentInfo]):
    """The case's attachments as plain read models; deleted ones stay listed, marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(COLUMNS, parent=parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        info = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return info.filename
            if column == 1:
                return info.kind_label
            if column == 2:
                return "Deleted" if info.deleted else _size(info.size)
            if column == 3:
                return uk_timestamp(info.added_at)
            if column == 4:
                return info.sha256[:16] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            if info.deleted and info.deleted_at is not None:
                return f"Deleted {uk_timestamp(info.deleted_at)}; the record is kept."
            return f"SHA-256 {info.sha256}"
        if role == Qt.ItemDataRole.ForegroundRole and info.deleted:
            return QColor("#6b6b6b")
        if role == Qt.ItemDataRole.FontRole and info.deleted:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None


class AttachmentsPanel(LocalFileDrops, QWidget):
    """The "Attachments" tab of a case."""

    def __init__(
        self,
        store: Store,
        case_id: int | Callable[[], int | None] | None,
        signals: StoreSignals,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "attachmentsPanel", "Attachments")
        self.store = store
        self.signals = signals
        self._case_id = case_id
        self.open_files_externally = True  # tests turn this off: no viewer there
        self.last_opened: Path | None = None
        self._view_folder: Path | None = None
        self.setAcceptDrops(True)

        layout = QVBoxLayout(self)
        self.id_label = plain_label("", "idDocumentsLabel")
        self.id_label.setAccessibleName("ID documents")
        self.id_label.setStyleSheet(WARNING_STYLE)
        self.id_box = QWidget()
        self.id_box.setObjectName("idDocumentsBox")
        id_row = QHBoxLayout(self.id_box)
        id_row.setContentsMargins(0, 0, 0, 0)
        id_row.addWidget(self.id_label, 1)
        self.delete_id_button = QPushButton("Delete ID documents…")
        name_widget(self.delete_id_button, "deleteIdDocumentsButton", "Delete ID documents")
        self.delete_id_button.clicked.connect(self.delete_id_documents)
        id_row.addWidget(self.delete_id_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.id_box)

        self.model = AttachmentsModel(self)
        self.view = QTableView()
        name_widget(self.view, "attachmentsView", "Attachments")
        self.view.setModel(self.model)
        read_only_rows(self.view, word_wrap=False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.doubleClicked.connect(self._on_double_click)
        layout.addWidget(self.view, 1)

        self.hint_label = QLabel("Drop files here to keep them with the case.")
        self.hint_label.setObjectName("attachmentsHintLabel")
        self.hint_label.setStyleSheet("color: #5a5a5a;")
        layout.addWidget(self.hint_label)

        row = QHBoxLayout()
        kind_label = QLabel("&Kind:")
        self.kind_combo = QComboBox()
        name_widget(self.kind_combo, "attachmentKindCombo", "Kind of file")
        for key, label in KINDS.items():
            self.kind_combo.addItem(label, key)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData("correspondence"))
        kind_label.setBuddy(self.kind_combo)
        row.addWidget(kind_label)
        row.addWidget(self.kind_combo)
        self.add_button = named_button(
            "&Add…", "addAttachmentButton", "Add attachment", self.add_files
        )
        self.open_button = named_button(
            "&Open", "openAttachmentButton", "Open attachment", self.open_selected
        )
        self.delete_button = named_button(
            "&Delete…", "deleteAttachmentButton", "Delete attachment", self.delete_selected
        )
        row.addWidget(self.add_button)
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addWidget(self.delete_button)
        layout.addLayout(row)

        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        signals.case_changed.connect(self._on_case_changed)
        self.refresh()

    # -- state -----------------------------------------------------------------------------

    @property
    def case_id(self) -> int | None:
        return self._case_id() if callable(self._case_id) else self._case_id

    def set_case(self, case_id: int | None) -> None:
        self._case_id = case_id
        self.refresh()

    def refresh(self, *_args: object) -> None:
        case_id = self.case_id
        self.model.set_rows(list_attachments(self.store, case_id) if case_id else [])
        offer = bool(case_id) and should_offer_id_deletion(self.store, case_id or 0)
        if offer:
            count = len(stored_id_documents(self.store, case_id or 0))
            self.id_label.setText(
                "Identity is verified. The ID document kept with this case is no longer "
                "needed: delete it so it is not kept longer than necessary."
                if count == 1
                else f"Identity is verified. The {count} ID documents kept with this case are no "
                "longer needed: delete them so they are not kept longer than necessary."
            )
        self.id_box.setVisible(offer)
        self.add_button.setEnabled(bool(case_id))
        self._update_buttons()

    def _on_case_changed(self, case_id: int) -> None:
        if case_id == self.case_id:
            self.refresh()

    def selected(self) -> AttachmentInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)

    def _update_buttons(self, *_args: object) -> None:
        info = self.selected()
        usable = info is not None and not info.deleted
        self.open_button.setEnabled(usable)
        self.delete_button.setEnabled(usable)

    # -- adding ----------------------------------------------------------------------------

    def add_files(self) -> None:
        for path in self._ask_files():
            if not self.add_path(Path(path)):
                break

    def add_path(self, path: Path) -> bool:
        case_id = self.case_id
        if not case_id:
            return False
        try:
            add_attachment_from_path(
                self.store, case_id, path, kind=str(self.kind_combo.currentData())
            )
        except (DomainError, StoreError) as error:
            show_error(self, "File not kept", str(error))
            self.refresh()
            return False
        self.signals.case_changed.emit(case_id)
        self.refresh()
        return True

    def _ask_files(self) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self, "Keep files with the case")
        return paths

    def add_paths(self, paths: list[Path]) -> bool:
        """Keep each file in turn; stop at the first one refused (the message says why)."""
        return all(self.add_path(path) for path in paths)

    # -- opening ---------------------------------------------------------------------------

    def _private_folder(self) -> Path:
        """This process's private (0700) folder for read-only copies (app.private_temp):
        emptied at exit, and at the next start when a crash skipped that."""
        if self._view_folder is None:
            self._view_folder = process_temp_folder()
            atexit.register(remove_process_folder)
        return self._view_folder

    def _on_double_click(self, _index: QModelIndex) -> None:
        self.open_selected()

    def open_selected(self) -> None:
        info = self.selected()
        if info is None or info.deleted:
            return
        try:
            path = open_readonly_copy(self.store, info.id, self._private_folder())
        except (DomainError, StoreError) as error:
            show_error(self, "File not opened", str(error))
            return
        self.last_opened = path
        if self.open_files_externally and not QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(path))
        ):
            show_error(
                self,
                "File not opened",
                f"No program on this computer is set up to open {info.filename}. A read-only "
                f"copy is at {path} until DSAR Desk closes.",
            )

    # -- deleting --------------------------------------------------------------------------

    def delete_selected(self) -> None:
        info = self.selected()
        if info is None or info.deleted:
            return
        # "Identity verified" goes on the record only when it is true.
        verified = info.kind == "id_document" and self.case_id is not None
        verified = verified and should_offer_id_deletion(self.store, self.case_id or 0)
        default = ID_DELETION_REASON if verified else ""
        reason = self._ask_reason(
            "Delete attachment",
            f"Delete {info.filename}? Its content is removed for good; the record that it "
            "was kept, and why it was deleted, stays on the timeline.\n\nReason:",
            default,
        )
        if reason is None:
            return
        self._delete([info], reason)

    def delete_id_documents(self) -> None:
        case_id = self.case_id
        if not case_id:
            return
        documents = stored_id_documents(self.store, case_id)
        if not documents:
            return
        names = ", ".join(d.filename for d in documents)
        reason = self._ask_reason(
            "Delete ID documents",
            f"Delete {names}? Identity is verified, so they are no longer needed. The "
            "deletion and its reason go on the timeline.\n\nReason:",
            ID_DELETION_REASON,
        )
        if reason is None:
            return
        self._delete(documents, reason)

    def _delete(self, items: list[AttachmentInfo], reason: str) -> None:
        case_id = self.case_id
        try:
            for info in items:
                delete_attachment(self.store, info.id, reason=reason)
        except (DomainError, StoreError) as error:
            show_error(self, "Not deleted", str(error))
        if case_id:
            self.signals.case_changed.emit(case_id)
        self.refresh()

    def reason_dialog(self, title: str, prompt: str, default: str) -> QInputDialog:
        """The question before a deletion: named like every dialog, and its prompt wraps, so
        a long file name does not make it wider than the screen."""
        dialog = QInputDialog(self)
        name_widget(dialog, "deleteReasonDialog", title)
        dialog.setWindowTitle(title)
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setLabelText(prompt)
        dialog.setTextValue(default)
        for label in dialog.findChildren(QLabel):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)  # a file name is data
        for edit in dialog.findChildren(QLineEdit):
            name_widget(edit, "deleteReasonEdit", "Reason for the deletion")
        for box in dialog.findChildren(QDialogButtonBox):
            name_buttons(box, "deleteReason")
        return dialog

    def _ask_reason(self, title: str, prompt: str, default: str) -> str | None:
        dialog = self.reason_dialog(title, prompt, default)
        try:
            ok = dialog.exec() == QInputDialog.DialogCode.Accepted
            text = dialog.textValue()
        finally:
            dialog.deleteLater()
        if not ok:
            return None
        if not text.strip():
            show_error(self, title, "Say why it is being deleted; the reason is recorded.")
            return None
        return text

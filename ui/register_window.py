"""The systems register window: where personal data is held. Lists, adds, edits, retires and
reinstates systems; retired ones stay listed (greyed) when asked for, since earlier search
records name them. Opened from Settings ▸ Systems register…, without blocking the desk."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import ConcurrentChange, DomainError
from app.formatting import uk_timestamp
from app.store import Store, StoreError
from app.systems import (
    System,
    add_system,
    list_systems,
    reinstate_system,
    retire_system,
    system_history,
    update_system,
)
from ui.forms import name_widget, named_button, plain_label, read_only_rows, show_error
from ui.note_dialog import NoteDialog
from ui.row_table_model import Index, RowTableModel
from ui.signals import StoreSignals
from ui.system_dialog import SystemDialog, describe

TYPE_SHORT = {
    "access": "Access",
    "rectification": "Rectify",
    "erasure": "Erase",
    "restriction": "Restrict",
    "portability": "Port",
    "marketing_opt_out": "Opt-out",
}


class SystemsModel(RowTableModel[System]):
    HEADERS = ("System", "Owner", "Personal data held", "Searchable by", "Requests", "Outside UK")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.HEADERS, parent=parent)

    def row_of(self, system_id: int) -> int:
        return next((r for r, s in enumerate(self._rows) if s.id == system_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        system = self.row(index.row()) if index.isValid() else None
        if system is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(system, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(system)
        if role == Qt.ItemDataRole.ForegroundRole and system.retired:
            return QColor("#6b6b6b")
        if role == Qt.ItemDataRole.FontRole and system.retired:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    @staticmethod
    def _text(system: System, column: int) -> str:
        if column == 0:
            return system.name + (" (retired)" if system.retired else "")
        if column == 1:
            return system.owner
        if column == 2:
            return " ".join(system.data_held.split())
        if column == 3:
            return ", ".join(i.label for i in system.identifiers) or "Cannot be searched"
        if column == 4:
            if len(system.request_types) == len(TYPE_SHORT):
                return "All types"
            return ", ".join(TYPE_SHORT[t.value] for t in system.request_types) or "None"
        return "Yes" if system.outside_uk else "No"


class RegisterWindow(QDialog):
    def __init__(self, store: Store, signals: StoreSignals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.signals = store, signals
        name_widget(self, "registerWindow", "Systems register")
        self.setWindowTitle("Systems register: where personal data is held")
        self.setModal(False)
        self.resize(1200, 560)
        layout = QVBoxLayout(self)
        intro = plain_label(
            "Each place the organisation holds personal data. A new request gets one search "
            "task for every system marked for its type; retiring a system keeps it in the "
            "records that name it.",
            "registerIntroLabel",
        )
        intro.setAccessibleName("About the register")
        layout.addWidget(intro)
        self.model = SystemsModel(self)
        self.table = QTableView()
        name_widget(self.table, "systemsTable", "Systems")
        self.table.setModel(self.model)
        read_only_rows(self.table, word_wrap=True)  # long entries wrap; rows grow to fit them
        self.table.setStyleSheet("QTableView::item { padding: 4px 3px; }")
        self.table.setAlternatingRowColors(True)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((230, 150, 320, 170, 190)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda *_: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update())
        layout.addWidget(self.table, 1)
        self.changed_label = plain_label("", "registerChangedLabel")
        self.changed_label.setAccessibleName("Last change")
        layout.addWidget(self.changed_label)

        row = QHBoxLayout()
        self.retired_check = QCheckBox("Show &retired systems")
        name_widget(self.retired_check, "showRetiredCheck", "Show retired systems")
        self.retired_check.toggled.connect(lambda *_: self.reload())
        row.addWidget(self.retired_check)
        row.addStretch(1)
        self.add_button = named_button("&Add…", "addSystemButton", "Add a system", self.add)
        self.edit_button = named_button("&Edit…", "editSystemButton", "Edit", self.edit_selected)
        self.retire_button = named_button(
            "Re&tire…", "retireSystemButton", "Retire", self.retire_selected
        )
        self.reinstate_button = named_button(
            "Rei&nstate", "reinstateSystemButton", "Reinstate", self.reinstate_selected
        )
        for button in (self.add_button, self.edit_button, self.retire_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        self.reinstate_button.setAutoDefault(False)
        row.addWidget(self.reinstate_button)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = box.button(QDialogButtonBox.StandardButton.Close)
        name_widget(close, "registerCloseButton", "Close")
        box.rejected.connect(self.reject)
        row.addWidget(box)
        layout.addLayout(row)
        self.reload()

    # -- reading -----------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        current = self.selected()
        keep = select if select is not None else (current.id if current else None)
        self.model.set_rows(
            list_systems(self.store, include_retired=self.retired_check.isChecked())
        )
        row = self.model.row_of(keep) if keep is not None else -1
        self.table.selectRow(max(row, 0) if self.model.rowCount() else -1)
        self._update()

    def selected(self) -> System | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _update(self) -> None:
        system = self.selected()
        self.edit_button.setEnabled(system is not None)
        self.retire_button.setEnabled(system is not None and not system.retired)
        self.reinstate_button.setEnabled(system is not None and system.retired)
        if system is None:
            self.changed_label.setText("")
            return
        last = system_history(self.store, system.id)[-1]
        self.changed_label.setText(
            f"{system.name}: {last.action} {uk_timestamp(last.at)} by {last.actor}."
        )

    # -- changing ----------------------------------------------------------------------------

    def _save(self, parent: QWidget, change: Callable[[], System]) -> bool:
        try:
            system = change()
        except ConcurrentChange as error:
            self.reload()
            show_error(parent, "Changed elsewhere", str(error))
            return False
        except (DomainError, StoreError) as error:
            if isinstance(parent, SystemDialog):
                parent.show_problem(str(error))
            else:
                show_error(parent, "Not possible", str(error))
            return False
        if system.retired and not self.retired_check.isChecked():
            self.reload()
        else:
            self.reload(select=system.id)
        return True

    def add(self) -> SystemDialog:
        dialog = SystemDialog(self)
        dialog.submit = lambda: self._save(dialog, lambda: add_system(self.store, dialog.details()))
        return self._open(dialog)

    def edit_selected(self) -> SystemDialog | None:
        system = self.selected()
        if system is None:
            return None
        dialog = SystemDialog(self, system)
        dialog.submit = lambda: self._save(
            dialog,
            lambda: update_system(
                self.store, system.id, dialog.details(), expected_version=system.version
            ),
        )
        return self._open(dialog)

    def retire_selected(self) -> NoteDialog | None:
        system = self.selected()
        if system is None:
            return None
        dialog = NoteDialog(
            self,
            title=f"Retire {system.name}",
            prompt="&Why is it retired? (optional; kept in the register's history)",
            required=False,
            object_name="retireSystemDialog",
            ok_text="&Retire",
        )
        dialog.submit = lambda: self._save(
            dialog,
            lambda: retire_system(
                self.store, system.id, reason=dialog.text(), expected_version=system.version
            ),
        )
        return self._open(dialog)

    def reinstate_selected(self) -> None:
        system = self.selected()
        if system is not None:
            self._save(
                self,
                lambda: reinstate_system(self.store, system.id, expected_version=system.version),
            )

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.open_dialog = dialog
        return dialog


def show_register(window: QWidget, store: Store, signals: StoreSignals) -> RegisterWindow:
    """Settings ▸ Systems register…: one register window at a time, never blocking the desk."""
    existing = getattr(window, "register_window", None)
    if (
        isinstance(existing, RegisterWindow)
        and shiboken6.isValid(existing)
        and existing.isVisible()
    ):
        existing.reload()
        existing.raise_()
        existing.activateWindow()
        return existing
    register = RegisterWindow(store, signals, window)
    register.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    register.destroyed.connect(lambda *_: setattr(window, "register_window", None))
    register.show()
    window.register_window = register  # type: ignore[attr-defined]
    return register

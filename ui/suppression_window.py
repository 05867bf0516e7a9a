"""The suppression list window: who must never be contacted for marketing again, searchable
and exportable as CSV for the marketing system."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.formatting import uk_date
from app.store import Store
from app.suppressions import SuppressedContact, export_suppressions_csv, list_suppressions
from ui.forms import name_widget, named_button, show_error
from ui.row_table_model import Index, RowTableModel
from ui.signals import StoreSignals

_HEADERS = ("Email", "Name", "Suppressed on", "Case")


class SuppressionModel(RowTableModel[SuppressedContact]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_HEADERS, parent=parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        row = self._rows[index.row()]
        return (row.email, row.name, uk_date(row.suppressed_on), row.reference or "—")[
            index.column()
        ]


class SuppressionWindow(QDialog):
    openCaseRequested = Signal(int)

    def __init__(self, store: Store, signals: StoreSignals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "suppressionWindow", "Suppression list")
        self.setWindowTitle("Suppression list — never contact for marketing")
        self.resize(760, 480)
        self.store = store
        self.search_edit = QLineEdit()
        name_widget(self.search_edit, "suppressionSearchEdit", "Search the suppression list")
        self.search_edit.setPlaceholderText("Search email, name or case")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.refresh)
        label = QLabel("&Search:")
        label.setBuddy(self.search_edit)
        self.count_label = QLabel()
        self.count_label.setObjectName("suppressionCountLabel")
        self.model = SuppressionModel(self)
        self.table = QTableView()
        name_widget(self.table, "suppressionTable", "Suppressed contacts; Enter opens the case")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._open)
        self.export_button = named_button(
            "&Export CSV…",
            "suppressionExportButton",
            "Export the list as CSV",
            self._choose_file,
            auto_default=False,
        )
        self.close_button = named_button(
            "&Close", "suppressionCloseButton", "Close", self.reject, auto_default=False
        )
        bar = QHBoxLayout()
        bar.addWidget(label)
        bar.addWidget(self.search_edit, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        signals.cases_changed.connect(self.refresh)
        signals.case_changed.connect(lambda _id: self.refresh())
        self.refresh()

    def refresh(self, *_args: object) -> None:
        rows = list_suppressions(self.store, self.search_edit.text())
        self.model.set_rows(rows)
        noun = "contact" if len(rows) == 1 else "contacts"
        self.count_label.setText(f"{len(rows):,} suppressed {noun}")

    def _open(self, index: QModelIndex) -> None:
        row = self.model.row(index.row())
        if row is not None and row.case_id is not None:
            self.openCaseRequested.emit(row.case_id)

    def export(self, path: Path) -> int:
        return export_suppressions_csv(self.store, path, search=self.search_edit.text())

    def _choose_file(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Export the suppression list",
            str(Path.home() / "suppression-list.csv"),
            "CSV files (*.csv)",
        )
        if not chosen:
            return
        try:
            count = self.export(Path(chosen))
        except OSError as error:
            show_error(self, "Export", f"The file could not be written: {error.strerror or error}")
            return
        self.count_label.setText(f"Exported {count:,} contacts to {Path(chosen).name}.")

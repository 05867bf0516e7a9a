"""The cases behind one figure of a report: every number on the Reports window opens here,
so the board's "75% in time" can be checked case by case."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.formatting import uk_date
from app.reports import ReportCase
from ui.forms import name_buttons, name_widget, plain_label
from ui.row_table_model import Index, RowTableModel

_HEADERS = ("Reference", "Type", "Received", "Statutory deadline", "Closed", "Outcome", "Timing")


def timing_text(case: ReportCase) -> str:
    """'In time', 'Late by 4 days', or the state of an open case."""
    if case.closed_on is None:
        return case.status.label
    if case.days_late:
        return f"Late by {case.days_late} day{'s' if case.days_late != 1 else ''}"
    return "In time"


class FigureCasesModel(RowTableModel[ReportCase]):
    """A handful to a few thousand rows: a figure's cases, already read."""

    def __init__(self, cases: list[ReportCase], parent: QWidget | None = None) -> None:
        super().__init__(_HEADERS, cases, parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        case = self._rows[index.row()]
        return (
            case.reference,
            case.request_type.label,
            uk_date(case.received_on),
            uk_date(case.statutory_due),
            uk_date(case.closed_on) if case.closed_on else "—",
            case.outcome.label if case.outcome else "—",
            timing_text(case),
        )[index.column()]


class FigureCasesDialog(QDialog):
    """Lists the cases behind a figure; Enter or a double-click opens one."""

    openCaseRequested = Signal(int)

    def __init__(
        self, title: str, value: str, cases: list[ReportCase], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        name_widget(self, "figureCasesDialog", f"Cases behind: {title}")
        self.setWindowTitle(f"{title}: {value}")
        self.resize(820, 420)
        layout = QVBoxLayout(self)
        noun = "case" if len(cases) == 1 else "cases"
        label = plain_label(f"{title}: {value} ({len(cases)} {noun})")
        name_widget(label, "figureLabel", "The figure")
        layout.addWidget(label)
        self.model = FigureCasesModel(cases, self)
        self.table = QTableView(self)
        name_widget(self.table, "figureCasesTable", "Cases behind the figure")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._open)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        name_buttons(buttons, "figureCases")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _open(self, index: QModelIndex) -> None:
        case = self.model.row(index.row())
        if case is not None:
            self.openCaseRequested.emit(case.id)

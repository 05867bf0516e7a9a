"""A read-only table of rows already in memory (a check's findings, what is due for
erasure), each shown as a few strings; the view asks, the model answers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QObject, Qt

from ui.row_table_model import Index, RowTableModel

T = TypeVar("T")


class TextTableModel(RowTableModel[T]):
    def __init__(
        self,
        columns: Sequence[str],
        rows: list[T],
        cells: Callable[[T], Sequence[str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(columns, rows, parent)
        self._cells = cells

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells(self._rows[index.row()])[index.column()]
        return None

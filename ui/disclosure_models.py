"""Qt table models for the Disclosure tab: the items of the set, the redaction log, and the
bundles and exports made. Each holds plain read models from app.disclosure, replaced whole
on refresh (a set is tens of items, not thousands)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont

from app.disclosure import BundleInfo, ItemInfo, RedactionInfo
from app.formatting import uk_date, uk_timestamp
from ui.row_table_model import Index, RowTableModel

Row = TypeVar("Row")
Column = tuple[str, Callable[[Row], str]]


class RowsModel(RowTableModel[Row], Generic[Row]):
    """Rows of one read model, a column per (header, text) pair."""

    def __init__(self, columns: Sequence[Column[Row]], parent: QObject | None = None) -> None:
        super().__init__([header for header, _text in columns], parent=parent)
        self._columns = list(columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self.row(index.row()) if index.isValid() else None
        if row is None or not 0 <= index.column() < len(self._columns):
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return self._columns[index.column()][1](row)
        return self.extra(row, role)

    def extra(self, row: Row, role: int) -> object:
        return None


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class ItemsModel(RowsModel[ItemInfo]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                ("No.", lambda i: str(i.number)),
                ("Title", lambda i: i.title),
                ("Source", lambda i: i.source or "—"),
                ("Date", lambda i: uk_date(i.item_date) if i.item_date else "—"),
                ("Pages", lambda i: str(i.page_count)),
                ("Decision", lambda i: i.decision.label),
                ("Redactions", lambda i: str(i.redactions) if i.redactions else ""),
            ],
            parent,
        )


class RedactionLogModel(RowsModel[RedactionInfo]):
    """The redaction log as the ICO asks for it: item, page, box, reason, who, when."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                ("Item", lambda r: r.item_title),
                ("Page", lambda r: str(r.page)),
                (
                    "Box (pt)",
                    lambda r: f"{r.box.x0:.0f},{r.box.top:.0f}–{r.box.x1:.0f},{r.box.bottom:.0f}",
                ),
                ("Reason", lambda r: r.reason),
                ("Who", lambda r: r.actor),
                ("When", lambda r: uk_timestamp(r.at)),
                (
                    "Status",
                    lambda r: (
                        "In force"
                        if r.in_force
                        else f"Withdrawn by {r.withdrawn_by} "
                        f"{uk_timestamp(r.withdrawn_at) if r.withdrawn_at else ''}"
                    ),
                ),
            ],
            parent,
        )

    def extra(self, row: RedactionInfo, role: int) -> object:
        if row.in_force:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#6b6b6b")
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None


class OutputsModel(RowsModel[BundleInfo]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                ("Made", lambda b: uk_timestamp(b.created_at)),
                (
                    "What",
                    lambda b: (
                        (f"Bundle v{b.version}" if b.kind == "bundle" else f"Export v{b.version}")
                        + (", encrypted" if b.encrypted else "")
                    ),
                ),
                ("Pages", lambda b: str(b.page_count) if b.kind == "bundle" else "—"),
                ("Size", lambda b: _size(b.size)),
                ("Sent", lambda b: f"to {b.emailed_to}" if b.emailed_at else "—"),
                ("SHA-256", lambda b: b.sha256),
            ],
            parent,
        )

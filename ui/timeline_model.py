"""The case timeline as a Qt model: when, who, what. Holds the plain TimelineEntry values
read through app.cases; user text is returned as plain strings (views never render it as
markup)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.formatting import uk_timestamp
from app.readmodels import TimelineEntry

_KIND_LABELS = {
    "logged": "Logged",
    "identity_requested": "ID requested",
    "identity_received": "ID received",
    "clarification_requested": "Clock paused",
    "clarification_received": "Clock resumed",  # Art. 12A: it continues, not afresh
    "extended": "Extended",
    "note": "Note",
    "closed": "Closed",
    "reopened": "Reopened",
    "requester_updated": "Details corrected",
    "letter_generated": "Letter",
    "letter_sent_post": "Posted",
    "letter_emailed": "Emailed",
    "letter_email_failed": "Email failed",
    "letter_draft_saved": "Draft saved",
    "attachment_added": "Attachment",
    "attachment_deleted": "Attachment removed",
    "suppressed": "Suppressed",
    "request_type_changed": "Type changed",
    "search_plan_created": "Search plan",
    "search_task_added": "Search plan",
    "search_recorded": "Searched",
    "search_left_out": "Left out",
    "search_action_recorded": "Action in system",
}


def kind_label(kind: str) -> str:
    return _KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


class TimelineModel(QAbstractTableModel):
    HEADERS = ("When", "Who", "Event", "What")
    WHEN, WHO, EVENT, WHAT = range(4)
    EntryRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntry] = []

    def set_entries(self, entries: Sequence[TimelineEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entries(self) -> list[TimelineEntry]:
        return list(self._entries)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.WHEN:
                return uk_timestamp(entry.at)
            if column == self.WHO:
                return entry.actor
            if column == self.EVENT:
                return kind_label(entry.kind)
            if column == self.WHAT:
                return entry.summary
        if role == Qt.ItemDataRole.ToolTipRole and column == self.WHAT:
            # Tooltips guess at rich text; escape so a note like "<b>x</b>" shows as typed.
            return f"<p style='white-space:pre-wrap'>{html.escape(entry.summary)}</p>"
        if role == self.EntryRole:
            return entry
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

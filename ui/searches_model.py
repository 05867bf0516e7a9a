"""A case's search plan as a checklist model: one row per place to search, ticked once it is
done (searched, with its action where one is due, or left out with a reason). Rows are the
plain SearchTask values read through app.searches; user text comes back as plain strings."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from app.formatting import uk_date
from app.searches import SearchTask, TaskStatus
from ui.row_table_model import Index, RowTableModel

DONE_COLOUR = QColor("#1e6b30")
OPEN_COLOUR = QColor("#8a4b00")


def result_text(task: SearchTask) -> str:
    """What the search found, or why it was not made, in a few words."""
    if task.status is TaskStatus.LEFT_OUT:
        return f"Left out: {task.left_out_reason or ''}"
    if task.status is TaskStatus.OPEN:
        return ""
    if not task.found:
        return "Nothing found"
    text = f"{task.items} item{'s' if task.items != 1 else ''} found"
    if task.material:
        count = len(task.material)
        text += f" ({count} file{'s' if count != 1 else ''})"
    return text


def action_text(task: SearchTask) -> str:
    if task.action is not None:
        text = task.action.label.split(" (")[0]
        return f"{text}: {task.action_ground}" if task.action_ground else text
    return "Action needed" if task.needs_action else ""


class SearchTaskModel(RowTableModel[SearchTask]):
    PLACE, STATUS, ON, TERMS, RESULT, ACTION = range(6)
    HEADERS = ("System or record", "Status", "Searched on", "Searched for", "Result", "Action")
    TaskIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.HEADERS, parent=parent)

    def row_of(self, task_id: int) -> int:
        return next((row for row, t in enumerate(self._rows) if t.id == task_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        task = self.row(index.row()) if index.isValid() else None
        if task is None:
            return None
        column = index.column()
        if role == self.TaskIdRole:
            return task.id
        if role == Qt.ItemDataRole.CheckStateRole and column == self.PLACE:
            return Qt.CheckState.Checked if task.done else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(task, column, role == Qt.ItemDataRole.AccessibleTextRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(task, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS:
            return DONE_COLOUR if task.done else OPEN_COLOUR
        return None

    def _text(self, task: SearchTask, column: int, spoken: bool) -> str:
        if column == self.PLACE:
            title = task.title + (" (added by hand)" if task.manual else "")
            return f"{title}: {'done' if task.done else 'to do'}" if spoken else title
        if column == self.STATUS:
            if task.status is TaskStatus.SEARCHED and not task.done:
                return "Action to record"
            return task.status.label
        if column == self.ON:
            return uk_date(task.searched_on) if task.searched_on else ""
        if column == self.TERMS:
            return task.terms
        if column == self.RESULT:
            return result_text(task)
        return action_text(task)

    def _tooltip(self, task: SearchTask, column: int) -> str | None:
        if column == self.PLACE:
            return task.title
        if column in (self.STATUS, self.ON) and task.decided_by:
            return f"Recorded by {task.decided_by}"
        if column == self.RESULT and task.left_out_reason:
            return task.left_out_reason
        if column == self.ACTION and (task.action_ground or task.recipients_told):
            told = f"Recipients told (Art. 19): {task.recipients_told}"
            parts = (action_text(task), told if task.recipients_told else "")
            return "\n".join(part for part in parts if part)
        if column == self.TERMS and task.terms:
            return f"{task.terms}\nNote: {task.note}" if task.note else task.terms
        if column == self.RESULT and task.status is TaskStatus.SEARCHED:
            return result_text(task)
        return None

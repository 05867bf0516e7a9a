"""The Today view: what needs doing today and soon, each with its reason (app.reminders).

Each row opens its case (Enter or double-click). Snooze hides a reminder until a chosen day;
"Mark chased" records a chase and starts the interval again. Everything else goes away by
itself once the DPO acts in the case. Reminders are counted off the UI thread, so a large
store never stalls the window.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import DomainError, Urgency
from app.formatting import uk_date
from app.reminders import (
    PressingReminders,
    Reminder,
    ReminderKind,
    mark_chased,
    pressing_reminders,
    snooze,
)
from app.store import Store, StoreError
from ui.date_prompt import DatePrompt
from ui.forms import name_widget, named_button, read_only_rows, show_error, to_qdate
from ui.ops import run_in_background
from ui.row_table_model import Index, RowTableModel
from ui.signals import StoreSignals
from ui.urgency_style import LOOKS

_HEADERS = ("When", "Case", "What", "Why")
# A list a person works through; the rest are counted, and the case list's filters (Overdue,
# Due this week) show every case. Holding every reminder of 1,000,000 cases took 0.7 GB.
LISTED = 500
_LOOK = {
    ReminderKind.OVERDUE: Urgency.OVERDUE,
    ReminderKind.EXTENSION_NOTICE: Urgency.OVERDUE,
    ReminderKind.PROMISE_PASSED: Urgency.DUE_SOON,
    ReminderKind.STATUTORY_DUE_SOON: Urgency.DUE_SOON,
    ReminderKind.PROMISE_DUE_SOON: Urgency.DUE_SOON,
    ReminderKind.IDENTITY_CHASE: Urgency.PAUSED,
    ReminderKind.CLARIFICATION_CHASE: Urgency.PAUSED,
}


class ReminderModel(RowTableModel[Reminder]):
    """The day's most pressing reminders (at most `LISTED`), held as they were counted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_HEADERS, parent=parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        reminder = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            when = "Today" if reminder.today else uk_date(reminder.due_on)
            return (when, reminder.reference, reminder.kind.label, reminder.reason)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return reminder.reason
        look = LOOKS.get(_LOOK.get(reminder.kind, Urgency.CLOSED))
        if role == Qt.ItemDataRole.BackgroundRole and column == 2 and look is not None:
            return QBrush(QColor(look.background))
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and look is not None:
            return QBrush(QColor(look.foreground))
        if role == Qt.ItemDataRole.FontRole and column == 0 and reminder.today:
            font = QFont()
            font.setBold(True)
            return font
        return None


class TodayView(QWidget):
    openCaseRequested = Signal(int)
    remindersShown = Signal(int)  # how many need doing today

    def __init__(
        self,
        store: Store,
        signals: StoreSignals,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "todayView", "Today: what needs doing")
        self.store = store
        self.signals = signals
        self.today = today
        self.due_today = 0
        self._ticket = 0

        self.summary = QLabel()
        self.summary.setObjectName("todaySummaryLabel")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.model = ReminderModel(self)
        self.table = QTableView()
        name_widget(self.table, "todayTable", "Reminders; Enter opens the case")
        self.table.setModel(self.model)
        read_only_rows(self.table, word_wrap=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.activated.connect(lambda index: self._open(index.row()))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.open_button = named_button(
            "&Open case", "todayOpenButton", "Open the case", self._open_current, auto_default=False
        )
        self.snooze_button = named_button(
            "&Snooze until…",
            "todaySnoozeButton",
            "Snooze the reminder until a day",
            self.ask_snooze,
            auto_default=False,
        )
        self.chased_button = named_button(
            "Mark &chased",
            "todayChasedButton",
            "Record that the requester was chased today",
            self.chase_current,
            auto_default=False,
        )
        self.refresh_button = named_button(
            "&Refresh",
            "todayRefreshButton",
            "Count the reminders again",
            self.refresh,
            auto_default=False,
        )
        buttons = QHBoxLayout()
        for button in (self.open_button, self.snooze_button, self.chased_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        signals.case_changed.connect(lambda _id: self.refresh())
        signals.cases_changed.connect(self.refresh)
        self._update_buttons()
        self.refresh()

    # -- counting ---------------------------------------------------------------------------

    def refresh(self) -> None:
        store, on = self.store, self.today()
        self._ticket += 1
        ticket = self._ticket
        run_in_background(
            self,
            lambda: pressing_reminders(store, on=on, limit=LISTED),
            success=lambda found: self._show(found) if ticket == self._ticket else None,
            failure=lambda error: self.summary.setText(f"Reminders could not be counted: {error}"),
        )

    def _show(self, found: PressingReminders) -> None:
        current = self.current()
        reminders = found.shown
        self.model.set_rows(reminders)
        self.due_today = found.due_today
        if reminders:
            text = f"{found.due_today:,} to do today, {found.coming_up:,} coming up."
            if found.total > len(reminders):
                text += f" The {len(reminders):,} most pressing are listed here."
        else:
            text = "Nothing needs doing today. Well done."
        self.summary.setText(text)
        self.summary.setAccessibleName(text)
        if current is not None:
            for row, reminder in enumerate(reminders):
                if reminder.key == current.key:
                    self.table.selectRow(row)
        self._update_buttons()
        self.remindersShown.emit(self.due_today)

    # -- acting -----------------------------------------------------------------------------

    def current(self) -> Reminder | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row(rows[0].row())

    def _update_buttons(self, *_args: object) -> None:
        reminder = self.current()
        self.open_button.setEnabled(reminder is not None)
        self.snooze_button.setEnabled(reminder is not None)
        self.chased_button.setEnabled(reminder is not None and reminder.kind.is_chase)

    def _open(self, row: int) -> None:
        reminder = self.model.row(row)
        if reminder is not None:
            self.openCaseRequested.emit(reminder.case_id)

    def _open_current(self) -> None:
        reminder = self.current()
        if reminder is not None:
            self.openCaseRequested.emit(reminder.case_id)

    def ask_snooze(self) -> DatePrompt | None:
        reminder = self.current()
        if reminder is None:
            return None
        today = self.today()
        prompt = DatePrompt(
            self,
            title=f"Snooze {reminder.reference}",
            question=f"Hide “{reminder.kind.label}” until which day?",
            today=today,
            minimum=today + timedelta(days=1),
            ok_text="&Snooze",
        )
        edit = prompt.date_edit  # a day to come: from tomorrow, up to a year ahead
        tomorrow = to_qdate(today + timedelta(days=1))
        edit.setMaximumDate(tomorrow.addYears(1))
        edit.setMinimumDate(tomorrow)
        edit.setDate(tomorrow)
        prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        prompt.submit = lambda: self._act(
            lambda: snooze(
                self.store, reminder.case_id, reminder.kind, until=prompt.chosen(), today=today
            ),
            reminder.case_id,
            prompt,
        )
        prompt.open()
        self.snooze_prompt = prompt
        return prompt

    def chase_current(self) -> None:
        reminder = self.current()
        if reminder is None or not reminder.kind.is_chase:
            return
        today = self.today()
        self._act(
            lambda: mark_chased(self.store, reminder.case_id, reminder.kind, on=today, today=today),
            reminder.case_id,
            self,
        )

    def _act(self, change: Callable[[], None], case_id: int, parent: QWidget) -> bool:
        try:
            change()
        except (DomainError, StoreError) as error:
            show_error(parent, "Not possible", str(error))
            return False
        self.signals.case_changed.emit(case_id)
        return True

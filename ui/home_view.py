"""The strip the DPO sees first: what is overdue (past the statutory date), past our own
promise (the law's date still ahead), due this week, paused and new this month.

Each figure is a button that shows the case list with that filter, so the most urgent work
is one click (or one Tab and Space) away from launch.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from app.domain import Urgency
from app.queries import CaseFilter, opened_this_month, urgency_counts
from app.store import Store
from ui.urgency_style import LOOKS, urgency_icon

# (filter, objectName, words after the number, urgency whose look the button borrows)
_TILES: tuple[tuple[CaseFilter, str, str, Urgency | None], ...] = (
    (CaseFilter.OVERDUE, "homeOverdueButton", "overdue", Urgency.OVERDUE),
    (CaseFilter.PAST_PROMISE, "homePastPromiseButton", "past promise", Urgency.PAST_PROMISE),
    (CaseFilter.DUE_THIS_WEEK, "homeDueWeekButton", "due this week", Urgency.DUE_SOON),
    (CaseFilter.PAUSED, "homePausedButton", "paused", Urgency.PAUSED),
    (CaseFilter.OPENED_THIS_MONTH, "homeOpenedMonthButton", "new this month", None),
)


class HomeView(QWidget):
    """Five counts, each a shortcut to the filtered list."""

    filterRequested = Signal(object)  # CaseFilter

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("homeView")
        self.setAccessibleName("Summary of cases needing attention")
        self._store = store
        self._today = today
        self.buttons: dict[CaseFilter, QPushButton] = {}
        self.counts: dict[CaseFilter, int] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)  # five tiles fit an 800-pixel-wide window
        for case_filter, name, _words, urgency in _TILES:
            button = QPushButton(self)
            button.setObjectName(name)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumHeight(44)
            if urgency is not None:
                button.setIcon(urgency_icon(urgency))
            button.setStyleSheet(_tile_style(None))
            button.clicked.connect(lambda _=False, f=case_filter: self.filterRequested.emit(f))
            layout.addWidget(button)
            self.buttons[case_filter] = button
        # The owner calls refresh() once it is built: it wants the counts for its status bar.

    def refresh(self) -> dict[Urgency, int]:
        """Re-count; returns the counts by urgency so the status bar need not ask again."""
        today = self._today()
        by_urgency = urgency_counts(self._store, today=today)
        self.counts = {
            CaseFilter.OVERDUE: by_urgency[Urgency.OVERDUE],
            CaseFilter.PAST_PROMISE: by_urgency[Urgency.PAST_PROMISE],
            CaseFilter.DUE_THIS_WEEK: by_urgency[Urgency.DUE_SOON],
            CaseFilter.PAUSED: by_urgency[Urgency.PAUSED],
            CaseFilter.OPENED_THIS_MONTH: opened_this_month(self._store, today=today),
        }
        self.show_counts(self.counts)
        return by_urgency

    def show_counts(self, counts: dict[CaseFilter, int]) -> None:
        for case_filter, _name, words, urgency in _TILES:
            text = f"{counts[case_filter]:,} {words}"
            button = self.buttons[case_filter]
            button.setText(text)
            # A tile is only in its alarm colour while there is something to see: "0 overdue"
            # in red would train the eye to ignore red.
            button.setStyleSheet(_tile_style(urgency if counts[case_filter] else None))
            button.setAccessibleName(f"Show cases: {text}")
            button.setToolTip(f"Show the {case_filter.label.lower()} cases in the list")


def _tile_style(urgency: Urgency | None) -> str:
    if urgency is None:
        return (
            "QPushButton { border: 1px solid #8A8A8A; border-radius: 4px;"
            " padding: 6px 8px; font-size: 11pt; text-align: left; }"
            " QPushButton:focus { border: 2px solid #1A1A1A; }"
        )
    look = LOOKS[urgency]
    return (
        f"QPushButton {{ background: {look.background}; color: {look.foreground};"
        f" border: 1px solid {look.mark}; border-radius: 4px; padding: 6px 8px;"
        " font-size: 11pt; text-align: left; }"
        f" QPushButton:focus {{ border: 2px solid {look.foreground}; }}"
        f" QPushButton:hover {{ border: 2px solid {look.mark}; }}"
    )

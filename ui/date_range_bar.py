"""A date range under the search box: narrow any list to cases received, or due, between two
days (either end may stay open). It changes the list's CaseQuery, so SQL does the work."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.queries import CaseQuery
from ui.forms import UK_DATE_FORMAT, UK_LOCALE, date_value, name_widget, named_button, to_qdate

ANY = date(1999, 12, 31)  # shown as "Any": the edit's minimum stands for an open end


def _edit(object_name: str, accessible_name: str) -> QDateEdit:
    edit = QDateEdit()
    name_widget(edit, object_name, accessible_name)
    edit.setLocale(UK_LOCALE)  # British day and month names whatever the machine's locale
    edit.setDisplayFormat(UK_DATE_FORMAT)
    inner = edit.findChild(QLineEdit)  # the spin box's own editor, focused with it
    if inner is not None:
        inner.setAccessibleName(accessible_name)
    edit.setCalendarPopup(True)
    edit.setMinimumDate(to_qdate(ANY))
    edit.setMaximumDate(to_qdate(date(2100, 12, 31)))
    edit.setSpecialValueText("Any")
    edit.setDate(to_qdate(ANY))
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("Wed 30 Sept 2026") + 40)
    return edit


class DateRangeBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dateRangeBar")
        self.field_combo = QComboBox()
        name_widget(self.field_combo, "dateFieldCombo", "Which date the range applies to")
        self.field_combo.addItem("Received", "received")
        self.field_combo.addItem("Due", "due")
        self.from_edit = _edit("dateFromEdit", "From date (Any: no limit)")
        self.to_edit = _edit("dateToEdit", "To date (Any: no limit)")
        self.clear_button = named_button(
            "Any &dates", "clearDatesButton", "Show any dates", self.clear, auto_default=False
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Dat&es:")
        label.setBuddy(self.field_combo)
        layout.addWidget(label)
        layout.addWidget(self.field_combo)
        layout.addWidget(QLabel("from"))
        layout.addWidget(self.from_edit)
        layout.addWidget(QLabel("to"))
        layout.addWidget(self.to_edit)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        for signal in (
            self.field_combo.currentIndexChanged,
            self.from_edit.dateChanged,
            self.to_edit.dateChanged,
        ):
            signal.connect(lambda *_: self.changed.emit())

    def bounds(self) -> tuple[date | None, date | None]:
        low, high = date_value(self.from_edit), date_value(self.to_edit)
        low = None if low in (None, ANY) else low
        high = None if high in (None, ANY) else high
        if low and high and high < low:
            low, high = high, low
        return low, high

    def set_range(self, field: str, low: date | None, high: date | None) -> None:
        self.field_combo.setCurrentIndex(self.field_combo.findData(field))
        self.from_edit.setDate(to_qdate(low or ANY))
        self.to_edit.setDate(to_qdate(high or ANY))

    def clear(self) -> None:
        self.set_range(self.field_combo.currentData(), None, None)

    def applied_to(self, query: CaseQuery) -> CaseQuery:
        low, high = self.bounds()
        received = self.field_combo.currentData() == "received"
        return replace(
            query,
            received_from=low if received else None,
            received_to=high if received else None,
            due_from=None if received else low,
            due_to=None if received else high,
        )

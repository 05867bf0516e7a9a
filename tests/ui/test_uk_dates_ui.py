"""The window writes dates the UK way under a German locale (issue 8 point 7)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QLocale

from ui.forms import date_edit


@pytest.fixture
def german_qt(german_locale: str) -> Iterator[None]:
    saved = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        yield
    finally:
        QLocale.setDefault(saved)


def test_a_date_edit_reads_the_uk_way_under_a_german_locale(qtbot, german_qt: None) -> None:
    assert QLocale().language() is QLocale.Language.German
    edit = date_edit("testDateEdit", "Date", today=date(2026, 3, 5))
    qtbot.addWidget(edit)
    assert edit.text() == "Thu 5 Mar 2026"
    assert edit.calendarWidget().locale().language() is QLocale.Language.English


def test_the_list_date_range_reads_the_uk_way_under_a_german_locale(qtbot, german_qt: None) -> None:
    from ui.date_range_bar import DateRangeBar

    bar = DateRangeBar()
    qtbot.addWidget(bar)
    bar.set_range("due", date(2026, 3, 5), date(2026, 9, 30))
    assert bar.from_edit.text() == "Thu 5 Mar 2026"
    assert bar.to_edit.text() == "Wed 30 Sept 2026"
    assert bar.from_edit.calendarWidget().locale().language() is QLocale.Language.English


def test_report_months_are_named_the_uk_way_under_a_german_locale(german_locale: str) -> None:
    from app.reports import month_period, quarter_period

    assert f"{date(2026, 3, 1):%B}" == "März"  # what calendar.month_name gave the reports
    assert month_period(2026, 3).label == "March 2026"
    assert quarter_period(2026, 1).label == "Q1 2026"

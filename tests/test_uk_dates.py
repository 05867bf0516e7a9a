"""Dates are written the UK way whatever the machine's locale (issue 8 point 7)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.formatting import uk_date, uk_long_date, uk_month, uk_timestamp


def test_the_german_locale_is_really_in_force(german_locale: str) -> None:
    # strftime follows the process locale: this is what letters used to print.
    assert f"{date(2026, 3, 5):%B}" == "März"


def test_dates_stay_british_under_a_german_locale(german_locale: str) -> None:
    assert uk_date(date(2026, 3, 5)) == "Thu 5 Mar 2026"
    assert uk_long_date(date(2026, 3, 5)) == "5 March 2026"
    assert uk_long_date(date(2026, 12, 24)) == "24 December 2026"
    moment = datetime(2026, 3, 5, 14, 5, tzinfo=UTC)
    assert uk_timestamp(moment).startswith("Thu 5 Mar 2026 ")


def test_british_abbreviations() -> None:
    # The CLDR's en_GB forms: September is "Sept" in British usage.
    assert uk_date(date(2026, 9, 3)) == "Thu 3 Sept 2026"
    assert uk_date(date(2026, 10, 5)) == "Mon 5 Oct 2026"


def test_months_stay_british_under_a_german_locale(german_locale: str) -> None:
    assert uk_month(2026, 3) == "March 2026"
    assert uk_month(2026, 3, short=True) == "Mar 2026"
    assert uk_month(2026, 9, short=True) == "Sept 2026"

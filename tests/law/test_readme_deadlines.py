"""README "How deadlines are counted" says what the engine does (issue 8, done when): each
example it gives is read from the README and worked again by app.deadlines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.deadlines import Clock, case_deadlines, notice_in_time, promised_deadline
from app.formatting import uk_date

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## How deadlines are counted")
    return " ".join(text[start : text.index("\n## ", start + 3)].split())


@pytest.mark.parametrize(
    ("says", "clock", "due"),
    [
        ("3 Oct + 1 = Sun 4 Oct → Mon 5 Oct", Clock(date(2026, 9, 3), (1,)), date(2026, 10, 5)),
        ("paused 10–14 Sep: Thu 8 Oct", Clock(date(2026, 9, 3), (5,)), date(2026, 10, 8)),
        ("26 Mar + 4 = Tue 30 Mar 2027", Clock(date(2027, 2, 26), (4,)), date(2027, 3, 30)),
        ("10 Jan + 16 = Tue 26 Jan 2027", Clock(date(2026, 12, 10), (16,)), date(2027, 1, 26)),
    ],
)
def test_the_readme_examples_are_the_engines(says: str, clock: Clock, due: date) -> None:
    assert says in _section()
    assert case_deadlines(clock).statutory == due
    assert uk_date(due).split()[0] in says  # the weekday it names is the real one


def test_the_readme_promise_and_notice_examples_hold() -> None:
    section = _section()
    assert "(3 Sep → Sat 3 Oct → Fri 2 Oct)" in section
    assert promised_deadline(date(2026, 9, 3)) == date(2026, 10, 2)
    assert "an extension on 6 Apr is in time" in section
    assert notice_in_time(Clock(date(2026, 3, 2), paused_since=date(2026, 3, 30)), date(2026, 4, 6))
    assert "an extension on 6 Oct is refused (the notice date was Mon 5 Oct)" in section
    paused = Clock(date(2026, 9, 3), (2,))
    assert case_deadlines(paused).extension_notice_by == date(2026, 10, 5)
    assert not notice_in_time(paused, date(2026, 10, 6))
    assert "only a case past its statutory date is overdue" in section

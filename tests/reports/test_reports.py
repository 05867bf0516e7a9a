"""Reports on the hand-worked store (tests/handworked.py): every figure worked out by hand.

Period 1 Sep – 30 Nov 2026, report day Wed 25 Nov 2026.

Received in the period: C01–C19 (C20 came in August) = 19.
  by type: access C01 C02 C05 C08 C10 C12 C13 C16 C17 = 9; rectification C04 C14 = 2;
  erasure C03 C11 C15 = 3; restriction C09 C19 = 2; portability C07 C18 = 2; opt-out C06 = 1.
  by channel: email C01 C04 C05 C06 C10 C11 C13 C15 C17 C18 = 10; post C02 C09 C16 = 3;
  web form C03 C07 C12 C19 = 4; phone C08 C14 = 2; in person 0.
Closed in the period: C01–C11, C14, C20 = 13; answered (not withdrawn): 12 (all but C07).
  After the statutory date: C04 (+5), C10 (+4), C14 (+7) -> in time 9/12 = 75.0%.
  After the promise: C04, C09 (5 Nov > 4 Nov), C10, C14 -> within 8/12 = 66.7%.
  Days to respond: C06 0, C05 15, C01 25, C20 28, C11 30, C09 31, C03 34, C04 35, C08 35,
  C10 35, C14 40, C02 55 -> median (31 + 34) / 2 = 32.5; 90th percentile, nearest rank
  ceil(0.9 × 12) = 11th -> 40.
  Outcomes: fulfilled C01 C02 C04 C06 C08 C09 C10 C20 = 8; partly C03; refused C05 C14;
  withdrawn C07; no data held C11.
Extended in the period: C02 (28 Sep), C12 (2 Nov) = 2.
Clock stopped in the period: C03 (14 Sep), C08 (22 Sep), C15 (9 Nov), C16 (4 Nov),
  C17 (9 Nov) = 5.
Overdue on 25 Nov: C13 (statutory 13 Nov) = 1.
Per month, received by type: Sep access 4 (C01 C02 C05 C08), erasure 1, rectification 1,
  portability 1, opt-out 1; Oct access 3 (C10 C12 C13), erasure 2 (C11 C15), restriction 2
  (C09 C19), rectification 1 (C14); Nov access 2 (C16 C17), portability 1 (C18).
Per closing month: Sep answered C05 C06 C20, all in time, all within the promise -> 100%,
  100%; Oct answered C01 C03 C04 C08 (C07 withdrawn): statutory 3/4 = 75%, promise 3/4 = 75%;
  Nov answered C02 C09 C10 C11 C14: statutory C02 C09 C11 = 60%, promise C02 C11 = 40%.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import RequestType
from app.reports import (
    Period,
    Report,
    custom_period,
    load_report,
    month_period,
    quarter_period,
    year_period,
)
from app.store import Store
from tests.handworked import LATE_REASONS, TODAY

PERIOD = custom_period(date(2026, 9, 1), date(2026, 11, 30))


@pytest.fixture
def report(store: Store, handworked_ids: dict[str, int]) -> Report:
    return load_report(store, PERIOD, on=TODAY)


def keys(ids: dict[str, int], figure_ids: tuple[int, ...]) -> set[str]:
    names = {v: k for k, v in ids.items()}
    return {names[i] for i in figure_ids}


def cs(text: str) -> set[str]:
    return set(text.split())


def test_periods() -> None:
    assert month_period(2026, 2) == Period(date(2026, 2, 1), date(2026, 2, 28), "February 2026")
    assert quarter_period(2026, 4) == Period(date(2026, 10, 1), date(2026, 12, 31), "Q4 2026")
    assert year_period(2027).end == date(2027, 12, 31)
    assert PERIOD.months() == [(2026, 9), (2026, 10), (2026, 11)]
    assert custom_period(date(2026, 12, 5), date(2027, 1, 2)).months() == [(2026, 12), (2027, 1)]
    with pytest.raises(ValueError):
        custom_period(date(2026, 2, 2), date(2026, 2, 1))


def test_received_by_type_and_channel(report: Report, handworked_ids: dict[str, int]) -> None:
    ids = handworked_ids
    expected = {
        "received": "C01 C02 C03 C04 C05 C06 C07 C08 C09 C10 C11 C12 C13 C14 C15 C16 C17 C18 C19",
        "received.access": "C01 C02 C05 C08 C10 C12 C13 C16 C17",
        "received.rectification": "C04 C14",
        "received.erasure": "C03 C11 C15",
        "received.restriction": "C09 C19",
        "received.portability": "C07 C18",
        "received.marketing_opt_out": "C06",
        "channel.email": "C01 C04 C05 C06 C10 C11 C13 C15 C17 C18",
        "channel.post": "C02 C09 C16",
        "channel.web_form": "C03 C07 C12 C19",
        "channel.phone": "C08 C14",
        "channel.in_person": "",
    }
    for key, cases in expected.items():
        figure = report[key]
        assert (key, figure.value, keys(ids, figure.case_ids)) == (key, len(cs(cases)), cs(cases))
    assert report["received"].value == 19


def test_timeliness_and_days_to_respond(report: Report, handworked_ids: dict[str, int]) -> None:
    ids = handworked_ids
    answered = cs("C01 C02 C03 C04 C05 C06 C08 C09 C10 C11 C14 C20")
    assert report["answered"].value == 12
    assert keys(ids, report["answered"].case_ids) == answered
    assert report["in_time_statutory"].value == 75.0
    assert report["in_time_statutory"].text == "75.0%"
    assert keys(ids, report["in_time_statutory"].case_ids) == answered
    assert keys(ids, report["late"].case_ids) == cs("C04 C10 C14")
    assert report["within_promise"].value == 66.7
    assert keys(ids, report["missed_promise"].case_ids) == cs("C04 C09 C10 C14")
    assert report["days_median"].value == 32.5
    assert report["days_p90"].value == 40
    assert report["days_p90"].text == "40 days"


def test_outcomes_refusals_extensions_pauses_overdue(
    report: Report, handworked_ids: dict[str, int]
) -> None:
    ids = handworked_ids
    expected = {
        "outcome.fulfilled": "C01 C02 C04 C06 C08 C09 C10 C20",
        "outcome.partly_fulfilled": "C03",
        "outcome.refused": "C05 C14",
        "outcome.withdrawn": "C07",
        "outcome.no_data_held": "C11",
        "extended": "C02 C12",
        "paused": "C03 C08 C15 C16 C17",
        "overdue_now": "C13",
    }
    for key, cases in expected.items():
        figure = report[key]
        assert (key, figure.value, keys(ids, figure.case_ids)) == (key, len(cs(cases)), cs(cases))
    grounds = {
        f.label: keys(ids, f.case_ids) for f in report.figures.values() if f.key.startswith("ref")
    }
    # By legal basis, never the DPO's free-text particulars (which may name people).
    assert grounds == {
        "Refused: Manifestly unfounded (Art. 12(5))": {"C05"},
        "Refused: Manifestly excessive (Art. 12(5))": {"C14"},
    }
    assert [f.key for f in report.figures.values() if f.key.startswith("refused_ground")] == [
        "refused_ground.manifestly_unfounded",
        "refused_ground.manifestly_excessive",
    ]


def test_reasons_for_lateness(report: Report, handworked_ids: dict[str, int]) -> None:
    names = {v: k for k, v in handworked_ids.items()}
    assert [(names[c.case_id], c.closed_on, c.days_late, c.reason) for c in report.late] == [
        ("C04", date(2026, 10, 19), 5, LATE_REASONS["C04"]),
        ("C10", date(2026, 11, 10), 4, LATE_REASONS["C10"]),
        ("C14", date(2026, 11, 23), 7, LATE_REASONS["C14"]),
    ]


def test_per_month(report: Report, handworked_ids: dict[str, int]) -> None:
    ids = handworked_ids
    assert [m.label for m in report.months] == ["Sept 2026", "Oct 2026", "Nov 2026"]
    received = [
        {kind.value: keys(ids, f.case_ids) for kind, f in m.received_by_type.items() if f.value}
        for m in report.months
    ]
    assert received == [
        {
            "access": cs("C01 C02 C05 C08"),
            "erasure": {"C03"},
            "rectification": {"C04"},
            "portability": {"C07"},
            "marketing_opt_out": {"C06"},
        },
        {
            "access": cs("C10 C12 C13"),
            "erasure": cs("C11 C15"),
            "restriction": cs("C09 C19"),
            "rectification": {"C14"},
        },
        {"access": cs("C16 C17"), "portability": {"C18"}},
    ]
    assert [m.in_time_statutory.value for m in report.months] == [100.0, 75.0, 60.0]
    assert [m.within_promise.value for m in report.months] == [100.0, 75.0, 40.0]
    assert keys(ids, report.months[1].in_time_statutory.case_ids) == cs("C01 C03 C04 C08")


def test_a_month_alone_and_an_empty_period(store: Store, handworked_ids: dict[str, int]) -> None:
    october = load_report(store, month_period(2026, 10), on=TODAY)
    # Received in October: C09–C15 and C19 = 8; closed: C01 C03 C04 C07 C08.
    assert october["received"].value == 8
    assert october["answered"].value == 4
    assert october["in_time_statutory"].value == 75.0
    assert october["received"].case_ids == tuple(
        handworked_ids[k] for k in ("C09", "C10", "C11", "C12", "C13", "C14", "C15", "C19")
    )
    empty = load_report(store, month_period(2025, 1), on=TODAY)
    assert empty["received"].value == 0
    assert empty["in_time_statutory"].value is None
    assert empty["in_time_statutory"].text == "—"
    assert empty["days_median"].value is None
    assert empty["overdue_now"].value == 1  # a snapshot, whatever the period


def test_groups_cover_every_figure(report: Report) -> None:
    grouped = [f.key for _, figures in report.in_groups() for f in figures]
    assert sorted(grouped) == sorted(report.figures)
    assert report.in_groups()[0][0] == "Requests received"
    assert RequestType.ACCESS.label in [f.label for f in report.in_groups()[0][1]]


def test_counting_reports_progress_and_stops_on_cancel(store: Store) -> None:
    from app.demo import fill_bulk
    from app.exports.files import Cancelled

    fill_bulk(store, 1200, today=TODAY)
    year = custom_period(date(2023, 1, 1), date(2026, 11, 30))
    seen: list[tuple[int, int]] = []
    whole = load_report(store, year, on=TODAY, progress=lambda d, t: seen.append((d, t)) or True)
    total = seen[-1][1]
    assert seen == [(0, total), (500, total), (1000, total), (total, total)]
    assert whole["received"].value == 1200 == total
    asked: list[int] = []

    def stop_after_first_chunk(done: int, total: int) -> bool:
        asked.append(done)
        return done < 500

    with pytest.raises(Cancelled):
        load_report(store, year, on=TODAY, progress=stop_after_first_chunk)
    assert asked == [0, 500]

"""The list, the home strip and the case view tell "past our promise" (the statutory date
still ahead, shown with it) from "overdue" (past the statutory date) (issue 8 point 3)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from app import cases
from app.domain import Channel, Outcome, RequestType, Urgency
from app.queries import CaseFilter, CaseQuery
from app.readmodels import RequesterDetails
from app.store import Store
from tests.conftest import TODAY
from ui.case_table_model import DAYS_LEFT_COLUMN, STATUS_COLUMN, CaseTableModel
from ui.case_view import CaseView
from ui.home_view import HomeView
from ui.signals import StoreSignals


def _log(store: Store, name: str, received: date) -> int:
    return cases.log_request(
        store,
        RequesterDetails(name=name, email=f"{name.split()[0].lower()}@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=received,
        today=TODAY,
    ).id


def _desk(store: Store) -> tuple[int, int]:
    # On Wed 25 Nov 2026: received Sun 25 Oct -> promise Tue 24 Nov, statutory Wed 25 Nov;
    # received Fri 23 Oct -> statutory Mon 23 Nov, overdue.
    return _log(store, "Ann Lee", date(2026, 10, 25)), _log(store, "Bo Li", date(2026, 10, 23))


def test_the_list_words_past_promise_with_the_statutory_date(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    past, late = _desk(store)
    model = CaseTableModel(store, today=lambda: TODAY, query=CaseQuery(filter=CaseFilter.ALL))
    shown = {}
    for row in range(model.rowCount()):
        case_id = model.case_id(row)
        shown[case_id] = (
            model.index(row, STATUS_COLUMN).data(),
            model.index(row, DAYS_LEFT_COLUMN).data(),
            model.index(row, STATUS_COLUMN).data(Qt.ItemDataRole.ToolTipRole),
        )
    status, days, tip = shown[past]
    assert status == "Past our promise · law: Wed 25 Nov 2026"
    assert days == "1 day past promise"
    assert "not overdue" in tip and "Wed 25 Nov 2026" in tip
    status, days, _tip = shown[late]
    assert status == "Overdue · 2 days"  # counted from the statutory Mon 23 Nov
    assert days == "2 days overdue"


def test_the_home_strip_counts_them_apart(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    _desk(store)
    home = HomeView(store, today=lambda: TODAY)
    qtbot.addWidget(home)
    counts = home.refresh()
    assert counts[Urgency.OVERDUE] == 1 and counts[Urgency.PAST_PROMISE] == 1
    assert home.buttons[CaseFilter.OVERDUE].text() == "1 overdue"
    assert home.buttons[CaseFilter.PAST_PROMISE].text() == "1 past promise"
    assert home.buttons[CaseFilter.PAST_PROMISE].objectName() == "homePastPromiseButton"


def test_the_case_view_says_past_promise_not_overdue(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    past, late = _desk(store)
    view = CaseView(store, StoreSignals(), today=lambda: TODAY)
    qtbot.addWidget(view)
    view.show_case(past)
    assert view.status_label.text() == "Open"
    assert view.due_label.text() == (
        "Past our 30-day promise (Tue 24 Nov 2026), not overdue: the statutory deadline is "
        "Wed 25 Nov 2026, due today."
    )
    view.show_case(late)
    assert view.due_label.text() == (
        "Overdue: the statutory deadline was Mon 23 Nov 2026 (2 days overdue)."
    )


def test_a_closed_case_is_late_only_after_the_statutory_date(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import finish_search_record

    past, late = _desk(store)
    for case_id, on in ((past, date(2026, 11, 25)), (late, date(2026, 11, 25))):
        finish_search_record(store, case_id, on=on)
        cases.close(store, case_id, outcome=Outcome.FULFILLED, on=on, today=TODAY)
    view = CaseView(store, StoreSignals(), today=lambda: TODAY)
    qtbot.addWidget(view)
    view.show_case(past)
    assert view.due_label.text() == (
        "Answered after our 30-day promise (Tue 24 Nov 2026), within the statutory deadline "
        "(Wed 25 Nov 2026)."
    )
    view.show_case(late)
    assert view.due_label.text() == ("Answered late: the statutory deadline was Mon 23 Nov 2026.")


def test_an_opt_out_past_its_target_is_not_said_to_break_a_30_day_promise(
    qtbot, store: Store
) -> None:  # type: ignore[no-untyped-def]
    # Received Fri 20 Nov 2026: actioned by Mon 23 Nov; the month runs to Mon 21 Dec.
    case_id = cases.log_request(
        store,
        RequesterDetails(name="Cy Ng", email="cy@example.org"),
        request_type=RequestType.MARKETING_OPT_OUT,
        channel=Channel.EMAIL,
        on=date(2026, 11, 20),
        today=TODAY,
    ).id
    view = CaseView(store, StoreSignals(), today=lambda: TODAY)
    qtbot.addWidget(view)
    view.show_case(case_id)
    assert view.due_label.text() == (
        "Past the opt-out's target of the next working day (Mon 23 Nov 2026), not overdue: "
        "the statutory deadline is Mon 21 Dec 2026, 26 days left."
    )

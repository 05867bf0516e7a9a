"""The reason given when a case closes after its statutory deadline is kept on the record."""

from __future__ import annotations

from datetime import date

import pytest

from app import cases
from app.domain import Channel, DomainError, Outcome, RequestType
from app.readmodels import RequesterDetails
from app.store import Store
from tests.conftest import finish_search_record

TODAY = date(2026, 11, 25)


def logged(store: Store, received: date) -> int:
    return cases.log_request(
        store,
        RequesterDetails(name="Ann Example", email="ann@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=received,
        today=TODAY,
    ).id


def test_a_late_close_keeps_its_reason(store: Store) -> None:
    case_id = logged(store, date(2026, 10, 6))  # statutory Fri 6 Nov
    finish_search_record(store, case_id, on=date(2026, 11, 10))
    cases.close(
        store,
        case_id,
        outcome=Outcome.FULFILLED,
        on=date(2026, 11, 10),
        late_reason="  Waited for the payroll provider  ",
        today=TODAY,
    )
    event = cases.timeline(store, case_id)[-1]
    assert event.details["late_days"] == 4
    assert event.details["late_reason"] == "Waited for the payroll provider"
    assert event.summary.endswith("Why late: Waited for the payroll provider.")


def test_an_in_time_close_keeps_no_late_reason(store: Store) -> None:
    case_id = logged(store, date(2026, 10, 6))
    finish_search_record(store, case_id, on=date(2026, 11, 6))
    cases.close(
        store,
        case_id,
        outcome=Outcome.FULFILLED,
        on=date(2026, 11, 6),
        late_reason="not late at all",
        today=TODAY,
    )
    event = cases.timeline(store, case_id)[-1]
    assert (event.details["late_days"], event.details["late_reason"]) == (0, "")


def test_a_late_reason_with_control_characters_is_refused(store: Store) -> None:
    case_id = logged(store, date(2026, 10, 6))
    with pytest.raises(DomainError, match="control characters"):
        cases.close(
            store, case_id, outcome=Outcome.FULFILLED, on=TODAY, late_reason="a\x00b", today=TODAY
        )
    assert cases.get_case(store, case_id).closed_on is None


def test_the_close_dialog_asks_why_when_late_and_the_reports_list_it(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDateEdit, QLabel, QPlainTextEdit

    from app.reports import custom_period, load_report
    from app.settings import save_settings
    from tests.letters.conftest import ORG
    from tests.ui.test_case_view import ok_of, wait_window
    from ui.case_view import CaseView
    from ui.signals import StoreSignals

    save_settings(store, ORG)
    case_id = logged(store, date(2026, 10, 6))  # statutory Fri 6 Nov
    finish_search_record(store, case_id, on=date(2026, 11, 10))
    view = CaseView(store, StoreSignals(), today=lambda: TODAY)
    qtbot.addWidget(view)
    view.show()
    view.show_case(case_id)
    view.action_close.trigger()
    dialog = wait_window(qtbot, "closeDialog")
    reason = dialog.findChild(QPlainTextEdit, "lateReasonEdit")
    error = dialog.findChild(QLabel, "lateReasonError")
    closed = dialog.findChild(QDateEdit, "closeDateEdit")
    closed.setDate(date(2026, 11, 6))  # on the deadline: not asked
    assert not reason.isVisible() and ok_of(dialog).isEnabled()
    closed.setDate(date(2026, 11, 10))  # 4 days after it: asked, and OK waits for it
    assert reason.isVisible()
    assert not ok_of(dialog).isEnabled()
    assert error.text() == (
        "Closed 4 days after the statutory deadline (Fri 6 Nov 2026): say why; the reports "
        "list the reasons."
    )
    reason.setPlainText("We waited for records from the payroll provider.")
    assert ok_of(dialog).isEnabled() and not error.isVisible()
    ok_of(dialog).click()
    qtbot.waitUntil(lambda: cases.get_case(store, case_id).closed_on is not None)
    event = cases.timeline(store, case_id)[-1]
    assert (event.details["late_days"], event.details["late_reason"]) == (
        4,
        "We waited for records from the payroll provider.",
    )
    report = load_report(store, custom_period(date(2026, 11, 1), date(2026, 11, 30)), on=TODAY)
    assert [(late.days_late, late.reason) for late in report.late] == [
        (4, "We waited for records from the payroll provider.")
    ]

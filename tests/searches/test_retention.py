"""Retention erasure of a case (app.retention) blanks its search record's personal fields and
unlinks its files, while what was searched, when, with what result, and why a system was
left out stays: the organisation's conduct, not the person."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from app import cases, searches
from app.attachments import add_attachment
from app.domain import Outcome
from app.retention import erase_case
from app.searches import TaskStatus
from app.store import Store
from tests.conftest import TODAY
from tests.raw import raw_rows
from tests.searches.conftest import SEARCHED, log, task_named

EMAIL = "zoe@example.org"
REASON = "Aggregated statistics only; they cannot identify a person."


def test_erasure_blanks_the_search_record_and_keeps_the_conduct(store: Store) -> None:
    case_id = log(store)
    export = add_attachment(store, case_id, filename="crm.csv", content=b"zoe", kind="disclosure")
    for task in searches.plan(store, case_id):
        if task.title.startswith("Website analytics"):
            searches.leave_out(store, task.id, reason=REASON)
            continue
        crm = task.title.startswith("CRM")
        searches.record_search(
            store,
            task.id,
            on=SEARCHED,
            terms=f"{EMAIL}, Zoë Adeyemi",
            found=crm,
            items=2 if crm else 0,
            note="Zoë's old address too" if crm else "",
            period_from=date(2024, 1, 1),
            material=[export.id] if crm else [],
        )
    cases.close(store, case_id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    before = {t.id: t for t in searches.plan(store, case_id)}

    erase_case(store, case_id, today=TODAY + relativedelta(years=3))

    after = searches.plan(store, case_id)
    assert [t.id for t in after] == list(before)
    for task in after:
        was = before[task.id]
        # Kept: the conduct.
        assert (task.title, task.status, task.searched_on, task.found, task.items) == (
            was.title,
            was.status,
            was.searched_on,
            was.found,
            was.items,
        )
        assert (task.period_from, task.left_out_reason) == (was.period_from, was.left_out_reason)
        # Gone: who was searched for, and what was noted about them.
        assert task.material == ()
        if task.status is TaskStatus.SEARCHED:
            assert task.terms == "[erased]"
    crm = task_named(store, case_id, "CRM")
    assert (crm.note, crm.items, crm.found) == ("[erased]", 2, True)
    assert task_named(store, case_id, "Website analytics").left_out_reason == REASON
    terms = [str(row[0]) for row in raw_rows(store, "SELECT terms || note FROM search_tasks")]
    assert terms and not any(EMAIL in t or "Zoë" in t for t in terms)

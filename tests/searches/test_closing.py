"""Closing checks the record: fulfilled or partly fulfilled only once every task is searched
(with its action, where one is due) or left out with a reason."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete

from app import cases, searches
from app.domain import DomainError, EventKind, Outcome, RequestType, Status
from app.models import SearchTaskRecord
from app.searches import SystemAction
from app.store import Store
from tests.conftest import TODAY
from tests.searches.conftest import SEARCHED, kinds, log, task_named

CHECKED = [
    RequestType.ACCESS,
    RequestType.ERASURE,
    RequestType.RECTIFICATION,
    RequestType.RESTRICTION,
    RequestType.PORTABILITY,
]


def close(store: Store, case_id: int, outcome: Outcome = Outcome.FULFILLED) -> None:
    ground = "Some records are exempt." if outcome.needs_ground else ""
    cases.close(store, case_id, outcome=outcome, on=TODAY, ground=ground, today=TODAY)


@pytest.mark.parametrize("request_type", CHECKED)
@pytest.mark.parametrize("outcome", [Outcome.FULFILLED, Outcome.PARTLY_FULFILLED])
def test_closing_with_an_open_task_is_refused_naming_it(
    store: Store, request_type: RequestType, outcome: Outcome
) -> None:
    case_id = log(store, request_type)
    tasks = searches.plan(store, case_id)
    for task in tasks[1:]:
        searches.record_search(store, task.id, on=SEARCHED, terms="zoe", found=False)
    events = kinds(store, case_id)
    with pytest.raises(DomainError) as refused:
        close(store, case_id, outcome)
    message = str(refused.value)
    assert f"cannot be closed as {outcome.label.lower()}" in message
    assert f"Not yet searched or left out with a reason: {tasks[0].title}." in message
    assert tasks[1].title not in message
    assert cases.get_case(store, case_id).status is Status.OPEN
    assert kinds(store, case_id) == events  # nothing written

    searches.leave_out(store, tasks[0].id, reason="The requester limited the request to email.")
    close(store, case_id, outcome)
    assert cases.get_case(store, case_id).status is Status.CLOSED
    assert kinds(store, case_id) == [
        EventKind.LOGGED,
        *[EventKind.SEARCH_RECORDED] * (len(tasks) - 1),
        EventKind.SEARCH_LEFT_OUT,
        EventKind.CLOSED,
    ]


def test_an_erasure_with_data_found_needs_its_action_before_closing(store: Store) -> None:
    case_id = log(store, RequestType.ERASURE)
    for task in searches.plan(store, case_id):
        found = task.title.startswith("Client")
        searches.record_search(
            store, task.id, on=SEARCHED, terms="zoe", found=found, items=int(found)
        )
    with pytest.raises(
        DomainError,
        match=re.escape(
            "Data found, but not yet recorded as erased or kept: Client service records."
        ),
    ):
        close(store, case_id)
    client = task_named(store, case_id, "Client")
    searches.record_action(store, client.id, action=SystemAction.ERASED, on=SEARCHED)
    close(store, case_id)
    assert cases.get_case(store, case_id).outcome is Outcome.FULFILLED


@pytest.mark.parametrize("outcome", [Outcome.REFUSED, Outcome.WITHDRAWN, Outcome.NO_DATA_HELD])
def test_other_outcomes_close_with_tasks_open(store: Store, outcome: Outcome) -> None:
    case_id = log(store)
    close(store, case_id, outcome)
    assert cases.get_case(store, case_id).outcome is outcome


def test_a_marketing_opt_out_is_actioned_at_once(store: Store) -> None:
    case_id = log(store, RequestType.MARKETING_OPT_OUT)
    assert searches.counts(store, case_id).open == 1
    close(store, case_id)  # suppression happens on closing; the CRM task is its record
    assert cases.timeline(store, case_id)[-1].details["suppressed"] is True


def test_a_case_without_a_plan_closes(store: Store) -> None:
    case_id = log(store)
    with store.write() as session:  # as a case logged before the register existed
        session.execute(delete(SearchTaskRecord).where(SearchTaskRecord.case_id == case_id))
    close(store, case_id)
    assert cases.get_case(store, case_id).status is Status.CLOSED

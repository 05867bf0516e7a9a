"""The search plan: made when a request is logged, remade when its type changes, grown by
hand; each change one event on the case's timeline."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import cases, searches
from app.domain import DomainError, EventKind, RequestType
from app.store import Store
from app.systems import SystemDetails, add_system, get_system, list_systems, update_system
from tests.conftest import TODAY
from tests.searches.conftest import RECEIVED, SEARCHED, kinds, log, task_named

ACCESS_SYSTEMS = 9  # every system of the policy is relevant to access


def test_an_access_request_gets_one_task_per_relevant_system(store: Store) -> None:
    case_id = log(store)
    tasks = searches.plan(store, case_id)
    relevant = [s for s in list_systems(store) if RequestType.ACCESS in s.request_types]
    assert len(tasks) == len(relevant) == ACCESS_SYSTEMS
    assert [(t.system_id, t.title) for t in tasks] == [(s.id, s.name) for s in relevant]
    assert all(t.status is searches.TaskStatus.OPEN and not t.manual for t in tasks)
    [logged] = cases.timeline(store, case_id)
    assert logged.details["search_plan"] == [s.name for s in relevant]
    assert logged.summary.endswith("Search plan: 9 systems to search.")
    assert searches.counts(store, case_id).summary == "0 of 9 systems searched; 9 to do"


def test_a_marketing_opt_out_gets_only_the_systems_marked_for_it(store: Store) -> None:
    case_id = log(store, RequestType.MARKETING_OPT_OUT)
    assert [t.title for t in searches.plan(store, case_id)] == ["CRM (marketing contacts)"]
    # Mark another system for opt-outs: the next opt-out gets it too, and only those two.
    mailing = add_system(
        store,
        SystemDetails(
            name="Mailing list (Mailchimp)", request_types=(RequestType.MARKETING_OPT_OUT,)
        ),
    )
    assert [t.title for t in searches.plan(store, log(store, RequestType.MARKETING_OPT_OUT))] == [
        "CRM (marketing contacts)",
        mailing.name,
    ]
    assert mailing.name not in [t.title for t in searches.plan(store, log(store))]


def test_erasure_and_portability_follow_the_register(store: Store) -> None:
    erasure = [t.title for t in searches.plan(store, log(store, RequestType.ERASURE))]
    assert "Website analytics (Google Analytics, aggregated)" not in erasure
    assert len(erasure) == 8
    portability = [t.title for t in searches.plan(store, log(store, RequestType.PORTABILITY))]
    assert portability == [
        "CRM (marketing contacts)",
        "Client service records",
        "Finance and invoicing",
        "Recruitment records",
    ]


def test_no_relevant_system_says_so_on_the_timeline(store: Store) -> None:
    crm = list_systems(store)[0]
    update_system(store, crm.id, replace(crm.details(), request_types=(RequestType.ACCESS,)))
    case_id = log(store, RequestType.MARKETING_OPT_OUT)
    assert searches.plan(store, case_id) == []
    assert searches.counts(store, case_id).summary == "No search plan"
    assert "No system in the register is marked" in cases.timeline(store, case_id)[0].summary


def test_changing_the_type_remakes_the_plan_keeping_what_holds_a_record(store: Store) -> None:
    case_id = log(store)
    crm = task_named(store, case_id, "CRM")
    analytics = task_named(store, case_id, "Website analytics")
    searches.record_search(store, crm.id, on=SEARCHED, terms="zoe@example.org", found=False)
    searches.leave_out(store, analytics.id, reason="Aggregated statistics only.")
    manual = searches.add_task(store, case_id, title="Paper files, HR cabinet")

    detail = cases.change_request_type(
        store, case_id, RequestType.MARKETING_OPT_OUT, reason="She only wants no more emails."
    )
    assert detail.request_type is RequestType.MARKETING_OPT_OUT
    assert detail.effective_due < cases.get_case(store, log(store)).effective_due  # next day
    titles = [t.title for t in searches.plan(store, case_id)]
    # CRM is relevant; the analytics task holds a reason and the manual task is the DPO's.
    assert titles == [crm.title, analytics.title, manual.title]
    event = cases.timeline(store, case_id)[-1]
    assert event.kind == EventKind.REQUEST_TYPE_CHANGED
    assert event.details["request_type_before"] == "access"
    assert event.details["search_plan_kept"] == [analytics.title]
    assert len(event.details["search_plan_removed"]) == 7
    assert "Dropped from it (not relevant): Client service records" in event.summary

    back = cases.change_request_type(store, case_id, RequestType.ERASURE)
    erasure_titles = [t.title for t in searches.plan(store, case_id)]
    assert erasure_titles[:3] == titles and len(erasure_titles) == 3 + 7
    assert back.effective_due == cases.get_case(store, log(store)).effective_due
    assert (
        "Added to the search plan: Client service records"
        in cases.timeline(store, case_id)[-1].summary
    )


@pytest.mark.parametrize(
    ("setup", "new_type", "message"),
    [
        (lambda s, c: None, RequestType.ACCESS, "already a subject access request"),
        (
            lambda s, c: cases.extend(s, c, reason="Complex.", on=RECEIVED, today=TODAY),
            RequestType.MARKETING_OPT_OUT,
            "never extended",
        ),
        (
            lambda s, c: cases.close(s, c, outcome="withdrawn", on=RECEIVED, today=TODAY),
            RequestType.ERASURE,
            "closed",
        ),
    ],
)
def test_a_type_change_that_does_not_fit_changes_nothing(
    store: Store, setup, new_type: RequestType, message: str
) -> None:  # type: ignore[no-untyped-def]
    case_id = log(store)
    setup(store, case_id)
    before = (cases.get_case(store, case_id), searches.plan(store, case_id))
    with pytest.raises(DomainError, match=message):
        cases.change_request_type(store, case_id, new_type)
    assert (cases.get_case(store, case_id), searches.plan(store, case_id)) == before


def test_tasks_added_by_hand_and_from_the_register(store: Store) -> None:
    case_id = log(store, RequestType.MARKETING_OPT_OUT)
    paper = searches.add_task(store, case_id, title="  Paper files,   HR cabinet ")
    assert (paper.title, paper.manual, paper.system_id) == ("Paper files, HR cabinet", True, None)
    finance = next(s for s in list_systems(store) if s.name.startswith("Finance"))
    added = searches.add_task(store, case_id, system_id=finance.id)
    assert (added.title, added.manual) == (finance.name, False)
    assert [t.title for t in searches.plan(store, case_id)][-2:] == [paper.title, finance.name]
    for kwargs, message in (
        ({"title": "paper files, hr cabinet"}, "already in this case's search plan"),
        ({"system_id": finance.id}, "already in this case's search plan"),
        ({"title": ""}, "Name the place"),
        ({"system_id": 999}, "no system with id 999"),
    ):
        with pytest.raises(DomainError, match=message):
            searches.add_task(store, case_id, **kwargs)  # type: ignore[arg-type]
    assert kinds(store, case_id) == [
        EventKind.LOGGED,
        EventKind.SEARCH_TASK_ADDED,
        EventKind.SEARCH_TASK_ADDED,
    ]
    assert cases.timeline(store, case_id)[1].summary == (
        "Paper files, HR cabinet added to the search plan (outside the register)."
    )
    assert get_system(store, finance.id).name == finance.name


def test_counts_in_sql_agree_with_the_plan(store: Store) -> None:
    from app.searches.planning import counts_by_case

    access, erasure, untouched = log(store), log(store, RequestType.ERASURE), log(store)
    for case_id in (access, erasure):
        tasks = searches.plan(store, case_id)
        searches.record_search(store, tasks[0].id, on=SEARCHED, terms="z", found=True, items=2)
        searches.record_search(store, tasks[1].id, on=SEARCHED, terms="z", found=False)
        searches.leave_out(store, tasks[2].id, reason="Not proportionate.")
    with store.read() as session:
        counted = counts_by_case(session, [access, erasure, untouched, 999])
    for case_id in (access, erasure, untouched):
        assert counted[case_id] == searches.counts(store, case_id), case_id
    assert 999 not in counted
    # Access: the 6 untouched. Erasure: its 5 untouched, and the data found awaiting erasure.
    assert (counted[access].open, counted[erasure].open) == (9 - 3, (8 - 3) + 1)

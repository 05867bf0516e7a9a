"""Recording a search, leaving a system out, the action in a system: each one transaction
with one event, and a refused entry changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app import cases, searches
from app.attachments import add_attachment, delete_attachment
from app.domain import ConcurrentChange, DomainError, EventKind, RequestType
from app.models import SearchTaskRecord
from app.searches import SystemAction, TaskStatus
from app.store import Store
from tests.conftest import TODAY
from tests.searches.conftest import (
    SEARCHED,
    crm_searched_with_a_file,
    kinds,
    log,
    task_named,
)


def state(store: Store, case_id: int) -> tuple[object, ...]:
    return (
        cases.get_case(store, case_id),
        cases.timeline(store, case_id),
        searches.plan(store, case_id),
    )


def test_a_search_is_recorded_with_terms_period_result_and_material(store: Store) -> None:
    case_id = log(store)
    done, export_id = crm_searched_with_a_file(
        store,
        case_id,
        items=3,
        terms="zoe@example.org; Zoë Adeyemi",
        note="Two contacts merged in 2025.",
        period_from=date(2024, 1, 1),
        period_to=SEARCHED,
        today=TODAY,
    )
    task = task_named(store, case_id, "CRM")
    assert done.status is TaskStatus.SEARCHED and done.done
    assert (done.searched_on, done.terms, done.found, done.items) == (
        SEARCHED,
        "zoe@example.org; Zoë Adeyemi",
        True,
        3,
    )
    assert (done.period_from, done.period_to, done.material) == (
        date(2024, 1, 1),
        SEARCHED,
        (export_id,),
    )
    assert done.decided_by and done.decided_at is not None
    event = cases.timeline(store, case_id)[-1]
    assert event.kind == EventKind.SEARCH_RECORDED
    assert event.summary == (
        "Searched CRM (marketing contacts) on Tue 10 Nov 2026 for zoe@example.org; "
        "Zoë Adeyemi: 3 items found. Period: Mon 1 Jan 2024 to Tue 10 Nov 2026. "
        "Two contacts merged in 2025."
    )
    assert event.details["before"]["status"] == "open"
    assert event.details["after"]["material"] == [export_id]
    assert searches.counts(store, case_id).summary == "1 of 9 systems searched; 8 to do"

    # Recorded again (nothing found after all): the record is replaced, the timeline keeps both.
    again = searches.record_search(store, task.id, on=SEARCHED, terms="zoe@", found=False)
    assert (again.found, again.items, again.material, again.period_from) == (False, 0, (), None)
    assert kinds(store, case_id).count(EventKind.SEARCH_RECORDED) == 2
    assert cases.timeline(store, case_id)[-1].details["before"]["items"] == 3


def test_the_same_material_can_be_linked_again(store: Store) -> None:
    case_id = log(store)
    export = add_attachment(store, case_id, filename="a.csv", content=b"x", kind="disclosure")
    task = task_named(store, case_id, "CRM")
    for items in (1, 2):
        linked = searches.record_search(
            store, task.id, on=SEARCHED, terms="z", found=True, items=items, material=[export.id]
        )
        assert linked.material == (export.id,)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"on": date(2026, 11, 26)}, "cannot be in the future"),
        ({"on": date(2026, 11, 1)}, "before the request was received"),
        ({"terms": "   "}, "Say what was searched for"),
        ({"terms": "a\x07b"}, "control characters"),
        ({"found": True, "items": 0}, "say how many items"),
        ({"found": False, "items": 2}, "must be 0"),
        ({"items": -1}, "cannot be negative"),
        ({"period_from": date(2026, 5, 1), "period_to": date(2026, 4, 1)}, "ends before"),
        ({"period_to": date(2026, 11, 20)}, "after the day of the search"),
        ({"material": [999]}, "this case's own attachments"),
    ],
)
def test_a_refused_search_record_changes_nothing(
    store: Store, kwargs: dict[str, object], message: str
) -> None:
    case_id = log(store)
    task = task_named(store, case_id, "CRM")
    before = state(store, case_id)
    entry: dict[str, object] = {"on": SEARCHED, "terms": "zoe@example.org", "found": False}
    with pytest.raises(DomainError, match=message):
        searches.record_search(store, task.id, today=TODAY, **(entry | kwargs))  # type: ignore[arg-type]
    assert state(store, case_id) == before


def test_material_must_be_this_cases_and_not_deleted(store: Store) -> None:
    case_id, other = log(store), log(store)
    theirs = add_attachment(store, other, filename="b.csv", content=b"y", kind="disclosure")
    gone = add_attachment(store, case_id, filename="c.csv", content=b"z", kind="disclosure")
    delete_attachment(store, gone.id, reason="Added to the wrong case.")
    task = task_named(store, case_id, "CRM")
    for attachment, message in ((theirs, "own attachments"), (gone, "has been deleted")):
        with pytest.raises(DomainError, match=message):
            searches.record_search(
                store,
                task.id,
                on=SEARCHED,
                terms="z",
                found=True,
                items=1,
                material=[attachment.id],
            )


def test_leaving_out_needs_a_reason_and_replaces_a_search(store: Store) -> None:
    case_id = log(store)
    task = task_named(store, case_id, "Email")
    with pytest.raises(DomainError, match="reasonable and proportionate"):
        searches.leave_out(store, task.id, reason="  ")
    searches.record_search(store, task.id, on=SEARCHED, terms="zoe", found=True, items=40)
    reason = "The requester limited the request to 2025; this mailbox was closed in 2023."
    left = searches.leave_out(store, task.id, reason=reason)
    assert (left.status, left.left_out_reason, left.done) == (TaskStatus.LEFT_OUT, reason, True)
    assert (left.found, left.items, left.terms) == (None, 0, "")
    event = cases.timeline(store, case_id)[-1]
    assert event.kind == EventKind.SEARCH_LEFT_OUT
    assert event.summary == f"Email (mailboxes) left out of the search: {reason}"
    assert event.details["before"]["items"] == 40
    assert searches.counts(store, case_id).summary == "0 of 9 systems searched, 1 left out; 8 to do"
    # Searched after all: the reason goes.
    searched = searches.record_search(store, task.id, on=SEARCHED, terms="zoe", found=False)
    assert searched.left_out_reason is None


def test_erasure_records_the_action_and_the_recipients_told(store: Store) -> None:
    case_id = log(store, RequestType.ERASURE)
    recruitment = task_named(store, case_id, "Recruitment")
    finance = task_named(store, case_id, "Finance")
    with pytest.raises(DomainError, match="Record the search of Recruitment records"):
        searches.record_action(store, recruitment.id, action=SystemAction.ERASED, on=SEARCHED)
    found = searches.record_search(
        store, recruitment.id, on=SEARCHED, terms="zoe", found=True, items=2
    )
    assert found.needs_action and not found.done
    assert searches.counts(store, case_id).open == 8
    with pytest.raises(DomainError, match=r"Recruitment agencies.*Art\. 19"):
        searches.record_action(store, recruitment.id, action=SystemAction.ERASED, on=SEARCHED)
    with pytest.raises(DomainError, match="'erased' or 'kept'"):
        searches.record_action(store, recruitment.id, action=SystemAction.CORRECTED, on=SEARCHED)
    erased = searches.record_action(
        store,
        recruitment.id,
        action=SystemAction.ERASED,
        on=SEARCHED,
        recipients_told="Told Acme Recruitment by email on 10 Nov.",
        today=TODAY,
    )
    assert erased.done and erased.action is SystemAction.ERASED
    assert erased.recipients_told == "Told Acme Recruitment by email on 10 Nov."
    event = cases.timeline(store, case_id)[-1]
    assert event.kind == EventKind.SEARCH_ACTION_RECORDED
    assert event.summary == (
        "Recruitment records: erased on Tue 10 Nov 2026. Recipients told (Art. 19): Told Acme "
        "Recruitment by email on 10 Nov."
    )

    searches.record_search(store, finance.id, on=SEARCHED, terms="zoe", found=True, items=5)
    with pytest.raises(DomainError, match="State the ground"):
        searches.record_action(store, finance.id, action=SystemAction.KEPT, on=SEARCHED)
    kept = searches.record_action(
        store,
        finance.id,
        action=SystemAction.KEPT,
        on=SEARCHED,
        ground="Invoices must be kept six years (Art. 17(3)(b)).",
    )
    assert kept.done and kept.action_ground.startswith("Invoices")
    # Nothing found after all: the action no longer applies.
    cleared = searches.record_search(store, finance.id, on=SEARCHED, terms="zoe", found=False)
    assert (cleared.action, cleared.action_ground, cleared.done) == (None, "", True)


def test_an_access_request_records_no_action(store: Store) -> None:
    case_id = log(store)
    task = task_named(store, case_id, "CRM")
    searches.record_search(store, task.id, on=SEARCHED, terms="zoe", found=True, items=1)
    with pytest.raises(DomainError, match="does not act on systems"):
        searches.record_action(store, task.id, action=SystemAction.ERASED, on=SEARCHED)


def test_a_stale_window_cannot_overwrite_and_a_closed_case_cannot_change(store: Store) -> None:
    case_id = log(store)
    version = cases.get_case(store, case_id).version
    task = task_named(store, case_id, "CRM")
    searches.record_search(
        store, task.id, on=SEARCHED, terms="zoe", found=False, expected_version=version
    )
    with pytest.raises(ConcurrentChange):
        searches.leave_out(store, task.id, reason="x", expected_version=version)
    cases.close(store, case_id, outcome="withdrawn", on=SEARCHED, today=TODAY)
    with pytest.raises(DomainError, match="closed; reopen it"):
        searches.leave_out(store, task.id, reason="x")
    with pytest.raises(DomainError, match="closed; reopen it"):
        searches.add_task(store, case_id, title="Paper files")


def test_erasing_the_case_forgets_the_identifiers_but_keeps_the_conduct(store: Store) -> None:
    case_id = log(store)
    task, _ = crm_searched_with_a_file(store, case_id, items=1, note="Zoë's old address too")
    with store.write() as session:
        assert searches.forget_personal_data(session, case_id) == 9
    kept = searches.get_task(store, task.id)
    assert (kept.terms, kept.note, kept.material) == ("[erased]", "[erased]", ())
    assert (kept.searched_on, kept.found, kept.items) == (SEARCHED, True, 1)
    untouched = task_named(store, case_id, "Email")
    assert untouched.terms == ""
    with store.read() as session:
        assert session.scalars(select(SearchTaskRecord.terms)).all().count("zoe@example.org") == 0


@pytest.mark.parametrize(
    ("request_type", "done", "wrong"),
    [
        (RequestType.RECTIFICATION, SystemAction.CORRECTED, SystemAction.ERASED),
        (RequestType.RESTRICTION, SystemAction.RESTRICTED, SystemAction.CORRECTED),
    ],
)
def test_rectification_and_restriction_record_their_own_action(
    store: Store, request_type: RequestType, done: SystemAction, wrong: SystemAction
) -> None:
    case_id = log(store, request_type)
    client = task_named(store, case_id, "Client")  # no recipients on the register
    email = task_named(store, case_id, "Email")
    for task in (client, email):
        searches.record_search(store, task.id, on=SEARCHED, terms="zoe", found=True, items=1)
    with pytest.raises(DomainError, match=f"'{done.label.lower()}' or 'kept'"):
        searches.record_action(store, client.id, action=wrong, on=SEARCHED)
    acted = searches.record_action(store, client.id, action=done, on=SEARCHED, today=TODAY)
    assert (acted.action, acted.done, acted.action_on) == (done, True, SEARCHED)
    assert acted.action_by
    kept = searches.record_action(
        store,
        email.id,
        action=SystemAction.KEPT,
        on=SEARCHED,
        ground="Legal claims (Art. 18(2)).",
        recipients_told="None: nothing was passed on.",
    )
    assert (kept.action, kept.action_ground, kept.recipients_told) == (
        SystemAction.KEPT,
        "Legal claims (Art. 18(2)).",
        "None: nothing was passed on.",
    )
    events = cases.timeline(store, case_id)[-2:]
    assert [e.kind for e in events] == [EventKind.SEARCH_ACTION_RECORDED] * 2
    assert events[0].summary == f"Client service records: {done.value} on Tue 10 Nov 2026."
    assert events[1].summary == (
        "Email (mailboxes): kept on Tue 10 Nov 2026 (Legal claims (Art. 18(2))). Recipients "
        "told (Art. 19): None: nothing was passed on."
    )
    with pytest.raises(DomainError, match="before the search"):
        searches.record_action(store, client.id, action=done, on=date(2026, 11, 9))

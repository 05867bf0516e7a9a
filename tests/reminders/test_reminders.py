"""Reminders on the hand-worked store: every reason, worked out by hand for fixed days."""

from __future__ import annotations

from datetime import date

import pytest

from app import cases, searches
from app.attachments import delete_attachment, stored_id_documents
from app.domain import DomainError, Outcome
from app.reminders import (
    ReminderKind,
    ReminderSettings,
    due_reminders,
    load_reminder_settings,
    mark_chased,
    save_reminder_settings,
    snooze,
)
from app.store import Store
from app.workdays import add_working_days, working_days_between
from tests.conftest import finish_search_record
from tests.handworked import DEADLINES, TODAY

K = ReminderKind


def listed(store: Store, ids: dict[str, int], on: date, **settings: int) -> list[tuple]:
    names = {v: k for k, v in ids.items()}
    found = due_reminders(store, on=on, settings=ReminderSettings(**settings))
    return [(names[r.case_id], r.kind, r.due_on, r.today) for r in found]


def test_the_hand_worked_deadlines_hold(store: Store, handworked_ids: dict[str, int]) -> None:
    for key, (statutory, promise) in DEADLINES.items():
        detail = cases.get_case(store, handworked_ids[key])
        assert (key, detail.statutory_due, detail.promised_due) == (key, statutory, promise)


def test_working_days_count_after_the_start_up_to_the_end() -> None:
    assert working_days_between(date(2026, 11, 9), date(2026, 11, 16)) == 5  # Mon to Mon
    assert working_days_between(date(2026, 11, 25), date(2026, 11, 25)) == 0
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 1  # over a weekend
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1  # 25 and 28 off
    assert working_days_between(date(2026, 11, 30), date(2026, 11, 27)) == -1
    assert add_working_days(date(2026, 11, 4), 10) == date(2026, 11, 18)
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 11, 4), 0) == date(2026, 11, 4)


def test_every_reason_on_wednesday_25_november(
    store: Store, handworked_ids: dict[str, int]
) -> None:
    assert listed(store, handworked_ids, TODAY) == [
        ("C13", K.OVERDUE, date(2026, 11, 13), True),
        # Extended on Mon 2 Nov; its one month for the notice ended Thu 12 Nov; none sent.
        ("C12", K.EXTENSION_NOTICE, date(2026, 11, 12), True),
        ("C19", K.PROMISE_DUE_SOON, date(2026, 11, 25), True),
        # Open cases whose reply is due within the window, searches unfinished (issue 10).
        ("C13", K.SEARCHES_OPEN, date(2026, 11, 12), True),
        ("C19", K.SEARCHES_OPEN, date(2026, 11, 25), True),
        # ID asked Wed 4 Nov: the 10th working day after is Wed 18 Nov.
        ("C16", K.IDENTITY_CHASE, date(2026, 11, 18), True),
        # Clarification asked Mon 9 Nov: the 10th working day after is Mon 23 Nov.
        ("C15", K.CLARIFICATION_CHASE, date(2026, 11, 23), True),
        ("C17", K.ID_DOCUMENTS_HELD, date(2026, 11, 11), True),
        ("C19", K.STATUTORY_DUE_SOON, date(2026, 11, 26), False),
        # Wed 2 Dec is 5 working days after Wed 25 Nov: just inside the window.
        ("C18", K.STATUTORY_DUE_SOON, date(2026, 12, 2), False),
        ("C18", K.SEARCHES_OPEN, date(2026, 12, 2), False),
    ]
    reasons = {(r.reference, r.kind): r.reason for r in due_reminders(store, on=TODAY)}
    c12 = cases.get_case(store, handworked_ids["C12"]).reference
    c13 = cases.get_case(store, handworked_ids["C13"]).reference
    c16 = cases.get_case(store, handworked_ids["C16"]).reference
    c17 = cases.get_case(store, handworked_ids["C17"]).reference
    c18 = cases.get_case(store, handworked_ids["C18"]).reference
    assert reasons[(c13, K.OVERDUE)] == (
        "The statutory deadline was Fri 13 Nov 2026: 12 days overdue."
    )
    assert reasons[(c12, K.EXTENSION_NOTICE)] == (
        "The extension notice was due by Thu 12 Nov 2026 and is not marked sent: 13 days "
        "late, so the extension cannot be relied on. Reply as soon as you can, or mark the "
        "notice sent if it went out in time."
    )
    assert reasons[(c16, K.IDENTITY_CHASE)] == (
        "Proof of identity asked for on Wed 4 Nov 2026, 15 working days ago. "
        "No reply yet: chase it."
    )
    assert reasons[(c17, K.ID_DOCUMENTS_HELD)] == (
        "1 ID document is still held, but identity was verified on Wed 11 Nov 2026: delete it."
    )
    assert reasons[(c18, K.STATUTORY_DUE_SOON)] == (
        "Statutory deadline (our promise too) Wed 2 Dec 2026, in 5 working days."
    )
    # Portability: CRM, client service records, finance, recruitment (as the register marks).
    assert reasons[(c18, K.SEARCHES_OPEN)] == (
        "4 of 4 search tasks unfinished in the Searches tab; the reply is due Wed 2 Dec 2026."
    )


def test_the_next_days(store: Store, handworked_ids: dict[str, int]) -> None:
    thursday = listed(store, handworked_ids, date(2026, 11, 26))
    assert ("C19", K.PROMISE_PASSED, date(2026, 11, 25), True) in thursday
    assert ("C19", K.STATUTORY_DUE_SOON, date(2026, 11, 26), True) in thursday
    assert ("C18", K.STATUTORY_DUE_SOON, date(2026, 12, 2), False) in thursday
    friday = listed(store, handworked_ids, date(2026, 11, 27))
    assert [r for r in friday if r[0] == "C19"] == [
        ("C19", K.OVERDUE, date(2026, 11, 26), True),
        ("C19", K.SEARCHES_OPEN, date(2026, 11, 25), True),
    ]


def test_settings_change_the_intervals(store: Store, handworked_ids: dict[str, int]) -> None:
    # 20 working days after Wed 4 Nov is Wed 2 Dec: no chase yet on 25 Nov.
    later = listed(store, handworked_ids, TODAY, identity_chase_days=20, due_soon_days=3)
    assert ("C16", K.IDENTITY_CHASE, date(2026, 11, 18), True) not in later
    # 5 working days away, the window is 3; its unfinished searches (10 days) still show.
    assert [r[1] for r in later if r[0] == "C18"] == [K.SEARCHES_OPEN]
    assert ("C19", K.STATUTORY_DUE_SOON, date(2026, 11, 26), False) in later
    assert ("C16", K.IDENTITY_CHASE, date(2026, 12, 2), True) in listed(
        store, handworked_ids, date(2026, 12, 2), identity_chase_days=20
    )


def test_settings_are_kept_in_the_store(store: Store) -> None:
    assert load_reminder_settings(store) == ReminderSettings()
    save_reminder_settings(store, ReminderSettings(identity_chase_days=7, due_soon_days=3))
    assert load_reminder_settings(store) == ReminderSettings(
        identity_chase_days=7, clarification_chase_days=10, due_soon_days=3
    )
    with pytest.raises(DomainError, match="between 1 and 60"):
        save_reminder_settings(store, ReminderSettings(due_soon_days=0))


def test_snooze_hides_until_the_chosen_day(store: Store, handworked_ids: dict[str, int]) -> None:
    c16 = handworked_ids["C16"]
    snooze(store, c16, K.IDENTITY_CHASE, until=date(2026, 11, 30), today=TODAY)
    for day in (TODAY, date(2026, 11, 27)):
        assert not [r for r in listed(store, handworked_ids, day) if r[0] == "C16"]
    assert ("C16", K.IDENTITY_CHASE, date(2026, 11, 18), True) in listed(
        store, handworked_ids, date(2026, 11, 30)
    )
    assert cases.timeline(store, c16)[-1].summary == (
        "Reminder “Chase proof of identity” snoozed until Mon 30 Nov 2026."
    )
    with pytest.raises(DomainError, match="later day"):
        snooze(store, c16, K.IDENTITY_CHASE, until=TODAY, today=TODAY)


def test_a_chase_starts_the_interval_again(store: Store, handworked_ids: dict[str, int]) -> None:
    c15 = handworked_ids["C15"]
    mark_chased(store, c15, K.CLARIFICATION_CHASE, on=TODAY, today=TODAY)
    assert not [r for r in listed(store, handworked_ids, TODAY) if r[0] == "C15"]
    # 10 working days after Wed 25 Nov is Wed 9 Dec.
    assert not [r for r in listed(store, handworked_ids, date(2026, 12, 8)) if r[0] == "C15"]
    found = [r for r in due_reminders(store, on=date(2026, 12, 9)) if r.case_id == c15]
    assert [(r.kind, r.due_on) for r in found] == [(K.CLARIFICATION_CHASE, date(2026, 12, 9))]
    assert found[0].reason == (
        "Clarification asked for on Mon 9 Nov 2026, 22 working days ago; last chased "
        "Wed 25 Nov 2026. No reply yet: chase it."
    )
    with pytest.raises(DomainError, match="goes away by itself"):
        mark_chased(store, c15, K.OVERDUE, on=TODAY, today=TODAY)


def test_acting_on_the_case_makes_reminders_go(
    store: Store, handworked_ids: dict[str, int]
) -> None:
    finish_search_record(store, handworked_ids["C13"], on=TODAY)
    cases.close(
        store,
        handworked_ids["C13"],
        outcome=Outcome.FULFILLED,
        on=TODAY,
        late_reason="Backlog.",
        today=TODAY,
    )
    cases.identity_received(store, handworked_ids["C16"], on=TODAY, today=TODAY)
    cases.clarification_received(store, handworked_ids["C15"], on=TODAY, today=TODAY)
    for document in stored_id_documents(store, handworked_ids["C17"]):
        delete_attachment(store, document.id, reason="Identity verified.")
    left = listed(store, handworked_ids, TODAY)
    assert {r[0] for r in left} == {"C19", "C18", "C15", "C12"}
    # C12's late extension notice stays until the case closes (none can be made now).
    assert [r[1] for r in left if r[0] == "C12"] == [K.EXTENSION_NOTICE]
    # C15 runs again: 17 paused days (9-25 Nov) move its promise to Sat 5 Dec, kept on
    # Fri 4 Dec, 7 working days away; its searches are still to do.
    assert [r for r in left if r[0] == "C15"] == [
        ("C15", K.SEARCHES_OPEN, date(2026, 12, 4), False)
    ]


def test_a_closed_case_still_holding_id_is_reminded(
    store: Store, handworked_ids: dict[str, int]
) -> None:
    finish_search_record(store, handworked_ids["C17"], on=TODAY)
    cases.close(store, handworked_ids["C17"], outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    assert [r for r in listed(store, handworked_ids, TODAY) if r[0] == "C17"] == [
        ("C17", K.ID_DOCUMENTS_HELD, date(2026, 11, 11), True)
    ]


def test_reminders_carry_no_requester_names(store: Store, handworked_ids: dict[str, int]) -> None:
    text = " ".join(r.reason + r.reference for r in due_reminders(store, on=TODAY))
    for key in handworked_ids:
        name = cases.get_case(store, handworked_ids[key]).requester.name
        assert name not in text


def test_finishing_the_searches_makes_their_reminder_go(
    store: Store, handworked_ids: dict[str, int]
) -> None:
    c19 = handworked_ids["C19"]
    tasks = searches.plan(store, c19)
    for task in tasks[:-1]:
        searches.record_search(store, task.id, on=TODAY, terms="c19@example.org", found=False)
    [reminder] = [r for r in due_reminders(store, on=TODAY) if r.key == (c19, K.SEARCHES_OPEN)]
    assert reminder.reason.startswith(f"1 of {len(tasks)} search tasks unfinished")
    searches.leave_out(store, tasks[-1].id, reason="The requester limited the request to email.")
    assert (c19, K.SEARCHES_OPEN) not in {r.key for r in due_reminders(store, on=TODAY)}
    assert (c19, K.PROMISE_DUE_SOON) in {r.key for r in due_reminders(store, on=TODAY)}


def test_searches_are_reminded_ten_working_days_before_the_reply(
    store: Store, handworked_ids: dict[str, int]
) -> None:
    # Mon 30 Nov: C12's reply (Mon 14 Dec) is 10 working days away, C17's (Fri 11 Dec) 9;
    # both still have their whole search plan open. Neither is within the 5-day warning.
    monday = listed(store, handworked_ids, date(2026, 11, 30))
    searches_due = [(r[0], r[2]) for r in monday if r[1] is K.SEARCHES_OPEN]
    assert ("C12", date(2026, 12, 14)) in searches_due
    assert ("C17", date(2026, 12, 11)) in searches_due
    deadline_kinds = {K.STATUTORY_DUE_SOON, K.PROMISE_DUE_SOON, K.OVERDUE}
    assert not [r for r in monday if r[0] in ("C12", "C17") and r[1] in deadline_kinds]
    # The day before, C12 is 11 working days away: not yet.
    friday = listed(store, handworked_ids, date(2026, 11, 27))
    assert ("C12", K.SEARCHES_OPEN) not in {(r[0], r[1]) for r in friday}
    # The window is a setting.
    shorter = listed(store, handworked_ids, date(2026, 11, 30), searches_days=5)
    assert ("C12", K.SEARCHES_OPEN) not in {(r[0], r[1]) for r in shorter}

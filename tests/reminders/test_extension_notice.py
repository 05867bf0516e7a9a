"""The extension notice reminder: due within 3 working days, late, paused; sent, it goes.

Dates worked by hand, England and Wales, November-December 2026 (no bank holiday).
"""

from __future__ import annotations

from datetime import date

from app import cases
from app.domain import Channel, RequestType, Status
from app.letters import generate_letter
from app.letters.records import record_sent_by_post
from app.readmodels import RequesterDetails
from app.reminders import CaseFacts, ReminderKind, due_reminders, reminders_for
from app.settings import save_settings
from app.store import Store
from tests.letters.conftest import ORG

K = ReminderKind
NOTICE_BY = date(2026, 11, 12)  # a Thursday


def extended(**changes: object) -> CaseFacts:
    """Received Mon 12 Oct 2026, extended by a month on Mon 2 Nov, notice not yet sent."""
    values: dict[str, object] = {
        "id": 1,
        "reference": "DSAR-2026-0001",
        "request_type": RequestType.ACCESS,
        "status": Status.OPEN,
        "received_on": date(2026, 10, 12),
        "statutory_due": date(2026, 12, 14),
        "promised_due": date(2026, 12, 14),
        "region": "england-and-wales",
        "extension_notice_due": NOTICE_BY,
    }
    values.update(changes)
    return CaseFacts(**values)  # type: ignore[arg-type]


def notices(case: CaseFacts, on: date) -> list[tuple[date, bool, str]]:
    return [
        (r.due_on, r.today, r.reason)
        for r in reminders_for([case], on=on)
        if r.kind is K.EXTENSION_NOTICE
    ]


def test_not_yet_four_working_days_ahead() -> None:
    # From Fri 6 Nov or Sun 8 Nov: Mon 9, Tue 10, Wed 11, Thu 12 are 4 working days away.
    for on in (date(2026, 11, 6), date(2026, 11, 8)):
        assert notices(extended(), on) == []


def test_three_working_days_ahead_it_is_coming_up() -> None:
    # From Mon 9 Nov: Tue 10, Wed 11, Thu 12 are 3 working days away.
    assert notices(extended(), date(2026, 11, 9)) == [
        (
            NOTICE_BY,
            False,
            "The requester must be told of the extension and why by Thu 12 Nov 2026, in "
            "3 working days. Send the extension notice letter (email it, or post it and "
            "mark it sent).",
        )
    ]
    assert notices(extended(), date(2026, 11, 10))[0][2].startswith(
        "The requester must be told of the extension and why by Thu 12 Nov 2026, in 2 working days."
    )


def test_on_the_day_it_is_for_today() -> None:
    [(due, today, reason)] = notices(extended(), NOTICE_BY)
    assert (due, today) == (NOTICE_BY, True)
    assert reason.startswith(
        "The requester must be told of the extension and why by today, Thu 12 Nov 2026."
    )


def test_after_the_day_it_is_late() -> None:
    [(due, today, reason)] = notices(extended(), date(2026, 11, 13))
    assert (due, today) == (NOTICE_BY, True)
    assert reason == (
        "The extension notice was due by Thu 12 Nov 2026 and is not marked sent: 1 day late, "
        "so the extension cannot be relied on. Reply as soon as you can, or mark the notice "
        "sent if it went out in time."
    )


def test_a_pause_that_began_in_time_keeps_a_late_notice_in_time() -> None:
    paused = extended(status=Status.AWAITING_CLARIFICATION, paused_on=date(2026, 11, 10))
    [(_, today, reason)] = notices(paused, date(2026, 11, 16))
    assert today
    assert reason.startswith(
        "The extension notice was due by Thu 12 Nov 2026; the clock has been paused since "
        "Tue 10 Nov 2026, so a notice now is still in time."
    )


def test_ranked_just_after_overdue_and_never_for_a_closed_case() -> None:
    found = reminders_for([extended(statutory_due=date(2026, 11, 12))], on=date(2026, 11, 13))
    assert [r.kind for r in found][:2] == [K.OVERDUE, K.EXTENSION_NOTICE]
    assert notices(extended(status=Status.CLOSED), date(2026, 11, 13)) == []


def test_from_the_store_until_the_notice_is_sent(store: Store) -> None:
    save_settings(store, ORG)  # the notice letter needs the letterhead
    today = date(2026, 11, 23)
    case = cases.log_request(
        store,
        RequesterDetails(name="Ada Example", email="ada@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 11, 2),
        today=today,
    )
    cases.extend(store, case.id, reason="Eight systems.", months=1, on=today, today=today)
    # The one month for the notice ends Wed 2 Dec: 5 working days from Wed 25 Nov, 3 from
    # Fri 27 Nov.
    assert cases.get_case(store, case.id).extension_notice_due == date(2026, 12, 2)

    def listed(on: date) -> list[tuple[ReminderKind, date, bool]]:
        return [
            (r.kind, r.due_on, r.today)
            for r in due_reminders(store, on=on)
            if r.kind is K.EXTENSION_NOTICE
        ]

    assert listed(date(2026, 11, 25)) == []
    assert listed(date(2026, 11, 27)) == [(K.EXTENSION_NOTICE, date(2026, 12, 2), False)]
    letter = generate_letter(store, case.id, "extension_notice", today=date(2026, 11, 27))
    assert listed(date(2026, 11, 27)) == [(K.EXTENSION_NOTICE, date(2026, 12, 2), False)]
    record_sent_by_post(store, letter.id)  # printed and posted: the wait is over
    assert listed(date(2026, 11, 27)) == []
    assert listed(date(2026, 12, 3)) == []

"""The extension notice is tracked until it goes out (issue 8 point 4)."""

from __future__ import annotations

from datetime import date

import pytest

from app import cases
from app.domain import Channel, DomainError, RequestType
from app.letters import generate_letter, render_letter
from app.letters.records import record_emailed, record_sent_by_post
from app.letters.stages import Stage
from app.readmodels import RequesterDetails
from app.settings import save_settings
from app.store import Store
from tests.letters.conftest import ORG

TODAY = date(2026, 11, 25)


@pytest.fixture
def extended(store: Store) -> int:
    save_settings(store, ORG)
    case_id = cases.log_request(
        store,
        RequesterDetails(name="Ann Lee", email="ann@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 9, 3),
        today=TODAY,
    ).id
    cases.pause_for_clarification(store, case_id, on=date(2026, 9, 7), today=TODAY)
    cases.clarification_received(store, case_id, on=date(2026, 9, 8), today=TODAY)
    cases.extend(store, case_id, reason="Ten systems.", on=date(2026, 9, 20), today=TODAY)
    return case_id


def test_an_extension_waits_for_its_notice(store: Store, extended: int) -> None:
    case = cases.get_case(store, extended)
    # 3 Oct + 2 paused days = Mon 5 Oct: the notice must reach the requester by then.
    assert case.extension_notice_due == date(2026, 10, 5)
    event = cases.timeline(store, extended)[-1]
    assert event.details["extension_notice_due"] == "2026-10-05"


@pytest.mark.parametrize("how", ["email", "post"])
def test_the_notice_sent_ends_the_wait_on_the_record(store: Store, extended: int, how: str) -> None:
    letter = generate_letter(store, extended, Stage.EXTENSION_NOTICE, today=date(2026, 9, 21))
    assert cases.get_case(store, extended).extension_notice_due is not None  # kept, not sent
    if how == "email":
        record_emailed(store, letter.id, to="ann@example.org", message_id="<1@example>")
    else:
        record_sent_by_post(store, letter.id)
    assert cases.get_case(store, extended).extension_notice_due is None
    event = cases.timeline(store, extended)[-1]
    assert event.details["extension_notice_sent"] is True
    assert event.details["extension_notice_due_was"] == "2026-10-05"


def test_another_letter_sent_does_not_end_the_wait(store: Store, extended: int) -> None:
    letter = generate_letter(store, extended, Stage.ACKNOWLEDGEMENT, today=date(2026, 9, 21))
    record_sent_by_post(store, letter.id)
    assert cases.get_case(store, extended).extension_notice_due == date(2026, 10, 5)


def test_the_notice_letter_refuses_a_date_after_the_notice_deadline(
    store: Store, extended: int
) -> None:
    render_letter(store, extended, Stage.EXTENSION_NOTICE, today=date(2026, 10, 5))  # in time
    with pytest.raises(DomainError, match="had to reach the requester by Mon 5 Oct 2026"):
        render_letter(store, extended, Stage.EXTENSION_NOTICE, today=date(2026, 10, 6))


def test_the_notice_letter_refuses_back_dating_before_the_last_step(
    store: Store, extended: int
) -> None:
    with pytest.raises(DomainError, match="before the last step on the record"):
        render_letter(store, extended, Stage.EXTENSION_NOTICE, today=date(2026, 9, 19))


def test_a_pause_after_the_extension_moves_the_notice_date(store: Store, extended: int) -> None:
    cases.pause_for_clarification(store, extended, on=date(2026, 9, 22), today=TODAY)
    cases.clarification_received(store, extended, on=date(2026, 9, 24), today=TODAY)
    # Two pauses of 2 and 3 days: 3 Oct + 5 = Thu 8 Oct.
    assert cases.get_case(store, extended).extension_notice_due == date(2026, 10, 8)

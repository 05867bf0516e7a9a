"""Marketing opt-outs are absolute (Art. 21(3)): no refusal, no partial fulfilment, no
identity request, no clarification; fulfilled always suppresses (issue 8 point 5)."""

from __future__ import annotations

from datetime import date

import pytest

from app import cases
from app.domain import Channel, DomainError, Outcome, RequestType
from app.grounds import outcomes_for
from app.letters import render_letter
from app.letters.stages import Stage, allowed_stages, stages_for
from app.readmodels import RequesterDetails
from app.settings import save_settings
from app.store import Store
from tests.conftest import finish_search_record
from tests.letters.conftest import ORG
from tests.raw import raw_rows

TODAY = date(2026, 11, 25)


def _opt_out(store: Store, email: str = "ann@example.org") -> int:
    return cases.log_request(
        store,
        RequesterDetails(name="Ann Lee", email=email),
        request_type=RequestType.MARKETING_OPT_OUT,
        channel=Channel.EMAIL,
        on=date(2026, 11, 20),
        today=TODAY,
    ).id


@pytest.mark.parametrize(
    "step",
    [
        lambda s, c: cases.request_identity(s, c, on=TODAY, reason="Doubt", today=TODAY),
        lambda s, c: cases.pause_for_clarification(s, c, on=TODAY, question="?", today=TODAY),
        lambda s, c: cases.close(
            s,
            c,
            outcome=Outcome.REFUSED,
            ground="x",
            ground_basis="exemption",
            on=TODAY,
            today=TODAY,
        ),
        lambda s, c: cases.close(
            s, c, outcome=Outcome.PARTLY_FULFILLED, ground="x", on=TODAY, today=TODAY
        ),
        lambda s, c: cases.extend(s, c, reason="Complex", on=TODAY, today=TODAY),
    ],
    ids=["identity", "clarification", "refused", "partly", "extension"],
)
def test_what_an_opt_out_never_has_is_refused_and_changes_nothing(store: Store, step) -> None:  # type: ignore[no-untyped-def]
    case_id = _opt_out(store)
    before = cases.get_case(store, case_id), cases.timeline(store, case_id)
    with pytest.raises(DomainError, match=r"Article 21\(3\)"):
        step(store, case_id)
    assert (cases.get_case(store, case_id), cases.timeline(store, case_id)) == before


def test_its_letters_and_outcomes() -> None:
    assert stages_for(RequestType.MARKETING_OPT_OUT) == [
        Stage.ACKNOWLEDGEMENT,
        Stage.OUTCOME_MARKETING_OPT_OUT,
    ]
    assert Outcome.REFUSED not in outcomes_for(RequestType.MARKETING_OPT_OUT)
    assert Outcome.PARTLY_FULFILLED not in outcomes_for(RequestType.MARKETING_OPT_OUT)


def test_no_refusal_letter_for_an_opt_out(store: Store) -> None:
    save_settings(store, ORG)
    case_id = _opt_out(store)
    with pytest.raises(DomainError, match="has no 'Refusal"):
        render_letter(store, case_id, Stage.REFUSAL, today=TODAY)
    with pytest.raises(DomainError, match="has no 'Identity request"):
        render_letter(store, case_id, Stage.IDENTITY_REQUEST, today=TODAY)


def test_fulfilled_always_suppresses_even_when_already_suppressed(store: Store) -> None:
    first, second = _opt_out(store), _opt_out(store)
    for case_id in (first, second):
        finish_search_record(store, case_id, on=TODAY)
        closed = cases.close(store, case_id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
        assert cases.timeline(store, case_id)[-1].details["suppressed"] is True
        assert allowed_stages(closed) == [Stage.OUTCOME_MARKETING_OPT_OUT]
    rows = raw_rows(store, "SELECT email_key, case_id FROM suppressions ORDER BY id")
    assert rows == [("ann@example.org", first), ("ann@example.org", second)]

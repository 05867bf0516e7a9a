"""The record is true (issue 8 points 6 and 8): a closed case can only have its outcome letter,
and an access letter is not made while the Article 15(2) and 15(1)(h) answers it must give
are blank; a refused letter leaves nothing on the record."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app import cases
from app.domain import Channel, DomainError, Outcome, RequestType
from app.grounds import GroundBasis
from app.letters import generate_letter
from app.letters.records import letter_pdf, list_letters
from app.letters.stages import Stage
from app.readmodels import RequesterDetails
from app.settings import save_settings
from app.store import Store
from tests.conftest import finish_search_record
from tests.letters.conftest import ORG, flat, pdf_text

RECEIVED = date(2026, 11, 2)
TODAY = date(2026, 11, 25)


def _closed(store: Store, outcome: Outcome) -> int:
    case_id = cases.log_request(
        store,
        RequesterDetails(name="Ann Lee", email="ann@example.org", postal_address="1 Mill Rd"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=RECEIVED,
        today=TODAY,
    ).id
    if outcome is Outcome.FULFILLED:
        finish_search_record(store, case_id, on=TODAY)
    cases.close(
        store,
        case_id,
        outcome=outcome,
        on=TODAY,
        ground="A third party's data." if outcome.needs_ground else "",
        ground_basis=GroundBasis.THIRD_PARTY if outcome.needs_ground else None,
        today=TODAY,
    )
    return case_id


@pytest.mark.parametrize(
    ("outcome", "allowed", "refused"),
    [
        (
            Outcome.FULFILLED,
            [Stage.OUTCOME_ACCESS],
            [Stage.ACKNOWLEDGEMENT, Stage.EXTENSION_NOTICE, Stage.REFUSAL],
        ),
        (
            Outcome.REFUSED,
            [Stage.OUTCOME_ACCESS, Stage.REFUSAL],
            [Stage.ACKNOWLEDGEMENT, Stage.IDENTITY_REQUEST, Stage.EXTENSION_NOTICE],
        ),
    ],
)
def test_a_closed_case_can_only_have_its_outcome_letter(
    store: Store, outcome: Outcome, allowed: list[Stage], refused: list[Stage]
) -> None:
    save_settings(store, ORG)
    case_id = _closed(store, outcome)
    before = cases.timeline(store, case_id)
    for stage in refused:
        with pytest.raises(DomainError, match="is closed: the only letter it can have now"):
            generate_letter(store, case_id, stage, today=TODAY)
    assert list_letters(store, case_id) == []
    assert cases.timeline(store, case_id) == before  # a refused letter logs nothing
    for stage in allowed:
        kept = generate_letter(store, case_id, stage, today=TODAY)
        assert kept.stage == stage.value
    assert sorted(letter.stage for letter in list_letters(store, case_id)) == sorted(allowed)


@pytest.mark.parametrize(
    ("field", "says"),
    [
        ("transfer_safeguards", "safeguards for transfers outside the UK (Article 15(2))"),
        ("automated_decisions", "whether automated decision-making is used"),
    ],
)
@pytest.mark.parametrize("stage", [Stage.OUTCOME_ACCESS, Stage.REFUSAL])
def test_an_access_letter_asks_for_the_article_15_answers_it_lacks(
    store: Store, field: str, says: str, stage: Stage
) -> None:
    save_settings(store, replace(ORG, **{field: ""}))
    case_id = _closed(store, Outcome.REFUSED)
    with pytest.raises(DomainError, match="Settings > Organisation settings") as refused:
        generate_letter(store, case_id, stage, today=TODAY)
    assert says in str(refused.value)
    assert list_letters(store, case_id) == []
    # Filled in, the letter states it.
    save_settings(store, ORG)
    kept = generate_letter(store, case_id, stage, today=TODAY)
    text = flat(pdf_text(letter_pdf(store, kept.id)))
    assert flat(getattr(ORG, field)) in text

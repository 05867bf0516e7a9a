"""Every generated letter kept with its case, as a new version, on the timeline."""

from __future__ import annotations

import hashlib

from app import cases
from app.domain import EventKind, Outcome, RequestType
from app.letters import generate_letter
from app.letters.records import letter_pdf, list_letters, record_sent_by_post
from app.letters.stages import Stage
from app.store import Store
from tests.conftest import TODAY, finish_search_record
from tests.letters.conftest import LogCase, pdf_text


def test_each_generation_is_a_new_version_and_nothing_is_overwritten(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case()
    first = generate_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    first_pdf = letter_pdf(org_store, first.id)
    cases.update_requester(
        org_store,
        case.id,
        cases.get_case(org_store, case.id).requester.__class__(
            name="Zoë Adeyemi-Khan",
            email="zoe@example.org",
            postal_address="12 High Street\nLeeds\nLS1 4AP",
        ),
    )
    second = generate_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    assert (first.version, second.version) == (1, 2)
    assert letter_pdf(org_store, first.id) == first_pdf  # the old version is untouched
    assert "Adeyemi-Khan" not in pdf_text(first_pdf)
    assert "Adeyemi-Khan" in pdf_text(letter_pdf(org_store, second.id))
    for letter in (first, second):
        pdf = letter_pdf(org_store, letter.id)
        assert letter.sha256 == hashlib.sha256(pdf).hexdigest()
        assert letter.template_version.startswith("default-")
        assert letter.stage == "acknowledgement"
    assert [x.id for x in list_letters(org_store, case.id)] == [second.id, first.id]
    events = [e for e in cases.timeline(org_store, case.id) if e.kind == EventKind.LETTER_GENERATED]
    assert [e.details["version"] for e in events] == [1, 2]
    assert events[0].summary == "Letter generated: acknowledgement (version 1)."


def test_outcome_letter_is_kept_under_its_concrete_stage(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case(request_type=RequestType.PORTABILITY)
    finish_search_record(org_store, case.id, on=TODAY)
    cases.close(org_store, case.id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    letter = generate_letter(org_store, case.id, "outcome", today=TODAY)
    assert letter.stage == Stage.OUTCOME_PORTABILITY.value
    last = cases.timeline(org_store, case.id)[-1]
    assert last.summary == "Letter generated: outcome: portability (version 1)."


def test_sent_by_post_is_on_the_record(org_store: Store, log_case: LogCase) -> None:
    case = log_case()
    letter = generate_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    posted = record_sent_by_post(org_store, letter.id)
    assert posted.sent_by_post_at is not None and posted.sent
    assert cases.timeline(org_store, case.id)[-1].kind == EventKind.LETTER_SENT_POST

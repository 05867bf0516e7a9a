"""Every letter stage of every request type, rendered under a German locale and read back
with pypdf for what UK GDPR requires it to say (issue 8 points 5, 6 and 7)."""

from __future__ import annotations

from datetime import date

import pytest

from app import cases
from app.domain import Channel, Outcome, RequestType
from app.grounds import BASES_BY_TYPE, GroundBasis
from app.letters import pause_with_letter, render_letter
from app.letters.stages import Stage, stages_for
from app.readmodels import RequesterDetails
from app.settings import save_settings
from app.store import Store
from tests.conftest import finish_search_record
from tests.letters.conftest import ORG, flat, pdf_text

RECEIVED = date(2026, 3, 2)
LETTER_DAY = date(2026, 3, 5)  # "5 March 2026"; strftime under de_DE says "5 März 2026"
TODAY = date(2026, 3, 20)
GROUND = "The particulars of this decision, stated by the DPO."
REASON = "The request came from an email address we have never used with you."
QUESTION = "Which of your two accounts do you mean?"
ELECTRONIC = "reply electronically (Article 12(3) of the UK GDPR)"
COMPLAINTS = (
    "you can complain to us first",
    "by email to privacy@northwind.example",
    "section 164A of the Data Protection Act 2018",
    "ico.org.uk/make-a-complaint",
    "enforce your rights through the courts",
)


@pytest.fixture
def law_store(store: Store) -> Store:
    save_settings(store, ORG)
    return store


def _log(store: Store, request_type: RequestType, channel: Channel = Channel.EMAIL) -> int:
    return cases.log_request(
        store,
        RequesterDetails(name="Zoë Adeyemi", email="zoe@example.org", postal_address="1 Mill Rd"),
        request_type=request_type,
        channel=channel,
        on=RECEIVED,
        today=TODAY,
    ).id


def _text(store: Store, case_id: int, stage: Stage, day: date = LETTER_DAY) -> str:
    return flat(pdf_text(render_letter(store, case_id, stage, today=day)))


def _closed(store: Store, request_type: RequestType, outcome: Outcome, basis=None) -> int:  # type: ignore[no-untyped-def]
    case_id = _log(store, request_type)
    ground = GROUND if outcome.needs_ground else ""
    if outcome.needs_ground and basis is None:
        basis = BASES_BY_TYPE[request_type][-1]
    if outcome in (Outcome.FULFILLED, Outcome.PARTLY_FULFILLED):
        finish_search_record(store, case_id, on=LETTER_DAY)  # closing needs the search record
    cases.close(
        store,
        case_id,
        outcome=outcome,
        on=LETTER_DAY,
        ground=ground,
        ground_basis=basis,
        today=TODAY,
    )
    return case_id


def _dated_uk(text: str) -> None:
    assert "5 March 2026" in text
    assert "März" not in text and "Donnerstag" not in text


# Every stage of every type -----------------------------------------------------------------
ALL = [(t, s) for t in RequestType for s in stages_for(t)]


@pytest.mark.parametrize(("request_type", "stage"), ALL, ids=lambda v: str(v))
def test_every_stage_states_what_the_law_requires_dated_the_uk_way(
    law_store: Store, german_locale: str, request_type: RequestType, stage: Stage
) -> None:
    opt_out = request_type is RequestType.MARKETING_OPT_OUT
    if stage is Stage.ACKNOWLEDGEMENT:
        case_id = _log(law_store, request_type)
    elif stage is Stage.IDENTITY_REQUEST:
        case_id = _log(law_store, request_type)
        cases.request_identity(law_store, case_id, on=LETTER_DAY, reason=REASON, today=TODAY)
    elif stage is Stage.CLARIFICATION_REQUEST:
        case_id = _log(law_store, request_type)
        pause_with_letter(law_store, case_id, on=LETTER_DAY, question=QUESTION, today=TODAY)
    elif stage is Stage.EXTENSION_NOTICE:
        case_id = _log(law_store, request_type)
        cases.extend(law_store, case_id, reason="Ten systems.", on=LETTER_DAY, today=TODAY)
    elif stage is Stage.REFUSAL:
        case_id = _closed(law_store, request_type, Outcome.REFUSED)
    else:
        outcome = Outcome.FULFILLED if opt_out else Outcome.PARTLY_FULFILLED
        case_id = _closed(law_store, request_type, outcome)
    text = _text(law_store, case_id, stage)
    _dated_uk(text)
    assert ELECTRONIC in text  # every reply to an electronic request
    if stage.is_outcome or stage in (Stage.REFUSAL, Stage.EXTENSION_NOTICE):
        for words in COMPLAINTS:
            assert words in text, words
    if stage is Stage.ACKNOWLEDGEMENT and opt_out:
        assert "identity" not in text and "paused" not in text and "clarify" not in text
        assert "absolute (Article 21(3)" in text
    if stage is Stage.IDENTITY_REQUEST:
        assert REASON in text and "Article 12(6)" in text
        assert "Using this form is optional" in text  # the form page
        assert "request form. Using it is optional" in text  # and the letter agree
    if stage is Stage.CLARIFICATION_REQUEST:
        assert QUESTION in text
    if stage is Stage.REFUSAL or (stage.is_outcome and not opt_out):
        basis = BASES_BY_TYPE[request_type][-1]
        assert flat(basis.letter_text) in text and GROUND in text


# Access: Article 15 information whatever the outcome ----------------------------------------
@pytest.mark.parametrize(
    ("outcome", "stage"),
    [
        (Outcome.FULFILLED, Stage.OUTCOME_ACCESS),
        (Outcome.PARTLY_FULFILLED, Stage.OUTCOME_ACCESS),
        (Outcome.REFUSED, Stage.OUTCOME_ACCESS),
        (Outcome.REFUSED, Stage.REFUSAL),
    ],
)
def test_access_gives_article_15_information_and_confirms_processing(
    law_store: Store, german_locale: str, outcome: Outcome, stage: Stage
) -> None:
    basis = GroundBasis.THIRD_PARTY if outcome.needs_ground else None
    text = _text(law_store, _closed(law_store, RequestType.ACCESS, outcome, basis), stage)
    _dated_uk(text)
    assert "confirm that we process personal data about you" in text
    assert "including any recipients in countries outside the UK" in text  # 15(1)(c)
    assert "Article 15(2)" in text and ORG.transfer_safeguards in text
    assert "Article 15(1)(h)" in text and "the logic involved" in text
    assert "significance and envisaged consequences" in text
    for value in (ORG.purposes, ORG.categories, ORG.recipients, ORG.retention, ORG.source):
        assert value in text


# Article 19 for what was done -------------------------------------------------------------
@pytest.mark.parametrize(
    "request_type", [RequestType.RECTIFICATION, RequestType.ERASURE, RequestType.RESTRICTION]
)
@pytest.mark.parametrize("outcome", [Outcome.FULFILLED, Outcome.PARTLY_FULFILLED])
def test_article_19_recipients_told_and_offer_to_name_them(
    law_store: Store, request_type: RequestType, outcome: Outcome
) -> None:
    text = _text(law_store, _closed(law_store, request_type, outcome), Stage.OUTCOME)
    assert "(Article 19 of the UK GDPR)" in text
    assert "tell us and we will give you their names" in text


def test_article_19_is_not_claimed_for_a_refusal(law_store: Store) -> None:
    text = _text(law_store, _closed(law_store, RequestType.ERASURE, Outcome.REFUSED), Stage.OUTCOME)
    assert "Article 19" not in text


# Refusal: the legal basis follows the ground --------------------------------------------
@pytest.mark.parametrize(
    ("request_type", "basis", "says", "never"),
    [
        (
            RequestType.ACCESS,
            GroundBasis.MANIFESTLY_UNFOUNDED,
            "Article 12(5) of the UK GDPR allows us to refuse to act on a request that is "
            "manifestly unfounded",
            "Article 17",
        ),
        (
            RequestType.ACCESS,
            GroundBasis.EXEMPTION,
            "An exemption in the Data Protection Act 2018",
            "Article 12(5)",
        ),
        (
            RequestType.ERASURE,
            GroundBasis.NO_ERASURE_GROUND,
            "None of them applies",
            "Article 12(5)",
        ),
        (RequestType.ERASURE, GroundBasis.ERASURE_EXCEPTION, "Article 17(3)", "Article 12(5)"),
    ],
)
def test_the_refusal_states_the_basis_chosen_never_a_hard_wired_article(
    law_store: Store, request_type: RequestType, basis: GroundBasis, says: str, never: str
) -> None:
    case_id = _closed(law_store, request_type, Outcome.REFUSED, basis)
    text = _text(law_store, case_id, Stage.REFUSAL)
    assert says in text and GROUND in text
    assert never not in text


# Identity: proportionate, per type, the documents chosen ----------------------------------
def test_identity_request_lists_the_documents_chosen_and_a_representatives_authority(
    law_store: Store,
) -> None:
    case_id = _log(law_store, RequestType.ERASURE)
    cases.request_identity(
        law_store,
        case_id,
        on=LETTER_DAY,
        reason=REASON,
        documents=["known_email", "authority"],
        today=TODAY,
    )
    text = _text(law_store, case_id, Stage.IDENTITY_REQUEST)
    assert "Before we change, erase or restrict" in text  # per type: not "disclose"
    assert "Before we disclose" not in text
    assert "a reply from the email address we already hold" in text
    assert "their written authority, signed by them" in text
    assert "passport" not in text  # not chosen for this case: not asked for
    # The form's tick list agrees with the letter.
    assert "Reply from the email we hold" in text and "Representative's authority" in text
    assert "Photographic ID" not in text


def test_an_access_identity_request_is_about_disclosure(law_store: Store) -> None:
    case_id = _log(law_store, RequestType.ACCESS)
    cases.request_identity(law_store, case_id, on=LETTER_DAY, reason=REASON, today=TODAY)
    text = _text(law_store, case_id, Stage.IDENTITY_REQUEST)
    assert "Before we disclose any personal data" in text
    assert "passport" in text and "proof of address" in text


# Clarification: the question typed when pausing, one step, one date ---------------------
def test_the_clarification_letter_is_made_with_the_pause_on_its_date(law_store: Store) -> None:
    case_id = _log(law_store, RequestType.ACCESS)
    detail, letter = pause_with_letter(
        law_store, case_id, on=LETTER_DAY, question=QUESTION, today=TODAY
    )
    assert detail.paused_on == LETTER_DAY and detail.clarification_question == QUESTION
    from app.letters.records import letter_pdf

    text = flat(pdf_text(letter_pdf(law_store, letter.id)))
    assert QUESTION in text and "5 March 2026" in text
    # Rendered again later, it still carries the pause's date, not the day it is printed.
    assert "5 March 2026" in _text(law_store, case_id, Stage.CLARIFICATION_REQUEST, TODAY)
    kinds = [e.kind for e in cases.timeline(law_store, case_id)]
    assert kinds == ["logged", "clarification_requested", "letter_generated"]


def test_a_refused_pause_keeps_no_letter(law_store: Store) -> None:
    from app.domain import DomainError
    from app.letters.records import list_letters

    case_id = cases.log_request(
        law_store,
        RequesterDetails(name="Zoë Adeyemi", email="zoe@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 1, 5),  # its month ended on 5 Feb: too late to pause on 20 Mar
        today=TODAY,
    ).id
    with pytest.raises(DomainError, match="period ended"):
        pause_with_letter(law_store, case_id, on=TODAY, question=QUESTION, today=TODAY)
    assert list_letters(law_store, case_id) == []
    assert len(cases.timeline(law_store, case_id)) == 1


def test_no_clarification_letter_without_a_pause(law_store: Store) -> None:
    from app.domain import DomainError

    case_id = _log(law_store, RequestType.ACCESS)
    with pytest.raises(DomainError, match="Pause for clarification"):
        render_letter(law_store, case_id, Stage.CLARIFICATION_REQUEST, today=LETTER_DAY)


# Opt-outs ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("closed_on", "says", "never"),
    [
        (RECEIVED, "We acted on it on 2 March 2026, the day we received it", "since then"),
        (LETTER_DAY, "We acted on it on 5 March 2026: since then", "the day we received it"),
    ],
)
def test_the_opt_out_letter_says_truly_when_it_was_actioned(
    law_store: Store, closed_on: date, says: str, never: str
) -> None:
    case_id = _log(law_store, RequestType.MARKETING_OPT_OUT)
    finish_search_record(law_store, case_id, on=closed_on)
    cases.close(law_store, case_id, outcome=Outcome.FULFILLED, on=closed_on, today=TODAY)
    text = _text(law_store, case_id, Stage.OUTCOME)
    assert says in text and never not in text
    assert "straight away" not in text
    assert "any profiling of you for direct marketing" in text
    assert "Privacy and Electronic Communications Regulations (PECR)" in text
    assert "suppression list" in text


def test_a_paper_request_is_not_told_it_was_made_electronically(law_store: Store) -> None:
    case_id = _log(law_store, RequestType.ACCESS, Channel.POST)
    assert "electronically" not in _text(law_store, case_id, Stage.ACKNOWLEDGEMENT)


def test_letters_state_the_promise_kept_on_the_previous_working_day(law_store: Store) -> None:
    # Received Thu 3 Sep 2026: the 30th day is Sat 3 Oct, so the promise is Fri 2 Oct.
    case_id = cases.log_request(
        law_store,
        RequesterDetails(name="Zoë Adeyemi", email="zoe@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 9, 3),
        today=date(2026, 9, 3),
    ).id
    text = _text(law_store, case_id, Stage.ACKNOWLEDGEMENT, date(2026, 9, 3))
    assert "We will respond by 2 October 2026 at the latest" in text

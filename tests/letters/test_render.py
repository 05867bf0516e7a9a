"""Every stage's letter read back from the PDF: the person, the reference, the dates, the
law the letter must carry, and nothing left unfilled."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pypdf
import pytest

from app import cases
from app.domain import DomainError, Outcome, RequestType
from app.formatting import uk_long_date
from app.letters import render_letter, render_letter_details
from app.letters.stages import OUTCOME_BY_TYPE, Stage, resolve_stage, stages_for
from app.settings import load_settings, save_settings
from app.store import Store
from tests.conftest import TODAY, finish_search_record
from tests.letters.conftest import (
    PLACEHOLDER_LEFT,
    RECEIVED,
    LogCase,
    flat,
    page_count,
    pdf_text,
)

GROUND = "Article 17(3)(e): the records are needed to defend a legal claim."


def _ready(store: Store, log_case: LogCase, stage: Stage, request_type: RequestType) -> int:
    """A case in the state the stage's letter needs (extended, closed with a ground...)."""
    case = log_case(request_type=request_type)
    if stage is Stage.EXTENSION_NOTICE:
        cases.extend(
            store,
            case.id,
            reason="It covers eight years of tickets.",
            on=TODAY,
            months=2,
            today=TODAY,
        )
    if stage.is_outcome or stage is Stage.REFUSAL:
        outcome = Outcome.REFUSED if stage is Stage.REFUSAL else Outcome.PARTLY_FULFILLED
        finish_search_record(store, case.id, on=TODAY)
        cases.close(store, case.id, outcome=outcome, on=TODAY, ground=GROUND, today=TODAY)
    return case.id


ALL = [(stage, request_type) for request_type in RequestType for stage in stages_for(request_type)]


@pytest.mark.parametrize(("stage", "request_type"), ALL, ids=lambda v: str(v))
def test_every_stage_reads_back_with_name_reference_dates_and_no_placeholder(
    org_store: Store, log_case: LogCase, stage: Stage, request_type: RequestType
) -> None:
    case_id = _ready(org_store, log_case, stage, request_type)
    case = cases.get_case(org_store, case_id)
    text = pdf_text(render_letter(org_store, case_id, stage, today=TODAY))
    one_line = flat(text)
    assert "Zoë Adeyemi" in text
    assert case.reference in text
    assert uk_long_date(TODAY) in one_line  # the letter's date
    assert uk_long_date(RECEIVED) in one_line  # the request's date
    assert not PLACEHOLDER_LEFT.search(text), PLACEHOLDER_LEFT.search(text)
    assert "12 High Street" in text and "LS1 4AP" in text
    assert "Priya Shah" in text and "Northwind IT Services Ltd" in text


def test_acknowledgement_gives_the_deadline(org_store: Store, log_case: LogCase) -> None:
    case = log_case()
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)))
    assert f"respond by {uk_long_date(case.effective_due)} at the latest" in text
    assert "Article 15" in text


def test_extension_notice_gives_reason_new_deadline_and_right_to_complain(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case()
    extended = cases.extend(
        org_store,
        case.id,
        reason="It covers <eight> years & more.",
        on=TODAY,
        months=2,
        today=TODAY,
    )
    assert extended.effective_due > case.effective_due
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.EXTENSION_NOTICE, today=TODAY)))
    assert "It covers <eight> years & more." in text
    assert "by two months" in text
    assert f"respond by {uk_long_date(extended.effective_due)}" in text
    assert "ico.org.uk/make-a-complaint" in text and "0303 123 1113" in text


def test_extension_notice_before_extending_is_refused_with_a_reason(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case()
    with pytest.raises(DomainError, match="not been extended"):
        render_letter(org_store, case.id, Stage.EXTENSION_NOTICE, today=TODAY)


def test_refusal_carries_the_ground_ico_route_and_judicial_remedy(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case()
    cases.close(
        org_store,
        case.id,
        outcome=Outcome.REFUSED,
        on=TODAY,
        today=TODAY,
        ground="This is the ninth identical request this month.",
    )
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.REFUSAL, today=TODAY)))
    assert "manifestly unfounded or excessive" in text
    assert "This is the ninth identical request this month." in text
    assert "ico.org.uk/make-a-complaint" in text and "0303 123 1113" in text
    assert "judicial remedy" in text


def test_outcome_resolves_by_request_type(org_store: Store, log_case: LogCase) -> None:
    for request_type, own in OUTCOME_BY_TYPE.items():
        assert resolve_stage(Stage.OUTCOME, request_type) is own
    case = log_case(request_type=RequestType.ERASURE)
    finish_search_record(org_store, case.id, on=TODAY)
    cases.close(org_store, case.id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    rendered = render_letter_details(org_store, case.id, "outcome", today=TODAY)
    assert rendered.stage is Stage.OUTCOME_ERASURE
    with pytest.raises(DomainError, match="its outcome letter is"):
        render_letter(org_store, case.id, Stage.OUTCOME_ACCESS, today=TODAY)


def test_unknown_stage_is_refused_by_name(org_store: Store, log_case: LogCase) -> None:
    case = log_case()
    with pytest.raises(DomainError, match="no letter stage 'thank_you'"):
        render_letter(org_store, case.id, "thank_you", today=TODAY)


def test_outcome_letter_needs_an_outcome(org_store: Store, log_case: LogCase) -> None:
    case = log_case()
    with pytest.raises(DomainError, match="Close the case"):
        render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)


@pytest.mark.parametrize(
    ("outcome", "expected", "absent"),
    [
        (Outcome.FULFILLED, "We have erased the personal data", "exemption in Article 17(3)"),
        (
            Outcome.PARTLY_FULFILLED,
            "We have erased some of the personal data",
            "We have erased the personal data we held",
        ),
        (Outcome.REFUSED, "We are not able to erase your personal data", "We have erased"),
        (Outcome.NO_DATA_HELD, "nothing to erase", "exemption in Article 17(3)"),
    ],
)
def test_erasure_letter_follows_the_outcome_and_states_the_17_3_ground(
    org_store: Store, log_case: LogCase, outcome: Outcome, expected: str, absent: str
) -> None:
    case = log_case(request_type=RequestType.ERASURE)
    ground = GROUND if outcome.needs_ground else ""
    finish_search_record(org_store, case.id, on=TODAY)
    cases.close(org_store, case.id, outcome=outcome, on=TODAY, ground=ground, today=TODAY)
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)))
    assert expected in text
    assert absent not in text
    assert (GROUND in text) is outcome.needs_ground


def test_access_cover_letter_carries_the_article_15_information(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case()
    finish_search_record(org_store, case.id, on=TODAY)
    cases.close(org_store, case.id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)))
    settings = load_settings(org_store)
    for value in (
        settings.purposes,
        settings.categories,
        settings.recipients,
        settings.retention,
        settings.source,
        settings.automated_decisions,
    ):
        assert value in text
    assert "ico.org.uk/make-a-complaint" in text


def test_access_letter_with_article_15_information_missing_says_which(
    org_store: Store, log_case: LogCase
) -> None:

    save_settings(org_store, replace(load_settings(org_store), retention=""))
    case = log_case()
    finish_search_record(org_store, case.id, on=TODAY)
    cases.close(org_store, case.id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    with pytest.raises(DomainError, match="how long the data is kept"):
        render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)


def test_marketing_opt_out_says_suppressed_not_deleted(org_store: Store, log_case: LogCase) -> None:
    case = log_case(request_type=RequestType.MARKETING_OPT_OUT)
    cases.close(org_store, case.id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)))
    assert "suppression list" in text
    assert "we have not deleted them" in text


def test_marketing_opt_out_partly_fulfilled_does_not_claim_every_channel(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case(request_type=RequestType.MARKETING_OPT_OUT)
    ground = "We could not match the phone number you gave to any record."
    cases.close(
        org_store, case.id, outcome=Outcome.PARTLY_FULFILLED, on=TODAY, ground=ground, today=TODAY
    )
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)))
    assert ground in text
    assert "by every channel" not in text  # that would contradict the ground
    assert "suppression list" in text


def test_refused_marketing_opt_out_does_not_say_removed_in_its_subject(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case(request_type=RequestType.MARKETING_OPT_OUT)
    ground = "The request is manifestly unfounded: it was sent to disrupt our service."
    cases.close(org_store, case.id, outcome=Outcome.REFUSED, on=TODAY, ground=ground, today=TODAY)
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)))
    assert "We have not acted on your request" in text
    assert "removed from our marketing" not in text
    assert f"Your request to stop direct marketing – our response ({case.reference})" in text


def test_acknowledgement_says_clarification_pauses_and_identity_restarts_the_period(
    org_store: Store, log_case: LogCase
) -> None:
    """UK GDPR Art. 12A: asking for ID restarts the period; asking to clarify only stops
    the clock until the reply (DESIGN.md rules 5 and 6)."""
    case = log_case()
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)))
    assert "confirm your identity, the time we have to respond will run from the day" in text
    assert "clarify what you are asking for, the time we have to respond will be paused" in text


def test_identity_request_adds_a_request_form_with_fields(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case()
    pdf = render_letter(org_store, case.id, Stage.IDENTITY_REQUEST, today=TODAY)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    form_text = reader.pages[1].extract_text()
    assert "request form" in form_text and case.reference in form_text
    fields = reader.get_fields() or {}
    assert {"form_full_name", "form_address", "form_date_of_birth", "form_details"} <= set(fields)
    assert "Page 1 of 2" in reader.pages[0].extract_text()
    assert "Page 2 of 2" in form_text


def test_one_page_letter_has_no_page_numbers(org_store: Store, log_case: LogCase) -> None:
    case = log_case()
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    assert page_count(pdf) == 1
    assert "Page 1" not in pdf_text(pdf)


def test_letterhead_logo_is_drawn(org_store: Store, log_case: LogCase) -> None:

    from tests.letters.test_tricky import png_logo

    save_settings(org_store, replace(load_settings(org_store), logo=png_logo()))
    case = log_case()
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1


def test_logo_problems_are_named() -> None:
    from app.letters.logo import logo_problem
    from tests.letters.test_tricky import png_logo

    assert logo_problem(png_logo()) is None
    assert (
        logo_problem(b"GIF89a....") == "The logo must be a PNG or JPEG image; this file is neither."
    )
    assert "could not be read" in (logo_problem(b"\x89PNG\r\n\x1a\nbroken") or "")
    assert logo_problem(b"") == "The file is empty."


def test_a_long_letter_is_numbered_page_x_of_y(org_store: Store, log_case: LogCase) -> None:
    from app.letters.templates import save_template

    paragraphs = "\n\n".join(f"Paragraph {n} about $reference." * 6 for n in range(40))
    save_template(
        org_store,
        Stage.CLARIFICATION_REQUEST,
        f"Subject: Long\n\nDear $requester_name,\n\n{paragraphs}\n\nYours sincerely,\n",
    )
    case = log_case()
    pdf = render_letter(org_store, case.id, Stage.CLARIFICATION_REQUEST, today=TODAY)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert total >= 3
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {total}" in text
        if number > 1:
            assert f"Northwind IT Services Ltd · {case.reference}" in text
    last = reader.pages[-1].extract_text()
    assert "Yours sincerely," in last and "Priya Shah" in last  # closing stays with the name


def test_the_signature_never_stands_alone_on_a_page(org_store: Store, log_case: LogCase) -> None:
    # The access letter runs just onto a second page: without care, only "Yours sincerely"
    # and the name would stand there.
    case = log_case()
    finish_search_record(org_store, case.id, on=TODAY)
    cases.close(org_store, case.id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    pdf = render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 2
    [signed] = [text for text in pages if "Yours sincerely" in text]
    before = flat(signed.split("Yours sincerely")[0])
    # Beyond the running head ("Page x of y", reference), some of the letter's own words
    # share the page with the signature.
    body_words = re.sub(r"Page \d+ of \d+|DSR-\d{4}-\d{4}|Zoë Adeyemi", "", before)
    assert len(body_words.split()) >= 8, before
    assert "If you are not satisfied" in signed  # and the heading went with its paragraph

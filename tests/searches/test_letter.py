"""The access outcome letter says how the search was done (read back from the PDF), and can
take its Article 15 answers from the register."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from app import cases, searches
from app.domain import DomainError, Outcome
from app.letters import render_letter
from app.letters.stages import Stage
from app.readmodels import CaseDetail
from app.settings import load_settings, save_settings
from app.store import Store
from tests.conftest import TODAY
from tests.letters import conftest as letter_fixtures
from tests.letters.conftest import LogCase, flat, pdf_text
from tests.searches.conftest import SEARCHED, task_named

org_store = letter_fixtures.org_store  # the store with the organisation's settings
log_case = letter_fixtures.log_case
LIMITED = "The requester limited the request to 2025; the analytics are aggregated anyway."


def record(store: Store, case_id: int) -> None:
    for task in searches.plan(store, case_id):
        if task.title.startswith("Website analytics"):
            searches.leave_out(store, task.id, reason=LIMITED)
        elif task.title.startswith("Client"):
            searches.record_search(
                store,
                task.id,
                on=SEARCHED,
                terms="zoe@example.org, <b>Zoë</b> & Co",
                found=True,
                items=12,
                period_from=date(2025, 1, 1),
                period_to=date(2025, 12, 31),
            )
        else:
            searches.record_search(
                store, task.id, on=SEARCHED, terms="zoe@example.org", found=False
            )


def test_the_access_letter_prints_the_search_statement(
    org_store: Store, log_case: LogCase, tmp_path: Path
) -> None:
    case = log_case()
    record(org_store, case.id)
    statement = searches.search_statement(org_store, case.id)
    lines = statement.splitlines()
    assert lines[0] == "We looked for your personal data in these systems and records:"
    assert (
        "• Client service records, on 10 November 2026, for “zoe@example.org, <b>Zoë</b> & Co”, "
        "covering 1 January 2025 to 31 December 2025: 12 items found."
    ) in lines
    assert (
        "• CRM (marketing contacts), on 10 November 2026, for “zoe@example.org”, covering "
        "everything it holds: nothing found."
    ) in lines
    assert lines[-2] == "We did not search these, for the reasons given:"
    assert lines[-1] == f"• Website analytics (Google Analytics, aggregated): {LIMITED}"

    cases.close(org_store, case.id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    pdf = render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)
    text = flat(pdf_text(pdf))
    assert "How we searched" in text
    for line in lines:  # every line (bullets set as bullets), markup-looking text as typed
        assert flat(line.removeprefix("• ")) in text
    assert text.index("How we searched") < text.index("The information we must give you")
    # The pages render (poppler, as a reader's viewer would), each with text on it.
    (tmp_path / "letter.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(tmp_path / "letter.pdf"), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    for png in pages:
        image = Image.open(png).convert("L")
        assert image.size[1] > image.size[0] and sum(image.histogram()[:128]) > 500


def test_no_data_held_says_what_was_searched_and_needs_a_finished_record(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case()
    cases.close(org_store, case.id, outcome=Outcome.NO_DATA_HELD, on=TODAY, today=TODAY)
    with pytest.raises(DomainError, match="search record is not finished"):
        render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)
    with pytest.raises(DomainError, match=r"CRM \(marketing contacts\); Client service records"):
        searches.search_statement(org_store, case.id)
    cases.reopen(org_store, case.id)
    record(org_store, case.id)
    cases.close(org_store, case.id, outcome=Outcome.NO_DATA_HELD, on=TODAY, today=TODAY)
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)))
    assert "we do not hold or process any personal data about you" in text
    assert f"Website analytics (Google Analytics, aggregated): {LIMITED}" in text


def test_letters_that_do_not_use_the_statement_are_unaffected(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case()  # nothing searched yet
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)))
    assert "How we searched" not in text
    cases.close(org_store, case.id, outcome=Outcome.WITHDRAWN, on=TODAY, today=TODAY)
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)))
    assert "How we searched" not in text


def test_article_15_information_from_the_register(org_store: Store, log_case: LogCase) -> None:
    save_settings(org_store, replace(load_settings(org_store), article_15_from_register=True))
    case = log_case()
    record(org_store, case.id)  # only client service records found data
    cases.close(org_store, case.id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)))
    assert (
        "Why we use your data (the purposes, Article 15(1)(a)): Providing the IT services in "
        "our contracts; "
        "handling support requests"
    ) in text
    assert (
        "The categories of personal data concerned (Article 15(1)(b)): Client service records: "
        "Names and"
    ) in text
    assert (
        "How long we keep it, or how we decide (Article 15(1)(d)): Client service records: Six "
        "years after the end of the"
    ) in text
    assert "Providing and supporting the IT services in your contract." not in text  # free text
    assert "Google LLC" not in text  # nothing of hers was found there
    assert "international organisations: None: we do not share it with other" in text
    # Art. 15(2) from the register too, not the settings' free text.
    assert "outside the UK (Article 15(2)): None: we do not transfer it outside the UK." in text
    assert "Our hosting provider stores data in the EU" not in text


def nothing_found_with_the_register(store: Store, log_case: LogCase) -> CaseDetail:
    """An access case searched everywhere, nothing found, whose letter takes its Article 15
    answers from the register."""
    save_settings(store, replace(load_settings(store), article_15_from_register=True))
    case = log_case()
    for task in searches.plan(store, case.id):
        searches.record_search(store, task.id, on=SEARCHED, terms="zoe", found=False)
    return case


def test_before_anything_is_found_the_register_answers_for_every_access_system(
    org_store: Store, log_case: LogCase
) -> None:
    case = nothing_found_with_the_register(org_store, log_case)
    cases.close(org_store, case.id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)))
    assert (
        "Website analytics (Google Analytics, aggregated): Google LLC (analytics provider) "
        "(outside the UK; safeguard: UK Extension to the EU-US Data Privacy Framework (UK "
        "adequacy regulations))"
    ) in text
    assert (
        "outside the UK (Article 15(2)): Website analytics (Google Analytics, aggregated) "
        "(Google LLC (analytics provider)): UK Extension to the EU-US Data Privacy Framework"
    ) in text
    assert task_named(org_store, case.id, "CRM").found is False


def test_a_register_with_nothing_to_say_stops_the_letter_saying_where_to_fill_it(
    org_store: Store, log_case: LogCase
) -> None:
    from app.systems import list_systems, retire_system

    case = nothing_found_with_the_register(org_store, log_case)
    for system in list_systems(org_store):
        retire_system(org_store, system.id, reason="Moved to the new platform.")
    cases.close(org_store, case.id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    with pytest.raises(DomainError, match="in the systems register, when the letter takes it"):
        render_letter(org_store, case.id, Stage.OUTCOME, today=TODAY)

"""Templates: the paragraph syntax, the DPO's edits kept and used, reset to the default,
and an unknown placeholder reported by name before any letter exists."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain import DomainError
from app.letters import generate_letter, render_letter
from app.letters.records import list_letters
from app.letters.stages import TEMPLATE_STAGES, Stage
from app.letters.templates import (
    current_template,
    default_text,
    default_version,
    parse_template,
    reset_template,
    save_template,
    validate_template,
)
from app.models import LetterTemplate
from app.store import Store
from tests.conftest import TODAY
from tests.letters.conftest import LogCase, flat, pdf_text


def test_syntax_subject_paragraphs_headings_bullets_and_conditions() -> None:
    parsed = parse_template(
        "Subject: About $reference\n"
        "\n"
        "Dear $requester_name,\n"
        "\n"
        "First line\n"
        "continues here.\n"
        "## A heading\n"
        "- one bullet\n"
        "  carried on\n"
        "- two\n"
        "\n"
        "[refused, partly_fulfilled] Only when refused: $ground\n"
        "[fulfilled] - a fulfilled bullet\n"
    )
    assert parsed.subject == "About $reference"
    assert [(b.kind, b.text) for b in parsed.blocks] == [
        ("paragraph", "Dear $requester_name,"),
        ("paragraph", "First line continues here."),
        ("heading", "A heading"),
        ("bullet", "one bullet carried on"),
        ("bullet", "two"),
        ("paragraph", "Only when refused: $ground"),
        ("bullet", "a fulfilled bullet"),
    ]
    assert parsed.blocks[5].only_for == {"refused", "partly_fulfilled"}
    assert parsed.blocks[6].only_for == {"fulfilled"}
    assert parsed.blocks[0].only_for is None


@pytest.mark.parametrize("stage", TEMPLATE_STAGES, ids=str)
def test_every_default_template_is_valid(stage: Stage) -> None:
    parsed = validate_template(default_text(stage))
    assert parsed.subject
    assert any("$requester_name" in block.text for block in parsed.blocks)


def test_unknown_placeholder_is_named() -> None:
    with pytest.raises(DomainError, match=r"\$foo") as caught:
        validate_template("Dear $requester_name, your $foo and ${bar}.")
    assert "$bar" in str(caught.value)


def test_lone_dollar_is_reported_with_its_line() -> None:
    with pytest.raises(DomainError, match=r"Line 2: .* write \$\$"):
        validate_template("Fine line\nThe fee is $5.")
    assert validate_template("The fee is $$5.").blocks[0].text == "The fee is $$5."


def test_unknown_outcome_condition_is_refused() -> None:
    with pytest.raises(DomainError, match="Unknown outcome granted"):
        validate_template("[granted] Yes.")


def test_custom_template_is_stored_used_and_reset(org_store: Store, log_case: LogCase) -> None:
    case = log_case()
    default = current_template(org_store, Stage.ACKNOWLEDGEMENT)
    assert not default.custom
    assert default.version == default_version(default_text(Stage.ACKNOWLEDGEMENT))
    assert default.version.startswith("default-") and len(default.version) == 20

    saved = save_template(
        org_store,
        Stage.ACKNOWLEDGEMENT,
        "Subject: Got it ($reference)\n\nDear $requester_name,\n\nWe have it; due $due_date.\n"
        "\nCosts: $$0.\n\nYours sincerely,\n",
    )
    assert saved.custom and saved.version == "custom-v1"
    assert current_template(org_store, "acknowledgement").body == saved.body
    letter = generate_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    assert letter.template_version == "custom-v1"
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)))
    assert "We have it; due" in text and "Costs: $0." in text
    assert "Thank you for your subject access request" not in text

    assert save_template(org_store, Stage.ACKNOWLEDGEMENT, saved.body).version == "custom-v2"
    reset = reset_template(org_store, Stage.ACKNOWLEDGEMENT)
    assert not reset.custom and reset.version == default.version
    with org_store.read() as session:
        assert session.scalars(select(LetterTemplate)).all() == []
    text = flat(pdf_text(render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)))
    assert "Thank you for your subject access request" in text
    # A version number is never reused after a reset: it names one text for good.
    assert save_template(org_store, Stage.ACKNOWLEDGEMENT, saved.body).version == "custom-v3"


def test_saving_an_unknown_placeholder_is_refused_and_changes_nothing(org_store: Store) -> None:
    with pytest.raises(DomainError, match=r"\$signatory"):
        save_template(org_store, Stage.REFUSAL, "Dear $requester_name, $signatory")
    assert not current_template(org_store, Stage.REFUSAL).custom


def test_unknown_placeholder_in_a_stored_template_stops_before_any_letter(
    org_store: Store, log_case: LogCase
) -> None:
    """A template written by an older version (or by hand) is checked again at render."""
    from datetime import UTC, datetime

    case = log_case()
    with org_store.write() as session:
        session.add(
            LetterTemplate(
                stage="acknowledgement",
                body="Dear $requester_name, $foo",
                version=9,
                updated_at=datetime.now(UTC),
            )
        )
    with pytest.raises(DomainError, match=r"\$foo"):
        generate_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    assert list_letters(org_store, case.id) == []


def test_template_text_is_escaped_too(org_store: Store, log_case: LogCase) -> None:
    case = log_case()
    save_template(
        org_store,
        Stage.ACKNOWLEDGEMENT,
        'Dear $requester_name,\n\n<b>not bold</b> & <img src="/etc/hosts"/>\n',
    )
    text = pdf_text(render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY))
    assert '<b>not bold</b> & <img src="/etc/hosts"/>' in text


def test_the_generic_outcome_has_no_template_of_its_own(org_store: Store) -> None:
    with pytest.raises(DomainError, match="one template per request type"):
        current_template(org_store, Stage.OUTCOME)

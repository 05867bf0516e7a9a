"""Letters: templates, the reportlab renderer, and the record of every letter generated.

`render_letter(store, case_id, stage)` returns the PDF bytes of one letter; it writes
nothing. `generate_letter(store, case_id, stage)` renders and keeps the letter as a new
version with its case (app.letters.records), on the timeline.

Stages (app.letters.stages.Stage): acknowledgement, identity_request (with the request form
page), clarification_request, extension_notice, the outcome letter, refusal. The outcome
letter has one template per request type; asking for the generic stage `outcome` resolves
to the case's own type (`outcome_access`, `outcome_erasure`, ...), and that concrete stage
is what is stored and shown on the timeline. Asking for another type's outcome letter is
refused. An outcome template varies with the case's outcome through conditional
paragraphs (`[refused, partly_fulfilled] ...`, see app.letters.templates).

Order of work, so nothing half-made leaves this module: the template is checked (an unknown
placeholder is reported by name), then every placeholder it uses is filled (a required but
empty one, such as the ground of a refusal, stops with a message for the DPO), and only then
is the PDF built.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.cases import get_case, pause_for_clarification, read_case
from app.domain import Channel, DomainError, Status
from app.formatting import uk_date
from app.identity import DOCUMENTS, REPRESENTATIVE
from app.letters.form import request_form
from app.letters.layout import LetterLayout, build_pdf
from app.letters.logo import logo_problem
from app.letters.markup import fill, markup
from app.letters.placeholders import LIST_PLACEHOLDERS, placeholder_values
from app.letters.records import StoredLetter, keep_letter, save_letter
from app.letters.stages import Stage, allowed_stages, check_allowed, resolve_stage, stages_for
from app.letters.templates import (
    TemplateText,
    read_template,
    validate_template,
)
from app.models import Case
from app.readmodels import CaseDetail
from app.searches.statement import BULLET, read_letter_values
from app.settings import (
    MissingLetterhead,
    OrgSettings,
    missing_letterhead,
    read_settings,
)
from app.store import Store

# Requests made by electronic means are answered electronically (Art. 12(3)).
ELECTRONIC = (Channel.EMAIL, Channel.WEB_FORM)

__all__ = [
    "LetterInputs",
    "RenderedLetter",
    "SharedReads",
    "Stage",
    "allowed_stages",
    "generate_letter",
    "pause_with_letter",
    "read_letter",
    "render_letter",
    "render_letter_details",
    "stages_for",
]


@dataclass(frozen=True, slots=True)
class RenderedLetter:
    stage: Stage  # the concrete stage (outcome resolved by type)
    template_version: str
    pdf: bytes


def render_letter(
    store: Store, case_id: int, stage: str | Stage, *, today: date | None = None
) -> bytes:
    """The PDF of one letter for the case. Writes nothing."""
    return render_letter_details(store, case_id, stage, today=today).pdf


def render_letter_details(
    store: Store, case_id: int, stage: str | Stage, *, today: date | None = None
) -> RenderedLetter:
    """The letter and what it was made from. Everything is read in one session, and the
    session is closed before the PDF is built: four sessions cost as much as a third of a
    bare reportlab page, and the read transaction need not wait on reportlab."""
    with store.read() as session:
        inputs = read_letter(session, case_id, stage)
    return inputs.render(today or date.today())


@dataclass(frozen=True, slots=True)
class LetterInputs:
    """Everything one letter is made from, as read from the store. Making the PDF from it
    needs no store, so a batch can make its letters in other processes."""

    case: CaseDetail
    settings: OrgSettings
    template: TemplateText  # of the concrete stage (an outcome resolved by type)
    extra: dict[str, str]  # placeholder values from the case's records

    def render(self, today: date) -> RenderedLetter:
        pdf = compose(self.case, self.settings, self.template, today=today, extra=self.extra)
        return RenderedLetter(self.template.stage, self.template.version, pdf)


class SharedReads:
    """What every letter read in one go has in common: the organisation's settings and each
    stage's current template. A batch reads them once, not once per letter."""

    def __init__(self, session: Session) -> None:
        self.settings = read_settings(session)
        self._templates: dict[Stage, TemplateText] = {}

    def template(self, session: Session, stage: Stage) -> TemplateText:
        if stage not in self._templates:
            self._templates[stage] = read_template(session, stage)
        return self._templates[stage]


def read_letter(
    session: Session, case_id: int, stage: str | Stage, shared: SharedReads | None = None
) -> LetterInputs:
    """What the letter of `stage` for the case is made from. Raises NotFound for a missing
    case and DomainError for another type's outcome letter, as render_letter does."""
    shared = shared or SharedReads(session)
    # Held while the reads below run: the session keeps its rows only weakly, and each of
    # them would otherwise read the case's row again.
    held = session.get(Case, case_id)
    case = read_case(session, case_id)
    concrete = resolve_stage(stage, case.request_type)
    extra = read_letter_values(
        session, case_id, article_15_from_register=shared.settings.article_15_from_register
    )
    del held
    return LetterInputs(case, shared.settings, shared.template(session, concrete), extra)


def generate_letter(
    store: Store, case_id: int, stage: str | Stage, *, today: date | None = None
) -> StoredLetter:
    """Render the letter and keep it as a new version with the case, on its timeline."""
    rendered = render_letter_details(store, case_id, stage, today=today)
    return save_letter(
        store,
        case_id,
        stage=rendered.stage.value,
        pdf=rendered.pdf,
        template_version=rendered.template_version,
        stage_label=rendered.stage.label.lower(),
    )


def pause_with_letter(
    store: Store,
    case_id: int,
    *,
    on: date,
    question: str,
    today: date | None = None,
    expected_version: int | None = None,
) -> tuple[CaseDetail, StoredLetter]:
    """Pause the clock for clarification and keep the letter asking `question`, dated `on`,
    in one transaction: the pause and the letter have one date, and neither exists alone."""
    if not question.strip():
        raise DomainError("Type the question the requester is asked to clarify.")
    kept: list[StoredLetter] = []

    def letter(session: Session, detail: CaseDetail) -> None:
        template = read_template(session, Stage.CLARIFICATION_REQUEST)
        pdf = compose(detail, read_settings(session), template, today=on)
        kept.append(
            keep_letter(
                session,
                detail.id,
                stage=Stage.CLARIFICATION_REQUEST.value,
                pdf=pdf,
                template_version=template.version,
                stage_label=Stage.CLARIFICATION_REQUEST.label.lower(),
            )
        )

    detail = pause_for_clarification(
        store,
        case_id,
        on=on,
        question=question,
        today=today,
        expected_version=expected_version,
        within=letter,
    )
    return get_case(store, detail.id), kept[0]


def case_facts(case: CaseDetail) -> frozenset[str]:
    """What a template's `[...]` conditions can test about the case."""
    facts = {case.request_type.value}
    if case.outcome is not None:
        facts.add(case.outcome.value)
    facts.add("electronic" if case.channel in ELECTRONIC else "paper")
    if REPRESENTATIVE in case.identity_documents:
        facts.add("representative")
    if case.closed_on is not None and case.closed_on <= case.received_on:
        facts.add("actioned_same_day")
    return frozenset(facts)


def letter_date(case: CaseDetail, stage: Stage, today: date) -> date:
    """The date a letter carries, or DomainError when the record says it cannot be sent.

    The clarification letter goes out with the pause, so it carries the pause's date. The
    extension notice must reach the requester within the month for notice (an open pause
    stops that clock), and is never dated before the last step on the record.
    """
    check_allowed(case, stage)
    if stage is Stage.CLARIFICATION_REQUEST:
        if case.status is not Status.AWAITING_CLARIFICATION or case.paused_on is None:
            raise DomainError(
                "The clarification letter goes out when the clock is paused: use Pause for "
                "clarification, which asks your question and makes this letter in one step."
            )
        return case.paused_on
    if stage is Stage.EXTENSION_NOTICE and case.extension_months:
        if case.last_step_on is not None and today < case.last_step_on:
            raise DomainError(
                f"The extension notice cannot be dated {uk_date(today)}, before the last "
                f"step on the record ({uk_date(case.last_step_on)})."
            )
        if not case.notice_in_time(today):
            raise DomainError(
                "The extension notice had to reach the requester by "
                f"{uk_date(case.extension_notice_by)}; a notice dated {uk_date(today)} is too "
                "late, and the extension cannot be relied on."
            )
    return today


def compose(
    case: CaseDetail,
    settings: OrgSettings,
    template: TemplateText,
    *,
    today: date,
    extra: Mapping[str, str] | None = None,
) -> bytes:
    """The letter's PDF. `extra` overrides placeholder values with ones read from the
    store's records (the search statement, Article 15 answers from the register)."""
    missing = missing_letterhead(settings)
    if missing:
        raise MissingLetterhead(missing)
    parsed = validate_template(template.body)
    if template.stage.is_outcome and case.outcome is None:
        raise DomainError(
            "The outcome letter states the outcome, and this case has none yet. Close the case "
            "with its outcome (and ground, if any) first."
        )
    today = letter_date(case, template.stage, today)
    if settings.logo:
        problem = logo_problem(settings.logo)
        if problem:
            raise DomainError(
                f"The letterhead logo in the organisation settings cannot be drawn: {problem} "
                "Choose the logo again, or remove it, in Settings → Organisation settings."
            )
    values = placeholder_values(case, settings, today) | dict(extra or {})
    facts = case_facts(case)
    blocks: list[tuple[str, str]] = []
    for block in parsed.blocks:
        if not block.keeps(facts):
            continue
        listed = _list_placeholder(block.text)
        if block.kind == "bullet" and listed is not None:
            fill(block.text, values)  # a required but empty list stops here, by name
            blocks += [("bullet", markup(item)) for item in values[listed].splitlines()]
        else:
            blocks += _filled(block.kind, block.text, values)
    subject = fill(parsed.subject, values) if parsed.subject else ""
    address_lines = [line.strip() for line in case.requester.postal_address.splitlines()]
    sender_lines = [markup(line.strip()) for line in settings.org_address.splitlines()]
    sender_lines += [markup(settings.org_email), markup(settings.org_phone)]
    reference = markup(case.reference)
    layout = LetterLayout(
        title=f"{case.reference} {template.stage.label}",
        author=settings.org_name,
        sender_name=markup(settings.org_name),
        sender_lines=sender_lines,
        logo=settings.logo,
        recipient=[markup(case.requester.name)] + [markup(x) for x in address_lines if x],
        meta=[("Our reference:", reference), ("Date:", markup(values["today"]))],
        subject=subject,
        blocks=blocks,
        signature=[
            markup(settings.dpo_name),
            markup(settings.dpo_title),
            markup(settings.org_name),
        ],
        running_head=f"{markup(settings.org_name)} · {reference}",
    )
    if template.stage is Stage.IDENTITY_REQUEST:
        layout.extra_pages = request_form(
            reference,
            markup(settings.org_name),
            [markup(DOCUMENTS[key][0]) for key in case.identity_documents],
        )
    return build_pdf(layout)


def _list_placeholder(text: str) -> str | None:
    """The list placeholder a bullet consists of alone (`- $identity_documents`), if any."""
    name = text.strip().removeprefix("$").strip("{}")
    return name if name in LIST_PLACEHOLDERS and text.strip().startswith("$") else None


_SOLE_PLACEHOLDER = re.compile(r"^\$(?:(\w+)|\{(\w+)\})$")


def _filled(kind: str, text: str, values: Mapping[str, str]) -> list[tuple[str, str]]:
    """One template block as printed blocks. A paragraph that is a placeholder alone, whose
    value is a list (lines starting with '• ', as the search statement is), prints as its
    lines and bullets, so a wrapped bullet keeps its hanging indent."""
    match = _SOLE_PLACEHOLDER.match(text.strip()) if kind == "paragraph" else None
    value = values.get(match.group(1) or match.group(2), "") if match else ""
    if not match or f"\n{BULLET} " not in f"\n{value}":
        return [(kind, fill(text, dict(values)))]
    return [
        ("bullet", markup(line[len(BULLET) + 1 :]))
        if line.startswith(f"{BULLET} ")
        else ("paragraph", markup(line))
        for line in value.splitlines()
        if line.strip()
    ]

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

from app.cases import get_case
from app.domain import DomainError
from app.letters.form import request_form
from app.letters.layout import LetterLayout, build_pdf
from app.letters.logo import logo_problem
from app.letters.markup import fill, markup
from app.letters.placeholders import placeholder_values
from app.letters.records import StoredLetter, save_letter
from app.letters.stages import Stage, resolve_stage, stages_for
from app.letters.templates import TemplateText, current_template, validate_template
from app.readmodels import CaseDetail
from app.searches.statement import BULLET, letter_values
from app.settings import MissingLetterhead, OrgSettings, load_settings, missing_letterhead
from app.store import Store

__all__ = [
    "RenderedLetter",
    "Stage",
    "generate_letter",
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
    case = get_case(store, case_id)
    concrete = resolve_stage(stage, case.request_type)
    template = current_template(store, concrete)
    settings = load_settings(store)
    from_record = letter_values(
        store, case_id, article_15_from_register=settings.article_15_from_register
    )
    pdf = compose(case, settings, template, today=today or date.today(), extra=from_record)
    return RenderedLetter(concrete, template.version, pdf)


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
    if settings.logo:
        problem = logo_problem(settings.logo)
        if problem:
            raise DomainError(
                f"The letterhead logo in the organisation settings cannot be drawn: {problem} "
                "Choose the logo again, or remove it, in Settings → Organisation settings."
            )
    values = placeholder_values(case, settings, today) | dict(extra or {})
    outcome = case.outcome.value if case.outcome else None
    blocks = [
        filled
        for block in parsed.blocks
        if block.only_for is None or (outcome is not None and outcome in block.only_for)
        for filled in _filled(block.kind, block.text, values)
    ]
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
        layout.extra_pages = request_form(reference, markup(settings.org_name))
    return build_pdf(layout)


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

"""Letter templates: plain text with named placeholders, a default per stage shipped in
`resources/letters/<stage>.txt`, and the DPO's edited copy kept in the store.

The paragraph syntax, kept small so a DPO can edit it in a plain text box:

- `Subject: ...` as the first line is the letter's subject line (printed in bold).
- A blank line ends a paragraph. Lines inside a paragraph are joined with a space, so a
  template can be wrapped at any width.
- `## Heading` on its own line is a heading.
- `- text` starts a bullet; following lines that do not start a new block continue it.
- `[refused, partly_fulfilled] text` at the start of a paragraph, bullet or heading keeps it
  only when the case's outcome is one of those (fulfilled, partly_fulfilled, refused,
  withdrawn, no_data_held). This is how one erasure letter says erased / partly / refused.
  A condition may also name request types (`access`, `marketing_opt_out`, ...), how the
  request came (`electronic`: email or web form; `paper`: anything else) and facts of the
  case (`representative`: someone acts for the requester; `actioned_same_day`: closed the
  day it was received). Names of one kind are alternatives; kinds must all match; `!name`
  keeps the block only when the case is not that: `[fulfilled, partly_fulfilled, !access]`.
- `$name` or `${name}` is a placeholder (app.letters.placeholders lists them); `$$` prints a
  dollar sign. An unknown name is an error naming it, raised on save and before any letter.
- The signature block (DPO name, title, organisation) is added after the last paragraph.

Template versions, stored with each letter: `default-<first 12 hex of the text's SHA-256>`
for the shipped text, `custom-v<n>` for the DPO's n-th saved edit of that stage (n never
repeats, even after a reset to default, so a version names one text for good).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from string import Template

from sqlalchemy.orm import Session

from app.domain import DomainError, Outcome, RequestType
from app.letters.placeholders import PLACEHOLDERS
from app.letters.stages import TEMPLATE_STAGES, Stage, to_stage
from app.models import LetterTemplate, Setting
from app.store import Store

MAX_TEMPLATE_CHARS = 50_000
_COUNTER_KEY = "letters.template_counter."
_CONDITION = re.compile(r"^\[([a-z_ ,|!]+)\]\s*")
_OUTCOMES = {o.value for o in Outcome}
# The kinds of condition name (see the module docstring); one of each kind may match.
CONDITION_KINDS: dict[str, frozenset[str]] = {
    "outcome": frozenset(_OUTCOMES),
    "type": frozenset(t.value for t in RequestType),
    "channel": frozenset({"electronic", "paper"}),
    "representative": frozenset({"representative"}),
    "actioned_same_day": frozenset({"actioned_same_day"}),
}
_KIND_OF = {name: kind for kind, names in CONDITION_KINDS.items() for name in names}


@dataclass(frozen=True, slots=True)
class TemplateText:
    stage: Stage
    body: str
    version: str
    custom: bool
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # "paragraph", "heading" or "bullet"
    text: str  # template text, placeholders not yet filled
    only_for: frozenset[str] | None = None  # condition names (`!` = not), see docstring

    def keeps(self, facts: frozenset[str]) -> bool:
        """Whether this block belongs in the letter of a case with these facts (its
        outcome, type, channel kind and flags)."""
        return condition_holds(self.only_for, facts)


@dataclass(frozen=True, slots=True)
class ParsedTemplate:
    subject: str
    blocks: tuple[Block, ...]


# ---------------------------------------------------------------------------------------
# Defaults


@cache
def default_text(stage: Stage) -> str:
    stage = _template_stage(stage)
    path = resources.files("resources.letters").joinpath(f"{stage.value}.txt")
    return path.read_text(encoding="utf-8")


def default_version(body: str) -> str:
    return "default-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def _template_stage(stage: str | Stage) -> Stage:
    stage = to_stage(stage)
    if stage not in TEMPLATE_STAGES:
        raise DomainError(
            "The outcome letter has one template per request type; choose the type's own "
            "outcome letter to edit."
        )
    return stage


# ---------------------------------------------------------------------------------------
# Stored edits


def current_template(store: Store, stage: str | Stage) -> TemplateText:
    """The text letters of this stage are made from: the DPO's edit, else the default."""
    with store.read() as session:
        return read_template(session, stage)


def read_template(session: Session, stage: str | Stage) -> TemplateText:
    stage = _template_stage(stage)
    row = session.get(LetterTemplate, stage.value)
    if row is None:
        body = default_text(stage)
        return TemplateText(stage, body, default_version(body), custom=False)
    return TemplateText(stage, row.body, f"custom-v{row.version}", True, row.updated_at)


def save_template(store: Store, stage: str | Stage, body: str) -> TemplateText:
    """Keep the DPO's text for `stage` after checking it, so a bad template never reaches a
    letter. Saving the default text unchanged is kept as a custom version all the same."""
    stage = _template_stage(stage)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    validate_template(body)
    now = datetime.now(UTC)
    with store.write() as session:
        key = _COUNTER_KEY + stage.value
        counter = session.get(Setting, key)
        number = (int(counter.value) if counter is not None else 0) + 1  # type: ignore[call-overload]
        session.merge(Setting(key=key, value=number))
        row = session.get(LetterTemplate, stage.value)
        if row is None:
            row = LetterTemplate(stage=stage.value, body=body, version=number, updated_at=now)
            session.add(row)
        else:
            row.body, row.version, row.updated_at = body, number, now
        return TemplateText(stage, body, f"custom-v{number}", True, now)


def reset_template(store: Store, stage: str | Stage) -> TemplateText:
    """Go back to the shipped text: the DPO's edit is deleted."""
    stage = _template_stage(stage)
    with store.write() as session:
        row = session.get(LetterTemplate, stage.value)
        if row is not None:
            session.delete(row)
    body = default_text(stage)
    return TemplateText(stage, body, default_version(body), custom=False)


# ---------------------------------------------------------------------------------------
# Syntax


def validate_template(body: str) -> ParsedTemplate:
    """Check placeholders and syntax; raise DomainError naming the first problem."""
    if len(body) > MAX_TEMPLATE_CHARS:
        raise DomainError(f"The template is too long (over {MAX_TEMPLATE_CHARS:,} characters).")
    template = Template(body)
    if not template.is_valid():
        line = _bad_dollar_line(body)
        raise DomainError(
            f"Line {line}: a '$' must start a placeholder such as $reference; write $$ for a "
            "dollar sign."
        )
    unknown = [name for name in template.get_identifiers() if name not in PLACEHOLDERS]
    if unknown:
        names = ", ".join(f"${name}" for name in unknown)
        raise DomainError(
            f"Unknown placeholder{'s' if len(unknown) > 1 else ''} {names} in the template. "
            "Known placeholders: " + ", ".join(f"${p}" for p in PLACEHOLDERS) + "."
        )
    return parse_template(body)


def _bad_dollar_line(body: str) -> int:
    for number, line in enumerate(body.split("\n"), start=1):
        if not Template(line).is_valid():
            return number
    return 1


def parse_template(body: str) -> ParsedTemplate:
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").split("\n")]
    subject = ""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].startswith("Subject:"):
        subject = lines[first].removeprefix("Subject:").strip()
        lines = lines[first + 1 :]
    blocks: list[Block] = []
    current: list[str] = []
    kind = "paragraph"
    condition: frozenset[str] | None = None

    def flush() -> None:
        nonlocal current, kind, condition
        if current:
            text = " ".join(part.strip() for part in current)
            blocks.append(Block(kind, text, condition))
        current, kind, condition = [], "paragraph", None

    for raw in lines:
        if not raw.strip():
            flush()
            continue
        line_condition, line = _condition(raw)
        if line.startswith("## "):
            flush()
            blocks.append(Block("heading", line[3:].strip(), line_condition))
        elif line.startswith("- "):
            flush()
            kind, current, condition = "bullet", [line[2:]], line_condition
        elif line_condition is not None or not current:
            flush()
            current, condition = [line], line_condition
        else:
            current.append(line)
    flush()
    return ParsedTemplate(subject, tuple(blocks))


def _condition(line: str) -> tuple[frozenset[str] | None, str]:
    """Split a leading `[outcome, ...]` off a line."""
    match = _CONDITION.match(line)
    if match is None:
        return None, line
    names = {n.strip() for n in re.split(r"[,|]", match.group(1)) if n.strip()}
    unknown = sorted(n for n in names if n.removeprefix("!") not in _KIND_OF)
    if unknown:
        raise DomainError(
            f"Unknown outcome {', '.join(unknown)} in [{match.group(1)}]; use an outcome ("
            + ", ".join(sorted(_OUTCOMES))
            + "), a request type ("
            + ", ".join(t.value for t in RequestType)
            + "), electronic or paper, representative or actioned_same_day; ! means not."
        )
    return frozenset(names), line[match.end() :]


def condition_holds(names: frozenset[str] | None, facts: frozenset[str]) -> bool:
    """A condition holds when no `!name` is a fact and, for each kind of name it lists
    without `!`, one of them is."""
    if names is None:
        return True
    wanted: dict[str, set[str]] = {}
    for name in names:
        if name.startswith("!"):
            if name[1:] in facts:
                return False
        else:
            wanted.setdefault(_KIND_OF[name], set()).add(name)
    return all(options & facts for options in wanted.values())

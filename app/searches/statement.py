"""The paragraph of the access letter that says how the search was done, and the Article 15
information taken from the register for one case.

The statement is for the requester: which systems and records were searched, with what, over
which period and with what result, and which were not searched and why. It is the record's
public face: Art. 15(1A) asks for a reasonable and proportionate search, and the ICO expects
the controller to be able to show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import DomainError, NotFound, RequestType
from app.formatting import uk_long_date
from app.models import Case, SystemRecord
from app.searches.planning import read_plan, relevant_systems
from app.searches.records import SearchTask, TaskStatus
from app.store import Store
from app.systems import Article15Text, article_15_text, to_system

BULLET = "•"


def search_statement(store: Store, case_id: int) -> str:
    """The letter paragraph for the case ('' when the case has no search plan, as for a
    case closed before the search record existed). Raises DomainError naming the tasks
    still open: a letter must not describe a search that is not finished."""
    with store.read() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(f"There is no case with id {case_id}.")
        return statement_text(read_plan(session, case))


def finished_statement(tasks: Sequence[SearchTask]) -> str:
    """The statement once the record is finished, else '' (for a record or letter that shows
    an open case as it stands: its counts say what is still open)."""
    try:
        return statement_text(tasks)
    except DomainError:
        return ""


def statement_text(tasks: Sequence[SearchTask]) -> str:
    if not tasks:
        return ""
    still_open = [task.title for task in tasks if task.status is TaskStatus.OPEN]
    if still_open:
        raise DomainError(
            "The search record is not finished: "
            + "; ".join(still_open)
            + (" is" if len(still_open) == 1 else " are")
            + " neither searched nor left out with a reason."
        )
    searched = [task for task in tasks if task.status is TaskStatus.SEARCHED]
    left_out = [task for task in tasks if task.status is TaskStatus.LEFT_OUT]
    lines: list[str] = []
    if searched:
        lines.append("We looked for your personal data in these systems and records:")
        lines += [f"{BULLET} {_searched_line(task)}" for task in searched]
    if left_out:
        lines.append(
            "We did not search these, for the reasons given:"
            if searched
            else "We did not search any system or record, for the reasons given:"
        )
        lines += [
            f"{BULLET} {task.title}: {_sentence(task.left_out_reason or '')}" for task in left_out
        ]
    return "\n".join(lines)


def _searched_line(task: SearchTask) -> str:
    assert task.searched_on is not None
    line = f"{task.title}, on {uk_long_date(task.searched_on)}, for “{task.terms}”"
    line += f", {_period(task.period_from, task.period_to)}"
    if task.found:
        line += f": {task.items} item{'s' if task.items != 1 else ''} found."
    else:
        line += ": nothing found."
    return line


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"covering {uk_long_date(start)} to {uk_long_date(end)}"
    if start:
        return f"covering {uk_long_date(start)} onwards"
    if end:
        return f"covering everything up to {uk_long_date(end)}"
    return "covering everything it holds"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def article_15_for_case(session: Session, case: Case) -> Article15Text:
    """Article 15 answers from the register for the systems where this requester's data was
    found; before any search has found data, for every system relevant to access."""
    found_ids = [
        task.system_id
        for task in read_plan(session, case)
        if task.found and task.system_id is not None
    ]
    if found_ids:
        rows = list(
            session.scalars(
                select(SystemRecord).where(SystemRecord.id.in_(found_ids)).order_by(SystemRecord.id)
            )
        )
    else:
        rows = relevant_systems(session, RequestType.ACCESS)
    return article_15_text([to_system(row) for row in rows])


def letter_values(store: Store, case_id: int, *, article_15_from_register: bool) -> dict[str, str]:
    """Placeholder values that come from the case's records rather than its fields: the
    search statement ('' while the record is unfinished, so a letter that uses it stops with
    a message), and the Article 15 answers when the settings take them from the register."""
    with store.read() as session:
        return read_letter_values(
            session, case_id, article_15_from_register=article_15_from_register
        )


def read_letter_values(
    session: Session, case_id: int, *, article_15_from_register: bool
) -> dict[str, str]:
    """`letter_values` inside a session the caller holds (a letter reads all it needs in one)."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"There is no case with id {case_id}.")
    values = {"search_statement": finished_statement(read_plan(session, case))}
    if article_15_from_register:
        text = article_15_for_case(session, case)
        values |= {
            "purposes": text.purposes,
            "categories": text.categories,
            "recipients": text.recipients,
            "retention": text.retention,
            "transfer_safeguards": text.transfers,
        }
    return values

"""The suppression list: contacts who opted out of marketing, kept so that they are never
contacted again (DESIGN.md section 1), and the checks made at intake.

The list is for the marketing system: email, name, date and the case it came from. Intake
warns when a new request comes from a suppressed address, and when the same person (same
email, or the same name once case and accents are folded) already has an open case.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from app.domain import Status
from app.exports.files import (
    Cancelled,
    Progress,
    TextOut,
    no_progress,
    spreadsheet_safe,
)
from app.models import Case, Requester, Suppression
from app.private_files import private_output
from app.store import Store
from app.text import fold


@dataclass(frozen=True, slots=True)
class SuppressedContact:
    id: int
    email: str
    name: str
    suppressed_on: date
    case_id: int | None
    reference: str


def _rows(store: Store, search: str) -> Iterator[SuppressedContact]:
    statement = (
        select(
            Suppression.id,
            Suppression.email_key,
            Suppression.name,
            Suppression.created_at,
            Suppression.case_id,
            Case.reference,
        )
        .outerjoin(Case, Case.id == Suppression.case_id)
        .order_by(Suppression.created_at.desc(), Suppression.id.desc())
    )
    # The list is small (one row per opt-out); folding in Python lets "zoe" find "Zoë".
    wanted = fold(search.strip())
    with store.read() as session:
        for row in session.execute(statement):
            if wanted and wanted not in fold(f"{row.email_key} {row.name} {row.reference or ''}"):
                continue
            yield SuppressedContact(
                id=row.id,
                email=row.email_key,
                name=row.name,
                suppressed_on=_local_date(row.created_at),
                case_id=row.case_id,
                reference=row.reference or "",
            )


def _local_date(moment: datetime) -> date:
    return moment.astimezone().date()


def list_suppressions(store: Store, search: str = "") -> list[SuppressedContact]:
    """Newest first; `search` matches the email, the name or the case reference."""
    return list(_rows(store, search))


def export_suppressions_csv(
    store: Store, path: Path, *, search: str = "", progress: Progress = no_progress
) -> int:
    """Write the (searched) list as CSV for the marketing system; returns the rows written."""
    rows = list_suppressions(store, search)
    with private_output(path) as raw:
        raw.write("\ufeff".encode())
        handle = TextOut(raw)
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["Email", "Name", "Suppressed on", "Case"])
        for n, row in enumerate(rows, start=1):
            writer.writerow(
                [
                    row.email,
                    spreadsheet_safe(row.name),
                    row.suppressed_on.isoformat(),
                    row.reference,
                ]
            )
            if n % 1000 == 0 and not progress(n, len(rows)):
                raise Cancelled
    return len(rows)


def is_suppressed(store: Store, email: str) -> bool:
    key = email.strip().lower()
    if not key:
        return False
    with store.read() as session:
        return (
            session.scalar(select(Suppression.id).where(Suppression.email_key == key).limit(1))
            is not None
        )


def open_cases_for_name(store: Store, name: str) -> list[tuple[int, str]]:
    """(id, reference) of open cases whose requester has the same name, case and accents
    folded ("Zoe O'Brien" finds "Zoë O'Brien")."""
    key = fold(name.strip())
    if not key:
        return []
    with store.read() as session:
        rows = session.execute(
            select(Case.id, Case.reference)
            .join(Requester, Requester.id == Case.requester_id)
            .where(Case.requester_sort == key, Case.status != Status.CLOSED.value)
            .order_by(Case.id)
        ).all()
    return [(row.id, row.reference) for row in rows]

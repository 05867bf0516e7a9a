"""Forgetting the personal data a search record holds, for the retention erasure of a case
(DESIGN.md section 8). What was searched, when, by whom, with what result and why a system
was left out stays: that is the record of the organisation's conduct, not of the person.
The identifiers searched for (often the requester's email and name) and free-text notes go.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SearchTaskRecord

ERASED = "[erased]"


def forget_personal_data(session: Session, case_id: int) -> int:
    """Blank the personal fields of the case's search tasks and unlink the material (the
    attachments themselves are erased by the caller); the number of tasks changed. Runs in
    the caller's transaction, with its one erasure event."""
    tasks = session.scalars(select(SearchTaskRecord).where(SearchTaskRecord.case_id == case_id))
    changed = 0
    for task in tasks:
        task.terms = ERASED if task.terms else ""
        task.note = ERASED if task.note else ""
        task.recipients_told = ERASED if task.recipients_told else ""
        for link in list(task.material):
            session.delete(link)
        task.material = []
        changed += 1
    session.flush()
    return changed

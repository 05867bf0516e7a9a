"""Forgetting the personal data the disclosure of a case holds, for the retention erasure of
a closed case (DESIGN.md section 8; app.retention calls it in its one erasure transaction).

What goes: every item's content (the file, its pages, its structured data), its title and
file name, the terms searched for in redaction, and the bytes of every bundle and export.
What stays is the record of conduct: that N items were collected from which systems, what
was decided for each and under which exemption, each redaction's page, box, reason, who and
when, and each bundle's SHA-256, size and date.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import DisclosureBundle, DisclosureItem, Redaction

ERASED = "[erased]"


def forget_personal_data(session: Session, case_id: int) -> int:
    """Blank the disclosure's personal data in the caller's transaction; returns how many
    rows (items, redactions, bundles) were changed."""
    changed = 0
    for item in session.scalars(select(DisclosureItem).where(DisclosureItem.case_id == case_id)):
        item.original = None
        item.rendition = None
        item.structured = None
        item.title = ERASED
        item.filename = ERASED
        changed += 1
    for redaction in session.scalars(
        select(Redaction).where(Redaction.case_id == case_id, Redaction.term.is_not(None))
    ):
        redaction.term = None
        changed += 1
    for bundle in session.scalars(
        select(DisclosureBundle).where(DisclosureBundle.case_id == case_id)
    ):
        bundle.content = None
        bundle.emailed_to = ERASED if bundle.emailed_to else None
        changed += 1
    session.flush()
    return changed

"""What other members changed since this desk last looked: the list and an open case refresh
within seconds of a colleague's save (issue 15 point 3).

Every change to a case appends an event, and the server numbers events in one sequence
(`seq`, set by its chain trigger under a lock), so the events past the last number seen name
exactly the cases that changed. One indexed query a few seconds apart costs the server next
to nothing; LISTEN/NOTIFY would need a connection held open per desk for the same answer.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import CaseEvent
from app.store import Store


def latest_mark(store: Store) -> int:
    """The newest event's number: where watching for changes starts."""
    with store.read() as session:
        return int(session.execute(select(func.max(CaseEvent.seq))).scalar_one() or 0)


def changed_since(store: Store, mark: int) -> tuple[int, list[int]]:
    """The new mark, and the ids of the cases changed after `mark` (each once, in order)."""
    with store.read() as session:
        rows = session.execute(
            select(CaseEvent.seq, CaseEvent.case_id)
            .where(CaseEvent.seq > mark)
            .order_by(CaseEvent.seq)
        ).all()
    changed = list(dict.fromkeys(case_id for _seq, case_id in rows))
    return (rows[-1][0] if rows else mark), changed

"""SQL that each engine says its own way, behind names that say what they do, so the use cases
and queries stay the same on SQLite (a desk) and PostgreSQL (a team server).

- `unlikely(condition)`: a planner hint where the engine has one (SQLite's `unlikely()`);
  PostgreSQL plans from its statistics and gets the bare condition.
- `next_counter(session, year)`: the next reference number of a year. On SQLite the write
  transaction already holds the only write lock (BEGIN IMMEDIATE), so the ORM's read and
  increment is safe and app.reference_mark sees the counter change; on PostgreSQL several
  members log requests at once, so the number comes from one atomic upsert that locks the
  year's row until commit: no two cases get one reference, and none is skipped.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.types import Boolean

from app.models import ReferenceCounter


class unlikely(GenericFunction[bool]):
    """`unlikely(condition)`: SQLite's hint that a condition holds for a small slice."""

    type = Boolean()
    inherit_cache = True


@compiles(unlikely)
def _unlikely_plain(element: unlikely, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(unlikely, "sqlite")
def _unlikely_sqlite(element: unlikely, compiler: Any, **kw: Any) -> str:
    return f"unlikely({compiler.process(element.clauses, **kw)})"


def is_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def next_counter(session: Session, year: int) -> int:
    """The next reference number of `year`, in the caller's write transaction."""
    if is_server(session):
        statement = (
            pg_insert(ReferenceCounter)
            .values(year=year, last_number=1)
            .on_conflict_do_update(
                index_elements=[ReferenceCounter.year],
                set_={"last_number": ReferenceCounter.last_number + 1},
            )
            .returning(ReferenceCounter.last_number)
        )
        return int(session.execute(statement).scalar_one())
    counter = session.get(ReferenceCounter, year)
    if counter is None:
        counter = ReferenceCounter(year=year, last_number=0)
        session.add(counter)
    counter.last_number += 1
    return counter.last_number

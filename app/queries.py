"""Queries behind the case list and home view, done in SQL so 100,000 cases stay instant.

Filtering, sorting and paging happen in SQLite on indexed columns of `cases`, searching in
the search index (app.search_plan chooses how); callers get plain `CaseRow`s, a page at a
time. A caller that lists several pages of one query passes the `SearchPlan` it got from
`plan_for` to each call, so the index is asked once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app import search_index
from app.dialects import unlikely
from app.domain import DUE_SOON_DAYS, Outcome, RequestType, Status, Urgency
from app.listing import CaseFilter, CaseQuery, SortKey
from app.models import Case, Requester
from app.readmodels import CaseRow
from app.search_plan import SearchPlan, plan_search
from app.store import Store

PAUSED = (Status.AWAITING_IDENTITY.value, Status.AWAITING_CLARIFICATION.value)
RUNNING = (Status.OPEN.value,)

__all__ = [
    "CaseFilter",
    "CaseQuery",
    "SortKey",
    "case_ids",
    "count_cases",
    "list_cases",
    "opened_this_month",
    "row_position",
    "urgency_counts",
]

_SORT_COLUMNS = {
    SortKey.REFERENCE: Case.reference,
    SortKey.REQUESTER: Case.requester_sort,
    SortKey.TYPE: Case.request_type,
    SortKey.RECEIVED: Case.received_on,
    SortKey.DUE: Case.effective_due,
    SortKey.DAYS_LEFT: Case.effective_due,
    SortKey.STATUS: Case.status,
}


class _Unindexed(FunctionElement[object]):
    """A column SQLite must not look up through an index: a unary plus on SQLite (its
    documented way to take a WHERE term out of the planner's index choice), the bare column
    elsewhere. The list's filters are written on it so that the only index left to use is
    the one in the list's order, which holds the filtered columns (migration 0008): without
    it, SQLite reads every overdue case by the status index and sorts them for one page."""

    inherit_cache = True

    def __init__(self, column: ColumnElement[object]) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(_Unindexed)
def _plain(element: _Unindexed, compiler: SQLCompiler, **kw: object) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_Unindexed, "sqlite")
def _plus(element: _Unindexed, compiler: SQLCompiler, **kw: object) -> str:
    return "+" + compiler.process(element.clauses, **kw)


def _as_is(column: ColumnElement[object]) -> ColumnElement[object]:
    return column


def _urgency_sql(today: date) -> ColumnElement[str]:
    soon = today + timedelta(days=DUE_SOON_DAYS)
    return case(
        (Case.status == Status.CLOSED.value, Urgency.CLOSED.value),
        (Case.status.in_(PAUSED), Urgency.PAUSED.value),
        (Case.statutory_due < today, Urgency.OVERDUE.value),
        (Case.effective_due < today, Urgency.PAST_PROMISE.value),
        (Case.effective_due <= soon, Urgency.DUE_SOON.value),
        else_=Urgency.ON_TRACK.value,
    )


def _where(
    query: CaseQuery,
    today: date,
    plan: SearchPlan | None,
    *,
    counting: bool = False,
    in_order: bool = False,
) -> list[ColumnElement[bool]]:
    """The query's conditions; `in_order` writes them so that SQLite answers them from the
    index in the list's order (a page without a sort), not from the most selective index."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    col = _Unindexed if in_order else _as_is
    status, statutory_due = col(Case.status), col(Case.statutory_due)
    effective_due, received_on = col(Case.effective_due), col(Case.received_on)
    conditions: list[ColumnElement[bool]] = []
    match query.filter:
        case CaseFilter.OPEN:
            conditions.append(status != Status.CLOSED.value)
        case CaseFilter.OVERDUE:
            conditions += [status.in_(RUNNING), statutory_due < today]
        case CaseFilter.PAST_PROMISE:
            conditions += [
                status.in_(RUNNING),
                effective_due < today,
                statutory_due >= today,
            ]
        case CaseFilter.DUE_THIS_WEEK:
            conditions += [
                status.in_(RUNNING),
                effective_due >= today,
                effective_due <= soon,
            ]
        case CaseFilter.PAUSED:
            conditions.append(status.in_(PAUSED))
        case CaseFilter.CLOSED:
            conditions.append(status == Status.CLOSED.value)
        case CaseFilter.OPENED_THIS_MONTH:
            # unlikely(): tell SQLite the month is a small slice, so a count reads the
            # received_on index instead of walking the due-date index (PostgreSQL has no such
            # hint and gets the bare condition: app.dialects).
            conditions.append(unlikely(received_on >= today.replace(day=1)))
        case CaseFilter.ALL:
            pass
    for column, low, high in (
        (received_on, query.received_from, query.received_to),
        (effective_due, query.due_from, query.due_to),
    ):
        if low is not None:
            conditions.append(column >= low)
        if high is not None:
            conditions.append(column <= high)
    if plan is not None:
        conditions.append(plan.counting_condition() if counting else plan.condition())
    return conditions


def _order(query: CaseQuery) -> tuple[ColumnElement[object], ColumnElement[object]]:
    column = _SORT_COLUMNS[query.sort]
    if query.descending:
        return column.desc(), Case.id.desc()
    return column.asc(), Case.id.asc()


def _ordered(statement: Select, query: CaseQuery) -> Select:
    return statement.order_by(*_order(query))


def plan_for(store: Store, query: CaseQuery) -> SearchPlan | None:
    """How this query's search will be answered (None without a search): ask once, then pass
    it to each call for the same query, so the index is not asked again for every page."""
    with store.read() as session:
        return _plan(session, query, None)


def _plan(session: Session, query: CaseQuery, plan: SearchPlan | None) -> SearchPlan | None:
    if plan is not None or not query.search.strip():
        return plan
    return plan_search(session, query.search)


def count_cases(
    store: Store, query: CaseQuery, *, today: date, plan: SearchPlan | None = None
) -> int:
    with store.read() as session:
        return _count(session, query, today, _plan(session, query, plan))


def _count(session: Session, query: CaseQuery, today: date, plan: SearchPlan | None) -> int:
    if plan is not None and query.filter is CaseFilter.ALL:
        if plan.matches is not None:
            return plan.matches
        if plan.match is not None:
            return search_index.count(session, plan.match)  # never reads a case
    statement = (
        select(func.count()).select_from(Case).where(*_where(query, today, plan, counting=True))
    )
    return int(session.execute(statement).scalar_one())


def list_cases(
    store: Store,
    query: CaseQuery,
    *,
    today: date,
    offset: int = 0,
    limit: int = 200,
    plan: SearchPlan | None = None,
) -> list[CaseRow]:
    """One page of the list, in the query's order.

    One statement, read in the list's order from that order's index (migration 0008) when
    there is no search: the filters are tested on the index entries, a skipped row (OFFSET)
    costs one index entry, and the case's row and its requester are read for the rows shown
    only (the requester through subqueries in the SELECT list, which SQLite evaluates after
    OFFSET, unlike a join). A search's matches are few and are sorted as the planner likes.
    """
    with store.read() as session:
        plan = _plan(session, query, plan)
        requester = Requester.id == Case.requester_id
        statement = (
            _ordered(
                select(
                    Case.id,
                    Case.reference,
                    select(Requester.name).where(requester).scalar_subquery().label("name"),
                    select(Requester.email).where(requester).scalar_subquery().label("email"),
                    Case.request_type,
                    Case.received_on,
                    Case.effective_due,
                    Case.status,
                    Case.statutory_due,
                    Case.outcome,
                    Case.closed_on,
                    _urgency_sql(today).label("urgency"),
                ).where(*_where(query, today, plan, in_order=plan is None)),
                query,
            )
            .offset(offset)
            .limit(limit)
        )
        return [
            CaseRow(
                id=row.id,
                reference=row.reference,
                requester_name=row.name,
                requester_email=row.email,
                request_type=RequestType(row.request_type),
                received_on=row.received_on,
                effective_due=row.effective_due,
                status=Status(row.status),
                urgency=Urgency(row.urgency),
                days_left=(row.effective_due - today).days,
                statutory_due=row.statutory_due,
                outcome=Outcome(row.outcome) if row.outcome else None,
                closed_on=row.closed_on,
            )
            for row in session.execute(statement)
        ]


def case_ids(
    store: Store, query: CaseQuery, *, today: date, plan: SearchPlan | None = None
) -> list[int]:
    """Every id the query lists, in its order (for exports and checks of a whole list)."""
    with store.read() as session:
        plan = _plan(session, query, plan)
        statement = _ordered(select(Case.id).where(*_where(query, today, plan)), query)
        return list(session.scalars(statement))


def row_position(
    store: Store,
    query: CaseQuery,
    case_id: int,
    *,
    today: date,
    plan: SearchPlan | None = None,
) -> int | None:
    """Where `case_id` stands in the query's order (to select a new case), or None."""
    with store.read() as session:
        plan = _plan(session, query, plan)
        # The order goes in the window itself: a subquery's ORDER BY is not a promise in SQL.
        numbered = (
            select(Case.id, func.row_number().over(order_by=_order(query)).label("position"))
            .where(*_where(query, today, plan))
            .subquery()
        )
        found = session.execute(
            select(numbered.c.position).where(numbered.c.id == case_id)
        ).scalar_one_or_none()
    return None if found is None else int(found) - 1


def urgency_counts(store: Store, *, today: date) -> dict[Urgency, int]:
    """How many cases there are of each urgency (closed included).

    Counted per status, then the overdue (statutory date), past-promise and due-soon ranges
    of running cases; on track is the rest. A GROUP BY over the urgency expression would read
    every row (about 5 times slower at 100,000 cases).
    """
    soon = today + timedelta(days=DUE_SOON_DAYS)
    running = Case.status.in_(RUNNING)
    overdue = select(func.count()).select_from(Case).where(running, Case.statutory_due < today)
    past_promise = (
        select(func.count())
        .select_from(Case)
        .where(running, Case.effective_due < today, Case.statutory_due >= today)
    )
    due_soon = (
        select(func.count())
        .select_from(Case)
        .where(running, Case.effective_due >= today, Case.effective_due <= soon)
    )
    counts = dict.fromkeys(Urgency, 0)
    with store.read() as session:
        by_status = {
            Status(value): int(count)
            for value, count in session.execute(
                select(Case.status, func.count()).group_by(Case.status)
            )
        }
        counts[Urgency.OVERDUE] = int(session.execute(overdue).scalar_one())
        counts[Urgency.DUE_SOON] = int(session.execute(due_soon).scalar_one())
        counts[Urgency.PAST_PROMISE] = int(session.execute(past_promise).scalar_one())
    for status, count in by_status.items():
        if status is Status.CLOSED:
            counts[Urgency.CLOSED] += count
        elif status.paused:
            counts[Urgency.PAUSED] += count
        else:
            counts[Urgency.ON_TRACK] += count
    counts[Urgency.ON_TRACK] -= (
        counts[Urgency.OVERDUE] + counts[Urgency.PAST_PROMISE] + counts[Urgency.DUE_SOON]
    )
    return counts


def opened_this_month(store: Store, *, today: date) -> int:
    return count_cases(store, CaseQuery(filter=CaseFilter.OPENED_THIS_MONTH), today=today)


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One case as the register export writes it."""

    reference: str
    requester_name: str
    requester_email: str
    request_type: RequestType
    channel: str
    received_on: date
    statutory_due: date
    promised_due: date
    status: Status
    outcome: str | None
    ground: str | None
    closed_on: date | None
    extension_months: int
    description: str


def register_rows(
    store: Store, query: CaseQuery, *, today: date, batch: int = 2000
) -> Iterator[RegisterRow]:
    """Every case of the list `query` shows, in its order, streamed from one SELECT so that
    an export of 100,000 cases holds one batch in memory at a time."""
    with store.read() as session:
        plan = _plan(session, query, None)
        statement = _ordered(
            select(
                Case.reference,
                Requester.name,
                Requester.email,
                Case.request_type,
                Case.channel,
                Case.received_on,
                Case.statutory_due,
                Case.promised_due,
                Case.status,
                Case.outcome,
                Case.ground,
                Case.closed_on,
                Case.extension_months,
                Case.description,
            )
            .join(Requester, Requester.id == Case.requester_id)
            .where(*_where(query, today, plan)),
            query,
        ).execution_options(yield_per=batch)
        for row in session.execute(statement):
            yield RegisterRow(
                reference=row.reference,
                requester_name=row.name,
                requester_email=row.email,
                request_type=RequestType(row.request_type),
                channel=row.channel,
                received_on=row.received_on,
                statutory_due=row.statutory_due,
                promised_due=row.promised_due,
                status=Status(row.status),
                outcome=row.outcome,
                ground=row.ground,
                closed_on=row.closed_on,
                extension_months=row.extension_months,
                description=row.description,
            )

"""The case list on a team server at 100,000 and 1,000,000 cases (issue 15, point 7): the
first page of the list, a sort change and one keystroke of search, each against the bare SQL
for the same page run on the same connection in the same run.

Not part of the default run, and skipped without a cluster. Run with:

    scripts/pg-test-cluster start /tmp/pg-bench 55461     # prints the superuser's URL
    DSAR_TEST_PG_URL=postgresql://postgres:…@127.0.0.1:55461/postgres \\
        .venv/bin/python -m pytest tests/bench/team -p no:cacheprovider -o addopts=""

(`DSAR_BENCH_SIZES=100000` for one size only.) The databases are made by `dsar-desk team
init` and seeded by the server (tests/bench/team/server.py; about a minute for a million
cases), and kept in the cluster for the next run. The desk's figure is the list model the
window uses (ui/case_table_model.CaseTableModel, its queries and its rows for one screen,
without painting), connected as a caseworker; the raw figure is the same page (and the
count, where the model counts) as plain SQL through the same store's pooled connection,
interleaved round by round (tests/bench/workload.interleaved). A search is also measured
against the raw LIKE with the trigram index turned off (`enable_bitmapscan = off`, the only
way a GIN index is read): issue 14's goal compares a keystroke with such a scan.

The plans of the desk's own statements, with EXPLAIN (ANALYZE, BUFFERS), are written to
`EXPLAINED` after each figure, to see where the time goes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import event, text

from app.listing import CaseFilter, CaseQuery, SortKey
from app.store import Store, open_store
from app.text import like_pattern
from tests.bench.stores import CACHE
from tests.bench.tally import KEYSTROKE, PAGE, Goal, record
from tests.bench.team.server import bench_members, ensure_members
from tests.bench.workload import interleaved
from tests.conftest import TODAY
from tests.engines import Cluster
from ui.case_table_model import COLUMNS, PAGE_SIZE, CaseTableModel

ROUNDS = 9
SCREEN = 25  # rows a window shows at once
EXPLAINED = CACHE / "team-explain.txt"

_ROW = (
    "SELECT c.id, c.reference, r.name, r.email, c.request_type, c.received_on,"
    " c.effective_due, c.status, c.statutory_due, c.outcome, c.closed_on"
    " FROM cases c JOIN requesters r ON r.id = c.requester_id"
)
_LIKE = "(c.search_key LIKE :pattern OR c.description_key LIKE :pattern)"


@pytest.fixture(scope="module")
def desk(
    qapp: QApplication, bench_cluster: Cluster, team_database: str
) -> Iterator[tuple[Store, CaseTableModel, int]]:
    """A caseworker's store and list model on the database of each size, and its size."""
    member = bench_members(2)[1]
    ensure_members(bench_cluster, [member])
    store = open_store(bench_cluster.url(team_database, member.name))
    model = CaseTableModel(store, today=lambda: TODAY)
    with store.read() as session:
        size = int(session.execute(text("SELECT count(*) FROM cases")).scalar_one())
    yield store, model, size
    store.close()


def _screen(model: CaseTableModel) -> None:
    """What painting one screen asks of the model: every cell of the rows in view."""
    for row in range(min(SCREEN, model.rowCount())):
        for column in range(len(COLUMNS)):
            model.data(model.index(row, column))


def _raw(
    store: Store,
    where: str,
    order: str,
    params: dict[str, Any],
    *,
    count: bool,
    trigram_index: bool = True,
) -> Callable[[], object]:
    """The same page as plain SQL on the store's own connection (and the count, when the
    model counts too)."""

    def work() -> None:
        with store.engine.connect() as connection:
            if not trigram_index:
                connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
            if count:
                connection.execute(text(f"SELECT count(*) FROM cases c WHERE {where}"), params)
            connection.execute(
                text(f"{_ROW} WHERE {where} ORDER BY {order} LIMIT :limit"),
                {**params, "limit": PAGE_SIZE},
            ).all()
            connection.rollback()

    return work


def _one_connection(store: Store, work: Callable[[], object]) -> None:
    """The desk's queries and the raw ones run on one server connection (one backend)."""
    backends: set[int] = set()

    def seen(connection: Any, *_: object) -> None:
        backends.add(id(connection.connection.dbapi_connection))

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        work()
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert len(backends) == 1, "the desk and the raw SQL ran on different connections"


@contextmanager
def _statements(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """The statements the desk sends inside the block, with their parameters."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: object) -> None:
        sent.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", keep)
    try:
        yield sent
    finally:
        event.remove(store.engine, "before_cursor_execute", keep)


def _explain(store: Store, title: str, size: int, work: Callable[[], object]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each statement `work` sends, appended to EXPLAINED."""
    with _statements(store) as sent:
        work()
    plans = [f"=== {title} ({size:,} cases)"]
    with store.engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()
        for statement, parameters in sent:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)
            plan = "\n".join(str(line[0]) for line in cursor.fetchall())
            plans.append(f"{statement}\n-- {parameters!r}\n{plan}\n")
        connection.rollback()
    EXPLAINED.parent.mkdir(mode=0o700, exist_ok=True)
    with EXPLAINED.open("a", encoding="utf-8") as out:
        out.write("\n".join(plans) + "\n")


def _measure(
    benchmark: Any,
    store: Store,
    title: str,
    size: int,
    ours: Callable[[], object],
    raw: Callable[[], object],
    setup: Callable[[], object],
) -> tuple[float, float]:
    _one_connection(store, lambda: (setup(), ours(), raw()))
    figures = interleaved(ours, raw, setup=setup, rounds=ROUNDS)
    benchmark.pedantic(ours, setup=setup, rounds=3)  # pytest-benchmark's own statistics
    setup()
    _explain(store, title, size, ours)
    return figures


def test_list_first_page(benchmark: Any, desk: tuple[Store, CaseTableModel, int]) -> None:
    store, model, size = desk
    model.set_query(CaseQuery(filter=CaseFilter.OPEN))

    def ours() -> None:
        model.refresh()
        _screen(model)

    raw = _raw(store, "c.status <> 'closed'", "c.effective_due, c.id", {}, count=True)
    title = "list of open cases: count + first page"
    ours_ms, raw_ms = _measure(benchmark, store, title, size, ours, raw, lambda: None)
    assert model.rowCount() > size // 2
    record(
        f"server: {title}",
        size,
        ours_ms,
        baseline=raw_ms,
        baseline_is="count + first page of open cases (SQL, same connection)",
        goal=PAGE,
    )


@pytest.mark.parametrize(
    ("name", "column", "order"),
    [
        ("due date", 4, "c.effective_due DESC, c.id DESC"),
        ("requester", 1, "c.requester_sort DESC, c.id DESC"),
    ],
)
def test_sort_change(
    benchmark: Any, desk: tuple[Store, CaseTableModel, int], name: str, column: int, order: str
) -> None:
    store, model, size = desk
    model.set_query(CaseQuery(filter=CaseFilter.ALL))
    assert COLUMNS[column][1] in (SortKey.DUE, SortKey.REQUESTER)

    def back() -> None:
        model.sort(0, Qt.SortOrder.AscendingOrder)
        _screen(model)

    def ours() -> None:
        model.sort(column, Qt.SortOrder.DescendingOrder)
        _screen(model)

    raw = _raw(store, "true", order, {}, count=False)
    title = f"sort all by {name}: first page"
    ours_ms, raw_ms = _measure(benchmark, store, title, size, ours, raw, back)
    assert model.rowCount() == size
    record(
        f"server: {title}",
        size,
        ours_ms,
        baseline=raw_ms,
        baseline_is="first page in that order (SQL, same connection; count unchanged)",
        goal=PAGE,
    )


@pytest.mark.parametrize(
    ("before", "key", "what"),
    [
        ("jur", "g", "name 'jur'+'g'"),
        ("", "m", "letter 'm'"),
        ("grainne.smith", "1", "email 'grainne.smith'+'1'"),
        ("DSR-2025-123", "4", "reference 'DSR-2025-123'+'4'"),
        ("DSR-2025-1", "2", "reference 'DSR-2025-1'+'2'"),
    ],
)
def test_one_keystroke_of_search(
    benchmark: Any, desk: tuple[Store, CaseTableModel, int], before: str, key: str, what: str
) -> None:
    store, model, size = desk
    model.set_query(CaseQuery(filter=CaseFilter.ALL, search=before))
    typed = before + key

    def type_before() -> None:
        model.set_search(before)

    def keystroke() -> None:
        model.set_search(typed)
        _screen(model)

    params = {"pattern": like_pattern(typed)}
    order = "c.effective_due, c.id"
    counts = True  # the model counts whenever the first page is full
    indexed = _raw(store, _LIKE, order, params, count=counts)
    scan = _raw(store, _LIKE, order, params, count=counts, trigram_index=False)
    title = f"keystroke: {what}"
    ours_ms, indexed_ms = _measure(benchmark, store, title, size, keystroke, indexed, type_before)
    found = model.rowCount()
    assert found > 0
    _, scan_ms = interleaved(keystroke, scan, setup=type_before, rounds=ROUNDS)
    record(
        f"server: {title}",
        size,
        ours_ms,
        baseline=scan_ms,
        baseline_is=f"LIKE '%…%' over both keys, no trigram index: count + first page (SQL; "
        f"{found:,} found)",
        goal=KEYSTROKE,
    )
    record(
        f"server: {title} (same SQL)",
        size,
        ours_ms,
        baseline=indexed_ms,
        baseline_is="the same LIKE with the trigram index: count + first page (SQL)",
        goal=Goal(ratio=PAGE.ratio),
    )

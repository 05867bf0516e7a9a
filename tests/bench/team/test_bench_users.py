"""Two, five and ten members of a team working the same server at once (issue 15, point 7):
operations per second in total, the slowest 1% of operations, and the conflicts they met.

Each member is a spawned process connected as its own login role (made with the desk's
add-member code: the first a DPO, the others caseworkers), working without pause for
DSAR_TEAM_BENCH_SECONDS (20 by default) through tests/bench/team/users.MIX over a working
copy of the seeded database of each size. The members' processes, the server and this run
share the machine's cores: the figures say what the whole machine managed, not a server.

Run with (see tests/bench/team/test_bench_pages.py for the whole team table):

    DSAR_TEST_PG_URL=postgresql://postgres:…@127.0.0.1:55461/postgres \\
        .venv/bin/python -m pytest tests/bench/team -p no:cacheprovider -o addopts=""
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import func, select

from app.models import Case
from app.store import open_store
from app.team.changes import latest_mark
from tests.bench.tally import Goal, record
from tests.bench.team.server import bench_members, drop_database, ensure_members, working_copy
from tests.bench.team.users import (
    MIX,
    MemberRun,
    TeamRun,
    actors_of_new_events,
    log_hot_cases,
    member_desk,
)
from tests.engines import Cluster

SECONDS = float(os.environ.get("DSAR_TEAM_BENCH_SECONDS", "20"))
TEAMS = (2, 5, 10)


@pytest.fixture(scope="module")
def shared_copy(bench_cluster: Cluster, team_database: str) -> Iterator[tuple[str, list[int], int]]:
    """A writable copy of the seeded database, its hot cases, and its seeded size."""
    ensure_members(bench_cluster, bench_members(max(TEAMS)))
    copy = working_copy(bench_cluster, team_database)
    dpo = open_store(bench_cluster.url(copy, bench_members(1)[0].name))
    try:
        with dpo.read() as session:
            size = int(session.execute(select(func.count()).select_from(Case)).scalar_one())
        hot = log_hot_cases(dpo, on=date.today())
    finally:
        dpo.close()
    yield copy, hot, size
    drop_database(bench_cluster, copy)


@pytest.mark.parametrize("users", TEAMS, ids=lambda n: f"{n}-users")
def test_members_working_at_once(
    bench_cluster: Cluster, shared_copy: tuple[str, list[int], int], users: int
) -> None:
    copy, hot, size = shared_copy
    members = bench_members(users)
    watcher = open_store(bench_cluster.url(copy, members[0].name))
    try:
        mark = latest_mark(watcher)
        team = _run_together(bench_cluster, copy, [m.name for m in members], hot)
        actors = actors_of_new_events(watcher, mark)
    finally:
        watcher.close()

    assert team.errors == []
    assert {run.member for run in team.members} == {m.name for m in members}
    assert all(run.latencies for run in team.members), "a member did nothing"
    # Every save is on the record once, under the name of the member who made it.
    assert actors == {run.member: run.writes for run in team.members if run.writes}

    by_operation = ", ".join(f"{op} {team.p99_ms(op):,.0f}" for op in MIX if team.latencies(op))
    record(
        f"server: {users} members at once: operations per second",
        size,
        team.per_second,
        unit="op/s",
        baseline_is=(
            f"{team.operations:,} operations in {team.seconds:.1f} s; "
            f"{team.conflicts} conflicts in {team.writes:,} saves; "
            f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        ),
        goal=Goal(),
    )
    record(
        f"server: {users} members at once: slowest 1% (p99)",
        size,
        team.p99_ms(),
        baseline=team.median_ms(),
        baseline_is=f"median of the same operations; p99 ms by operation: {by_operation}",
    )


def _run_together(cluster: Cluster, database: str, names: list[str], hot: list[int]) -> TeamRun:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(names))
    results = context.Queue()
    processes = [
        context.Process(
            target=member_desk,
            args=(cluster.url(database, name), name, hot, SECONDS, n, start, results),
            name=f"desk-{name}",
        )
        for n, name in enumerate(names)
    ]
    for process in processes:
        process.start()
    try:
        runs: list[MemberRun] = [results.get(timeout=SECONDS + 600) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=60)
    return TeamRun(runs, max(run.seconds for run in runs))

"""The search record at speed, each against a bare baseline measured in the same run:
logging a request with its nine-task plan against logging it with no plan; reading the plan
for the Searches tab against reading the case; the reminders of 1,000 open cases with plans
against the same store without them.

Run: .venv/bin/python -m pytest tests/bench/test_bench_searches.py -o addopts="" \
     --benchmark-enable -p no:cacheprovider -s
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from app import cases, searches
from app.domain import Channel, RequestType
from app.readmodels import RequesterDetails
from app.reminders import due_reminders
from app.store import Store, open_store
from app.systems import list_systems, retire_system
from tests.bench.test_bench_letters import _interleaved_medians
from tests.conftest import TODAY

OPEN_CASES = 1_000


def _log(store: Store, n: int) -> int:
    return cases.log_request(
        store,
        RequesterDetails(name=f"Requester {n}", email=f"r{n}@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=TODAY - timedelta(days=n % 25),
        today=TODAY,
    ).id


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store]]:
    """(with plans, without): the same open cases; the second has every system retired and
    no search tasks."""
    folder = tmp_path_factory.mktemp("bench-searches")
    planned = open_store(folder / "planned.sqlite")
    for n in range(OPEN_CASES):
        _log(planned, n)
    planned.backup(folder / "bare.sqlite")
    with closing(sqlite3.connect(folder / "bare.sqlite")) as raw:
        raw.execute("DELETE FROM search_tasks")
        raw.commit()
    bare = open_store(folder / "bare.sqlite")
    for system in list_systems(bare):
        retire_system(bare, system.id)
    yield planned, bare
    planned.close()
    bare.close()


def test_logging_with_a_plan(benchmark: BenchmarkFixture, stores: tuple[Store, Store]) -> None:
    planned, bare = stores
    counter = iter(range(10**6, 10**7))
    bare_median, plan_median = _interleaved_medians(
        lambda: _log(bare, next(counter)), lambda: _log(planned, next(counter)), rounds=40
    )
    benchmark.pedantic(lambda: _log(planned, next(counter)), rounds=20, iterations=1)
    ratio = plan_median / bare_median
    print(
        f"\nlog a request, no plan: {bare_median * 1000:.1f} ms; with its 9-task plan: "
        f"{plan_median * 1000:.1f} ms; ratio {ratio:.2f}"
    )
    assert ratio < 3


def test_reading_the_plan(benchmark: BenchmarkFixture, stores: tuple[Store, Store]) -> None:
    planned, _ = stores
    case_id = 1
    assert len(searches.plan(planned, case_id)) == 9
    case_median, plan_median = _interleaved_medians(
        lambda: cases.get_case(planned, case_id),
        lambda: searches.plan_counts(searches.plan(planned, case_id)),
        rounds=200,
    )
    benchmark.pedantic(lambda: searches.plan(planned, case_id), rounds=100, iterations=1)
    print(
        f"\nread the case: {case_median * 1000:.2f} ms; read its plan and counts: "
        f"{plan_median * 1000:.2f} ms; ratio {plan_median / case_median:.2f}"
    )


def test_reminders_with_plans(benchmark: BenchmarkFixture, stores: tuple[Store, Store]) -> None:
    planned, bare = stores
    bare_median, plan_median = _interleaved_medians(
        lambda: due_reminders(bare, on=TODAY), lambda: due_reminders(planned, on=TODAY), rounds=10
    )
    benchmark.pedantic(lambda: due_reminders(planned, on=TODAY), rounds=5, iterations=1)
    print(
        f"\nreminders of {OPEN_CASES:,}+ open cases without plans: {bare_median * 1000:.0f} ms; "
        f"with 9 tasks each: {plan_median * 1000:.0f} ms; ratio {plan_median / bare_median:.2f}"
    )


def test_the_two_stores_differ_only_in_plans(stores: tuple[Store, Store]) -> None:
    planned, bare = stores
    assert searches.counts(planned, 2).total == 9
    assert searches.counts(bare, 2).total == 0

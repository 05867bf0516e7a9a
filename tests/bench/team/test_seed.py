"""The team benchmark's seeded cases are the cases the desk would have written: the keys it
searches and sorts on are what app.text.fold makes of the names, emails, references and
descriptions, the deadlines are app.deadlines', and the desk lists and finds them as a member.

Runs with the benchmarks (tests/bench is not part of the default run) and needs a throw-away
cluster: DSAR_TEST_PG_URL (scripts/pg-test-cluster start FOLDER PORT prints it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from app.deadlines import Clock, case_deadlines
from app.domain import RequestType, Status
from app.listing import CaseFilter, CaseQuery, SortKey
from app.models import Case, ReferenceCounter, Requester
from app.queries import count_cases, list_cases
from app.settings import OrgSettings
from app.store import open_store
from app.text import fold
from tests.bench.team.server import bench_members, ensure_members, init_database, seed
from tests.conftest import TODAY
from tests.engines import Cluster

CASES = 3000


@pytest.fixture(scope="module")
def seeded(bench_cluster: Cluster) -> Iterator[str]:
    name = "dsar_bench_seed_check"
    init_database(bench_cluster, name)
    seed(bench_cluster.url(name, "owner"), CASES, today=TODAY)
    yield name
    bench_cluster.drop_database(name)


def test_seeded_keys_and_deadlines_are_the_desks(bench_cluster: Cluster, seeded: str) -> None:
    settings = OrgSettings()
    dpo = bench_members(1)[0]
    ensure_members(bench_cluster, [dpo])
    store = open_store(bench_cluster.url(seeded, dpo.name))
    try:
        with store.read() as session:
            rows = session.execute(select(Case, Requester).join(Case.requester)).all()
            counters = dict(
                session.execute(select(ReferenceCounter.year, ReferenceCounter.last_number)).all()
            )
    finally:
        store.close()
    assert len(rows) == CASES
    statuses = Counter(case.status for case, _ in rows)
    assert set(statuses) == {Status.OPEN, Status.CLOSED, Status.AWAITING_CLARIFICATION}
    assert 0.5 < statuses[Status.OPEN] / CASES < 0.7  # 6 in 10, drawn at random
    assert len({case.request_type for case, _ in rows}) == len(RequestType)
    for case, person in rows:
        assert case.search_key == f"{fold(case.reference)} {fold(person.name)} {fold(person.email)}"
        assert case.requester_sort == fold(person.name)
        assert case.description_key == fold(case.description)
        assert person.email == f"{person.email_key}" and person.email.endswith(
            f"{case.id - 1}@example.org"
        )
        assert 0 <= (TODAY - case.received_on).days <= 3 * 365
        dues = case_deadlines(
            Clock(
                start=case.received_on,
                marketing_opt_out=case.request_type == RequestType.MARKETING_OPT_OUT,
                region=settings.region,
                promise_days=settings.promise_days,
            )
        )
        assert (case.statutory_due, case.promised_due, case.effective_due) == (
            dues.statutory,
            dues.promised,
            dues.effective,
        )
    by_year = Counter(case.received_on.year for case, _ in rows)
    assert counters == dict(by_year)
    references = sorted(
        int(case.reference.rsplit("-", 1)[1])
        for case, _ in rows
        if case.received_on.year == TODAY.year
    )
    assert references == list(range(1, by_year[TODAY.year] + 1))


def test_a_member_lists_sorts_and_finds_the_seeded_cases(
    bench_cluster: Cluster, seeded: str
) -> None:
    member = bench_members(2)[1]
    ensure_members(bench_cluster, [member])
    store = open_store(bench_cluster.url(seeded, member.name))
    try:
        everything = CaseQuery(filter=CaseFilter.ALL, sort=SortKey.REQUESTER)
        assert count_cases(store, everything, today=TODAY) == CASES
        page = list_cases(store, everything, today=TODAY, limit=50)
        assert [fold(row.requester_name) for row in page] == sorted(
            fold(row.requester_name) for row in page
        )
        found = list_cases(store, CaseQuery(filter=CaseFilter.ALL, search="jurg"), today=TODAY)
        assert found and all("jurgen" in fold(row.requester_name) for row in found)
    finally:
        store.close()

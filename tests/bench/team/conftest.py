"""The team server the team benchmarks run on: a throw-away cluster named by
DSAR_TEST_PG_URL (its superuser's address; `scripts/pg-test-cluster start FOLDER PORT` prints
it). Without it every team benchmark is skipped."""

from __future__ import annotations

import os

import pytest

from tests.bench.conftest import SIZES
from tests.bench.team.server import bench_database
from tests.conftest import TODAY
from tests.engines import Cluster


@pytest.fixture(scope="session")
def bench_cluster() -> Cluster:
    url = os.environ.get("DSAR_TEST_PG_URL", "")
    if not url:
        pytest.skip("needs a PostgreSQL cluster: DSAR_TEST_PG_URL (scripts/pg-test-cluster)")
    return Cluster(url)


@pytest.fixture(scope="session", params=SIZES, ids=lambda size: f"{size}-cases")
def team_database(request: pytest.FixtureRequest, bench_cluster: Cluster) -> str:
    """A database of each benchmark size on the cluster (seeded once, then kept there)."""
    return bench_database(bench_cluster, request.param, today=TODAY)

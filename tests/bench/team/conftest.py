"""The team server the team benchmarks run on: a throw-away cluster named by
DSAR_TEST_PG_URL (its superuser's address; `scripts/pg-test-cluster start FOLDER PORT` prints
it). Without it every team benchmark is skipped."""

from __future__ import annotations

import os

import pytest

from tests.engines import Cluster


@pytest.fixture(scope="session")
def bench_cluster() -> Cluster:
    url = os.environ.get("DSAR_TEST_PG_URL", "")
    if not url:
        pytest.skip("needs a PostgreSQL cluster: DSAR_TEST_PG_URL (scripts/pg-test-cluster)")
    return Cluster(url)

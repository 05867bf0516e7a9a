"""Shared fixtures: a real SQLite store in tmp_path, headless Qt."""

from __future__ import annotations

import atexit
import locale
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Chain keys (and window settings) go to a throw-away config folder, never the developer's,
# and no test writes to a real system keyring (tests that want one install their own).
_CONFIG = tempfile.mkdtemp(prefix="dsar-desk-test-config-")
atexit.register(shutil.rmtree, _CONFIG, ignore_errors=True)
os.environ["XDG_CONFIG_HOME"] = _CONFIG
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from app.store import Store, open_store  # noqa: E402 (after the environment above)
from tests.engines import (  # noqa: E402
    ON_SERVER,
    Cluster,
    cluster_from_environment,
    engine_skip,
    fresh_databases,
)

TODAY = date(2026, 11, 25)
SHARED = Path(__file__).resolve().parents[2] / "shared"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): tests a SQLite file itself (its bytes, locks, pragmas, backups, "
        "FTS5, migrations of desk stores); skipped when the suite runs on PostgreSQL",
    )
    config.addinivalue_line(
        "markers", "server_only: needs a PostgreSQL server (DSAR_TEST_ENGINE=postgresql)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        why = engine_skip(item.nodeid) if ON_SERVER else ""
        if why:
            item.add_marker(pytest.mark.skip(reason=why))
        if ON_SERVER and item.get_closest_marker("sqlite_only"):
            marker = item.get_closest_marker("sqlite_only")
            reason = marker.args[0] if marker and marker.args else "SQLite-specific"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))
        if not ON_SERVER and item.get_closest_marker("server_only"):
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: DSAR_TEST_ENGINE=postgresql")
            )


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """The throw-away PostgreSQL cluster, with its template database made for this run."""
    if not ON_SERVER:
        pytest.skip("needs PostgreSQL: DSAR_TEST_ENGINE=postgresql")
    found = cluster_from_environment()
    found.prepare()
    yield found
    found.forget_template()


@pytest.fixture
def server_databases(cluster: Cluster) -> Iterator[Iterator[str]]:
    """Fresh databases on demand (next(server_databases)), dropped after the test."""
    databases = fresh_databases(cluster)
    yield databases
    databases.close()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "dsar.sqlite"


@pytest.fixture
def store_location(request: pytest.FixtureRequest, store_path: Path) -> str | Path:
    """Where the test's store is: a file in tmp_path, or (DSAR_TEST_ENGINE=postgresql) a
    fresh database on the test cluster, as the DPO."""
    if not ON_SERVER:
        return store_path
    cluster: Cluster = request.getfixturevalue("cluster")
    databases: Iterator[str] = request.getfixturevalue("server_databases")
    return cluster.url(next(databases))


@pytest.fixture
def store(store_location: str | Path) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()


@contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another program holds the store's write lock for the duration of the block."""
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


GERMAN = "de_DE.UTF-8"


@pytest.fixture
def german_locale() -> Iterator[str]:
    """The process runs under a German locale, as Qt sets it from LANG=de_DE.UTF-8 at start.

    CI generates the locale (.ci/run); without it the test cannot show anything, so it fails
    saying so rather than passing on the C locale.
    """
    saved = locale.setlocale(locale.LC_ALL)
    try:
        locale.setlocale(locale.LC_ALL, GERMAN)
    except locale.Error:
        pytest.fail(f"The {GERMAN} locale is not installed: run locale-gen (see .ci/run).")
    try:
        yield GERMAN
    finally:
        locale.setlocale(locale.LC_ALL, saved)


def finish_search_record(store: Store, case_id: int, *, on: date) -> None:
    """Record every open search task of the case as searched on `on`, nothing found: the
    search record a case needs before it can close as fulfilled (app.searches)."""
    from app import cases, searches

    email = cases.get_case(store, case_id).requester.email or "the requester's name"
    for task in searches.plan(store, case_id):
        if task.status is searches.TaskStatus.OPEN:
            searches.record_search(store, task.id, on=on, terms=email, found=False, today=on)


@pytest.fixture
def handworked_ids(store: Store) -> dict[str, int]:
    """The twenty hand-worked cases of tests/handworked.py, by key ("C01" ...)."""
    from tests import handworked

    return handworked.build(store)

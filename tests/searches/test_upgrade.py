"""A real store made at revision 0001 (tests/data/store-0001.sqlite) is upgraded: the
register appears with the policy's systems; every case still open gets a search plan, with
an event saying so; closed cases keep their record as it was (no invented searches)."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from app import cases, searches
from app.domain import DomainError, EventKind, Outcome, RequestType, Status
from app.migrations import SCHEMA_HEAD
from app.store import open_store
from app.systems import list_systems
from tests.conftest import finish_search_record
from tests.systems.test_register import POLICY

DATA = Path(__file__).resolve().parents[1] / "data" / "store-0001.sqlite"


@pytest.fixture
def old_store_path(tmp_path: Path) -> Path:
    copy = tmp_path / "upgrade" / "dsar.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(DATA, copy)
    return copy


def raw_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as raw:
        return {
            table: raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("cases", "case_events", "letters", "attachments")
        }


def test_the_0001_store_gets_the_register_and_plans_for_open_cases(old_store_path: Path) -> None:
    before = raw_counts(old_store_path)
    store = open_store(old_store_path)
    try:
        assert [s.name for s in list_systems(store)] == POLICY
        [backup] = (old_store_path.parent / "backups").iterdir()
        assert "before-upgrade-from-0001" in backup.name
        with closing(sqlite3.connect(old_store_path)) as raw:
            assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (
                SCHEMA_HEAD,
            )
            rows = raw.execute("SELECT id, status, request_type FROM cases").fetchall()
        relevant = {
            kind: [s.name for s in list_systems(store) if kind in s.request_types]
            for kind in RequestType
        }
        planned = Counter()
        for case_id, status, request_type in rows:
            tasks = searches.plan(store, case_id)
            timeline = cases.timeline(store, case_id)
            if status == Status.CLOSED:
                assert tasks == []
                assert EventKind.SEARCH_PLAN_CREATED not in [e.kind for e in timeline]
                continue
            planned[status] += 1
            assert [t.title for t in tasks] == relevant[RequestType(request_type)]
            assert all(t.status is searches.TaskStatus.OPEN for t in tasks)
            # The plan is the last thing written before the event chain sealed the record.
            assert timeline[-1].kind == EventKind.RECORDS_SEALED
            last = timeline[-2]
            assert last.kind == EventKind.SEARCH_PLAN_CREATED
            assert last.details["search_plan"] == relevant[RequestType(request_type)]
            assert last.summary.startswith("Search plan made when DSAR Desk was upgraded:")
        # Open, waiting for ID and paused cases all got a plan; 16 closed ones did not.
        assert planned == {"open": 14, "awaiting_identity": 5, "awaiting_clarification": 5}
        after = raw_counts(old_store_path)
        assert {k: after[k] for k in ("cases", "letters", "attachments")} == {
            k: before[k] for k in ("cases", "letters", "attachments")
        }
        # One plan event per planned case, then the chain's seal on every case (0003).
        sealed = after["cases"]
        assert after["case_events"] == before["case_events"] + sum(planned.values()) + sealed
    finally:
        store.close()


def test_an_upgraded_open_case_closes_once_its_search_is_recorded(old_store_path: Path) -> None:
    store = open_store(old_store_path)
    try:
        with closing(sqlite3.connect(old_store_path)) as raw:
            case_id, received = raw.execute(
                "SELECT id, received_on FROM cases WHERE status = 'open' "
                "AND request_type = 'access' ORDER BY id LIMIT 1"
            ).fetchone()
        detail = cases.get_case(store, case_id)
        on = max(detail.received_on, detail.clock_start)
        with pytest.raises(DomainError, match="search record is not finished"):
            cases.close(store, case_id, outcome=Outcome.FULFILLED, on=on, today=on)
        finish_search_record(store, case_id, on=on)
        cases.close(store, case_id, outcome=Outcome.FULFILLED, on=on, today=on)
        assert cases.get_case(store, case_id).status is Status.CLOSED
        assert str(detail.received_on) == received
    finally:
        store.close()


def test_opening_the_upgraded_store_again_changes_nothing(old_store_path: Path) -> None:
    open_store(old_store_path).close()
    once = raw_counts(old_store_path)
    store = open_store(old_store_path)
    try:
        assert len(list_systems(store)) == len(POLICY)
    finally:
        store.close()
    assert raw_counts(old_store_path) == once
    assert len(list((old_store_path.parent / "backups").iterdir())) == 1

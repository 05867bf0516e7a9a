"""`dsar-desk team import STORE.sqlite URL` moves the demo store onto the server: every row,
the same bytes, the events re-sealed by the server under the original authors, Verify records
passing there; and it refuses a second import."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import cases
from app.demo import fill_demo
from app.domain import Channel, RequestType
from app.integrity.verify import verify_store
from app.models import Base
from app.readmodels import RequesterDetails
from app.store import open_store
from app.team.importer import ORDER, SERVER_SETTINGS
from tests.engines import Cluster
from ui.main import main

pytestmark = pytest.mark.server_only

TODAY = date(2026, 11, 25)


@pytest.fixture
def database(server_databases: Iterator[str]) -> str:
    return next(server_databases)


@pytest.fixture
def demo_store(tmp_path: Path) -> Path:
    path = tmp_path / "desk" / "dsar.sqlite"
    store = open_store(path)
    try:
        fill_demo(store, today=TODAY, count=16)
    finally:
        store.close()
    return path


def _rows(location: str | Path) -> tuple[dict[str, int], list[tuple[object, ...]]]:
    """Rows per table (the server's own chain settings aside) and every event's author,
    time, kind and personal hash in the chain's order."""
    store = open_store(location)
    tables = Base.metadata.tables
    try:
        with store.read() as session:
            counts = {}
            for name in ORDER:
                statement = select(func.count()).select_from(tables[name])
                if name == "settings":
                    statement = statement.where(
                        tables[name].c.key.not_in(SERVER_SETTINGS),
                        tables[name].c.key != "team.imported_from",
                    )
                counts[name] = int(session.execute(statement).scalar_one())
            events = tables["case_events"]
            history = [
                tuple(row)
                for row in session.execute(
                    select(
                        events.c.id,
                        events.c.actor,
                        events.c.at,
                        events.c.kind,
                        events.c.personal_hash,
                    ).order_by(events.c.seq)
                )
            ]
    finally:
        store.close()
    return counts, history


def test_team_import_moves_the_demo_store_and_verify_records_passes_on_the_server(
    cluster: Cluster, database: str, demo_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = cluster.url(database, "owner")
    assert main(["team", "import", str(demo_store), owner]) == 0
    said = capsys.readouterr().out
    assert "files matched their SHA-256" in said
    assert "All records verified" in said  # on the server, before the import committed

    desk_counts, desk_history = _rows(demo_store)
    server_counts, server_history = _rows(cluster.url(database, "dsar_dpo"))
    assert server_counts == desk_counts
    assert desk_counts["cases"] == 16 and desk_counts["case_events"] > 16
    assert server_history == desk_history  # same authors, times and order

    dpo = open_store(cluster.url(database, "dsar_dpo"))
    desk = open_store(demo_store)
    try:
        report = verify_store(dpo)
        assert report.sound and not report.notices, report.summary()
        first = cases.get_case(desk, 1).id
        assert cases.timeline(dpo, first) == cases.timeline(desk, first)
        # The server goes on from there: the next case's events are sealed by it too.
        logged = cases.log_request(
            dpo,
            RequesterDetails(name="Zoë Next", email="zoe@example.org", postal_address=""),
            request_type=RequestType.ACCESS,
            channel=Channel.EMAIL,
            on=TODAY,
            today=TODAY,
        )
        assert logged.id == desk_counts["cases"] + 1
        assert verify_store(dpo).sound
    finally:
        dpo.close()
        desk.close()


def test_team_import_refuses_twice_and_changes_nothing(
    cluster: Cluster, database: str, demo_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = cluster.url(database, "owner")
    assert main(["team", "import", str(demo_store), owner]) == 0
    counts_after_first, _ = _rows(cluster.url(database, "dsar_dpo"))
    capsys.readouterr()
    assert main(["team", "import", str(demo_store), owner]) == 1
    assert "already imported" in capsys.readouterr().err
    assert _rows(cluster.url(database, "dsar_dpo"))[0] == counts_after_first

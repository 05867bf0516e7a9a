"""The server extends the event chain itself: the author is the connected role whatever the
client claims, only the DPO can read the key, and Verify records finds an event changed
behind the guard even by the server's superuser."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from app import cases
from app.domain import Channel, RequestType
from app.integrity.seal import KeyStatus
from app.integrity.verify import verify_store
from app.readmodels import RequesterDetails
from app.store import open_store
from app.team.address import parse_address
from tests.engines import MEMBERS, Cluster

pytestmark = pytest.mark.server_only

ANN = RequesterDetails(name="Ann Example", email="ann@example.org", postal_address="1 High St")


@pytest.fixture
def database(server_databases: Iterator[str]) -> str:
    return next(server_databases)


@pytest.fixture
def logged(cluster: Cluster, database: str) -> int:
    """A case the caseworker logged and noted."""
    store = open_store(cluster.url(database, "dsar_caseworker"))
    try:
        case_id = cases.log_request(
            store, ANN, request_type=RequestType.ACCESS, channel=Channel.EMAIL, on=date(2026, 11, 2)
        ).id
        cases.add_note(store, case_id, "Called the requester back.")
        return case_id
    finally:
        store.close()


def test_the_server_names_the_author_and_only_the_dpo_verifies(
    cluster: Cluster, database: str, logged: int
) -> None:
    caseworker = open_store(cluster.url(database, "dsar_caseworker"))
    dpo = open_store(cluster.url(database, "dsar_dpo"))
    try:
        assert {e.actor for e in cases.timeline(dpo, logged)} == {MEMBERS["dsar_caseworker"]}
        refused = verify_store(caseworker)
        assert refused.key_status is KeyStatus.DENIED
        assert not refused.sound and "only the DPO" in refused.summary()
        assert verify_store(dpo).sound
    finally:
        caseworker.close()
        dpo.close()


def test_verify_records_finds_an_event_changed_behind_the_guard(
    cluster: Cluster, database: str, logged: int
) -> None:
    address = parse_address(cluster.url(database, "superuser"))
    engine = create_engine(address.url(), connect_args=address.connect_args())
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            changed = connection.execute(
                text(
                    "UPDATE case_events SET actor = 'someone_else' "
                    "WHERE case_id = :c AND kind = 'note'"
                ),
                {"c": logged},
            ).rowcount
        assert changed == 1
    finally:
        engine.dispose()
    dpo = open_store(cluster.url(database, "dsar_dpo"))
    try:
        report = verify_store(dpo)
    finally:
        dpo.close()
    assert report.breaks, report.summary()
    assert any(f.case_id == logged for f in report.breaks)

"""The three roles are the server's to enforce: a caseworker's own connection, typing raw SQL,
can change neither the settings nor erase a case; the app says so in words (NotPermitted)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError

from app import cases, retention, settings
from app.domain import Channel, Outcome, RequestType
from app.readmodels import RequesterDetails
from app.store import NotPermitted, ReadOnlyStore, Store, open_store
from app.team.address import parse_address
from app.team.roles import GROUPS
from app.team.server import INSUFFICIENT_PRIVILEGE, sqlstate
from tests.conftest import finish_search_record
from tests.engines import MEMBERS, Cluster

pytestmark = pytest.mark.server_only

ANN = RequesterDetails(name="Ann Példa", email="ann@example.org", postal_address="1 High St")
CLOSED_ON = date(2020, 3, 2)
LONG_AFTER = date(2040, 1, 1)  # past every retention period


@pytest.fixture
def database(server_databases: Iterator[str]) -> str:
    return next(server_databases)


def _open(cluster: Cluster, database: str, group: str) -> Store:
    return open_store(cluster.url(database, group))


@pytest.fixture
def closed_case(cluster: Cluster, database: str) -> int:
    """A case the DPO logged and closed long ago: due for erasure; the settings saved."""
    store = _open(cluster, database, "dsar_dpo")
    try:
        settings.save_settings(store, settings.OrgSettings(org_name="Acme Ltd"))
        case_id = cases.log_request(
            store, ANN, request_type=RequestType.ACCESS, channel=Channel.EMAIL, on=CLOSED_ON
        ).id
        finish_search_record(store, case_id, on=CLOSED_ON)
        cases.close(store, case_id, outcome=Outcome.FULFILLED, on=CLOSED_ON, today=CLOSED_ON)
        return case_id
    finally:
        store.close()


@pytest.fixture
def caseworker_sql(cluster: Cluster, database: str) -> Iterator[Connection]:
    """The caseworker's own connection to the server, autocommitting each statement."""
    address = parse_address(cluster.url(database, "dsar_caseworker"))
    engine = create_engine(
        address.url(), connect_args=address.connect_args(), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def test_init_made_three_nested_group_roles(cluster: Cluster, database: str) -> None:
    store = _open(cluster, database, "dsar_dpo")
    try:
        with store.read() as session:
            rows = session.execute(
                text(
                    "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY(:g) "
                    "ORDER BY rolname"
                ),
                {"g": list(GROUPS)},
            ).all()
            inside = session.execute(
                text(
                    "SELECT pg_has_role('dsar_dpo', 'dsar_caseworker', 'MEMBER'), "
                    "pg_has_role('dsar_caseworker', 'dsar_viewer', 'MEMBER'), "
                    "pg_has_role('dsar_caseworker', 'dsar_dpo', 'MEMBER')"
                )
            ).one()
    finally:
        store.close()
    assert rows == [("dsar_caseworker", False), ("dsar_dpo", False), ("dsar_viewer", False)]
    assert tuple(inside) == (True, True, False)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE settings SET value = '\"Evil Ltd\"' WHERE key = 'org.org_name'",
        "UPDATE settings SET key = 'notify.last_x' WHERE key = 'org.org_name'",
        "INSERT INTO settings (key, value) VALUES ('mail.host', '\"evil.example\"')",
        "DELETE FROM settings",
        "UPDATE letter_templates SET body = 'x'",
        "INSERT INTO systems (name) VALUES ('x')",
        "UPDATE cases SET erased_on = current_date",
        "DELETE FROM cases",
        "DELETE FROM letters",
        "DELETE FROM attachments",
        "DELETE FROM requesters",
        "UPDATE case_events SET summary = 'Case file erased'",
        "DELETE FROM case_events",
        "SELECT key FROM chain_key",
        "UPDATE chain_tail SET seq = 0",
        "ALTER TABLE case_events DISABLE TRIGGER case_events_no_update",
        "DROP TRIGGER case_events_no_delete ON case_events",
        "ALTER TABLE settings DISABLE ROW LEVEL SECURITY",
        "SET session_replication_role = replica",
        "SET ROLE dsar_dpo",
    ],
)
def test_a_caseworker_cannot_change_settings_or_erase_even_in_raw_sql(
    closed_case: int, caseworker_sql: Connection, statement: str
) -> None:
    before = _everything(caseworker_sql)
    with pytest.raises(DBAPIError) as refused:
        caseworker_sql.exec_driver_sql(statement)
    assert sqlstate(refused.value) == INSUFFICIENT_PRIVILEGE, refused.value
    assert _everything(caseworker_sql) == before


def _everything(connection: Connection) -> tuple[object, ...]:
    """What a refused statement must leave as it was (as far as a caseworker can read)."""
    return (
        connection.execute(text("SELECT key, value::text FROM settings ORDER BY key")).all(),
        connection.execute(text("SELECT id, erased_on, status FROM cases ORDER BY id")).all(),
        connection.execute(text("SELECT id, name, email FROM requesters ORDER BY id")).all(),
        connection.execute(text("SELECT id, summary, salt FROM case_events ORDER BY id")).all(),
        connection.execute(text("SELECT count(*) FROM letters")).scalar(),
    )


def test_the_app_says_a_caseworker_may_not_and_changes_nothing(
    cluster: Cluster, database: str, closed_case: int
) -> None:
    store = _open(cluster, database, "dsar_caseworker")
    try:
        with pytest.raises(NotPermitted, match="caseworker"):
            settings.save_settings(store, settings.OrgSettings(org_name="Evil Ltd"))
        with pytest.raises(NotPermitted):
            retention.erase_case(store, closed_case, today=LONG_AFTER)
        assert settings.load_settings(store).org_name == "Acme Ltd"
        detail = cases.get_case(store, closed_case)
        assert detail.requester.name == ANN.name
        # ...while their own work on cases goes through, under their own name.
        logged = cases.log_request(
            store, ANN, request_type=RequestType.ERASURE, channel=Channel.POST, on=CLOSED_ON
        )
        assert [e.actor for e in cases.timeline(store, logged.id)] == [MEMBERS["dsar_caseworker"]]
    finally:
        store.close()
    dpo = _open(cluster, database, "dsar_dpo")
    try:
        erased = retention.erase_case(dpo, closed_case, today=LONG_AFTER)
        assert erased.case_id == closed_case
    finally:
        dpo.close()


def test_a_viewer_reads_and_cannot_write(cluster: Cluster, database: str, closed_case: int) -> None:
    store = _open(cluster, database, "dsar_viewer")
    try:
        assert store.read_only
        assert cases.get_case(store, closed_case).requester.name == ANN.name
        with pytest.raises(ReadOnlyStore, match="viewer"):
            cases.add_note(store, closed_case, "a note")
    finally:
        store.close()

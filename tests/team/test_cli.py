"""`dsar-desk team init URL` on an empty database, then `team add-member`: the new member
opens the team's store under their own role."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

import pytest

from app.store import open_store
from app.team.roles import TeamRole
from tests.engines import OWNER, PASSWORD, Cluster
from ui.main import main

pytestmark = pytest.mark.server_only


@pytest.fixture
def empty_database(cluster: Cluster) -> Iterator[str]:
    name = f"dsar_empty_{os.getpid()}"
    engine = cluster.admin()
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.exec_driver_sql(f"CREATE DATABASE {name} OWNER {OWNER}")
            connection.exec_driver_sql("DROP ROLE IF EXISTS cli_new_member")
    finally:
        engine.dispose()
    yield name
    cluster.drop_database(name)
    engine = cluster.admin()
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("DROP ROLE IF EXISTS cli_new_member")
    finally:
        engine.dispose()


def test_init_then_add_member_and_the_member_opens_the_store(
    cluster: Cluster,
    empty_database: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner = cluster.url(empty_database, "owner")
    assert main(["team", "init", owner]) == 0
    assert "schema nothing -> 0009" in capsys.readouterr().out
    assert main(["team", "init", owner]) == 0  # again: nothing to do, nothing broken
    assert "schema 0009 -> 0009" in capsys.readouterr().out

    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    added = ["team", "add-member", owner, "cli_new_member", "caseworker", "--password-stdin"]
    assert main(added) == 0
    member = cluster.url(empty_database, "cli_new_member")  # with PASSWORD
    store = open_store(member)
    try:
        assert store.role is TeamRole.CASEWORKER
        assert store.actor == "cli_new_member"
    finally:
        store.close()


def test_add_member_refuses_a_password_the_sign_in_cannot_use(
    cluster: Cluster,
    empty_database: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PostgreSQL would take it, but pg8000's SCRAM sign-in (SASLprep) refuses an emoji:
    the member could never log in, so nobody is added."""
    owner = cluster.url(empty_database, "owner")
    assert main(["team", "init", owner]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a long key 🔑 phrase\n"))
    added = ["team", "add-member", owner, "cli_new_member", "caseworker", "--password-stdin"]
    assert main(added) != 0
    assert "secure sign-in (SCRAM) cannot use" in capsys.readouterr().err
    engine = cluster.admin()
    try:
        with engine.connect() as connection:
            assert not connection.exec_driver_sql(
                "SELECT 1 FROM pg_roles WHERE rolname = 'cli_new_member'"
            ).scalar()
    finally:
        engine.dispose()

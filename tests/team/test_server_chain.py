"""The server extends the event chain itself: the author is the connected role whatever the
client claims, only the DPO can read the key, and Verify records finds an event changed
behind the guard even by the server's superuser; the DPO (only) exports the key, so a case
file exported from the server is verified offline."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import cases
from app.domain import Channel, RequestType
from app.integrity.keys import KeyFileError
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


def test_only_the_dpo_exports_the_key_and_a_case_file_from_the_server_verifies_offline(
    cluster: Cluster, database: str, logged: int, tmp_path: Path
) -> None:
    from app.integrity.casefile import export_case_file
    from app.team.cli import main as team

    refused = tmp_path / "caseworker.key"
    assert team(["export-key", cluster.url(database, "dsar_caseworker"), str(refused)]) == 1
    caseworker = open_store(cluster.url(database, "dsar_caseworker"))
    try:
        assert caseworker.chain is not None
        with pytest.raises(KeyFileError, match="Only a member of dsar_dpo"):
            caseworker.chain.export_key(refused)
    finally:
        caseworker.close()
    assert not refused.exists()

    key_file = tmp_path / "usb" / "team.key"
    assert team(["export-key", cluster.url(database, "dsar_dpo"), str(key_file)]) == 0
    assert key_file.stat().st_mode & 0o777 == 0o600
    dpo = open_store(cluster.url(database, "dsar_dpo"))
    try:
        case_file = export_case_file(dpo, logged, tmp_path / "case.zip")
    finally:
        dpo.close()
    # On another computer: no connection to the server, no key but the exported file.
    elsewhere = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "elsewhere")}
    without = _verify(case_file, env=elsewhere)
    assert without.returncode == 2 and "NOT PROVED" in without.stdout
    checked = _verify(case_file, "--key", str(key_file), env=elsewhere)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("VERIFIED case.zip")


def _verify(case_file: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui", "verify", str(case_file), *args],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        timeout=120,
    )

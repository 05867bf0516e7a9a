"""Two members, two processes, one case: both open the same version and save at once. The
server lets one through; the other gets the conflict message and loses nothing (it reloads
and saves again), and each event carries the name of the member who made it.

The processes are real (spawned Pythons, each with its own connection as its own role), so
nothing is shared but the server."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from app import cases
from app.domain import Channel, ConcurrentChange, EventKind, RequestType
from app.integrity.verify import verify_store
from app.readmodels import RequesterDetails
from app.store import open_store
from tests.engines import MEMBERS, Cluster

pytestmark = pytest.mark.server_only

ANN = RequesterDetails(name="Ann Example", email="ann@example.org", postal_address="1 High St")
WAIT_SECONDS = 60


def _member(url: str, case_id: int, note: str, barrier: Any, results: Any) -> None:
    """One member's desk: open the case, wait for the other, save a note on that version;
    on the conflict, reload and save again (what the window does after its message)."""
    store = open_store(url)
    try:
        version = cases.get_case(store, case_id).version
        barrier.wait(WAIT_SECONDS)
        try:
            cases.add_note(store, case_id, note, expected_version=version)
            conflict = ""
        except ConcurrentChange as exc:
            conflict = str(exc)
            again = cases.get_case(store, case_id).version
            cases.add_note(store, case_id, note, expected_version=again)
        results.put((note, store.actor, conflict))
    finally:
        store.close()


@pytest.fixture
def database(server_databases: Iterator[str]) -> str:
    return next(server_databases)


def test_two_members_editing_one_case_get_the_conflict_and_both_notes_stay(
    cluster: Cluster, database: str
) -> None:
    dpo = open_store(cluster.url(database, "dsar_dpo"))
    try:
        case_id = cases.log_request(
            dpo, ANN, request_type=RequestType.ACCESS, channel=Channel.EMAIL, on=date(2026, 11, 2)
        ).id
        start_version = cases.get_case(dpo, case_id).version
    finally:
        dpo.close()

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    members = {
        "from the DPO": cluster.url(database, "dsar_dpo"),
        "from the caseworker": cluster.url(database, "dsar_caseworker"),
    }
    processes = [
        context.Process(target=_member, args=(url, case_id, note, barrier, results))
        for note, url in members.items()
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=WAIT_SECONDS * 2) for _ in processes]
    for process in processes:
        process.join(WAIT_SECONDS)
        assert process.exitcode == 0

    by_note = {note: (actor, conflict) for note, actor, conflict in outcomes}
    assert by_note["from the DPO"][0] == MEMBERS["dsar_dpo"]
    assert by_note["from the caseworker"][0] == MEMBERS["dsar_caseworker"]
    conflicts = [conflict for _actor, conflict in by_note.values() if conflict]
    assert len(conflicts) == 1, by_note  # exactly one of them saved first
    assert "changed elsewhere" in conflicts[0] or "same moment" in conflicts[0]

    dpo = open_store(cluster.url(database, "dsar_dpo"))
    try:
        notes = [e for e in cases.timeline(dpo, case_id) if e.kind == EventKind.NOTE]
        assert {(e.details["text"], e.actor) for e in notes} == {
            ("from the DPO", MEMBERS["dsar_dpo"]),
            ("from the caseworker", MEMBERS["dsar_caseworker"]),
        }
        assert cases.get_case(dpo, case_id).version == start_version + 2
        report = verify_store(dpo)
        assert report.sound, report.breaks
    finally:
        dpo.close()

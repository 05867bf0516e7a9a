"""A process killed with SIGKILL in the middle of writing loses nothing it reported as
committed, and leaves a store that opens and passes SQLite's integrity check."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from app.store import open_store

ROOT = Path(__file__).resolve().parents[1]

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from app import cases
    from app.domain import Channel, RequestType
    from app.readmodels import RequesterDetails
    from app.store import open_store

    store = open_store(sys.argv[1])
    n = 0
    while True:
        n += 1
        case = cases.log_request(
            store,
            RequesterDetails(name=f"Requester {n}", email=f"r{n}@example.org"),
            request_type=RequestType.ACCESS, channel=Channel.EMAIL,
            on=date(2026, 11, 2), description="x" * 2000, today=date(2026, 11, 25),
        )
        cases.add_note(store, case.id, f"note {n}")
        print(case.reference, flush=True)  # reported only after both commits returned
    """
)


def _spawn(store_path: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store_path), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 17, 60])
def test_sigkill_mid_loop_loses_nothing_reported(tmp_path: Path, kill_after: int) -> None:
    store_path = tmp_path / "crash" / "dsar.sqlite"
    open_store(store_path).close()
    child = _spawn(store_path)
    assert child.stdout is not None
    reported = []
    for line in child.stdout:
        reported.append(line.strip())
        if len(reported) >= kill_after:
            break
    os.kill(child.pid, signal.SIGKILL)  # in the middle of the next log_request/add_note
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    child.stdout.close()
    if child.stderr:
        child.stderr.close()

    with closing(sqlite3.connect(store_path)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    store = open_store(store_path)
    try:
        with closing(sqlite3.connect(store_path)) as raw:
            stored = [row[0] for row in raw.execute("SELECT reference FROM cases ORDER BY id")]
            events = raw.execute("SELECT count(*) FROM case_events").fetchone()[0]
            counter = raw.execute("SELECT last_number FROM reference_counters").fetchone()[0]
        assert set(reported) <= set(stored)
        # No gaps, no duplicates: the counter and the cases agree exactly.
        assert stored == [f"DSR-2026-{n:04d}" for n in range(1, len(stored) + 1)]
        assert counter == len(stored)
        # Each case has its logged event, and a note unless killed between the two writes.
        assert len(stored) * 2 - 1 <= events <= len(stored) * 2
    finally:
        store.close()


@pytest.mark.slow
def test_two_processes_writing_at_once_get_distinct_gapless_references(
    tmp_path: Path,
) -> None:
    store_path = tmp_path / "shared" / "dsar.sqlite"
    open_store(store_path).close()
    writers = [_spawn(store_path) for _ in range(2)]
    seen: list[list[str]] = [[], []]
    for index, child in enumerate(writers):
        assert child.stdout is not None
        for line in child.stdout:
            seen[index].append(line.strip())
            if len(seen[index]) >= 25:
                break
    for child in writers:
        child.kill()
        child.wait(timeout=30)
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()
    assert not set(seen[0]) & set(seen[1])
    with closing(sqlite3.connect(store_path)) as raw:
        stored = sorted(row[0] for row in raw.execute("SELECT reference FROM cases"))
    assert stored == [f"DSR-2026-{n:04d}" for n in range(1, len(stored) + 1)]
    assert set(seen[0]) | set(seen[1]) <= set(stored)

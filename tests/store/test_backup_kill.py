"""SIGKILL in the middle of the daily backup, 20 times: a good backup always exists, and the
next start makes today's (issue 9 point 2). Before the fix a killed backup left a partial
`-daily` file under its final name, which counted as today's backup and blocked every retry
that day."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.attachments import add_attachment
from app.backups import backup_folder, daily_backup, list_backups
from app.store import open_store
from tests.store.helpers import add_case, integrity, references_in

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20

# Opens the store as a start of the desk does and takes the daily backup; says when the copy
# has begun so the test can kill it part-way.
BACKER = textwrap.dedent(
    """
    import sys
    from app.backups import daily_backup
    from app.store import open_store

    store = open_store(sys.argv[1])
    started = []

    def progress(done, total):
        if not started:
            started.append(1)
            print("copying", flush=True)
        return True

    daily_backup(store, progress=progress)
    print("done", flush=True)
    """
)


@pytest.mark.slow
def test_sigkill_during_the_daily_backup(tmp_path: Path) -> None:
    store_path = tmp_path / "store" / "dsar.sqlite"
    store = open_store(store_path)
    issued = [add_case(store, f"Person {n}") for n in range(5)]
    # About 24 MB, so the copy takes a dozen steps and a kill lands inside it.
    add_attachment(store, 1, filename="scan.tif", content=os.urandom(24_000_000), kind="other")
    began = time.perf_counter()
    yesterday = daily_backup(store)
    # Kills land at random points of a copy as long as this machine takes for one (a fixed
    # window would land after the end on a fast idle machine and before it on a loaded one).
    copy_time = time.perf_counter() - began
    assert yesterday is not None
    store.close()
    stamp = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y%m%dT%H%M%S")
    older = yesterday.with_name(yesterday.name.replace(yesterday.name[5:20], stamp))
    yesterday.rename(older)

    rng = random.Random(9)
    killed_mid_copy = 0
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", BACKER, str(store_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "copying"
        if rng.random() < 0.9:  # now and then a kill right at the start
            time.sleep(rng.uniform(0, 0.8 * copy_time))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate(timeout=30)
        if child.returncode == -signal.SIGKILL and "done" not in out:
            killed_mid_copy += 1
        folder = backup_folder(store_path)
        finished = list_backups(store_path)
        assert older in finished  # a good backup exists, untouched by the kill
        for backup in finished:
            assert integrity(backup) == [("ok",)], backup
            assert references_in(backup) == issued
        # The next start: whatever the kill left must not stand in for today's backup.
        again = open_store(store_path)
        try:
            today = [p for p in list_backups(store_path) if p != older]
            taken = daily_backup(again)
            if taken is None:  # the killed process had finished first
                assert len(today) == 1
            else:
                assert references_in(taken) == issued and integrity(taken) == [("ok",)]
        finally:
            again.close()
        assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # leftovers gone
        for backup in list_backups(store_path):
            if backup != older:
                backup.unlink()  # so the next round's start has to make today's again
    assert killed_mid_copy >= KILLS // 2, killed_mid_copy

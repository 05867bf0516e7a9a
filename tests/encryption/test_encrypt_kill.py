"""SIGKILL while a store and its backups are being encrypted: every file is whole, plain or
encrypted, never half of either nor zeroed; running it again finishes the work with the same
passphrase and leaves no plain copy behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.attachments import add_attachment
from app.backups import daily_backup, list_backups
from app.encrypt_store import encrypt_store
from app.integrity.keys import KeyStore
from app.store import open_store
from app.store_cipher import file_salt
from tests.store.helpers import add_case

ROOT = Path(__file__).resolve().parents[2]
KILLS = 9
PASSPHRASE = "killed while encrypting, and again"
NAME = "Ottoline Killjoy"

ENCRYPTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from app.encrypt_store import encrypt_store
    from app.integrity.keys import KeyStore

    print("starting", flush=True)
    encrypt_store(sys.argv[1], sys.argv[2], KeyStore(Path(sys.argv[3]), use_keyring=False))
    print("done", flush=True)
    """
)


def _references(path: Path, keys: KeyStore) -> list[str]:
    store = open_store(path, keys=keys, create=False)
    try:
        with store.read() as session:
            return list(session.execute(text("SELECT reference FROM cases ORDER BY id")).scalars())
    finally:
        store.close()


def _plain_traces(folder: Path) -> list[str]:
    """Files under `folder` still holding the requester's name in the clear (read with no
    connection open in this process)."""
    return [
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and NAME.encode() in p.read_bytes()
    ]


@pytest.mark.slow
def test_sigkill_while_encrypting_leaves_every_file_whole(tmp_path: Path) -> None:
    rng = random.Random(5)
    keys_folder = tmp_path / "keys"
    keys = KeyStore(keys_folder, use_keyring=False)
    outcomes = {"plain": 0, "encrypted": 0}
    for run in range(KILLS):
        path = tmp_path / f"run{run}" / "dsar.sqlite"
        store = open_store(path, keys=keys)
        issued = [add_case(store, NAME) for _ in range(3)]
        add_attachment(store, 1, filename="scan.tif", content=os.urandom(6_000_000), kind="other")
        daily_backup(store)
        store.close()

        child = subprocess.Popen(
            [sys.executable, "-c", ENCRYPTER, str(path), PASSPHRASE, str(keys_folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "starting"
        [backup] = list_backups(path)
        # A third of the kills land at random early on, a third while the store itself is
        # being encrypted (its backup is done), a third as soon as the store is replaced.
        watched = {0: None, 1: backup, 2: path}[run % 3]
        deadline = time.monotonic() + 60
        while watched is not None and file_salt(watched) is None:
            assert time.monotonic() < deadline
            time.sleep(0.002)
        time.sleep(rng.uniform(0.05, 1.0) if watched is None else rng.uniform(0, 0.2))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)

        # Whatever the kill left: the store and the backup open, with every case.
        encrypted = file_salt(path) is not None
        outcomes["encrypted" if encrypted else "plain"] += 1
        assert _references(path, keys) == issued
        if encrypted:  # opening it cleared the plain original a late kill left behind
            assert _plain_traces(path.parent) == []
        assert list_backups(path) == [backup]
        assert _references(backup, keys) == issued

        encrypt_store(path, PASSPHRASE, keys)  # the next try finishes the work
        assert file_salt(path) is not None and file_salt(backup) == file_salt(path)
        assert _references(path, keys) == issued
        assert _plain_traces(path.parent) == []
    print(
        f"\nkilled {KILLS} times: store left plain {outcomes['plain']}, encrypted "
        f"{outcomes['encrypted']}"
    )

"""The lost-saves run of tests/store/test_lost_saves.py on an encrypted store: two processes
(one opening the store twice and trying to attach and restore from it) save notes; every note
reported saved is in the file, and SQLCipher's page check (with its page HMACs) passes."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from app.encrypt_store import encrypt_store
from app.integrity.keys import KeyStore
from app.store import open_store
from app.store_cipher import connect, file_salt, known_key
from app.store_inspect import sqlite_uri
from tests.store.helpers import add_case
from tests.store.test_lost_saves import NOTES, run_once

RUNS = 5  # each run is two processes; the plain store's test does 20


def _reader(keys: KeyStore):  # type: ignore[no-untyped-def]
    def read(path: Path) -> set[str]:
        salt = file_salt(path)  # no connection to it is open in this process
        assert salt is not None
        key = known_key(salt, keys)
        with closing(connect(sqlite_uri(path, mode="ro"), key, uri=True)) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            return {
                row[0] for row in raw.execute("SELECT summary FROM case_events WHERE kind = 'note'")
            }

    return read


@pytest.mark.slow
def test_two_processes_on_an_encrypted_store_lose_no_save(tmp_path: Path) -> None:
    keys = KeyStore.for_user()  # the children find the key where a desk would
    lost_per_run = []
    for run in range(RUNS):
        store_path = tmp_path / f"run{run}" / "dsar.sqlite"
        store = open_store(store_path)
        add_case(store)
        store.close()
        encrypt_store(store_path, "two processes, one encrypted store", keys)
        reported, stored, refused = run_once(store_path, stored_notes=_reader(keys))
        assert len(reported) == 2 * NOTES
        assert refused == 2 * NOTES
        lost_per_run.append(len(reported - stored))
    assert lost_per_run == [0] * RUNS

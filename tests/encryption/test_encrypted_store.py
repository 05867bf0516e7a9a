"""Encryption at rest (issue 9 point 8): real store files encrypted by SQLCipher, their bytes
read back, backups taken and restored, the key recovered from the passphrase elsewhere."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from app import cases
from app.backups import (
    back_up_now,
    copy_backup_to,
    daily_backup,
    describe_backup,
    list_backups,
    restore_backup,
)
from app.encrypt_store import encrypt_store, unlock_store
from app.integrity.keys import KeyStore
from app.integrity.verify import verify_store
from app.retention import erase_case
from app.store import StoreError, StoreKeyNeeded, open_store
from app.store_cipher import SQLITE_HEADER, PassphraseRefused, file_salt
from tests.integrity.conftest import ANN, ID_SCAN, make_desk

PASSPHRASE = "correct horse battery staple"
PERSONAL = (
    ANN.name.encode(),
    ANN.email.encode(),
    b"1 High St",
    ID_SCAN[:64],
    b"Phoned Ann to confirm her address.",
)


def personal_bytes_in(path: Path) -> list[bytes]:
    data = path.read_bytes()  # no connection to `path` is open in this process here
    return [needle for needle in (*PERSONAL, SQLITE_HEADER) if needle in data]


def cases_in(path: Path, keys: KeyStore) -> int:
    """Open the store at `path` with `keys`, count its cases, close it."""
    store = open_store(path, keys=keys)
    try:
        with store.read() as session:
            return int(session.execute(text("SELECT count(*) FROM cases")).scalar_one())
    finally:
        store.close()


@pytest.fixture
def keys(tmp_path: Path) -> KeyStore:
    return KeyStore(tmp_path / "config" / "keys", use_keyring=False)


@pytest.fixture
def plain_desk(tmp_path: Path, keys: KeyStore) -> Path:
    """A closed plain store with Ann's and Bob's cases, and one daily backup beside it."""
    path = tmp_path / "store" / "dsar.sqlite"
    store = open_store(path, keys=keys)
    make_desk(store)
    daily_backup(store)
    store.close()
    assert personal_bytes_in(path) or personal_bytes_in(list_backups(path)[0])
    return path


def test_an_encrypted_store_and_its_backups_hold_no_readable_byte(
    plain_desk: Path, keys: KeyStore
) -> None:
    key = encrypt_store(plain_desk, PASSPHRASE, keys)

    assert file_salt(plain_desk) == key.salt
    assert personal_bytes_in(plain_desk) == []
    [old_backup] = list_backups(plain_desk)
    assert file_salt(old_backup) == key.salt and personal_bytes_in(old_backup) == []
    assert not Path(f"{plain_desk}-wal").exists()
    with closing(sqlite3.connect(plain_desk)) as raw, pytest.raises(sqlite3.DatabaseError):
        raw.execute("SELECT * FROM cases").fetchall()

    store = open_store(plain_desk, keys=keys)
    try:
        assert store.cipher == key
        assert verify_store(store).sound  # the chain survived the copy, key and all
        with store.read() as session:
            names = session.execute(text("SELECT name FROM requesters ORDER BY id")).scalars()
            assert list(names) == ["Ann Example", "Bob Sample"]
        new_backup = back_up_now(store)
        stick = plain_desk.parent.parent / "usb-stick"
        stick.mkdir()
        copied = copy_backup_to(store, stick)
    finally:
        store.close()
    for taken in (new_backup, copied):
        assert file_salt(taken) == key.salt and personal_bytes_in(taken) == []
    assert personal_bytes_in(plain_desk) == []


def test_saves_survive_closing_and_reopening_and_backups_restore(
    plain_desk: Path, keys: KeyStore
) -> None:
    encrypt_store(plain_desk, PASSPHRASE, keys)
    store = open_store(plain_desk, keys=keys)
    ann_id = 1
    before = back_up_now(store)
    cases.add_note(store, ann_id, "A note made after the backup.")
    summary = describe_backup(before, store.cipher)
    assert (summary.cases, summary.newest_reference is not None) == (2, True)
    restore_backup(store, before)
    assert "A note made after the backup." not in [e.summary for e in cases.timeline(store, ann_id)]
    cases.add_note(store, ann_id, "Saved in the encrypted store.")
    store.close()

    again = open_store(plain_desk, keys=keys)
    try:
        summaries = [e.summary for e in cases.timeline(again, ann_id)]
        assert any("Saved in the encrypted store." in s for s in summaries)
        assert verify_store(again).sound
    finally:
        again.close()
    assert b"Saved in the encrypted store." not in plain_desk.read_bytes()


def test_another_computer_opens_it_with_the_passphrase_and_not_without(
    plain_desk: Path, keys: KeyStore, tmp_path: Path
) -> None:
    encrypt_store(plain_desk, PASSPHRASE, keys)
    elsewhere = KeyStore(tmp_path / "laptop" / "keys", use_keyring=False)

    with pytest.raises(StoreKeyNeeded, match="recovery passphrase"):
        open_store(plain_desk, keys=elsewhere)
    with pytest.raises(PassphraseRefused, match="does not open this store"):
        unlock_store(plain_desk, "not the passphrase at all", elsewhere)
    unlock_store(plain_desk, PASSPHRASE, elsewhere)
    assert cases_in(plain_desk, elsewhere) == 2


def test_a_backup_on_a_stick_opens_on_its_own_with_the_passphrase(
    plain_desk: Path, keys: KeyStore, tmp_path: Path
) -> None:
    encrypt_store(plain_desk, PASSPHRASE, keys)
    [backup] = list_backups(plain_desk)
    stick = tmp_path / "stick" / backup.name
    stick.parent.mkdir()
    stick.write_bytes(backup.read_bytes())
    laptop = KeyStore(tmp_path / "laptop" / "keys", use_keyring=False)
    unlock_store(stick, PASSPHRASE, laptop)
    assert cases_in(stick, laptop) == 2


def test_a_short_passphrase_an_open_store_and_a_plain_backup_are_refused(
    plain_desk: Path, keys: KeyStore, tmp_path: Path
) -> None:
    with pytest.raises(PassphraseRefused, match="at least 12"):
        encrypt_store(plain_desk, "short", keys)
    with pytest.raises(PassphraseRefused, match="not valid text"):
        encrypt_store(plain_desk, "a long passphrase \udc80 broken", keys)
    assert file_salt(plain_desk) is None  # nothing changed

    store = open_store(plain_desk, keys=keys)
    with pytest.raises(StoreError, match="Close this store"):
        encrypt_store(plain_desk, PASSPHRASE, keys)
    plain_copy = tmp_path / "plain-copy.sqlite"
    back_up_now(store).rename(plain_copy)
    store.close()

    encrypt_store(plain_desk, PASSPHRASE, keys)
    store = open_store(plain_desk, keys=keys)
    try:
        with pytest.raises(StoreError, match="not encrypted"):
            restore_backup(store, plain_copy)
        with pytest.raises(StoreError, match="not encrypted"):
            describe_backup(plain_copy, store.cipher)
    finally:
        store.close()
    with pytest.raises(StoreError, match="already encrypted"):
        encrypt_store(plain_desk, "another long passphrase", keys)


def test_erasure_in_an_encrypted_store_leaves_the_chain_verifiable(
    plain_desk: Path, keys: KeyStore
) -> None:
    encrypt_store(plain_desk, PASSPHRASE, keys)
    store = open_store(plain_desk, keys=keys)
    try:
        bob = 2
        erase_case(store, bob, today=date(2029, 1, 1))  # closed 2026-10-20: past 2 years
        assert verify_store(store).sound
    finally:
        store.close()
    assert file_salt(plain_desk) is not None and personal_bytes_in(plain_desk) == []


def test_a_read_only_encrypted_store_opens_read_only_and_reads(
    plain_desk: Path, keys: KeyStore
) -> None:
    encrypt_store(plain_desk, PASSPHRASE, keys)
    plain_desk.chmod(0o400)
    store = open_store(plain_desk, keys=keys)
    try:
        assert store.read_only and store.cipher is not None
        with store.read() as session:
            assert session.execute(text("SELECT count(*) FROM cases")).scalar() == 2
        assert verify_store(store).sound
    finally:
        store.close()
        plain_desk.chmod(0o600)


def test_the_store_key_goes_to_a_real_keyring_and_never_to_a_plaintext_one(
    plain_desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    from tests.mail.conftest import MemoryKeyring

    real = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: real)
    keys = KeyStore(tmp_path / "desk-config" / "keys")
    key = encrypt_store(plain_desk, PASSPHRASE, keys)
    assert real.passwords[("dsar-desk-store-key", key.store_id)]
    assert not (tmp_path / "desk-config").exists()  # in the keyring, not in a file
    assert PASSPHRASE not in str(real.passwords)  # the derived key is kept, not the passphrase
    opened = open_store(plain_desk, keys=keys)
    assert opened.cipher == key
    opened.close()

    plaintext = PlaintextKeyring()
    plaintext.file_path = str(tmp_path / "plain.cfg")  # type: ignore[misc]
    monkeypatch.setattr(keyring, "get_keyring", lambda: plaintext)
    elsewhere = KeyStore(tmp_path / "laptop" / "keys")
    unlock_store(plain_desk, PASSPHRASE, elsewhere)
    assert not (tmp_path / "plain.cfg").exists()
    kept = tmp_path / "laptop" / "keys" / "at-rest" / f"{key.store_id}.key"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert not list(plain_desk.parent.glob("*.key"))  # never beside the store

"""`secure_delete` is set explicitly on every connection the store hands out (issue 9 point
5), plain and encrypted, so deleted content is overwritten rather than left in free pages."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.encrypt_store import encrypt_store
from app.integrity.keys import KeyStore
from app.store import Store, open_store
from tests.store.helpers import add_case


def _secure_delete(store: Store) -> tuple[int, int]:
    with store.read() as reading:
        read = reading.execute(text("PRAGMA secure_delete")).scalar_one()
    with store.write() as writing:
        written = writing.execute(text("PRAGMA secure_delete")).scalar_one()
    return read, written


def test_secure_delete_is_on_for_reads_and_writes(store: Store) -> None:
    assert _secure_delete(store) == (1, 1)


def test_secure_delete_is_on_in_an_encrypted_store(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys", use_keyring=False)
    path = tmp_path / "store" / "dsar.sqlite"
    plain = open_store(path, keys=keys)
    add_case(plain)
    plain.close()
    encrypt_store(path, "secure delete under SQLCipher too", keys)
    encrypted = open_store(path, keys=keys)
    try:
        assert encrypted.cipher is not None
        assert _secure_delete(encrypted) == (1, 1)
    finally:
        encrypted.close()

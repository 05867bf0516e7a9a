"""Encryption at rest: a store (and every backup of it) encrypted with SQLCipher.

Why this shape:
- The store's key is derived from a recovery passphrase (scrypt, salted with 16 random bytes)
  and then kept in the OS keyring (app.integrity.keys, its own service), so daily use never
  asks for the passphrase; on another computer, or after the keyring is lost, the passphrase
  derives the same key again. Only the derived key is kept, never the passphrase.
- The salt is SQLCipher's own: the key is handed over raw with an explicit salt
  (`x'<key><salt>'`), so SQLCipher writes that salt as the first 16 bytes of the file and of
  every backup made with the same key. Those bytes are the store's key id: they are read
  before any connection exists (never with a connection open: DESIGN.md section 6), and
  a backup copied to a USB stick opens wherever the passphrase is known.
- A raw key skips SQLCipher's per-connection key derivation, so opening a connection costs
  what it costs on a plain store; the cost that remains is AES on each page read or written
  (measured in tests/bench/test_bench_encryption.py).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from app.private_files import O_BINARY

if TYPE_CHECKING:
    from app.integrity.keys import KeyStore

SQLITE_HEADER = b"SQLite format 3\x00"
SALT_BYTES = 16
KEY_BYTES = 32
MIN_PASSPHRASE = 12
PAGE_BYTES = 4096  # SQLCipher 4's page size, never changed here
KEYRING_SERVICE = "dsar-desk-store-key"
# A plain file's second name while its encrypted copy takes its place (app.encrypt_store).
REPLACED_SUFFIX = ".replaced"
_CHUNK = 1024 * 1024
# scrypt at 32 MiB and about 0.1 s: guessing passphrases for a stolen file is slow, and
# deriving once when the keyring has no key is not.
_SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024}

# SQLCipher's module raises its own exception classes, not sqlite3's.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher3.DatabaseError)
BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class PassphraseRefused(ValueError):
    """A passphrase that cannot be used; `str()` says why, for the user."""


@dataclass(frozen=True, slots=True)
class StoreKey:
    """The key of one encrypted store: 32 key bytes and the 16-byte salt at its head."""

    salt: bytes
    key: bytes = b""

    @property
    def store_id(self) -> str:
        return self.salt.hex()

    def pragma(self) -> str:
        # Raw key with explicit salt; hex only, so nothing typed by anyone reaches SQL.
        return f"PRAGMA key = \"x'{self.key.hex()}{self.salt.hex()}'\""

    def __repr__(self) -> str:  # never print the key, whoever logs the object
        return f"StoreKey(store_id={self.store_id!r})"


def check_passphrase(passphrase: str) -> None:
    """Raise PassphraseRefused unless `passphrase` is long enough and plain text."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise PassphraseRefused(
            f"The recovery passphrase needs at least {MIN_PASSPHRASE} characters (a few words "
            "are easier to remember than a short password, and much harder to guess)."
        )
    try:
        passphrase.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PassphraseRefused(
            "The passphrase holds a character that is not valid text; type it again."
        ) from exc


def derive_key(passphrase: str, salt: bytes) -> StoreKey:
    """The store key that `passphrase` gives for a store whose salt is `salt`."""
    key = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, dklen=KEY_BYTES, **_SCRYPT)
    return StoreKey(salt=salt, key=key)


def new_key(passphrase: str) -> StoreKey:
    check_passphrase(passphrase)
    return derive_key(passphrase, os.urandom(SALT_BYTES))


def file_salt(path: Path) -> bytes | None:
    """The salt at the head of an encrypted store or backup; None for a plain SQLite file,
    an empty one, or one whose size is not whole pages (so no encrypted store either).

    Reads 16 bytes with a plain file handle, so callers do this only for a file this process
    holds no SQLite connection to (app.store checks `live_store_holding` first).
    """
    try:
        fd = os.open(path, os.O_RDONLY | O_BINARY)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        # SQLCipher writes whole pages: any other size is not an encrypted store at all.
        if not stat.S_ISREG(st.st_mode) or st.st_size == 0 or st.st_size % PAGE_BYTES:
            return None
        head = os.read(fd, SALT_BYTES)
    finally:
        os.close(fd)
    if len(head) < SALT_BYTES or head == SQLITE_HEADER:
        return None
    return head


def key_store(keys: KeyStore) -> KeyStore:
    """Where this computer keeps store keys: beside the chain keys, under their own name."""
    from app.integrity.keys import KeyStore

    return KeyStore(keys.folder / "at-rest", use_keyring=keys.use_keyring, service=KEYRING_SERVICE)


def known_key(salt: bytes, keys: KeyStore) -> StoreKey | None:
    key = key_store(keys).get(salt.hex())
    return None if key is None else StoreKey(salt=salt, key=key)


def remember(key: StoreKey, keys: KeyStore) -> None:
    key_store(keys).put(key.store_id, key.key)


def connect(
    target: str | Path,
    key: StoreKey | None,
    *,
    uri: bool = False,
    check_same_thread: bool = True,
    through_sqlcipher: bool = False,
) -> Any:
    """A DB-API connection to `target`: plain sqlite3 for a plain store, SQLCipher keyed
    with `key` (before anything reads the file) for an encrypted one. `through_sqlcipher`
    opens a plain file with SQLCipher's module (its `sqlcipher_export` encrypts a copy)."""
    if key is None and not through_sqlcipher:
        return sqlite3.connect(str(target), uri=uri, check_same_thread=check_same_thread)
    connection = sqlcipher3.connect(str(target), uri=uri, check_same_thread=check_same_thread)
    # SQLCipher logs a wrong key or a damaged page to stderr itself; we say it to the user.
    connection.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        connection.execute(key.pragma())
    return connection


def opens_with(path: Path, key: StoreKey) -> bool:
    """Whether `key` opens the encrypted file at `path` (read-only, nothing written)."""
    from app.store_inspect import sqlite_uri

    try:
        connection = connect(sqlite_uri(path, mode="ro"), key, uri=True)
    except DATABASE_ERRORS:
        return False
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DATABASE_ERRORS:
        return False
    finally:
        connection.close()
    return True


def replaced_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{REPLACED_SUFFIX}")


def destroy_replaced(path: Path) -> None:
    """Zeros over a plain file an encrypted one has replaced (never a live store: it is not
    one under this name), then away with it."""
    try:
        fd = os.open(path, os.O_WRONLY | O_BINARY)
    except FileNotFoundError:
        return
    try:
        remaining = os.fstat(fd).st_size
        zeros = bytes(_CHUNK)
        while remaining > 0:
            remaining -= os.write(fd, zeros[: min(_CHUNK, remaining)])
        os.fsync(fd)
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)

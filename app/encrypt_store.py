"""Turning a plain store into an encrypted one, backups included (issue 9, point 8).

The store must be closed: its file is replaced. Each file (the store, then every backup
beside it) is exported by SQLCipher into a temporary encrypted file, checked (page check with
SQLCipher's page HMACs, and the same rows in every table), flushed and renamed over the plain
one; the plain file's bytes are then overwritten with zeros (through a second name it was
given before the rename), so the replaced file does not linger in free blocks of an ordinary
disk (an SSD or a copy-on-write file system may still
keep old blocks: README, "Trust and retention"). The key is in the keyring before the first
file changes, so there is never an encrypted file this computer cannot open.
"""

from __future__ import annotations

import os
from contextlib import closing
from pathlib import Path

from app.backups import backup_folder, list_backups
from app.integrity.keys import KeyStore
from app.private_files import (
    O_BINARY,
    create_private_file,
    partial_name,
    remove_stale_partials,
    restrict_to_owner,
    sync_folder,
)
from app.store import (
    BUSY_TIMEOUT_MS,
    SIDECARS,
    StoreError,
    inspect_file,
    live_store_holding,
)
from app.store_cipher import (
    DATABASE_ERRORS,
    REPLACED_SUFFIX,
    PassphraseRefused,
    StoreKey,
    connect,
    derive_key,
    destroy_replaced,
    file_salt,
    known_key,
    new_key,
    opens_with,
    remember,
    replaced_name,
)
from app.store_inspect import sqlite_uri


def encrypt_store(
    path: str | os.PathLike[str],
    passphrase: str,
    keys: KeyStore | None = None,
    *,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> StoreKey:
    """Encrypt the closed plain store at `path` and its backups under a key derived from
    `passphrase`; return the key (kept on this computer too).

    Raises PassphraseRefused (too short), StoreError (open here or in another program,
    already encrypted, not a store). A run cut short leaves each file plain or encrypted,
    never half of either; running it again finishes the backups with the same key.
    """
    keys = keys or KeyStore.for_user()
    path = Path(path).expanduser().absolute()
    if live_store_holding(path) is not None:
        raise StoreError(path, "Close this store before encrypting it.")
    if not path.is_file():
        raise StoreError(path, "There is no store here to encrypt.")
    key = _key_for(path, passphrase, keys)
    _clear_leftovers(path)
    if file_salt(path) is None:
        inspect_file(path, busy_timeout_ms)  # a healthy plain store, or a message naming it
    remember(key, keys)
    for backup in list_backups(path):
        if file_salt(backup) is None:
            _encrypt_file(backup, key, busy_timeout_ms)
    if file_salt(path) is None:
        _encrypt_file(path, key, busy_timeout_ms)
    return key


def _key_for(path: Path, passphrase: str, keys: KeyStore) -> StoreKey:
    """A new key, unless an earlier run already encrypted the store or some backups: then
    that key, provided `passphrase` is the one it came from."""
    for candidate in (path, *list_backups(path)):
        salt = file_salt(candidate)
        if salt is None:
            continue
        known = known_key(salt, keys)
        if known is None or derive_key(passphrase, salt) != known:
            raise StoreError(
                candidate,
                "This store (or a backup of it) is already encrypted under another "
                "passphrase or key; it was left as it is.",
            )
        return known
    return new_key(passphrase)


def _encrypt_file(plain: Path, key: StoreKey, busy_timeout_ms: int) -> None:
    partial = partial_name(plain)
    partial.unlink(missing_ok=True)  # a run cut short: its leftover is never a store
    create_private_file(partial)
    try:
        with closing(connect(plain, None, through_sqlcipher=True)) as source:
            source.isolation_level = None
            source.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            # Leaving WAL needs every other connection gone: the store is open nowhere else,
            # and its log is folded in and deleted.
            mode = source.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if str(mode).lower() != "delete":
                raise StoreError(plain, "The store is open in another program; close it first.")
            source.execute("BEGIN IMMEDIATE")  # nobody writes while it is copied
            source.execute(
                f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.key.hex()}{key.salt.hex()}'\"",
                (str(partial),),
            )
            source.execute("SELECT sqlcipher_export('encrypted')")
            version = source.execute("PRAGMA main.user_version").fetchone()[0]
            source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
            counts = _row_counts(source, "main")
            source.execute("COMMIT")
            source.execute("DETACH DATABASE encrypted")
        with closing(connect(sqlite_uri(partial, mode="ro"), key, uri=True)) as check:
            healthy = check.execute("PRAGMA quick_check").fetchall() == [("ok",)]
            if not healthy or _row_counts(check, "main") != counts:
                raise StoreError(plain, "The encrypted copy did not check out; nothing changed.")
        restrict_to_owner(partial)
        _flush(partial)
        # The plain file keeps a second name until the encrypted one has taken its place, so
        # a kill at any moment leaves the store whole (plain or encrypted), never zeroed.
        replaced = replaced_name(plain)
        kept = _link(plain, replaced)
        os.replace(partial, plain)
        for suffix in SIDECARS:
            Path(f"{plain}{suffix}").unlink(missing_ok=True)
        sync_folder(plain.parent)
        if kept:
            destroy_replaced(replaced)
    except DATABASE_ERRORS as exc:
        partial.unlink(missing_ok=True)
        message = str(exc).lower()
        if "locked" in message or "busy" in message:
            raise StoreError(
                plain, "The store is open in another program; close it first."
            ) from exc
        raise StoreError(plain, f"The store could not be encrypted: {exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _link(path: Path, link: Path) -> bool:
    """A second name for `path` (False where the file system has no hard links: FAT)."""
    link.unlink(missing_ok=True)
    try:
        os.link(path, link)
    except OSError:
        return False
    return True


def _clear_leftovers(path: Path) -> None:
    """Plain files a run cut short left under their second name, and its temporary files."""
    for folder in (path.parent, backup_folder(path)):
        if folder.is_dir():
            remove_stale_partials(folder)
            for leftover in folder.glob(f".{path.stem}*{REPLACED_SUFFIX}"):
                destroy_replaced(leftover)


def _row_counts(connection: object, schema: str) -> dict[str, int]:
    tables = [
        row[0]
        for row in connection.execute(  # type: ignore[attr-defined]
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: connection.execute(  # type: ignore[attr-defined]
            f'SELECT count(*) FROM {schema}."{table}"'
        ).fetchone()[0]
        for table in tables
    }


def _flush(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | O_BINARY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def unlock_store(
    path: str | os.PathLike[str], passphrase: str, keys: KeyStore | None = None
) -> StoreKey:
    """Derive an encrypted store's key from its recovery passphrase and keep it on this
    computer, so `open_store` opens it from now on. The store must not be open here (its
    head is read with a plain handle). Raises PassphraseRefused when the passphrase does not
    open it, StoreError when the file is not an encrypted store."""
    keys = keys or KeyStore.for_user()
    path = Path(path).expanduser().absolute()
    if live_store_holding(path) is not None:
        raise StoreError(path, "This store is open already; its key is known.")
    salt = file_salt(path)
    if salt is None:
        raise StoreError(path, "This file is not an encrypted store; it needs no passphrase.")
    key = derive_key(passphrase, salt)
    if not opens_with(path, key):
        raise PassphraseRefused(
            "That passphrase does not open this store. Check it (capitals, spaces) and try "
            "again; without it the store cannot be read."
        )
    remember(key, keys)
    return key

"""What can go wrong with a store, said for the user: the errors `app.store` raises and the
translation of SQLite's own complaints into them. Each message names the file, or the team
server's address (a team server's own complaints: app.team.server.server_failure)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import OperationalError


class StoreError(Exception):
    """The store cannot be used. `str()` is a message for the user that names the file (a
    `Path`) or the team server (its address, a `str`, without the password)."""

    def __init__(self, path: Path | str, message: str) -> None:
        where = f"File: {path}" if isinstance(path, Path) else f"Server: {path}"
        super().__init__(f"{message}\n\n{where}")
        self.path = path
        self.reason = message


class NotAStore(StoreError):
    """The file is not a SQLite database, or is some other program's database."""


class CorruptStore(StoreError):
    """The file is a SQLite database that fails its integrity check."""


class NewerStore(StoreError):
    """The store was written by a newer version of DSAR Desk."""


class LockedStore(StoreError):
    """Another program holds the store locked for longer than we are willing to wait."""


class StoreMissing(StoreError):
    """There is no store at the path, and creating one was not asked for."""


class StoreGone(StoreError):
    """The open store's file was deleted, moved or replaced by another file."""


class ReadOnlyStore(StoreError):
    """The store is open for reading only; nothing can be saved."""


class StoreKeyNeeded(StoreError):
    """The store is encrypted and this computer does not hold its key: ask for the recovery
    passphrase (app.store_cipher) and open it again."""

    def __init__(self, path: Path, salt: bytes) -> None:
        super().__init__(
            path,
            "This store is encrypted, and this computer does not hold its key (a new "
            "computer, or a cleared keyring). Type the store's recovery passphrase to open it. "
            "(A store that was never encrypted and shows this is damaged at its start: restore "
            "it from a backup.)",
        )
        self.salt = salt


class UnstorableText(StoreError):
    """Text holds characters that cannot be stored as UTF-8 (an unpaired surrogate)."""


class NotPermitted(StoreError):
    """A team server refused the change: the member's role may not make it."""


def codepoint(exc: UnicodeEncodeError) -> str:
    text = exc.object[exc.start : exc.end]
    return ", ".join(f"U+{ord(ch):04X}" for ch in text[:3]) or "unknown"


def storage_failure(path: Path, exc: OperationalError) -> StoreError:
    """SQLite's own complaint turned into a message for the user; the transaction was rolled
    back, so nothing was half-saved."""
    message = str(exc.orig if exc.orig is not None else exc).lower()
    if "locked" in message or "busy" in message:
        return locked(path)
    if "readonly" in message or "read-only" in message:
        return StoreError(
            path, "The store is read-only (check the file's permissions); nothing was saved."
        )
    if "disk" in message and ("full" in message or "i/o" in message):
        return StoreError(
            path, "The disk could not be written (full, or failing); nothing was saved."
        )
    if "malformed" in message or "not a database" in message:
        return CorruptStore(path, "The store is damaged. Restore it from a backup.")
    return StoreError(path, f"The store could not be used: {message}")


def locked(path: Path) -> LockedStore:
    return LockedStore(
        path,
        "The store is locked by another program (perhaps DSAR Desk is already open on it, in "
        "another window or on another computer). Close that and try again.",
    )

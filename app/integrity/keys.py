"""Where a store's chain key lives on this computer (DESIGN.md section 8).

In the operating system's keyring when there is a real one; otherwise in an owner-only file
in the user's config folder, never beside the store (whoever copies the store and its backups
must not get the key with them). A keyring that keeps secrets in plain files (keyrings.alt)
or refuses everything counts as no keyring (app.os_keyring). Keys are filed under the
store's id, so one computer can hold the keys of several stores, and a store carried to
another computer is verified there once its key has been exported and imported with it.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.integrity.chain import key_id
from app.private_files import make_private_folder, write_private_file

if TYPE_CHECKING:  # keyring loads its backends on first use, off the start-up path
    import keyring.backend

KEYRING_SERVICE = "dsar-desk-chain"
APP_NAME = "dsar-desk"
KEY_BYTES = 32
FILE_FORMAT = "dsar-desk verification key 1"


class KeyFileError(Exception):
    """An exported key file cannot be used; `str()` says why, for the user."""


@dataclass(frozen=True, slots=True)
class KeyPlace:
    """Where new keys go, said for the Settings window."""

    in_keyring: bool
    description: str


class KeyStore:
    """The chain keys kept on this computer, filed by store id."""

    def __init__(
        self, folder: Path, *, use_keyring: bool = True, service: str = KEYRING_SERVICE
    ) -> None:
        self.folder = Path(folder)
        self.use_keyring = use_keyring
        self.service = service  # the keyring's name for these keys (app.store_cipher: another)

    @classmethod
    def for_user(cls) -> KeyStore:
        import platformdirs

        return cls(platformdirs.user_config_path(APP_NAME, appauthor=False) / "keys")

    def _keyring(self) -> keyring.backend.KeyringBackend | None:
        if not self.use_keyring:
            return None
        from app.os_keyring import usable_keyring  # loads keyring's backends: not at start-up

        return usable_keyring()

    def place(self) -> KeyPlace:
        backend = self._keyring()
        if backend is not None:
            name = getattr(backend, "name", type(backend).__name__)
            return KeyPlace(True, f"in the system keyring ({name})")
        return KeyPlace(
            False,
            f"in an owner-only file in {self.folder} (this computer has no secure system keyring)",
        )

    def get(self, store_id: str) -> bytes | None:
        import keyring.errors

        backend = self._keyring()
        if backend is not None:
            try:
                stored = backend.get_password(self.service, store_id)
            except keyring.errors.KeyringError:
                stored = None
            if stored:
                return _decode(stored)
        path = self._file(store_id)
        if path.is_file():
            try:
                return read_key_file(path)[1]
            except KeyFileError:
                return None
        return None

    def create(self, store_id: str) -> bytes:
        key = secrets.token_bytes(KEY_BYTES)
        self.put(store_id, key)
        return key

    def put(self, store_id: str, key: bytes) -> None:
        import keyring.errors

        backend = self._keyring()
        if backend is not None:
            try:
                backend.set_password(self.service, store_id, _encode(key))
                return
            except keyring.errors.KeyringError:
                pass  # fall back to the file
        _write_private(self._file(store_id), _key_document(store_id, key))

    def export_key(self, store_id: str, destination: Path) -> Path:
        """Write the store's key to an owner-only file the DPO carries to the other computer."""
        key = self.get(store_id)
        if key is None:
            raise KeyFileError("This computer has no verification key for this store to export.")
        return write_key_file(store_id, key, destination)

    def import_key(self, source: Path, *, expected_store: str | None = None) -> str:
        """Keep the key from an exported key file here; return the store id it belongs to."""
        store_id, key = read_key_file(Path(source))
        if expected_store is not None and store_id != expected_store:
            raise KeyFileError("This key file belongs to another store, not to the one open here.")
        self.put(store_id, key)
        return store_id

    def _file(self, store_id: str) -> Path:
        if not store_id or not all(ch in "0123456789abcdef" for ch in store_id):
            raise ValueError("A store id is lower-case hexadecimal.")
        return self.folder / f"{store_id}.key"


def _encode(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def _decode(text: str) -> bytes | None:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == KEY_BYTES else None


def _key_document(store_id: str, key: bytes) -> bytes:
    document = {
        "format": FILE_FORMAT,
        "store_id": store_id,
        "key_id": key_id(key),
        "key": _encode(key),
    }
    return (json.dumps(document, indent=2) + "\n").encode("ascii")


def write_key_file(store_id: str, key: bytes, destination: Path) -> Path:
    """An exported key file (owner-only): what `dsar-desk verify FILE.zip --key` and Import
    verification key read, wherever the key came from (this computer, or a team server)."""
    _write_private(Path(destination), _key_document(store_id, key))
    return Path(destination)


def read_key_file(path: Path) -> tuple[str, bytes]:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"The file {path.name} is not a DSAR Desk verification key.") from exc
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise KeyFileError(f"The file {path.name} is not a DSAR Desk verification key.")
    key = _decode(str(document.get("key", "")))
    store_id = str(document.get("store_id", ""))
    if key is None or not store_id or document.get("key_id") != key_id(key):
        raise KeyFileError(f"The key in {path.name} is damaged.")
    return store_id, key


def _write_private(path: Path, content: bytes) -> None:
    """Owner-only, written whole, in an owner-only folder (app.private_files)."""
    make_private_folder(path.parent)
    write_private_file(path, content)

"""The event chain of a team server: extended by the server itself.

The client prepares each event as a desk does (details, salt, personal hash, the case's
state: app.integrity.seal.prepare) but does not place it: the server's BEFORE INSERT trigger
(migration 0009) takes the chain's tail under a lock, stamps the event with the connected
role and the server's clock, and seals it with the key in `chain_key`. No member's desk ever
holds the key while writing, so no client can forge a link; only `dsar_dpo` may read the key,
to verify (app.integrity.verify works unchanged: the server seals with format 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.integrity.chain import key_id
from app.integrity.keys import KeyFileError, write_key_file
from app.integrity.seal import KeyStatus, prepare
from app.models import Case, CaseEvent

_SEALED_BY_SERVER = "server_sealed_events"
# What the server's trigger sets: the ORM must read these back, not trust its own copy.
SERVER_SET = ("seq", "link", "actor", "at")
_UNREAD = object()
_CANNOT_EXPORT = {
    KeyStatus.DENIED: (
        "Only a member of dsar_dpo may read the team server's verification key; ask the DPO "
        "to export it."
    ),
    KeyStatus.MISSING: "The team server holds no verification key (its store is damaged).",
    KeyStatus.OTHER: (
        "The team server's verification key is not the one its records were sealed with, so "
        "exporting it would prove nothing."
    ),
}


@dataclass(eq=False)
class ServerChain:
    engine: Engine
    store_id: str
    sealed_key_id: str
    _key: Any = field(default=_UNREAD, repr=False)
    _status: KeyStatus = KeyStatus.MISSING

    def key(self) -> bytes | None:
        """The server's chain key, when this member's role may read it (dsar_dpo)."""
        if self._key is _UNREAD:
            try:
                with self.engine.connect() as connection:
                    found = connection.execute(
                        text("SELECT key FROM chain_key WHERE id = 1")
                    ).scalar()
            except DBAPIError:
                self._key, self._status = None, KeyStatus.DENIED
            else:
                key = bytes(found) if found is not None else None
                if key is None:
                    self._key, self._status = None, KeyStatus.MISSING
                elif key_id(key) != self.sealed_key_id:
                    self._key, self._status = None, KeyStatus.OTHER
                else:
                    self._key, self._status = key, KeyStatus.PRESENT
        return self._key  # type: ignore[no-any-return]

    def key_status(self) -> KeyStatus:
        self.key()
        return self._status

    def forget_cached_key(self) -> None:
        self._key = _UNREAD

    def export_key(self, destination: Path) -> Path:
        """The server's key in an exported key file, so that a case file exported from the
        server can be checked offline (`dsar-desk verify FILE.zip --key FILE`). Only a member
        of dsar_dpo can read the key; anyone holding the file could forge seals, so it is
        written owner-only and kept as safe as a backup."""
        key = self.key()
        if key is None:
            raise KeyFileError(_CANNOT_EXPORT[self._status])
        return write_key_file(self.store_id, key, destination)

    def append(
        self, session: Session, case: Case, event: CaseEvent, before: dict[str, Any] | None
    ) -> None:
        prepare(session, case, event, before)
        event.seq = None
        event.link = None
        session.info.setdefault(_SEALED_BY_SERVER, []).append(event)


def watch_server_seals(sessions: sessionmaker[Session]) -> None:
    """After each flush, forget what the server set on the events just written, so that
    reading them gives the server's seal, author and time rather than the client's guesses."""

    def after_flush_postexec(session: Session, _context: object) -> None:
        for written in session.info.pop(_SEALED_BY_SERVER, []):
            session.expire(written, list(SERVER_SET))

    event.listen(sessions, "after_flush_postexec", after_flush_postexec)

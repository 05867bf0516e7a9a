"""Sealing events as they are appended: the one place the chain is extended.

`EventChain` is the small interface the use cases see (through `app.cases.writing._append_event`):
`append(session, case, event, before)`. `LocalChain` is the SQLite desk's: it computes the
link in this process with the key from this computer's key store. A server-backed store can
supply its own chain (the server extends it) without any use case changing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.integrity.chain import (
    GENESIS,
    event_body,
    key_id,
    make_link,
    new_salt,
    personal_hash,
    plain,
    split_details,
)
from app.integrity.keys import KeyStore
from app.integrity.state import differences, orm_values, snapshot
from app.models import Case, CaseEvent, Setting

SESSION_KEY = "event_chain"
STORE_ID = "integrity.store_id"
KEY_ID = "integrity.key_id"
SEALED_AT = "integrity.sealed_at"
_TAIL = "event_chain.tail"
_CASES = "event_chain.cases"


class KeyStatus(StrEnum):
    PRESENT = "present"
    MISSING = "missing"  # no key for this store on this computer
    OTHER = "other"  # a key filed under this store's id, but not the one that sealed it
    DENIED = "denied"  # a team server's key, which only dsar_dpo may read

    @property
    def verifiable(self) -> bool:
        return self is KeyStatus.PRESENT


class EventChain(Protocol):
    store_id: str

    def append(
        self, session: Session, case: Case, event: CaseEvent, before: dict[str, Any] | None
    ) -> None: ...

    def key(self) -> bytes | None: ...

    def key_status(self) -> KeyStatus: ...

    def export_key(self, destination: Path) -> Path:
        """Write the key to an owner-only key file (KeyFileError when it cannot be read)."""
        ...


_UNREAD = object()


@dataclass(eq=False)
class LocalChain:
    """The chain of a store on this workstation, keyed from this computer's key store."""

    keys: KeyStore
    store_id: str
    sealed_key_id: str
    _key: Any = field(default=_UNREAD, repr=False)

    def key(self) -> bytes | None:
        """This store's key, read once; None when this computer does not have it."""
        if self._key is _UNREAD:
            found = self.keys.get(self.store_id)
            self._key = found if found is not None and key_id(found) == self.sealed_key_id else None
            self._found_other = found is not None and self._key is None
        return self._key

    def key_status(self) -> KeyStatus:
        if self.key() is not None:
            return KeyStatus.PRESENT
        return KeyStatus.OTHER if self._found_other else KeyStatus.MISSING

    def forget_cached_key(self) -> None:
        """After importing a key: look again."""
        self._key = _UNREAD

    def export_key(self, destination: Path) -> Path:
        return self.keys.export_key(self.store_id, destination)

    def append(
        self, session: Session, case: Case, event: CaseEvent, before: dict[str, Any] | None
    ) -> None:
        """Seal `event` (not yet added) as the next link; `before` is the case's values when
        the use case began, compared with the newest snapshot so that a change made to the
        row outside the app is put on the record rather than absorbed into it."""
        public = prepare(session, case, event, before)
        seq, previous = _tail(session)
        seq += 1
        body = event_body(
            seq=seq,
            case_id=case.id,
            at=event.at,
            actor=event.actor,
            kind=str(event.kind),
            public_details=public,
            personal_hash=event.personal_hash or "",
            state=event.state,
        )
        event.seq = seq
        event.link = make_link(self.key(), previous, body)
        session.info[_TAIL] = (seq, event.link)


def prepare(
    session: Session, case: Case, event: CaseEvent, before: dict[str, Any] | None
) -> dict[str, Any]:
    """Everything of the seal but its place in the chain: the details (with any change made
    outside the app), the salt, the personal hash and the case's state; the public details.

    Shared by this desk's chain and a server's (app.team.chain), which places the event."""
    if case.id is None:
        session.flush()  # the new case needs its id for the body
    last_state, last_salt = _last_state(session, case.id)
    details = plain(event.details or {})
    if before is not None and last_state is not None:
        changed = differences(last_state, last_salt, before)
        if changed:
            details["changed_outside_app"] = changed
    public, personal = split_details(details)
    salt = new_salt()
    state = snapshot(orm_values(case), salt)
    event.case_id = case.id
    event.details = details
    event.salt = salt
    event.personal_hash = personal_hash(salt, event.summary, personal)
    event.state = state
    session.info.setdefault(_CASES, {})[case.id] = (state, salt)
    return public


def chain_of(session: Session) -> EventChain:
    chain = session.info.get(SESSION_KEY)
    if chain is None:
        raise RuntimeError("Events are written only inside Store.write(), which seals them.")
    return chain  # type: ignore[no-any-return]


def open_chain(session: Session, keys: KeyStore) -> LocalChain:
    """The chain of the store `session` reads (its id and key id are in its settings)."""
    rows = dict(
        session.execute(
            select(Setting.key, Setting.value).where(Setting.key.in_((STORE_ID, KEY_ID)))
        ).all()
    )
    return LocalChain(keys, str(rows.get(STORE_ID, "")), str(rows.get(KEY_ID, "")))


def _tail(session: Session) -> tuple[int, str]:
    cached = session.info.get(_TAIL)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    row = session.execute(
        select(CaseEvent.seq, CaseEvent.link).order_by(CaseEvent.seq.desc()).limit(1)
    ).first()
    if row is None or row.seq is None:
        return 0, GENESIS
    return int(row.seq), str(row.link)


def _last_state(session: Session, case_id: int) -> tuple[dict[str, Any] | None, str | None]:
    cached = session.info.get(_CASES, {}).get(case_id)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    row = session.execute(
        select(CaseEvent.state, CaseEvent.salt)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.seq.desc())
        .limit(1)
    ).first()
    if row is None:
        return None, None
    return row.state, row.salt

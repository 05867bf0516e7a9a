"""Starting the chain on a store: run once, by the migration that adds it.

Gives the store an id, makes its key (kept on this computer, never in the store), seals every
existing event in the order it was written, then appends to each case a `records_sealed`
event holding its state, so every case is checked against its record from that day on.

Raw SQL over the migration's connection, with the columns of that revision named, so that it
keeps working on a store of that revision whatever the models look like later.
"""

from __future__ import annotations

import getpass
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

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
from app.integrity.state import CASE_PERSONAL, REQUESTER_PERSONAL, snapshot, values_of
from app.integrity.state import CASE_PUBLIC_0003 as CASE_PUBLIC

SEALED_KIND = "records_sealed"
SEALED_SUMMARY = (
    "Record sealed: from here on, any change made to this case outside DSAR Desk is detected."
)


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _setting(connection: Connection, key: str) -> Any:
    row = connection.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": key}).first()
    return None if row is None else json.loads(row[0])


def _put_setting(connection: Connection, key: str, value: object) -> None:
    connection.execute(
        text("INSERT OR REPLACE INTO settings (key, value) VALUES (:k, :v)"),
        {"k": key, "v": json.dumps(value)},
    )


def seal_existing(connection: Connection, keys: KeyStore) -> int:
    """Seal every event of the store; return how many were sealed (the new ones included)."""
    store_id = _setting(connection, "integrity.store_id") or uuid.uuid4().hex
    try:
        key: bytes | None = keys.get(store_id) or keys.create(store_id)
    except OSError:
        key = None  # no key can be kept here: sealed unkeyed, and the app says so
    _put_setting(connection, "integrity.store_id", store_id)
    _put_setting(connection, "integrity.key_id", key_id(key) if key else "")
    _put_setting(connection, "integrity.sealed_at", datetime.now(UTC).isoformat())

    previous = GENESIS
    seq = 0
    sealed: list[dict[str, Any]] = []
    counts: dict[int, int] = {}
    rows = connection.execute(
        text("SELECT id, case_id, at, actor, kind, summary, details FROM case_events ORDER BY id")
    ).all()
    for row in rows:
        seq += 1
        details = plain(json.loads(row.details) if isinstance(row.details, str) else row.details)
        public, personal = split_details(details)
        salt = new_salt()
        hashed = personal_hash(salt, row.summary, personal)
        body = event_body(
            seq=seq,
            case_id=row.case_id,
            at=row.at,
            actor=row.actor,
            kind=row.kind,
            public_details=public,
            personal_hash=hashed,
            state=None,
        )
        previous = make_link(key, previous, body)
        sealed.append({"id": row.id, "seq": seq, "link": previous, "ph": hashed, "salt": salt})
        counts[row.case_id] = counts.get(row.case_id, 0) + 1
    if sealed:
        connection.execute(
            text(
                "UPDATE case_events SET seq = :seq, link = :link, personal_hash = :ph, "
                "salt = :salt WHERE id = :id"
            ),
            sealed,
        )

    case_columns = ", ".join(f"c.{c}" for c in (*CASE_PUBLIC, *CASE_PERSONAL))
    requester_columns = ", ".join(f"r.{c} AS r_{c}" for c in REQUESTER_PERSONAL)
    cases = connection.execute(
        text(
            f"SELECT c.id AS case_id, {case_columns}, {requester_columns} "
            "FROM cases c JOIN requesters r ON r.id = c.requester_id ORDER BY c.id"
        )
    ).all()
    now = datetime.now(UTC)
    stored_at = now.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    actor = _actor()
    appended = []
    for case in cases:
        mapping = case._mapping
        values = values_of(
            {c: mapping[c] for c in (*CASE_PUBLIC, *CASE_PERSONAL)},
            {c: mapping[f"r_{c}"] for c in REQUESTER_PERSONAL},
        )
        seq += 1
        salt = new_salt()
        details = {"events_sealed": counts.get(case.case_id, 0)}
        state = snapshot(values, salt)
        hashed = personal_hash(salt, SEALED_SUMMARY, {})
        body = event_body(
            seq=seq,
            case_id=case.case_id,
            at=now,
            actor=actor,
            kind=SEALED_KIND,
            public_details=details,
            personal_hash=hashed,
            state=state,
        )
        previous = make_link(key, previous, body)
        appended.append(
            {
                "case_id": case.case_id,
                "at": stored_at,
                "actor": actor,
                "kind": SEALED_KIND,
                "summary": SEALED_SUMMARY,
                "details": json.dumps(details),
                "seq": seq,
                "link": previous,
                "ph": hashed,
                "salt": salt,
                "state": json.dumps(state),
            }
        )
    if appended:
        connection.execute(
            text(
                "INSERT INTO case_events (case_id, at, actor, kind, summary, details, seq, link, "
                "personal_hash, salt, state) VALUES (:case_id, :at, :actor, :kind, :summary, "
                ":details, :seq, :link, :ph, :salt, :state)"
            ),
            appended,
        )
    return seq

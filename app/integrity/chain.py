"""The event chain, as pure functions over plain values (no database, no key store).

Every event is sealed by a *link*: an HMAC-SHA256, under the store's secret key, of the
previous event's link and this event's canonical body. Changing, inserting, removing or
reordering any event breaks every link from there on, and nobody without the key can mend
them. Where the key is absent when an event is written, its link is an unkeyed SHA-256
(prefix `u1:`): that keeps the order honest against accidents but proves nothing against a
forger, and verification says so rather than calling it sound.

An event's personal data (its summary and every detail not known to be free of it) is hashed
separately, with a random salt, and only that hash enters the body. Retention erasure can then
blank the personal part and drop the salt: the link still verifies, and what remains (a hash
of salted, erased text) cannot be turned back into a name by guessing.

This is format version 1. Stores carry links made by it for years: never change how a body
is serialised; add a version 2 beside it instead.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

FORMAT = 1
KEYED = "k1:"
UNKEYED = "u1:"
GENESIS = ""  # the link before the first event
ERASED_SUMMARY = "Erased under the retention policy."

# Detail keys that never hold personal data: dates, states, figures, identifiers of rows and
# fingerprints. Everything else (reasons, notes, names, addresses, file names, email
# addresses, before/after values of the requester's details) is personal by default, so a
# detail added later is erased with the case unless someone decides here that it is safe.
PUBLIC_DETAIL_KEYS = frozenset(
    {
        "request_type",
        "channel",
        "received_on",
        "identity_required",
        "on",
        "status_before",
        "status_after",
        "clock_start_before",
        "clock_start_after",
        "paused_on",
        "resumed_on",
        "paused_days",
        "extension_months_before",
        "extension_months_after",
        "outcome",
        "outcome_before",
        "on_time",
        "late_days",
        "open_pause_cleared",
        "closed_on_before",
        "suppressed",
        "letter_id",
        "stage",
        "version",
        "sha256",
        "template_version",
        "attachment_id",
        "kind",
        "size",
        "fields",
        "request_type_before",
        "request_type_after",
        "changed_outside_app",
        "events_sealed",
        "letters_deleted",
        "attachments_deleted",
        "events_blanked",
        "retention_years",
        "closed_on",
        *(
            f"{due}_{when}"
            for due in ("statutory_due", "promised_due", "effective_due")
            for when in ("before", "after")
        ),
        "statutory_due",
        "promised_due",
        "effective_due",
    }
)


def plain(value: Any) -> Any:
    """The JSON value the store will hand back for `value` (tuples become lists, dates ISO
    strings, keys strings), so a body hashed now hashes the same when read back later."""
    return json.loads(json.dumps(value, default=_json_default))


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go on the record")


def canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default
    ).encode("utf-8")


def timestamp(at: datetime | str) -> str:
    """An event time as one exact string, whether it came from the ORM or from raw SQL."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def split_details(details: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(public, personal) parts of an event's details."""
    public = {k: v for k, v in details.items() if k in PUBLIC_DETAIL_KEYS}
    personal = {k: v for k, v in details.items() if k not in PUBLIC_DETAIL_KEYS}
    return public, personal


def new_salt() -> str:
    return secrets.token_hex(16)


def personal_hash(salt: str, summary: str, personal_details: Mapping[str, Any]) -> str:
    payload = canonical({"summary": summary, "details": dict(personal_details)})
    return hashlib.sha256(bytes.fromhex(salt) + payload).hexdigest()


def salted_digest(salt: str, values: Mapping[str, Any]) -> str:
    """A fingerprint of personal values that nobody can confirm a guess against once the
    salt is erased."""
    return hashlib.sha256(bytes.fromhex(salt) + b"state\n" + canonical(dict(values))).hexdigest()


def event_body(
    *,
    seq: int,
    case_id: int,
    at: datetime | str,
    actor: str,
    kind: str,
    public_details: Mapping[str, Any],
    personal_hash: str,
    state: Mapping[str, Any] | None,
) -> bytes:
    return canonical(
        {
            "v": FORMAT,
            "seq": seq,
            "case": case_id,
            "at": timestamp(at),
            "actor": actor,
            "kind": kind,
            "details": dict(public_details),
            "personal": personal_hash,
            "state": dict(state) if state is not None else None,
        }
    )


def make_link(key: bytes | None, previous: str, body: bytes) -> str:
    message = previous.encode("ascii") + b"\n" + body
    if key is None:
        return UNKEYED + hashlib.sha256(message).hexdigest()
    return KEYED + hmac.new(key, message, hashlib.sha256).hexdigest()


def link_holds(key: bytes | None, previous: str, body: bytes, link: str) -> bool | None:
    """True if `link` seals `body` after `previous`; False if it does not; None when it is a
    keyed link and there is no key here to check it with."""
    if link.startswith(KEYED):
        if key is None:
            return None
        return hmac.compare_digest(make_link(key, previous, body), link)
    if link.startswith(UNKEYED):
        return hmac.compare_digest(make_link(None, previous, body), link)
    return False


def key_id(key: bytes) -> str:
    """A public name for a key, so the app can tell 'no key here' from 'another key here'
    without revealing anything about it."""
    return hmac.new(key, b"dsar-desk chain key id", hashlib.sha256).hexdigest()[:16]


def mac(key: bytes, data: bytes) -> str:
    """A keyed fingerprint of any document (the case-file manifest)."""
    return hmac.new(key, data, hashlib.sha256).hexdigest()

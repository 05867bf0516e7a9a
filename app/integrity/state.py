"""A case's current state as the record knows it: every event carries a snapshot of the case
after it, so the case row can be checked against its newest event.

The snapshot keeps the public fields as they are and the personal ones (the requester's
details, the description, grounds and reasons) only as a digest salted with the event's
personal salt, so erasing that salt leaves nothing to guess a name against.

Works on plain values, so the migration that seals an older store (raw SQL) and the use cases
(ORM objects) take the same snapshot.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from app.integrity.chain import salted_digest

# The case columns when the chain began (revision 0003): its migration reads exactly these,
# so never change this tuple; add later columns to CASE_PUBLIC below.
CASE_PUBLIC_0003 = (
    "reference",
    "requester_id",
    "request_type",
    "channel",
    "received_on",
    "status",
    "outcome",
    "closed_on",
    "identity_required",
    "clock_start",
    "paused_on",
    "pauses",
    "extension_months",
    "region",
    "promise_days",
    "statutory_due",
    "promised_due",
    "effective_due",
)
CASE_PUBLIC = (*CASE_PUBLIC_0003, "erased_on")
CASE_PERSONAL = ("description", "ground", "extension_reason")
REQUESTER_PERSONAL = ("name", "email", "postal_address", "phone")
PERSONAL = "personal"  # the snapshot key of the salted digest
PERSONAL_LABEL = "requester's details, description or grounds"


def _normal(column: str, value: Any) -> Any:
    """One spelling per value, whether read through the ORM or as raw SQLite text."""
    if value is None:
        return None
    if column == "pauses":
        return [int(x) for x in (json.loads(value) if isinstance(value, str) else value)]
    if column == "identity_required":
        return bool(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def values_of(case: Mapping[str, Any], requester: Mapping[str, Any]) -> dict[str, Any]:
    """The tracked values of a case row and its requester row (column -> value)."""
    values = {
        column: _normal(column, case.get(column)) for column in (*CASE_PUBLIC, *CASE_PERSONAL)
    }
    for column in REQUESTER_PERSONAL:
        values[f"requester_{column}"] = requester.get(column)
    return values


def orm_values(case: Any) -> dict[str, Any]:
    """`values_of` for an ORM Case (and its requester)."""
    return values_of(
        {c: getattr(case, c) for c in (*CASE_PUBLIC, *CASE_PERSONAL)},
        {c: getattr(case.requester, c) for c in REQUESTER_PERSONAL},
    )


def _personal(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in CASE_PUBLIC}


def snapshot(values: Mapping[str, Any], salt: str) -> dict[str, Any]:
    state = {column: values.get(column) for column in CASE_PUBLIC}
    state[PERSONAL] = salted_digest(salt, _personal(values))
    return state


def differences(state: Mapping[str, Any], salt: str | None, values: Mapping[str, Any]) -> list[str]:
    """The fields whose value now differs from the snapshot `state` (taken with `salt`).

    Only fields the snapshot holds are compared, so a snapshot from before a column existed
    is not a difference. Without the salt (erased) the personal digest cannot be checked.
    """
    changed = [c for c in CASE_PUBLIC if c in state and state[c] != values.get(c)]
    personal = state.get(PERSONAL)
    if (
        salt is not None
        and personal is not None
        and personal != salted_digest(salt, _personal(values))
    ):
        changed.append(PERSONAL)
    return changed


_LABELS = {
    PERSONAL: PERSONAL_LABEL,
    "closed_on": "closing date",
    "received_on": "date received",
    "clock_start": "clock start",
    "paused_on": "pause date",
    "pauses": "paused days",
    "extension_months": "extension",
    "statutory_due": "statutory deadline",
    "promised_due": "promised date",
    "effective_due": "due date",
    "requester_id": "requester",
    "identity_required": "need for ID",
    "promise_days": "promise",
}


def describe(fields: list[str]) -> str:
    """Field names as the DPO knows them: 'outcome, due date'."""
    return ", ".join(_LABELS.get(f, f.replace("_", " ")) for f in fields)

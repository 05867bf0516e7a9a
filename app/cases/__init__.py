"""The use cases: the only code that changes a case.

Each is one transaction (`store.write()`) that changes the case and appends exactly one
CaseEvent saying who did what, when, with before/after values. A broken rule raises
DomainError before anything is written, so a refused action changes nothing.

The package's modules follow a case's life: `intake` (logging and correcting a request),
`clock` (identity, clarification, extension), `closing` (the outcome, reopening); `reading`
and `writing` hold what they share. Callers use the names below (`from app import cases`).
"""

from app.cases.clock import (
    clarification_received,
    extend,
    identity_received,
    pause_for_clarification,
    request_identity,
)
from app.cases.closing import close, reopen, timing_phrase
from app.cases.intake import (
    REQUESTER_FIELDS,
    change_request_type,
    log_request,
    open_cases_for_email,
    update_requester,
)
from app.cases.reading import get_case, last_step_date, read_case, timeline
from app.cases.writing import actor_of, add_note, current_actor, record_event

__all__ = [
    "REQUESTER_FIELDS",
    "actor_of",
    "add_note",
    "change_request_type",
    "clarification_received",
    "close",
    "current_actor",
    "extend",
    "get_case",
    "identity_received",
    "last_step_date",
    "log_request",
    "open_cases_for_email",
    "pause_for_clarification",
    "read_case",
    "record_event",
    "reopen",
    "request_identity",
    "timeline",
    "timing_phrase",
    "update_requester",
]

"""The vocabulary of a request: types, channels, statuses, outcomes, and the domain error."""

from __future__ import annotations

from enum import StrEnum


class DomainError(Exception):
    """A rule of the process was broken. The message is written for the DPO, not a developer."""


class ConcurrentChange(DomainError):
    """The case changed since it was read (another window or process got there first)."""


class Cancelled(Exception):
    """The user pressed Cancel; the work stopped and left nothing half-done."""


class NotFound(DomainError):
    """No such case (or letter, or attachment)."""


class RequestType(StrEnum):
    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    PORTABILITY = "portability"
    MARKETING_OPT_OUT = "marketing_opt_out"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]

    @property
    def article(self) -> str:
        return _TYPE_ARTICLES[self]


_TYPE_LABELS = {
    RequestType.ACCESS: "Subject access",
    RequestType.RECTIFICATION: "Rectification",
    RequestType.ERASURE: "Erasure",
    RequestType.RESTRICTION: "Restriction / objection",
    RequestType.PORTABILITY: "Portability",
    RequestType.MARKETING_OPT_OUT: "Marketing opt-out",
}
_TYPE_ARTICLES = {
    RequestType.ACCESS: "Article 15",
    RequestType.RECTIFICATION: "Article 16",
    RequestType.ERASURE: "Article 17",
    RequestType.RESTRICTION: "Articles 18 and 21",
    RequestType.PORTABILITY: "Article 20",
    RequestType.MARKETING_OPT_OUT: "Article 21(2)",
}


class Channel(StrEnum):
    EMAIL = "email"
    POST = "post"
    PHONE = "phone"
    WEB_FORM = "web_form"
    IN_PERSON = "in_person"

    @property
    def label(self) -> str:
        return {
            Channel.EMAIL: "Email",
            Channel.POST: "Post",
            Channel.PHONE: "Phone",
            Channel.WEB_FORM: "Web form",
            Channel.IN_PERSON: "In person",
        }[self]

    @property
    def phrase(self) -> str:
        """How a sentence says it arrived: 'received by post', 'received in person'."""
        return {
            Channel.EMAIL: "by email",
            Channel.POST: "by post",
            Channel.PHONE: "by phone",
            Channel.WEB_FORM: "through the web form",
            Channel.IN_PERSON: "in person",
        }[self]


class Status(StrEnum):
    OPEN = "open"
    AWAITING_IDENTITY = "awaiting_identity"
    AWAITING_CLARIFICATION = "awaiting_clarification"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            Status.OPEN: "Open",
            Status.AWAITING_IDENTITY: "Waiting for ID",
            Status.AWAITING_CLARIFICATION: "Paused: clarification",
            Status.CLOSED: "Closed",
        }[self]

    @property
    def paused(self) -> bool:
        return self in (Status.AWAITING_IDENTITY, Status.AWAITING_CLARIFICATION)


class Outcome(StrEnum):
    FULFILLED = "fulfilled"
    PARTLY_FULFILLED = "partly_fulfilled"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    NO_DATA_HELD = "no_data_held"

    @property
    def label(self) -> str:
        return {
            Outcome.FULFILLED: "Fulfilled",
            Outcome.PARTLY_FULFILLED: "Partly fulfilled",
            Outcome.REFUSED: "Refused",
            Outcome.WITHDRAWN: "Withdrawn",
            Outcome.NO_DATA_HELD: "No data held",
        }[self]

    @property
    def needs_ground(self) -> bool:
        return self in (Outcome.PARTLY_FULFILLED, Outcome.REFUSED)


class Urgency(StrEnum):
    """How pressing an open case is. Only a case past its statutory date is overdue; past our
    own promise with the law's date still ahead is its own state (DESIGN.md rule 4)."""

    OVERDUE = "overdue"
    PAST_PROMISE = "past_promise"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"
    PAUSED = "paused"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            Urgency.OVERDUE: "Overdue",
            Urgency.PAST_PROMISE: "Past our promise",
            Urgency.DUE_SOON: "Due within 7 days",
            Urgency.ON_TRACK: "On track",
            Urgency.PAUSED: "Paused",
            Urgency.CLOSED: "Closed",
        }[self]


DUE_SOON_DAYS = 7


class EventKind(StrEnum):
    LOGGED = "logged"
    IDENTITY_REQUESTED = "identity_requested"
    IDENTITY_RECEIVED = "identity_received"
    CLARIFICATION_REQUESTED = "clarification_requested"
    CLARIFICATION_RECEIVED = "clarification_received"
    EXTENDED = "extended"
    NOTE = "note"
    CLOSED = "closed"
    REOPENED = "reopened"
    REQUESTER_UPDATED = "requester_updated"
    LETTER_GENERATED = "letter_generated"
    LETTER_SENT_POST = "letter_sent_post"
    LETTER_EMAILED = "letter_emailed"
    LETTER_EMAIL_FAILED = "letter_email_failed"
    LETTER_DRAFT_SAVED = "letter_draft_saved"
    ATTACHMENT_ADDED = "attachment_added"
    ATTACHMENT_DELETED = "attachment_deleted"
    SUPPRESSED = "suppressed"
    REQUEST_TYPE_CHANGED = "request_type_changed"
    SEARCH_PLAN_CREATED = "search_plan_created"
    SEARCH_TASK_ADDED = "search_task_added"
    SEARCH_RECORDED = "search_recorded"
    SEARCH_LEFT_OUT = "search_left_out"
    SEARCH_ACTION_RECORDED = "search_action_recorded"
    REMINDER_SNOOZED = "reminder_snoozed"
    CHASED = "chased"
    RECORDS_SEALED = "records_sealed"  # the chain began (app.integrity.genesis)
    ERASED = "erased"  # the case file erased under the retention policy

"""Plain, frozen values handed to callers. No ORM object leaves `app`, so a widget can never
lazy-load a relationship or change a record behind the use cases' back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.deadlines import Clock, notice_in_time
from app.domain import DUE_SOON_DAYS, Channel, Outcome, RequestType, Status, Urgency


def urgency_of(status: Status, effective_due: date, statutory_due: date, today: date) -> Urgency:
    """The same rule as the SQL in app.queries: closed, paused, overdue (past the statutory
    date), past our promise (the statutory date still ahead), due soon, on track."""
    if status is Status.CLOSED:
        return Urgency.CLOSED
    if status.paused:
        return Urgency.PAUSED
    if statutory_due < today:
        return Urgency.OVERDUE
    days = (effective_due - today).days
    if days < 0:
        return Urgency.PAST_PROMISE
    if days <= DUE_SOON_DAYS:
        return Urgency.DUE_SOON
    return Urgency.ON_TRACK


@dataclass(frozen=True, slots=True)
class RequesterDetails:
    name: str
    email: str = ""
    postal_address: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class CaseDetail:
    id: int
    reference: str
    requester_id: int
    requester: RequesterDetails
    request_type: RequestType
    channel: Channel
    received_on: date
    description: str
    status: Status
    outcome: Outcome | None
    ground: str | None
    closed_on: date | None
    identity_required: bool
    clock_start: date
    paused_on: date | None
    pauses: tuple[int, ...]
    extension_months: int
    extension_reason: str | None
    region: str
    promise_days: int
    statutory_due: date
    promised_due: date
    effective_due: date
    extension_notice_by: date
    maximum_due: date
    version: int
    created_at: datetime
    # Issue 8: the extension notice still to send (its deadline), the clarification question,
    # the identity request's reason and documents, the legal basis of a refusal.
    extension_notice_due: date | None = None
    clarification_question: str | None = None
    identity_reason: str | None = None
    identity_documents: tuple[str, ...] = ()
    ground_basis: str | None = None
    last_step_on: date | None = None  # the latest dated step on the record (app.cases)

    def urgency(self, today: date) -> Urgency:
        return urgency_of(self.status, self.effective_due, self.statutory_due, today)

    def days_left(self, today: date) -> int:
        return (self.effective_due - today).days

    def clock(self, *, extra_months: int = 0) -> Clock:
        """The case's clock, as app.deadlines counts it (optionally with more months)."""
        return Clock(
            start=self.clock_start,
            pauses=self.pauses,
            extension_months=self.extension_months + extra_months,
            marketing_opt_out=self.request_type is RequestType.MARKETING_OPT_OUT,
            promise_days=self.promise_days,
            region=self.region,
            paused_since=self.paused_on if self.status is Status.AWAITING_CLARIFICATION else None,
        )

    def notice_in_time(self, on: date) -> bool:
        """Whether an extension notice given `on` is in time (an open pause stops the clock)."""
        return notice_in_time(self.clock(), on)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    id: int
    at: datetime
    actor: str
    kind: str
    summary: str
    details: dict


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the case list."""

    id: int
    reference: str
    requester_name: str
    requester_email: str
    request_type: RequestType
    received_on: date
    effective_due: date
    status: Status
    urgency: Urgency
    days_left: int  # to the effective (working) deadline; negative once it has passed
    statutory_due: date
    outcome: Outcome | None = None  # closed cases only
    closed_on: date | None = None

    @property
    def days_late(self) -> int:
        """Calendar days a closed case was answered after its statutory deadline (0: in time)."""
        if self.closed_on is None:
            return 0
        return max((self.closed_on - self.statutory_due).days, 0)

    @property
    def statutory_days_left(self) -> int:
        return self.days_left + (self.statutory_due - self.effective_due).days


@dataclass(frozen=True, slots=True)
class IntakeDraft:
    """What the intake dialog opens pre-filled with, e.g. from an imported email.

    `problems` lists what could not be read (no sender, no date, ...): the dialog says so
    rather than inventing values. `original` is the file to keep with the case on OK.
    """

    name: str = ""
    email: str = ""
    postal_address: str = ""
    phone: str = ""
    request_type: RequestType | None = None
    channel: Channel | None = None
    received_on: date | None = None
    description: str = ""
    original: bytes | None = None
    original_filename: str | None = None
    original_mime_type: str | None = None
    problems: tuple[str, ...] = ()

"""What needs doing today and soon, each with its reason (issue 12, DESIGN.md section 7).

`reminders_for(facts, on=...)` is pure: given what the store says about each case and the day
to look from, it lists the reminders, so every rule is tested with fixed dates. A reminder
goes away by itself once the DPO acts (the ID arrives, the case is closed or extended, the ID
document is deleted); a chase is marked done with `mark_chased`, which starts the interval
again; `snooze` hides one reminder until a chosen day. Both are events on the case's timeline.

Reminders carry references and dates only, never a requester's name, so the same list can
go into the daily digest email.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from app.cases import record_event
from app.domain import DomainError, EventKind, RequestType, Status
from app.formatting import uk_date
from app.models import Attachment, Case, CaseEvent
from app.searches import PlanCounts
from app.searches.planning import counts_by_case
from app.settings import set_value, stored_fields
from app.store import Store
from app.workdays import add_working_days, working_days_between


class ReminderKind(StrEnum):
    OVERDUE = "overdue"
    EXTENSION_NOTICE = "extension_notice"
    PROMISE_PASSED = "promise_passed"
    STATUTORY_DUE_SOON = "statutory_due_soon"
    PROMISE_DUE_SOON = "promise_due_soon"
    SEARCHES_OPEN = "searches_open"
    IDENTITY_CHASE = "identity_chase"
    CLARIFICATION_CHASE = "clarification_chase"
    ID_DOCUMENTS_HELD = "id_documents_held"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_chase(self) -> bool:
        return self in (ReminderKind.IDENTITY_CHASE, ReminderKind.CLARIFICATION_CHASE)


_LABELS = {
    ReminderKind.OVERDUE: "Overdue",
    ReminderKind.EXTENSION_NOTICE: "Send extension notice",
    ReminderKind.PROMISE_PASSED: "Past our promise",
    ReminderKind.STATUTORY_DUE_SOON: "Statutory deadline soon",
    ReminderKind.PROMISE_DUE_SOON: "Promise date soon",
    ReminderKind.SEARCHES_OPEN: "Searches to finish",
    ReminderKind.IDENTITY_CHASE: "Chase proof of identity",
    ReminderKind.CLARIFICATION_CHASE: "Chase clarification",
    ReminderKind.ID_DOCUMENTS_HELD: "Delete ID documents",
}
# Most pressing first: a breach of the law, then our promise, then what can still be saved.
_RANK = {kind: rank for rank, kind in enumerate(ReminderKind)}


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """How long to wait before chasing, and how far ahead to warn (all in working days)."""

    identity_chase_days: int = 10
    clarification_chase_days: int = 10
    due_soon_days: int = 5
    searches_days: int = 10  # search tasks still open this close to the reply date


# An extension stands only if the requester is told before the first month ends (DESIGN.md
# rule 7; Article 12(3)): warn this many working days ahead (issue 12 fixes it at 3).
EXTENSION_NOTICE_DAYS = 3

_PREFIX = "reminders."


def load_reminder_settings(store: Store) -> ReminderSettings:
    stored = stored_fields(store, _PREFIX, ReminderSettings)
    return ReminderSettings(
        **{k: v for k, v in stored.items() if isinstance(v, int) and not isinstance(v, bool)}
    )


def reminder_settings_problem(settings: ReminderSettings) -> str | None:
    for f in fields(ReminderSettings):
        value = getattr(settings, f.name)
        if not 1 <= value <= 60:
            return f"{f.name.replace('_', ' ').capitalize()} must be between 1 and 60."
    return None


def save_reminder_settings(store: Store, settings: ReminderSettings) -> None:
    problem = reminder_settings_problem(settings)
    if problem:
        raise DomainError(problem)
    for key, value in asdict(settings).items():
        set_value(store, _PREFIX + key, value)


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the rules need to know about one case (no personal data)."""

    id: int
    reference: str
    request_type: RequestType
    status: Status
    received_on: date
    statutory_due: date
    promised_due: date
    region: str
    paused_on: date | None = None
    extension_notice_due: date | None = None  # extended, the notice letter not yet sent
    identity_verified_on: date | None = None
    id_documents_held: int = 0
    searches_total: int = 0  # tasks in the search plan (app.searches)
    searches_open: int = 0  # of which neither done nor left out with a reason
    last_chased: dict[ReminderKind, date] = field(default_factory=dict)
    snoozed_until: dict[ReminderKind, date] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reminder:
    case_id: int
    reference: str
    kind: ReminderKind
    due_on: date  # the day it needs doing (a deadline, or the day a chase fell due)
    reason: str  # dates and counts only: it goes into the digest email as it is
    today: bool  # needs doing today (else: coming up)

    @property
    def key(self) -> tuple[int, ReminderKind]:
        return (self.case_id, self.kind)


def reminders_for(
    facts: Iterable[CaseFacts], *, on: date, settings: ReminderSettings | None = None
) -> list[Reminder]:
    """Every reminder due `on` that is not snoozed past it, most pressing first."""
    settings = settings or ReminderSettings()
    return sorted(_unsnoozed(facts, on, settings), key=_pressing)


def _unsnoozed(
    facts: Iterable[CaseFacts], on: date, settings: ReminderSettings
) -> Iterator[Reminder]:
    for case in facts:
        for reminder in _case_reminders(case, on, settings):
            if not (until := case.snoozed_until.get(reminder.kind)) or until <= on:
                yield reminder


def _pressing(reminder: Reminder) -> tuple[bool, int, date, str]:
    """Most pressing first: due today, then by kind, date and reference."""
    return (not reminder.today, _RANK[reminder.kind], reminder.due_on, reminder.reference)


@dataclass(frozen=True, slots=True)
class PressingReminders:
    """The most pressing reminders, and how many there are in all."""

    shown: list[Reminder]  # most pressing first, at most the limit asked for
    due_today: int
    coming_up: int

    @property
    def total(self) -> int:
        return self.due_today + self.coming_up


def pressing_reminders(
    store: Store, *, on: date, limit: int, settings: ReminderSettings | None = None
) -> PressingReminders:
    """The `limit` most pressing reminders (as `due_reminders` orders them) and the counts of
    all. The Today view shows a list a person can work through: at 1,000,000 cases every
    open case may be overdue, and holding them all (with every case's facts) took 0.7 GB
    (issue 14). Cases are read a chunk at a time and only the `limit` best are kept."""
    settings = settings or load_reminder_settings(store)
    counts = [0, 0]  # due today, coming up

    def counted() -> Iterator[Reminder]:
        for reminder in _unsnoozed(iter_facts(store), on, settings):
            counts[0 if reminder.today else 1] += 1
            yield reminder

    shown = heapq.nsmallest(limit, counted(), key=_pressing)
    return PressingReminders(shown, counts[0], counts[1])


def _case_reminders(case: CaseFacts, on: date, settings: ReminderSettings) -> list[Reminder]:
    out: list[Reminder] = []

    def add(kind: ReminderKind, due_on: date, reason: str) -> None:
        out.append(Reminder(case.id, case.reference, kind, due_on, reason, due_on <= on))

    if case.id_documents_held and (case.identity_verified_on or case.status is Status.CLOSED):
        since = case.identity_verified_on or case.received_on
        noun = "document is" if case.id_documents_held == 1 else "documents are"
        why = (
            f"identity was verified on {uk_date(case.identity_verified_on)}"
            if case.identity_verified_on
            else "the case is closed"
        )
        add(
            ReminderKind.ID_DOCUMENTS_HELD,
            since,
            f"{case.id_documents_held} ID {noun} still held, but {why}: delete "
            f"{'it' if case.id_documents_held == 1 else 'them'}.",
        )
    if case.status is Status.CLOSED:
        return out
    if case.extension_notice_due is not None:
        _extension_notice(case, on, add)
    if case.status.paused:
        kind, days, what = (
            (ReminderKind.IDENTITY_CHASE, settings.identity_chase_days, "Proof of identity")
            if case.status is Status.AWAITING_IDENTITY
            else (
                ReminderKind.CLARIFICATION_CHASE,
                settings.clarification_chase_days,
                "Clarification",
            )
        )
        asked = case.paused_on or case.received_on
        chased = case.last_chased.get(kind)
        last = max(asked, chased) if chased else asked
        due = add_working_days(last, days, case.region)
        if due <= on:
            waited = working_days_between(asked, on, case.region)
            reason = f"{what} asked for on {uk_date(asked)}, {waited} working days ago"
            reason += f"; last chased {uk_date(chased)}." if chased and chased >= asked else "."
            add(kind, due, reason + " No reply yet: chase it.")
        return out
    statutory, promised = case.statutory_due, case.promised_due
    reply_by = min(statutory, promised)
    if case.searches_open and (
        working_days_between(on, reply_by, case.region) <= settings.searches_days
    ):
        add(
            ReminderKind.SEARCHES_OPEN,
            reply_by,
            f"{case.searches_open} of {case.searches_total} search tasks unfinished in the "
            f"Searches tab; the reply is due {uk_date(reply_by)}.",
        )
    if on > statutory:
        add(
            ReminderKind.OVERDUE,
            statutory,
            f"The statutory deadline was {uk_date(statutory)}: "
            f"{(on - statutory).days} days overdue.",
        )
        return out
    if promised < statutory and on > promised:
        add(
            ReminderKind.PROMISE_PASSED,
            promised,
            f"Our promise date {uk_date(promised)} has passed; the statutory deadline is "
            f"{uk_date(statutory)}.",
        )
    elif promised < statutory and working_days_between(on, promised, case.region) <= (
        settings.due_soon_days
    ):
        add(ReminderKind.PROMISE_DUE_SOON, promised, f"Promised by {_when(promised, on, case)}.")
    if working_days_between(on, statutory, case.region) <= settings.due_soon_days:
        both = " (our promise too)" if promised == statutory else ""
        add(
            ReminderKind.STATUTORY_DUE_SOON,
            statutory,
            f"Statutory deadline{both} {_when(statutory, on, case)}.",
        )
    return out


def _extension_notice(
    case: CaseFacts, on: date, add: Callable[[ReminderKind, date, str], None]
) -> None:
    """The case was extended but the notice letter has not gone out: due within
    EXTENSION_NOTICE_DAYS working days, or already late. A late notice cannot be made any
    more (app.letters refuses it), so the late reminder says the extension cannot be relied
    on; it goes when the case closes, or when a notice made in time is marked sent."""
    due = case.extension_notice_due
    assert due is not None
    if working_days_between(on, due, case.region) > EXTENSION_NOTICE_DAYS:
        return
    send = "Send the extension notice letter (email it, or post it and mark it sent)."
    if on <= due:
        add(
            ReminderKind.EXTENSION_NOTICE,
            due,
            f"The requester must be told of the extension and why by "
            f"{_when(due, on, case)}. {send}",
        )
        return
    if case.paused_on is not None and case.paused_on <= due:
        # The clock stopped before the notice month ended: a notice now is still in time.
        add(
            ReminderKind.EXTENSION_NOTICE,
            due,
            f"The extension notice was due by {uk_date(due)}; the clock has been paused "
            f"since {uk_date(case.paused_on)}, so a notice now is still in time. {send}",
        )
        return
    late = (on - due).days
    add(
        ReminderKind.EXTENSION_NOTICE,
        due,
        f"The extension notice was due by {uk_date(due)} and is not marked sent: "
        f"{late} day{'s' if late != 1 else ''} late, so the extension cannot be relied on. "
        "Reply as soon as you can, or mark the notice sent if it went out in time.",
    )


def _when(day: date, on: date, case: CaseFacts) -> str:
    if day == on:
        return f"today, {uk_date(day)}"
    left = working_days_between(on, day, case.region)
    return f"{uk_date(day)}, in {left} working day{'s' if left != 1 else ''}"


# ---------------------------------------------------------------------------------------
# From the store


def due_reminders(
    store: Store, *, on: date, settings: ReminderSettings | None = None
) -> list[Reminder]:
    """The reminders for `on` from the store's open cases (and closed ones holding ID)."""
    settings = settings or load_reminder_settings(store)
    return reminders_for(load_facts(store), on=on, settings=settings)


def load_facts(store: Store) -> list[CaseFacts]:
    return list(iter_facts(store))


def iter_facts(store: Store, *, chunk: int = 5_000) -> Iterator[CaseFacts]:
    """The facts of every open case (and closed one holding ID), read `chunk` cases at a
    time in one read transaction, so that a caller that keeps little holds little."""
    with store.read() as session:
        held_rows = session.execute(
            select(Attachment.case_id).where(
                Attachment.kind == "id_document", Attachment.deleted_at.is_(None)
            )
        ).all()
        held: dict[int, int] = {}
        for (case_id,) in held_rows:
            held[case_id] = held.get(case_id, 0) + 1
        # The columns the reminders read, not whole cases as ORM objects: every open case is
        # read here at every start and change (issue 14: 1,000,000 cases).
        wanted = or_(Case.status != Status.CLOSED.value, Case.id.in_(list(held)))
        after = 0
        while rows := session.execute(
            select(
                Case.id,
                Case.reference,
                Case.request_type,
                Case.status,
                Case.received_on,
                Case.statutory_due,
                Case.promised_due,
                Case.region,
                Case.paused_on,
                Case.extension_notice_due,
            )
            .where(wanted, Case.id > after)
            .order_by(Case.id)
            .limit(chunk)
        ).all():
            after = rows[-1].id
            yield from _facts(session, rows, held)


def _facts(session: Session, rows: Sequence[Row[Any]], held: dict[int, int]) -> list[CaseFacts]:
    """The rules' facts for one chunk of cases, with their events and search plans."""
    ids = [row.id for row in rows]
    verified: dict[int, date] = {}
    chased: dict[int, dict[ReminderKind, date]] = {}
    snoozed: dict[int, dict[ReminderKind, date]] = {}
    kinds = (EventKind.IDENTITY_RECEIVED, EventKind.CHASED, EventKind.REMINDER_SNOOZED)
    open_ids = [row.id for row in rows if row.status != Status.CLOSED.value]
    plans = counts_by_case(session, open_ids)
    for chunk in _chunks(ids, 500):
        events = session.execute(
            select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.details)
            .where(CaseEvent.case_id.in_(chunk), CaseEvent.kind.in_(kinds))
            .order_by(CaseEvent.id)
        ).all()
        for case_id, kind, details in events:
            if kind == EventKind.IDENTITY_RECEIVED:
                verified[case_id] = date.fromisoformat(details["clock_start_after"])
                continue
            target = chased if kind == EventKind.CHASED else snoozed
            day = details["on"] if kind == EventKind.CHASED else details["until"]
            target.setdefault(case_id, {})[ReminderKind(details["reminder"])] = date.fromisoformat(
                day
            )
    return [
        CaseFacts(
            id=row.id,
            reference=row.reference,
            request_type=RequestType(row.request_type),
            status=Status(row.status),
            received_on=row.received_on,
            statutory_due=row.statutory_due,
            promised_due=row.promised_due,
            region=row.region,
            paused_on=row.paused_on,
            extension_notice_due=row.extension_notice_due,
            identity_verified_on=verified.get(row.id),
            id_documents_held=held.get(row.id, 0),
            searches_total=plans.get(row.id, PlanCounts(0, 0, 0, 0)).total,
            searches_open=plans.get(row.id, PlanCounts(0, 0, 0, 0)).open,
            last_chased=chased.get(row.id, {}),
            snoozed_until=snoozed.get(row.id, {}),
        )
        for row in rows
    ]


def _chunks(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def snooze(
    store: Store, case_id: int, kind: ReminderKind, *, until: date, today: date | None = None
) -> None:
    """Hide one reminder until `until` (it shows again that day); on the case's record."""
    today = today or date.today()
    kind = ReminderKind(kind)
    if until <= today:
        raise DomainError(f"Snooze until a later day than today ({uk_date(today)}).")
    with store.write() as session:
        record_event(
            session,
            case_id,
            EventKind.REMINDER_SNOOZED,
            f"Reminder “{kind.label}” snoozed until {uk_date(until)}.",
            {"reminder": kind.value, "until": until.isoformat(), "snoozed_on": today.isoformat()},
        )


def mark_chased(
    store: Store, case_id: int, kind: ReminderKind, *, on: date, today: date | None = None
) -> None:
    """The requester was chased `on` that day; the next chase falls due an interval later."""
    kind = ReminderKind(kind)
    if not kind.is_chase:
        raise DomainError(f"“{kind.label}” goes away by itself once it is dealt with in the case.")
    if on > (today or date.today()):
        raise DomainError(f"The chase cannot be dated in the future ({uk_date(on)}).")
    what = "proof of identity" if kind is ReminderKind.IDENTITY_CHASE else "clarification"
    with store.write() as session:
        case = session.get(Case, case_id)
        if case is None or case.paused_on is None:
            raise DomainError("This case is no longer waiting for the requester.")
        record_event(
            session,
            case_id,
            EventKind.CHASED,
            f"Requester chased for {what} on {uk_date(on)}.",
            {"reminder": kind.value, "on": on.isoformat()},
        )

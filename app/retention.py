"""Nothing kept longer than allowed (UK GDPR Art. 5(1)(e), storage limitation; DESIGN.md
section 8): the retention policy, what is due for erasure, and the erasure itself.

The policy keeps a closed case's file for a number of years after closure, per outcome
(2 years; 6 for refused and partly fulfilled cases, the limitation period for a claim in
England and Wales), and ID documents for a number of days after identity was verified or the
case closed, whichever comes first. Nothing is erased on its own: the due cases are listed
for the DPO, who confirms.

Erasing a case replaces the requester's details, deletes its letters and attachments, blanks
the personal part of every earlier event (their seals still verify: app.integrity hashes that
part separately) and puts the erasure itself on the record. What a suppression needs (the
email address, so the person is never contacted again) is all a suppression keeps.
Afterwards the store's write-ahead log is emptied, so no earlier copy of a page lingers in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.backups import Cancelled, list_backups, taken_at
from app.cases.reading import _case
from app.cases.writing import _append_event
from app.disclosure.erasure import forget_personal_data as forget_disclosure
from app.domain import DomainError, EventKind, Outcome, Status
from app.integrity.chain import ERASED_SUMMARY, split_details
from app.integrity.state import orm_values
from app.models import Attachment, Case, CaseEvent, Letter, Suppression
from app.searches import forget_personal_data as forget_search_record
from app.settings import set_value, stored_fields
from app.store import Store, forget_deleted
from app.text import fold

ERASED_NAME = "(erased)"
_PREFIX = "retention."
Progress = Callable[[int, int], bool]


def _go_on(done: int, total: int) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """Years a closed case's file is kept after closure, per outcome; days for ID documents."""

    fulfilled_years: int = 2
    partly_fulfilled_years: int = 6
    refused_years: int = 6
    withdrawn_years: int = 2
    no_data_held_years: int = 2
    id_document_days: int = 30

    def years_for(self, outcome: Outcome | str) -> int:
        return int(getattr(self, f"{Outcome(outcome).value}_years"))

    def erase_from(self, outcome: Outcome | str, closed_on: date) -> date:
        return closed_on + relativedelta(years=self.years_for(outcome))

    @property
    def shortest_days(self) -> int:
        """The shortest horizon, in days: backups older than this may hold what is gone."""
        return min(self.id_document_days, min(self.years_for(o) for o in Outcome) * 365)


def policy_problem(policy: RetentionPolicy) -> str | None:
    for outcome in Outcome:
        years = policy.years_for(outcome)
        if not 1 <= years <= 50:
            return f"Keep '{outcome.label.lower()}' cases between 1 and 50 years."
    if not 1 <= policy.id_document_days <= 3650:
        return "Keep ID documents between 1 and 3,650 days."
    return None


def load_policy(store: Store) -> RetentionPolicy:
    stored = stored_fields(store, _PREFIX, RetentionPolicy)
    return RetentionPolicy(
        **{k: v for k, v in stored.items() if isinstance(v, int) and not isinstance(v, bool)}
    )


def save_policy(store: Store, policy: RetentionPolicy) -> None:
    problem = policy_problem(policy)
    if problem:
        raise DomainError(problem)
    for key, value in asdict(policy).items():
        set_value(store, _PREFIX + key, value)


# ---------------------------------------------------------------------------------------
# What is due


@dataclass(frozen=True, slots=True)
class DueCase:
    case_id: int
    reference: str
    outcome: Outcome
    closed_on: date
    erase_from: date


@dataclass(frozen=True, slots=True)
class DueDocument:
    attachment_id: int
    case_id: int
    reference: str
    filename: str
    due_on: date
    because: str  # "identity verified on 3 Oct 2026" / "case closed on ..."


def due_cases(store: Store, today: date, policy: RetentionPolicy | None = None) -> list[DueCase]:
    """Closed, not yet erased cases whose retention period has ended, oldest first."""
    policy = policy or load_policy(store)
    with store.read() as session:
        rows = session.execute(
            select(Case.id, Case.reference, Case.outcome, Case.closed_on)
            .where(
                Case.status == Status.CLOSED,
                Case.erased_on.is_(None),
                Case.closed_on.is_not(None),
                Case.outcome.is_not(None),
                # No outcome keeps a case less than the shortest period: a cheap SQL bound.
                Case.closed_on <= today - relativedelta(years=_fewest_years(policy)),
            )
            .order_by(Case.closed_on, Case.id)
        ).all()
    due = []
    for row in rows:
        erase_from = policy.erase_from(row.outcome, row.closed_on)
        if erase_from <= today:
            due.append(
                DueCase(row.id, row.reference, Outcome(row.outcome), row.closed_on, erase_from)
            )
    return due


def _fewest_years(policy: RetentionPolicy) -> int:
    return min(policy.years_for(o) for o in Outcome)


def due_id_documents(
    store: Store, today: date, policy: RetentionPolicy | None = None
) -> list[DueDocument]:
    """ID documents still kept past N days after identity was verified or the case closed,
    whichever came first (an ID never marked received still goes at closure)."""
    from app.formatting import uk_date

    policy = policy or load_policy(store)
    with store.read() as session:
        rows = session.execute(
            select(
                Attachment.id,
                Attachment.case_id,
                Attachment.filename,
                Case.reference,
                Case.closed_on,
            )
            .join(Case, Case.id == Attachment.case_id)
            .where(Attachment.kind == "id_document", Attachment.content.is_not(None))
            .order_by(Attachment.id)
        ).all()
        verified = _verified_on(session, {row.case_id for row in rows})
    due = []
    for row in rows:
        starts = [
            (day, what)
            for day, what in (
                (verified.get(row.case_id), "identity was verified on"),
                (row.closed_on, "the case closed on"),
            )
            if day is not None
        ]
        if not starts:
            continue
        start, what = min(starts)
        due_on = start + relativedelta(days=policy.id_document_days)
        if due_on <= today:
            due.append(
                DueDocument(
                    row.id,
                    row.case_id,
                    row.reference,
                    row.filename,
                    due_on,
                    f"{what} {uk_date(start)}",
                )
            )
    return due


def _verified_on(session: Session, case_ids: set[int]) -> dict[int, date]:
    """The first day identity was recorded as received, per case."""
    found: dict[int, date] = {}
    if not case_ids:
        return found
    events = session.execute(
        select(CaseEvent.case_id, CaseEvent.details)
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind == EventKind.IDENTITY_RECEIVED)
        .order_by(CaseEvent.id)
    ).all()
    for case_id, details in events:
        value = (details or {}).get("clock_start_after")
        if isinstance(value, str) and case_id not in found:
            found[case_id] = date.fromisoformat(value)
    return found


# ---------------------------------------------------------------------------------------
# Erasing


@dataclass(frozen=True, slots=True)
class Erased:
    case_id: int
    reference: str
    letters: int
    attachments: int
    events: int


# Personal data of a case that other rooms keep (search records, disclosure items): each
# registers an eraser that runs inside the erasure's transaction. Passed in by the caller.
Eraser = Callable[[Session, int], int]


def erase_case(
    store: Store,
    case_id: int,
    *,
    today: date,
    policy: RetentionPolicy | None = None,
    erasers: tuple[Eraser, ...] = (forget_search_record, forget_disclosure),
    rebuild: bool = True,
) -> Erased:
    """Erase one due case in one transaction, with the erasure on its record."""
    policy = policy or load_policy(store)
    with store.write() as session:
        case = _case(session, case_id)
        if case.erased_on is not None:
            raise DomainError(f"Case {case.reference} was already erased.")
        if case.status != Status.CLOSED or case.closed_on is None or case.outcome is None:
            raise DomainError(f"Case {case.reference} is not closed, so it is kept.")
        erase_from = policy.erase_from(case.outcome, case.closed_on)
        if erase_from > today:
            from app.formatting import uk_date

            raise DomainError(
                f"Case {case.reference} is kept until {uk_date(erase_from)} under the "
                "retention policy; it cannot be erased before then."
            )
        before = orm_values(case)
        letters = session.execute(delete(Letter).where(Letter.case_id == case.id)).rowcount
        for eraser in erasers:
            eraser(session, case.id)
        attachments = session.execute(
            delete(Attachment).where(Attachment.case_id == case.id)
        ).rowcount
        blanked = _blank_events(session, case.id)
        _replace_requester(case)
        for suppression in session.scalars(
            select(Suppression).where(Suppression.case_id == case.id)
        ):
            suppression.name = ""  # the email is what keeps them from being contacted
        case.erased_on = today
        now = datetime.now(UTC)
        case.updated_at = now
        years = policy.years_for(case.outcome)
        _append_event(
            session,
            case,
            now,
            EventKind.ERASED,
            f"Case file erased under the retention policy ({years} years after closure): "
            f"requester's details replaced, {_count(letters, 'letter')} and "
            f"{_count(attachments, 'attachment')} deleted, {_count(blanked, 'earlier event')} "
            "blanked.",
            {
                "letters_deleted": letters,
                "attachments_deleted": attachments,
                "events_blanked": blanked,
                "retention_years": years,
                "closed_on": case.closed_on.isoformat(),
                "outcome": case.outcome,
            },
            before=before,
        )
        result = Erased(case.id, case.reference, letters, attachments, blanked)
    if rebuild:
        forget_deleted(store, rebuild=True)
    return result


def _blank_events(session: Session, case_id: int) -> int:
    count = 0
    for event in session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.salt.is_not(None))
    ):
        public, _personal = split_details(event.details or {})
        event.summary = ERASED_SUMMARY
        event.details = public
        event.salt = None
        count += 1
    return count


def _replace_requester(case: Case) -> None:
    person = case.requester
    person.name = ERASED_NAME
    person.email = ""
    person.email_key = ""
    person.postal_address = ""
    person.phone = ""
    case.description = ""
    case.description_key = ""  # the search index's folded copy (app.search_index)
    case.ground = None
    case.extension_reason = None
    case.clarification_question = None  # issue 8: what was asked of the requester
    case.identity_reason = None
    case.search_key = fold(case.reference)
    case.requester_sort = ""


def delete_due_id_documents(
    store: Store,
    documents: list[DueDocument],
    *,
    policy: RetentionPolicy | None = None,
    rebuild: bool = True,
) -> int:
    """Delete ID documents the DPO confirmed (each on its case's record, with the reason)."""
    from app.attachments import delete_attachment

    policy = policy or load_policy(store)
    for document in documents:
        delete_attachment(
            store,
            document.attachment_id,
            reason=f"Retention policy: ID documents are kept {policy.id_document_days} days "
            f"after identity is verified or the case closes ({document.because}).",
        )
    if documents and rebuild:
        forget_deleted(store, rebuild=True)
    return len(documents)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class ErasureBatch:
    cases: int
    documents: int
    backups: int


def erase_chosen(
    store: Store,
    case_ids: list[int],
    documents: list[DueDocument],
    *,
    today: date,
    policy: RetentionPolicy | None = None,
    progress: Progress = _go_on,
    now: datetime | None = None,
) -> ErasureBatch:
    """Erase what the DPO confirmed, one transaction per item; `progress` returning False
    stops between items (Cancelled), so each item is wholly erased or untouched. Then the
    file is rebuilt without free space and backups older than the shortest period go."""
    policy = policy or load_policy(store)
    # A case erased here takes its ID documents with it.
    documents = [d for d in documents if d.case_id not in set(case_ids)]
    total = len(case_ids) + len(documents)
    done = 0
    try:
        for case_id in case_ids:
            if not progress(done, total):
                raise Cancelled()
            erase_case(store, case_id, today=today, policy=policy, rebuild=False)
            done += 1
        for document in documents:
            if not progress(done, total):
                raise Cancelled()
            delete_due_id_documents(store, [document], policy=policy, rebuild=False)
            done += 1
    finally:
        if done:
            forget_deleted(store, rebuild=True)
    # A team server's backups are the server's own (pg_dump): none here to delete.
    backups = (
        0
        if store.path is None
        else delete_expired_backups(store.path, policy, now or datetime.now(UTC))
    )
    progress(total, total)
    return ErasureBatch(len(case_ids), len(documents), backups)


def delete_expired_backups(store_path: Path, policy: RetentionPolicy, now: datetime) -> int:
    """Backups older than the shortest retention period may hold what has since been erased:
    delete them (with any SQLite side files)."""
    horizon = now - timedelta(days=policy.shortest_days)
    count = 0
    for backup in list_backups(store_path):
        if taken_at(backup) < horizon:
            for part in (backup, *(Path(f"{backup}{s}") for s in ("-wal", "-shm", "-journal"))):
                part.unlink(missing_ok=True)
            count += 1
    return count

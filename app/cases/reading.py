"""Reading a case: its detail and timeline, and the dates the record already holds."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.deadlines import Clock, case_deadlines
from app.domain import Channel, NotFound, Outcome, RequestType, Status
from app.models import Case, CaseEvent
from app.readmodels import CaseDetail, RequesterDetails, TimelineEntry
from app.store import Store


def get_case(store: Store, case_id: int) -> CaseDetail:
    with store.read() as session:
        return read_case(session, case_id)


def read_case(session: Session, case_id: int) -> CaseDetail:
    """The case as `get_case` gives it, inside a session the caller holds: a letter reads
    the case, its template, the settings and its search record in one session."""
    return _detail(_case(session, case_id))


def timeline(store: Store, case_id: int) -> list[TimelineEntry]:
    """Every event of the case, oldest first."""
    with store.read() as session:
        _case(session, case_id)
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        ).all()
        return [
            TimelineEntry(e.id, e.at, e.actor, e.kind, e.summary, dict(e.details)) for e in events
        ]


def _case(session: Session, case_id: int, *, lock: bool = False) -> Case:
    """The case row; `lock` holds it for this write transaction (on a team server two members
    saving one case then queue, and the second sees the first's version; a desk's write
    transaction holds the whole store already)."""
    case = session.get(Case, case_id, with_for_update=lock or None)
    if case is None:
        raise NotFound(f"There is no case with id {case_id}.")
    return case


def _detail(case: Case) -> CaseDetail:
    deadlines = case_deadlines(_clock(case))
    requester = case.requester
    return CaseDetail(
        id=case.id,
        reference=case.reference,
        requester_id=requester.id,
        requester=RequesterDetails(
            name=requester.name,
            email=requester.email,
            postal_address=requester.postal_address,
            phone=requester.phone,
        ),
        request_type=RequestType(case.request_type),
        channel=Channel(case.channel),
        received_on=case.received_on,
        description=case.description,
        status=Status(case.status),
        outcome=Outcome(case.outcome) if case.outcome else None,
        ground=case.ground,
        closed_on=case.closed_on,
        identity_required=case.identity_required,
        clock_start=case.clock_start,
        paused_on=case.paused_on,
        pauses=tuple(case.pauses),
        extension_months=case.extension_months,
        extension_reason=case.extension_reason,
        region=case.region,
        promise_days=case.promise_days,
        statutory_due=case.statutory_due,
        promised_due=case.promised_due,
        effective_due=case.effective_due,
        extension_notice_by=deadlines.extension_notice_by,
        maximum_due=deadlines.maximum,
        version=case.version,
        created_at=case.created_at,
        extension_notice_due=case.extension_notice_due,
        clarification_question=case.clarification_question,
        identity_reason=case.identity_reason,
        identity_documents=tuple(case.identity_documents or ()),
        ground_basis=case.ground_basis,
        last_step_on=last_step_date(case),
    )


def _clock(case: Case) -> Clock:
    return Clock(
        start=case.clock_start,
        pauses=tuple(case.pauses),
        extension_months=case.extension_months,
        marketing_opt_out=case.request_type == RequestType.MARKETING_OPT_OUT,
        promise_days=case.promise_days,
        region=case.region,
        paused_since=case.paused_on if case.status == Status.AWAITING_CLARIFICATION else None,
    )


def _due_values(case: Case) -> dict[str, str]:
    return {
        "statutory_due": case.statutory_due.isoformat() if case.statutory_due else "",
        "promised_due": case.promised_due.isoformat() if case.promised_due else "",
        "effective_due": case.effective_due.isoformat() if case.effective_due else "",
    }


# Where each dated step keeps its date in its event's details.
_STEP_DATE_KEYS = ("received_on", "on", "clock_start_after", "resumed_on")


def last_step_date(case: Case) -> date:
    """The date of the latest dated step on the record (receipt, ID, pause, extension...).

    A step dated before it would rewrite history: the timeline would say one thing happened
    after another that it came before."""
    latest = case.received_on
    for event in case.events:
        for key in _STEP_DATE_KEYS:
            value = event.details.get(key) if isinstance(event.details, dict) else None
            if isinstance(value, str) and value:
                try:
                    latest = max(latest, date.fromisoformat(value))
                except ValueError:
                    continue
    return latest

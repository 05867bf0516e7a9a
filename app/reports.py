"""Figures for a period, each traceable to the cases behind it (issue 12).

Two groups of cases make a period's report, and each figure says which it counts:
- *received*: requests received in the period (by type, by channel, per month);
- *answered*: cases closed in the period with a reply, i.e. every outcome but "withdrawn"
  (a withdrawn request got no answer, so it is neither in time nor late). Timeliness and
  days to respond are over these; outcomes are over every case closed in the period.
Extended and paused count what happened in the period (the extension given, the clock
stopped for ID or clarification), whenever the case arrived. "Overdue now" is a snapshot on
the report's day: running cases past their statutory deadline.

Late means after the statutory deadline (the law's date); "within our promise" is measured
against the promise date as it stood at closing (after an extension that is the extended
date). Days to respond are calendar days from receipt to closing: what the requester waited.
The 90th percentile is the nearest rank (a real case's figure, never an interpolation).
`build_report` is pure; `load_report` reads the store.
"""

from __future__ import annotations

import calendar
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, or_, select

from app.domain import Channel, EventKind, Outcome, RequestType, Status
from app.exports.files import Cancelled, Progress, no_progress
from app.formatting import uk_date, uk_month
from app.grounds import GroundBasis
from app.models import Case, CaseEvent
from app.store import Store


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # included
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        found = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), uk_month(year, month))


def quarter_period(year: int, quarter: int) -> Period:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("A quarter is 1 to 4.")
    first = 3 * quarter - 2
    end = month_period(year, first + 2).end
    return Period(date(year, first, 1), end, f"Q{quarter} {year}")


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def custom_period(start: date, end: date) -> Period:
    if end < start:
        raise ValueError("The period ends before it starts.")
    return Period(start, end, f"{uk_date(start)} to {uk_date(end)}")


@dataclass(frozen=True, slots=True)
class ReportCase:
    """One case as the report sees it (references and dates, no personal data)."""

    id: int
    reference: str
    request_type: RequestType
    channel: Channel
    received_on: date
    status: Status
    statutory_due: date
    promised_due: date
    closed_on: date | None = None
    outcome: Outcome | None = None
    ground_basis: GroundBasis | None = None  # the legal basis, never the free-text particulars
    late_reason: str = ""

    @property
    def answered(self) -> bool:
        return self.closed_on is not None and self.outcome is not Outcome.WITHDRAWN

    @property
    def days_to_respond(self) -> int | None:
        return None if self.closed_on is None else (self.closed_on - self.received_on).days

    @property
    def days_late(self) -> int:
        """Calendar days after the statutory deadline (0 when answered in time)."""
        if self.closed_on is None:
            return 0
        return max((self.closed_on - self.statutory_due).days, 0)

    @property
    def within_promise(self) -> bool:
        return self.closed_on is not None and self.closed_on <= self.promised_due


@dataclass(frozen=True, slots=True)
class ReportEvent:
    case_id: int
    kind: EventKind
    on: date


@dataclass(frozen=True, slots=True)
class Figure:
    """A number and the cases behind it. `value` is None when there is nothing to measure
    (a percentage of no answered cases)."""

    key: str
    label: str
    value: float | None
    case_ids: tuple[int, ...]
    unit: str = "cases"  # "cases", "%", "days"

    @property
    def text(self) -> str:
        if self.value is None:
            return "—"
        if self.unit == "%":
            return f"{self.value:.1f}%"
        if self.unit == "days":
            return f"{self.value:g} days"
        return f"{int(self.value):,}"


@dataclass(frozen=True, slots=True)
class MonthFigures:
    year: int
    month: int
    received_by_type: dict[RequestType, Figure]
    in_time_statutory: Figure
    within_promise: Figure

    @property
    def label(self) -> str:
        return uk_month(self.year, self.month, short=True)


@dataclass(frozen=True, slots=True)
class LateCase:
    case_id: int
    reference: str
    closed_on: date
    days_late: int
    reason: str


@dataclass(frozen=True, slots=True)
class Report:
    period: Period
    on: date
    figures: dict[str, Figure]
    months: list[MonthFigures]
    late: list[LateCase] = field(default_factory=list)
    references: dict[int, str] = field(default_factory=dict)  # every case counted

    def __getitem__(self, key: str) -> Figure:
        return self.figures[key]

    def in_groups(self) -> list[tuple[str, list[Figure]]]:
        """The figures as the report window and the board PDF list them."""
        groups: dict[str, list[Figure]] = {}
        for figure in self.figures.values():
            groups.setdefault(_GROUPS[figure.key.split(".")[0]], []).append(figure)
        return list(groups.items())


_GROUPS = {
    "received": "Requests received",
    "channel": "Requests received",
    "answered": "Answered",
    "in_time_statutory": "Answered",
    "late": "Answered",
    "within_promise": "Answered",
    "missed_promise": "Answered",
    "days_median": "Answered",
    "days_p90": "Answered",
    "outcome": "Outcomes of cases closed",
    "refused_ground": "Outcomes of cases closed",
    "extended": "During the period",
    "paused": "During the period",
    "overdue_now": "On the report's day",
}


def _count(key: str, label: str, cases: Iterable[ReportCase]) -> Figure:
    ids = tuple(c.id for c in cases)
    return Figure(key, label, len(ids), ids)


def _share(key: str, label: str, hits: int, over: Sequence[ReportCase]) -> Figure:
    value = round(100 * hits / len(over), 1) if over else None
    return Figure(key, label, value, tuple(c.id for c in over), "%")


def _nearest_rank(values: Sequence[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def build_report(
    cases: Sequence[ReportCase],
    events: Iterable[ReportEvent],
    period: Period,
    *,
    on: date,
) -> Report:
    cases = sorted(cases, key=lambda c: (c.received_on, c.reference))
    received = [c for c in cases if c.received_on in period]
    closed = [c for c in cases if c.closed_on in period]
    answered = [c for c in closed if c.answered]
    figures: list[Figure] = [_count("received", "Requests received", received)]
    figures += [
        _count(
            f"received.{kind.value}", kind.label, [c for c in received if c.request_type is kind]
        )
        for kind in RequestType
    ]
    figures += [
        _count(
            f"channel.{ch.value}",
            f"By {ch.label.lower()}",
            [c for c in received if c.channel is ch],
        )
        for ch in Channel
    ]
    late = [c for c in answered if c.days_late]
    missed = [c for c in answered if not c.within_promise]
    days = [c.days_to_respond or 0 for c in answered]
    answered_ids = tuple(c.id for c in answered)
    figures += [
        _count("answered", "Answered (closed, not withdrawn)", answered),
        _share(
            "in_time_statutory",
            "Answered within the statutory deadline",
            len(answered) - len(late),
            answered,
        ),
        _count("late", "Answered after the statutory deadline", late),
        _share(
            "within_promise", "Answered within our promise", len(answered) - len(missed), answered
        ),
        _count("missed_promise", "Answered after our promise date", missed),
        Figure(
            "days_median",
            "Median days to respond",
            statistics.median(days) if days else None,
            answered_ids,
            "days",
        ),
        Figure(
            "days_p90",
            "90th percentile days to respond",
            _nearest_rank(days, 0.9) if days else None,
            answered_ids,
            "days",
        ),
    ]
    figures += [
        _count(f"outcome.{o.value}", o.label, [c for c in closed if c.outcome is o])
        for o in Outcome
    ]
    refused = [c for c in closed if c.outcome is Outcome.REFUSED]
    # By legal basis (Art. 12(5), an exemption ...), as the ICO and a board ask; the DPO's own
    # particulars are free text, which may name people, and stay with the case.
    for basis in [*GroundBasis, None]:
        behind = [c for c in refused if c.ground_basis is basis]
        if behind:
            figures.append(
                _count(
                    f"refused_ground.{basis.value if basis else 'not_recorded'}",
                    f"Refused: {basis.label if basis else 'legal basis not recorded'}",
                    behind,
                )
            )
    in_period = [e for e in events if e.on in period]
    by_id = {c.id: c for c in cases}

    def touched(*kinds: EventKind) -> list[ReportCase]:
        ids = sorted({e.case_id for e in in_period if e.kind in kinds and e.case_id in by_id})
        return sorted((by_id[i] for i in ids), key=lambda c: (c.received_on, c.reference))

    figures += [
        _count("extended", "Extended", touched(EventKind.EXTENDED)),
        _count(
            "paused",
            "Clock stopped for ID or clarification",
            touched(EventKind.IDENTITY_REQUESTED, EventKind.CLARIFICATION_REQUESTED),
        ),
        _count(
            "overdue_now",
            f"Overdue on {uk_date(on)}",
            [c for c in cases if c.status is Status.OPEN and c.statutory_due < on],
        ),
    ]
    months = [_month(year, month, cases) for year, month in period.months()]
    late_cases = [
        LateCase(c.id, c.reference, c.closed_on, c.days_late, c.late_reason)
        for c in sorted(late, key=lambda c: (c.closed_on, c.reference))
        if c.closed_on is not None
    ]
    references = {c.id: c.reference for c in cases}
    return Report(period, on, {f.key: f for f in figures}, months, late_cases, references)


def _month(year: int, month: int, cases: Sequence[ReportCase]) -> MonthFigures:
    span = month_period(year, month)
    received = [c for c in cases if c.received_on in span]
    answered = [c for c in cases if c.closed_on in span and c.answered]
    in_time = sum(1 for c in answered if not c.days_late)
    kept = sum(1 for c in answered if c.within_promise)
    tag = f"{year}-{month:02d}"
    return MonthFigures(
        year,
        month,
        {
            kind: _count(
                f"month.{tag}.{kind.value}",
                kind.label,
                [c for c in received if c.request_type is kind],
            )
            for kind in RequestType
        },
        _share(
            f"month.{tag}.in_time_statutory", "Within the statutory deadline", in_time, answered
        ),
        _share(f"month.{tag}.within_promise", "Within our promise", kept, answered),
    )


# ---------------------------------------------------------------------------------------
# From the store

_EVENT_KINDS = (
    EventKind.EXTENDED,
    EventKind.IDENTITY_REQUESTED,
    EventKind.CLARIFICATION_REQUESTED,
)


def load_report(
    store: Store, period: Period, *, on: date, progress: Progress = no_progress
) -> Report:
    """The report for `period` as the store stands, with "overdue now" as of `on`.

    `progress(done, total)` hears of the cases read; when it returns False the count stops
    with `Cancelled` (nothing is written, so nothing is left half-done)."""
    with store.read() as session:
        rows = session.scalars(
            select(Case).where(
                or_(
                    Case.received_on.between(period.start, period.end),
                    Case.closed_on.between(period.start, period.end),
                    and_(Case.status == Status.OPEN.value, Case.statutory_due < on),
                    # The event's own date ("on") is in its details, so any case with such
                    # an event may count; build_report keeps those dated in the period.
                    Case.id.in_(select(CaseEvent.case_id).where(CaseEvent.kind.in_(_EVENT_KINDS))),
                )
            )
        ).all()
        ids = [row.id for row in rows]
        events: list[ReportEvent] = []
        late_reasons: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            if not progress(start, len(ids)):
                raise Cancelled
            chunk = ids[start : start + 500]
            for case_id, kind, details in session.execute(
                select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.details)
                .where(
                    CaseEvent.case_id.in_(chunk),
                    CaseEvent.kind.in_((*_EVENT_KINDS, EventKind.CLOSED)),
                )
                .order_by(CaseEvent.id)
            ):
                if kind == EventKind.CLOSED:
                    late_reasons[case_id] = details.get("late_reason", "")
                elif details.get("on"):
                    events.append(
                        ReportEvent(case_id, EventKind(kind), date.fromisoformat(details["on"]))
                    )
        cases = [_report_case(row, late_reasons.get(row.id, "")) for row in rows]
    if not progress(len(ids), len(ids)):
        raise Cancelled
    return build_report(cases, events, period, on=on)


def cases_behind(store: Store, case_ids: Sequence[int]) -> list[ReportCase]:
    """The cases behind a figure, in the order they were received."""
    with store.read() as session:
        rows: list[Case] = []
        for start in range(0, len(case_ids), 500):
            chunk = list(case_ids[start : start + 500])
            rows += session.scalars(select(Case).where(Case.id.in_(chunk))).all()
        late_reasons = {
            case_id: details.get("late_reason", "")
            for case_id, details in session.execute(
                select(CaseEvent.case_id, CaseEvent.details)
                .where(
                    CaseEvent.case_id.in_([r.id for r in rows if r.closed_on]),
                    CaseEvent.kind == EventKind.CLOSED,
                )
                .order_by(CaseEvent.id)
            )
        }
        found = [_report_case(row, late_reasons.get(row.id, "")) for row in rows]
    return sorted(found, key=lambda c: (c.received_on, c.reference))


def _report_case(row: Case, late_reason: str) -> ReportCase:
    return ReportCase(
        id=row.id,
        reference=row.reference,
        request_type=RequestType(row.request_type),
        channel=Channel(row.channel),
        received_on=row.received_on,
        status=Status(row.status),
        statutory_due=row.statutory_due,
        promised_due=row.promised_due,
        closed_on=row.closed_on,
        outcome=Outcome(row.outcome) if row.outcome else None,
        ground_basis=GroundBasis(row.ground_basis) if row.ground_basis else None,
        late_reason=late_reason if row.closed_on else "",
    )


def cases_behind_refs(report: Report) -> dict[int, str]:
    """Case id -> reference for every case any figure of `report` counts."""
    return dict(report.references)

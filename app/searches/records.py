"""What a search task is, as callers see it: plain frozen values, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from app.domain import RequestType
from app.models import SearchTaskRecord


class TaskStatus(StrEnum):
    OPEN = "open"
    SEARCHED = "searched"
    LEFT_OUT = "left_out"

    @property
    def label(self) -> str:
        return {
            TaskStatus.OPEN: "To search",
            TaskStatus.SEARCHED: "Searched",
            TaskStatus.LEFT_OUT: "Left out",
        }[self]


class SystemAction(StrEnum):
    """What an erasure, rectification or restriction request led to in one system."""

    ERASED = "erased"
    CORRECTED = "corrected"
    RESTRICTED = "restricted"
    KEPT = "kept"

    @property
    def label(self) -> str:
        return {
            SystemAction.ERASED: "Erased",
            SystemAction.CORRECTED: "Corrected",
            SystemAction.RESTRICTED: "Restricted",
            SystemAction.KEPT: "Kept (ground stated)",
        }[self]


# The action that carries out each request type in a system (or KEPT, with a ground).
ACTION_FOR_TYPE: dict[RequestType, SystemAction] = {
    RequestType.ERASURE: SystemAction.ERASED,
    RequestType.RECTIFICATION: SystemAction.CORRECTED,
    RequestType.RESTRICTION: SystemAction.RESTRICTED,
}


@dataclass(frozen=True, slots=True)
class SearchTask:
    """One place to search for one case, and what was done there."""

    id: int
    case_id: int
    system_id: int | None  # None for a place added by hand, outside the register
    title: str
    manual: bool
    status: TaskStatus
    searched_on: date | None
    decided_by: str | None
    decided_at: datetime | None
    terms: str
    period_from: date | None
    period_to: date | None
    found: bool | None
    items: int
    note: str
    left_out_reason: str | None
    material: tuple[int, ...]  # attachment ids of the case that the search produced
    action: SystemAction | None
    action_ground: str
    action_on: date | None
    action_by: str | None
    recipients_told: str
    needs_action: bool  # the request type acts on systems, and data was found here

    @property
    def done(self) -> bool:
        """Nothing left to do here: left out with a reason, or searched (and, where data
        was found for an erasure, rectification or restriction, the action recorded)."""
        if self.status is TaskStatus.LEFT_OUT:
            return True
        if self.status is TaskStatus.SEARCHED:
            return not self.needs_action or self.action is not None
        return False

    @property
    def what_is_missing(self) -> str:
        """For a task that is not done: what still has to happen, in a few words."""
        if self.status is TaskStatus.OPEN:
            return "not searched or left out"
        if not self.done:
            return "data found, action not recorded"
        return ""


def to_task(row: SearchTaskRecord, request_type: RequestType) -> SearchTask:
    status = TaskStatus(row.status)
    return SearchTask(
        id=row.id,
        case_id=row.case_id,
        system_id=row.system_id,
        title=row.title,
        manual=row.manual,
        status=status,
        searched_on=row.searched_on,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        terms=row.terms,
        period_from=row.period_from,
        period_to=row.period_to,
        found=row.found,
        items=row.items,
        note=row.note,
        left_out_reason=row.left_out_reason,
        material=tuple(link.attachment_id for link in row.material),
        action=SystemAction(row.action) if row.action else None,
        action_ground=row.action_ground,
        action_on=row.action_on,
        action_by=row.action_by,
        recipients_told=row.recipients_told,
        needs_action=(
            request_type in ACTION_FOR_TYPE and status is TaskStatus.SEARCHED and bool(row.found)
        ),
    )


@dataclass(frozen=True, slots=True)
class PlanCounts:
    """The case header's summary: '5 of 8 systems searched'."""

    total: int
    searched: int
    left_out: int
    open: int  # neither done nor left out (including found data awaiting its action)

    @property
    def summary(self) -> str:
        if not self.total:
            return "No search plan"
        text = f"{self.searched} of {self.total} system{'s' if self.total != 1 else ''} searched"
        if self.left_out:
            text += f", {self.left_out} left out"
        if self.open:
            text += f"; {self.open} to do"
        return text

"""What the case list shows, as plain values: a filter, a search text and an order.

Kept apart from the SQL (app.queries) so that the window can be built, and show its filter
and column headers, before the database layer has been imported (a faster start).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class CaseFilter(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    PAST_PROMISE = "past_promise"
    DUE_THIS_WEEK = "due_this_week"
    PAUSED = "paused"
    CLOSED = "closed"
    ALL = "all"
    OPENED_THIS_MONTH = "opened_this_month"

    @property
    def label(self) -> str:
        return {
            CaseFilter.OPEN: "Open",
            CaseFilter.OVERDUE: "Overdue",
            CaseFilter.PAST_PROMISE: "Past our promise",
            CaseFilter.DUE_THIS_WEEK: "Due this week",
            CaseFilter.PAUSED: "Paused",
            CaseFilter.CLOSED: "Closed",
            CaseFilter.ALL: "All",
            CaseFilter.OPENED_THIS_MONTH: "Opened this month",
        }[self]


class SortKey(StrEnum):
    REFERENCE = "reference"
    REQUESTER = "requester"
    TYPE = "type"
    RECEIVED = "received"
    DUE = "due"
    DAYS_LEFT = "days_left"
    STATUS = "status"


@dataclass(frozen=True, slots=True)
class CaseQuery:
    """What the list shows: a filter, a search text and an order."""

    filter: CaseFilter = CaseFilter.OPEN
    search: str = ""
    sort: SortKey = SortKey.DUE
    descending: bool = False
    # Date ranges (both ends included; None leaves that end open).
    received_from: date | None = None
    received_to: date | None = None
    due_from: date | None = None
    due_to: date | None = None

"""Logging a case for the search-record tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from app import cases, searches
from app.attachments import add_attachment
from app.domain import Channel, RequestType
from app.readmodels import RequesterDetails
from app.store import Store
from tests.conftest import TODAY

RECEIVED = date(2026, 11, 2)
SEARCHED = date(2026, 11, 10)


def log(store: Store, request_type: RequestType = RequestType.ACCESS, on: date = RECEIVED) -> int:
    return cases.log_request(
        store,
        RequesterDetails(name="Zoë Adeyemi", email="zoe@example.org"),
        request_type=request_type,
        channel=Channel.EMAIL,
        on=on,
        today=TODAY,
    ).id


def kinds(store: Store, case_id: int) -> list[str]:
    return [entry.kind for entry in cases.timeline(store, case_id)]


def task_named(store: Store, case_id: int, prefix: str) -> searches.SearchTask:
    return next(t for t in searches.plan(store, case_id) if t.title.startswith(prefix))


def crm_searched_with_a_file(
    store: Store, case_id: int, *, items: int, terms: str = "zoe@example.org", **more: Any
) -> tuple[searches.SearchTask, int]:
    """The CRM searched (for the requester's email unless told), finding `items` items
    exported to a file kept with the case; `more` goes to record_search. The task and the
    file's attachment id."""
    export = add_attachment(
        store, case_id, filename="crm-export.csv", content=b"id,email\n1,zoe", kind="disclosure"
    )
    task = task_named(store, case_id, "CRM")
    done = searches.record_search(
        store,
        task.id,
        on=SEARCHED,
        terms=terms,
        found=True,
        items=items,
        material=[export.id],
        **more,
    )
    return done, export.id

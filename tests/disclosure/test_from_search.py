"""Joining the search record (issue 10): files a search task produced become items linked to
the task, with the system searched as their source; and the disclosure's personal data can
be forgotten for retention erasure while the record of conduct stays."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import cases
from app.attachments import add_attachment
from app.disclosure import (
    add_item,
    add_items_from_task,
    build_bundle,
    list_items,
    list_outputs,
    mark_reviewed,
    redact_term,
    redaction_log,
    tasks_with_material,
)
from app.disclosure.erasure import ERASED, forget_personal_data
from app.domain import DomainError, EventKind
from app.models import DisclosureBundle, DisclosureItem
from app.readmodels import CaseDetail
from app.searches import plan, record_search
from app.settings import save_settings
from app.store import Store
from tests.conftest import TODAY
from tests.disclosure.conftest import log
from tests.disclosure.samples import NAME, email_with_attachment, letter_pdf
from tests.letters.conftest import ORG


def test_files_a_search_produced_become_items_linked_to_it(store: Store) -> None:
    save_settings(store, ORG)
    case = log(store)
    task = next(t for t in plan(store, case.id) if "mail" in t.title.lower())
    export = add_attachment(
        store, case.id, filename="mailbox-export.pdf", content=letter_pdf(2), kind="disclosure"
    )
    message = add_attachment(
        store, case.id, filename="refund.eml", content=email_with_attachment(), kind="disclosure"
    )
    record_search(
        store,
        task.id,
        on=TODAY,
        terms="zoe@example.org",
        found=True,
        items=2,
        material=[export.id, message.id],
        today=TODAY,
    )
    assert [t.id for t in tasks_with_material(store, case.id)] == [task.id]
    added = add_items_from_task(store, case.id, task.id)
    assert [(i.attachment_id, i.search_task_id, i.source) for i in added] == [
        (export.id, task.id, task.title),
        (message.id, task.id, task.title),
    ]
    assert [i.title for i in list_items(store, case.id)] == ["mailbox-export", "Your refund"]
    events = cases.timeline(store, case.id)[-2:]
    assert [e.kind for e in events] == [EventKind.DISCLOSURE_ITEM_ADDED] * 2
    assert events[0].details["search_task_id"] == task.id
    with pytest.raises(DomainError, match="in the set already"):
        add_items_from_task(store, case.id, task.id)
    empty = next(t for t in plan(store, case.id) if t.id != task.id)
    with pytest.raises(DomainError, match="recorded no files"):
        add_items_from_task(store, case.id, empty.id)


def test_forgetting_the_disclosure_keeps_the_record_of_conduct(
    store: Store, case: CaseDetail
) -> None:
    item = add_item(store, case.id, filename="notes.pdf", content=letter_pdf(2))
    redact_term(store, case.id, NAME, reason="Third-party personal data")
    mark_reviewed(store, case.id)
    build_bundle(store, case.id)
    with store.write() as session:
        assert forget_personal_data(session, case.id) == 3  # item, redaction, bundle
    with store.read() as session:
        row = session.get(DisclosureItem, item.id)
        assert row is not None
        assert (row.original, row.rendition, row.title, row.filename) == (
            None,
            None,
            ERASED,
            ERASED,
        )
        assert row.sha256 == item.sha256 and row.decision == "disclose_redacted"
        assert all(b.content is None for b in session.scalars(select(DisclosureBundle)))
    [entry] = redaction_log(store, case.id)
    assert entry.term is None and entry.reason == "Third-party personal data"
    [kept] = list_outputs(store, case.id)
    assert kept.sha256 and kept.page_count > 0

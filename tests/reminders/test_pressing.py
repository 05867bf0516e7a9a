"""The Today view's reminders at any size (issue 14): the most pressing few, read a chunk of
cases at a time, are exactly the head of the full list, and the counts are of all."""

from __future__ import annotations

from app.reminders import due_reminders, iter_facts, load_facts, pressing_reminders
from app.store import Store
from tests.handworked import TODAY


def test_the_pressing_few_are_the_head_of_the_full_list(
    store: Store, handworked_ids: dict[str, int]
) -> None:
    full = due_reminders(store, on=TODAY)
    assert len(full) > 4
    found = pressing_reminders(store, on=TODAY, limit=4)
    assert found.shown == full[:4]
    assert found.due_today == sum(1 for r in full if r.today)
    assert found.coming_up == sum(1 for r in full if not r.today)
    assert found.total == len(full)
    everything = pressing_reminders(store, on=TODAY, limit=10_000)
    assert everything.shown == full


def test_facts_read_in_chunks_are_the_same_facts(
    store: Store, handworked_ids: dict[str, int]
) -> None:
    whole = load_facts(store)
    assert len(whole) > 3
    assert list(iter_facts(store, chunk=2)) == whole

"""The store file itself: gone or swapped while open, missing at start, read-only, refused
when a user-chosen file is the open store (issue 9 points 1 and 3)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app import cases
from app.attachments import add_attachment_from_path
from app.domain import DomainError
from app.private_files import read_user_file
from app.store import (
    ReadOnlyStore,
    Store,
    StoreGone,
    StoreMissing,
    UnstorableText,
    live_store_holding,
    open_store,
)
from tests.store.helpers import add_case, mode, references_in


def test_a_store_deleted_while_open_refuses_the_next_write(store: Store) -> None:
    add_case(store)
    os.unlink(store.path)
    with pytest.raises(StoreGone) as caught:
        add_case(store)
    assert "no longer where it was opened" in str(caught.value)
    assert "Nothing was saved" in str(caught.value)
    assert str(store.path) in str(caught.value)
    assert not store.path.exists()  # and no new, empty store was made in its place


def test_a_store_replaced_while_open_refuses_the_write_and_leaves_both_files(
    store: Store, tmp_path: Path
) -> None:
    first = add_case(store)
    other = tmp_path / "other.sqlite"
    shutil.copy(store.path, other)  # another copy of the store (as a sync tool would put it)
    os.replace(other, store.path)
    with pytest.raises(StoreGone, match="replaced by another file"):
        add_case(store, "Bea Example")
    assert references_in(store.path) == [first]


def test_a_store_moved_while_open_refuses_the_write(store: Store, tmp_path: Path) -> None:
    add_case(store)
    moved = tmp_path / "moved.sqlite"
    os.rename(store.path, moved)
    with pytest.raises(StoreGone):
        add_case(store)
    assert not store.path.exists()  # nothing new was made at the old place


def test_a_missing_store_is_not_created_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "gone" / "dsar.sqlite"
    with pytest.raises(StoreMissing) as caught:
        open_store(path, create=False)
    assert str(path) in str(caught.value)
    assert not path.parent.exists()
    open_store(path).close()  # asked for: created
    assert path.exists()


def test_a_read_only_store_opens_read_only_and_is_never_chmodded(store_path: Path) -> None:
    store = open_store(store_path)
    reference = add_case(store)
    store.close()
    store_path.chmod(0o400)
    reader = open_store(store_path)
    try:
        assert reader.read_only
        assert "read-only" in reader.read_only_reason
        assert cases.get_case(reader, 1).reference == reference
        with pytest.raises(ReadOnlyStore) as caught:
            add_case(reader)
        assert "nothing can be changed" in str(caught.value)
    finally:
        reader.close()
    assert mode(store_path) == 0o400
    assert references_in(store_path) == [reference]


def test_opening_read_only_on_request_writes_nothing(store_path: Path) -> None:
    store = open_store(store_path)
    add_case(store)
    store.close()
    reader = open_store(store_path, read_only=True, read_only_reason="Open in another window.")
    try:
        with pytest.raises(ReadOnlyStore, match="Open in another window"):
            add_case(reader)
    finally:
        reader.close()
    assert references_in(store_path) == ["DSR-2026-0001"]


def test_the_open_store_cannot_be_attached_or_read_as_a_file(store: Store, tmp_path: Path) -> None:
    add_case(store)
    link = tmp_path / "link.sqlite"
    os.link(store.path, link)
    for path in (store.path, link, Path(f"{store.path}-wal")):
        assert live_store_holding(path) is store
        with pytest.raises(DomainError, match="store that is open now"):
            read_user_file(path, max_bytes=10**9)
        with pytest.raises(DomainError, match="store that is open now"):
            add_attachment_from_path(store, 1, path, kind="other")
    assert [e.kind for e in cases.timeline(store, 1)] == ["logged"]
    other = tmp_path / "note.txt"
    other.write_bytes(b"hello")
    assert live_store_holding(other) is None
    assert read_user_file(other, max_bytes=100) == b"hello"


def test_a_closed_store_is_an_ordinary_file_again(store_path: Path) -> None:
    store = open_store(store_path)
    store.close()
    assert live_store_holding(store_path) is None


def test_a_lone_surrogate_is_refused_with_a_message_not_a_raw_error(store: Store) -> None:
    from sqlalchemy import text

    # Any text that reaches the store without a check (a template, a setting) is caught
    # there: it used to surface as a raw UnicodeEncodeError.
    with pytest.raises(UnstorableText) as caught, store.write() as session:
        session.execute(text("SELECT :value"), {"value": "Ann \ud800 Example"})
    assert "U+D800" in str(caught.value)
    assert "nothing was saved" in str(caught.value)
    assert references_in(store.path) == []


def test_a_lone_surrogate_in_a_name_is_refused_where_it_is_typed(store: Store) -> None:
    from app.domain import DomainError

    with pytest.raises(DomainError) as caught:
        add_case(store, "Ann \udc80 Example")
    assert "not valid text (U+DC80, at position 5)" in str(caught.value)
    assert references_in(store.path) == []

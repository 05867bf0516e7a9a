"""Attachments in the store: hashes, sizes, limits, names that cannot escape, deletion on
the record, read-only copies in a private folder."""

from __future__ import annotations

import hashlib
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.attachments import (
    add_attachment,
    add_attachment_from_path,
    attachment_content,
    delete_attachment,
    list_attachments,
    open_readonly_copy,
    safe_filename,
    should_offer_id_deletion,
)
from app.cases import identity_received, log_request, request_identity, timeline
from app.domain import Channel, DomainError, EventKind, NotFound, RequestType
from app.readmodels import RequesterDetails
from app.settings import load_settings, save_settings
from app.store import Store
from tests.conftest import TODAY


@pytest.fixture
def case_id(store: Store) -> int:
    return log_request(
        store,
        RequesterDetails("Ann Smith", "ann@example.com"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 11, 2),
        identity_required=True,
        today=TODAY,
    ).id


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\evil.dll", "evil.dll"),
        ("/absolute/path/report.pdf", "report.pdf"),
        ("..", "attachment"),
        ("", "attachment"),
        (".bashrc", "bashrc"),
        ("CON.txt", "_CON.txt"),
        ("nul", "_nul"),
        ("a\x00b\r\nc.txt", "a b c.txt"),
        ("<b>x</b>.html", "b_.html"),
        ("Zoë’s passport.jpg", "Zoë_s passport.jpg"),
        ("王小明身份证.png", "王小明身份证.png"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_safe_filename(given: str, expected: str) -> None:
    assert safe_filename(given) == expected
    assert "/" not in expected and "\\" not in expected


def test_add_stores_hash_size_and_event(store: Store, case_id: int) -> None:
    content = b"%PDF-1.7 passport scan"
    info = add_attachment(
        store,
        case_id,
        filename="../../etc/passwd",
        content=content,
        kind="id_document",
        mime_type="application/pdf",
    )
    assert info.filename == "passwd"
    assert info.sha256 == hashlib.sha256(content).hexdigest()
    assert info.size == len(content)
    assert info.mime_type == "application/pdf"
    assert attachment_content(store, info.id) == content
    event = timeline(store, case_id)[-1]
    assert event.kind == EventKind.ATTACHMENT_ADDED
    assert event.details == {
        "attachment_id": info.id,
        "filename": "passwd",
        "kind": "id_document",
        "size": len(content),
        "sha256": info.sha256,
    }
    # Nothing was written outside the store's own files (a team server's store has none).
    if store.path is not None:
        names = {p.name for p in store.path.parent.iterdir()}
        assert "passwd" not in names and not (store.path.parent / "etc").exists()


def test_limit_is_enforced_with_a_clear_message(store: Store, case_id: int, tmp_path: Path) -> None:
    save_settings(store, replace(load_settings(store), attachment_limit_mb=1))
    with pytest.raises(DomainError) as caught:
        add_attachment(
            store,
            case_id,
            filename="bundle.zip",
            content=b"\0" * (1024 * 1024 + 1),
            kind="disclosure",
        )
    assert str(caught.value) == (
        "The file bundle.zip is 1.0 MB, over the limit of 1 MB for attachments. "
        "The limit can be changed in the settings."
    )
    big = tmp_path / "big.bin"
    big.write_bytes(b"\0" * (2 * 1024 * 1024))
    with pytest.raises(DomainError, match="over the limit of 1 MB"):
        add_attachment_from_path(store, case_id, big, kind="other")
    assert list_attachments(store, case_id) == []
    assert [e.kind for e in timeline(store, case_id)] == [EventKind.LOGGED]


def test_refusals(store: Store, case_id: int, tmp_path: Path) -> None:
    with pytest.raises(DomainError, match="Unknown kind"):
        add_attachment(store, case_id, filename="a", content=b"a", kind="secret")
    with pytest.raises(DomainError, match="empty"):
        add_attachment(store, case_id, filename="a.txt", content=b"", kind="other")
    with pytest.raises(DomainError, match="not a file"):
        add_attachment_from_path(store, case_id, tmp_path, kind="other")
    with pytest.raises(DomainError, match="cannot be read"):
        add_attachment_from_path(store, case_id, tmp_path / "missing.pdf", kind="other")
    with pytest.raises(NotFound):
        attachment_content(store, 999)


def test_delete_clears_content_keeps_row_and_records_reason(store: Store, case_id: int) -> None:
    info = add_attachment(store, case_id, filename="id.jpg", content=b"jpeg", kind="id_document")
    with pytest.raises(DomainError, match="Say why"):
        delete_attachment(store, info.id, reason="  ")
    deleted = delete_attachment(store, info.id, reason="Identity verified")
    assert deleted.deleted and deleted.sha256 == info.sha256
    [row] = list_attachments(store, case_id)
    assert row.deleted_at is not None
    with pytest.raises(DomainError, match="was deleted; its content is gone"):
        attachment_content(store, info.id)
    with pytest.raises(DomainError, match="already deleted"):
        delete_attachment(store, info.id, reason="again")
    event = timeline(store, case_id)[-1]
    assert event.kind == EventKind.ATTACHMENT_DELETED
    assert event.details["reason"] == "Identity verified"
    assert event.summary == ("Attachment deleted: id.jpg (ID document). Reason: Identity verified")


def test_offer_to_delete_id_documents_follows_identity(store: Store, case_id: int) -> None:
    add_attachment(store, case_id, filename="id.jpg", content=b"jpeg", kind="id_document")
    assert not should_offer_id_deletion(store, case_id)
    request_identity(store, case_id, on=date(2026, 11, 3), today=TODAY)
    identity_received(store, case_id, on=date(2026, 11, 9), today=TODAY)
    assert should_offer_id_deletion(store, case_id)
    [doc] = list_attachments(store, case_id)
    delete_attachment(store, doc.id, reason="verified")
    assert not should_offer_id_deletion(store, case_id)


def test_readonly_copy_in_a_private_folder(store: Store, case_id: int, tmp_path: Path) -> None:
    info = add_attachment(
        store, case_id, filename="../letter.pdf", content=b"%PDF", kind="correspondence"
    )
    folder = tmp_path / "view"
    path = open_readonly_copy(store, info.id, folder)
    assert path.parent == folder and path.name == f"{info.id}-letter.pdf"
    assert path.read_bytes() == b"%PDF"
    assert stat.S_IMODE(path.stat().st_mode) == 0o400
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    again = open_readonly_copy(store, info.id, folder)  # opening twice replaces the copy
    assert again == path and again.read_bytes() == b"%PDF"
    link = tmp_path / "link"
    link.symlink_to(folder)
    with pytest.raises(DomainError, match="not a plain folder"):
        open_readonly_copy(store, info.id, link)

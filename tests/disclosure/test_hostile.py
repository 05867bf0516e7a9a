"""Hostile or broken files each get a message that says what is wrong and what to do, and
leave the case exactly as it was: no item, no event, no change of version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app import cases
from app.disclosure import add_item, add_item_from_path, list_items
from app.domain import DomainError
from app.readmodels import CaseDetail
from app.store import Store
from tests.disclosure.samples import huge_png, many_pages, zip_bomb_docx

HOSTILE: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "malformed PDF": (
        "statement.pdf",
        lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n%%EOF",
        "not a readable PDF",
    ),
    "200-page PDF": ("export.pdf", lambda: many_pages(200), "has 200 pages; one item can have"),
    "zip bomb renamed .docx": ("report.docx", zip_bomb_docx, "would unpack to 256 MB"),
    "40,000 × 40,000 px image": ("scan.png", huge_png, "too large to add"),
    "PDF named .png": ("photo.png", lambda: many_pages(1), None),  # fine: read as a PDF
    "text named .pdf": ("contract.pdf", lambda: b"just some words", "is not one"),
    "password-protected PDF": ("locked.pdf", lambda: _locked(), "protected by a password"),
}


def _locked() -> bytes:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(many_pages(1))) as pdf:
        buffer = io.BytesIO()
        pdf.save(buffer, encryption=pikepdf.Encryption(user="secret", owner="secret", R=6))
        return buffer.getvalue()


@pytest.mark.parametrize("name", [n for n, v in HOSTILE.items() if v[2]])
def test_hostile_input_is_refused_clearly_and_changes_nothing(
    store: Store, case: CaseDetail, name: str
) -> None:
    filename, make, message = HOSTILE[name]
    before = (cases.get_case(store, case.id).version, cases.timeline(store, case.id))
    with pytest.raises(DomainError) as refused:
        add_item(store, case.id, filename=filename, content=make())
    assert message in str(refused.value)
    assert filename in str(refused.value)  # says which file
    assert list_items(store, case.id) == []
    assert (cases.get_case(store, case.id).version, cases.timeline(store, case.id)) == before


def test_a_pdf_whatever_its_name_is_read_as_a_pdf(store: Store, case: CaseDetail) -> None:
    filename, make, _ = HOSTILE["PDF named .png"]
    item = add_item(store, case.id, filename=filename, content=make())
    assert item.kind.value == "pdf" and item.page_count == 1


def test_an_oversized_file_is_refused_before_it_is_read(
    store: Store, case: CaseDetail, tmp_path: Path
) -> None:
    path = tmp_path / "dump.csv"
    with path.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: 60 MB that cost nothing to make
    with pytest.raises(DomainError, match="at most 50 MB"):
        add_item_from_path(store, case.id, path)
    assert list_items(store, case.id) == []


def test_not_a_file_and_unknown_kinds_are_refused(
    store: Store, case: CaseDetail, tmp_path: Path
) -> None:
    with pytest.raises(DomainError, match="not a file"):
        add_item_from_path(store, case.id, tmp_path)
    with pytest.raises(DomainError, match="cannot show"):
        add_item(store, case.id, filename="data.bin", content=bytes(range(256)) * 4)
    with pytest.raises(DomainError, match="zip archive"):
        add_item(store, case.id, filename="bundle.zip", content=b"PK\x03\x04" + b"\0" * 40)
    with pytest.raises(DomainError, match="empty"):
        add_item(store, case.id, filename="empty.txt", content=b"")

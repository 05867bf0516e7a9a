"""The bundle: cover letter, schedule, stamped items, optional AES-256, kept with its SHA-256
on the timeline; and nothing is built from a set that was not reviewed as it stands."""

from __future__ import annotations

import hashlib
import io
import os
import re
from pathlib import Path

import pypdf
import pytest

from app import cases
from app.disclosure import (
    Cancelled,
    Decision,
    add_item,
    build_bundle,
    get_review,
    list_items,
    list_outputs,
    mark_reviewed,
    output_content,
    redact_term,
    update_item,
)
from app.domain import DomainError, EventKind
from app.letters.records import list_letters
from app.readmodels import CaseDetail
from app.store import Store
from tests.disclosure.samples import (
    NAME,
    docx_bytes,
    email_with_attachment,
    letter_pdf,
    picture_with_name,
    render_png,
)

REASON = "Third-party personal data (DPA 2018 Sch. 2 para 16)"
SHOTS = Path(os.environ.get("DSAR_SCREENSHOTS", "/nonexistent-screenshots-folder"))
STAMP = re.compile(r"(DSR-\d{4}-\d{4}) · page (\d+) of (\d+)")


def fill_set(store: Store, case_id: int) -> None:
    add_item(store, case_id, filename="notes.pdf", content=letter_pdf(3), source="Mailbox")
    add_item(store, case_id, filename="visitors.png", content=picture_with_name())
    add_item(store, case_id, filename="refund.eml", content=email_with_attachment())
    review = add_item(store, case_id, filename="review.docx", content=docx_bytes())
    update_item(
        store,
        review.id,
        title="Performance review of a colleague",
        source="HR system",
        item_date=None,
        decision=Decision.WITHHOLD,
        exemption_key="confidential_references",
    )
    redact_term(store, case_id, NAME, reason=REASON)


def test_the_bundle_has_letter_schedule_and_stamped_items(
    store: Store, case: CaseDetail, tmp_path: Path
) -> None:
    fill_set(store, case.id)
    mark_reviewed(store, case.id)
    pdf = build_bundle(store, case.id)

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert not reader.is_encrypted
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    # Every page: the reference and "page n of N", in order.
    for number, text in enumerate(pages, start=1):
        found = STAMP.findall(text)
        assert found == [(case.reference, str(number), str(total))], (number, text[-200:])
    # The cover letter first (the access outcome letter), the schedule next.
    assert "Our reference" in pages[0] and case.reference in pages[0]
    letter = [x for x in list_letters(store, case.id) if x.stage == "outcome_access"]
    assert len(letter) == 1  # the cover letter was kept as the outcome letter too
    schedule_at = next(i for i, t in enumerate(pages) if "Schedule of information" in t)
    letter_pages = len(pypdf.PdfReader(io.BytesIO(_letter(store, letter[0].id))).pages)
    assert schedule_at == letter_pages  # right after the letter, before any item
    schedule = " ".join(" ".join(pages[schedule_at:]).split())
    for item in list_items(store, case.id):
        assert item.title in schedule
    assert "Withheld: Confidential references (DPA 2018 Sch. 2 para 24)" in schedule
    assert f"Disclosed with 2 redactions: {REASON} (×2)" in schedule
    assert "1 withheld" in schedule and f"This bundle has {total} pages" in schedule
    # Items: 3 + 1 + 1 pages; the withheld review is not in the bundle; the name is gone.
    assert total == letter_pages + 1 + 3 + 1 + 1
    everything = "\n".join(pages)
    assert NAME not in everything and "Smith" not in everything
    assert (
        "Performance review"
        not in everything.split("Schedule of information")[1].split("This bundle has")[1]
    )
    assert "Your refund" in everything  # the email's pages are there
    # The stamp sits in a strip of its own under an item's own PDF page.
    notes_page = schedule_at + 2  # 1-based number of the first page of notes.pdf
    box = reader.pages[notes_page - 1].mediabox
    assert float(box.height) > 842  # A4 plus the strip
    render_png(pdf, tmp_path, page=notes_page)  # poppler reads it
    if SHOTS.is_dir():  # for a human to look at: DSAR_SCREENSHOTS=/some/folder
        render_png(pdf, tmp_path, page=schedule_at + 1, dpi=100).save(SHOTS / "bundle_schedule.png")
        render_png(pdf, tmp_path, page=notes_page, dpi=100).save(SHOTS / "bundle_item_page.png")

    # Kept with the case; the SHA-256 on the timeline is the returned bytes'.
    digest = hashlib.sha256(pdf).hexdigest()
    [kept] = list_outputs(store, case.id)
    assert (kept.kind, kept.sha256, kept.page_count, kept.encrypted) == (
        "bundle",
        digest,
        total,
        False,
    )
    assert output_content(store, kept.id) == pdf
    event = cases.timeline(store, case.id)[-1]
    assert event.kind == EventKind.BUNDLE_BUILT
    assert digest in event.summary and event.details["sha256"] == digest


def test_an_encrypted_bundle_opens_only_with_its_password(store: Store, case: CaseDetail) -> None:
    add_item(store, case.id, filename="notes.pdf", content=letter_pdf(2))
    mark_reviewed(store, case.id)
    pdf = build_bundle(store, case.id, password="correct horse battery")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.is_encrypted
    assert reader.decrypt("wrong password") == pypdf.PasswordType.NOT_DECRYPTED
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.decrypt("correct horse battery") != pypdf.PasswordType.NOT_DECRYPTED
    encrypt = reader.trailer["/Encrypt"]
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # AES-256 (PDF 2.0 security handler)
    pages = [p.extract_text() for p in reader.pages]
    assert "Schedule of information" in " ".join(pages)
    assert STAMP.search(pages[-1]).group(2) == str(len(pages))  # type: ignore[union-attr]
    [kept] = list_outputs(store, case.id)
    assert kept.encrypted and "encrypted (AES-256)" in cases.timeline(store, case.id)[-1].summary
    with pytest.raises(DomainError, match="at least 8"):
        build_bundle(store, case.id, password="short")


def test_no_bundle_without_a_review_of_the_set_as_it_stands(store: Store, case: CaseDetail) -> None:
    item = add_item(store, case.id, filename="notes.pdf", content=letter_pdf(1))
    with pytest.raises(DomainError, match="mark it reviewed"):
        build_bundle(store, case.id)
    mark_reviewed(store, case.id)
    assert get_review(store, case.id).current
    assert get_review(store, case.id).reviewed_by == store.actor
    assert cases.timeline(store, case.id)[-1].kind == EventKind.DISCLOSURE_REVIEWED
    update_item(
        store, item.id, title="Notes", source="CRM", item_date=None, decision=Decision.DISCLOSE
    )
    assert not get_review(store, case.id).current
    with pytest.raises(DomainError, match="changed since it was last reviewed"):
        build_bundle(store, case.id)
    assert list_outputs(store, case.id) == []


def test_review_refuses_a_set_that_cannot_go_out(store: Store, case: CaseDetail) -> None:
    with pytest.raises(DomainError, match="empty"):
        mark_reviewed(store, case.id)
    item = add_item(store, case.id, filename="notes.pdf", content=letter_pdf(1))
    update_item(
        store,
        item.id,
        title="Notes",
        source="",
        item_date=None,
        decision=Decision.DISCLOSE_REDACTED,
    )
    with pytest.raises(DomainError, match="no redaction yet"):
        mark_reviewed(store, case.id)
    with pytest.raises(DomainError, match="exemption"):
        update_item(
            store, item.id, title="Notes", source="", item_date=None, decision=Decision.WITHHOLD
        )


def test_a_cancelled_build_keeps_nothing(store: Store, case: CaseDetail) -> None:
    add_item(store, case.id, filename="notes.pdf", content=letter_pdf(2))
    add_item(store, case.id, filename="more.pdf", content=letter_pdf(2))
    mark_reviewed(store, case.id)
    before = cases.timeline(store, case.id)
    seen: list[str] = []

    def cancel_after_first_item() -> bool:
        return any(s.startswith("Item 1") for s in seen)

    with pytest.raises(Cancelled):
        build_bundle(
            store,
            case.id,
            progress=lambda done, total, what: seen.append(what),
            cancelled=cancel_after_first_item,
        )
    assert list_outputs(store, case.id) == []
    assert cases.timeline(store, case.id) == before
    assert list_letters(store, case.id) == []


def test_a_case_without_an_outcome_has_no_cover_letter_yet(store: Store) -> None:
    from app.settings import save_settings
    from tests.disclosure.conftest import log
    from tests.letters.conftest import ORG

    save_settings(store, ORG)
    open_case = log(store)
    add_item(store, open_case.id, filename="notes.pdf", content=letter_pdf(1))
    mark_reviewed(store, open_case.id)
    with pytest.raises(DomainError, match="has none yet"):
        build_bundle(store, open_case.id)
    assert list_outputs(store, open_case.id) == []


def _letter(store: Store, letter_id: int) -> bytes:
    from app.letters.records import letter_pdf as stored

    return stored(store, letter_id)


def test_cancel_pressed_once_the_bundle_is_kept_is_too_late(store: Store, case: CaseDetail) -> None:
    """Kept means built: a Cancel that comes after the bundle went into the store does not
    turn it into a "cancelled, nothing kept" that is untrue."""
    add_item(store, case.id, filename="notes.pdf", content=letter_pdf(1))
    mark_reviewed(store, case.id)
    seen: list[str] = []
    pdf = build_bundle(
        store,
        case.id,
        progress=lambda done, total, what: seen.append(what),
        cancelled=lambda: "Keeping the bundle" in seen,
    )
    assert seen[-2:] == ["Keeping the bundle", "Done"]
    [kept] = list_outputs(store, case.id)
    assert kept.sha256 == hashlib.sha256(pdf).hexdigest()
    assert cases.timeline(store, case.id)[-1].kind == EventKind.BUNDLE_BUILT


def test_a_set_changed_while_building_keeps_neither_bundle_nor_cover_letter(
    store: Store, case: CaseDetail
) -> None:
    item = add_item(store, case.id, filename="notes.pdf", content=letter_pdf(1))
    mark_reviewed(store, case.id)
    before = cases.timeline(store, case.id)

    def change_the_set_meanwhile(done: int, total: int, what: str) -> None:
        if what == "Schedule":  # another window of the desk changes the set meanwhile
            update_item(
                store, item.id, title="Renamed", source="", item_date=None,
                decision=Decision.DISCLOSE,
            )  # fmt: skip

    with pytest.raises(DomainError, match="changed while the output was being made"):
        build_bundle(store, case.id, progress=change_the_set_meanwhile)
    assert list_outputs(store, case.id) == []
    assert list_letters(store, case.id) == []  # the new cover letter went with it
    after = cases.timeline(store, case.id)
    assert after[: len(before)] == before
    assert [e.kind for e in after[len(before) :]] == [EventKind.DISCLOSURE_ITEM_CHANGED]


def test_what_the_dpo_typed_is_printed_in_the_schedule_never_obeyed(
    store: Store, case: CaseDetail, tmp_path: Path
) -> None:
    item = add_item(store, case.id, filename="notes.pdf", content=letter_pdf(1))
    title = "Notes <b>not bold</b> & Zoë’s file 😀 مرحبا"
    update_item(
        store, item.id, title=title, source="CRM <i>", item_date=None, decision=Decision.DISCLOSE
    )
    mark_reviewed(store, case.id)
    pdf = build_bundle(store, case.id)
    schedule = next(t for t in _texts(pdf) if "Schedule of information" in t)
    flat = " ".join(schedule.split())
    assert "Notes <b>not bold</b> & Zoë’s file" in flat and "CRM <i>" in flat
    render_png(pdf, tmp_path, page=_texts(pdf).index(schedule) + 1)  # poppler draws it


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]

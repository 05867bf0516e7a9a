"""Collected material of every kind becomes pages; each item has a title, source, date and a
decision; every change is one event on the case's timeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app import cases
from app.attachments import add_attachment
from app.disclosure import (
    Decision,
    ItemKind,
    add_item,
    add_item_from_attachment,
    add_item_from_email_attachment,
    add_item_from_path,
    email_attachments,
    item_pdf,
    list_items,
    remove_item,
    update_item,
)
from app.domain import DomainError, EventKind
from app.readmodels import CaseDetail
from app.store import Store
from tests.conftest import SHARED, TODAY
from tests.disclosure.samples import (
    NAME,
    docx_bytes,
    email_with_attachment,
    letter_pdf,
    picture_with_name,
    text_of,
    tiff_two_pages,
)

CALL_NOTE = f"Call with {NAME} <b>&</b> Zoë\n".encode()


@pytest.mark.parametrize(
    ("filename", "make", "kind", "pages", "shown"),
    [
        ("notes.pdf", lambda: letter_pdf(3), ItemKind.PDF, 3, "Meeting notes"),
        ("visitors.png", picture_with_name, ItemKind.IMAGE, 1, None),
        ("visitors.jpg", lambda: picture_with_name("JPEG"), ItemKind.IMAGE, 1, None),
        ("scan.tiff", tiff_two_pages, ItemKind.IMAGE, 2, None),
        ("call.txt", lambda: CALL_NOTE, ItemKind.TEXT, 1, "<b>&</b>"),
        ("tickets.csv", lambda: b"id;who\n1;Zo\xc3\xab\n2;<i>x</i>\n", ItemKind.CSV, 1, "<i>x</i>"),
        ("refund.eml", email_with_attachment, ItemKind.EMAIL, 1, "Subject Your refund"),
        ("review.docx", docx_bytes, ItemKind.DOCX, 1, f"Reviewer: {NAME}"),
    ],
)  # fmt: skip
def test_each_kind_of_file_becomes_pages(
    store: Store,
    case: CaseDetail,
    filename: str,
    make: object,
    kind: ItemKind,
    pages: int,
    shown: str | None,
) -> None:
    content = make()  # type: ignore[operator]
    item = add_item(store, case.id, filename=filename, content=content, source="CRM")
    assert (item.kind, item.page_count, item.number, item.source) == (kind, pages, 1, "CRM")
    pdf = item_pdf(store, item.id)
    text = " ".join(" ".join(text_of(pdf)).split())
    assert len(text_of(pdf)) == pages
    if shown:
        assert shown in text  # markup in a file is printed, never obeyed
    event = cases.timeline(store, case.id)[-1]
    assert event.kind == EventKind.DISCLOSURE_ITEM_ADDED
    assert event.details["item_id"] == item.id and event.details["pages"] == pages


def test_an_email_is_printed_with_its_headers_and_dated(store: Store, case: CaseDetail) -> None:
    item = add_item(store, case.id, filename="refund.eml", content=email_with_attachment())
    assert item.title == "Your refund" and item.item_date == date(2026, 11, 3)
    text = " ".join(" ".join(text_of(item_pdf(store, item.id))).split())
    for expected in ("From John Smith <john.smith@example.org>", "To Zoë Adeyemi", "refund.csv"):
        assert expected in text


def test_an_outlook_msg_goes_through_the_apps_email_reader(store: Store, case: CaseDetail) -> None:
    sample = SHARED / "fixtures" / "msg" / "unicode.msg"
    if not sample.exists():
        pytest.skip("shared .msg samples not present")
    item = add_item(store, case.id, filename="unicode.msg", content=sample.read_bytes())
    assert item.kind is ItemKind.EMAIL and item.title == "Test for TIF files"
    assert "brizhou@gmail.com" in " ".join(text_of(item_pdf(store, item.id)))


def test_material_comes_from_kept_attachments_and_their_emails(
    store: Store, case: CaseDetail
) -> None:
    kept = add_attachment(
        store,
        case.id,
        filename="refund.eml",
        content=email_with_attachment(),
        kind="correspondence",
    )
    whole = add_item_from_attachment(store, case.id, kept.id, source="Mailbox")
    assert whole.kind is ItemKind.EMAIL and whole.attachment_id == kept.id
    [attached] = email_attachments(store, kept.id)
    assert attached.filename == "refund.csv"
    table = add_item_from_email_attachment(store, case.id, kept.id, 0, source="Mailbox")
    assert table.kind is ItemKind.CSV and table.number == 2
    with pytest.raises(DomainError, match="no attachment number 2"):
        add_item_from_email_attachment(store, case.id, kept.id, 1)


def test_a_file_from_disk(store: Store, case: CaseDetail, tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_bytes(letter_pdf(2))
    item = add_item_from_path(store, case.id, path, source="File share")
    assert item.title == "notes" and item.page_count == 2


def test_describing_and_deciding_are_on_the_record(store: Store, case: CaseDetail) -> None:
    item = add_item(store, case.id, filename="notes.pdf", content=letter_pdf(1))
    changed = update_item(
        store,
        item.id,
        title="Notes of the March meeting",
        source="Finance",
        item_date=date(2026, 3, 4),
        decision=Decision.WITHHOLD,
        exemption_key="legal_privilege",
        today=TODAY,
    )
    assert changed.decision_text == (
        "Withheld: Legal professional privilege (DPA 2018 Sch. 2 para 19)"
    )
    event = cases.timeline(store, case.id)[-1]
    assert event.kind == EventKind.DISCLOSURE_ITEM_CHANGED
    assert set(event.details["fields"]) == {"title", "source", "item_date", "decision", "exemption"}
    assert "withhold (Legal professional privilege" in event.summary
    count = len(cases.timeline(store, case.id))
    update_item(  # the same values again: nothing changed, nothing recorded
        store,
        item.id,
        title="Notes of the March meeting",
        source="Finance",
        item_date=date(2026, 3, 4),
        decision=Decision.WITHHOLD,
        exemption_key="legal_privilege",
        today=TODAY,
    )
    assert len(cases.timeline(store, case.id)) == count
    with pytest.raises(DomainError, match="future"):
        update_item(
            store, item.id, title="x", source="", item_date=date(2027, 1, 1),
            decision=Decision.DISCLOSE, today=TODAY,
        )  # fmt: skip
    with pytest.raises(DomainError, match="title"):
        update_item(store, item.id, title="  ", source="", item_date=None, decision="disclose")
    with pytest.raises(DomainError, match="no exemption"):
        update_item(
            store, item.id, title="x", source="", item_date=None, decision="withhold",
            exemption_key="because",
        )  # fmt: skip


def test_removing_an_item_keeps_the_record(store: Store, case: CaseDetail) -> None:
    first = add_item(store, case.id, filename="a.pdf", content=letter_pdf(1))
    second = add_item(store, case.id, filename="b.pdf", content=letter_pdf(1))
    with pytest.raises(DomainError, match="why"):
        remove_item(store, first.id, reason=" ")
    remove_item(store, first.id, reason="Duplicate of the CRM export")
    [left] = list_items(store, case.id)
    assert left.id == second.id and left.number == 1  # the schedule renumbers
    event = cases.timeline(store, case.id)[-1]
    assert event.kind == EventKind.DISCLOSURE_ITEM_REMOVED
    assert "Duplicate of the CRM export" in event.summary
    with pytest.raises(DomainError, match="removed"):
        item_pdf(store, first.id)


def _jpeg_with_metadata(orientation: int = 1) -> bytes:
    """A photo-like JPEG whose EXIF names the photographer and says where it was taken."""
    import io
    import os

    from PIL import Image, ImageFilter

    noise = Image.frombytes("RGB", (300, 200), os.urandom(300 * 200 * 3))
    photo = noise.filter(ImageFilter.GaussianBlur(2)).resize((1200, 800))
    exif = Image.Exif()
    exif[0x013B] = "Secret Photographer"  # Artist
    exif[0x010E] = "Taken at 12 Hidden Lane"  # ImageDescription
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=85, exif=exif.tobytes(), comment=b"Comment by Ann Lee")
    return buffer.getvalue()


def test_a_jpeg_goes_in_as_it_is_without_its_metadata(
    store: Store, case: CaseDetail, tmp_path: Path
) -> None:
    import io

    import pikepdf

    from tests.disclosure.samples import render_png, strings_anywhere

    jpeg = _jpeg_with_metadata()
    item = add_item(store, case.id, filename="photo.jpg", content=jpeg)
    pdf = item_pdf(store, item.id)
    assert len(pdf) < 1.1 * len(jpeg)  # not decoded (nor ASCII85-wrapped): no larger
    with pikepdf.open(io.BytesIO(pdf)) as document:
        [image] = [o for o in document.objects if isinstance(o, pikepdf.Stream) and
                   o.get("/Subtype") == pikepdf.Name.Image]  # fmt: skip
        assert image.Filter == pikepdf.Name.DCTDecode
        assert (int(image.Width), int(image.Height)) == (1200, 800)
    anywhere = strings_anywhere(pdf)
    for secret in ("Secret Photographer", "Hidden Lane", "Ann Lee", "Exif"):
        assert secret not in anywhere
    shown = render_png(pdf, tmp_path)  # poppler decodes what was kept
    assert shown.width > shown.height  # a wide picture on a landscape page


def test_a_jpeg_turned_by_its_exif_is_shown_upright(
    store: Store, case: CaseDetail, tmp_path: Path
) -> None:
    from tests.disclosure.samples import render_png, strings_anywhere

    item = add_item(store, case.id, filename="turned.jpg", content=_jpeg_with_metadata(6))
    pdf = item_pdf(store, item.id)
    shown = render_png(pdf, tmp_path)
    assert shown.height > shown.width  # 1200 × 800 stored, shown 800 × 1200: a portrait page
    assert "Secret Photographer" not in strings_anywhere(pdf)


def test_a_damaged_jpeg_structure_is_decoded_not_copied() -> None:
    from app.disclosure.images import without_metadata

    jpeg = _jpeg_with_metadata()
    assert without_metadata(jpeg[:2] + b"\x00" + jpeg[3:]) is None  # no marker where one goes
    assert without_metadata(jpeg[:40]) is None  # cut off before the picture
    kept = without_metadata(jpeg)
    assert kept is not None and kept.startswith(b"\xff\xd8") and b"Secret" not in kept


@pytest.mark.parametrize(("mode", "colour"), [("RGB", (200, 30, 30)), ("L", 90)])
def test_a_copied_jpeg_shows_its_colours(
    store: Store, case: CaseDetail, tmp_path: Path, mode: str, colour: object
) -> None:
    import io

    from PIL import Image

    from tests.disclosure.samples import region_mean, render_png

    buffer = io.BytesIO()
    Image.new(mode, (400, 300), colour).save(buffer, "JPEG", quality=95)  # type: ignore[arg-type]
    item = add_item(store, case.id, filename="plain.jpg", content=buffer.getvalue())
    shown = render_png(item_pdf(store, item.id), tmp_path).convert(mode)
    middle = (
        shown.width // 2 - 20,
        shown.height // 2 - 60,
        shown.width // 2 + 20,
        shown.height // 2 - 20,
    )
    expected = colour if isinstance(colour, int) else colour[0]
    assert abs(region_mean(shown.getchannel(0), middle) - expected) < 3

"""Redaction is burned in: what was under a box is gone from the file, shown by extracting
text with pypdf and by rendering with pdftoppm (poppler, not the engine that burned it), and
every redaction is in the log with item, page, box, reason, who and when."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdf
import pytest
from PIL import Image

from app import cases
from app.disclosure import (
    Box,
    Decision,
    add_box,
    add_item,
    find_term,
    redact_term,
    redacted_item_pdf,
    redaction_log,
    withdraw_redaction,
)
from app.domain import DomainError, EventKind
from app.readmodels import CaseDetail
from app.store import Store
from tests.disclosure.samples import (
    NAME,
    NAME_BOX_PX,
    annotated_pdf,
    letter_pdf,
    picture_with_name,
    region_darkest,
    region_mean,
    render_png,
    shared_resources_pdf,
    strings_anywhere,
    text_of,
)

REASON = "Third-party personal data (DPA 2018 Sch. 2 para 16)"


def test_a_name_redacted_by_term_is_gone_from_a_multipage_pdf(
    store: Store, case: CaseDetail, tmp_path: Path
) -> None:
    original = letter_pdf(3, name_on=(1, 3))
    item = add_item(store, case.id, filename="notes.pdf", content=original, source="Mailbox")
    assert [NAME in page for page in text_of(original)] == [True, False, True]

    hits = find_term(store, case.id, "john smith")
    assert [(h.item_id, h.page) for h in hits] == [(item.id, 1), (item.id, 3)]
    kept = redact_term(store, case.id, NAME, reason=REASON)
    assert len(kept) == 2

    redacted = redacted_item_pdf(store, item.id)
    pages = text_of(redacted)
    assert len(pages) == 3
    for text in pages:
        assert "Smith" not in text and "John" not in text
    assert "Agreed: refund to be issued" in pages[1]  # an untouched page keeps its text
    assert NAME not in strings_anywhere(redacted)

    # pdftoppm: where the name was printed is now solid black; the rest of the line is not.
    box = kept[0].box
    before = render_png(original, tmp_path, page=1, dpi=144)
    after = render_png(redacted, tmp_path, page=1, dpi=144)
    scale = 144 / 72
    pixels = (
        round(box.x0 * scale) + 2,
        round(box.top * scale) + 2,
        round(box.x1 * scale) - 2,
        round(box.bottom * scale) - 2,
    )
    assert region_mean(before, pixels) > 150  # black letters on white: mostly light
    assert region_mean(after, pixels) < 5
    line_start = (round(72 * scale), pixels[1], pixels[0] - 6, pixels[3])
    assert region_mean(after, line_start) > 150  # "Also present:" is still there

    log = redaction_log(store, case.id)
    assert [(r.item_id, r.page, r.reason, r.term, r.in_force) for r in log] == [
        (item.id, 1, REASON, NAME, True),
        (item.id, 3, REASON, NAME, True),
    ]
    assert log[0].actor == store.actor and log[0].at is not None
    assert log[0].box.x1 > log[0].box.x0 and log[0].box.bottom > log[0].box.top

    events = cases.timeline(store, case.id)
    assert events[-1].kind == EventKind.REDACTED
    assert "2 places across 1 item" in events[-1].summary
    assert NAME not in events[-1].summary  # the third party's name stays off the timeline


def test_a_box_over_a_name_in_a_png_burns_it_out_of_the_picture(
    store: Store, case: CaseDetail, tmp_path: Path
) -> None:
    item = add_item(store, case.id, filename="visitors.png", content=picture_with_name())
    assert item.page_count == 1
    rendered = render_png(redacted_item_pdf(store, item.id), tmp_path)  # nothing to redact yet
    # Where the picture sits on its page: find it from the page, in points (72 dpi render).
    reader = pypdf.PdfReader(io.BytesIO(redacted_item_pdf(store, item.id)))
    placed = _picture_box(reader)
    px_to_pt = (placed[2] - placed[0]) / 600
    x0, y0, x1, y1 = NAME_BOX_PX
    box = Box(
        placed[0] + x0 * px_to_pt,
        placed[1] + y0 * px_to_pt,
        placed[0] + x1 * px_to_pt,
        placed[1] + y1 * px_to_pt,
    )
    region = (round(box.x0) + 1, round(box.top) + 1, round(box.x1) - 1, round(box.bottom) - 1)
    assert region_darkest(rendered, region) < 60  # the name's dark letters are there

    add_box(store, item.id, page=1, box=box, reason=REASON)
    redacted = redacted_item_pdf(store, item.id)

    # pypdf: the page's only picture is the burned one; under the box its pixels are black.
    page = pypdf.PdfReader(io.BytesIO(redacted)).pages[0]
    assert len(page.images) == 1
    picture = page.images[0].image.convert("RGB")
    scale = picture.width / float(page.mediabox.width)
    pixels = tuple(round(v * scale) for v in (box.x0, box.top, box.x1, box.bottom))
    assert region_mean(picture, pixels) < 5
    assert region_mean(picture, (pixels[0], pixels[3] + 60, pixels[2], pixels[3] + 90)) > 150
    with pikepdf.open(io.BytesIO(redacted)) as pdf:  # no other picture hides in the file
        assert sum(1 for o in pdf.objects if _is_image(o)) == 1
    # pdftoppm agrees.
    assert region_mean(render_png(redacted, tmp_path), region) < 5

    [entry] = redaction_log(store, case.id)
    assert (entry.item_id, entry.page, entry.reason, entry.term) == (item.id, 1, REASON, None)


def test_an_image_shared_through_resources_does_not_survive(store: Store, case: CaseDetail) -> None:
    item = add_item(store, case.id, filename="shared.pdf", content=shared_resources_pdf())
    add_box(store, item.id, page=2, box=Box(0, 0, 300, 300), reason=REASON)
    redacted = redacted_item_pdf(store, item.id)
    with pikepdf.open(io.BytesIO(redacted)) as pdf:
        first = pdf.pages[0]
        assert set(first.Resources.XObject.keys()) == {"/Plain"}
        red = bytes(Image.new("RGB", (64, 64), (200, 30, 30)).tobytes())
        assert not any(_is_image(o) and o.read_bytes() == red for o in pdf.objects)


def test_an_annotation_under_a_box_is_gone(store: Store, case: CaseDetail) -> None:
    original = annotated_pdf()
    assert NAME in strings_anywhere(original)
    item = add_item(store, case.id, filename="commented.pdf", content=original)
    add_box(store, item.id, page=1, box=Box(60, 200, 320, 250), reason=REASON)
    redacted = redacted_item_pdf(store, item.id)
    assert NAME not in strings_anywhere(redacted)
    assert "/Annots" not in pypdf.PdfReader(io.BytesIO(redacted)).pages[0]


def test_a_box_on_a_rotated_page_covers_what_is_shown_there(
    store: Store, case: CaseDetail, tmp_path: Path
) -> None:
    with pikepdf.open(io.BytesIO(letter_pdf(1, name_on=(1,)))) as pdf:
        pdf.pages[0].obj.Rotate = 90
        buffer = io.BytesIO()
        pdf.save(buffer)
    item = add_item(store, case.id, filename="rotated.pdf", content=buffer.getvalue())
    [hit] = find_term(store, case.id, NAME)
    [box] = hit.boxes
    assert box.bottom - box.top > box.x1 - box.x0  # on the shown page the line runs down
    redact_term(store, case.id, NAME, reason=REASON)
    redacted = redacted_item_pdf(store, item.id)
    assert "Smith" not in text_of(redacted)[0]
    shown = render_png(redacted, tmp_path)
    assert shown.width > shown.height  # still shown sideways, as the DPO saw it
    inner = (round(box.x0) + 2, round(box.top) + 2, round(box.x1) - 2, round(box.bottom) - 2)
    assert region_mean(shown, inner) < 5


def test_a_withdrawn_redaction_stays_in_the_log_and_is_not_applied(
    store: Store, case: CaseDetail
) -> None:
    item = add_item(store, case.id, filename="notes.pdf", content=letter_pdf(1, name_on=(1,)))
    drawn = add_box(store, item.id, page=1, box=Box(50, 50, 300, 80), reason="Wrong place")
    assert list(cases.timeline(store, case.id))[-1].kind == EventKind.REDACTED
    withdraw_redaction(store, drawn.id)
    [entry] = redaction_log(store, case.id)
    assert not entry.in_force and entry.withdrawn_by == store.actor
    assert NAME in text_of(redacted_item_pdf(store, item.id))[0]
    assert cases.timeline(store, case.id)[-1].kind == EventKind.REDACTION_WITHDRAWN


def test_a_redaction_needs_a_reason_and_a_place_on_the_page(store: Store, case: CaseDetail) -> None:
    item = add_item(store, case.id, filename="notes.pdf", content=letter_pdf(1))
    with pytest.raises(DomainError, match="reason"):
        add_box(store, item.id, page=1, box=Box(10, 10, 50, 50), reason="  ")
    with pytest.raises(DomainError, match="no page 2"):
        add_box(store, item.id, page=2, box=Box(10, 10, 50, 50), reason=REASON)
    with pytest.raises(DomainError, match="off the page"):
        add_box(store, item.id, page=1, box=Box(900, 900, 950, 950), reason=REASON)
    with pytest.raises(DomainError, match="not found"):
        redact_term(store, case.id, "Nobody Here", reason=REASON)
    assert redaction_log(store, case.id) == []


def test_redacting_an_item_marks_it_disclosed_redacted(store: Store, case: CaseDetail) -> None:
    item = add_item(store, case.id, filename="notes.pdf", content=letter_pdf(1))
    assert item.decision is Decision.DISCLOSE
    redact_term(store, case.id, NAME, reason=REASON)
    from app.disclosure import get_item

    changed = get_item(store, item.id)
    assert changed.decision is Decision.DISCLOSE_REDACTED
    assert changed.decision_text == f"Disclosed with 1 redaction: {REASON}"


def _picture_box(reader: pypdf.PdfReader) -> tuple[float, float, float, float]:
    """The picture's placement on page 1 (from its `cm` operator), top-left origin."""
    page = reader.pages[0]
    height = float(page.mediabox.height)
    content = page.get_contents()
    assert content is not None
    for operands, operator in pypdf.generic.ContentStream(content, reader).operations:
        if operator == b"cm" and float(operands[0]) > 1:  # the scaling one, not identity
            width, _, _, tall, x, y = (float(v) for v in operands)
            return x, height - y - tall, x + width, height - y
    raise AssertionError("no picture placement found")


def _is_image(obj: object) -> bool:
    return isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image


def test_a_redacted_photograph_stays_a_reasonable_size_and_black_under_the_box(
    store: Store, case: CaseDetail, tmp_path: Path
) -> None:
    import os

    from PIL import ImageFilter

    noise = Image.frombytes("RGB", (600, 400), os.urandom(600 * 400 * 3))
    photo = noise.filter(ImageFilter.GaussianBlur(2)).resize((2400, 1600))
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=85)
    item = add_item(store, case.id, filename="cctv.jpg", content=buffer.getvalue())
    text_item = add_item(store, case.id, filename="notes.pdf", content=letter_pdf(1))
    box = Box(200, 150, 420, 260)
    add_box(store, item.id, page=1, box=box, reason=REASON)
    add_box(store, text_item.id, page=1, box=Box(60, 90, 300, 110), reason=REASON)

    redacted = redacted_item_pdf(store, item.id)
    assert len(redacted) < 1024 * 1024  # not megabytes of lossless noise
    with pikepdf.open(io.BytesIO(redacted)) as pdf:
        [picture] = [o for o in pdf.objects if _is_image(o)]
        assert picture.Filter == pikepdf.Name.DCTDecode
    shown = render_png(redacted, tmp_path, dpi=144)
    inner = tuple(round(v * 2) for v in (box.x0 + 3, box.top + 3, box.x1 - 3, box.bottom - 3))
    assert region_mean(shown, inner) < 5  # type: ignore[arg-type]
    with pikepdf.open(io.BytesIO(redacted_item_pdf(store, text_item.id))) as pdf:
        [picture] = [o for o in pdf.objects if _is_image(o)]
        assert picture.Filter == pikepdf.Name.FlateDecode  # a text page stays lossless

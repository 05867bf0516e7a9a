"""Arabic and Hebrew names and addresses print legibly: Arabic letters joined (presentation
forms), every line in right-to-left reading order, a long line wrapped top to bottom.

What the PDF draws is read straight from the page's content stream (each shown string
decoded through its font's ToUnicode map), not through pypdf's extract_text: pypdf turns
right-to-left runs back into logical order on extraction, which would hide the very order
we check. The expected visual strings are computed here with arabic-reshaper and
python-bidi directly, not through the renderer's code.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import arabic_reshaper
import pypdf
import pytest
from arabic_reshaper.letters import LETTERS_ARABIC
from bidi import get_display
from PIL import Image
from pypdf.generic import ContentStream
from reportlab.platypus import Paragraph

from app import cases
from app.domain import Channel, RequestType
from app.letters import render_letter
from app.letters.bidi import BidiParagraph, reorder_lines, visual_line
from app.letters.layout import paragraph, styles
from app.letters.markup import ARABIC, ARABIC_BOLD, markup, register_fonts
from app.letters.stages import Stage
from app.letters.templates import save_template
from app.readmodels import RequesterDetails
from app.settings import save_settings
from app.store import Store
from tests.conftest import TODAY
from tests.letters.conftest import ORG, RECEIVED, LogCase, flat, pdf_text

ARABIC_NAME = "محمد عبد الله"
ARABIC_ADDRESS = (
    "شقة ١٢، عمارة النور\n"
    "شارع الملك فهد بن عبد العزيز، حي العليا، الطابق الثالث، مقابل مركز المملكة التجاري\n"
    "الرياض ١٢٢١٤\n"
    "المملكة العربية السعودية"
)
LONG_LINE = ARABIC_ADDRESS.splitlines()[1]
HEBREW_NAME = "דוד כהן"
HEBREW_ADDRESS = "רחוב הרצל 12\nתל אביב-יפו 6578901\nישראל"
DESCRIPTION = (
    "أرجو إرسال جميع بياناتي الشخصية التي تحتفظون بها، بما في ذلك سجلات المكالمات "
    "والرسائل الإلكترونية وتذاكر الدعم الفني منذ عام ٢٠١٨ وحتى اليوم."
)
MM = 72 / 25.4


def visual(text: str) -> str:
    """What a reader sees, left to right: shaped, then reordered (one line)."""
    return get_display(arabic_reshaper.reshape(text))


# ---------------------------------------------------------------------------------------
# Reading what the page draws


def _to_unicode(font: pypdf.generic.DictionaryObject) -> dict[int, str]:
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    table: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, uni in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(int(uni, 16) + offset)
    return table


def drawn_lines(pdf: bytes, page_index: int = 0) -> list[tuple[float, str]]:
    """(baseline height from the top of the sheet in mm, text as drawn left to right) of
    every line the page draws, in drawing order."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page = reader.pages[page_index]
    height = float(page.mediabox.height)
    fonts = page["/Resources"]["/Font"]
    maps = {name: _to_unicode(fonts[name].get_object()) for name in fonts if name != "/F1"}
    lines: list[tuple[float, str]] = []
    current: list[str] = []
    ctm_stack: list[list[float]] = []
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]  # a b c d e f; reportlab's are scale + shift
    line_y = 0.0
    table: dict[int, str] = {}

    def end_line() -> None:
        if "".join(current).strip():
            lines.append((round((height - line_y) / MM, 1), "".join(current).strip()))
        current.clear()

    text_y = leading = 0.0
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"q":
            ctm_stack.append(ctm)
        elif op == b"Q":
            ctm = ctm_stack.pop()
        elif op == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            ctm = [
                a * ctm[0] + b * ctm[2],
                a * ctm[1] + b * ctm[3],
                c * ctm[0] + d * ctm[2],
                c * ctm[1] + d * ctm[3],
                e * ctm[0] + f * ctm[2] + ctm[4],
                e * ctm[1] + f * ctm[3] + ctm[5],
            ]
        elif op in (b"BT", b"ET", b"T*"):
            end_line()
            if op == b"BT":
                text_y = 0.0
            elif op == b"T*":
                text_y -= leading
        elif op == b"TL":
            leading = float(operands[0])
        elif op == b"Tm":
            end_line()
            text_y = float(operands[5])
        elif op in (b"Td", b"TD") and float(operands[1]) != 0:
            end_line()
            text_y += float(operands[1])
        elif op == b"Tf":
            table = maps.get(str(operands[0]), {})
        elif op in (b"Tj", b"TJ"):
            line_y = ctm[3] * text_y + ctm[5]  # x is 0 at each line start: no rotation
            items = operands[0] if op == b"TJ" else [operands[0]]
            for item in items:
                if isinstance(item, (bytes, str)):
                    raw = item.original_bytes if hasattr(item, "original_bytes") else item
                    current.append("".join(table.get(b, "\ufffd") for b in bytes(raw)))
    end_line()
    return lines


def texts(lines: list[tuple[float, str]]) -> list[str]:
    return [text for _y, text in lines]


def line_with(lines: list[tuple[float, str]], part: str) -> tuple[float, str]:
    found = [line for line in lines if part in line[1]]
    assert found, f"{part!r} is drawn on no line: {texts(lines)}"
    return found[0]


# ---------------------------------------------------------------------------------------
# Letters


def test_arabic_name_and_address_are_shaped_and_read_right_to_left(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case(name=ARABIC_NAME, address=ARABIC_ADDRESS)
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    reader = pypdf.PdfReader(io.BytesIO(pdf))  # a valid PDF, one page
    assert len(reader.pages) == 1
    lines = drawn_lines(pdf)
    drawn = texts(lines)
    # The name as the first line of the address, and in the salutation of an English letter.
    assert visual(ARABIC_NAME) in drawn
    assert get_display(arabic_reshaper.reshape(f"Dear {ARABIC_NAME},")) in drawn
    # Every short address line, whole.
    for line in ARABIC_ADDRESS.splitlines():
        if line != LONG_LINE:
            assert visual(line) in drawn
    # Joined letters, not the isolated base letters reportlab would print unshaped.
    assert not any(ch in "".join(drawn) for ch in ARABIC_NAME if not ch.isspace())
    assert "\ufffd" not in "".join(drawn)
    # The Arabic is embedded in the Arabic font.
    fonts = reader.pages[0]["/Resources"]["/Font"]
    base_fonts = {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert any(ARABIC in font for font in base_fonts)


def test_a_long_arabic_address_line_wraps_top_to_bottom_inside_the_window(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case(name=ARABIC_NAME, address=ARABIC_ADDRESS)
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    lines = drawn_lines(pdf)
    first_words, last_words = "شارع الملك فهد", "مركز المملكة التجاري"
    top = line_with(lines, visual(first_words))
    bottom = line_with(lines, visual(last_words))
    assert top != bottom  # it did wrap
    assert top[0] < bottom[0]  # the beginning is printed above the end
    # Each printed piece is one stretch of the line in visual order; together, the line.
    pieces = [text for _y, text in lines if top[0] <= _y <= bottom[0]]
    assert " ".join(get_display(piece) for piece in pieces) == arabic_reshaper.reshape(LONG_LINE)
    # Name and address inside the window box (50-88 mm from the top of the sheet).
    for from_top, text in lines:
        if text in {visual(ARABIC_NAME), *pieces}:
            assert 50 <= from_top <= 88, (from_top, text)


def test_hebrew_name_and_address_read_right_to_left(org_store: Store, log_case: LogCase) -> None:
    case = log_case(name=HEBREW_NAME, address=HEBREW_ADDRESS)
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    drawn = texts(drawn_lines(pdf))
    assert get_display(HEBREW_NAME) == "ןהכ דוד"  # the library does what we expect
    assert "ןהכ דוד" in drawn
    assert get_display(f"Dear {HEBREW_NAME},") in drawn
    for line in HEBREW_ADDRESS.splitlines():
        assert get_display(line) in drawn
    # By hand: the number at the left end, still "12"; each word's letters reversed.
    assert "12 " + "הרצל"[::-1] + " " + "רחוב"[::-1] in drawn
    # pypdf's own extraction turns right-to-left runs back to reading order: the name
    # round-trips as typed.
    assert HEBREW_NAME in flat(pdf_text(pdf))


def test_arabic_with_markup_characters_is_still_escaped(
    org_store: Store, log_case: LogCase
) -> None:
    name = '<b>محمد</b> & <img src="/etc/passwd"/>'
    case = log_case(name=name)
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 0
    assert b"root:" not in pdf
    assert visual(name) in texts(drawn_lines(pdf))


def test_latin_names_take_the_plain_paragraph_path(org_store: Store, log_case: LogCase) -> None:
    register_fonts()
    style = styles().body
    assert type(paragraph(markup("Zoë Adeyemi 王小明 Ελένη"), style)) is Paragraph
    assert isinstance(paragraph(markup(ARABIC_NAME), style), BidiParagraph)
    case = log_case(name="Zoë Adeyemi")
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    fonts = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    assert not any(ARABIC in str(fonts[key].get_object()["/BaseFont"]) for key in fonts)
    assert "Dear Zoë Adeyemi," in texts(drawn_lines(pdf))


def test_arabic_in_an_english_paragraph_wraps_in_reading_order_across_pages(
    org_store: Store,
) -> None:
    """A long Arabic description inside an English paragraph (a DPO's template): each
    printed line holds one stretch of the text in visual order, and the stretches follow
    each other down the page and on to the next page."""
    save_template(
        org_store,
        Stage.ACKNOWLEDGEMENT,
        "Subject: Your request $reference\n\nDear $requester_name,\n\n"
        "You asked: $description End of request.\n\nYours sincerely,\n",
    )
    digits = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    description = " ".join(f"{DESCRIPTION} رقم {n}.".translate(digits) for n in range(1, 31))
    case = cases.log_request(
        org_store,
        RequesterDetails(name=ARABIC_NAME, email="m@example.org", postal_address="Leeds"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=RECEIVED,
        description=description,
        today=TODAY,
    )
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 2
    drawn = [text for page in (0, 1) for text in texts(drawn_lines(pdf, page))]
    first = next(i for i, text in enumerate(drawn) if text.startswith("You asked:"))
    last = next(i for i, text in enumerate(drawn) if text.endswith("End of request."))
    lines = [text for text in drawn[first : last + 1] if not text.startswith("Page ")]
    assert len(lines) > 30
    # Without its punctuation, reordering a line is its own inverse: undo it line by line
    # and the paragraph reads in its logical order, so no line and no word within a line is
    # out of place. (Where the punctuation goes is checked by hand below.)
    logical = " ".join(get_display(_unpunctuated(line), base_dir="L") for line in lines)
    expected = arabic_reshaper.reshape(f"You asked: {description} End of request.")
    assert flat(logical) == flat(_unpunctuated(expected))


def _unpunctuated(text: str) -> str:
    return re.sub("[،.:]", "", text)


def test_arabic_in_a_bold_line_is_set_in_the_bold_arabic_face(org_store: Store) -> None:
    """The DPO's name heads the signature in bold; in Arabic it is bold too."""
    save_settings(org_store, replace(ORG, dpo_name="ليلى حداد"))
    case = cases.log_request(
        org_store,
        RequesterDetails(name="Zoë Adeyemi", email="z@example.org", postal_address="Leeds"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=RECEIVED,
        today=TODAY,
    )
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    fonts = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    base_fonts = {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert any(font.endswith("+" + ARABIC_BOLD) for font in base_fonts)
    assert not any(font.endswith("+" + ARABIC) for font in base_fonts)  # only the name
    assert visual("ليلى حداد") in texts(drawn_lines(pdf))


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None,
    reason="pdftoppm (poppler-utils) is not installed; pages cannot be rendered",
)
def test_arabic_address_block_renders_with_pdftoppm(
    org_store: Store, log_case: LogCase, tmp_path: Path
) -> None:
    case = log_case(name=ARABIC_NAME, address=ARABIC_ADDRESS)
    pdf_path = tmp_path / "letter.pdf"
    pdf_path.write_bytes(render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY))
    dpi = 200
    px = dpi / 25.4
    # The window box is 22-105 mm from the left, 50-88 mm from the top; the reference
    # and date start at 118 mm. Crop 20-117 mm across, 48-90 mm down.
    x, y, w, h = (round(v * px) for v in (20, 48, 97, 42))
    subprocess.run(
        [
            *("pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1"),
            *("-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h)),
            *(str(pdf_path), str(tmp_path / "address")),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("address-*.png")
    image = Image.open(png).convert("L")
    assert image.size == (w, h)
    assert sum(image.histogram()[:128]) > 2000  # the address is drawn, not a blank window
    # Nothing drawn between the window's right edge and the reference (106-117 mm): the
    # long line wrapped rather than running on under the envelope.
    strip = image.crop((round(86 * px), 0, w, h))
    assert sum(strip.histogram()[:200]) == 0
    # Ink in the window's right half too: the long line's first piece fills the width.
    assert sum(image.crop((round(45 * px), 0, round(85 * px), h)).histogram()[:128]) > 500


# ---------------------------------------------------------------------------------------
# Pieces


def test_every_arabic_presentation_form_the_reshaper_makes_is_in_the_arabic_font() -> None:
    register_fonts()
    from reportlab.pdfbase import pdfmetrics

    cmap = set(pdfmetrics.getFont(ARABIC).face.charToGlyph)  # type: ignore[attr-defined]
    forms = {ch for forms in LETTERS_ARABIC.values() for form in forms for ch in form if form}
    missing = sorted(hex(ord(ch)) for ch in forms if ord(ch) not in cmap)
    assert not missing
    assert 0xFDF2 in cmap  # the Allah ligature of "عبد الله"


def test_punctuation_at_a_line_break_stays_with_its_word() -> None:
    """An Arabic run wrapped inside an English paragraph: the comma after the last word of
    the first line belongs to the Arabic run (the run goes on after the break), so it is
    drawn at the run's left end, next to that word, not at the right edge of the line."""
    lines = ["You asked: أرجو بها،", "بما في ذلك"]
    first = "You asked: " + "،" + "بها"[::-1] + " " + "أرجو"[::-1]
    second = "ذلك"[::-1] + " " + "في"[::-1] + " " + "بما"[::-1]
    assert reorder_lines(lines) == [first, second]
    # An Arabic paragraph (right-to-left base) with an English line keeps that line as is.
    assert reorder_lines(["شارع الملك", "Flat 3"]) == ["الملك"[::-1] + " " + "شارع"[::-1], "Flat 3"]


def test_hebrew_points_follow_their_letter_after_reordering() -> None:
    # shin qamats shin-dot, lamed, vav holam, final mem
    shalom = "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd"
    assert visual_line(shalom, rtl_base=True) == "\u05dd\u05d5\u05b9\u05dc\u05e9\u05b8\u05c1"
    assert visual_line("café", rtl_base=False) == "café"

"""Names and addresses as people really write them, and as an attacker might: every one
prints exactly as typed, in a valid PDF, inside the envelope window."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from app import cases
from app.letters import render_letter
from app.letters.stages import Stage
from app.store import Store
from tests.conftest import TODAY
from tests.letters.conftest import LogCase, flat, pdf_text

LONG_NAME = (
    "Maximilian Alexander Bartholomew Fitzgerald-Montgomery Worthington-Smythe "
    "de la Cour-Vandenberghe Hawthorne-Aldridge III"
)
assert len(LONG_NAME) == 120

NAMES = {
    "markup": "<b>Ann</b> & Co",
    "img-tag": '<img src="/etc/passwd"/>',
    "font-tag": '<font color="red" name="Courier">Eve</font>',
    "entities": "Tom &amp; Jerry &lt;3 &#60;",
    "accents": "Siobhán Ní Bhriain-Ørsted Müller",
    "greek": "Ελένη Παπαδοπούλου",
    "cyrillic": "Дмитрий Иванов",
    "chinese": "王小明",
    "japanese": "山田 太郎 やまだ タロウ",
    "korean": "김민준",
    "mixed": "Zoë 王 Ελένη Дмитрий",
    "long": LONG_NAME,
}
SEVEN_LINES = (
    "Flat 12b, The Old Sorting Office\n"
    "Building 7, Northern Quarter Regeneration Estate\n"
    "147–153 Great Ancoats Street\n"
    "Ancoats\n"
    "Manchester\n"
    "Greater Manchester\n"
    "M4 6DE"
)


def png_logo() -> bytes:
    image = Image.new("RGB", (300, 100), (30, 80, 160))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_name_prints_exactly_as_typed(org_store: Store, log_case: LogCase, name: str) -> None:
    case = log_case(name=name)
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    reader = pypdf.PdfReader(io.BytesIO(pdf))  # a valid PDF
    assert len(reader.pages) == 1
    text = pdf_text(pdf)
    assert flat(name) in flat(text)
    assert f"Dear {flat(name)}," in flat(text)


def test_markup_in_a_name_loads_no_file_and_makes_no_tag(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case(name='<img src="/etc/passwd"/> <b>Ann</b>')
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 0  # no image was loaded from the name
    assert b"root:" not in pdf  # nothing of /etc/passwd found its way in
    assert '<img src="/etc/passwd"/> <b>Ann</b>' in page.extract_text()


def test_cjk_names_are_set_in_the_embedded_fallback_font(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case(name="王小明 김민준 山田太郎")
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = page["/Resources"]["/Font"]
    base_fonts = {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert any("DroidSansFallback" in font for font in base_fonts)
    assert any("DejaVuSans" in font for font in base_fonts)
    assert "王小明 김민준 山田太郎" in page.extract_text()


def test_a_seven_line_address_and_a_long_name_fit_the_window(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case(name=LONG_NAME, address=SEVEN_LINES)
    pdf = render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT, today=TODAY)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    text = page.extract_text()
    for line in SEVEN_LINES.splitlines():
        assert line in text
    assert LONG_NAME in flat(text)
    # Everything drawn for the address lies inside the window box (22-105 mm from the
    # left, 50-88 mm from the top of the sheet), so nothing runs off or hides.
    height = float(page.mediabox.height)
    mm = 72 / 25.4
    seen: list[tuple[float, float]] = []

    def visit(text_run: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
        if text_run.strip() and any(line in text_run for line in SEVEN_LINES.splitlines()):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            seen.append((x, height - y))

    page.extract_text(visitor_text=visit)
    assert len(seen) >= 7
    for x, from_top in seen:
        assert 22 * mm - 1 <= x <= 105 * mm
        assert 50 * mm <= from_top <= 88 * mm


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None,
    reason="pdftoppm (poppler-utils) is not installed; pages cannot be rendered",
)
def test_pages_render_with_pdftoppm(org_store: Store, log_case: LogCase, tmp_path: Path) -> None:
    case = log_case(name="王小明 Zoë Ελένη")
    cases.request_identity(
        org_store, case.id, on=TODAY, reason="The email address is new to us.", today=TODAY
    )
    pdf_path = tmp_path / "letter.pdf"
    pdf_path.write_bytes(render_letter(org_store, case.id, Stage.IDENTITY_REQUEST, today=TODAY))
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf_path), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 3  # a two-page letter, then the request form
    for png in pages:
        image = Image.open(png).convert("L")
        assert image.size[1] > image.size[0]  # portrait A4
        dark = image.histogram()[:128]
        dark = sum(dark)
        assert dark > 500  # there is text on the page, not a blank sheet

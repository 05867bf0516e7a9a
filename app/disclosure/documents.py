"""Pages that DSAR Desk lays out itself (reportlab): renditions of text, tables, emails and
Word documents, and the bundle's schedule.

Every page keeps a strip at the bottom free (FOOTER), where the bundle stamps the case
reference and "page n of N", so a stamp never covers what the page says. Text reaches
reportlab only through app.letters.markup (escaped, every script in a font that has it).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, SimpleDocTemplate, TableStyle

from app.letters.layout import paragraph, styles
from app.letters.markup import BOLD, REGULAR, markup

MARGIN = 16 * mm
FOOTER = 16 * mm  # kept empty for the bundle's stamp
CELL_CHARS = 400  # a table cell longer than this is cut, saying so
GRID = colors.HexColor("#9a9a9a")
HEADER_FILL = colors.HexColor("#e8e8e8")


def page_size(wide: bool = False) -> tuple[float, float]:
    return landscape(A4) if wide else A4


def build(
    flowables: Sequence[Flowable], *, title: str, wide: bool = False, on_page: object = None
) -> bytes:
    """The flowables as PDF bytes on A4 (landscape when `wide`), bottom strip left free.

    `title` goes into the PDF's metadata: keep personal data out of it."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page_size(wide),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER,
        title=title,
        creator="DSAR Desk",
        author="DSAR Desk",
    )
    if on_page is None:
        doc.build(list(flowables))
    else:
        doc.build(list(flowables), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def text_style(size: float = 9.5) -> ParagraphStyle:
    base = styles().body
    return ParagraphStyle(
        f"text{size}", parent=base, fontSize=size, leading=size * 1.35, spaceAfter=size * 0.4
    )


def heading_style() -> ParagraphStyle:
    return styles().heading


def title_style() -> ParagraphStyle:
    return ParagraphStyle(
        "pageTitle", parent=styles().subject, fontSize=14, leading=18, spaceAfter=8
    )


def text(value: str, style: ParagraphStyle | None = None) -> Flowable:
    """A paragraph printing `value` exactly as typed (escaped; right-to-left lines set)."""
    return paragraph(markup(value), style or text_style())


def text_blocks(value: str, style: ParagraphStyle | None = None) -> list[Flowable]:
    """Plain text as paragraphs: blank lines separate paragraphs, single line breaks stay."""
    style = style or text_style()
    blocks = [block.strip("\n") for block in value.replace("\r\n", "\n").split("\n\n")]
    return [text(block, style) for block in blocks if block.strip()]


def cell(value: str, bold: bool = False, size: float = 7.5) -> Paragraph:
    value = value if len(value) <= CELL_CHARS else value[:CELL_CHARS] + " […cut]"
    style = ParagraphStyle(
        f"cell{bold}{size}",
        fontName=BOLD if bold else REGULAR,
        fontSize=size,
        leading=size * 1.25,
        splitLongWords=True,
    )
    return paragraph(markup(value), style)


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: float,
    *,
    weights: Sequence[float] | None = None,
    size: float = 7.5,
) -> LongTable:
    """A table that repeats its header on every page; cells wrap."""
    columns = max(len(header), max((len(r) for r in rows), default=0), 1)
    weights = list(weights or _weights(header, rows, columns))
    total = sum(weights) or 1.0
    widths = [width * w / total for w in weights]
    data = [[cell(h, bold=True, size=size) for h in _padded(header, columns)]]
    data += [[cell(v, size=size) for v in _padded(row, columns)] for row in rows]
    result = LongTable(data, colWidths=widths, repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return result


def _padded(row: Sequence[str], columns: int) -> list[str]:
    values = [str(v) for v in row[:columns]]
    return values + [""] * (columns - len(values))


def _weights(header: Sequence[str], rows: Sequence[Sequence[str]], columns: int) -> list[float]:
    """Column widths after the longest values (first 200 rows), within sensible bounds."""
    widths = [4.0] * columns
    for row in [header, *rows[:200]]:
        for index, value in enumerate(list(row)[:columns]):
            widths[index] = max(widths[index], min(len(str(value)), 40))
    return widths


def content_width(wide: bool = False) -> float:
    return page_size(wide)[0] - 2 * MARGIN

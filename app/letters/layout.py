"""The page: A4, letterhead, the recipient's address where a DL window envelope shows it,
reference and date, subject, body, signature, and "Page x of y" when there is more than one.

Window position. A4 folded in three (99 mm panels) goes in a DL (110 x 220 mm) or C5/6
window envelope whose window is, in the common UK size, 90 x 45 mm, 20 mm from the left
edge and 15 mm from the bottom, so 50 mm below the top of the envelope. DIN 5008 (form B)
puts the address field 20 mm from the left and 45 mm from the top of the sheet, 85 x 45 mm.
We print the address inside both: 22 mm from the left, from 50 mm down, in an 83 x 38 mm
box (shrunk to fit, never overflowing), and keep the body below the first fold (99 mm) so
nothing else shows through the window. Fold marks are printed at 99 and 198 mm.

Every text argument here is paragraph markup made by app.letters.markup (already escaped).
A paragraph with right-to-left text (Arabic, Hebrew) is a BidiParagraph, reordered line by
line after wrapping (app.letters.bidi); all others are plain reportlab Paragraphs.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepInFrame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
)

from app.letters.bidi import BidiParagraph, has_rtl
from app.letters.markup import BOLD, REGULAR, bold_runs, font_runs, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 20 * mm
RIGHT = 20 * mm
BOTTOM = 22 * mm
BODY_WIDTH = PAGE_WIDTH - LEFT - RIGHT
FIRST_BODY_TOP = 100 * mm  # below the first fold (99 mm)
LATER_BODY_TOP = 22 * mm

# (x from left, y from top, width, height) of the fixed boxes on page one.
LOGO_BOX = (LEFT, 10 * mm, 70 * mm, 28 * mm)
SENDER_BOX = (105 * mm, 10 * mm, 85 * mm, 34 * mm)
ADDRESS_BOX = (22 * mm, 50 * mm, 83 * mm, 38 * mm)  # inside the DL window, see docstring
META_BOX = (118 * mm, 50 * mm, 72 * mm, 38 * mm)

GREY = colors.HexColor("#555555")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    heading: ParagraphStyle
    bullet: ParagraphStyle
    subject: ParagraphStyle
    address: ParagraphStyle
    meta: ParagraphStyle
    sender: ParagraphStyle
    sender_name: ParagraphStyle
    small: ParagraphStyle
    signature: ParagraphStyle
    signature_name: ParagraphStyle


def paragraph(text: str, style: ParagraphStyle, bullet: str | None = None) -> Flowable:
    """A Paragraph, or a BidiParagraph when the text has right-to-left characters."""
    bold = style.fontName == BOLD
    if bold:
        text = bold_runs(text)
    if has_rtl(text):
        runs = _bold_font_runs if bold else font_runs
        return BidiParagraph(text, style, runs, bulletText=bullet)
    return Paragraph(text, style, bulletText=bullet)


def _bold_font_runs(text: str) -> str:
    return bold_runs(font_runs(text))


@lru_cache(maxsize=1)
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=10.5,
        leading=14.5,
        spaceAfter=7,
        splitLongWords=True,
    )
    return Styles(
        body=body,
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=11,
            spaceBefore=5,
            spaceAfter=4,
            keepWithNext=True,
        ),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3, spaceAfter=4),
        subject=ParagraphStyle(
            "subject", parent=body, fontName=BOLD, fontSize=11, leading=15, spaceAfter=10
        ),
        address=ParagraphStyle("address", parent=body, fontSize=10, leading=12.5, spaceAfter=0),
        meta=ParagraphStyle("meta", parent=body, fontSize=9.5, leading=13, spaceAfter=0),
        sender=ParagraphStyle(
            "sender",
            parent=body,
            fontSize=8.5,
            leading=11,
            spaceAfter=0,
            alignment=TA_RIGHT,
            textColor=GREY,
        ),
        sender_name=ParagraphStyle(
            "sender_name",
            parent=body,
            fontName=BOLD,
            fontSize=12,
            leading=15,
            spaceAfter=2,
            alignment=TA_RIGHT,
        ),
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=GREY),
        signature=ParagraphStyle("signature", parent=body, spaceAfter=0),
        signature_name=ParagraphStyle("signature_name", parent=body, fontName=BOLD, spaceAfter=0),
    )


@dataclass
class LetterLayout:
    """What goes on the page, all as escaped paragraph markup (or image bytes)."""

    title: str  # PDF metadata: no personal data, e.g. "DSR-2026-0001 acknowledgement"
    author: str
    sender_name: str
    sender_lines: list[str]
    logo: bytes | None
    recipient: list[str]  # name, then address lines
    meta: list[tuple[str, str]]  # (label, value) beside the window
    subject: str
    blocks: list[tuple[str, str]]  # (kind, markup): paragraph, heading, bullet
    signature: list[str]  # DPO name, title, organisation
    running_head: str  # on pages after the first
    extra_pages: list[Flowable] = field(default_factory=list)  # e.g. the request form


def _frame(box: tuple[float, float, float, float], name: str) -> Frame:
    x, top, width, height = box
    return Frame(
        x,
        PAGE_HEIGHT - top - height,
        width,
        height,
        id=name,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )


def _body_frame(top: float, name: str) -> Frame:
    return Frame(
        LEFT,
        BOTTOM,
        BODY_WIDTH,
        PAGE_HEIGHT - top - BOTTOM,
        id=name,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )


@lru_cache(maxsize=8)
def _logo_reader(logo: bytes) -> ImageReader:
    return ImageReader(io.BytesIO(logo))


def _logo(logo: bytes | None) -> Flowable:
    if not logo:
        return Spacer(1, 1)
    reader = _logo_reader(logo)
    width, height = reader.getSize()
    box_w, box_h = LOGO_BOX[2], LOGO_BOX[3]
    scale = min(box_w / width, box_h / height) * 0.999
    return _Logo(reader, width * scale, height * scale)


class _Logo(Flowable):
    """The logo drawn from one decoded image kept across letters (a batch decodes it once)."""

    def __init__(self, reader: ImageReader, width: float, height: float) -> None:
        super().__init__()
        self.reader, self.width, self.height = reader, width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


def _fold_marks(canvas: Canvas) -> None:
    canvas.setStrokeColor(colors.HexColor("#999999"))
    canvas.setLineWidth(0.3)
    for y in (99 * mm, 198 * mm):
        canvas.line(0, PAGE_HEIGHT - y, 5 * mm, PAGE_HEIGHT - y)


def _canvas_maker(running_head: str) -> Callable[..., Canvas]:
    """A canvas that learns the page count at the end, then writes "Page x of y" on each
    page of a letter longer than one page (one pass, no second build)."""
    style = styles()

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if total > 1:
                    self._number(total)
                super().showPage()
            super().save()

        def _number(self, total: int) -> None:
            self.setFont(REGULAR, 8.5)
            self.setFillColor(GREY)
            self.drawCentredString(PAGE_WIDTH / 2, 12 * mm, f"Page {self._pageNumber} of {total}")
            if self._pageNumber > 1:
                head = paragraph(running_head, style.small)
                head.wrapOn(self, BODY_WIDTH, 12 * mm)
                head.drawOn(self, LEFT, PAGE_HEIGHT - 14 * mm)

    return NumberedCanvas


def build_pdf(layout: LetterLayout) -> bytes:
    style = styles()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=layout.title,
        author=layout.author,
        creator="DSAR Desk",
        leftMargin=LEFT,
        rightMargin=RIGHT,
        bottomMargin=BOTTOM,
        topMargin=LATER_BODY_TOP,
    )
    first = PageTemplate(
        id="first",
        frames=[
            _frame(LOGO_BOX, "logo"),
            _frame(SENDER_BOX, "sender"),
            _frame(ADDRESS_BOX, "address"),
            _frame(META_BOX, "meta"),
            _body_frame(FIRST_BODY_TOP, "body"),
        ],
        onPage=lambda canvas, _doc: _fold_marks(canvas),
    )
    later = PageTemplate(id="later", frames=[_body_frame(LATER_BODY_TOP, "body")])
    doc.addPageTemplates([first, later])

    story: list[Flowable] = [NextPageTemplate("later"), _logo(layout.logo), FrameBreak()]
    sender = [paragraph(layout.sender_name, style.sender_name)]
    sender += [paragraph(line, style.sender) for line in layout.sender_lines if line]
    story += [_fit(sender, SENDER_BOX), FrameBreak()]
    recipient = [paragraph(line, style.address) for line in layout.recipient]
    story += [_fit(recipient, ADDRESS_BOX), FrameBreak()]
    meta = [
        paragraph(f"{label}&nbsp;&nbsp;{value}" if label else value, style.meta)
        for label, value in layout.meta
    ]
    story += [_fit(meta, META_BOX), FrameBreak()]
    if layout.subject:
        story.append(paragraph(layout.subject, style.subject))
    body = _body(layout.blocks)
    # "Yours sincerely," never parts from the name, nor from the last paragraph before it:
    # a signature alone at the top of a page invites the question of what it signed.
    keep = 2 if len(body) >= 2 and _height(body[-2]) <= KEEP_WITH_SIGNATURE else 1
    while keep < len(body) and _is_heading(body[-keep - 1]):
        keep += 1  # a heading goes where its paragraph goes
    closing = body[-keep:] if body else []
    story += body[: len(body) - len(closing)]
    story.append(_signature(layout.signature, closing))
    story += layout.extra_pages
    doc.build(story, canvasmaker=_canvas_maker(layout.running_head))
    return buffer.getvalue()


# A last paragraph up to this tall moves with the signature rather than leave it alone on a
# page; a longer one may split, as the signature then follows its last lines anyway.
KEEP_WITH_SIGNATURE = 45 * mm


def _fit(flowables: Sequence[Flowable], box: tuple[float, float, float, float]) -> Flowable:
    """Shrink to the box rather than spill out of it: a seven-line address with a long
    name must stay inside the envelope window."""
    return KeepInFrame(box[2], box[3], list(flowables), mode="shrink")


def _body(blocks: list[tuple[str, str]]) -> list[Flowable]:
    style = styles()
    out: list[Flowable] = []
    previous = ""
    for kind, text in blocks:
        if previous == "bullet" and kind != "bullet":
            out.append(Spacer(1, 3))  # a list ends with the same gap as a paragraph
        previous = kind
        if kind == "heading":
            out.append(paragraph(text, style.heading))
        elif kind == "bullet":
            out.append(paragraph(text, style.bullet, bullet="•"))
        else:
            out.append(paragraph(text, style.body))
    return out


def _is_heading(flowable: Flowable) -> bool:
    return getattr(flowable, "style", None) is styles().heading


def _height(flowable: Flowable) -> float:
    return flowable.wrap(BODY_WIDTH, A4[1])[1]


def _signature(lines: list[str], closing: list[Flowable]) -> Flowable:
    style = styles()
    parts: list[Flowable] = list(closing)
    parts.append(Spacer(1, 16 * mm))
    for index, line in enumerate(line for line in lines if line):
        # The name in a bold style, not <b>: a right-to-left line keeps no inline tags.
        parts.append(paragraph(line, style.signature_name if index == 0 else style.signature))
    return KeepTogether(parts)

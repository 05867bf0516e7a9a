"""Reading PDF pages with PDFium (pypdfium2): page sizes, rendering, and where a term is.

PDFium is the renderer Chrome uses and the one Qt's own PDF module wraps, so what the DPO sees
in the page viewer, what the term search finds and what a redacted page is rendered from are
the same engine's idea of the page. PDFium is not thread-safe: every call here holds one
lock, so a term search in one worker and a bundle build in another cannot run it at once.

Coordinates leave this module as `Box`es in PDF points on the page *as shown* (its /Rotate
and crop box applied), measured from the top-left corner, which is how a viewer and a
rendered image see the page.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from app.domain import DomainError

_LOCK = threading.RLock()
_PRECISION = 16  # device units per point when converting coordinates


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on a shown page, in points from the top-left corner."""

    x0: float
    top: float
    x1: float
    bottom: float

    def normalised(self) -> Box:
        return Box(
            min(self.x0, self.x1),
            min(self.top, self.bottom),
            max(self.x0, self.x1),
            max(self.top, self.bottom),
        )

    def padded(self, by: float) -> Box:
        return Box(self.x0 - by, self.top - by, self.x1 + by, self.bottom + by)

    def clipped(self, width: float, height: float) -> Box:
        return Box(
            max(0.0, self.x0), max(0.0, self.top), min(width, self.x1), min(height, self.bottom)
        )

    @property
    def empty(self) -> bool:
        return self.x1 - self.x0 < 0.5 or self.bottom - self.top < 0.5


@dataclass(frozen=True, slots=True)
class Hit:
    page: int  # 1-based
    boxes: tuple[Box, ...]  # one per line the match runs over


@contextmanager
def open_pdf(data: bytes, what: str) -> Iterator[pdfium.PdfDocument]:
    """The PDF as PDFium reads it, under the lock; a file PDFium refuses is a DomainError
    whose message says what to do about it."""
    with _LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise DomainError(_refusal(what, str(exc))) from exc
        try:
            document.init_forms()  # form fields render as filled in
            yield document
        finally:
            document.close()


def _refusal(what: str, reason: str) -> str:
    lowered = reason.lower()
    if "password" in lowered or "security" in lowered:
        return (
            f"{what} is protected by a password, so its pages cannot be read. Save an "
            "unprotected copy from the program that made it and add that."
        )
    return (
        f"{what} is not a readable PDF (it is damaged or not really a PDF). Open it in a PDF "
        "viewer and save or print it to a new PDF, then add that."
    )


def page_sizes(document: pdfium.PdfDocument) -> list[tuple[float, float]]:
    """Width and height in points of each page as shown."""
    sizes = []
    for index in range(len(document)):
        page = document[index]
        try:
            sizes.append(page.get_size())
        finally:
            page.close()
    return sizes


def render(document: pdfium.PdfDocument, page_index: int, dpi: float) -> Image.Image:
    """The page as shown (annotations and form fields drawn), as an RGB image."""
    page = document[page_index]
    try:
        bitmap = page.render(scale=dpi / 72, may_draw_forms=True, draw_annots=True)
        return bitmap.to_pil().convert("RGB")
    finally:
        page.close()


def find(document: pdfium.PdfDocument, term: str) -> list[Hit]:
    """Every place `term` occurs (case folded), with boxes tall enough for the letters'
    ascenders and descenders, so a box drawn from them covers the whole word."""
    hits: list[Hit] = []
    for index in range(len(document)):
        page = document[index]
        text = page.get_textpage()
        try:
            width, height = page.get_size()
            searcher = text.search(term, match_case=False)
            try:
                while (found := searcher.get_next()) is not None:
                    start, count = found
                    boxes = _match_boxes(page, text, start, count, width, height)
                    if boxes:
                        hits.append(Hit(index + 1, tuple(boxes)))
            finally:
                searcher.close()
        finally:
            text.close()
            page.close()
    return hits


def _match_boxes(
    page: pdfium.PdfPage,
    text: pdfium.PdfTextPage,
    start: int,
    count: int,
    width: float,
    height: float,
) -> list[Box]:
    lines = [list(text.get_rect(i)) for i in range(text.count_rects(start, count))]
    for char in range(start, start + count):
        left, bottom, right, top = text.get_charbox(char)
        middle_x, middle_y = (left + right) / 2, (bottom + top) / 2
        for line in lines:
            if line[0] - 1 <= middle_x <= line[2] + 1 and line[1] - 1 <= middle_y <= line[3] + 1:
                loose = text.get_charbox(char, loose=True)
                line[0], line[1] = min(line[0], loose[0]), min(line[1], loose[1])
                line[2], line[3] = max(line[2], loose[2]), max(line[3], loose[3])
                break
    boxes = []
    for left, bottom, right, top in lines:
        x0, y0 = _to_shown(page, left, bottom, width, height)
        x1, y1 = _to_shown(page, right, top, width, height)
        box = Box(x0, y0, x1, y1).normalised().padded(1.0).clipped(width, height)
        if not box.empty:
            boxes.append(box)
    return boxes


def _to_shown(
    page: pdfium.PdfPage, x: float, y: float, width: float, height: float
) -> tuple[float, float]:
    """PDF user space to the shown page (rotation and crop box applied, top-left origin)."""
    device_x, device_y = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDF_PageToDevice(
        page.raw,
        0,
        0,
        round(width * _PRECISION),
        round(height * _PRECISION),
        0,
        x,
        y,
        device_x,
        device_y,
    )
    return device_x.value / _PRECISION, device_y.value / _PRECISION

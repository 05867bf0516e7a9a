"""Burning redactions into a PDF, and cleaning pages before they leave the desk.

How a redaction is burned in: each page with a box is rendered by PDFium (text, images,
annotations and form fields as shown), the boxes are painted black into the pixels, and the
page is replaced by a new one holding only that picture. Nothing of the old page survives
on it: no text to extract, no image to lift out from under a rectangle, no annotation, no
hidden layer. The price is that a redacted page is a picture (its text can no longer be
selected); pages without a box are left as they are, text and all.

The replaced page's objects must not survive elsewhere in the file either. qpdf (through
pikepdf) writes only what is still reachable, which drops the old page and earlier
incremental revisions, and `remove_unreferenced_resources` unshares a resource dictionary
that several pages had in common, so an image that lived only on the redacted page cannot
ride along in the dictionary of an untouched one. Document-level parts that may repeat a
page's content (form field values, bookmarks, attached files, scripts, metadata) go too.
"""

from __future__ import annotations

import io
import math
import zlib
from collections.abc import Callable, Mapping, Sequence

import pikepdf
from pikepdf import Name
from PIL import Image, ImageChops, ImageDraw

from app.disclosure.pages import Box, open_pdf, render
from app.disclosure.vocabulary import RENDER_DPI

PHOTO_BYTES = 1024 * 1024  # a redacted text page is some tens of KB losslessly
PHOTO_QUALITY = 90
ROOT_KEYS_DROPPED = ("/AcroForm", "/Names", "/OpenAction", "/AA", "/Outlines", "/Metadata")
PAGE_KEYS_DROPPED = ("/AA", "/Thumb", "/PieceInfo", "/Metadata", "/StructParents")


def burn(
    pdf: bytes,
    boxes: Mapping[int, Sequence[Box]],
    *,
    what: str,
    dpi: float = RENDER_DPI,
    checkpoint: Callable[[], None] | None = None,
) -> bytes:
    """`pdf` with every page in `boxes` (1-based page numbers) replaced by a picture of it
    with the boxes blacked out; the other pages kept as they are. `checkpoint` is called
    between pages (it raises to cancel)."""
    pictures: dict[int, tuple[Image.Image, float, float]] = {}
    with open_pdf(pdf, what) as document:
        for page in sorted(boxes):
            if checkpoint is not None:
                checkpoint()
            if not boxes[page]:
                continue
            width, height = document.get_page_size(page - 1)
            image = render(document, page - 1, dpi)
            _black_out(image, boxes[page], image.width / width, image.height / height)
            pictures[page] = (image, width, height)
    with pikepdf.open(io.BytesIO(pdf)) as out:
        for page, (image, width, height) in pictures.items():
            index = page - 1
            out.pages.insert(index, picture_page(out, image, width, height))
            del out.pages[index + 1]
        clean(out)
        buffer = io.BytesIO()
        out.save(buffer, compress_streams=True)
    return buffer.getvalue()


def _black_out(image: Image.Image, boxes: Sequence[Box], scale_x: float, scale_y: float) -> None:
    draw = ImageDraw.Draw(image)
    for box in boxes:
        box = box.normalised()
        draw.rectangle(
            (
                math.floor(box.x0 * scale_x) - 1,
                math.floor(box.top * scale_y) - 1,
                math.ceil(box.x1 * scale_x) + 1,
                math.ceil(box.bottom * scale_y) + 1,
            ),
            fill=(0, 0, 0),
        )


def picture_page(pdf: pikepdf.Pdf, image: Image.Image, width: float, height: float) -> pikepdf.Page:
    """A new page of `width` × `height` points showing only `image`: lossless, unless that
    is over PHOTO_BYTES (a photograph or a scan), when a JPEG of it is taken if smaller. The
    boxes are black in the pixels before either is encoded, so neither can hold what was
    under them."""
    grey = ImageChops.difference(image, image.convert("L").convert("RGB")).getbbox() is None
    pixels = image.convert("L") if grey else image.convert("RGB")
    data, encoding = zlib.compress(pixels.tobytes(), 6), Name.FlateDecode
    if len(data) > PHOTO_BYTES:
        buffer = io.BytesIO()
        pixels.save(buffer, "JPEG", quality=PHOTO_QUALITY, optimize=True)
        if buffer.tell() < len(data):
            data, encoding = buffer.getvalue(), Name.DCTDecode
    stream = pikepdf.Stream(pdf, data)
    stream.Type = Name.XObject
    stream.Subtype = Name.Image
    stream.Width = pixels.width
    stream.Height = pixels.height
    stream.ColorSpace = Name.DeviceGray if grey else Name.DeviceRGB
    stream.BitsPerComponent = 8
    stream.Filter = encoding
    contents = pikepdf.Stream(pdf, f"q {width:.4f} 0 0 {height:.4f} 0 0 cm /Im0 Do Q".encode())
    page = pikepdf.Dictionary(
        Type=Name.Page,
        MediaBox=[0, 0, width, height],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=stream)),
        Contents=contents,
    )
    return pikepdf.Page(pdf.make_indirect(page))


def clean(pdf: pikepdf.Pdf) -> None:
    """Drop what could carry page content outside the pages, and unshare resources."""
    for key in ROOT_KEYS_DROPPED:
        if key in pdf.Root:
            del pdf.Root[key]
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    for page in pdf.pages:
        for key in PAGE_KEYS_DROPPED:
            if key in page.obj:
                del page.obj[key]
        for annotation in page.obj.get("/Annots", []) or []:
            if isinstance(annotation, pikepdf.Dictionary):
                for key in ("/Parent", "/A", "/AA"):
                    if key in annotation and _drop_annotation_key(annotation, key):
                        del annotation[key]
    pdf.remove_unreferenced_resources()


def _drop_annotation_key(annotation: pikepdf.Dictionary, key: str) -> bool:
    """A field's parent (it lists its siblings on other pages) and any script or launch
    action go; a plain web link stays."""
    if key != "/A":
        return True
    action = annotation.get("/A")
    return not (isinstance(action, pikepdf.Dictionary) and action.get("/S") == Name.URI)

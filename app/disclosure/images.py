"""Images (PNG, JPEG, TIFF) as PDF pages, one page per image (per frame of a TIFF).

The size is checked from the file's header before any pixel is decoded: a 40,000 × 40,000
PNG is a few hundred kilobytes on disk and 4.8 GB in memory. A JPEG goes into the page as it
is (no second compression); anything else is stored losslessly.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.disclosure.documents import FOOTER, MARGIN, page_size
from app.disclosure.vocabulary import MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, MAX_ITEM_PAGES
from app.domain import DomainError

_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "TIFF": "image/tiff"}


def render_image(name: str, content: bytes) -> tuple[bytes, int, str]:
    """The image's pages as PDF bytes, their count and the image's MIME type."""
    image = _open(name, content)
    mime = _MIME.get(image.format or "", "application/octet-stream")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=1)
    canvas.setTitle("Image item")
    canvas.setCreator("DSAR Desk")
    pages = 0
    try:
        for frame in ImageSequence.Iterator(image):
            pages += 1
            if pages > MAX_ITEM_PAGES:
                raise DomainError(
                    f"{name} holds more than {MAX_ITEM_PAGES} images; split it into parts."
                )
            _check_size(name, frame.size)
            _draw(canvas, _page_image(frame, image.format, content))
            canvas.showPage()
    except (OSError, ValueError, SyntaxError) as exc:
        raise _unreadable(name) from exc
    canvas.save()
    return buffer.getvalue(), pages, mime


def _open(name: str, content: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(name, None) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise _unreadable(name) from exc
    _check_size(name, image.size)
    return image


def _check_size(name: str, size: tuple[int, int]) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise _unreadable(name)
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
        raise _too_large(name, size)


def _too_large(name: str, size: tuple[int, int] | None) -> DomainError:
    shown = f" ({size[0]:,} × {size[1]:,} pixels)" if size else ""
    return DomainError(
        f"The image {name} is too large to add{shown}: an image can have at most "
        f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels and {MAX_IMAGE_SIDE:,} on a side "
        "(a 600 dpi scan of an A4 page has 35 million). Save it at a lower resolution and "
        "add it again."
    )


def _unreadable(name: str) -> DomainError:
    return DomainError(
        f"The image {name} cannot be read (it is damaged, or not really an image). Open it "
        "in an image viewer, save it again as PNG or JPEG, and add that."
    )


def _page_image(frame: Image.Image, file_format: str | None, content: bytes) -> ImageReader:
    """A reader for the frame as it should look: turned upright (EXIF), without alpha."""
    oriented = ImageOps.exif_transpose(frame)
    if file_format == "JPEG" and oriented is frame and frame.mode in ("RGB", "L"):
        return ImageReader(io.BytesIO(content))  # embedded as it is (DCT)
    if oriented.mode not in ("RGB", "L"):
        rgba = oriented.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        oriented = flat
    return ImageReader(oriented)


def _draw(canvas: Canvas, reader: ImageReader) -> None:
    width, height = reader.getSize()
    wide = width > height
    page_width, page_height = page_size(wide)
    canvas.setPageSize((page_width, page_height))
    box_width = page_width - 2 * MARGIN
    box_height = page_height - 2 * MARGIN - FOOTER
    scale = min(box_width / width, box_height / height)
    shown_width, shown_height = width * scale, height * scale
    x = (page_width - shown_width) / 2
    y = MARGIN + FOOTER + (box_height - shown_height)
    canvas.drawImage(reader, x, y, shown_width, shown_height)

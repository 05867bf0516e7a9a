"""Images (PNG, JPEG, TIFF) as PDF pages, one page per image (per frame of a TIFF).

The size is checked from the file's header before any pixel is decoded: a 40,000 × 40,000
PNG is a few hundred kilobytes on disk and 4.8 GB in memory. An upright RGB or grey JPEG goes
into the page as it is, compressed data and all (decoding it and storing the pixels
losslessly made a 400 KB photo a 10 MB page), but without its metadata segments: EXIF, XMP
and comments can name the photographer, the camera's owner or where the picture was taken,
which is not for the requester. Anything else is stored losslessly.
"""

from __future__ import annotations

import base64
import io
import warnings

import pikepdf
from pikepdf import Name
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.disclosure.documents import FOOTER, MARGIN, page_size
from app.disclosure.vocabulary import MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, MAX_ITEM_PAGES
from app.domain import DomainError

_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "TIFF": "image/tiff"}
ORIENTATION = 0x0112  # the EXIF tag
SOS, COM, APP1, APP14, APP15 = 0xDA, 0xFE, 0xE1, 0xEE, 0xEF
STANDALONE = {0x01, *range(0xD0, 0xD8)}  # markers without a length (TEM, RSTn)


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
    return _without_ascii85(buffer.getvalue()), pages, mime


def _without_ascii85(pdf: bytes) -> bytes:
    """reportlab wraps image data in ASCII85 (a quarter larger); qpdf unwraps it when it can
    decode the whole chain, but not in front of a JPEG's DCT, so that is unwrapped here."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == Name.Image:
                filters = obj.get("/Filter")
                if isinstance(filters, pikepdf.Array) and list(filters) == [
                    Name.ASCII85Decode,
                    Name.DCTDecode,
                ]:
                    jpeg = base64.a85decode(obj.read_raw_bytes().strip(), adobe=True)  # ~>
                    obj.write(jpeg, filter=Name.DCTDecode)
        buffer = io.BytesIO()
        document.save(buffer, compress_streams=True)
        return buffer.getvalue()


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


class _JpegReader(ImageReader):
    """A JPEG that reportlab embeds as it is (DCTDecode) instead of decoding it."""

    def __init__(self, jpeg: bytes) -> None:
        super().__init__(io.BytesIO(jpeg))
        self._jpeg = jpeg

    def jpeg_fh(self) -> io.BytesIO:
        return io.BytesIO(self._jpeg)


def _page_image(frame: Image.Image, file_format: str | None, content: bytes) -> ImageReader:
    """A reader for the frame as it should look: turned upright (EXIF), without alpha."""
    upright = frame.getexif().get(ORIENTATION, 1) == 1
    if file_format == "JPEG" and upright and frame.mode in ("RGB", "L"):
        stripped = without_metadata(content)
        if stripped is not None:
            return _JpegReader(stripped)
    oriented = ImageOps.exif_transpose(frame)
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


def without_metadata(jpeg: bytes) -> bytes | None:
    """The JPEG without its APP1-APP13 and APP15 segments (EXIF, XMP, ICC, IPTC, ...) and
    comments; APP0 (JFIF) and APP14 (Adobe's colour transform) stay, as does every segment
    the picture needs. None when the file's structure is not what JPEG says it is."""
    if not jpeg.startswith(b"\xff\xd8"):
        return None
    kept = [b"\xff\xd8"]
    pos = 2
    while pos < len(jpeg):
        if jpeg[pos] != 0xFF:
            return None
        while pos < len(jpeg) and jpeg[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= len(jpeg):
            return None
        marker = jpeg[pos]
        pos += 1
        if marker == SOS:  # the compressed picture follows, to the end of the file
            kept.append(b"\xff\xda" + jpeg[pos:])
            return b"".join(kept)
        if marker in STANDALONE:
            kept.append(bytes((0xFF, marker)))
            continue
        if pos + 2 > len(jpeg):
            return None
        length = int.from_bytes(jpeg[pos : pos + 2], "big")
        if length < 2 or pos + length > len(jpeg):
            return None
        dropped = marker == COM or (APP1 <= marker <= APP15 and marker != APP14)
        if not dropped:
            kept.append(bytes((0xFF, marker)) + jpeg[pos : pos + length])
        pos += length
    return None

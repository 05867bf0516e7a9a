"""Real files for the disclosure tests, made here: PDFs (reportlab, pikepdf), images
(Pillow), Word documents (python-docx), emails (the standard library)."""

from __future__ import annotations

import io
import struct
import subprocess
import zipfile
import zlib
from email.message import EmailMessage
from importlib import resources
from pathlib import Path

import pikepdf
import pypdf
from PIL import Image, ImageDraw, ImageFont, ImageStat
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

NAME = "John Smith"


def font(size: int) -> ImageFont.FreeTypeFont:
    with resources.as_file(resources.files("resources.fonts") / "DejaVuSans.ttf") as path:
        return ImageFont.truetype(str(path), size)


def letter_pdf(pages: int = 3, *, name_on: tuple[int, ...] = (1, 3)) -> bytes:
    """A real multi-page PDF: every page has text; `NAME` appears on the pages listed."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle("Meeting notes")
    for page in range(1, pages + 1):
        canvas.setFont("Helvetica", 11)
        canvas.drawString(72, 780, f"Meeting notes, page {page}")
        canvas.drawString(72, 760, "The requester asked about the invoice for March.")
        if page in name_on:
            canvas.drawString(72, 740, f"Also present: {NAME}, finance manager.")
        canvas.drawString(72, 720, "Agreed: refund to be issued within ten days.")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def many_pages(pages: int) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for page in range(1, pages + 1):
        canvas.drawString(72, 780, f"Export page {page}: ticket history for the requester")
        canvas.drawString(72, 760, f"Handled by {NAME} on the service desk.")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


NAME_BOX_PX = (40, 60, 360, 110)  # where picture_with_name writes the name, in pixels


def picture_with_name(fmt: str = "PNG") -> bytes:
    """A 600 × 400 picture with the name written in black at NAME_BOX_PX."""
    image = Image.new("RGB", (600, 400), (250, 250, 240))
    draw = ImageDraw.Draw(image)
    draw.text((50, 65), NAME, fill=(0, 0, 0), font=font(36))
    draw.text((50, 250), "Visitor log, reception desk", fill=(20, 20, 120), font=font(24))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Performance review", 1)
    document.add_paragraph(f"Reviewer: {NAME}")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Objective"
    table.cell(0, 1).text = "Result"
    table.cell(1, 0).text = "Tickets closed"
    table.cell(1, 1).text = "412"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    """Looks like a Word document; unpacks to 256 MB of zeros (about 1 MB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(256):
                member.write(block)
    return buffer.getvalue()


def huge_png(side: int = 40_000) -> bytes:
    """A complete, valid side × side black-and-white PNG: 1.6 billion pixels in well under
    1 MB (written chunk by chunk here; Pillow takes ten seconds to encode it)."""
    row = b"\0" + b"\xff" * ((side + 7) // 8)  # filter byte, then white pixels
    packer = zlib.compressobj(1)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def email_with_attachment() -> bytes:
    message = EmailMessage()
    message["From"] = f"{NAME} <john.smith@example.org>"
    message["To"] = "Zoë Adeyemi <zoe@example.org>"
    message["Date"] = "Tue, 03 Nov 2026 10:15:00 +0000"
    message["Subject"] = "Your refund"
    message.set_content("Dear Zoë,\n\nYour refund has been approved.\n\nJohn")
    message.add_attachment(
        b"date,amount\n2026-11-01,120.00\n",
        maintype="text",
        subtype="csv",
        filename="refund.csv",
    )
    return bytes(message)


def tiff_two_pages() -> bytes:
    first = Image.new("RGB", (300, 200), "white")
    second = Image.new("RGB", (300, 200), "lightgrey")
    buffer = io.BytesIO()
    first.save(buffer, "TIFF", save_all=True, append_images=[second])
    return buffer.getvalue()


def shared_resources_pdf() -> bytes:
    """Two pages sharing one resource dictionary that holds both pages' pictures: page 2's
    picture (the secret) rides in page 1's resources although page 1 never draws it."""
    pdf = pikepdf.new()
    secret = Image.new("RGB", (64, 64), (200, 30, 30))
    plain = Image.new("RGB", (64, 64), (30, 200, 30))
    images = {}
    for name, image in (("/Plain", plain), ("/Secret", secret)):
        stream = pikepdf.Stream(pdf, image.tobytes())
        stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        stream.Width, stream.Height = 64, 64
        stream.ColorSpace, stream.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
        images[name] = stream
    shared = pdf.make_indirect(
        pikepdf.Dictionary(XObject=pikepdf.Dictionary({k: v for k, v in images.items()}))
    )
    for drawn in ("/Plain", "/Secret"):
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 300, 300],
            Resources=shared,
            Contents=pikepdf.Stream(pdf, f"q 200 0 0 200 50 50 cm {drawn} Do Q".encode()),
        )
        pdf.pages.append(pikepdf.Page(pdf.make_indirect(page)))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def annotated_pdf() -> bytes:
    """One page whose only mention of the name is a comment (FreeText annotation)."""
    base = pikepdf.open(io.BytesIO(letter_pdf(1, name_on=())))
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FreeText,
        Rect=[72, 600, 300, 630],
        Contents=pikepdf.String(f"Ask {NAME} about this"),
        DA=pikepdf.String("/Helv 12 Tf 0 g"),
    )
    base.pages[0].obj.Annots = pikepdf.Array([base.make_indirect(annotation)])
    buffer = io.BytesIO()
    base.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# Reading back


def text_of(pdf: bytes, password: str | None = None) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    if password is not None:
        reader.decrypt(password)
    return [page.extract_text() or "" for page in reader.pages]


def strings_anywhere(pdf: bytes) -> str:
    """Every string and decoded stream in the file, so a name hidden anywhere is found."""
    found: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    found.append(obj.read_bytes().decode("latin-1"))
                except pikepdf.PdfError:
                    found.append(obj.read_raw_bytes().decode("latin-1"))
            elif isinstance(obj, pikepdf.Dictionary):
                found.append(repr(obj))
    return "\n".join(found)


def render_png(pdf: bytes, tmp_path: Path, page: int = 1, dpi: int = 72) -> Image.Image:
    """The page as pdftoppm (poppler, not the engine that burned it) draws it."""
    source = tmp_path / "render.pdf"
    source.write_bytes(pdf)
    stem = tmp_path / "render"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
         str(source), str(stem)],
        check=True,
    )  # fmt: skip
    return Image.open(f"{stem}.png").convert("RGB")


def region_mean(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    return float(ImageStat.Stat(image.convert("L").crop(box)).mean[0])


def region_darkest(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    return int(image.convert("L").crop(box).getextrema()[0])

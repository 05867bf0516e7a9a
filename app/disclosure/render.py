"""A collected file turned into pages: what kind it is, whether it is safe to read, and its
PDF rendition.

Every file is hostile until read: the kind is decided from its first bytes as well as its
name (a zip named .docx is checked as a zip, a "PDF" must start like one), every limit is
checked before the expensive work, and whatever is refused is refused with a message that
says what was wrong and what to do, before anything is kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from app.attachments import safe_filename
from app.disclosure import documents
from app.disclosure.images import render_image
from app.disclosure.pages import open_pdf, page_sizes
from app.disclosure.vocabulary import (
    MAX_FILE_BYTES,
    MAX_ITEM_PAGES,
    MAX_TABLE_CELLS,
    MAX_TEXT_CHARS,
    ItemKind,
)
from app.disclosure.wordprocessing import render_docx
from app.domain import DomainError
from app.email_intake import OLE_MAGIC, read_email_content
from app.formatting import uk_timestamp

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
TIFF_MAGICS = (b"II*\x00", b"MM\x00*")
ZIP_MAGIC = b"PK\x03\x04"
TEXT_SUFFIXES = (".txt", ".text", ".log", ".md")
TABLE_SUFFIXES = (".csv", ".tsv")
EMAIL_SUFFIXES = (".eml", ".msg")
LINES_PER_PAGE = 55  # a rough count, to refuse a huge file before laying it out
ROWS_PER_PAGE = 30


@dataclass(frozen=True, slots=True)
class Rendition:
    """What an added file becomes: its kind, its pages (None: the file is the PDF), and
    what it tells about itself (a title, a date, structured rows or fields)."""

    kind: ItemKind
    pdf: bytes | None
    page_count: int
    title: str
    item_date: date | None = None
    structured: dict | None = None
    mime_type: str = "application/octet-stream"


def render_file(filename: str, content: bytes) -> Rendition:
    """Decide the kind of `content` and render it; DomainError saying why when it cannot be."""
    name = safe_filename(filename, fallback="file")
    if not content:
        raise DomainError(f"The file {name} is empty; there is nothing to disclose.")
    if len(content) > MAX_FILE_BYTES:
        raise DomainError(
            f"The file {name} is {len(content) / (1024 * 1024):.0f} MB; an item can be at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Split it, or export a smaller part."
        )
    kind = detect_kind(name, content)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if kind is ItemKind.PDF:
        return _pdf(name, content, stem)
    if kind is ItemKind.IMAGE:
        pdf, pages, mime = render_image(name, content)
        return _checked(Rendition(kind, pdf, pages, stem, mime_type=mime), name)
    if kind is ItemKind.DOCX:
        pdf = render_docx(name, content)
        return _checked(Rendition(kind, pdf, _count(pdf, name), stem, mime_type=_DOCX), name)
    if kind is ItemKind.EMAIL:
        return _email(name, content)
    if kind is ItemKind.CSV:
        return _table(name, content, stem)
    return _text(name, content, stem)


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def detect_kind(name: str, content: bytes) -> ItemKind:
    lower = name.lower()
    head = content[:1024]
    if b"%PDF-" in head:
        return ItemKind.PDF
    if content.startswith(PNG_MAGIC) or content.startswith(JPEG_MAGIC):
        return ItemKind.IMAGE
    if content.startswith(TIFF_MAGICS):
        return ItemKind.IMAGE
    if content.startswith(ZIP_MAGIC):
        if lower.endswith(".docx"):
            return ItemKind.DOCX
        raise DomainError(
            f"{name} is a zip archive. Unpack it and add the files inside one by one "
            "(a Word document must end in .docx)."
        )
    if content.startswith(OLE_MAGIC):
        if lower.endswith(".msg"):
            return ItemKind.EMAIL
        raise DomainError(
            f"{name} is an old Office file (.doc, .xls or similar), which DSAR Desk cannot "
            "lay out. Save it as PDF (or .docx) and add that."
        )
    if lower.endswith((".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".docx")):
        raise DomainError(
            f"{name} is named like a {lower.rsplit('.', 1)[-1].upper()} file but its content "
            "is not one (it is damaged, or another kind of file renamed). Open it where it "
            "came from and save it again."
        )
    if lower.endswith(EMAIL_SUFFIXES):
        return ItemKind.EMAIL
    if lower.endswith(TABLE_SUFFIXES):
        return ItemKind.CSV
    if lower.endswith(TEXT_SUFFIXES) or (b"\x00" not in head and _decodes(head)):
        return ItemKind.TEXT
    raise DomainError(
        f"DSAR Desk cannot show {name} as pages. It reads PDF, PNG, JPEG and TIFF images, "
        "plain text, CSV tables, emails (.eml, .msg) and Word .docx: save the file as one "
        "of those (PDF is best) and add that."
    )


def _decodes(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # cut in the middle of a character
    return True


def decode_text(content: bytes) -> str:
    """Text in UTF-8 (with or without BOM) or UTF-16 with BOM, else Windows-1252."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _checked(rendition: Rendition, name: str) -> Rendition:
    if rendition.page_count > MAX_ITEM_PAGES:
        raise too_many_pages(name, rendition.page_count)
    return rendition


def too_many_pages(name: str, pages: int | str) -> DomainError:
    return DomainError(
        f"{name} has {pages} pages; one item can have at most {MAX_ITEM_PAGES}, so that each "
        "page can be reviewed. Split it into parts (by date, or by section) and add each part "
        "as its own item."
    )


def _count(pdf: bytes, name: str) -> int:
    with open_pdf(pdf, name) as document:
        return len(document)


def _pdf(name: str, content: bytes, stem: str) -> Rendition:
    with open_pdf(content, name) as document:
        pages = len(document)
        if pages == 0:
            raise DomainError(f"{name} has no pages; there is nothing to disclose.")
        if pages > MAX_ITEM_PAGES:
            raise too_many_pages(name, pages)
        for width, height in page_sizes(document):
            if not (1 <= width <= 14400 and 1 <= height <= 14400):
                raise DomainError(
                    f"{name} has a page of {width:.0f} × {height:.0f} points, which is not "
                    "a page size a viewer can show. Print it to a new PDF and add that."
                )
    _check_structure(name, content)
    return Rendition(ItemKind.PDF, None, pages, stem, mime_type="application/pdf")


def _check_structure(name: str, content: bytes) -> None:
    """The bundle copies pages with pikepdf (qpdf): a file it cannot read is refused now,
    not when the bundle is built on the deadline day."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            len(pdf.pages)
    except (pikepdf.PdfError, ValueError, RuntimeError) as exc:
        raise DomainError(
            f"{name} is not a readable PDF (it is damaged or not really a PDF). Open it in a "
            "PDF viewer and save or print it to a new PDF, then add that."
        ) from exc


def _text(name: str, content: bytes, stem: str) -> Rendition:
    value = decode_text(content)
    if len(value) > MAX_TEXT_CHARS or value.count("\n") > MAX_ITEM_PAGES * LINES_PER_PAGE:
        raise too_many_pages(name, "more than " + str(MAX_ITEM_PAGES))
    flowables = [documents.text(name, documents.heading_style())]
    flowables += documents.text_blocks(value) or [documents.text("(The file is empty.)")]
    pdf = documents.build(flowables, title="Text item")
    return _checked(
        Rendition(ItemKind.TEXT, pdf, _count(pdf, name), stem, mime_type="text/plain"), name
    )


def _table(name: str, content: bytes, stem: str) -> Rendition:
    value = decode_text(content)
    sample = value[:65536]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if name.lower().endswith(".tsv") else csv.excel
    try:
        rows = [row for row in csv.reader(io.StringIO(value), dialect) if any(row)]
    except csv.Error as exc:
        raise DomainError(f"{name} is not a readable CSV table ({exc}).") from exc
    if not rows:
        raise DomainError(f"{name} has no rows; there is nothing to disclose.")
    cells = sum(len(r) for r in rows)
    if cells > MAX_TABLE_CELLS or len(rows) > MAX_ITEM_PAGES * ROWS_PER_PAGE:
        raise DomainError(
            f"{name} has {len(rows):,} rows ({cells:,} cells): more than one item can show "
            f"on {MAX_ITEM_PAGES} pages. Export only the requester's rows, or split the table."
        )
    header, body = rows[0], rows[1:]
    wide = len(header) > 6
    flowables = [
        documents.text(name, documents.heading_style()),
        documents.table(header, body, documents.content_width(wide)),
    ]
    pdf = documents.build(flowables, title="Table item", wide=wide)
    structured = {"columns": header, "rows": body}
    return _checked(
        Rendition(ItemKind.CSV, pdf, _count(pdf, name), stem, None, structured, "text/csv"),
        name,
    )


def _email(name: str, content: bytes) -> Rendition:
    message = read_email_content(content, name)
    when = message.when
    attached = ", ".join(
        f"{a.filename} ({max(1, round(len(a.content) / 1024))} KB)" for a in message.attachments
    )
    fields = [
        ("From", message.sender),
        ("To", message.to),
        ("Cc", message.cc),
        ("Date", uk_timestamp(when) if when else "(no date in this email)"),
        ("Subject", message.subject),
        ("Attachments", attached),
    ]
    width = documents.content_width()
    rows = [(label, value) for label, value in fields if value]
    flowables = [
        documents.text("Email", documents.title_style()),
        documents.table(["Header", "Value"], rows, width, weights=(1, 5), size=8.5),
    ]
    if message.problems:
        flowables.append(documents.text("Note: " + "; ".join(message.problems) + "."))
    body = message.body[:MAX_TEXT_CHARS]
    flowables += documents.text_blocks(body) or [documents.text("(This email has no text.)")]
    pdf = documents.build(flowables, title="Email item")
    structured = {
        "from": message.sender,
        "to": message.to,
        "cc": message.cc,
        "date": when.isoformat() if when else "",
        "subject": message.subject,
        "body": message.body,
        "attachments": [a.filename for a in message.attachments],
    }
    title = message.subject or name
    mime = "application/vnd.ms-outlook" if name.lower().endswith(".msg") else "message/rfc822"
    return _checked(
        Rendition(
            ItemKind.EMAIL,
            pdf,
            _count(pdf, name),
            title[:200],
            when.astimezone().date() if when else None,
            structured,
            mime,
        ),
        name,
    )

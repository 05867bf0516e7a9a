"""Word .docx documents as pages, through python-docx (MIT, maintained): the body's headings,
paragraphs, lists and tables, in order.

python-docx reads a document's content, not its page layout, so the pages are DSAR Desk's
own layout of that content: pictures, text boxes, headers and footers are not shown, and the
first page says so (with the number of pictures left out), so nobody takes the rendition for
a facsimile. For an exact copy, save the document as PDF in Word and add that instead.

A .docx is a zip archive, and a zip can unpack to far more than it weighs (a "zip bomb"):
the archive's directory is checked before python-docx opens anything. XML entities are not
expanded (python-docx's parser has resolve_entities=False).
"""

from __future__ import annotations

import io
import zipfile

from app.disclosure import documents
from app.disclosure.vocabulary import MAX_UNPACKED_BYTES, MAX_ZIP_MEMBERS
from app.domain import DomainError


def check_archive(name: str, content: bytes) -> None:
    """Refuse a .docx whose archive is broken, or unpacks to more than we will read."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise DomainError(
            f"{name} is not a readable Word document (its zip archive is damaged). Open it in "
            "Word, save it again (or as PDF) and add that."
        ) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise DomainError(
            f"{name} holds {len(members):,} files inside; a Word document has a few dozen. It "
            "was not opened. Save it again from Word (or as PDF) and add that."
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DomainError(
            f"{name} would unpack to {unpacked / (1024 * 1024):,.0f} MB from "
            f"{len(content) / 1024:,.0f} KB, more than the {MAX_UNPACKED_BYTES // (1024 * 1024)} "
            "MB a Word document may take here; it looks damaged or built to exhaust memory, "
            "so it was not opened. Save it as PDF from Word and add that instead."
        )
    if "word/document.xml" not in {member.filename for member in members}:
        raise DomainError(
            f"{name} is a zip archive but not a Word document (it has no word/document.xml)."
        )


def render_docx(name: str, content: bytes) -> bytes:
    check_archive(name, content)
    import docx  # python-docx: loaded only when a Word document arrives
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise DomainError(
            f"{name} could not be read as a Word document ({type(exc).__name__}). Open it in "
            "Word, save it again (or as PDF) and add that."
        ) from exc
    pictures = len(document.inline_shapes)
    note = (
        "Rendered by DSAR Desk from a Word document: its text and tables, not its page "
        "layout. Headers, footers and text boxes are not shown"
        + (f"; {pictures} picture{'s' if pictures != 1 else ''} left out." if pictures else ".")
    )
    flowables = [
        documents.text(name, documents.heading_style()),
        documents.text(note, documents.text_style(8)),
    ]
    width = documents.content_width()
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            value = block.text
            if not value.strip():
                continue
            style_name = (block.style.name if block.style is not None else "") or ""
            if style_name.startswith(("Heading", "Title")):
                flowables.append(documents.text(value, documents.heading_style()))
            elif style_name.startswith("List"):
                flowables.append(documents.text("• " + value))
            else:
                flowables.append(documents.text(value))
        elif isinstance(block, Table):
            rows = [[c.text for c in row.cells] for row in block.rows]
            if rows:
                flowables.append(documents.table(rows[0], rows[1:], width, size=8))
    return documents.build(flowables, title="Word document item")

"""Disclosure (DESIGN.md section 7): the material collected for a case, what is decided for
each item, redactions burned into the pages with their log, the bundle that answers an
access request, and the portability export.

The public names are here; one module per concern behind them:
- items: adding material (files, kept attachments, files attached to a kept email),
  titles, sources, dates and decisions (disclose / disclose redacted / withhold + exemption);
- redact: boxes and term search, the redaction log, the burned-in copy of an item;
- review: the "mark reviewed" step a bundle needs;
- bundle: `build_bundle`, the kept bundles and exports;
- portable: `portable_export`;
- render, images, wordprocessing, documents, schedule: turning files into pages;
- pages (PDFium) and surgery (pikepdf): reading, rendering and rewriting PDFs.
"""

from app.disclosure.bundle import (
    Cancelled,
    build_bundle,
    get_output,
    list_outputs,
    output_content,
)
from app.disclosure.items import (
    add_item,
    add_item_from_attachment,
    add_item_from_email_attachment,
    add_item_from_path,
    email_attachments,
    get_item,
    item_pdf,
    list_items,
    remove_item,
    update_item,
)
from app.disclosure.pages import Box
from app.disclosure.portable import portable_export
from app.disclosure.records import BundleInfo, ItemInfo, RedactionInfo, ReviewState
from app.disclosure.redact import (
    TermHit,
    add_box,
    find_term,
    item_redactions,
    redact_term,
    redacted_item_pdf,
    redaction_log,
    withdraw_redaction,
)
from app.disclosure.review import get_review, mark_reviewed, set_problems
from app.disclosure.searched import add_items_from_task, tasks_with_material
from app.disclosure.vocabulary import EXEMPTIONS, REDACTION_REASONS, Decision, ItemKind

__all__ = [
    "EXEMPTIONS",
    "REDACTION_REASONS",
    "Box",
    "BundleInfo",
    "Cancelled",
    "Decision",
    "ItemInfo",
    "ItemKind",
    "RedactionInfo",
    "ReviewState",
    "TermHit",
    "add_box",
    "add_item",
    "add_item_from_attachment",
    "add_item_from_email_attachment",
    "add_item_from_path",
    "add_items_from_task",
    "build_bundle",
    "email_attachments",
    "find_term",
    "get_item",
    "get_output",
    "get_review",
    "item_pdf",
    "item_redactions",
    "list_items",
    "list_outputs",
    "mark_reviewed",
    "output_content",
    "portable_export",
    "redact_term",
    "redacted_item_pdf",
    "redaction_log",
    "remove_item",
    "set_problems",
    "tasks_with_material",
    "update_item",
    "withdraw_redaction",
]

"""The bundle: one PDF that answers an access request. The cover letter (the case's outcome
letter, from app.letters), then the schedule of every item, then the disclosed items with
their redactions burned in; every page stamped with the case reference and "page n of N";
optionally encrypted with AES-256 under a password the DPO gives the requester by another
channel (the password is never stored).

Pages are copied with pikepdf (qpdf); an item's own PDF pages get a strip added below them
for the stamp, so the stamp never covers what the page says (pages DSAR Desk laid out keep
that strip free already). Building is slow work: `progress(done, total, what)` is called
between steps and `cancelled()` is asked there too. Nothing is written until the very end,
so a cancelled or failed build leaves the case as it was.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import pikepdf
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cases import actor_of, get_case, record_event
from app.disclosure.items import item_row, pages_of, read_items
from app.disclosure.records import BundleInfo, ItemInfo, bundle_info, review_state
from app.disclosure.redact import boxes_by_page, item_redactions
from app.disclosure.review import require_reviewed
from app.disclosure.schedule import settle_schedule, spans_after
from app.disclosure.surgery import burn, clean
from app.disclosure.vocabulary import Decision, ItemKind
from app.domain import DomainError, EventKind, NotFound
from app.letters import render_letter_details
from app.letters.markup import REGULAR, register_fonts
from app.letters.records import keep_letter, letter_pdf, list_letters
from app.letters.stages import OUTCOME_BY_TYPE
from app.models import DisclosureBundle, DisclosureSet
from app.store import Store

BAND = 24.0  # points added below an item's own PDF page for the stamp
STAMP_SIZE = 8.0
MIN_PASSWORD = 8

Progress = Callable[[int, int, str], None]


class Cancelled(DomainError):
    """The DPO cancelled the build; nothing was kept."""


def checkpoint(
    progress: Progress | None, cancelled: Callable[[], bool] | None, message: str
) -> Progress:
    """A step of slow work: stop with `Cancelled(message)` if asked to, else report."""

    def step(done: int, total: int, what: str) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled(message)
        if progress is not None:
            progress(done, total, what)

    return step


@dataclass(frozen=True, slots=True)
class _Part:
    pdf: bytes
    pages: int
    band: bool  # an item's own PDF page: add a strip for the stamp


def build_bundle(
    store: Store,
    case_id: int,
    *,
    password: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """Build, keep (with its SHA-256, on the timeline) and return the case's bundle."""
    if password is not None and len(password) < MIN_PASSWORD:
        raise DomainError(
            f"The bundle password must have at least {MIN_PASSWORD} characters; give it to "
            "the requester by another channel than the bundle (a phone call, a text)."
        )

    step = checkpoint(
        progress, cancelled, "The bundle was not built (cancelled); nothing was kept."
    )
    case = get_case(store, case_id)
    items, revision = _reviewed_items(store, case_id)
    included = [i for i in items if i.decision is not Decision.WITHHOLD]
    total_steps = len(included) + 4
    step(0, total_steps, "Cover letter")
    letter, fresh_letter = _cover_letter(store, case_id, case.request_type)
    parts = [_Part(letter, _page_count(letter), False)]
    item_parts: dict[int, _Part] = {}
    for done, item in enumerate(included, start=1):
        step(done, total_steps, f"Item {item.number}: {item.title}")
        label = f"Item {item.number}: {item.title}"
        item_parts[item.id] = _item_part(store, item, partial(step, done, total_steps, label))
    step(len(included) + 1, total_steps, "Schedule")
    counts = {item_id: part.pages for item_id, part in item_parts.items()}
    schedule, schedule_pages = settle_schedule(case.reference, items, counts, parts[0].pages)
    parts.append(_Part(schedule, schedule_pages, False))
    parts += [item_parts[i.id] for i in included]
    step(len(included) + 2, total_steps, "Page numbers")
    _, total_pages = spans_after(included, counts, parts[0].pages + schedule_pages)
    pdf = _assemble(parts, case.reference, total_pages, password)
    step(len(included) + 3, total_steps, "Keeping the bundle")
    with store.write() as session:  # the new cover letter and the bundle: both or neither
        if fresh_letter is not None:
            keep_letter(session, case_id, **fresh_letter)
        keep_output(session, case_id, "bundle", pdf, total_pages, password is not None, revision)
    if progress is not None:  # kept: too late to cancel, so no checkpoint here
        progress(total_steps, total_steps, "Done")
    return pdf


def _reviewed_items(store: Store, case_id: int) -> tuple[list[ItemInfo], int]:
    with store.read() as session:
        items = read_items(session, case_id)
        state = review_state(session.get(DisclosureSet, case_id))
    require_reviewed(items, state, "the bundle")
    return items, state.revision


def _cover_letter(store: Store, case_id: int, request_type: object) -> tuple[bytes, dict | None]:
    """The latest kept outcome letter; else a new one, kept once the bundle is built."""
    stage = OUTCOME_BY_TYPE[request_type].value  # type: ignore[index]
    for letter in list_letters(store, case_id):  # newest first
        if letter.stage == stage:
            return letter_pdf(store, letter.id), None
    rendered = render_letter_details(store, case_id, "outcome")
    fresh = {
        "stage": rendered.stage.value,
        "pdf": rendered.pdf,
        "template_version": rendered.template_version,
        "stage_label": rendered.stage.label.lower(),
    }
    return rendered.pdf, fresh


def _item_part(store: Store, item: ItemInfo, checkpoint: Callable[[], None]) -> _Part:
    with store.read() as session:
        pdf = pages_of(item_row(session, item.id))
    boxes = boxes_by_page(item_redactions(store, item.id))
    if item.decision is Decision.DISCLOSE_REDACTED or boxes:
        pdf = burn(pdf, boxes, what=item.title, checkpoint=checkpoint)
    return _Part(pdf, item.page_count, item.kind is ItemKind.PDF)


def _page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def _assemble(parts: list[_Part], reference: str, total: int, password: str | None) -> bytes:
    sources: list[pikepdf.Pdf] = []
    bundle = pikepdf.new()
    try:
        sizes: list[tuple[float, float, float, float]] = []
        for part in parts:
            source = pikepdf.open(io.BytesIO(part.pdf))
            sources.append(source)
            for page in source.pages:
                bundle.pages.append(page)
                copied = bundle.pages[-1]
                sizes.append(_prepare(copied, part.band))
        if len(bundle.pages) != total:
            raise DomainError(
                f"The bundle came out with {len(bundle.pages)} pages where {total} were "
                "expected; it was not kept. Please report this."
            )
        stamps = pikepdf.open(io.BytesIO(_stamps(sizes, reference)))
        sources.append(stamps)
        for page, stamp in zip(bundle.pages, stamps.pages, strict=True):
            page.add_overlay(stamp)
        clean(bundle)
        bundle.docinfo["/Title"] = f"{reference} disclosure bundle"
        bundle.docinfo["/Creator"] = "DSAR Desk"
        buffer = io.BytesIO()
        encryption: pikepdf.Encryption | bool = False
        if password:
            encryption = pikepdf.Encryption(
                user=password, owner=secrets.token_urlsafe(24), R=6, aes=True
            )
        bundle.save(buffer, encryption=encryption, compress_streams=True)
        return buffer.getvalue()
    finally:
        bundle.close()
        for source in sources:
            source.close()


def _prepare(page: pikepdf.Page, band: bool) -> tuple[float, float, float, float]:
    """Make the shown area start at the origin, unrotated, with a stamp strip where asked;
    returns the page's box (x0, y0, x1, y1)."""
    if int(page.obj.get("/Rotate", 0)) % 360:
        page.flatten_rotation()
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    if band:
        y0 -= BAND
    box = pikepdf.Array([x0, y0, x1, y1])
    page.obj.MediaBox = box
    page.obj.CropBox = box
    for key in ("/TrimBox", "/BleedBox", "/ArtBox"):
        if key in page.obj:
            del page.obj[key]
    return x0, y0, x1, y1


def _stamps(sizes: list[tuple[float, float, float, float]], reference: str) -> bytes:
    """One transparent page per bundle page, each with "REF · page n of N" at its foot."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    total = len(sizes)
    for number, (x0, y0, x1, y1) in enumerate(sizes, start=1):
        canvas.setPageSize((x1 - x0, y1 - y0))
        canvas.translate(-x0, -y0)
        canvas.setFont(REGULAR, STAMP_SIZE)
        canvas.setFillColor(HexColor("#333333"))
        canvas.drawRightString(x1 - 28, y0 + 9, f"{reference} · page {number} of {total}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# Kept outputs (bundles and portability exports)


def keep_output(
    session: Session,
    case_id: int,
    kind: str,
    data: bytes,
    pages: int,
    encrypted: bool,
    revision: int,
) -> BundleInfo:
    state = session.get(DisclosureSet, case_id)
    if state is None or state.revision != revision or state.reviewed_revision != revision:
        raise DomainError(
            "The disclosure set changed while the output was being made; nothing was kept. "
            "Review the set again and build it once more."
        )
    latest = session.scalar(
        select(func.max(DisclosureBundle.version)).where(
            DisclosureBundle.case_id == case_id, DisclosureBundle.kind == kind
        )
    )
    digest = hashlib.sha256(data).hexdigest()
    row = DisclosureBundle(
        case_id=case_id,
        kind=kind,
        version=(latest or 0) + 1,
        content=data,
        sha256=digest,
        size=len(data),
        page_count=pages,
        encrypted=encrypted,
        set_revision=revision,
        created_at=datetime.now(UTC),
        created_by=actor_of(session),
    )
    session.add(row)
    session.flush()
    size = f"{len(data) / (1024 * 1024):.1f} MB" if len(data) >= 1024 * 1024 else "< 1 MB"
    if kind == "bundle":
        summary = (
            f"Disclosure bundle built (version {row.version}): {pages} pages, {size}"
            + (", encrypted (AES-256)" if encrypted else "")
            + f". SHA-256 {digest}"
        )
        event = EventKind.BUNDLE_BUILT
    else:
        summary = f"Portability export made (version {row.version}), {size}. SHA-256 {digest}"
        event = EventKind.PORTABLE_EXPORT_MADE
    record_event(
        session,
        case_id,
        event,
        summary,
        {
            "bundle_id": row.id,
            "kind": kind,
            "version": row.version,
            "sha256": digest,
            "size": len(data),
            "pages": pages,
            "encrypted": encrypted,
            "set_revision": revision,
        },
    )
    return bundle_info(row)


def list_outputs(store: Store, case_id: int) -> list[BundleInfo]:
    """Bundles and exports made for the case, newest first."""
    with store.read() as session:
        rows = session.scalars(
            select(DisclosureBundle)
            .where(DisclosureBundle.case_id == case_id)
            .order_by(DisclosureBundle.id.desc())
        ).all()
        return [bundle_info(row) for row in rows]


def output_content(store: Store, bundle_id: int) -> bytes:
    """The kept bytes, checked against their SHA-256 (nothing altered unseen)."""
    with store.read() as session:
        row = session.get(DisclosureBundle, bundle_id)
        if row is None:
            raise NotFound(f"There is no bundle with id {bundle_id}.")
        if row.content is None:
            raise DomainError("This bundle's content was erased.")
        data = bytes(row.content)
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise DomainError(
                "This bundle's content no longer matches the SHA-256 recorded when it was "
                "built; it has been altered. Build it again."
            )
        return data


def get_output(store: Store, bundle_id: int) -> BundleInfo:
    with store.read() as session:
        row = session.get(DisclosureBundle, bundle_id)
        if row is None:
            raise NotFound(f"There is no bundle with id {bundle_id}.")
        return bundle_info(row)

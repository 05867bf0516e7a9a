"""The disclosure set's items: adding material (a file, a kept attachment, a file attached to
a kept email), describing it (title, source, date), deciding on it, removing it.

Each change is one transaction that also bumps the set's revision (so an earlier review no
longer counts) and appends one event to the case's timeline. A file is rendered to pages
before the transaction starts: a refused file leaves the case exactly as it was.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.attachments import attachment_content, get_attachment, safe_filename
from app.cases import actor_of, record_event
from app.disclosure.records import ItemInfo, item_info
from app.disclosure.render import Rendition, render_file
from app.disclosure.vocabulary import MAX_FILE_BYTES, Decision, exemption
from app.domain import DomainError, EventKind, NotFound
from app.email_intake import EmailAttachment, read_email_content
from app.models import Case, DisclosureItem, DisclosureSet, Redaction
from app.private_files import FileTooLarge, read_user_file
from app.store import Store
from app.validation import text_problem

MAX_TITLE = 300
MAX_SOURCE = 200


# ---------------------------------------------------------------------------------------
# Reading


def list_items(store: Store, case_id: int) -> list[ItemInfo]:
    """The set in schedule order (removed items are not in it)."""
    with store.read() as session:
        return read_items(session, case_id)


def read_items(session: Session, case_id: int) -> list[ItemInfo]:
    rows = session.scalars(
        select(DisclosureItem)
        .where(DisclosureItem.case_id == case_id, DisclosureItem.removed_at.is_(None))
        .order_by(DisclosureItem.position, DisclosureItem.id)
    ).all()
    reasons: dict[int, list[str]] = {row.id: [] for row in rows}
    if rows:
        for item_id, reason in session.execute(
            select(Redaction.item_id, Redaction.reason)
            .where(Redaction.case_id == case_id, Redaction.withdrawn_at.is_(None))
            .order_by(Redaction.id)
        ):
            if item_id in reasons:
                reasons[item_id].append(reason)
    return [item_info(row, n, tuple(reasons[row.id])) for n, row in enumerate(rows, start=1)]


def get_item(store: Store, item_id: int) -> ItemInfo:
    with store.read() as session:
        row = item_row(session, item_id)
        for info in read_items(session, row.case_id):
            if info.id == item_id:
                return info
    raise NotFound(f"The disclosure item {item_id} was removed from the set.")


def item_pdf(store: Store, item_id: int) -> bytes:
    """The item's pages before redaction: what the page viewer shows and redacts."""
    with store.read() as session:
        row = item_row(session, item_id)
        return pages_of(row)


def pages_of(row: DisclosureItem) -> bytes:
    data = row.rendition if row.rendition is not None else row.original
    if data is None:
        raise DomainError(f"The item {row.title!r} was removed; its content is gone.")
    return bytes(data)


def item_row(session: Session, item_id: int) -> DisclosureItem:
    row = session.get(DisclosureItem, item_id)
    if row is None:
        raise NotFound(f"There is no disclosure item with id {item_id}.")
    return row


# ---------------------------------------------------------------------------------------
# Adding


def add_item(
    store: Store,
    case_id: int,
    *,
    filename: str,
    content: bytes,
    title: str | None = None,
    source: str = "",
    item_date: date | None = None,
    attachment_id: int | None = None,
) -> ItemInfo:
    """Render the file to pages and add it to the case's disclosure set, on the timeline."""
    name = safe_filename(filename, fallback="file")
    rendition = render_file(name, content)
    title = _clean_title(title or rendition.title or name)
    source = _clean_source(source)
    with store.write() as session:
        if session.get(Case, case_id) is None:
            raise NotFound(f"There is no case with id {case_id}.")
        return keep_item(
            session,
            case_id,
            name=name,
            content=content,
            rendition=rendition,
            title=title,
            source=source,
            item_date=item_date or rendition.item_date,
            attachment_id=attachment_id,
        )


def keep_item(
    session: Session,
    case_id: int,
    *,
    name: str,
    content: bytes,
    rendition: Rendition,
    title: str,
    source: str,
    item_date: date | None,
    attachment_id: int | None,
    search_task_id: int | None = None,
) -> ItemInfo:
    """Store a rendered item in the caller's transaction, with its event."""
    position = session.scalar(
        select(func.max(DisclosureItem.position)).where(DisclosureItem.case_id == case_id)
    )
    digest = hashlib.sha256(content).hexdigest()
    row = DisclosureItem(
        case_id=case_id,
        position=(position or 0) + 1,
        title=title,
        source=source,
        item_date=item_date,
        kind=rendition.kind.value,
        filename=name,
        mime_type=rendition.mime_type,
        size=len(content),
        sha256=digest,
        original=content,
        rendition=rendition.pdf,
        page_count=rendition.page_count,
        structured=rendition.structured,
        decision=Decision.DISCLOSE.value,
        exemption=None,
        attachment_id=attachment_id,
        search_task_id=search_task_id,
        added_at=datetime.now(UTC),
        added_by=actor_of(session),
    )
    session.add(row)
    session.flush()
    touch(session, case_id)
    pages = rendition.page_count
    record_event(
        session,
        case_id,
        EventKind.DISCLOSURE_ITEM_ADDED,
        f"Disclosure item added: {title} ({rendition.kind.label}, {pages} "
        f"page{'s' if pages != 1 else ''}).",
        {
            "item_id": row.id,
            "title": title,
            "filename": name,
            "kind": rendition.kind.value,
            "pages": pages,
            "sha256": digest,
            "source": source,
            "attachment_id": attachment_id,
            "search_task_id": search_task_id,
        },
    )
    numbered = read_items(session, case_id)
    return next(info for info in numbered if info.id == row.id)


def add_item_from_path(store: Store, case_id: int, path: Path, *, source: str = "") -> ItemInfo:
    """Add a file from disk (a drop, or the file dialog), refusing an oversized one unread."""
    path = Path(path)
    name = safe_filename(path.name, fallback="file")
    try:
        content = read_user_file(path, max_bytes=MAX_FILE_BYTES, name=name)
    except FileTooLarge as exc:
        raise DomainError(
            f"The file {name} is {exc.size / (1024 * 1024):.0f} MB; an item can be at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Split it, or export a smaller part."
        ) from exc
    return add_item(store, case_id, filename=path.name, content=content, source=source)


def add_item_from_attachment(
    store: Store, case_id: int, attachment_id: int, *, source: str = ""
) -> ItemInfo:
    """Add a file already kept with the case (e.g. the requester's email, an export)."""
    attachment = get_attachment(store, attachment_id)
    if attachment.case_id != case_id:
        raise DomainError("That attachment belongs to another case.")
    content = attachment_content(store, attachment_id)
    return add_item(
        store,
        case_id,
        filename=attachment.filename,
        content=content,
        source=source,
        attachment_id=attachment_id,
    )


def email_attachments(store: Store, attachment_id: int) -> list[EmailAttachment]:
    """The files attached to a kept email (.eml or .msg), for adding to the set."""
    attachment = get_attachment(store, attachment_id)
    content = attachment_content(store, attachment_id)
    return list(read_email_content(content, attachment.filename).attachments)


def add_item_from_email_attachment(
    store: Store, case_id: int, attachment_id: int, index: int, *, source: str = ""
) -> ItemInfo:
    """Add the `index`th file attached to a kept email."""
    attachment = get_attachment(store, attachment_id)
    if attachment.case_id != case_id:
        raise DomainError("That email belongs to another case.")
    files = email_attachments(store, attachment_id)
    if not 0 <= index < len(files):
        raise NotFound(f"The email {attachment.filename} has no attachment number {index + 1}.")
    chosen = files[index]
    return add_item(
        store,
        case_id,
        filename=chosen.filename,
        content=chosen.content,
        source=source,
        attachment_id=attachment_id,
    )


# ---------------------------------------------------------------------------------------
# Changing


def update_item(
    store: Store,
    item_id: int,
    *,
    title: str,
    source: str,
    item_date: date | None,
    decision: Decision | str,
    exemption_key: str | None = None,
    today: date | None = None,
) -> ItemInfo:
    """Describe and decide on an item. Withholding needs an exemption from the list."""
    title = _clean_title(title)
    source = _clean_source(source)
    decision = Decision(decision)
    if item_date is not None and item_date > (today or date.today()):
        raise DomainError("The item's date cannot be in the future.")
    if decision is Decision.WITHHOLD:
        if not exemption_key:
            raise DomainError(
                "Choose the exemption the item is withheld under; the schedule states it."
            )
        exemption(exemption_key)  # known?
    else:
        exemption_key = None
    with store.write() as session:
        row = live_row(session, item_id)
        before = _described(row)
        row.title, row.source, row.item_date = title, source, item_date
        row.decision, row.exemption = decision.value, exemption_key
        after = _described(row)
        changed = [key for key in after if before[key] != after[key]]
        if changed:
            touch(session, row.case_id)
            record_event(
                session,
                row.case_id,
                EventKind.DISCLOSURE_ITEM_CHANGED,
                _change_summary(row, changed),
                {
                    "item_id": row.id,
                    "fields": changed,
                    "before": {k: before[k] for k in changed},
                    "after": {k: after[k] for k in changed},
                },
            )
        session.flush()
        return next(info for info in read_items(session, row.case_id) if info.id == item_id)


def _described(row: DisclosureItem) -> dict[str, str | None]:
    return {
        "title": row.title,
        "source": row.source,
        "item_date": row.item_date.isoformat() if row.item_date else None,
        "decision": row.decision,
        "exemption": row.exemption,
    }


def _change_summary(row: DisclosureItem, changed: list[str]) -> str:
    decision = Decision(row.decision)
    if "decision" in changed or "exemption" in changed:
        what = decision.label.lower()
        if decision is Decision.WITHHOLD and row.exemption:
            what += f" ({exemption(row.exemption).text})"
        return f"Disclosure item {row.title}: decided to {what}."
    labels = {"title": "title", "source": "source", "item_date": "date"}
    return f"Disclosure item {row.title}: {', '.join(labels[c] for c in changed)} changed."


def remove_item(store: Store, item_id: int, *, reason: str) -> None:
    """Take an item out of the set: its content is cleared, the record that it was
    collected (and its redaction log) stays with the case."""
    reason = reason.strip()
    if not reason:
        raise DomainError("Say why the item is being removed from the set; it is recorded.")
    problem = text_problem("reason", reason)
    if problem:
        raise DomainError(problem)
    with store.write() as session:
        row = live_row(session, item_id)
        row.removed_at = datetime.now(UTC)
        row.original = None
        row.rendition = None
        row.structured = None
        touch(session, row.case_id)
        record_event(
            session,
            row.case_id,
            EventKind.DISCLOSURE_ITEM_REMOVED,
            f"Disclosure item removed: {row.title}. Reason: {reason}",
            {"item_id": row.id, "title": row.title, "sha256": row.sha256, "reason": reason},
        )


def live_row(session: Session, item_id: int) -> DisclosureItem:
    row = item_row(session, item_id)
    if row.removed_at is not None:
        raise DomainError(f"The item {row.title!r} was removed from the set.")
    return row


def touch(session: Session, case_id: int) -> DisclosureSet:
    """A change to the set: the next revision, so the last review is out of date."""
    state = session.get(DisclosureSet, case_id)
    if state is None:
        state = DisclosureSet(case_id=case_id, revision=1)
        session.add(state)
    else:
        state.revision += 1
    session.flush()
    return state


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DomainError("Give the item a title; the schedule lists it by its title.")
    if len(title) > MAX_TITLE:
        raise DomainError(f"The title is too long (at most {MAX_TITLE} characters).")
    problem = text_problem("title", title, multiline=False)
    if problem:
        raise DomainError(problem)
    return title


def _clean_source(source: str) -> str:
    source = " ".join(source.split())
    if len(source) > MAX_SOURCE:
        raise DomainError(f"The source is too long (at most {MAX_SOURCE} characters).")
    problem = text_problem("source", source, multiline=False)
    if problem:
        raise DomainError(problem)
    return source

"""Files kept with a case: ID documents, correspondence, disclosure bundles, original emails.

The bytes live in the store (one SQLite file), never loose on disk, so a backup of the store
is a backup of everything. Each file is stored with its SHA-256 and size so that what was
received or sent can be proved later. Deleting clears the bytes but keeps the row and puts
the deletion (with its reason) on the timeline: an ID document should be gone once identity
is verified, and the record should show when and why it went.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases import record_event
from app.domain import DomainError, EventKind, NotFound
from app.integrity.content import checked
from app.models import Attachment, CaseEvent
from app.private_files import O_BINARY, FileTooLarge, read_user_file
from app.settings import load_settings, read_settings
from app.store import Store

KINDS: dict[str, str] = {
    "id_document": "ID document",
    "correspondence": "Correspondence",
    "disclosure": "Disclosure",
    "email_original": "Original email",
    "other": "Other",
}
MAX_FILENAME = 120
_UNSAFE = re.compile(r"[^\w.\- ()+,@&'=\[\]]", re.UNICODE)
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    id: int
    case_id: int
    kind: str
    filename: str
    mime_type: str
    size: int
    sha256: str
    added_at: datetime
    deleted_at: datetime | None

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


def _info(row: Attachment) -> AttachmentInfo:
    return AttachmentInfo(
        id=row.id,
        case_id=row.case_id,
        kind=row.kind,
        filename=row.filename,
        mime_type=row.mime_type,
        size=row.size,
        sha256=row.sha256,
        added_at=row.added_at,
        deleted_at=row.deleted_at,
    )


def safe_filename(name: str, *, fallback: str = "attachment") -> str:
    """A bare file name that cannot climb out of a folder or confuse any file system.

    Only the last path component survives (`../../etc/passwd` becomes `passwd`), control
    characters and shell/markup characters are replaced, dot-files lose their leading dots,
    and Windows device names get a prefix. What remains is data, never a path.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _UNSAFE.sub("_", text).strip(" .")
    text = re.sub(r"_{2,}", "_", re.sub(r"\s+", " ", text))
    if not text or text in {".", ".."}:
        text = fallback
    stem, dot, ext = text.rpartition(".")
    if (stem if dot else text).lower() in _WINDOWS_RESERVED:
        text = "_" + text
    if len(text) > MAX_FILENAME:
        stem, dot, ext = text.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            text = stem[: MAX_FILENAME - len(ext) - 1] + "." + ext
        else:
            text = text[:MAX_FILENAME]
    return text


def guess_mime_type(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    if filename.lower().endswith(".msg"):
        return "application/vnd.ms-outlook"
    if filename.lower().endswith(".eml"):
        return "message/rfc822"
    return guessed or "application/octet-stream"


@dataclass(frozen=True, slots=True)
class NewAttachment:
    """A file checked and named, ready to be kept inside some transaction."""

    filename: str
    content: bytes
    kind: str
    mime_type: str
    sha256: str


def prepare_attachment(
    *, filename: str, content: bytes, kind: str, mime_type: str | None = None
) -> NewAttachment:
    """Check and name a file before any transaction starts (hashing is the slow part)."""
    if kind not in KINDS:
        raise DomainError(f"Unknown kind of attachment {kind!r}.")
    name = safe_filename(filename)
    if not content:
        raise DomainError(f"The file {name} is empty; nothing to keep.")
    mime = (mime_type or "").strip() or guess_mime_type(name)
    if len(mime) > 120 or "/" not in mime:
        mime = "application/octet-stream"
    return NewAttachment(name, content, kind, mime, hashlib.sha256(content).hexdigest())


def keep_attachment(session: Session, case_id: int, new: NewAttachment) -> AttachmentInfo:
    """Store a prepared file with the case, on the timeline, in the caller's transaction."""
    limit_mb = read_settings(session).attachment_limit_mb
    size = len(new.content)
    if size > limit_mb * 1024 * 1024:
        raise DomainError(
            f"The file {new.filename} is {_megabytes(size)}, over the limit of "
            f"{limit_mb} MB for attachments. The limit can be changed in the settings."
        )
    row = Attachment(
        case_id=case_id,
        kind=new.kind,
        filename=new.filename,
        mime_type=new.mime_type,
        size=size,
        sha256=new.sha256,
        content=new.content,
        added_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        case_id,
        EventKind.ATTACHMENT_ADDED,
        f"Attachment added: {new.filename} ({KINDS[new.kind]}, {_megabytes(size)}).",
        {
            "attachment_id": row.id,
            "filename": new.filename,
            "kind": new.kind,
            "size": size,
            "sha256": new.sha256,
        },
    )
    return _info(row)


def add_attachment(
    store: Store,
    case_id: int,
    *,
    filename: str,
    content: bytes,
    kind: str,
    mime_type: str | None = None,
) -> AttachmentInfo:
    """Keep a file with the case, on the timeline, in one transaction."""
    new = prepare_attachment(filename=filename, content=content, kind=kind, mime_type=mime_type)
    with store.write() as session:
        return keep_attachment(session, case_id, new)


def list_attachments(store: Store, case_id: int) -> list[AttachmentInfo]:
    """The case's attachments, oldest first, deleted ones included (they are on the record)."""
    with store.read() as session:
        rows = session.scalars(
            select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id)
        ).all()
        return [_info(row) for row in rows]


def get_attachment(store: Store, attachment_id: int) -> AttachmentInfo:
    with store.read() as session:
        return _info(_row(session, attachment_id))


def attachment_content(store: Store, attachment_id: int) -> bytes:
    with store.read() as session:
        row = _row(session, attachment_id)
        if row.content is None:
            raise DomainError(f"The attachment {row.filename} was deleted; its content is gone.")
        return checked(bytes(row.content), row.sha256, f"attachment {row.filename}")


def delete_attachment(store: Store, attachment_id: int, *, reason: str) -> AttachmentInfo:
    """Clear the content, keep the row, and put the deletion and its reason on the record."""
    reason = reason.strip()
    if not reason:
        raise DomainError("Say why the attachment is being deleted; the reason is recorded.")
    if len(reason) > 2000:
        raise DomainError("The reason is too long (at most 2000 characters).")
    with store.write() as session:
        row = _row(session, attachment_id)
        if row.content is None:
            raise DomainError(f"The attachment {row.filename} is already deleted.")
        row.content = None
        row.deleted_at = datetime.now(UTC)
        record_event(
            session,
            row.case_id,
            EventKind.ATTACHMENT_DELETED,
            f"Attachment deleted: {row.filename} ({KINDS.get(row.kind, row.kind)}). "
            f"Reason: {reason}",
            {
                "attachment_id": row.id,
                "filename": row.filename,
                "kind": row.kind,
                "sha256": row.sha256,
                "reason": reason,
            },
        )
        return _info(row)


def identity_verified(store: Store, case_id: int) -> bool:
    """True once the case has recorded proof of identity received."""
    with store.read() as session:
        found = session.scalar(
            select(CaseEvent.id)
            .where(CaseEvent.case_id == case_id, CaseEvent.kind == EventKind.IDENTITY_RECEIVED)
            .limit(1)
        )
        return found is not None


def stored_id_documents(store: Store, case_id: int) -> list[AttachmentInfo]:
    return [
        a for a in list_attachments(store, case_id) if a.kind == "id_document" and not a.deleted
    ]


def should_offer_id_deletion(store: Store, case_id: int) -> bool:
    """Identity is verified and ID documents are still kept: time to offer to delete them."""
    return identity_verified(store, case_id) and bool(stored_id_documents(store, case_id))


def open_readonly_copy(store: Store, attachment_id: int, folder: Path) -> Path:
    """Write a read-only (0400) copy into the caller's private folder, for the system viewer.

    The folder is made 0700 (created if needed); a symlinked or foreign folder is refused,
    and the name is sanitised, so nothing is written outside it.
    """
    info = get_attachment(store, attachment_id)
    content = attachment_content(store, attachment_id)
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = folder.lstat()
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise DomainError(f"The folder {folder} is not a plain folder; not writing there.")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise DomainError(f"The folder {folder} belongs to another user; not writing there.")
    os.chmod(folder, 0o700)
    target = folder / f"{info.id}-{info.filename}"
    if target.exists():
        os.chmod(target, 0o600)
        target.unlink()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | O_BINARY
    fd = os.open(target, flags, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    os.chmod(target, 0o400)
    return target


def _row(session: Session, attachment_id: int) -> Attachment:
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFound(f"There is no attachment with id {attachment_id}.")
    return row


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def add_attachment_from_path(
    store: Store, case_id: int, path: Path, *, kind: str
) -> AttachmentInfo:
    """Keep a file from disk, refusing an oversized one before reading it into memory, and
    the open store itself (reading it with a plain handle would drop SQLite's locks)."""
    path = Path(path)
    name = safe_filename(path.name)
    limit_mb = load_settings(store).attachment_limit_mb
    try:
        content = read_user_file(path, max_bytes=limit_mb * 1024 * 1024, name=name)
    except FileTooLarge as exc:
        raise DomainError(
            f"The file {name} is {_megabytes(exc.size)}, over the limit of {limit_mb} MB "
            "for attachments. The limit can be changed in the settings."
        ) from exc
    return add_attachment(store, case_id, filename=path.name, content=content, kind=kind)

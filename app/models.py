"""The stored records (SQLAlchemy 2 typed ORM). Only `app` code touches these; callers get
read models (`app.readmodels`) instead, so no widget can lazy-load or write by accident."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp. SQLite keeps no zone, so we store UTC and put it back."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Timestamps must be timezone-aware.")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Requester(Base):
    __tablename__ = "requesters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(Text, default="")
    postal_address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(Text, default="")
    email_key: Mapped[str] = mapped_column(Text, default="", index=True)  # lower-cased email
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    cases: Mapped[list[Case]] = relationship(back_populates="requester")


class ReferenceCounter(Base):
    """The last reference number handed out per year, bumped in the same transaction as the
    case insert, so references have neither gaps nor duplicates."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)


_LIST_FILTERED = ("status", "statutory_due", "effective_due", "received_on")


def _without(column: str) -> tuple[str, ...]:
    return tuple(c for c in _LIST_FILTERED if c != column)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id", ondelete="RESTRICT"))
    request_type: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    received_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(32))
    ground: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None] = mapped_column(Date)
    erased_on: Mapped[date | None] = mapped_column(Date)  # retention erasure (app.retention)

    # The clock (DESIGN.md section 3).
    identity_required: Mapped[bool] = mapped_column(Boolean, default=False)
    clock_start: Mapped[date] = mapped_column(Date)  # the relevant time
    paused_on: Mapped[date | None] = mapped_column(Date)  # open clarification/ID pause
    pauses: Mapped[list[int]] = mapped_column(JSON, default=list)  # finished pauses, in days
    extension_months: Mapped[int] = mapped_column(Integer, default=0)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str] = mapped_column(String(32))
    promise_days: Mapped[int] = mapped_column(Integer)
    # Issue 8: what the requester must be told, kept so the letters say it and the desk
    # can remind the DPO (schema revision 0005).
    # While an extension notice has not yet gone out (emailed, or printed and posted): the
    # date it must reach the requester by. NULL when none is pending.
    extension_notice_due: Mapped[date | None] = mapped_column(Date)
    clarification_question: Mapped[str | None] = mapped_column(Text)  # asked when pausing
    identity_reason: Mapped[str | None] = mapped_column(Text)  # why ID is in doubt (12(6))
    identity_documents: Mapped[list[str] | None] = mapped_column(JSON)  # keys, see app.identity
    ground_basis: Mapped[str | None] = mapped_column(String(40))  # app.domain.GroundBasis

    # Derived from the clock by app.deadlines, stored so the list can sort and filter in SQL.
    statutory_due: Mapped[date] = mapped_column(Date)
    promised_due: Mapped[date] = mapped_column(Date)
    effective_due: Mapped[date] = mapped_column(Date)

    # Denormalised, folded text for search and sort (see app.text.fold). The search index
    # (app.search_index) covers search_key and description_key and follows them by trigger.
    search_key: Mapped[str] = mapped_column(Text, default="")
    description_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    requester_sort: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    requester: Mapped[Requester] = relationship(back_populates="cases")
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case", order_by="CaseEvent.id")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_cases_status_due", "status", "effective_due"),
        Index("ix_cases_status_statutory_due", "status", "statutory_due"),
        Index("ix_cases_extension_notice_due", "extension_notice_due"),
        # The case list's order, one index per sortable column: (column, id, the columns
        # the filters test), so a page is read from one index in order (migration 0008).
        Index("ix_cases_list_reference", "reference", "id", *_LIST_FILTERED),
        Index("ix_cases_list_requester", "requester_sort", "id", *_LIST_FILTERED),
        Index("ix_cases_list_type", "request_type", "id", *_LIST_FILTERED),
        Index("ix_cases_list_received", "received_on", "id", *_without("received_on")),
        Index("ix_cases_list_due", "effective_due", "id", *_without("effective_due")),
        Index("ix_cases_list_status", "status", "id", *_without("status")),
        Index("ix_cases_requester_id", "requester_id"),
        Index("ix_cases_created_at", "created_at"),
    )


class CaseEvent(Base):
    """One line of a case's timeline. Append-only: triggers refuse DELETE, and UPDATE except
    the retention erasure of its personal part. Sealed into the event chain (app.integrity):
    `seq` is its place in the chain, `link` the keyed hash tying it to the event before,
    `personal_hash` the salted hash of its personal part, `state` the case after it."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    # Nullable in the file only because SQLite adds columns to an existing table that way;
    # every event written since the chain began has them (Verify records checks).
    seq: Mapped[int | None] = mapped_column(Integer)
    link: Mapped[str | None] = mapped_column(String(80))
    personal_hash: Mapped[str | None] = mapped_column(String(64))
    salt: Mapped[str | None] = mapped_column(String(32))  # None once the personal part is erased
    state: Mapped[dict | None] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="events")

    __table_args__ = (Index("uq_case_events_seq", "seq", unique=True),)


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Letter(Base):
    """A generated letter, kept as the exact bytes sent. A new generation is a new version."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    stage: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    template_version: Mapped[str] = mapped_column(String(80))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_by_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    emailed_to: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("case_id", "stage", "version"),)


class LetterTemplate(Base):
    """The DPO's edited text of one stage's template; absent means the shipped default."""

    __tablename__ = "letter_templates"

    stage: Mapped[str] = mapped_column(String(40), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Attachment(Base):
    """A file kept with a case. Deleting clears the content but keeps the row for the record."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(Text)
    mime_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Suppression(Base):
    """A marketing opt-out: the contact is kept so that they are never contacted again."""

    __tablename__ = "suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(Text, index=True)
    name: Mapped[str] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)


class DisclosureItem(Base):
    """One piece of collected material in a case's disclosure set (app.disclosure).

    `original` is the file as received; `rendition` is its PDF pages (None for a PDF, whose
    pages are the original). Removing an item clears both and keeps the row, so the record
    of what was collected, and its redaction log, stay with the case."""

    __tablename__ = "disclosure_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    item_date: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(Text)
    mime_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    original: Mapped[bytes | None] = mapped_column(LargeBinary)
    rendition: Mapped[bytes | None] = mapped_column(LargeBinary)
    page_count: Mapped[int] = mapped_column(Integer)
    # Rows of a table (CSV) or fields of an email, for the portability export.
    structured: Mapped[dict | None] = mapped_column(JSON)
    decision: Mapped[str] = mapped_column(String(24))
    exemption: Mapped[str | None] = mapped_column(String(40))
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )
    # The search (app.searches) that produced it, when it came from one.
    search_task_id: Mapped[int | None] = mapped_column(
        ForeignKey("search_tasks.id", ondelete="SET NULL")
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    added_by: Mapped[str] = mapped_column(Text)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Redaction(Base):
    """One box burned out of one page of an item: the redaction log (who, when, why).

    The box is in PDF points on the page as shown (rotation applied), from its top-left
    corner. A withdrawn redaction keeps its row: the log shows it was drawn and taken back."""

    __tablename__ = "redactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("disclosure_items.id", ondelete="RESTRICT"), index=True
    )
    page: Mapped[int] = mapped_column(Integer)  # 1-based
    x0: Mapped[float] = mapped_column(Float)
    top: Mapped[float] = mapped_column(Float)
    x1: Mapped[float] = mapped_column(Float)
    bottom: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    term: Mapped[str | None] = mapped_column(Text)  # the search that found it, if any
    actor: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by: Mapped[str | None] = mapped_column(Text)


class DisclosureSet(Base):
    """Per case: a revision bumped by every change to the set, and the revision last
    reviewed. A bundle is built only from a set reviewed as it now stands."""

    __tablename__ = "disclosure_sets"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="RESTRICT"), primary_key=True, autoincrement=False
    )
    revision: Mapped[int] = mapped_column(Integer)
    reviewed_revision: Mapped[int | None] = mapped_column(Integer)
    reviewed_by: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DisclosureBundle(Base):
    """A built bundle (PDF) or portability export (ZIP), kept as the exact bytes sent."""

    __tablename__ = "disclosure_bundles"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "bundle" or "portable"
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer)
    encrypted: Mapped[bool] = mapped_column(Boolean, default=False)
    set_revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(Text)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    emailed_to: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("case_id", "kind", "version"),)


# ---------------------------------------------------------------------------------------
# Where personal data is held (app.systems) and how each case searched it (app.searches).


class SystemRecord(Base):
    """One place personal data is held. Retiring sets `retired_at`; the row stays, so the
    search records that name it keep their meaning."""

    __tablename__ = "systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text, default="")
    data_held: Mapped[str] = mapped_column(Text, default="")
    purposes: Mapped[str] = mapped_column(Text, default="")
    lawful_basis: Mapped[str] = mapped_column(Text, default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    outside_uk: Mapped[bool] = mapped_column(Boolean, default=False)
    transfer_safeguard: Mapped[str] = mapped_column(Text, default="")
    retention: Mapped[str] = mapped_column(Text, default="")
    identifiers: Mapped[list[str]] = mapped_column(JSON, default=list)
    how_to_search: Mapped[str] = mapped_column(Text, default="")
    request_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    how_to_erase: Mapped[str] = mapped_column(Text, default="")
    how_to_correct: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SystemChange(Base):
    """The register's own history: who added, changed, retired or reinstated a system."""

    __tablename__ = "system_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(
        ForeignKey("systems.id", ondelete="RESTRICT"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(16))
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class SearchTaskRecord(Base):
    """One place to search for one case: searched (with what, over which period, what was
    found), or left out with a reason; for erasure, rectification and restriction also the
    action taken there and the recipients told (Art. 19)."""

    __tablename__ = "search_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    system_id: Mapped[int | None] = mapped_column(ForeignKey("systems.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(Text)  # the system's name when the task was made
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16))  # open, searched, left_out
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(Text)
    searched_on: Mapped[date | None] = mapped_column(Date)
    terms: Mapped[str] = mapped_column(Text, default="")
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    found: Mapped[bool | None] = mapped_column(Boolean)
    items: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    left_out_reason: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(String(16))  # erased, corrected, restricted, kept
    action_ground: Mapped[str] = mapped_column(Text, default="")
    action_on: Mapped[date | None] = mapped_column(Date)
    action_by: Mapped[str | None] = mapped_column(Text)
    recipients_told: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship()
    system: Mapped[SystemRecord | None] = relationship()
    material: Mapped[list[SearchMaterial]] = relationship(
        cascade="all, delete-orphan", order_by="SearchMaterial.attachment_id"
    )

    __table_args__ = (UniqueConstraint("case_id", "system_id"),)


class SearchMaterial(Base):
    """An attachment of the case that a search produced (where the material went)."""

    __tablename__ = "search_material"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("search_tasks.id", ondelete="CASCADE"), primary_key=True
    )
    attachment_id: Mapped[int] = mapped_column(
        ForeignKey("attachments.id", ondelete="RESTRICT"), primary_key=True, index=True
    )

"""The systems register: every place the organisation holds personal data, and what the law
and a search need to know about it.

The register drives the search plan of each case (app.searches): a system marked relevant to
a request type gets a task on every request of that type. It also answers the Article 15
questions (purposes, categories, recipients, transfers, retention) from what is recorded
here rather than from free text. Retiring a system keeps its row, so a search record made
while it was in use still says what was searched; the register's own changes are kept in
`system_changes` (who, when, before and after).

A new store starts with the systems the privacy policy names (migration 0002 seeds them);
the DPO edits them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.cases import actor_of
from app.domain import ConcurrentChange, DomainError, NotFound, RequestType
from app.models import SystemChange, SystemRecord
from app.store import Store
from app.validation import MAX_NAME, text_problem

_E = TypeVar("_E", bound=StrEnum)


class Identifier(StrEnum):
    """What a system can be searched by."""

    NAME = "name"
    EMAIL = "email"
    PHONE = "phone"
    ACCOUNT = "account"

    @property
    def label(self) -> str:
        return {
            Identifier.NAME: "Name",
            Identifier.EMAIL: "Email address",
            Identifier.PHONE: "Phone number",
            Identifier.ACCOUNT: "Account or customer number",
        }[self]


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemDetails:
    """What the DPO types about a system (the editable part of a register entry)."""

    name: str
    owner: str = ""
    data_held: str = ""
    purposes: str = ""
    lawful_basis: str = ""
    recipients: str = ""
    outside_uk: bool = False
    transfer_safeguard: str = ""
    retention: str = ""
    identifiers: tuple[Identifier, ...] = ()
    how_to_search: str = ""
    request_types: tuple[RequestType, ...] = ()
    how_to_erase: str = ""
    how_to_correct: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class System(SystemDetails):
    """A register entry as read: its details plus its identity and life."""

    id: int
    version: int
    created_at: datetime
    updated_at: datetime
    retired_at: datetime | None = None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def details(self) -> SystemDetails:
        return SystemDetails(**{f.name: getattr(self, f.name) for f in fields(SystemDetails)})

    def relevant_to(self, request_type: RequestType) -> bool:
        return not self.retired and request_type in self.request_types


@dataclass(frozen=True, slots=True)
class SystemChangeEntry:
    at: datetime
    actor: str
    action: str  # added, edited, retired, reinstated
    details: dict


_TEXT_FIELDS = {
    "owner": "owner",
    "data_held": "personal data held",
    "purposes": "purposes",
    "lawful_basis": "lawful basis",
    "recipients": "recipients",
    "transfer_safeguard": "transfer safeguard",
    "retention": "retention",
    "how_to_search": "how to search",
    "how_to_erase": "how to erase",
    "how_to_correct": "how to correct",
}


# ---------------------------------------------------------------------------------------
# Reading


def list_systems(store: Store, *, include_retired: bool = False) -> list[System]:
    """The register in the order systems were added (the policy's order for the seeded
    ones); retired systems only when asked for."""
    with store.read() as session:
        return read_systems(session, include_retired=include_retired)


def read_systems(session: Session, *, include_retired: bool = False) -> list[System]:
    query = select(SystemRecord).order_by(SystemRecord.id)
    if not include_retired:
        query = query.where(SystemRecord.retired_at.is_(None))
    return [to_system(row) for row in session.scalars(query)]


def get_system(store: Store, system_id: int) -> System:
    with store.read() as session:
        return to_system(_row(session, system_id))


def system_history(store: Store, system_id: int) -> list[SystemChangeEntry]:
    """Every change to one register entry, oldest first."""
    with store.read() as session:
        _row(session, system_id)
        rows = session.scalars(
            select(SystemChange)
            .where(SystemChange.system_id == system_id)
            .order_by(SystemChange.id)
        )
        return [SystemChangeEntry(r.at, r.actor, r.action, dict(r.details)) for r in rows]


def to_system(row: SystemRecord) -> System:
    return System(
        id=row.id,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        retired_at=row.retired_at,
        name=row.name,
        owner=row.owner,
        data_held=row.data_held,
        purposes=row.purposes,
        lawful_basis=row.lawful_basis,
        recipients=row.recipients,
        outside_uk=row.outside_uk,
        transfer_safeguard=row.transfer_safeguard,
        retention=row.retention,
        identifiers=tuple(_known(Identifier, row.identifiers)),
        how_to_search=row.how_to_search,
        request_types=tuple(_known(RequestType, row.request_types)),
        how_to_erase=row.how_to_erase,
        how_to_correct=row.how_to_correct,
    )


def _known(kind: type[_E], values: Iterable[str]) -> list[_E]:
    """Values of `kind` in their declared order; anything unknown (written by a newer
    version) is skipped rather than breaking the register."""
    present = set(values)
    return [member for member in kind if member.value in present]


def _row(session: Session, system_id: int) -> SystemRecord:
    row = session.get(SystemRecord, system_id)
    if row is None:
        raise NotFound(f"There is no system with id {system_id} in the register.")
    return row


# ---------------------------------------------------------------------------------------
# Writing


def add_system(store: Store, details: SystemDetails, *, actor: str | None = None) -> System:
    details = _cleaned(details)
    now = datetime.now(UTC)
    with store.write() as session:
        _check(session, details, None)
        row = SystemRecord(created_at=now, updated_at=now, retired_at=None)
        _apply(row, details)
        session.add(row)
        session.flush()
        _log(session, row.id, now, actor, "added", {"name": details.name})
        return to_system(row)


def update_system(
    store: Store,
    system_id: int,
    details: SystemDetails,
    *,
    expected_version: int | None = None,
    actor: str | None = None,
) -> System:
    """Change an entry; the register's history keeps each changed field before and after.
    Search tasks already made keep the name they were made with."""
    details = _cleaned(details)
    now = datetime.now(UTC)
    try:
        with store.write() as session:
            row = _versioned(session, system_id, expected_version)
            _check(session, details, system_id)
            before = asdict(to_system(row).details())
            _apply(row, details)
            after = asdict(details)
            changed = [key for key in after if _plain(before[key]) != _plain(after[key])]
            if not changed:
                return to_system(row)
            row.updated_at = now
            _log(
                session,
                row.id,
                now,
                actor,
                "edited",
                {
                    "fields": changed,
                    "before": {k: _plain(before[k]) for k in changed},
                    "after": {k: _plain(after[k]) for k in changed},
                },
            )
            session.flush()
            return to_system(row)
    except StaleDataError as exc:
        raise _changed_elsewhere() from exc


def retire_system(
    store: Store,
    system_id: int,
    *,
    reason: str = "",
    expected_version: int | None = None,
    actor: str | None = None,
) -> System:
    """Take a system out of use: new requests no longer get a task for it, and it is left
    out of the register-based Article 15 text. Its row and history stay."""
    reason = reason.strip()
    problem = text_problem("reason", reason)
    if problem:
        raise DomainError(problem)
    return _set_retired(store, system_id, True, reason, expected_version, actor)


def reinstate_system(
    store: Store, system_id: int, *, expected_version: int | None = None, actor: str | None = None
) -> System:
    return _set_retired(store, system_id, False, "", expected_version, actor)


def _set_retired(
    store: Store,
    system_id: int,
    retire: bool,
    reason: str,
    expected_version: int | None,
    actor: str | None,
) -> System:
    now = datetime.now(UTC)
    try:
        with store.write() as session:
            row = _versioned(session, system_id, expected_version)
            if (row.retired_at is not None) == retire:
                state = "retired" if retire else "in use"
                raise DomainError(f"{row.name} is already {state}.")
            if not retire:
                _check_name_free(session, row.name, system_id)
            row.retired_at = now if retire else None
            row.updated_at = now
            action = "retired" if retire else "reinstated"
            _log(session, row.id, now, actor, action, {"reason": reason} if reason else {})
            session.flush()
            return to_system(row)
    except StaleDataError as exc:
        raise _changed_elsewhere() from exc


def _versioned(session: Session, system_id: int, expected_version: int | None) -> SystemRecord:
    row = _row(session, system_id)
    if expected_version is not None and row.version != expected_version:
        raise _changed_elsewhere()
    return row


def _changed_elsewhere() -> ConcurrentChange:
    return ConcurrentChange(
        "This system was changed elsewhere since you opened it. It has been reloaded; check "
        "it and try again."
    )


def _log(
    session: Session, system_id: int, at: datetime, actor: str | None, action: str, details: dict
) -> None:
    session.add(
        SystemChange(
            system_id=system_id,
            at=at,
            actor=actor or actor_of(session),
            action=action,
            details=details,
        )
    )


def _apply(row: SystemRecord, details: SystemDetails) -> None:
    for key, value in asdict(details).items():
        setattr(row, key, _plain(value))


def _plain(value: object) -> object:
    """A JSON-ready value: enum tuples as lists of strings."""
    if isinstance(value, tuple | list):
        return [str(v) for v in value]
    return value


def _cleaned(details: SystemDetails) -> SystemDetails:
    texts = {key: getattr(details, key).strip() for key in _TEXT_FIELDS}
    return replace(
        details,
        name=" ".join(details.name.split()),
        identifiers=tuple(_known(Identifier, details.identifiers)),
        request_types=tuple(_known(RequestType, details.request_types)),
        **texts,
    )


def _check(session: Session, details: SystemDetails, system_id: int | None) -> None:
    """Raise DomainError with the first problem, worded for the register window."""
    if not details.name:
        raise DomainError("Give the system a name.")
    if len(details.name) > MAX_NAME:
        raise DomainError(f"A system's name can be at most {MAX_NAME} characters.")
    problem = text_problem("name", details.name, multiline=False)
    for key, label in _TEXT_FIELDS.items():
        problem = problem or text_problem(label, getattr(details, key))
    if problem:
        raise DomainError(problem)
    if details.outside_uk and not details.transfer_safeguard:
        raise DomainError(
            "Data sent outside the UK needs its safeguard on record (Art. 44-46: adequacy "
            "regulations, the International Data Transfer Agreement or Addendum, ...)."
        )
    _check_name_free(session, details.name, system_id)


def _check_name_free(session: Session, name: str, system_id: int | None) -> None:
    for other in session.scalars(select(SystemRecord).where(SystemRecord.retired_at.is_(None))):
        if other.id != system_id and other.name.casefold() == name.casefold():
            raise DomainError(f"The register already has a system called {other.name}.")


# ---------------------------------------------------------------------------------------
# Article 15 information from the register


@dataclass(frozen=True, slots=True)
class Article15Text:
    purposes: str
    categories: str
    recipients: str
    retention: str
    transfers: str  # Art. 15(2): the safeguards for each transfer outside the UK


def _words(text: str) -> str:
    return " ".join(text.split())


def article_15_text(systems: Sequence[System]) -> Article15Text:
    """The Article 15(1)(a)-(d) and 15(2) answers for the data held in `systems`, one line per
    system where the answer differs from system to system, repeated answers said once."""

    def lines(value: str, prefixed: bool) -> list[str]:
        seen: list[str] = []
        for system in systems:
            text = " ".join(str(getattr(system, value)).split())
            if not text:
                continue
            line = f"{system.name}: {text}" if prefixed else text
            if line not in seen:
                seen.append(line)
        return seen

    purposes = "; ".join(_unique_parts(lines("purposes", False)))
    recipients, transfers = [], []
    for system in systems:
        who = _words(system.recipients)
        if system.outside_uk:
            safeguard = _words(system.transfer_safeguard)
            transfers.append(f"{system.name}{f' ({who})' if who else ''}: {safeguard}")
        if not who:
            continue
        line = f"{system.name}: {who}"
        if system.outside_uk:
            line += f" (outside the UK; safeguard: {safeguard})"
        recipients.append(line)
    if systems and not recipients:
        # The register is the record of who receives data: none recorded means none.
        recipients = ["None: we do not share it with other organisations."]
    if systems and not transfers:
        transfers = ["None: we do not transfer it outside the UK."]
    return Article15Text(
        purposes=purposes,
        categories="\n".join(lines("data_held", True)),
        recipients="\n".join(recipients),
        retention="\n".join(lines("retention", True)),
        transfers="\n".join(transfers),
    )


def _unique_parts(texts: Sequence[str]) -> list[str]:
    """Split '; '-separated answers and keep each part once (purposes repeat a lot)."""
    parts: list[str] = []
    for text in texts:
        for part in text.split(";"):
            part = part.strip().rstrip(".")
            if part and part.casefold() not in {p.casefold() for p in parts}:
                parts.append(part)
    return parts

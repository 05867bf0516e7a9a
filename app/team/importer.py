"""`dsar-desk team import STORE.sqlite URL`: move a desk's store onto the team server.

Refuses unless the desk's records verify whole (with its key: the chain is re-verified
before anything moves) and the server's store is new (set up by `team init`, no case, never
imported into). Then, in one transaction as the owner, copies every table row for row with
its ids: cases and requesters, letters, attachments, settings and templates, the systems
register and its history, search records, the disclosure set and its redaction log,
suppressions, and the events in the chain's order. The server re-seals each event under its
own key as it arrives, keeping its author and time (the owner's import mode, migration 0009).

Before committing it checks, on the server, that every table holds as many rows as the desk's
and that every letter, attachment, disclosure item and bundle still matches its SHA-256 and
the desk's, and runs Verify records over the server's store in the same transaction.
Anything short of that rolls back and leaves the server as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.orm import sessionmaker

from app.domain import Cancelled
from app.integrity.seal import KEY_ID, SEALED_AT, STORE_ID
from app.models import Base
from app.store import open_store
from app.team.address import ServerAddress, parse_address
from app.team.setup import admin_engine

IMPORTED = "team.imported_from"
BATCH = 200
# Parents before children; case_events last, in the chain's order.
ORDER = (
    "requesters",
    "reference_counters",
    "cases",
    "letter_templates",
    "settings",
    "systems",
    "system_changes",
    "attachments",
    "letters",
    "tasks",
    "suppressions",
    "search_tasks",
    "search_material",
    "disclosure_items",
    "disclosure_sets",
    "redactions",
    "disclosure_bundles",
    "case_events",
)
# The server's own chain: its store id, key id and start are not the desk's.
SERVER_SETTINGS = (STORE_ID, KEY_ID, SEALED_AT)
# (table, content column, digest column): the bytes checked after the copy.
HASHED = (
    ("letters", "pdf", "sha256"),
    ("attachments", "content", "sha256"),
    ("disclosure_bundles", "content", "sha256"),
)

Progress = Callable[[int, int], bool]


class ImportRefused(Exception):
    """The import was not done; `str()` says why, for whoever runs it."""


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)
    hashes_checked: int = 0
    verified: str = ""


def _never_stop(done: int, total: int) -> bool:
    return True


def import_store(
    source_path: Path, location: str, progress: Progress = _never_stop
) -> ImportReport:
    from app.integrity.verify import verify_store

    if not Path(source_path).is_file():
        raise ImportRefused(f"There is no store at {source_path}.")
    source = open_store(Path(source_path), create=False, read_only=True)
    try:
        checked = verify_store(source)
        if checked.breaks or not checked.key_status.verifiable or checked.notices:
            raise ImportRefused(
                "The desk's records do not verify, so they are not moved (the server would "
                f"seal them as sound): {checked.summary()}"
            )
        return _copy(source.engine, location, progress)
    finally:
        source.close()


def _copy(source_engine: object, location: str, progress: Progress) -> ImportReport:
    address = parse_address(location)
    target = admin_engine(address)
    report = ImportReport()
    tables = Base.metadata.tables
    try:
        with source_engine.connect() as src, target.begin() as dst:  # type: ignore[attr-defined]
            _refuse_unless_new(dst)
            dst.exec_driver_sql("SET LOCAL dsar.importing = 'on'")
            # What `team init` seeded (the register, its history) makes way for the desk's.
            for name in ("system_changes", "systems"):
                dst.execute(tables[name].delete())
            dst.execute(
                tables["settings"].delete().where(tables["settings"].c.key.not_in(SERVER_SETTINGS))
            )
            total = sum(_count(src, tables[name]) for name in ORDER)
            done = 0
            for name in ORDER:
                table = tables[name]
                report.counts[name] = 0
                for rows in _batches(src, table):
                    if name == "settings":
                        rows = [r for r in rows if r["key"] not in SERVER_SETTINGS]
                    if rows:
                        dst.execute(insert(table), rows)
                    report.counts[name] += len(rows)
                    done += len(rows)
                    if not progress(done, total):
                        raise Cancelled()
                _follow_sequence(dst, table)
            _check(src, dst, report)
            dst.execute(
                tables["settings"]
                .insert()
                .values(
                    key=IMPORTED,
                    value={
                        "at": datetime.now(UTC).isoformat(),
                        "counts": report.counts,
                        "store_id": _desk_store_id(src),
                    },
                )
            )
            report.verified = _verify_before_commit(dst, address)
    finally:
        target.dispose()
    return report


def _refuse_unless_new(dst: Connection) -> None:
    imported = dst.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": IMPORTED})
    if imported.first() is not None:
        raise ImportRefused(
            "A desk's store was already imported into this server's store; importing again "
            "would copy every case twice. Nothing was changed."
        )
    if dst.execute(text("SELECT count(*) FROM cases")).scalar():
        raise ImportRefused(
            "The server's store already holds cases: a desk's store is moved only into a new "
            "one (dsar-desk team init on an empty database). Nothing was changed."
        )


def _count(connection: Connection, table: Table) -> int:
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _batches(src: Connection, table: Table):  # type: ignore[no-untyped-def]
    order = table.c.seq if table.name == "case_events" else list(table.primary_key.columns)
    statement = select(table).order_by(*(order if isinstance(order, list) else [order]))
    result = src.execute(statement.execution_options(yield_per=BATCH))
    for chunk in result.mappings().partitions(BATCH):
        rows = [dict(row) for row in chunk]
        if table.name == "case_events":
            for row in rows:
                row["seq"] = None  # placed and sealed again by the server
                row["link"] = None
        yield rows


def _follow_sequence(dst: Connection, table: Table) -> None:
    """Ids were copied as they were: the server's id sequence continues after the last."""
    for column in table.primary_key.columns:
        if column.autoincrement is True or (
            column.autoincrement == "auto" and len(table.primary_key.columns) == 1
        ):
            sequence = dst.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if sequence:
                dst.execute(
                    text(
                        f"SELECT setval(:s, coalesce((SELECT max({column.name}) FROM "
                        f"{table.name}), 0) + 1, false)"
                    ),
                    {"s": sequence},
                )


def _check(src: Connection, dst: Connection, report: ImportReport) -> None:
    tables = Base.metadata.tables
    for name in ORDER:
        expected = _count(src, tables[name])
        if name == "settings":
            expected = int(
                src.execute(
                    select(func.count())
                    .select_from(tables[name])
                    .where(tables[name].c.key.not_in(SERVER_SETTINGS))
                ).scalar_one()
            )
            found = int(
                dst.execute(
                    select(func.count())
                    .select_from(tables[name])
                    .where(tables[name].c.key.not_in(SERVER_SETTINGS))
                ).scalar_one()
            )
        else:
            found = _count(dst, tables[name])
        if found != expected:
            raise ImportRefused(
                f"After the copy the server holds {found} rows of {name}, the desk {expected}; "
                "nothing was changed."
            )
    for name, content, digest in (*HASHED, ("disclosure_items", "original", "sha256")):
        table = tables[name]
        desk = dict(src.execute(select(table.c.id, table.c[digest])).all())
        for row in dst.execute(
            select(table.c.id, table.c[content], table.c[digest]).execution_options(yield_per=50)
        ):
            data = row[1]
            if row[2] != desk.get(row[0]) or (
                data is not None and hashlib.sha256(bytes(data)).hexdigest() != row[2]
            ):
                raise ImportRefused(
                    f"{name} {row[0]} does not match its SHA-256 after the copy; nothing was "
                    "changed."
                )
            report.hashes_checked += 1
    events = tables["case_events"]
    desk_hashes = src.execute(
        select(events.c.id, events.c.personal_hash, events.c.actor, events.c.at).order_by(
            events.c.seq
        )
    ).all()
    server_hashes = dst.execute(
        select(events.c.id, events.c.personal_hash, events.c.actor, events.c.at).order_by(
            events.c.seq
        )
    ).all()
    if [tuple(r) for r in desk_hashes] != [tuple(r) for r in server_hashes]:
        raise ImportRefused(
            "The events on the server are not the desk's events in the desk's order; nothing "
            "was changed."
        )


def _desk_store_id(src: Connection) -> str:
    value = src.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": STORE_ID}).scalar()
    return str(value or "").strip('"')


def _verify_before_commit(dst: Connection, address: ServerAddress) -> str:
    """Verify records over what was just copied, inside the import's own transaction (as
    the owner, who may read the server's key), so a copy that does not verify is never
    committed."""
    from app.integrity.verify import verify_store
    from app.team.chain import ServerChain
    from app.team.roles import TeamRole
    from app.team.server import ServerStore

    found = dict(
        dst.execute(
            text("SELECT key, value FROM settings WHERE key IN (:a, :b)"),
            {"a": STORE_ID, "b": KEY_ID},
        ).all()
    )
    chain = ServerChain(dst.engine, str(found.get(STORE_ID, "")), str(found.get(KEY_ID, "")))
    store = ServerStore(
        path=None,
        engine=dst.engine,
        _sessions=sessionmaker(bind=dst, join_transaction_mode="create_savepoint"),
        _writer=None,
        _write_sessions=None,
        chain=chain,
        address=address,
        role=TeamRole.DPO,
    )
    report = verify_store(store)
    if not report.sound:
        raise ImportRefused(
            "After the copy, Verify records on the server does not pass, so nothing was "
            "changed: " + report.summary()
        )
    return report.summary()

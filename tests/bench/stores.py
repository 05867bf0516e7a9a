"""Stores of bulk cases for the benchmarks: built once through sqlite3, kept between runs.

Writing a million cases through the ORM takes many minutes; here the same rows
(app.demo.bulk_cases, so the same cases fill_bulk writes) go in with sqlite3's executemany in
one transaction, each value turned into what SQLAlchemy would have stored by the column's
own bind processor. The search index's insert trigger fills the index as the rows go in, as
it does for the desk.

The built store is kept in the temporary folder under a name that changes with the schema,
the generator and this module, and each session works on a copy (opening a store may write
to it), so a second run starts in seconds.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from datetime import date
from itertools import islice
from pathlib import Path

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite as sqlite_dialect

from app import demo
from app.integrity.keys import KeyStore
from app.models import Case, ReferenceCounter, Requester
from app.settings import OrgSettings, load_settings, save_settings
from app.store import open_store
from app.text import fold

CACHE = Path(tempfile.gettempdir()) / "dsar-desk-bench"
_BATCH = 20_000
_WRITER = 1  # raise when _build or _write changes what they write
_PROJECT = Path(__file__).resolve().parents[2]


def bulk_store(count: int, folder: Path, *, today: date, org: OrgSettings) -> Path:
    """A private copy in `folder` of a store of `count` bulk cases with `org`'s letterhead."""
    cached = CACHE / f"bulk-{count}-{today.isoformat()}-{_fingerprint(org)}.sqlite"
    if not cached.exists():
        CACHE.mkdir(mode=0o700, exist_ok=True)
        _build(cached, count, today=today, org=org)
    copy = folder / f"bulk-{count}.sqlite"
    shutil.copyfile(cached, copy)
    copy.chmod(0o600)
    return copy


def _fingerprint(org: OrgSettings) -> str:
    """Changes whenever what the store would hold changes: the migrations, the generator
    (its source), the letterhead or this writer (`_WRITER`)."""
    digest = hashlib.sha256(f"{_WRITER} {org!r}".encode())
    for source in sorted((_PROJECT / "app" / "migrations" / "versions").glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    for function in (demo.bulk_cases, demo._person, fold):
        digest.update(inspect.getsource(function).encode())
    return digest.hexdigest()[:16]


def _build(path: Path, count: int, *, today: date, org: OrgSettings) -> None:
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    # The schema at head, by the desk's own migrations; the store's chain key stays in the
    # cache, never in the developer's keyring or config folder.
    store = open_store(partial, keys=KeyStore(CACHE / "keys", use_keyring=False))
    try:
        save_settings(store, org)
        settings = load_settings(store)
    finally:
        store.close()
    with closing(sqlite3.connect(partial, isolation_level=None)) as connection:
        # A failed build is thrown away: no journal, no syncing, and pages stay in memory
        # until the commit (the indexes are written in random order).
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -2000000")  # KiB: up to 2 GB
        connection.execute("BEGIN")
        _write(connection, count, settings, today)
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode = WAL")  # as the desk leaves its stores
    os.replace(partial, path)


def _write(connection: sqlite3.Connection, count: int, settings: OrgSettings, today: date) -> None:
    numbers = dict(connection.execute("SELECT year, last_number FROM reference_counters"))
    next_requester = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM requesters")
    requester_id = int(next_requester.fetchone()[0])
    person_columns, to_person = _row_writer(Requester.__table__, "id")  # type: ignore[arg-type]
    case_columns, to_case = _row_writer(Case.__table__, "requester_id")  # type: ignore[arg-type]
    insert_person = _insert_sql("requesters", person_columns)
    insert_case = _insert_sql("cases", case_columns)
    generated = demo.bulk_cases(count, settings, numbers, today=today)
    while batch := list(islice(generated, _BATCH)):
        people, rows = [], []
        for person, row in batch:
            person["id"] = row["requester_id"] = requester_id
            requester_id += 1
            people.append(to_person(person))
            rows.append(to_case(row))
        connection.executemany(insert_person, people)
        connection.executemany(insert_case, rows)
    counters = ReferenceCounter.__table__.name
    connection.executemany(
        f"INSERT INTO {counters}(year, last_number) VALUES (?, ?)"
        " ON CONFLICT(year) DO UPDATE SET last_number = max(last_number, excluded.last_number)",
        sorted(numbers.items()),
    )


def _insert_sql(table: str, columns: list[str]) -> str:
    return f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _row_writer(
    table: Table, extra: str
) -> tuple[list[str], Callable[[dict[str, object]], tuple[object, ...]]]:
    """The columns bulk_cases fills for `table` (and `extra`), and a function that turns its
    values into sqlite3 parameters exactly as SQLAlchemy binds them (dates as ISO text, JSON
    as text, booleans as 0 and 1)."""
    dialect = sqlite_dialect.dialect()
    person, case = next(demo.bulk_cases(1, OrgSettings(), {}))
    sample = person if table is Requester.__table__ else case
    columns = [*sample, extra]
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in columns]

    def convert(values: dict[str, object]) -> tuple[object, ...]:
        return tuple(
            value if process is None or value is None else process(value)
            for value, process in zip((values[name] for name in columns), processors, strict=True)
        )

    return columns, convert

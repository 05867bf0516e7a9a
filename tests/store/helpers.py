"""Shared by the store tests: a case logged through the use cases, file modes, raw reads."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from datetime import date
from pathlib import Path

from app import cases
from app.domain import Channel, RequestType
from app.readmodels import RequesterDetails
from app.store import Store

TODAY = date(2026, 11, 25)


def add_case(store: Store, name: str = "Ann Example") -> str:
    """Log a request; its reference."""
    return cases.log_request(
        store,
        RequesterDetails(name=name, email="ann@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 11, 2),
        today=TODAY,
    ).reference


def references_in(path: Path) -> list[str]:
    """The case references in a store or backup file, read through SQLite."""
    with closing(sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True)) as raw:
        return [row[0] for row in raw.execute("SELECT reference FROM cases ORDER BY id")]


def integrity(path: Path) -> list[tuple[str]]:
    with closing(sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True)) as raw:
        return raw.execute("PRAGMA integrity_check").fetchall()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)

"""Stores in folders whose names mean something in a URI (`#`, `%`, `?`) work end to end:
open, write, daily backup read back with every case, restore, read-only opening (issue 13
point 6). Before SQLite URIs were built with Path.as_uri(), a `#` folder gave an empty daily
backup and a stray file."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.backups import daily_backup, describe_backup, restore_backup
from app.store import open_store
from app.store_inspect import sqlite_uri
from tests.store.helpers import add_case, integrity, references_in

AWKWARD = ["Case #7", "50%41x", "what?", "Case #7/50%41x/what? #2"]


@pytest.mark.parametrize("folder", AWKWARD)
def test_a_store_in_an_awkward_folder_backs_up_every_case(tmp_path: Path, folder: str) -> None:
    path = tmp_path / folder / "dsar.sqlite"
    store = open_store(path)
    try:
        issued = [add_case(store, f"Person {n}") for n in range(5)]
        taken = daily_backup(store)
        assert taken is not None
        assert taken.parent == path.parent / "backups"
        assert references_in(taken) == issued
        assert integrity(taken) == [("ok",)]
        summary = describe_backup(taken)
        assert (summary.cases, summary.newest_reference) == (5, issued[-1])
        add_case(store, "After the backup")
        restore_backup(store, taken)
        assert references_in(path) == issued
    finally:
        store.close()
    # Nothing landed outside the folder: no stray file cut at the '#' or '?'.
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.split("/")[0]]
    assert sorted(p.name for p in (path.parent / "backups").iterdir() if p.name.endswith("sqlite"))
    reader = open_store(path, read_only=True)
    try:
        assert reader.read_only
        assert references_in(reader.path) == issued
    finally:
        reader.close()


def test_sqlite_uris_escape_what_a_uri_would_read_as_syntax(tmp_path: Path) -> None:
    uri = sqlite_uri(tmp_path / "Case #7" / "50%41x" / "what?" / "d.sqlite", mode="ro")
    assert uri.startswith("file:///")
    assert "Case%20%237/50%2541x/what%3F/d.sqlite?mode=ro" in uri

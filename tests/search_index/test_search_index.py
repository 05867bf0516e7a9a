"""The search index: built by migration for a store made by the previous version, kept in
step with every change to a case's searchable text, right for short and odd queries."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from app import cases
from app.domain import Channel, RequestType
from app.queries import CaseFilter, CaseQuery, case_ids, count_cases
from app.readmodels import RequesterDetails
from app.store import Store, open_store
from tests.conftest import TODAY

DATA = Path(__file__).resolve().parents[1] / "data"


def found(store: Store, text: str) -> list[int]:
    return case_ids(store, CaseQuery(filter=CaseFilter.ALL, search=text), today=TODAY)


def index_is_consistent(path: Path) -> bool:
    """FTS5's own check: the index holds exactly the text of the cases it covers."""
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("INSERT INTO case_search(case_search, rank) VALUES ('integrity-check', 1)")
    return True


def log(store: Store, name: str, email: str, description: str = "") -> int:
    return cases.log_request(
        store,
        RequesterDetails(name=name, email=email),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 11, 20),
        description=description,
        today=TODAY,
    ).id


def test_a_store_from_the_previous_version_gets_its_index_and_finds_cases(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store-0001.sqlite"
    shutil.copyfile(DATA / "store-0001.sqlite", path)
    path.chmod(0o600)
    with closing(sqlite3.connect(path)) as raw:
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
        total = raw.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert "case_search" not in tables and total == 40

    store = open_store(path)
    try:
        with closing(sqlite3.connect(path)) as raw:
            tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
            empty = raw.execute("SELECT count(*) FROM cases WHERE description_key = ''")
            assert empty.fetchone()[0] == 0
        assert {"case_search", "case_search_terms", "cases_search_update"} <= tables
        assert index_is_consistent(path)
        assert [cases.get_case(store, i).requester.name for i in found(store, "MÜLLER")] == [
            "Jürgen Müller"
        ]
        assert len(found(store, "παπαδο")) == 1  # Greek, from the folded key
        assert found(store, "dsr-2026-0007") == [7]
        by_description = found(store, "profiling")  # a word only the description holds
        assert by_description and all(
            "profiling" in cases.get_case(store, i).description for i in by_description
        )
        assert len(found(store, "ü")) == len(found(store, "u")) > 0  # one letter
        assert found(store, "zq") == []
        everything = count_cases(store, CaseQuery(filter=CaseFilter.ALL), today=TODAY)
        assert everything == 40
        # A case logged after the upgrade is in the index too.
        new = log(store, "Łukasz Żółć", "lz@example.pl", "Wants his CCTV footage.")
        assert found(store, "lukasz zolc") == [new]
        assert found(store, "cctv") == [new]
    finally:
        store.close()
    backups = list((path.parent / "backups").iterdir())
    assert len(backups) == 1 and "before-upgrade-from-0001" in backups[0].name


def test_the_index_follows_a_corrected_name_and_email(store: Store) -> None:
    case_id = log(store, "Ann Example", "ann@example.org", "Copy of my CCTV images.")
    other = log(store, "Bob Other", "bob@example.org")
    assert found(store, "ann") == [case_id]
    cases.update_requester(
        store, case_id, RequesterDetails(name="Annabel Smythe", email="as@example.net")
    )
    assert found(store, "smythe") == [case_id]
    assert found(store, "ann@example.org") == []
    assert found(store, "example.net") == [case_id]
    assert found(store, "cctv") == [case_id]  # the description stays findable
    assert found(store, "bob") == [other]
    assert index_is_consistent(store.path)


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("a", {"ann", "zoe", "quote"}),  # "said"; zoe@ex*a*mple.org
        ("n@", {"ann"}),  # two characters across name and email
        ("ë", {"ann", "zoe", "quote"}),  # folds to e: "Zoë", "example", "He"
        ("x", {"ann", "zoe"}),  # example.org
        ("\"'", set()),  # FTS5 quotes are plain text
        ('"', {"quote"}),
        ("%", {"percent"}),
        ("_", set()),
        ("☂", {"percent"}),  # the last character of a field: only the padding follows it
        ("T☂", {"percent"}),
        ("κ", {"greek"}),
        ("Κα", {"greek"}),
        ("zq", set()),
    ],
)
def test_one_and_two_character_queries(store: Store, text: str, who: set[str]) -> None:
    ids = {
        "ann": log(store, "Ann", "ann@example.org"),
        "zoe": log(store, "Zoë", "zoe@example.org"),
        "quote": log(store, "Q", "q@d.io", 'He said "stop".'),
        "percent": log(store, "P", "p@d.io", "50% of it☂"),
        "greek": log(store, "Κατερίνα", "k@d.io"),
    }
    assert set(found(store, text)) == {ids[name] for name in who}

"""Leaks at rest (issue 9 point 6): files with personal data are owner-only and whole or
absent; a failed statement's text names nobody; temporary files are told apart by writer."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from app.models import Requester
from app.private_files import (
    partial_name,
    remove_stale_partials,
    windows_owner_only_command,
    write_private_file,
)
from app.store import Store
from tests.store.helpers import mode


def test_a_failed_statement_names_nobody(store: Store) -> None:
    with pytest.raises(IntegrityError) as caught, store.write() as session:
        # Missing a required column: SQLite refuses the row, SQLAlchemy reports it.
        session.add(Requester(id=1, name="Zoë Secret-Person", email="zoe@example.org"))
    text = str(caught.value)
    assert "constraint failed" in text  # still says what went wrong
    assert "Zoë" not in text and "zoe@example.org" not in text
    assert "parameters hidden" in text


def test_a_private_file_is_owner_only_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_private_file(target, b"%PDF-1.7 new")
    assert target.read_bytes() == b"%PDF-1.7 new"
    assert mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.pdf"]


def test_a_failed_write_leaves_the_old_file_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    target.write_bytes(b"old")

    class Boom(Exception):
        pass

    from app.private_files import private_output

    with pytest.raises(Boom), private_output(target) as handle:
        handle.write(b"half a le")
        raise Boom
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.pdf"]


def test_leftover_temporary_files_of_dead_writers_go_and_live_ones_stay(
    tmp_path: Path,
) -> None:
    mine = partial_name(tmp_path / "a.sqlite")
    mine.write_bytes(b"in progress")
    dead = tmp_path / f".b.sqlite.{2**22 + 3}.part"
    dead.write_bytes(b"killed")
    dead_journal = tmp_path / f".b.sqlite.{2**22 + 3}.part-journal"
    dead_journal.write_bytes(b"killed")
    removed = remove_stale_partials(tmp_path)
    assert sorted(p.name for p in removed) == sorted([dead.name, dead_journal.name])
    assert mine.exists()


def test_the_windows_acl_grants_the_user_alone() -> None:
    command = windows_owner_only_command(Path("C:/Users/dpo/store.sqlite"), "dpo", folder=False)
    assert command[0] == "icacls" and "/inheritance:r" in command
    assert command[-2:] == ["/grant:r", "dpo:F"]
    folder = windows_owner_only_command(Path("C:/Users/dpo/DSAR"), "dpo", folder=True)
    assert folder[-1] == "dpo:(OI)(CI)F"  # what is created inside inherits the same

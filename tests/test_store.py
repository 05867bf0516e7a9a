"""Opening the store: permissions, pragmas, upgrades with backup, and clear refusals that
leave the file untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import stat
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from alembic.config import Config

import app.store as store_module
import app.store_inspect as store_inspect
import app.store_schema as store_schema
from app import cases
from app.backups import daily_backup, prune_backups, restore_backup
from app.domain import Channel, NotFound, RequestType
from app.readmodels import RequesterDetails
from app.store import (
    CorruptStore,
    LockedStore,
    NewerStore,
    NotAStore,
    Store,
    StoreError,
    open_store,
)
from tests.conftest import write_lock_held


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def add_case(store: Store) -> int:
    return cases.log_request(
        store,
        RequesterDetails(name="Ann Example", email="ann@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 11, 2),
        today=date(2026, 11, 25),
    ).id


def test_new_store_is_private_and_tuned(store_path: Path) -> None:
    store = open_store(store_path)
    try:
        add_case(store)
        assert mode(store_path.parent) == 0o700
        assert mode(store_path) == 0o600
        for sidecar in store_path.parent.glob("*.sqlite-*"):
            assert mode(sidecar) & 0o077 == 0, sidecar
        with store.engine.connect() as conn:
            pragma = conn.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
            assert pragma("PRAGMA busy_timeout").scalar() == 5000
    finally:
        store.close()


def test_an_existing_folder_keeps_its_permissions(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    store = open_store(tmp_path / "mine.sqlite")
    store.close()
    assert mode(tmp_path) == 0o755
    assert mode(tmp_path / "mine.sqlite") == 0o600


def test_a_loose_file_mode_is_tightened(store_path: Path) -> None:
    open_store(store_path).close()
    store_path.chmod(0o644)
    open_store(store_path).close()
    assert mode(store_path) == 0o600


@pytest.mark.parametrize(
    "content",
    [b"Just some notes, not a database.\n" * 50, b"%PDF-1.7\n" + bytes(range(256)) * 40],
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    with pytest.raises(NotAStore) as caught:
        open_store(path)
    assert str(path) in str(caught.value)
    assert "not a DSAR Desk store" in str(caught.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("CREATE TABLE contacts (name TEXT)")
        raw.commit()
    before = digest(path)
    with pytest.raises(NotAStore, match="not a DSAR Desk store"):
        open_store(path)
    assert digest(path) == before


def test_a_corrupt_store_is_refused_untouched(store_path: Path) -> None:
    store = open_store(store_path)
    for _ in range(30):
        add_case(store)
    store.close()
    data = bytearray(store_path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    for offset in range(2 * page, len(data), page):  # every page but the first two
        data[offset : offset + 200] = b"\xde\xad\xbe\xef" * 50
    store_path.write_bytes(bytes(data))
    before = digest(store_path)
    with pytest.raises((CorruptStore, NotAStore)) as caught:
        open_store(store_path)
    assert str(store_path) in str(caught.value)
    assert digest(store_path) == before


def test_a_store_from_a_newer_version_is_refused_untouched(store_path: Path) -> None:
    open_store(store_path).close()
    with closing(sqlite3.connect(store_path)) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        raw.commit()
    before = digest(store_path)
    with pytest.raises(NewerStore) as caught:
        open_store(store_path)
    assert "newer version of DSAR Desk" in str(caught.value)
    assert str(store_path) in str(caught.value)
    assert digest(store_path) == before
    assert not (store_path.parent / "backups").exists()


def test_a_locked_store_gives_a_clear_error(store_path: Path) -> None:
    open_store(store_path).close()
    holder = sqlite3.connect(store_path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("CREATE TABLE hold (x)")
        with pytest.raises(LockedStore) as caught:
            open_store(store_path, busy_timeout_ms=200)
        assert "locked by another program" in str(caught.value)
        assert str(store_path) in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_an_older_store_is_backed_up_then_upgraded(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(store_path)
    case_id = add_case(store)
    store.close()
    before = digest(store_path)

    # A later version of the app: the shipped migrations plus one more after their head.
    current = store_module.SCHEMA_HEAD
    later = f"{int(current) + 1:04d}"
    scripts = tmp_path / "migrations"
    shutil.copytree(Path(store_module.__file__).parent / "migrations", scripts)
    (scripts / "versions" / f"{later}_test_upgrade.py").write_text(
        '"""Add an index (stands in for the next real migration)."""\n'
        "from alembic import op\n\n"
        f"revision = '{later}'\ndown_revision = '{current}'\n"
        "branch_labels = None\ndepends_on = None\n\n"
        "def upgrade():\n"
        "    op.create_index('ix_cases_channel', 'cases', ['channel'])\n\n"
        "def downgrade():\n"
        "    op.drop_index('ix_cases_channel', 'cases')\n"
    )

    def later_config() -> Config:
        config = Config()
        config.set_main_option("script_location", str(scripts))
        return config

    monkeypatch.setattr(store_schema, "alembic_config", later_config)
    monkeypatch.setattr(store_module, "SCHEMA_HEAD", later)
    upgraded = open_store(store_path)
    try:
        assert cases.get_case(upgraded, case_id).requester.name == "Ann Example"
        with closing(sqlite3.connect(store_path)) as raw:
            assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (later,)
            names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert "ix_cases_channel" in names
    finally:
        upgraded.close()
    [backup] = (store_path.parent / "backups").iterdir()
    assert f"before-upgrade-from-{current}" in backup.name
    assert mode(backup) == 0o600
    with closing(sqlite3.connect(backup)) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (current,)
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert raw.execute("SELECT count(*) FROM cases").fetchone() == (1,)
    assert before  # the original content survives in the backup, checked above


def test_online_backup_and_pruning(store: Store, tmp_path: Path) -> None:
    add_case(store)
    copies = [store.backup(store.path.parent / "backups" / f"dsar-{n}.sqlite") for n in range(4)]
    for copy in copies:
        with closing(sqlite3.connect(copy)) as raw:
            assert raw.execute("SELECT count(*) FROM cases").fetchone() == (1,)
            assert raw.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    prune_backups(store.path, keep=2)
    assert sorted(p.name for p in (store.path.parent / "backups").iterdir()) == [
        "dsar-2.sqlite",
        "dsar-3.sqlite",
    ]


def test_daily_backup_once_a_day(store: Store) -> None:
    add_case(store)
    first = daily_backup(store)
    assert first is not None and first.exists()
    assert daily_backup(store) is None  # already taken today
    with closing(sqlite3.connect(first)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert raw.execute("SELECT count(*) FROM cases").fetchone() == (1,)


def test_a_write_blocked_by_another_program_is_a_clear_error(store_path: Path) -> None:
    store = open_store(store_path, busy_timeout_ms=200)
    try:
        case_id = add_case(store)
        with (
            write_lock_held(store_path),
            pytest.raises(LockedStore, match="locked by another program"),
        ):
            cases.add_note(store, case_id, "Called the requester.")
        assert [e.kind for e in cases.timeline(store, case_id)] == ["logged"]
        cases.add_note(store, case_id, "Called the requester.")  # works once released
        assert len(cases.timeline(store, case_id)) == 2
    finally:
        store.close()


def test_schema_head_constant_matches_the_migrations() -> None:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(store_schema.alembic_config()).get_current_head()
    assert head == store_module.SCHEMA_HEAD


def test_refusing_a_file_creates_nothing_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("CREATE TABLE contacts (name TEXT)")
        raw.commit()
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(NotAStore):
        open_store(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before == ["other.sqlite"]


def damage_an_index(store_path: Path) -> None:
    """Overwrite the header of one index page: the tables still read, so only SQLite's page
    check can tell (the kind of damage a failing disk leaves)."""
    with closing(sqlite3.connect(store_path)) as raw:
        [root] = raw.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_cases_list_requester'"
        ).fetchone()
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(store_path.read_bytes())
    offset = (root - 1) * page_size
    data[offset : offset + 64] = b"\xde\xad\xbe\xef" * 16
    store_path.write_bytes(bytes(data))


def test_damage_deep_in_a_large_store_is_caught_by_the_daily_check(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(store_path)
    for _ in range(60):
        add_case(store)
    store.close()
    damage_an_index(store_path)
    # Pretend the store is large, so opening skips the full page check.
    monkeypatch.setattr(store_inspect, "ALWAYS_CHECK_BYTES", 0)
    opened = open_store(store_path)
    try:
        assert len(cases.timeline(opened, 1)) == 1  # the store works as far as it can tell
        with pytest.raises(CorruptStore, match="damage"):
            daily_backup(opened)
        backups = store_path.parent / "backups"
        assert not backups.exists() or not list(backups.glob("*daily*"))
    finally:
        opened.close()
    monkeypatch.setattr(store_inspect, "ALWAYS_CHECK_BYTES", 10**12)
    with pytest.raises(CorruptStore):  # and a full check at opening catches it too
        open_store(store_path)


def test_restore_a_backup_into_the_open_store(store: Store) -> None:
    first = add_case(store)
    kept = daily_backup(store)
    assert kept is not None
    second = add_case(store)
    safety = restore_backup(store, kept)
    # The open store now reads the backup's content...
    assert [c.reference for c in (cases.get_case(store, first),)] == ["DSR-2026-0001"]
    with pytest.raises(NotFound):
        cases.get_case(store, second)
    # ...and goes on working. DSR-2026-0002 was issued before the restore (and may be on a
    # letter already), so the next case continues after it instead of issuing it again.
    assert cases.get_case(store, add_case(store)).reference == "DSR-2026-0003"
    # What was there before is kept, so the restore can be undone.
    with closing(sqlite3.connect(safety)) as raw:
        assert raw.execute("SELECT count(*) FROM cases").fetchone() == (2,)
    assert mode(safety) == 0o600
    with closing(sqlite3.connect(store.path)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_restoring_something_that_is_not_a_backup_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    case_id = add_case(store)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(NotAStore):
        restore_backup(store, junk)
    with pytest.raises(StoreError, match="the store itself"):
        restore_backup(store, store.path)
    assert cases.get_case(store, case_id).reference == "DSR-2026-0001"


def test_alembic_is_imported_only_when_the_store_needs_an_upgrade(tmp_path: Path) -> None:
    """Issue 14: the revision is read with sqlite3 first; Alembic (with Mako behind it) loads
    only for a store that is not at the latest revision."""
    import subprocess
    import sys

    current = tmp_path / "current.sqlite"
    open_store(current).close()
    older = tmp_path / "older.sqlite"
    shutil.copyfile(Path(__file__).parent / "data" / "store-0001.sqlite", older)
    code = (
        "import sys; from app.store import open_store; open_store(sys.argv[1]).close();"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'mako'}))"
    )

    def loaded(path: Path) -> str:
        return subprocess.run(
            [sys.executable, "-c", code, str(path)],
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert loaded(current) == "[]"
    assert loaded(older) == "['alembic', 'mako']"

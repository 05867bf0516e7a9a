"""Backups that always exist (issue 9 point 2): temporary name, check, rename; a failure
names its cause; Back up now and Copy a backup to…; restore shows what a backup holds,
can be cancelled and never re-issues a reference."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from app.attachments import add_attachment
from app.backups import (
    BackupFailed,
    Cancelled,
    back_up_now,
    backup_folder,
    copy_backup_to,
    daily_backup,
    describe_backup,
    list_backups,
    restore_backup,
)
from app.reference_mark import mark_path, read_mark
from app.store import LockedStore, Store, StoreError, open_store
from tests.conftest import write_lock_held
from tests.store.conftest import mounted_tmpfs, unwritable
from tests.store.helpers import add_case, integrity, mode, references_in


def _leftovers(store: Store) -> list[str]:
    folder = backup_folder(store.path)
    return (
        sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
        if folder.exists()
        else []
    )


def test_a_backup_is_checked_private_and_leaves_no_temporary_file(store: Store) -> None:
    issued = [add_case(store) for _ in range(3)]
    taken = back_up_now(store)
    assert references_in(taken) == issued
    assert integrity(taken) == [("ok",)]
    assert mode(taken) == 0o600
    assert _leftovers(store) == []


def test_an_interrupted_backup_never_blocks_todays_backup(store: Store) -> None:
    add_case(store)
    folder = backup_folder(store.path)
    folder.mkdir()
    # What a killed backup leaves: a half-written file under its temporary name, from a
    # process that no longer runs (pid 2**22 + 1 is above Linux's pid_max).
    stamp = date.today().strftime("%Y%m%d")
    dead = folder / f".dsar-{stamp}T000000000000Z-daily.sqlite.{2**22 + 1}.part"
    dead.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    taken = daily_backup(store)
    assert taken is not None and references_in(taken) == ["DSR-2026-0001"]
    assert not dead.exists()
    assert daily_backup(store) is None  # the finished one counts for today


def test_an_unwritable_backup_folder_is_named_with_its_cause(store: Store) -> None:
    add_case(store)
    with unwritable(backup_folder(store.path)) as folder:
        with pytest.raises(BackupFailed) as caught:
            daily_backup(store)
        assert "cannot be written to" in caught.value.reason
        assert str(folder) in caught.value.reason
        assert list(folder.iterdir()) == []


def test_a_full_disk_is_named_and_leaves_nothing(store: Store) -> None:
    add_case(store)
    add_attachment(store, 1, filename="scan.png", content=os.urandom(300_000), kind="other")
    with mounted_tmpfs(backup_folder(store.path), "size=64k") as folder:
        with pytest.raises(BackupFailed) as caught:
            daily_backup(store)
        assert "is full" in caught.value.reason
        assert str(folder) in caught.value.reason
        assert list(folder.iterdir()) == []  # the temporary file went too: space is back


def test_a_file_where_the_folder_should_be_is_named(store: Store) -> None:
    backup_folder(store.path).write_text("not a folder")
    with pytest.raises(BackupFailed, match="is not a folder"):
        daily_backup(store)


def test_a_cancelled_backup_leaves_nothing(store: Store) -> None:
    add_case(store)
    add_attachment(store, 1, filename="scan.png", content=os.urandom(4_000_000), kind="other")
    with pytest.raises(Cancelled):
        back_up_now(store, progress=lambda done, total: False)
    assert list_backups(store.path) == []
    assert _leftovers(store) == []


def test_copy_a_backup_to_another_drive(store: Store, tmp_path: Path) -> None:
    issued = [add_case(store) for _ in range(2)]
    usb = tmp_path / "USB STICK #1"
    usb.mkdir()
    seen: list[tuple[int, int]] = []
    copy = copy_backup_to(
        store, usb, progress=lambda done, total: seen.append((done, total)) or True
    )
    assert copy.parent == usb and copy.name.endswith("-copy.sqlite")
    assert references_in(copy) == issued and mode(copy) == 0o600
    assert seen and seen[-1][0] == seen[-1][1]
    with pytest.raises(BackupFailed, match="does not exist"):
        copy_backup_to(store, tmp_path / "unplugged")


def test_describe_a_backup_before_restoring_it(store: Store) -> None:
    add_case(store, "Ann")
    second = add_case(store, "Bea")
    taken = back_up_now(store)
    summary = describe_backup(taken)
    assert summary.cases == 2 and summary.open_cases == 2
    assert summary.newest_reference == second
    assert summary.newest_received == date(2026, 11, 2)
    assert summary.taken_at.date() == date.today() or summary.taken_at.year >= 2026
    assert summary.restorable
    with pytest.raises(StoreError, match="open now"):
        describe_backup(store.path)


def test_a_cancelled_restore_leaves_the_store_as_it_was(store: Store) -> None:
    add_case(store)
    # A backup large enough that restoring it takes several steps: a moment to cancel in.
    add_attachment(store, 1, filename="scan.png", content=os.urandom(4_000_000), kind="other")
    taken = back_up_now(store)
    later = [add_case(store) for _ in range(30)]
    steps: list[int] = []
    with pytest.raises(Cancelled):
        restore_backup(store, taken, progress=lambda done, total: bool(steps.append(done)))
    assert len(steps) == 1  # cancelled after the first step, with more to copy
    assert references_in(store.path)[1:] == later
    assert integrity(store.path) == [("ok",)]
    add_case(store)  # and the store still takes writes


def test_a_restore_blocked_by_another_program_gives_up_and_changes_nothing(
    store: Store,
) -> None:
    add_case(store)
    taken = back_up_now(store)
    add_case(store)
    with write_lock_held(store.path), pytest.raises(LockedStore):
        restore_backup(store, taken, busy_timeout_ms=300)
    assert references_in(store.path) == ["DSR-2026-0001", "DSR-2026-0002"]


def test_a_restore_waiting_for_a_lock_can_be_cancelled(store: Store) -> None:
    add_case(store)
    taken = back_up_now(store)
    calls: list[int] = []
    with write_lock_held(store.path), pytest.raises(Cancelled):
        restore_backup(
            store, taken, progress=lambda done, total: len(calls) < 3 and not calls.append(1)
        )  # type: ignore[func-returns-value]
    assert references_in(store.path) == ["DSR-2026-0001"]


def test_a_backup_copied_over_the_store_by_hand_does_not_reissue_references(
    store_path: Path, tmp_path: Path
) -> None:
    store = open_store(store_path)
    add_case(store)
    old = back_up_now(store)
    sent = add_case(store)  # DSR-2026-0002 goes out on a letter
    store.close()
    assert read_mark(store_path) == {2026: 2}
    assert mode(mark_path(store_path)) == 0o600
    for side in ("-wal", "-shm"):
        Path(f"{store_path}{side}").unlink(missing_ok=True)
    shutil.copy(old, store_path)  # restored outside the app
    again = open_store(store_path)
    try:
        assert references_in(store_path) == ["DSR-2026-0001"]
        assert add_case(again) == "DSR-2026-0003" != sent
    finally:
        again.close()


def test_restoring_the_safety_copy_undoes_a_restore(store: Store) -> None:
    add_case(store)
    taken = back_up_now(store)
    add_case(store)
    safety = restore_backup(store, taken)
    assert references_in(store.path) == ["DSR-2026-0001"]
    restore_backup(store, safety)
    assert references_in(store.path) == ["DSR-2026-0001", "DSR-2026-0002"]
    assert add_case(store) == "DSR-2026-0003"
    assert os.path.exists(safety)


def test_a_restored_older_backup_continues_after_the_highest_reference_issued(
    store: Store,
) -> None:
    add_case(store)
    older = back_up_now(store)
    sent = add_case(store)  # DSR-2026-0002 went out on a letter after that backup
    restore_backup(store, older)
    assert references_in(store.path) == ["DSR-2026-0001"]
    assert add_case(store) == "DSR-2026-0003" != sent

"""Verify records names every change made to the store from outside the app: an event, a case
row, a letter, deletions, insertions, re-hashed files; and says plainly when it cannot
verify (no key here)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from app import cases
from app.integrity.keys import KeyStore
from app.integrity.seal import KeyStatus
from app.integrity.verify import Cancelled, verify_store
from app.store import Store, open_store
from tests.integrity.conftest import Desk
from tests.raw import outside, raw_execute, raw_rows


def test_an_untouched_store_verifies(desk: Desk) -> None:
    report = verify_store(desk.store)
    assert report.findings == []
    assert report.sound
    assert report.key_status is KeyStatus.PRESENT
    assert report.cases == 2 and report.letters == 1 and report.attachments == 1
    # Ann: logged, note, letter, scan. Bob: logged, 8 searches left out, closed.
    assert report.events == 14
    assert report.summary().startswith("All records verified")


def test_edits_to_an_event_a_case_row_and_a_letter_are_each_named(desk: Desk) -> None:
    store = desk.store
    ann = cases.get_case(store, desk.ann)
    note = next(e for e in cases.timeline(store, desk.ann) if e.kind == "note")
    forged_pdf = b"%PDF-1.4 a different letter"
    with outside(store) as raw:
        raw.execute(
            "UPDATE case_events SET summary = 'Requester withdrew the request.' WHERE id = ?",
            (note.id,),
        )
        raw.execute(
            "UPDATE cases SET outcome = 'refused', effective_due = '2027-01-31' WHERE id = ?",
            (desk.bob,),
        )
        # A swapped letter with a matching SHA-256: only the record can tell.
        raw.execute(
            "UPDATE letters SET pdf = ?, sha256 = ? WHERE id = ?",
            (forged_pdf, hashlib.sha256(forged_pdf).hexdigest(), desk.letter_id),
        )

    report = verify_store(store)
    messages = [str(f) for f in report.breaks]
    bob = cases.get_case(store, desk.bob).reference

    event_break = [f for f in report.breaks if f.event_id == note.id]
    assert len(event_break) == 1
    assert event_break[0].reference == ann.reference
    assert "text of this note event was changed" in event_break[0].message

    case_break = [f for f in report.breaks if f.reference == bob]
    assert len(case_break) == 1
    assert "outcome, due date differ" in case_break[0].message

    letter_break = [f for f in report.breaks if "letter" in f.message]
    assert len(letter_break) == 1
    assert letter_break[0].reference == ann.reference
    assert "swapped" in letter_break[0].message
    assert letter_break[0].event_id is not None  # the letter_generated event it contradicts

    assert any("append-only guard" in m for m in messages)
    assert len(report.breaks) == 5  # the three edits and the two dropped triggers
    assert report.summary().startswith("5 breaks found")


def test_a_letter_or_attachment_rotting_on_disk_is_caught(desk: Desk) -> None:
    with outside(desk.store) as raw:
        (content,) = raw.execute(
            "SELECT content FROM attachments WHERE id = ?", (desk.attachment_id,)
        ).fetchone()
        rotten = content[:40] + bytes([content[40] ^ 0x01]) + content[41:]
        raw.execute("UPDATE attachments SET content = ? WHERE id = ?", (rotten, desk.attachment_id))
    [found] = verify_store(desk.store).breaks[:1]
    assert "attachment 'passport.pdf' does not match its SHA-256" in found.message


def test_a_deleted_event_and_an_inserted_event_are_named(desk: Desk) -> None:
    store = desk.store
    events = cases.timeline(store, desk.ann)
    note = next(e for e in events if e.kind == "note")
    with outside(store) as raw:
        raw.execute("DELETE FROM case_events WHERE id = ?", (note.id,))
        raw.execute(
            "INSERT INTO case_events (case_id, at, actor, kind, summary, details) "
            "VALUES (?, '2026-10-06 09:00:00.000000', 'dpo', 'note', 'Identity checked.', '{}')",
            (desk.ann,),
        )
    report = verify_store(store)
    messages = [f.message for f in report.breaks]
    assert any("1 event before this one was deleted" in m for m in messages)
    assert any("not sealed into the chain" in m for m in messages)


def test_a_backdated_event_and_a_link_recomputed_without_the_key_are_named(desk: Desk) -> None:
    """Someone without the key can only recompute an unkeyed link, which proves nothing."""
    store = desk.store
    with outside(store) as raw:
        seqs = [
            r[0]
            for r in raw.execute(
                "SELECT seq FROM case_events WHERE case_id = ? ORDER BY seq", (desk.bob,)
            )
        ]
        raw.execute(
            "UPDATE case_events SET at = '2026-10-19 09:00:00.000000' WHERE seq = ?", (seqs[-1],)
        )
        raw.execute(
            "UPDATE case_events SET link = 'u1:' || substr(link, 4) WHERE seq = ?", (seqs[0],)
        )
    by_seq = {f.event_seq: f.message for f in verify_store(store).breaks}
    assert "altered after it was written" in by_seq[seqs[-1]]
    assert "altered after it was written" in by_seq[seqs[0]]


def test_a_row_changed_outside_stays_on_the_record_after_the_next_action(desk: Desk) -> None:
    """Changing a due date and then adding a note through the app does not launder it."""
    store = desk.store
    # Through the member's own connection: the app's role may update a case row.
    raw_execute(store, "UPDATE cases SET effective_due = '2027-03-01' WHERE id = ?", desk.ann)
    cases.add_note(store, desk.ann, "Routine note after the forgery.")
    report = verify_store(store)
    [found] = report.breaks
    assert "due date had been changed outside DSAR Desk" in found.message
    assert found.event_id == cases.timeline(store, desk.ann)[-1].id


def test_without_the_key_the_app_works_and_says_records_cannot_be_verified(
    desk: Desk, tmp_path: Path
) -> None:
    desk.store.close()
    elsewhere = open_store(desk.store.path, keys=KeyStore(tmp_path / "other-computer"))
    try:
        cases.add_note(elsewhere, desk.ann, "Written on a computer without the key.")
        report = verify_store(elsewhere)
        assert report.key_status is KeyStatus.MISSING
        assert not report.sound and report.breaks == []
        assert "cannot be verified here" in report.summary()
        assert "does not have the store's verification key" in report.summary()
    finally:
        elsewhere.close()
    # Back with the key: the event written without it is said to be unprovable.
    home = open_store(desk.store.path)
    try:
        report = verify_store(home)
        assert report.breaks == []
        [notice] = report.notices
        assert "1 event was written where the verification key was missing" in notice.message
    finally:
        home.close()


def test_the_key_moves_with_an_exported_key_file(desk: Desk, tmp_path: Path) -> None:
    here = KeyStore.for_user()
    chain = desk.store.chain
    assert chain is not None
    exported = here.export_key(chain.store_id, tmp_path / "usb" / "store.key")
    assert exported.stat().st_mode & 0o777 == 0o600
    moved = tmp_path / "moved" / "dsar.sqlite"
    moved.parent.mkdir()
    desk.store.close()
    shutil.copy(desk.store.path, moved)
    there = KeyStore(tmp_path / "laptop")
    assert there.import_key(exported) == chain.store_id
    store = open_store(moved, keys=there)
    try:
        assert verify_store(store).sound
    finally:
        store.close()
    # The key never lives beside the store or in its backups.
    for path in (moved.parent, desk.store.path.parent):
        assert not any(p.suffix == ".key" for p in path.rglob("*"))


def test_progress_is_reported_and_can_stop_the_check(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.integrity.verify as verify_module

    monkeypatch.setattr(verify_module, "PROGRESS_EVERY", 1)
    seen: list[tuple[int, int]] = []

    def record(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    report = verify_store(desk.store, record)
    total = report.events + report.letters + report.attachments
    assert seen[-1] == (total, total)
    with pytest.raises(Cancelled):
        verify_store(desk.store, lambda done, total: done < 3)


def test_personal_parts_and_the_snapshot_are_stored(desk: Desk, store: Store) -> None:
    rows = raw_rows(
        store,
        "SELECT seq, link, personal_hash, salt, CAST(state AS TEXT) FROM case_events ORDER BY seq",
    )
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert all(
        str(r[1]).startswith("k1:") and len(str(r[2])) == 64 and len(str(r[3])) == 32 for r in rows
    )
    state = json.loads(str(rows[-1][4]))
    assert state["status"] == "closed" and "name" not in state
    assert "Bob" not in str(rows[-1][4])


def test_a_letter_or_attachment_is_checked_when_read(desk: Desk) -> None:
    from app.attachments import attachment_content
    from app.integrity.content import AlteredContent
    from app.letters.records import letter_pdf

    assert letter_pdf(desk.store, desk.letter_id).startswith(b"%PDF")
    with outside(desk.store) as raw:
        (pdf,) = raw.execute("SELECT pdf FROM letters WHERE id = ?", (desk.letter_id,)).fetchone()
        raw.execute("UPDATE letters SET pdf = ? WHERE id = ?", (pdf + b" ", desk.letter_id))
        raw.execute(
            "UPDATE attachments SET content = ? WHERE id = ?",
            (b"another scan", desk.attachment_id),
        )
    with pytest.raises(AlteredContent, match=r"letter \(acknowledgement, version 1\)"):
        letter_pdf(desk.store, desk.letter_id)
    with pytest.raises(AlteredContent, match=r"attachment passport\.pdf"):
        attachment_content(desk.store, desk.attachment_id)


def test_the_key_goes_to_a_real_keyring_and_never_to_a_plaintext_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    from tests.mail.conftest import MemoryKeyring

    real = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: real)
    keys = KeyStore(tmp_path / "config" / "keys")
    assert keys.place().in_keyring
    key = keys.create("ab12")
    assert real.passwords[("dsar-desk-chain", "ab12")]
    assert keys.get("ab12") == key and not (tmp_path / "config").exists()

    plaintext = PlaintextKeyring()
    plaintext.file_path = str(tmp_path / "plain.cfg")  # type: ignore[misc]
    monkeypatch.setattr(keyring, "get_keyring", lambda: plaintext)
    assert not keys.place().in_keyring and "owner-only file" in keys.place().description
    keys.create("cd34")
    assert not (tmp_path / "plain.cfg").exists()
    kept = tmp_path / "config" / "keys" / "cd34.key"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "config" / "keys").stat().st_mode & 0o777 == 0o700

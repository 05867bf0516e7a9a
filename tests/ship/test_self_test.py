"""`dsar-desk --self-test`, run the way CI runs it on the bundle (a process of its own), and
the samples it reads: our own Outlook and RFC 5322 files, written by tests/ship."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import olefile
import pytest

from app.disclosure import item_pdf, list_items
from app.email_intake import read_email
from app.store import Store
from tests.ship.samples import sample_eml, sample_msg
from ui import self_test

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "selftest"


def test_shipped_samples_are_what_the_writers_make() -> None:
    assert (SAMPLES / "intake.msg").read_bytes() == sample_msg()
    assert (SAMPLES / "intake.eml").read_bytes() == sample_eml()


def test_written_msg_is_a_well_formed_compound_file() -> None:
    data = sample_msg()
    # Strict: olefile raises on any defect it would otherwise only note.
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    assert sorted("/".join(entry) for entry in ole.listdir()) == [
        "__properties_version1.0",
        "__substg1.0_001A001F",
        "__substg1.0_0037001F",
        "__substg1.0_0C1A001F",
        "__substg1.0_0C1F001F",
        "__substg1.0_1000001F",
    ]
    draft = read_email(data, "intake.msg")
    assert (draft.name, draft.email) == ("Ελένη Παπαδοπούλου", "eleni@example.org")
    assert draft.received_on == date(2026, 11, 9)
    assert draft.problems == ()


@pytest.mark.slow
def test_self_test_passes_in_a_process_of_its_own(tmp_path: Path) -> None:
    result = _in_a_process(tmp_path, "-m", "ui", "--self-test")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dsar-desk self-test passed in ")
    for part in (
        "migrated to",
        "4 letters",
        "with their fonts, dated ",
        "intake.msg and intake.eml",
        "main window built, shown ",
        "disclosure bundle of ",
        "with a redaction burned in",
        "team server driver pg8000 ",
        "LGPL source offer",
    ):
        assert part in lines[0]
    assert not (tmp_path / "config").exists()  # wrote nothing to the user's settings


def test_a_failed_check_exits_non_zero_naming_it(
    qapp: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ask the letter check for a font the letters do not embed for that name.
    monkeypatch.setattr(self_test, "NAMES", (("Latin", "Zoë Adeyemi", "NotAFont"),))
    _assert_fails_at("letters", "does not embed NotAFont", capsys)


def test_a_bundle_with_the_name_still_on_it_fails_the_disclosure_check(
    qapp: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A bundle made of the Word document's own pages, as if the redaction never burned in.
    def unredacted(store: Store, case_id: int) -> bytes:
        review = next(i for i in list_items(store, case_id) if i.filename == "review.docx")
        return item_pdf(store, review.id)

    monkeypatch.setattr(self_test, "build_bundle", unredacted)
    _assert_fails_at("disclosure", "the redacted name is still on page(s) [1]", capsys)


def test_a_letter_not_dated_the_uk_way_fails_the_letter_check(
    qapp: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As if the date had come out in the machine's locale instead of en_GB.
    monkeypatch.setattr(self_test, "uk_long_date", lambda day: f"{day.day} Novembre {day.year}")
    _assert_fails_at("letters", "the Latin letter is not dated 25 Novembre 2026", capsys)


def _assert_fails_at(check: str, reason: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The run exits 1 with one line on stderr naming the check and the reason."""
    assert self_test.run_self_test(today=date(2026, 11, 25)) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"dsar-desk self-test FAILED at {check}: ")
    assert reason in err


def test_a_library_the_copy_lacks_is_one_line_naming_it(tmp_path: Path) -> None:
    """In a bundle that lost PDFium's library, importing the checks themselves fails: the
    answer is still one line and exit code 1, not a traceback."""
    code = (
        "import sys; sys.modules['pypdfium2_raw'] = None; "  # as if the freezer had lost it
        "from ui.main import main; sys.exit(main(['--self-test']))"
    )
    result = _in_a_process(tmp_path, "-c", code)
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("dsar-desk self-test FAILED at start: ModuleNotFoundError: ")
    assert "pypdfium2_raw" in line


def _in_a_process(home: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Python run as a user would start the app: a clean home, no Qt platform chosen (the
    self-test needs no screen and picks offscreen)."""
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config")}
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

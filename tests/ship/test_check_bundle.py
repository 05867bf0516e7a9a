""".ci/check_bundle.py, the gate CI puts a built bundle through before running it: run here on
a bundle folder laid out as PyInstaller lays it out, complete and then spoilt."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / ".ci" / "check_bundle.py"
DATA_FOLDERS = ("app/migrations", "resources/fonts", "resources/letters")
DATA_FOLDERS += ("resources/licences", "resources/selftest")
NOTICES = "PySide6, shiboken6, python-bidi: LGPL-3.0\nSOURCE CODE OFFER\n"

pytestmark = pytest.mark.skipif(shutil.which("ldd") is None, reason="needs ldd (Linux)")


def _bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "dsar-desk"
    for folder in DATA_FOLDERS:
        shutil.copytree(
            ROOT / folder,
            bundle / "_internal" / folder,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    (bundle / "THIRD-PARTY-NOTICES.txt").write_text(NOTICES, encoding="utf-8")
    return bundle


def _check(bundle: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECK), str(bundle)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_complete_bundle_passes(tmp_path: Path) -> None:
    result = _check(_bundle(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "data folders: app/migrations, resources/fonts" in result.stdout


def test_what_must_not_ship_and_what_is_missing_are_named(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    internal = bundle / "_internal"
    # GNU readline's extension module, come back through pdb.
    (internal / "lib-dynload").mkdir()
    (internal / "lib-dynload" / "readline.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    # Qt Charts (GPL-3.0 or commercial), as PySide6 lays it out.
    (internal / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (internal / "PySide6" / "Qt" / "lib" / "libQt6Charts.so.6").write_bytes(b"")
    # A font left out.
    (internal / "resources" / "fonts" / "DejaVuSans.ttf").unlink()
    # Qt's offscreen platform plugin without the Qt libraries it links against.
    plugins = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms"
    target = internal / "PySide6" / "Qt" / "plugins" / "platforms"
    target.mkdir(parents=True)
    shutil.copy(next(plugins.glob("libqoffscreen.so")), target)
    # Notices without the source offer.
    (bundle / "THIRD-PARTY-NOTICES.txt").write_text("PySide6 shiboken6 python-bidi LGPL-3.0")

    result = _check(bundle)

    assert result.returncode == 1
    problems = result.stderr
    assert "must not ship: _internal/lib-dynload/readline.cpython-311" in problems
    assert "must not ship: _internal/PySide6/Qt/lib/libQt6Charts.so.6" in problems
    assert "data file missing: resources/fonts/DejaVuSans.ttf" in problems
    assert (
        "libQt6Gui.so.6 not found, needed by _internal/PySide6/Qt/plugins/platforms/"
        "libqoffscreen.so"
    ) in problems
    assert "THIRD-PARTY-NOTICES.txt does not mention SOURCE CODE OFFER" in problems

"""scripts/run and scripts/test install only when something that decides the installation
changed (scripts/venv.sh), and an editable install prints no setuptools warning box."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _fake_venv(folder: Path) -> Path:
    """A venv whose python logs every pip call instead of running it."""
    python = folder / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    log = folder / "pip.log"
    python.write_text(
        "#!/bin/sh\n"
        f'if [ "$1 $2" = "-m pip" ]; then echo "$@" >> "{log}"; exit 0; fi\n'
        f'exec "{sys.executable}" "$@"\n'
    )
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    return log


def _ensure(project: Path, extras: str) -> None:
    subprocess.run(
        ["sh", "-c", f'. scripts/venv.sh && ensure_venv "{extras}"'],
        cwd=project,
        env={**os.environ, "VENV": "venv"},
        check=True,
    )


def test_pip_runs_only_when_pyproject_changed(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "venv.sh", tmp_path / "scripts" / "venv.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    log = _fake_venv(tmp_path)

    _ensure(tmp_path, "")
    assert log.read_text().splitlines() == ["-m pip install --quiet -e ."]
    _ensure(tmp_path, "")  # nothing changed: no pip at all
    assert len(log.read_text().splitlines()) == 1
    _ensure(tmp_path, "[test]")  # other extras are another installation
    assert log.read_text().splitlines()[-1] == "-m pip install --quiet -e .[test]"

    with (tmp_path / "pyproject.toml").open("a") as handle:
        handle.write("\n# a new dependency, say\n")
    _ensure(tmp_path, "")
    assert len(log.read_text().splitlines()) == 3


@pytest.mark.slow
def test_editable_install_prints_no_warning_box(tmp_path: Path) -> None:
    # The project's own venv already has every dependency: only the editable wheel is built.
    # Verbose, so that the backend's output shows whatever pip version hides by default.
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-v", "-e", str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert "****" not in output and "Editable installation" not in output, output

"""The core never depends on the GUI (napari-style import contract, checked in the run)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_no_module_in_app_imports_qt_or_ui() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|ui)\b", re.MULTILINE)
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "app").rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_importing_the_core_does_not_load_qt() -> None:
    code = (
        "import sys, app.cases, app.queries, app.store, app.demo, app.deadlines;"
        "import pkgutil, importlib, app;"
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(app.__path__, 'app.')"
        " if '.migrations' not in m.name];"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'ui'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_no_module_is_imported_by_name() -> None:
    """A freezer (PyInstaller) follows import statements only: a module loaded through
    `__import__` or `importlib.import_module` is missing from the bundle, and the built app
    crashed at start with `No module named 'ui.email_import'`."""
    offenders = []
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name in {"__import__", "import_module"}:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_no_module_uses_qt_charts() -> None:
    """Qt Charts is GPL-3.0 or commercial only; the charts are drawn with QPainter
    (ui/charts.py) and build.spec keeps the module out of the bundle."""
    pattern = re.compile(
        r"^\s*(from|import)\s+PySide6\.QtCharts|^\s*from\s+PySide6\s+import\s.*QtCharts",
        re.MULTILINE,
    )
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("app", "ui")
        for p in (ROOT / folder).rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert '"PySide6.QtCharts"' in spec and '"libQt6Charts"' in spec

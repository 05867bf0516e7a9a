"""Files opened with `os.open` carry `O_BINARY` where the system has it (Windows, where a file
descriptor opened without it translates line ends and stops reading at a Ctrl+Z byte: a
store backup, a PDF or a scanned ID document would come out damaged). Checked by reading the
code, as a freezer or a reviewer would."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A folder opened only to fsync it (POSIX only; no bytes pass through it).
FOLDER_HANDLES = {("app/private_files.py", "sync_folder")}


def _opens(tree: ast.Module) -> list[tuple[str, ast.Call]]:
    """Every os.open(...) call with the name of the function it is in."""
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "open"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "os"
            ):
                found.append((function.name, node))
    return found


def _flags_source(tree: ast.Module, source: str, flags: ast.expr) -> str:
    """The flags as written; for a name, what was assigned to it."""
    if isinstance(flags, ast.Name):
        assigned = [
            ast.get_source_segment(source, node.value) or ""
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == flags.id for t in node.targets)
        ]
        return " ".join(assigned)
    return ast.get_source_segment(source, flags) or ""


def test_every_os_open_of_a_file_is_binary() -> None:
    checked, offenders = 0, []
    for path in sorted([*(ROOT / "app").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        relative = path.relative_to(ROOT).as_posix()
        for function, call in _opens(tree):
            if (relative, function) in FOLDER_HANDLES:
                continue
            checked += 1
            if len(call.args) < 2 or "O_BINARY" not in _flags_source(tree, source, call.args[1]):
                offenders.append(f"{relative}:{call.lineno} ({function})")
    assert offenders == []
    assert checked >= 6  # the store's, backups', attachments' and private files' opens


def test_a_binary_flag_missing_is_found() -> None:
    source = "import os\ndef write(path):\n    return os.open(path, os.O_WRONLY | os.O_CREAT)\n"
    tree = ast.parse(source)
    [(function, call)] = _opens(tree)
    assert function == "write"
    assert "O_BINARY" not in _flags_source(tree, source, call.args[1])

"""Exports from the main window's menus: in the background with progress, a Cancel that
leaves no file, the list exported as it is filtered, and a case's record."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from PySide6.QtGui import QAction

from app.demo import fill_bulk
from app.queries import CaseFilter
from app.store import open_store
from tests.conftest import TODAY
from ui.main import build_main_window


def window_on(qtbot, path: Path, count: int):  # type: ignore[no-untyped-def]
    store = open_store(path)
    fill_bulk(store, count, today=TODAY)
    store.close()
    window = build_main_window(path, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_menus_offer_the_exports(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_on(qtbot, tmp_path / "s.sqlite", 10)
    names = {a.objectName() for a in window.findChildren(QAction)}
    assert {
        "actionToday",
        "actionReports",
        "actionSuppressionList",
        "actionExportCsv",
        "actionExportXlsx",
        "actionExportRecord",
        "actionReminderSettings",
    } <= names


def test_the_list_is_exported_as_filtered(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_on(qtbot, tmp_path / "s.sqlite", 300)
    window.set_filter(CaseFilter.CLOSED)
    expected = window.model.rowCount()
    target = tmp_path / "closed.xlsx"
    op = window.insight.export_list("xlsx", target)
    with qtbot.waitSignal(op.finished, timeout=30_000):
        pass
    book = openpyxl.load_workbook(target, read_only=True)
    rows = sum(1 for _ in book["Cases"].iter_rows())
    book.close()
    assert rows == expected + 1
    assert "Exported" in window.statusBar().currentMessage()


def test_cancel_leaves_no_file(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_on(qtbot, tmp_path / "s.sqlite", 5000)
    window.set_filter(CaseFilter.ALL)
    out = tmp_path / "out"
    out.mkdir()
    op = window.insight.export_list("csv", out / "all.csv")
    op.cancel()  # what the dialog's Cancel does
    with qtbot.waitSignal(op.finished, timeout=30_000):
        pass
    assert list(out.iterdir()) == []
    assert window.statusBar().currentMessage() == "Export cancelled; no file was written."


def test_the_open_case_record(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_on(qtbot, tmp_path / "s.sqlite", 5)
    window.select_case(1)
    saved = window.insight.export_record(tmp_path / "record.json")
    assert saved == tmp_path / "record.json"
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["case"]["reference"] == window.case_view.detail.reference
    assert "search_record" in data
    assert window.insight.export_record(tmp_path / "record.pdf").read_bytes().startswith(b"%PDF")

"""The window can show any requester's name: the shipped fonts are registered with Qt."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QLabel

from ui.fonts import register_bundled_fonts
from ui.main import build_main_window


def test_bundled_fonts_cover_cjk_and_arabic(qapp) -> None:  # type: ignore[no-untyped-def]
    families = register_bundled_fonts()
    assert {"DejaVu Sans", "Droid Sans Fallback", "Noto Sans Arabic"} <= set(families)
    assert QFontMetrics(QFont("Droid Sans Fallback")).inFontUcs4(ord("王"))
    assert QFontMetrics(QFont("Noto Sans Arabic")).inFontUcs4(ord("م"))
    systems = QFontDatabase.writingSystems("Droid Sans Fallback")
    assert QFontDatabase.WritingSystem.SimplifiedChinese in systems


def test_the_main_window_registers_them(qtbot, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(store_path)
    qtbot.addWidget(window)
    assert "Droid Sans Fallback" in QFontDatabase.families()
    label = QLabel("王小明 محمد")
    qtbot.addWidget(label)
    assert label.sizeHint().width() > 0

"""Help ▸ About lists every shipped component with its licence and the LGPL source offer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QPlainTextEdit

from ui.main import build_main_window


def test_help_about_lists_the_components_and_the_source_offer(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(tmp_path / "store.sqlite")
    qtbot.addWidget(window)
    assert window.action_about in window.menu_help.actions()
    window.action_about.trigger()
    dialog = window.findChild(QDialog, "aboutDialog")
    assert dialog is not None and dialog.isVisible()
    notices = dialog.findChild(QPlainTextEdit, "noticesText")
    text = notices.toPlainText()
    for name in ("PySide6", "shiboken6", "python-bidi", "SQLAlchemy", "python-oxmsg", "Python "):
        assert f"  - {name}" in text
    assert "SOURCE CODE OFFER" in text
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text
    # Every line can be read whole: a statement longer than the box wraps onto a second
    # line instead of running off the right edge.
    block = notices.document().find("  - PySide6 ").block()
    assert notices.blockBoundingRect(block).width() <= notices.viewport().width()
    assert block.layout().lineCount() > 1, block.text()
    dialog.close()

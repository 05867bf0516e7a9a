"""Help ▸ How deadlines are counted (F1) from the main window: the law cited, the ICO's
reading marked, for the organisation's own region and promise."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTextBrowser

from app.settings import OrgSettings, save_settings
from app.store import open_store
from tests.conftest import TODAY
from ui.deadline_help_dialog import DeadlineHelpDialog
from ui.main import build_main_window


def test_f1_opens_the_help_for_this_organisation(qtbot, store_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(store_path)
    try:
        save_settings(store, OrgSettings(region="northern-ireland", promise_days=28))
    finally:
        store.close()
    window = build_main_window(store_path, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.action_deadline_help in window.menu_help.actions()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window only
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, DeadlineHelpDialog))
    qtbot.waitExposed(dialog)
    shown = dialog.findChild(QTextBrowser, "deadlineHelpText").toPlainText()
    assert "UK GDPR Article 12(3)" in shown and "Article 12A" in shown
    assert "Following the ICO." in shown
    assert "Bank holidays are those of Northern Ireland" in shown
    assert "Our promise: 28 days" in shown
    dialog.grab().save(str(tmp_path / "deadline-help.png"))
    dialog.reject()


def test_text_in_the_help_stays_text(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    from app.deadline_help import HelpSection
    from ui.deadline_help_dialog import help_html

    html = help_html([HelpSection("<b>x</b> & y", "Article 1", ("<script>",), "a < b")])
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in html and "&lt;script&gt;" in html
    dialog = DeadlineHelpDialog(store)
    qtbot.addWidget(dialog)
    assert (
        dialog.findChild(QTextBrowser, "deadlineHelpText")
        .toPlainText()
        .startswith("The statutory deadline: one calendar month")
    )

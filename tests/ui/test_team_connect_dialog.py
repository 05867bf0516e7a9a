"""File ▸ Connect to a team server… on any engine (no server reached): every widget named,
the TLS rule explained for the host typed, a field that cannot be used said at the dialog
before anything touches the network. tests/team/test_connect_dialog.py reaches a real
server."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from app.team.address import parse_address
from app.team.connect import ServerFields
from tests.ui.test_accessibility import unnamed
from ui.team_connect import ConnectDialog, recent_servers, remember_server


def _dialog(qtbot, tmp_path: Path) -> tuple[ConnectDialog, list[object]]:  # type: ignore[no-untyped-def]
    asked: list[object] = []
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    dialog = ConnectDialog(settings, lambda store: asked.append(store))  # type: ignore[arg-type,return-value]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, asked


def test_every_widget_is_named_and_tls_is_explained_for_the_host_typed(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog, _ = _dialog(qtbot, tmp_path)
    assert unnamed(dialog) == []
    qtbot.keyClicks(dialog.host_edit, "db.example.org")
    assert "only over TLS" in dialog.tls_label.text()
    dialog.host_edit.clear()
    qtbot.keyClicks(dialog.host_edit, "127.0.0.1")
    assert "need not be encrypted" in dialog.tls_label.text()
    assert not dialog.progress.isVisible() and not dialog.stop_button.isVisible()
    # The test run has no real keyring: the box says so rather than keep it in a file.
    assert not dialog.remember_check.isEnabled()
    assert "asked for it each time you connect" in dialog.keyring_label.text()


def test_a_missing_field_is_said_at_the_dialog_without_reaching_for_the_server(
    qtbot, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    dialog, asked = _dialog(qtbot, tmp_path)
    qtbot.keyClicks(dialog.host_edit, "db.example.org")
    qtbot.keyClicks(dialog.database_edit, "dsar")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.op is None and asked == []
    assert "member name" in dialog.status_label.text()
    assert dialog.isVisible() and dialog.host_edit.text() == "db.example.org"


def test_recent_servers_fill_the_fields_and_never_hold_a_password(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    older = ServerFields("db.example.org", 5432, "dsar", "carl").address()
    newer = parse_address("postgresql://zoë:s3cret@team.example.org:6432/cases")
    remember_server(settings, older)
    remember_server(settings, newer)
    remember_server(settings, older)  # again: moves first, not twice
    assert len(recent_servers(settings)) == 2
    assert "s3cret" not in (tmp_path / "window.ini").read_text(encoding="utf-8")
    dialog, _ = _dialog(qtbot, tmp_path)
    assert dialog.recent_combo.count() == 3  # "type a new server" and the two
    assert dialog.member_edit.text() == "carl" and dialog.port_spin.value() == 5432
    dialog.recent_combo.setCurrentIndex(2)
    assert dialog.host_edit.text() == "team.example.org" and dialog.member_edit.text() == "zoë"
    assert dialog.port_spin.value() == 6432 and dialog.password_edit.text() == ""

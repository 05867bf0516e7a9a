"""File ▸ Connect to a team server…, driven like a member would, against a real PostgreSQL
server (and, for TLS, a real TLS handshake with a certificate from a CA this computer does
not trust): each failure is said at the dialog with what to fix, nothing typed is lost, and
on success the server's store opens in a window of its own while only the address (never
the password) is remembered."""

from __future__ import annotations

import os
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
import trustme
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import text

from app.team.address import KEYRING_SERVICE, parse_address
from app.team.connect import ServerFields
from app.team.roles import TeamRole, add_member
from app.team.server import ServerStore
from tests.engines import MEMBERS, PASSWORD, Cluster
from tests.mail import conftest as mail
from tests.ui.test_accessibility import unnamed
from ui.main import window_over
from ui.main_window import MainWindow
from ui.team_connect import ConnectDialog, install, recent_servers

pytestmark = pytest.mark.server_only

SHOTS = Path(os.environ.get("DSAR_SCREENSHOTS", "/nonexistent-screenshots-folder"))


# The in-memory keyring of the mail tests: the tests never touch the machine's own.
memory_keyring = mail.memory_keyring


@pytest.fixture
def database(server_databases: Iterator[str]) -> str:
    return next(server_databases)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def opened() -> Iterator[list[MainWindow]]:
    windows: list[MainWindow] = []
    yield windows
    for window in windows:
        window.close()


def _dialog(qtbot, settings: QSettings, opened: list[MainWindow]) -> ConnectDialog:  # type: ignore[no-untyped-def]
    def open_window(store: ServerStore) -> MainWindow:
        window = window_over(store)
        opened.append(window)
        return window

    dialog = ConnectDialog(settings, open_window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _fill(
    dialog: ConnectDialog, host: str, port: int, database: str, member: str, password: str
) -> None:
    dialog.recent_combo.setCurrentIndex(0)
    for edit, value in (
        (dialog.host_edit, host),
        (dialog.database_edit, database),
        (dialog.member_edit, member),
        (dialog.password_edit, password),
    ):
        edit.clear()
        edit.insert(value)  # typed, as a member would: no markup, no escaping
    dialog.port_spin.setValue(port)


def _address(cluster: Cluster) -> tuple[str, int]:
    address = parse_address(cluster.superuser_url)
    return address.host, address.port


def _finished(qtbot, dialog: ConnectDialog) -> str:  # type: ignore[no-untyped-def]
    assert dialog.op is not None
    qtbot.waitUntil(lambda: not dialog.op.running, timeout=30_000)  # type: ignore[union-attr]
    return dialog.status_label.text()


def _press(qtbot, dialog: ConnectDialog, button: QWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.progress.isVisible() or not dialog.op.running  # type: ignore[union-attr]


def test_connect_opens_the_server_and_remembers_the_address_not_the_password(
    qtbot, cluster: Cluster, database: str, settings: QSettings, opened, memory_keyring
) -> None:
    host, port = _address(cluster)
    dialog = _dialog(qtbot, settings, opened)
    assert unnamed(dialog) == []
    _fill(dialog, host, port, database, MEMBERS["dsar_caseworker"], PASSWORD)
    dialog.remember_check.setChecked(True)
    _press(qtbot, dialog, dialog.connect_button)
    qtbot.waitUntil(lambda: dialog.window_opened is not None, timeout=30_000)
    window = dialog.window_opened
    assert isinstance(window, MainWindow) and window.isVisible()
    assert window.store.on_server and window.store.role is TeamRole.CASEWORKER  # type: ignore[attr-defined]
    assert database in window.windowTitle() and PASSWORD not in window.windowTitle()
    assert dialog.result() == ConnectDialog.DialogCode.Accepted

    remembered = recent_servers(settings)
    assert len(remembered) == 1 and PASSWORD not in remembered[0]
    assert parse_address(remembered[0]).database == database
    settings.sync()
    assert PASSWORD not in Path(settings.fileName()).read_text(encoding="utf-8")
    user = parse_address(remembered[0]).keyring_user
    assert memory_keyring.passwords == {(KEYRING_SERVICE, user): PASSWORD}

    # Next time: the address is offered, the password is the keyring's, not shown.
    again = _dialog(qtbot, settings, opened)
    assert again.database_edit.text() == database and again.password_edit.text() == ""
    assert "keyring" in again.password_edit.placeholderText()
    assert again.remember_check.isChecked()
    _press(qtbot, again, again.test_button)
    assert "you are on the team as caseworker" in _finished(qtbot, again)
    assert again.window_opened is None and again.isVisible()  # Test opens no window


def test_unticking_remember_takes_the_password_out_of_the_keyring(
    qtbot, cluster: Cluster, database: str, settings: QSettings, opened, memory_keyring
) -> None:
    host, port = _address(cluster)
    address = ServerFields(host, port, database, MEMBERS["dsar_dpo"]).address()
    memory_keyring.set_password(KEYRING_SERVICE, address.keyring_user, "an old one")
    dialog = _dialog(qtbot, settings, opened)
    _fill(dialog, host, port, database, MEMBERS["dsar_dpo"], PASSWORD)
    dialog.remember_check.setChecked(False)
    _press(qtbot, dialog, dialog.connect_button)
    qtbot.waitUntil(lambda: dialog.window_opened is not None, timeout=30_000)
    assert memory_keyring.passwords == {}


def test_without_a_real_keyring_the_password_is_asked_each_time(
    qtbot, tmp_path: Path, settings: QSettings, opened
) -> None:
    from keyrings.alt.file import PlaintextKeyring

    class InTmp(PlaintextKeyring):  # type: ignore[misc]
        @property
        def file_path(self) -> str:
            return str(tmp_path / "keyring_pass.cfg")

    previous = keyring.get_keyring()
    keyring.set_keyring(InTmp())
    try:
        dialog = _dialog(qtbot, settings, opened)
        assert not dialog.remember_check.isEnabled() and not dialog.remember_check.isChecked()
        assert "plain file does not count" in dialog.keyring_label.text()
        assert "each time you connect" in dialog.keyring_label.text()
    finally:
        keyring.set_keyring(previous)


def test_a_wrong_password_is_said_at_the_dialog_and_nothing_typed_is_lost(
    qtbot, cluster: Cluster, database: str, settings: QSettings, opened
) -> None:
    host, port = _address(cluster)
    dialog = _dialog(qtbot, settings, opened)
    _fill(dialog, host, port, database, MEMBERS["dsar_dpo"], "not the password")
    _press(qtbot, dialog, dialog.connect_button)
    said = _finished(qtbot, dialog)
    assert "refused the member name" in said and "dana_dpo" in said
    assert "not the password" not in said
    assert dialog.isVisible() and dialog.window_opened is None and opened == []
    assert dialog.password_edit.text() == "not the password"
    assert dialog.database_edit.text() == database
    assert dialog.connect_button.isEnabled() and not dialog.progress.isVisible()
    assert recent_servers(settings) == []


def test_a_password_and_a_name_with_markup_and_unicode_are_data(
    qtbot, cluster: Cluster, database: str, settings: QSettings, opened, memory_keyring
) -> None:
    member, password = "Zoë O'Brien <b>&amp;</b>", "<&\"'> pässwörd 密码 Ελένη"
    admin = cluster.admin()
    try:
        with admin.connect() as c:
            c.execute(text("SELECT 1"))
            c.exec_driver_sql(f'DROP ROLE IF EXISTS "{member}"')
            add_member(c, member, password, TeamRole.CASEWORKER)
        host, port = _address(cluster)
        dialog = _dialog(qtbot, settings, opened)
        _fill(dialog, host, port, database, member, password)
        dialog.remember_check.setChecked(True)
        _press(qtbot, dialog, dialog.connect_button)
        qtbot.waitUntil(lambda: dialog.window_opened is not None, timeout=30_000)
        window = dialog.window_opened
        assert window is not None and window.store.actor == member  # type: ignore[attr-defined]
        assert member in window.windowTitle() and password not in window.windowTitle()
        assert list(memory_keyring.passwords.values()) == [password]
        assert password not in Path(settings.fileName()).read_text(encoding="utf-8")
        window.close()
        opened.clear()
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP ROLE IF EXISTS "{member}"')
        admin.dispose()


def test_a_role_outside_the_team_is_told_to_ask_the_dpo(
    qtbot, cluster: Cluster, database: str, settings: QSettings, opened
) -> None:
    outsider = f"outsider_{os.getpid()}"
    admin = cluster.admin()
    try:
        with admin.connect() as c:
            c.exec_driver_sql(f"DROP ROLE IF EXISTS {outsider}")
            c.exec_driver_sql(f"CREATE ROLE {outsider} LOGIN PASSWORD '{PASSWORD}'")
        host, port = _address(cluster)
        dialog = _dialog(qtbot, settings, opened)
        _fill(dialog, host, port, database, outsider, PASSWORD)
        _press(qtbot, dialog, dialog.connect_button)
        said = _finished(qtbot, dialog)
        assert "is not a member of the DSAR Desk team" in said and "Ask the DPO" in said
        assert dialog.window_opened is None and recent_servers(settings) == []
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f"DROP ROLE IF EXISTS {outsider}")
        admin.dispose()


def test_a_password_the_sign_in_cannot_use_is_said_not_sent(
    qtbot, cluster: Cluster, database: str, settings: QSettings, opened
) -> None:
    """PostgreSQL takes any password; pg8000's SCRAM sign-in refuses what SASLprep forbids
    (here an emoji, unassigned in Unicode 3.2): said at the dialog, not as a crash."""
    host, port = _address(cluster)
    dialog = _dialog(qtbot, settings, opened)
    _fill(dialog, host, port, database, MEMBERS["dsar_dpo"], "key 🔑")
    _press(qtbot, dialog, dialog.test_button)
    said = _finished(qtbot, dialog)
    assert "characters the server's secure sign-in (SCRAM) cannot use" in said
    assert "🔑" not in said


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_server_is_said_at_the_dialog(
    qtbot, database: str, settings: QSettings, opened
) -> None:
    dialog = _dialog(qtbot, settings, opened)
    _fill(dialog, "127.0.0.1", _free_port(), database, "dana_dpo", PASSWORD)
    _press(qtbot, dialog, dialog.test_button)
    said = _finished(qtbot, dialog)
    assert said.startswith("Nothing answered at 127.0.0.1:") and "port" in said


def test_a_database_not_set_up_for_dsar_desk_is_said(
    qtbot, cluster: Cluster, settings: QSettings, opened
) -> None:
    host, port = _address(cluster)
    name = f"plain_{os.getpid()}"
    admin = cluster.admin()
    try:
        with admin.connect() as c:
            c.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            c.exec_driver_sql(f"CREATE DATABASE {name}")
        dialog = _dialog(qtbot, settings, opened)
        _fill(dialog, host, port, name, MEMBERS["dsar_dpo"], PASSWORD)
        _press(qtbot, dialog, dialog.test_button)
        assert "not set up for DSAR Desk" in _finished(qtbot, dialog)
        _fill(dialog, host, port, f"{name}_absent", MEMBERS["dsar_dpo"], PASSWORD)
        _press(qtbot, dialog, dialog.test_button)
        assert f"has no database named “{name}_absent”" in _finished(qtbot, dialog)
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


HTTP_ANSWER = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"


class Listener:
    """Something on a TCP port that is not a DSAR Desk server: it answers PostgreSQL's
    TLS request with a handshake (`tls`), speaks HTTP (`http`), or never answers (`mute`)."""

    def __init__(self, mode: str, host: str, context: ssl.SSLContext | None = None) -> None:
        self.mode, self.context = mode, context
        self.sock = socket.create_server((host, 0))
        self.port = int(self.sock.getsockname()[1])
        self.held: list[socket.socket] = []
        self.handshakes: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            try:
                self._answer(conn)
            except (OSError, ssl.SSLError) as error:
                self.handshakes.append(type(error).__name__)
            finally:
                if self.mode != "mute":
                    conn.close()

    def _answer(self, conn: socket.socket) -> None:
        if self.mode == "mute":
            return  # keep it open, say nothing
        if self.mode == "http":
            conn.recv(1024)  # PostgreSQL's startup message
            conn.sendall(HTTP_ANSWER)
            return
        conn.recv(8)  # PostgreSQL's request for TLS
        conn.sendall(b"S")
        assert self.context is not None
        with self.context.wrap_socket(conn, server_side=True) as wrapped:
            self.handshakes.append("done")
            wrapped.recv(1024)  # the startup message, encrypted
            wrapped.sendall(HTTP_ANSWER)

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def _remote_name() -> str:
    """A name for this computer that the address rules treat as another host (only
    'localhost' and loopback addresses count as this computer), so TLS is required."""
    name = socket.gethostname()
    try:
        socket.getaddrinfo(name, 5432, type=socket.SOCK_STREAM)
    except OSError:
        pytest.skip("this computer's own name does not resolve")
    assert not ServerFields(name, 5432, "d", "r").address().local
    return name


def test_a_certificate_this_computer_does_not_trust_is_a_tls_failure_said_at_the_dialog(
    qtbot, tmp_path: Path, database: str, settings: QSettings, opened
) -> None:
    name = _remote_name()
    ca = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(name).configure_cert(context)
    resolved = socket.getaddrinfo(name, 5432, type=socket.SOCK_STREAM)[0][4][0]
    listener = Listener("tls", resolved, context)
    try:
        dialog = _dialog(qtbot, settings, opened)
        assert "only over TLS" in dialog.tls_label.text()
        _fill(dialog, name, listener.port, database, "dana_dpo", PASSWORD)
        assert "checks the server's certificate" in dialog.tls_label.text()
        _press(qtbot, dialog, dialog.test_button)
        said = _finished(qtbot, dialog)
        assert "certificate this computer cannot trust" in said, said
        assert "did not send your password" in said
        # With the team's own certificate authority chosen, the certificate is trusted:
        # TLS gets through, and what is behind it is said instead.
        ca_file = tmp_path / "team-ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        dialog.ca_edit.setText(str(ca_file))
        _press(qtbot, dialog, dialog.test_button)
        assert "not as a PostgreSQL server does" in _finished(qtbot, dialog)
        assert "done" in listener.handshakes
    finally:
        listener.close()


def test_a_server_without_tls_off_this_computer_is_refused_at_the_dialog(
    qtbot, cluster: Cluster, database: str, settings: QSettings, opened
) -> None:
    """The test cluster itself (no TLS), reached by a name that is not 'this computer'."""
    name = _remote_name()
    _, port = _address(cluster)
    if socket.getaddrinfo(name, port)[0][4][0] != "127.0.0.1":
        pytest.skip("this computer's name does not lead to the test cluster (127.0.0.1)")
    dialog = _dialog(qtbot, settings, opened)
    _fill(dialog, name, port, database, MEMBERS["dsar_dpo"], PASSWORD)
    _press(qtbot, dialog, dialog.test_button)
    said = _finished(qtbot, dialog)
    assert "does not offer TLS" in said and "switch TLS on" in said


def test_something_that_is_not_postgresql_is_said(
    qtbot, database: str, settings: QSettings, opened
) -> None:
    listener = Listener("http", "127.0.0.1")
    try:
        dialog = _dialog(qtbot, settings, opened)
        _fill(dialog, "127.0.0.1", listener.port, database, "dana_dpo", PASSWORD)
        _press(qtbot, dialog, dialog.test_button)
        assert "not as a PostgreSQL server does" in _finished(qtbot, dialog)
    finally:
        listener.close()


def test_cancel_stops_waiting_for_a_server_that_never_answers(
    qtbot, database: str, settings: QSettings, opened
) -> None:
    listener = Listener("mute", "127.0.0.1")
    try:
        dialog = _dialog(qtbot, settings, opened)
        _fill(dialog, "127.0.0.1", listener.port, database, "dana_dpo", PASSWORD)
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        assert dialog.progress.isVisible() and dialog.stop_button.isVisible()
        assert not dialog.connect_button.isEnabled() and not dialog.host_edit.isEnabled()
        qtbot.waitUntil(lambda: bool(listener.held), timeout=10_000)  # the driver is waiting
        qtbot.wait(200)  # the window keeps answering meanwhile (the UI thread is free)
        qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
        assert dialog.status_label.text() == "Cancelled: not connected."
        assert not dialog.progress.isVisible() and dialog.connect_button.isEnabled()
        assert dialog.host_edit.text() == "127.0.0.1" and dialog.isVisible()
    finally:
        listener.close()  # the worker's connection ends; its answer is dropped unused
    qtbot.waitUntil(lambda: not dialog.op.running, timeout=30_000)  # type: ignore[union-attr]
    assert dialog.status_label.text() == "Cancelled: not connected." and opened == []


def test_the_file_menu_offers_the_dialog(
    qtbot, cluster: Cluster, database: str, memory_keyring
) -> None:
    from ui.main import build_main_window

    window = build_main_window(cluster.url(database, "dsar_dpo"))
    qtbot.addWidget(window)
    try:
        action = window.action_connect_team_server  # type: ignore[attr-defined]
        names = [a.objectName() for a in window.menu_file.actions()]
        at = names.index("actionConnectTeamServer")
        assert names[at - 1] == "" and names[at + 1 :] == ["actionQuit"]  # apart, above Quit
        assert install is not None
        action.trigger()
        dialog = window.connect_dialog  # type: ignore[attr-defined]
        assert isinstance(dialog, ConnectDialog) and dialog.isVisible()
        if SHOTS.is_dir():
            dialog.recent_combo.setCurrentIndex(0)
            dialog.host_edit.setText("db.example.org")
            dialog.database_edit.setText("dsar")
            dialog.member_edit.setText("carl_caseworker")
            dialog.password_edit.setText("secret")
            dialog._say(  # what a member sees after a wrong password
                "The server refused the member name “carl_caseworker” or its password. "
                "Check both (the password is case-sensitive); the DPO can set a new one.",
                ok=False,
            )
            dialog.adjustSize()
            dialog.grab().save(str(SHOTS / "team_connect.png"))
        dialog.close()
    finally:
        window.close()


def test_store_option_remembers_the_server_for_the_dialog_without_its_password(
    qtbot, cluster: Cluster, database: str
) -> None:
    from ui.main import launch, window_settings

    started = launch(["--store", cluster.url(database, "dsar_viewer")])
    assert not isinstance(started, int)
    window, _ = started
    qtbot.addWidget(window)
    try:
        remembered = recent_servers(window_settings())[0]
        assert PASSWORD not in remembered
        assert parse_address(remembered).role == MEMBERS["dsar_viewer"]
        assert parse_address(remembered).database == database
    finally:
        window.close()

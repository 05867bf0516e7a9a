"""File ▸ Connect to a team server…: the team's shared store, without typing an address.

The fields make the same `postgresql://` address `--store` takes (app.team.connect), so the
rules are the same: TLS with the certificate checked for any host not on this computer, the
member's own role, and a password that is never written to a settings file. "Remember the
password" keeps it in the OS keyring (app.team.address), and only a real keyring: a backend
that keeps secrets in a plain file counts as none, and the box says so.

Test connection and Connect reach the server on a worker thread (ui.ops): a server out of
reach takes up to the driver's timeout to say so, and the window must not freeze meanwhile.
Cancel abandons the attempt; a store opened after Cancel is closed unused. On Connect the
store opens in a new main window, built as for `--store postgresql://…` (ui.main), and the
address (never the password) is remembered for next time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.mail.settings import keyring_problem
from app.team.address import AddressError, ServerAddress, forget_password, keep_password
from app.team.connect import (
    DEFAULT_PORT,
    ConnectFailure,
    ServerFields,
    fields_of,
    open_member_store,
)
from app.team.server import ServerStore
from ui.forms import ERROR_STYLE, name_widget, named_button, plain_label
from ui.ops import Op, run_in_background

RECENT_KEY = "stores/servers"
RECENT_KEPT = 10
OK_STYLE = "color: #0b6a0b;"
# The windows this dialog opened: kept alive (a top-level window without a parent would be
# collected) until they are closed; main() closes what is left at exit.
_OPENED: list[QMainWindow] = []

_LOCAL_WORDS = "This server is on this computer, so the connection need not be encrypted."
_REMOTE_WORDS = (
    "The server is not on this computer, so DSAR Desk connects only over TLS and checks the "
    "server's certificate: your password and the team's cases never cross the network "
    "unencrypted, and an impostor cannot pose as the server."
)


def remember_server(settings: QSettings, address: ServerAddress) -> None:
    """Put the address (never the password) first among the recent team servers."""
    kept = address.without_password()
    settings.setValue(
        RECENT_KEY, [kept, *(a for a in recent_servers(settings) if a != kept)][:RECENT_KEPT]
    )
    settings.sync()


def recent_servers(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value or []]


class ConnectDialog(QDialog):
    """Host, port, database, member name and password; Test connection; Connect."""

    def __init__(
        self,
        settings: QSettings,
        open_window: Callable[[ServerStore], QMainWindow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teamConnectDialog")
        self.setAccessibleName("Connect to a team server")
        self.setWindowTitle("Connect to a team server")
        self.settings = settings
        self._open_window = open_window
        self.op: Op | None = None
        self._cancelled: threading.Event | None = None
        self.window_opened: QMainWindow | None = None
        self._has_recent = False
        self._keyring_problem: str | None = None

        intro = plain_label(
            "Work on the privacy team's shared cases, kept on a PostgreSQL server. Whoever set "
            "the server up gives you its address, the database and your member name.",
            "teamConnectIntro",
        )
        intro.setAccessibleName("About team servers")
        self.recent_combo = QComboBox()
        name_widget(self.recent_combo, "recentServerCombo", "Recent team servers")
        self.recent_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.host_edit = self._line("hostEdit", "Server (host)", "db.example.org")
        self.port_spin = QSpinBox()
        name_widget(self.port_spin, "portSpin", "Port")
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(DEFAULT_PORT)
        self.port_spin.setGroupSeparatorShown(False)
        self.database_edit = self._line("databaseEdit", "Database", "dsar")
        self.member_edit = self._line("memberEdit", "Member name", "your PostgreSQL role")
        self.password_edit = self._line("passwordEdit", "Password", "")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox("&Remember the password in this computer's keyring")
        name_widget(self.remember_check, "rememberPasswordCheck", "Remember the password")
        self.ca_edit = self._line(
            "caFileEdit", "Certificate authority file", "only if your team runs its own"
        )
        self.ca_button = named_button(
            "C&hoose…",
            "caFileButton",
            "Choose the certificate authority file",
            self._choose_ca,
            auto_default=False,
        )
        self.tls_label = plain_label("", "tlsExplanationLabel")
        self.tls_label.setAccessibleName("Why TLS")
        self.keyring_label = plain_label("", "keyringNoteLabel")
        self.keyring_label.setAccessibleName("The keyring")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_button)
        rows: tuple[tuple[str, QWidget, QWidget | QHBoxLayout], ...] = (
            ("Re&cent:", self.recent_combo, self.recent_combo),
            ("&Server:", self.host_edit, self.host_edit),
            ("&Port:", self.port_spin, self.port_spin),
            ("&Database:", self.database_edit, self.database_edit),
            ("&Member name:", self.member_edit, self.member_edit),
            ("Pass&word:", self.password_edit, self.password_edit),
        )
        for caption, buddy, field in rows:
            form.addRow(_caption(caption, buddy), field)
        form.addRow("", self.remember_check)
        form.addRow(_caption("Certificate &authority:", self.ca_edit), ca_row)

        self.progress = QProgressBar()
        name_widget(self.progress, "connectProgress", "Connecting")
        self.progress.setRange(0, 0)  # busy: the driver says nothing until it is done
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(self.fontMetrics().height())
        self.status_label = plain_label("", "connectStatusLabel")
        self.status_label.setAccessibleName("Connection status")
        self.stop_button = named_button(
            "Ca&ncel", "cancelTestButton", "Cancel connecting", self.cancel, auto_default=False
        )
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.progress, 1)
        busy_row.addWidget(self.stop_button)

        self.test_button = named_button(
            "&Test connection",
            "testConnectionButton",
            "Test connection",
            self.test,
            auto_default=False,
        )
        self.connect_button = named_button(
            "C&onnect", "connectButton", "Connect", self.connect_to_server
        )
        self.connect_button.setDefault(True)
        self.close_button = named_button(
            "Close", "closeButton", "Close", self.reject, auto_default=False
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.connect_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        # Full width, outside the form: a wrapped label in a form's field column is given
        # the height of one line and clipped.
        layout.addWidget(self.keyring_label)
        layout.addSpacing(4)
        layout.addWidget(self.tls_label)
        layout.addSpacing(4)
        layout.addLayout(busy_row)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self._fill_recent()
        self.recent_combo.currentIndexChanged.connect(self._use_recent)
        self.host_edit.textChanged.connect(self._explain_tls)
        self._explain_keyring()
        self._set_busy(False)
        self._explain_tls()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 78)

    def _line(self, object_name: str, accessible_name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        name_widget(edit, object_name, accessible_name)
        edit.setPlaceholderText(placeholder)
        return edit

    # -- what the fields say ---------------------------------------------------------------

    def fields(self) -> ServerFields:
        return ServerFields(
            host=self.host_edit.text(),
            port=self.port_spin.value(),
            database=self.database_edit.text(),
            member=self.member_edit.text(),
            ca_file=self.ca_edit.text(),
        )

    def _fill_recent(self) -> None:
        self.recent_combo.blockSignals(True)
        self.recent_combo.clear()
        recent = [(a, f) for a in recent_servers(self.settings) if (f := fields_of(a))]
        self.recent_combo.addItem("(type a new server below)", None)
        for address, fields in recent:
            self.recent_combo.addItem(fields.address().display, address)
        self._has_recent = bool(recent)
        self.recent_combo.setEnabled(self._has_recent)
        self.recent_combo.blockSignals(False)
        if recent:
            self.recent_combo.setCurrentIndex(1)
            self._use_recent(1)

    def _use_recent(self, index: int) -> None:
        fields = fields_of(self.recent_combo.itemData(index) or "")
        if fields is None:
            return
        self.host_edit.setText(fields.host)
        self.port_spin.setValue(fields.port)
        self.database_edit.setText(fields.database)
        self.member_edit.setText(fields.member)
        self.ca_edit.setText(fields.ca_file)
        self.password_edit.clear()
        from app.team.address import password_from_keyring

        kept = password_from_keyring(fields.address()) is not None
        self.password_edit.setPlaceholderText("kept in this computer's keyring" if kept else "")
        self.remember_check.setChecked(kept)

    def _explain_tls(self) -> None:
        host = self.host_edit.text().strip()
        if not host:
            self.tls_label.setText(_REMOTE_WORDS)
            return
        local = ServerAddress(host, 1, "d", "r").local
        self.tls_label.setText(_LOCAL_WORDS if local else _REMOTE_WORDS)

    def _explain_keyring(self) -> None:
        problem = keyring_problem()
        self._keyring_problem = problem
        if problem:
            problem = problem.replace("each time you send", "each time you connect")
            self.remember_check.setChecked(False)
            self.remember_check.setEnabled(False)
            self.remember_check.setToolTip(problem)
        self.keyring_label.setText(problem or "")
        self.keyring_label.setVisible(bool(problem))

    def _choose_ca(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "The team's certificate authority", "", "Certificates (*.pem *.crt);;All (*)"
        )
        if chosen:
            self.ca_edit.setText(chosen)

    # -- reaching the server ---------------------------------------------------------------

    def test(self) -> Op | None:
        """Open the store and close it again: are the fields right?"""
        return self._reach(keep=False)

    def connect_to_server(self) -> Op | None:
        """Open the store and hand it to a new window; remember the address."""
        return self._reach(keep=True)

    def _reach(self, *, keep: bool) -> Op | None:
        if self.op is not None and self.op.running:
            return None
        try:
            address = self.fields().address()
        except AddressError as error:
            self._say(str(error), ok=False)
            return None
        password = self.password_edit.text()
        cancelled = threading.Event()
        self._cancelled = cancelled

        def work() -> ServerStore | str:
            store = open_member_store(address, password)
            if keep and not cancelled.is_set():
                return store
            role = store.role.label if store.role else "member"
            store.close()
            return role

        def done(result: ServerStore | str) -> None:
            self._set_busy(False)
            if cancelled.is_set():
                if isinstance(result, ServerStore):
                    result.close()
                return
            if isinstance(result, str):
                self._say(
                    f"Connected: the team's store is there, and you are on the team as {result}.",
                    ok=True,
                )
                return
            self._opened(address, password, result)

        def failed(error: Exception) -> None:
            self._set_busy(False)
            if cancelled.is_set():
                return
            if isinstance(error, ConnectFailure):
                self._say(error.message, ok=False)
            else:  # a fault of ours, not the member's: say what, never a password
                self._say(f"DSAR Desk could not connect ({type(error).__name__}).", ok=False)

        self._set_busy(True)
        self._say(f"Connecting to {address.host}:{address.port}…", ok=None)
        self.op = run_in_background(self, work, success=done, failure=failed)
        return self.op

    def cancel(self) -> None:
        """Stop waiting for the server; what it answers later is closed unused."""
        if self._cancelled is not None:
            self._cancelled.set()
        self._set_busy(False)
        self._say("Cancelled: not connected.", ok=None)

    def _opened(self, address: ServerAddress, password: str, store: ServerStore) -> None:
        note = ""
        if password and self.remember_check.isChecked():
            if not keep_password(address, password):
                note = " The password could not be kept in the keyring: you will be asked again."
        elif not self.remember_check.isChecked():
            forget_password(address)
        remember_server(self.settings, address)
        try:
            window = self._open_window(store)
        except Exception:
            store.close()
            raise
        _OPENED.append(window)
        window.destroyed.connect(lambda *_: _OPENED.remove(window) if window in _OPENED else None)
        self.window_opened = window
        window.show()
        if note:
            window.statusBar().showMessage(note.strip(), 30_000)
        self.accept()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)
        self.test_button.setEnabled(not busy)
        self.connect_button.setEnabled(not busy)
        fields: tuple[QWidget, ...] = (
            self.recent_combo,
            self.host_edit,
            self.port_spin,
            self.database_edit,
            self.member_edit,
            self.password_edit,
            self.ca_edit,
            self.ca_button,
        )
        for field in fields:  # what is being tried stays what is shown
            field.setEnabled(not busy and (field is not self.recent_combo or self._has_recent))
        self.remember_check.setEnabled(not busy and not self._keyring_problem)

    def _say(self, text: str, *, ok: bool | None) -> None:
        self.status_label.setText(text)
        self.status_label.setAccessibleDescription(text)
        self.status_label.setStyleSheet("" if ok is None else OK_STYLE if ok else ERROR_STYLE)

    def reject(self) -> None:
        self.cancel_quietly()
        super().reject()

    def cancel_quietly(self) -> None:
        if self._cancelled is not None:
            self._cancelled.set()


def _caption(text: str, buddy: QWidget) -> QLabel:
    """A form caption whose mnemonic (Alt+letter) moves the keyboard to its field."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def opened_windows() -> list[QMainWindow]:
    """Windows this dialog opened, still alive (main() closes them at exit)."""
    import shiboken6

    return [w for w in _OPENED if shiboken6.isValid(w)]


def open_connect_dialog(
    parent: QWidget, settings: QSettings, *, today: Callable[[], date] = date.today
) -> ConnectDialog:
    """File ▸ Connect to a team server…: window-modal, not blocking."""
    from ui.main import window_over

    dialog = ConnectDialog(settings, lambda store: window_over(store, today=today), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def install(window: QMainWindow) -> QAction:
    """File ▸ Connect to a team server… (just above Quit, apart from the rest: it opens
    another store, it is not work on this one), opening the dialog over the window; the
    server's store opens in a window of its own beside this one."""
    action = QAction("Connect to a &team server…", window)
    action.setObjectName("actionConnectTeamServer")
    action.setToolTip("Open the privacy team's shared store on a PostgreSQL server")
    today = getattr(window, "_today", date.today)
    settings = getattr(window, "settings", None)

    def show() -> None:
        from ui.main import window_settings

        window.connect_dialog = open_connect_dialog(  # type: ignore[attr-defined]
            window, settings if settings is not None else window_settings(), today=today
        )

    action.triggered.connect(show)
    menu = window.menu_file  # type: ignore[attr-defined]
    actions = menu.actions()
    quit_action = window.action_quit  # type: ignore[attr-defined]
    following = quit_action if quit_action in actions else None
    at = actions.index(following) if following is not None else len(actions)
    if at == 0 or not actions[at - 1].isSeparator():
        menu.insertSeparator(following) if following is not None else menu.addSeparator()
    menu.insertAction(following, action) if following is not None else menu.addAction(action)
    window.action_connect_team_server = action  # type: ignore[attr-defined]
    return action

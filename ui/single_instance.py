"""One DSAR Desk per store: a second launch on the same store raises the window that is
already open instead of opening another; a store held by a desk on another computer (or one
that does not answer) opens read-only, saying so.

The claim is a lock file beside the store (`<store>.lock`, Qt's QLockFile: process id and
host name, stale once that process is gone) plus a local socket, private to the user, named
after the store's path, on which the running desk listens for "raise". The lock file is a
file of its own: taking or dropping it never touches the store or SQLite's locks on it.
"""

from __future__ import annotations

import hashlib
import os
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QEvent, QLockFile, QObject, QSysInfo, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

RAISE = b"raise\n"
ANSWER = b"raised\n"
WAIT_MS = 3000  # a busy desk still answers in time; only a hung one is waited for


class Claim(Enum):
    OURS = "ours"  # this process has the store; it listens for later launches
    RAISED = "raised"  # a desk on this computer has it and came to the front
    ELSEWHERE = "elsewhere"  # held by a desk that did not answer (another computer)


def lock_path(store_path: Path) -> Path:
    return Path(f"{Path(store_path).absolute()}.lock")


def server_name(store_path: Path) -> str:
    """Per user and per store, short enough for a Unix socket path."""
    where = os.path.normcase(str(Path(store_path).expanduser().absolute().resolve()))
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return f"dsar-desk-{user}-{hashlib.sha256(where.encode()).hexdigest()[:20]}"


class StoreClaim(QObject):
    """Claim a store for this process, or learn who has it."""

    raiseRequested = Signal()

    def __init__(self, store_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storeClaim")
        self.store_path = Path(store_path)
        self.name = server_name(store_path)
        self._lock = QLockFile(str(lock_path(store_path)))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self._server: QLocalServer | None = None
        self.holder = ""  # who has the store, when Claim.ELSEWHERE

    def claim(self) -> Claim:
        if self._lock.tryLock(100):
            self._listen()
            return Claim.OURS
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            # No lock file can be made here (a read-only folder): a desk on this computer
            # may still answer; otherwise go on unclaimed, as the folder allows nothing else.
            return Claim.RAISED if ask_running_desk_to_raise(self.name) else Claim.OURS
        pid, host = _lock_info(self._lock)
        if host in ("", QSysInfo.machineHostName()) and ask_running_desk_to_raise(self.name):
            return Claim.RAISED
        self.holder = f"DSAR Desk on {host} (process {pid})" if host else "another DSAR Desk"
        return Claim.ELSEWHERE

    def watch_window(self, window: QObject) -> None:
        """Release the claim when the window closes, and raise it when asked."""
        window.installEventFilter(self)
        self.raiseRequested.connect(lambda: _bring_to_front(window))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.release()
        return super().eventFilter(watched, event)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    def _listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.name)  # a socket left by a crash; we hold the lock
        if not server.listen(self.name):
            return  # raising will not work, but the store is still ours
        server.newConnection.connect(lambda: self._answer(server))
        self._server = server

    def _answer(self, server: QLocalServer) -> None:
        while server.hasPendingConnections():
            socket = server.nextPendingConnection()

            def on_ready(sock: QLocalSocket = socket) -> None:
                if bytes(sock.readAll().data()).startswith(RAISE):
                    self.raiseRequested.emit()
                    sock.write(ANSWER)
                    sock.flush()
                sock.disconnectFromServer()

            socket.readyRead.connect(on_ready)
            socket.disconnected.connect(socket.deleteLater)


def _lock_info(lock: QLockFile) -> tuple[int, str]:
    """(pid, host) of the lock's holder; PySide returns (pid, host, app), or a leading
    success flag in some versions."""
    info = lock.getLockInfo()
    if not isinstance(info, tuple):
        return 0, ""
    if len(info) == 4:
        info = info[1:]
    if len(info) != 3:
        return 0, ""
    pid, host, _app = info
    return int(pid or 0), str(host or "")


def ask_running_desk_to_raise(name: str) -> bool:
    """True when a desk listening under `name` answered that it came to the front."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(WAIT_MS):
        return False
    socket.write(RAISE)
    socket.waitForBytesWritten(WAIT_MS)
    answered = socket.waitForReadyRead(WAIT_MS) and bytes(socket.readAll().data()) == ANSWER
    socket.disconnectFromServer()
    return answered


def _bring_to_front(window: QObject) -> None:
    if window.isMinimized():  # type: ignore[attr-defined]
        window.showNormal()  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    window.raise_()  # type: ignore[attr-defined]
    window.activateWindow()  # type: ignore[attr-defined]

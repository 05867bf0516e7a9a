"""The tray icon, the daily desktop notification and the daily digest email.

The icon shows how many reminders need doing today. Once a day, from the set time (or at
the first start after it), a desktop notification says so, and, if switched on, the digest
goes to the DPO's own address through the configured SMTP server (off the UI thread; a
failure is said once, in the notification area and the status bar, and tried again the next
day). Closing the window can keep the app running in the tray (a setting; where the desktop
has no tray, the window closes as usual).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSystemTrayIcon

from app.notify import (
    LAST_DIGEST,
    LAST_NOTIFIED,
    NotifySettings,
    due_now,
    last_done,
    load_notify_settings,
    mark_done,
    notification_text,
    send_digest,
)
from app.reminders import due_reminders
from app.store import Store, StoreError
from ui.ops import run_in_background


def tray_icon(count: int, size: int = 64) -> QIcon:
    """A blue folder-like square with today's count in a vermillion badge."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#0072B2"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(4, 10, size - 8, size - 16), 8, 8)
    painter.setPen(QColor("white"))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.42))
    painter.setFont(font)
    painter.drawText(QRectF(4, 10, size - 8, size - 16), Qt.AlignmentFlag.AlignCenter, "D")
    if count:
        painter.setBrush(QColor("#D55E00"))
        painter.setPen(Qt.PenStyle.NoPen)
        badge = QRectF(size * 0.48, 0, size * 0.52, size * 0.52)
        painter.drawEllipse(badge)
        painter.setPen(QColor("white"))
        font.setPixelSize(int(size * (0.3 if count < 10 else 0.22)))
        painter.setFont(font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
    painter.end()
    return QIcon(pixmap)


class Tray(QObject):
    messageShown = Signal(str, str)  # title, text: every notification, as it was shown
    digestFinished = Signal(bool, str)  # sent?, what to say
    openTodayRequested = Signal()

    def __init__(
        self,
        window: QMainWindow,
        store: Store,
        *,
        now: Callable[[], datetime] = datetime.now,
        today: Callable[[], date] = date.today,
        available: bool | None = None,
    ) -> None:
        super().__init__(window)
        self.setObjectName("trayNotifier")
        self.window = window
        self.store = store
        self.now = now
        self.today = today
        self.available = QSystemTrayIcon.isSystemTrayAvailable() if available is None else available
        self.count = 0
        self.quitting = False
        self._digest_failed_on: date | None = None
        self._digest_running = False

        self.icon = QSystemTrayIcon(tray_icon(0), self)
        self.icon.setObjectName("trayIcon")
        self.icon.setToolTip("DSAR Desk")
        menu = QMenu(window)
        menu.setObjectName("trayMenu")
        self.action_show = QAction("&Open DSAR Desk", self)
        self.action_show.setObjectName("actionTrayShow")
        self.action_show.triggered.connect(self.show_window)
        self.action_today = QAction("&Today…", self)
        self.action_today.setObjectName("actionTrayToday")
        self.action_today.triggered.connect(self.openTodayRequested)
        self.action_quit = QAction("&Quit", self)
        self.action_quit.setObjectName("actionTrayQuit")
        self.action_quit.triggered.connect(self.quit)
        menu.addActions([self.action_show, self.action_today])
        menu.addSeparator()
        menu.addAction(self.action_quit)
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self.openTodayRequested)
        if QSystemTrayIcon.isSystemTrayAvailable():  # the platform's own answer, not a test's
            self.icon.show()

        window.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(60_000)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    # -- the count --------------------------------------------------------------------------

    def show_count(self, count: int) -> None:
        self.count = count
        self.icon.setIcon(tray_icon(count))
        if count:
            tip = f"DSAR Desk: {count} reminder{'s' if count != 1 else ''} to do today"
        else:
            tip = "DSAR Desk: nothing to do today"
        self.icon.setToolTip(tip)

    # -- once a day -------------------------------------------------------------------------

    def settings(self) -> NotifySettings:
        return load_notify_settings(self.store)

    def check(self) -> None:
        """Run by the minute timer: notify and send the digest when their time has come.

        A store that cannot be read just now (locked, being restored, gone) skips this
        minute: the window says what is wrong where the DPO is working, not from a timer."""
        try:
            self._check()
        except StoreError:
            return

    def _check(self) -> None:
        settings = self.settings()
        moment = self.now()
        if settings.desktop_notification and due_now(
            settings, moment, last_done(self.store, LAST_NOTIFIED)
        ):
            mark_done(self.store, LAST_NOTIFIED, moment.date())
            title, text = notification_text(due_reminders(self.store, on=self.today()))
            self.notify(title, text)
        if (
            settings.digest_enabled
            and not self._digest_running
            and self._digest_failed_on != moment.date()
            and due_now(settings, moment, last_done(self.store, LAST_DIGEST))
        ):
            self.send_digest_now()

    def notify(self, title: str, text: str) -> None:
        self.icon.showMessage(title, text, tray_icon(self.count), 15_000)
        self.messageShown.emit(title, text)

    def send_digest_now(self) -> None:
        store, on = self.store, self.today()
        self._digest_running = True

        def done(message: str) -> None:
            self._digest_running = False
            self.digestFinished.emit(True, message)

        def failed(error: Exception) -> None:
            self._digest_running = False
            self._digest_failed_on = self.now().date()
            text = f"The daily digest could not be sent: {error}"
            self.notify("DSAR Desk", text)
            self.digestFinished.emit(False, text)

        run_in_background(self, lambda: send_digest(store, on=on), success=done, failure=failed)

    # -- the window -------------------------------------------------------------------------

    def keeps_running(self) -> bool:
        """Closing the window hides it to the tray (only where there is a tray)."""
        if not self.available or self.quitting:
            return False
        choice = self.settings().close_to_tray
        return True if choice is None else choice

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and self.keeps_running():
            event.ignore()
            self.window.hide()
            self.notify("DSAR Desk", "DSAR Desk keeps running here; Quit from this menu.")
            return True
        return super().eventFilter(watched, event)

    def show_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_window()

    def quit(self) -> None:
        self.quitting = True
        self.timer.stop()
        self.icon.hide()
        self.window.close()
        QApplication.quit()

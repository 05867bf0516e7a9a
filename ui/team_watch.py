"""On a team server, a timer asks every few seconds which cases other members changed
(app.team.changes) and announces them as if they had been changed here, so the list, the
counts and an open case refresh by themselves."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from app.store import Store, StoreError
from app.team.changes import changed_since, latest_mark
from ui.signals import StoreSignals

INTERVAL_MS = 3000


class ServerWatch(QObject):
    def __init__(self, parent: QObject, store: Store, signals: StoreSignals) -> None:
        super().__init__(parent)
        self.setObjectName("serverWatch")
        self.store = store
        self.signals = signals
        self.mark = latest_mark(store)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.look)
        self.timer.start()

    def look(self) -> None:
        try:
            self.mark, changed = changed_since(self.store, self.mark)
        except StoreError:
            return  # the server is out of reach for now; the next look tries again
        for case_id in changed:
            self.signals.case_changed.emit(case_id)


def watch_server(parent: QObject, store: Store, signals: StoreSignals) -> ServerWatch | None:
    return ServerWatch(parent, store, signals) if store.on_server else None

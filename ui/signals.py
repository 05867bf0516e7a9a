"""One object that announces what changed in the store, so each view decides whether to
refresh (qutebrowser's `changed` signal, Anki's change notifications). Passed through
constructors; there is no global instance."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class StoreSignals(QObject):
    case_changed = Signal(int)  # one case's record, timeline, letters or attachments changed
    cases_changed = Signal()  # many cases at once (import, demo data): lists reload
    settings_changed = Signal()  # organisation or mail settings changed

"""Dropping files from the desktop onto a case's tab (Attachments, Disclosure)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QDragEnterEvent, QDropEvent


class LocalFileDrops:
    """Mixin for a QWidget with `case_id` and `add_paths(paths) -> bool`: local files dropped
    while a case is shown are added; anything else (links, text) is not ours to take."""

    case_id: int | None

    def add_paths(self, paths: list[Path]) -> bool:
        raise NotImplementedError

    def accepts_drop(self, mime: QMimeData) -> bool:
        urls = mime.urls() if mime.hasUrls() else []
        return bool(self.case_id) and bool(urls) and all(url.isLocalFile() for url in urls)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.accepts_drop(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not self.accepts_drop(event.mimeData()):
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths([Path(url.toLocalFile()) for url in event.mimeData().urls()])

"""A tab whose content is built the first time it is shown.

The disclosure set's tab brings pikepdf, PDFium and reportlab with it (half a second to
import); built with the case view, it held up the first page of the case list at every start
(issue 14), although most sessions never open it. Its place in the tab bar (name, mnemonic,
order) is there from the start; only what is inside waits.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyTab(QWidget):
    """Holds the widget `build` returns, built on the tab's first showing (or `content()`)."""

    # The content, just built: whatever keeps the window's widgets in line (a team member's
    # role limits) sees the widgets that were not there when it looked.
    contentBuilt = Signal(QWidget)

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build: Callable[[], QWidget] | None = build
        self._content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._content is not None

    def content(self) -> QWidget:
        """The tab's widget, built now if it was not yet."""
        if self._content is None:
            assert self._build is not None
            self._content = self._build()
            self._build = None
            self._layout.addWidget(self._content)
            self.contentBuilt.emit(self._content)
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        self.content()
        super().showEvent(event)

"""The main window's layout between runs, and a splitter that turns on narrow screens.

Side by side, the case list and the case view each need most of a 1280-pixel screen; rather
than clip either, the splitter puts the case view under the list when the window is too
narrow for both, and beside it when it is wide. Each orientation keeps its own sizes, and
all of it (geometry, both splitter states, column widths and sort order) is saved in
QSettings when the window closes.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QWidget

_KEYS = {
    Qt.Orientation.Horizontal: "splitterSideBySide",
    Qt.Orientation.Vertical: "splitterStacked",
}


class TurningSplitter(QSplitter):
    """A QSplitter that is horizontal when there is room for both panes, else vertical."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.states: dict[Qt.Orientation, QByteArray] = {}
        self._fitted = False

    def fit(self, width: int, side_by_side_width: int) -> None:
        wanted = (
            Qt.Orientation.Horizontal if width >= side_by_side_width else Qt.Orientation.Vertical
        )
        if self._fitted and wanted == self.orientation():
            return
        if self._fitted:
            self.states[self.orientation()] = self.saveState()
        self._fitted = True
        state = self.states.get(wanted)
        if state is not None and self.restoreState(state) and self.orientation() == wanted:
            return
        self.setOrientation(wanted)
        self._default_sizes(width)

    def _default_sizes(self, width: int) -> None:
        if self.orientation() == Qt.Orientation.Horizontal:
            side = max(self.widget(1).minimumSizeHint().width(), int(width * 0.38))
            self.setSizes([max(1, width - side), side])
        else:
            self.setSizes([550, 450])

    def remember_current(self) -> None:
        self.states[self.orientation()] = self.saveState()


class WindowState:
    """Reads and writes one window's layout in a QSettings group."""

    def __init__(self, settings: QSettings, group: str = "mainWindow") -> None:
        self._settings = settings
        self._group = group

    def restore(self, window: QMainWindow, splitter: TurningSplitter, header: QHeaderView) -> bool:
        """Apply what was saved; False when there was nothing (a first run)."""
        self._settings.beginGroup(self._group)
        try:
            geometry = self._settings.value("geometry")
            for orientation, key in _KEYS.items():
                state = self._settings.value(key)
                if isinstance(state, QByteArray):
                    splitter.states[orientation] = state
            columns = self._settings.value("header")
        finally:
            self._settings.endGroup()
        if isinstance(columns, QByteArray):
            header.restoreState(columns)
        return isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)

    def save(self, window: QMainWindow, splitter: TurningSplitter, header: QHeaderView) -> None:
        splitter.remember_current()
        self._settings.beginGroup(self._group)
        try:
            self._settings.setValue("geometry", window.saveGeometry())
            for orientation, state in splitter.states.items():
                self._settings.setValue(_KEYS[orientation], state)
            self._settings.setValue("header", header.saveState())
        finally:
            self._settings.endGroup()
        self._settings.sync()

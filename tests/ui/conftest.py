"""Fixtures for the widgets: real stores in tmp_path, window settings kept out of $HOME."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.demo import fill_demo
from app.store import open_store
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def private_qsettings(tmp_path: Path) -> Iterator[Path]:
    """Point every QSettings file at tmp_path so tests never read or write the real home."""
    folder = tmp_path / "qsettings"
    folder.mkdir()
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(folder))
    yield folder


@pytest.fixture
def demo_store_path(store_path: Path) -> Path:
    """A closed store file holding the ~40 demo cases as of TODAY."""
    store = open_store(store_path)
    try:
        fill_demo(store, today=TODAY)
    finally:
        store.close()
    return store_path


def visible_error_box() -> QMessageBox:
    """The error message a widget is showing right now (objectName domainErrorBox)."""
    box = next(
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "domainErrorBox" and w.isVisible()
    )
    assert isinstance(box, QMessageBox)
    return box


def drop_files(widget: QWidget, urls: list[QUrl]) -> bool:
    """Drop `urls` on a widget with ui.file_drops.LocalFileDrops; True when it took them.
    Qt delivers drag events only during a real drag (and QDragEnterEvent's constructor is
    deprecated in PySide6 6.12): ask what dragEnterEvent asks, then hand over the drop."""
    mime = QMimeData()
    mime.setUrls(urls)
    if not widget.accepts_drop(mime):  # type: ignore[attr-defined]
        return False
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    drop.setAccepted(False)
    widget.dropEvent(drop)  # type: ignore[attr-defined]
    return drop.isAccepted()

"""Slow work off the UI thread, with success and failure callbacks on the UI thread.

After Anki's QueryOp (qt/aqt/operations): the worker runs a plain function that touches no
widget; its result, or the exception it raised, is handed back on the UI thread, where the
callbacks may update widgets. Nothing blocks the window while the server thinks.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")


class _Relay(QObject):
    """Lives on the UI thread; the worker's emits are queued to it."""

    succeeded = Signal(object)
    failed = Signal(object)


def _run(work: Callable[[], Any], relay: _Relay) -> None:
    """Worker thread: run the work, hand the outcome over. No widgets here."""
    try:
        result = work()
    except Exception as exc:  # handed to the failure callback, never lost
        _emit(relay.failed, exc)
    else:
        _emit(relay.succeeded, result)


def _emit(signal: Any, value: object) -> None:
    # The widget that asked may have been closed meanwhile: the work is done (and, for a
    # send, recorded); there is just nobody left to tell.
    with contextlib.suppress(RuntimeError):
        signal.emit(value)


class Op(QObject):
    """One background operation. `finished` fires after the callback has run."""

    finished = Signal()

    def __init__(
        self,
        parent: QObject,
        work: Callable[[], Any],
        *,
        success: Callable[[Any], None],
        failure: Callable[[Exception], None],
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._success = success
        self._failure = failure
        self.running = False
        self._relay = _Relay(self)
        self._relay.succeeded.connect(self._on_success)
        self._relay.failed.connect(self._on_failure)

    def run(self) -> Op:
        # A plain Python thread: its lifetime is Python's, so no C++ runnable can be
        # deleted under it. Slow work here is a network call or a parse, one at a time.
        self.running = True
        threading.Thread(
            target=_run, args=(self._work, self._relay), name="dsar-desk-op", daemon=True
        ).start()
        return self

    @Slot(object)
    def _on_success(self, result: object) -> None:
        try:
            self._success(result)  # type: ignore[arg-type]
        finally:
            self._done()

    @Slot(object)
    def _on_failure(self, exc: object) -> None:
        try:
            self._failure(exc)  # type: ignore[arg-type]
        finally:
            self._done()

    def _done(self) -> None:
        self.running = False
        self.finished.emit()


def run_in_background(
    parent: QObject,
    work: Callable[[], T],
    *,
    success: Callable[[T], None],
    failure: Callable[[Exception], None],
) -> Op:
    """Run `work` on a pool thread; call `success(result)` or `failure(exc)` on the UI thread.

    The Op is parented to `parent`, so it lives as long as the widget that asked for it.
    """
    return Op(parent, work, success=success, failure=failure).run()


class _ProgressRelay(QObject):
    progressed = Signal(int, int)


class ProgressOp(Op):
    """A background operation with a progress dialog and a Cancel button (Anki's
    `with_progress`). The worker gets a `progress(done, total) -> bool` callback: it updates
    the dialog through the UI thread and returns False once Cancel was pressed, so the work
    can stop between steps and leave nothing half-done."""

    def __init__(
        self,
        parent: QWidget,
        work: Callable[[Callable[[int, int], bool]], Any],
        *,
        label: str,
        success: Callable[[Any], None],
        failure: Callable[[Exception], None],
    ) -> None:
        self.cancelled = threading.Event()
        self._progress_relay = _ProgressRelay()
        super().__init__(parent, lambda: work(self._report), success=success, failure=failure)
        self._progress_relay.setParent(self)
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.dialog.setObjectName("progressDialog")
        self.dialog.setAccessibleName(label)
        self.dialog.setWindowTitle("DSAR Desk")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)  # quick work never flashes a dialog
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self._progress_relay.progressed.connect(self._show_progress)
        self.finished.connect(self.dialog.close)
        self.finished.connect(self.dialog.deleteLater)

    def cancel(self) -> None:
        self.cancelled.set()
        self.dialog.setLabelText("Stopping…")

    def _report(self, done: int, total: int) -> bool:
        """Worker thread: hand the figures to the dialog; tell the worker whether to go on."""
        with contextlib.suppress(RuntimeError):  # the dialog may be gone already
            self._progress_relay.progressed.emit(done, total)
        return not self.cancelled.is_set()

    @Slot(int, int)
    def _show_progress(self, done: int, total: int) -> None:
        if self.cancelled.is_set():
            return
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))


def run_with_progress(
    parent: QWidget,
    work: Callable[[Callable[[int, int], bool]], T],
    *,
    label: str,
    success: Callable[[T], None],
    failure: Callable[[Exception], None],
) -> ProgressOp:
    """Run `work(progress)` off the UI thread behind a progress dialog with Cancel."""
    op = ProgressOp(parent, work, label=label, success=success, failure=failure)
    op.run()
    return op

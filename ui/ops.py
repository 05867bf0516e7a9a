"""Slow work off the UI thread, with success and failure callbacks on the UI thread.

After Anki's QueryOp (qt/aqt/operations): the worker runs a plain function that touches no
widget; its result, or the exception it raised, is handed back on the UI thread, where the
callbacks may update widgets. Nothing blocks the window while the server thinks.

`run_with_progress` adds what Anki's `with_progress` gives: a progress dialog the worker
updates through the UI thread, and a Cancel that asks the worker to stop. The worker gets a
`progress(done, total) -> bool` callable and stops (raising its own "cancelled" error) when
it returns False; whatever it raised after Cancel was pressed counts as cancelled.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

T = TypeVar("T")


class _Relay(QObject):
    """Lives on the UI thread; the worker's emits are queued to it."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


def _run(work: Callable[[], Any], relay: _Relay) -> None:
    """Worker thread: run the work, hand the outcome over. No widgets here."""
    try:
        result = work()
    except Exception as exc:  # handed to the failure callback, never lost
        _emit(relay.failed, exc)
    else:
        _emit(relay.succeeded, result)


def _emit(signal: Any, *values: object) -> None:
    """Emit from the worker. The widget that asked may have been closed meanwhile: the work
    is done (and, for a send, recorded); there is just nobody left to tell. The values are
    passed as they are, so a work that returns a tuple hands that tuple to `success`."""
    with contextlib.suppress(RuntimeError):
        signal.emit(*values)


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
        self.cancel_requested = threading.Event()
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

    def cancel(self) -> None:
        """Ask the worker to stop at its next progress report (what Cancel does)."""
        self.cancel_requested.set()

    def report(self, done: int, total: int) -> bool:
        """Worker side: pass progress to the UI thread; False once Cancel was pressed."""
        _emit(self._relay.progressed, int(done), int(total))
        return not self.cancel_requested.is_set()

    @property
    def progressed(self) -> Any:
        """Signal(int, int) on the UI thread: pages, bytes or items done, of total."""
        return self._relay.progressed


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


Reporter = Callable[[int, int], bool]


def run_with_progress(
    parent: QWidget,
    label: str,
    work: Callable[[Reporter], T],
    *,
    success: Callable[[T], None],
    failure: Callable[[Exception], None],
    cancelled: Callable[[], None] | None = None,
    object_name: str = "progressDialog",
) -> Op:
    """Run `work(progress)` off the UI thread behind a window-modal progress dialog with
    Cancel. After Cancel, the outcome goes to `cancelled` (if the work stopped) or to
    `success` (it had already finished: too late to cancel)."""
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setObjectName(object_name)
    dialog.setAccessibleName(label)
    dialog.setWindowTitle("DSAR Desk")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # a quick job shows no dialog at all
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    for button in dialog.findChildren(QPushButton):  # the Cancel QProgressDialog makes
        button.setObjectName(f"{object_name}CancelButton")
        button.setAccessibleName("Cancel")
    holder: list[Op] = []

    def finished_with(callback: Callable[..., None], *args: object) -> None:
        dialog.reset()
        dialog.hide()
        dialog.deleteLater()
        callback(*args)

    def on_failure(exc: Exception) -> None:
        op = holder[0]
        if op.cancel_requested.is_set() and cancelled is not None:
            finished_with(cancelled)
        else:
            finished_with(failure, exc)

    op = Op(
        parent,
        lambda: work(holder[0].report),
        success=lambda result: finished_with(success, result),
        failure=on_failure,
    )
    holder.append(op)
    op.dialog = dialog  # type: ignore[attr-defined]

    def show_progress(done: int, total: int) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def ask_to_cancel() -> None:
        op.cancel()
        dialog.setLabelText("Cancelling…")
        dialog.show()

    op.progressed.connect(show_progress)
    dialog.canceled.connect(ask_to_cancel)
    return op.run()

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

from PySide6.QtCore import QObject, Signal, Slot

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

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
    progressed = Signal(int, int, str)


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


class Job:
    """What a long worker gets (after Anki's progress): a way to say how far it is, and to
    ask whether the user pressed Cancel. The worker checks `cancelled()` between steps and
    stops cleanly there, leaving nothing half-done; it never touches a widget."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()

    def report(self, done: int, total: int, what: str) -> None:
        with contextlib.suppress(RuntimeError):  # the asking widget may be gone
            self._relay.progressed.emit(done, total, what)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class ProgressOp(Op):
    """An Op whose work takes a Job: progress arrives on the UI thread through `progress`,
    and `cancel()` asks the worker to stop at its next step."""

    def __init__(
        self,
        parent: QObject,
        work: Callable[[Job], Any],
        *,
        success: Callable[[Any], None],
        failure: Callable[[Exception], None],
        progress: Callable[[int, int, str], None],
    ) -> None:
        job_holder: list[Job] = []
        super().__init__(parent, lambda: work(job_holder[0]), success=success, failure=failure)
        self.job = Job(self._relay)
        job_holder.append(self.job)
        self._relay.progressed.connect(progress)

    def cancel(self) -> None:
        self.job.cancel()


def run_with_progress(
    parent: QObject,
    work: Callable[[Job], T],
    *,
    success: Callable[[T], None],
    failure: Callable[[Exception], None],
    progress: Callable[[int, int, str], None],
) -> ProgressOp:
    """`run_in_background` for long work: `work(job)` reports progress and checks for Cancel."""
    op = ProgressOp(parent, work, success=success, failure=failure, progress=progress)
    op.run()
    return op

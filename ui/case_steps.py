"""The steps that move a case along, from the case view: each asks what it needs in a dialog
opened with `open()` (window-modal, not blocking), runs one app.cases use case with the
version the DPO saw, and keeps the dialog open with what was typed when the core refuses.
A mixin, so that these methods run on the view and keep its names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QWidget,
)

from app import cases
from app.domain import (
    ConcurrentChange,
    DomainError,
    Status,
)
from app.readmodels import CaseDetail
from app.store import StoreError
from ui.close_dialog import CloseDialog
from ui.date_prompt import DatePrompt
from ui.extension_dialog import ExtensionDialog
from ui.forms import SubmitDialog, show_error
from ui.note_dialog import NoteDialog
from ui.requester_dialog import RequesterDialog
from ui.step_dialogs import ClarificationDialog, IdentityDialog

if TYPE_CHECKING:
    from ui.case_view import CaseView


class CaseSteps:
    """The case view's steps (mixed into CaseView, which they run on)."""

    def run_change(
        self: CaseView, change: Callable[[], CaseDetail], parent: QWidget | None = None
    ) -> bool:
        """Run one use case; on refusal say why and keep everything as it was.

        Returns True when the change was saved (the caller's dialog may then close).
        Extensions use this too, so every action reports errors the same way.
        """
        try:
            detail = change()
        except ConcurrentChange as error:
            self.reload()
            show_error(parent or self, "Changed elsewhere", str(error))
            return False
        except DomainError as error:
            show_error(parent or self, "Not possible", str(error))
            return False
        except StoreError as error:  # the store itself refused (locked, unreadable)
            show_error(parent or self, "Not saved", str(error))
            return False
        self.signals.case_changed.emit(detail.id)
        if detail.id != self._case_id:
            self.reload()
        return True

    def _version(self: CaseView) -> int | None:
        return self._detail.version if self._detail else None

    def _open_dialog(
        self: CaseView, dialog: SubmitDialog, submit: Callable[[], CaseDetail]
    ) -> SubmitDialog:
        """Open without blocking; OK runs `submit` and closes only if it was saved."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submit = lambda: self.run_change(submit, dialog)
        dialog.open()
        return dialog

    def _ask_date(
        self,
        title: str,
        question: str,
        minimum: date,
        step: Callable[..., CaseDetail],
    ) -> None:
        d = self._detail
        assert d is not None
        prompt = DatePrompt(
            self, title=title, question=question, today=self.today(), minimum=minimum
        )
        case_id = d.id
        self._open_dialog(
            prompt,
            lambda: step(
                self.store,
                case_id,
                on=prompt.chosen(),
                today=self.today(),
                expected_version=self._version(),
            ),
        )

    def _identity(self: CaseView) -> None:
        d = self._detail
        if d is None:
            return
        if d.status is Status.AWAITING_IDENTITY:
            self._ask_date(
                "Proof of identity received",
                "On which date did the proof of identity arrive?",
                d.paused_on or d.received_on,
                cases.identity_received,
            )
        else:
            dialog = IdentityDialog(self, d, today=self.today())
            self._open_dialog(
                dialog,
                lambda: cases.request_identity(
                    self.store,
                    d.id,
                    on=dialog.chosen(),
                    reason=dialog.text(),
                    documents=dialog.chosen_documents(),
                    today=self.today(),
                    expected_version=self._version(),
                ),
            )

    def _clock(self: CaseView) -> None:
        d = self._detail
        if d is None:
            return
        if d.status is Status.AWAITING_CLARIFICATION:
            self._ask_date(
                "Clarification received",
                "On which date did the requester's clarification arrive?",
                d.paused_on or d.clock_start,
                cases.clarification_received,
            )
        else:
            dialog = ClarificationDialog(self, d, today=self.today())

            def pause() -> CaseDetail:
                from app.letters import pause_with_letter  # reportlab: loaded on first use

                return pause_with_letter(
                    self.store,
                    d.id,
                    on=dialog.chosen(),
                    question=dialog.text(),
                    today=self.today(),
                    expected_version=self._version(),
                )[0]

            self._open_dialog(dialog, pause)

    def _extend(self: CaseView) -> None:
        d = self._detail
        if d is None:
            return
        dialog = ExtensionDialog(self, d, today=self.today())
        self._open_dialog(
            dialog,
            lambda: cases.extend(
                self.store,
                d.id,
                reason=dialog.reason(),
                months=dialog.months(),
                on=dialog.notice_date(),
                today=self.today(),
                expected_version=self._version(),
            ),
        )

    def _close(self: CaseView) -> None:
        d = self._detail
        if d is None:
            return
        dialog = CloseDialog(self, d, today=self.today())
        self._open_dialog(
            dialog,
            lambda: cases.close(
                self.store,
                d.id,
                outcome=dialog.outcome(),
                ground=dialog.ground(),
                ground_basis=dialog.ground_basis(),
                on=dialog.closed_on(),
                late_reason=dialog.late_reason(),
                today=self.today(),
                expected_version=self._version(),
            ),
        )

    def _reopen(self: CaseView) -> None:
        d = self._detail
        if d is None:
            return
        dialog = NoteDialog(
            self,
            title=f"Reopen {d.reference}",
            prompt="&Why is the case reopened? (optional)",
            required=False,
            object_name="reopenDialog",
            ok_text="&Reopen",
        )
        self._open_dialog(
            dialog,
            lambda: cases.reopen(
                self.store, d.id, reason=dialog.text(), expected_version=self._version()
            ),
        )

    def _add_note(self: CaseView) -> None:
        d = self._detail
        if d is None:
            return
        dialog = NoteDialog(self, title=f"Note on {d.reference}")
        self._open_dialog(
            dialog,
            lambda: cases.add_note(
                self.store, d.id, dialog.text(), expected_version=self._version()
            ),
        )

    def _edit_requester(self: CaseView) -> None:
        d = self._detail
        if d is None:
            return
        dialog = RequesterDialog(self, d.requester)
        self._open_dialog(
            dialog,
            lambda: cases.update_requester(
                self.store, d.id, dialog.details(), expected_version=self._version()
            ),
        )

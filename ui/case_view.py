"""One case, its deadlines and its timeline, with the steps that move it along.

Every step goes through an app.cases use case with `expected_version`, so a change made in
another window is never overwritten. Steps that the case's state does not allow are
disabled; any rule the core still refuses is shown as a plain message and nothing is saved.
Dialogs are opened with `open()` (window-modal, not blocking) and stay open with what was
typed when the core refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import cases
from app.deadline_help import date_tips
from app.domain import (
    EventKind,
    NotFound,
    RequestType,
    Status,
    Urgency,
)
from app.formatting import days_phrase, uk_date
from app.readmodels import CaseDetail
from app.store import Store
from ui.case_steps import CaseSteps
from ui.case_view_frame import ICON_SIZE, CaseViewFrame, timeline_view
from ui.forms import name_widget
from ui.lazy_tab import LazyTab
from ui.signals import StoreSignals
from ui.timeline_model import TimelineModel
from ui.urgency_style import LOOKS, urgency_icon

BADGE = "border-radius: 3px; padding: 3px 8px; font-weight: bold;"
NOT_STARTED = "Not started"  # a deadline while waiting for proof of identity
NOTICE_WARNING_DAYS = 3  # an unsent extension notice turns urgent this close to its date
URGENT_STYLE = "background: #F8D5C2; color: #1A1A1A; font-weight: bold; padding: 2px 4px;"


def _promise_words(d: CaseDetail) -> str:
    """What the earlier date is: our N-day promise, or an opt-out's next-working-day target
    (DESIGN rules 4 and 8)."""
    if d.request_type is RequestType.MARKETING_OPT_OUT:
        return "the opt-out's target of the next working day"
    return f"our {d.promise_days}-day promise"


class CaseView(CaseSteps, CaseViewFrame, QWidget):
    """The right-hand pane of the main window: the case the DPO is working on."""

    caseLoaded = Signal(object)  # CaseDetail | None, after every (re)load; for extensions

    def __init__(
        self,
        store: Store,
        signals: StoreSignals,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "caseView", "Case")
        self.store = store
        self.signals = signals
        self.today = today
        self._case_id: int | None = None
        self._detail: CaseDetail | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.empty_label = QLabel("Select a case in the list, or log a new request (Ctrl+N).")
        self.empty_label.setObjectName("caseViewEmptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack.addWidget(self.empty_label)
        self.page = QWidget()
        self.page.setObjectName("caseViewPage")
        self.stack.addWidget(self.page)
        layout = QVBoxLayout(self.page)

        self._build_header(layout)
        self._build_actions()
        self.toolbar = QToolBar("Case actions")
        self.toolbar.setObjectName("caseToolbar")
        self.toolbar.setAccessibleName("Case actions")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self.case_actions():
            self.add_action(action)
        layout.addWidget(self.toolbar)

        self.tabs = QTabWidget()
        name_widget(self.tabs, "caseTabs", "Case sections")
        name_widget(self.tabs.tabBar(), "caseTabBar", "Case sections")
        self.timeline_model = TimelineModel(self)
        self.timeline_view = timeline_view("timelineView", "Timeline", self.timeline_model)
        self.tabs.addTab(self.timeline_view, "Time&line")
        self.tabs.addTab(self._build_details(), "&Details")
        self.tabs.addTab(self._build_notes(), "N&otes")
        layout.addWidget(self.tabs, 1)

        signals.case_changed.connect(self._on_case_changed)
        signals.cases_changed.connect(self.reload)
        # Days left must not go stale overnight: look at the date once a minute.
        self._day = today()
        self._day_timer = QTimer(self)
        self._day_timer.setInterval(60_000)
        self._day_timer.timeout.connect(self._check_day)
        self._day_timer.start()
        self._install_extensions()
        self._update_actions()  # extensions' actions start disabled too until a case is shown

    # Building: ui.case_view_frame; doing things: ui.case_steps

    def _install_extensions(self) -> None:
        """Hook for the letters and attachments helpers: their lines go below, nowhere else."""

        # Extensions (letters, attachments) add their actions and tabs here.
        # Letters (issue 4): the letter dialog for the shown case, opened without blocking.
        def open_letters() -> None:
            from ui.letter_dialog import LetterDialog  # loaded on first use: faster start-up

            if self._case_id is not None:
                self.letter_dialog = LetterDialog(
                    self.store, self._case_id, self.signals, self, today=self.today()
                )
                self.letter_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                self.letter_dialog.open()

        self.action_letters = self._make_action(
            "actionLetters", "Letter&s…", "Letters", "Ctrl+Shift+L", open_letters
        )
        self.add_action(self.action_letters)
        # Attachments (issue 5): the case's files in their own tab, following the shown case.
        from ui.attachments_panel import AttachmentsPanel

        self.attachments_panel = AttachmentsPanel(
            self.store, lambda: self._case_id, self.signals, self
        )
        self.tabs.addTab(self.attachments_panel, "Attach&ments")
        self.caseLoaded.connect(self.attachments_panel.refresh)
        # Searches (issue 10): the search plan as a checklist, and its counts in the header.
        from ui.searches_tab import install as install_searches

        self.searches_tab = install_searches(self, self.store, self.signals, self.today)

        # Disclosure (issue 11): the disclosure set, redaction and the bundle.
        # Built when first opened: it imports pikepdf, PDFium and reportlab (ui.lazy_tab).
        def disclosure_tab() -> QWidget:
            from ui.disclosure_tab import DisclosureTab

            tab = DisclosureTab(
                self.store, lambda: self._case_id, self.signals, self, today=self.today
            )
            self.caseLoaded.connect(tab.refresh)
            tab.refresh()
            return tab

        self.disclosure_tab = LazyTab(disclosure_tab, self)
        self.tabs.addTab(self.disclosure_tab, "D&isclosure")

    # -----------------------------------------------------------------------------------
    # Showing a case

    @property
    def case_id(self) -> int | None:
        return self._case_id

    @property
    def detail(self) -> CaseDetail | None:
        return self._detail

    def show_case(self, case_id: int | None) -> None:
        self._case_id = case_id
        self.reload()

    def reload(self) -> None:
        """Read the shown case afresh (after a change here or elsewhere)."""
        detail = None
        entries = []
        if self._case_id is not None:
            try:
                detail = cases.get_case(self.store, self._case_id)
                entries = cases.timeline(self.store, self._case_id)
            except NotFound:
                self._case_id = None
        self._detail = detail
        self.timeline_model.set_entries(entries)
        self.notes_model.set_entries([e for e in entries if e.kind == EventKind.NOTE])
        if detail is None:
            self.stack.setCurrentWidget(self.empty_label)
        else:
            self._fill(detail)
            self.stack.setCurrentWidget(self.page)
            if entries:
                self.timeline_view.scrollToBottom()
        self._update_actions()
        self.caseLoaded.emit(detail)

    def _check_day(self) -> None:
        if self.today() != self._day:
            self._day = self.today()
            self.reload()

    def _on_case_changed(self, case_id: int) -> None:
        if case_id == self._case_id:
            self.reload()

    def _fill(self, d: CaseDetail) -> None:
        today = self.today()
        person = d.requester
        self.reference_label.setText(d.reference)
        self.requester_label.setText(person.name)
        self.type_label.setText(d.request_type.label)
        self.status_label.setText(d.status.label)
        urgency = d.urgency(today)
        look = LOOKS[urgency]  # the same colour, shape and words as in the case list
        self.status_label.setStyleSheet(
            f"background: {look.background}; color: {look.foreground}; {BADGE}"
        )
        self.status_icon.setPixmap(urgency_icon(urgency, ICON_SIZE).pixmap(ICON_SIZE, ICON_SIZE))
        self.status_icon.setToolTip(urgency.label)
        self.due_label.setText(self._due_text(d, today, urgency))
        self.received_label.setText(uk_date(d.received_on))
        self.statutory_label.setText(uk_date(d.statutory_due))
        tips = date_tips(d.promise_days)
        if d.extension_months:
            promised_caption, promised_tip = "Extended to", tips["extended"]
        elif d.request_type is RequestType.MARKETING_OPT_OUT:
            # DESIGN.md rule 8, not the promise
            promised_caption, promised_tip = "Target (next working day)", tips["target"]
        else:
            promised_caption = f"Promised ({d.promise_days} days)"
            promised_tip = tips["promised"]
        self.promised_caption.setText(promised_caption)
        self.promised_label.setToolTip(promised_tip)
        self.statutory_label.setToolTip(tips["statutory"])
        self.notice_label.setToolTip(tips["notice"])
        self.promised_label.setAccessibleName(self.promised_caption.text())
        self.promised_label.setText(uk_date(d.promised_due))
        pending = d.extension_notice_due is not None and d.status is not Status.CLOSED
        self.notice_warning.setVisible(pending)
        self.notice_warning.setStyleSheet("")
        if pending and d.extension_notice_due is not None:
            # The extension stands only if the requester is told in time (rule 7).
            due = d.extension_notice_due
            left = (due - today).days
            self.notice_caption.setText("Extension notice by")
            self.notice_label.setText(uk_date(due))
            text = (
                f"Extension notice must reach the requester by {uk_date(due)}: email the "
                "extension notice letter, or print and post it and mark it sent."
            )
            if left < 0:
                text = f"Urgent: the extension notice is {-left} day{'s' if left != -1 else ''} "
                text += f"late. {text}"
            elif left <= NOTICE_WARNING_DAYS:
                text = f"Urgent: {days_phrase(left)}. {text}"
            self.notice_warning.setText(text)
            self.notice_warning.setAccessibleDescription(text)
            if left <= NOTICE_WARNING_DAYS:
                self.notice_warning.setStyleSheet(URGENT_STYLE)
        elif d.extension_months:
            months = d.extension_months
            self.notice_caption.setText("Extension")
            self.notice_label.setText(f"{months} further month{'s' if months != 1 else ''}")
        else:
            self.notice_caption.setText("Extension notice by")
            self.notice_label.setText(uk_date(d.extension_notice_by))
        self.notice_label.setAccessibleName(self.notice_caption.text())
        if d.status is Status.AWAITING_IDENTITY:
            # The period starts afresh the day the ID arrives (DESIGN.md rule 5): dates counted
            # from the receipt would mislead, so none are shown until then.
            for label in (self.statutory_label, self.promised_label, self.notice_label):
                label.setText(NOT_STARTED)
        pauses = sum(d.pauses)
        values = {
            "name": person.name,
            "email": person.email or "(none)",
            "postal_address": person.postal_address or "(none)",
            "phone": person.phone or "(none)",
            "type": f"{d.request_type.label} ({d.request_type.article})",
            "channel": d.channel.label,
            "identity": "Required" if d.identity_required else "Not required",
            "clock": uk_date(d.clock_start),
            "pauses": (
                f"{pauses} day{'s' if pauses != 1 else ''} in {len(d.pauses)} pause"
                f"{'s' if len(d.pauses) != 1 else ''}"
                if d.pauses
                else "Never"
            )
            + (f"; paused now since {uk_date(d.paused_on)}" if d.paused_on else ""),
            "extension": (
                f"{d.extension_months} further month{'s' if d.extension_months != 1 else ''}:"
                f" {d.extension_reason or ''}"
                if d.extension_months
                else "None"
            ),
            "outcome": (
                f"{d.outcome.label} on {uk_date(d.closed_on)}"
                + (f". Ground: {d.ground}" if d.ground else "")
                if d.outcome and d.closed_on
                else "Open"
            ),
            "description": d.description or "(none)",
        }
        for key, value in values.items():
            self.detail_labels[key].setText(value)

    def _due_text(self, d: CaseDetail, today: date, urgency: Urgency) -> str:
        due = uk_date(d.effective_due)
        if d.status is Status.CLOSED:
            closed = d.closed_on or today
            if closed > d.statutory_due:
                return f"Answered late: the statutory deadline was {uk_date(d.statutory_due)}."
            if closed > d.effective_due:
                return (
                    f"Answered after {_promise_words(d)} ({due}), within the statutory "
                    f"deadline ({uk_date(d.statutory_due)})."
                )
            return f"Was due {due}; answered in time."
        if d.status is Status.AWAITING_IDENTITY:
            return (
                f"Waiting for ID since {uk_date(d.paused_on or today)}: the period starts "
                "again the day it arrives."
            )
        phrase = days_phrase(d.days_left(today))
        statutory = uk_date(d.statutory_due)
        if urgency is Urgency.OVERDUE:
            late = days_phrase((d.statutory_due - today).days)
            return f"Overdue: the statutory deadline was {statutory} ({late})."
        if urgency is Urgency.PAST_PROMISE:
            left = days_phrase((d.statutory_due - today).days)
            return (
                f"Past {_promise_words(d)} ({due}), not overdue: the statutory deadline is "
                f"{statutory}, {left}."
            )
        if d.status is Status.AWAITING_CLARIFICATION:
            return (
                f"Due {due} ({phrase}) before the pause; the clock is stopped since "
                f"{uk_date(d.paused_on or today)} and the date moves later when it restarts."
            )
        return f"{urgency.label}: due {due}, {phrase}."

    def _update_actions(self) -> None:
        """Enable what the case's state allows; a disabled action's tooltip says why not."""
        d = self._detail
        status = d.status if d else None
        awaiting_id = status is Status.AWAITING_IDENTITY
        paused = status is Status.AWAITING_CLARIFICATION
        self.action_identity.setText("&ID received…" if awaiting_id else "Request &ID…")
        self.action_identity.setIconText("ID received" if awaiting_id else "Request ID")
        self.action_clock.setText(
            "Clarification &received…" if paused else "&Pause for clarification…"
        )
        self.action_clock.setIconText("Resume clock" if paused else "Pause clock")
        closed = "The case is closed."
        why_not: dict[QAction, str | None] = {}
        opt_out = d is not None and d.request_type is RequestType.MARKETING_OPT_OUT
        absolute = "A marketing opt-out is absolute and actioned at once (Article 21(3))."
        why_not[self.action_identity] = (
            closed
            if status is Status.CLOSED
            else absolute
            if opt_out
            else "Not while the clock is paused for clarification."
            if paused
            else None
        )
        why_not[self.action_clock] = (
            closed
            if status is Status.CLOSED
            else absolute
            if opt_out
            else "Not while waiting for proof of identity."
            if awaiting_id
            else None
        )
        why_not[self.action_extend] = self._why_not_extend(d)
        why_not[self.action_close] = (
            "The case is already closed." if status is Status.CLOSED else None
        )
        why_not[self.action_reopen] = (
            None if status is Status.CLOSED else "Only a closed case can be reopened."
        )
        why_not[self.action_note] = None
        why_not[self.action_requester] = None
        for action, reason in why_not.items():
            if d is None:
                reason = "Select a case first."
            action.setEnabled(reason is None)
            tip = action.text().replace("&", "")
            shortcut = action.shortcut().toString()
            action.setToolTip(reason or f"{tip} ({shortcut})")
        own = self.case_actions()
        for action in self.toolbar.actions():
            if action not in own and not action.isSeparator():
                # An extension's action needs a case; its own caseLoaded handler (run after
                # this) may narrow that further.
                action.setEnabled(d is not None)
        for action in own:
            button = self.toolbar.widgetForAction(action)
            if button is not None:
                button.setAccessibleName(action.text().replace("&", "").rstrip("…"))

    def _why_not_extend(self, d: CaseDetail | None) -> str | None:
        if d is None:
            return "Select a case first."
        if d.status is Status.CLOSED:
            return "A closed case cannot be extended."
        if d.status is Status.AWAITING_IDENTITY:
            return "The period has not started yet: it waits for proof of identity."
        if d.request_type is RequestType.MARKETING_OPT_OUT:
            return "A marketing opt-out is actioned at once; it is never extended."
        if d.extension_months >= 2:
            return "Already extended by two further months, the most the law allows."
        if not d.notice_in_time(self.today()):
            return (
                f"Too late to extend: the requester had to be told by "
                f"{uk_date(d.extension_notice_by)}."
            )
        return None

"""The case view's frame: its header (reference, requester, deadlines), its toolbar of steps
and the Details and Notes tabs. A mixin, so that these methods run on the view and keep its
names (ui.case_view fills them for each case)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.forms import name_widget, plain_label, read_only_rows
from ui.timeline_model import TimelineModel

if TYPE_CHECKING:
    from ui.case_view import CaseView


ICON_SIZE = 16


def timeline_view(object_name: str, accessible_name: str, model: TimelineModel) -> QTableView:
    """A table whose long entries wrap onto more lines rather than being cut off: row
    heights follow the contents as the pane is resized (cheap: a timeline is short)."""
    view = QTableView()
    name_widget(view, object_name, accessible_name)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    read_only_rows(view, word_wrap=True)
    view.setShowGrid(False)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for column in (TimelineModel.WHEN, TimelineModel.WHO, TimelineModel.EVENT):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return view


class CaseViewFrame:
    """Builds the case view's frame (mixed into CaseView, which it runs on)."""

    def _build_header(self: CaseView, layout: QVBoxLayout) -> None:
        self.reference_label = plain_label("", "caseReferenceLabel", wrap=False)
        font = self.reference_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.reference_label.setFont(font)
        self.requester_label = plain_label("", "caseRequesterLabel")
        self.requester_label.setFont(font)
        self.reference_label.setAccessibleName("Reference")
        self.requester_label.setAccessibleName("Requester")
        title = QHBoxLayout()
        title.addWidget(self.reference_label)
        title.addWidget(self.requester_label, 1)
        layout.addLayout(title)

        badges = QHBoxLayout()
        self.badges = badges  # extensions add their own badge here (the Searches tab's counts)
        self.status_label = plain_label("", "statusLabel", wrap=False)
        self.status_label.setAccessibleName("Status")
        self.due_label = plain_label("", "dueDateLabel")
        self.due_label.setAccessibleName("Deadline")
        self.type_label = plain_label("", "caseTypeLabel", wrap=False)
        self.status_icon = QLabel()
        self.status_icon.setObjectName("statusIconLabel")
        self.status_icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        badges.addWidget(self.status_icon)
        badges.addWidget(self.status_label)
        badges.addWidget(self.due_label, 1)
        layout.addLayout(badges)

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        self.received_label = plain_label("", "receivedLabel", wrap=False)
        self.statutory_label = plain_label("", "statutoryDueLabel", wrap=False)
        self.promised_label = plain_label("", "promisedDueLabel", wrap=False)
        self.notice_label = plain_label("", "noticeByLabel", wrap=False)
        self.notice_caption = QLabel("Extension notice by")
        self.promised_caption = QLabel("Promised")
        for column, (caption, value) in enumerate(
            (
                (QLabel("Type"), self.type_label),
                (QLabel("Received"), self.received_label),
                (QLabel("Statutory due"), self.statutory_label),
                (self.promised_caption, self.promised_label),
                (self.notice_caption, self.notice_label),
            )
        ):
            caption.setStyleSheet("color: palette(placeholder-text);")
            value.setAccessibleName(caption.text())
            grid.addWidget(caption, 0, column)
            grid.addWidget(value, 1, column)
        grid.setColumnStretch(5, 1)
        layout.addLayout(grid)
        self.notice_warning = plain_label("", "extensionNoticeWarningLabel")
        self.notice_warning.setAccessibleName("Extension notice to send")
        self.notice_warning.setVisible(False)
        layout.addWidget(self.notice_warning)

    def _make_action(
        self, name: str, text: str, short: str, shortcut: str, slot: Callable[[], None]
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setIconText(short)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{text.replace('&', '')} ({shortcut})")
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work wherever the focus is in the window
        return action

    def _build_actions(self: CaseView) -> None:
        self.action_identity = self._make_action(
            "actionIdentity", "Request &ID…", "Request ID", "Ctrl+Shift+I", self._identity
        )
        self.action_clock = self._make_action(
            "actionClock",
            "&Pause for clarification…",
            "Pause clock",
            "Ctrl+Shift+P",
            self._clock,
        )
        self.action_extend = self._make_action(
            "actionExtend", "&Extend…", "Extend", "Ctrl+Shift+E", self._extend
        )
        self.action_close = self._make_action(
            "actionCloseCase", "&Close case…", "Close case", "Ctrl+Shift+C", self._close
        )
        self.action_reopen = self._make_action(
            "actionReopen", "&Reopen…", "Reopen", "Ctrl+Shift+O", self._reopen
        )
        self.action_note = self._make_action(
            "actionAddNote", "Add &note…", "Add note", "Ctrl+Shift+N", self._add_note
        )
        self.action_requester = self._make_action(
            "actionEditRequester",
            "Edit re&quester…",
            "Edit requester",
            "Ctrl+Shift+R",
            self._edit_requester,
        )

    def case_actions(self: CaseView) -> list[QAction]:
        return [
            self.action_identity,
            self.action_clock,
            self.action_extend,
            self.action_close,
            self.action_reopen,
            self.action_note,
            self.action_requester,
        ]

    def add_action(self: CaseView, action: QAction) -> None:
        """Put an action on the case toolbar as a button keyboard users can Tab to."""
        previous = self.toolbar.actions()[-1] if self.toolbar.actions() else None
        self.toolbar.addAction(action)
        button = self.toolbar.widgetForAction(action)
        if button is not None:
            button.setObjectName(f"{action.objectName()}Button")
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            before = self.toolbar.widgetForAction(previous) if previous else None
            if before is not None:
                QWidget.setTabOrder(before, button)  # Tab goes along the toolbar in order

    def _build_details(self: CaseView) -> QWidget:
        area = QScrollArea()
        name_widget(area, "caseDetailsArea", "Case details")
        area.setWidgetResizable(True)
        inner = QWidget()
        form = QFormLayout(inner)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.detail_labels: dict[str, QLabel] = {}
        for key, caption in (
            ("name", "Name"),
            ("email", "Email"),
            ("postal_address", "Postal address"),
            ("phone", "Phone"),
            ("type", "Request"),
            ("channel", "Received by"),
            ("identity", "Identity check"),
            ("clock", "Period runs from"),
            ("pauses", "Clock paused"),
            ("extension", "Extension"),
            ("outcome", "Outcome"),
            ("description", "Request details"),
        ):
            label = plain_label("", f"detail_{key}")
            label.setAccessibleName(caption)
            self.detail_labels[key] = label
            form.addRow(f"{caption}:", label)
        area.setWidget(inner)
        return area

    def _build_notes(self: CaseView) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.notes_model = TimelineModel(self)
        self.notes_view = timeline_view("notesView", "Notes", self.notes_model)
        self.notes_view.setColumnHidden(TimelineModel.EVENT, True)
        layout.addWidget(self.notes_view)
        row = QHBoxLayout()
        row.addStretch(1)
        button = QPushButton("Add &note…")
        name_widget(button, "addNoteButton", "Add note")
        button.clicked.connect(self.action_note.trigger)
        self.action_note.enabledChanged.connect(button.setEnabled)
        row.addWidget(button)
        layout.addLayout(row)
        return page

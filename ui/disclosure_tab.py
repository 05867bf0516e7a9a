"""The Disclosure tab of a case: the material collected (added from files, by drag and drop,
or from what is kept with the case), each item's title, source, date and decision, its pages
with their redactions (boxes drawn, or a term redacted across the set), the redaction log,
and at the foot the review step and the bundle.

Widgets stay thin: every change goes through app.disclosure, which records it on the case's
timeline; a refusal is shown as a message and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.disclosure import (
    Box,
    ItemInfo,
    add_box,
    add_item_from_attachment,
    add_item_from_email_attachment,
    add_item_from_path,
    add_items_from_task,
    item_pdf,
    item_redactions,
    list_items,
    redact_term,
    redaction_log,
    remove_item,
    update_item,
    withdraw_redaction,
)
from app.domain import DomainError
from app.store import Store, StoreError
from app.systems import list_systems
from ui.bundle_panel import BundlePanel
from ui.disclosure_dialogs import (
    MaterialDialog,
    SearchMaterialDialog,
    TermDialog,
    reason_combo,
)
from ui.disclosure_item_form import ItemForm
from ui.disclosure_models import ItemsModel, RedactionLogModel
from ui.file_drops import LocalFileDrops
from ui.forms import name_widget, named_button, read_only_rows, show_error
from ui.redaction_view import RedactionView
from ui.signals import StoreSignals

MINIMUM_WIDTH, MINIMUM_HEIGHT = 900, 600
T = TypeVar("T")


def _table(object_name: str, accessible_name: str) -> QTableView:
    view = QTableView()
    name_widget(view, object_name, accessible_name)
    read_only_rows(view, word_wrap=False)
    view.horizontalHeader().setHighlightSections(False)
    return view


def _action(parent: QWidget, object_name: str, text: str, slot: Callable[[], None]) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(object_name)
    action.triggered.connect(slot)
    return action


def _answer(dialog: QDialog, read: Callable[[], T]) -> T | None:
    """Run a dialog; what it was asked for when accepted, None when cancelled."""
    try:
        return read() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def _tool_button(action: QAction, object_name: str, accessible_name: str) -> QToolButton:
    button = QToolButton()
    name_widget(button, object_name, accessible_name)
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class DisclosureTab(LocalFileDrops, QWidget):
    def __init__(
        self,
        store: Store,
        case_id: int | Callable[[], int | None] | None,
        signals: StoreSignals,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "disclosureTab", "Disclosure")
        self.store, self.signals, self.today = store, signals, today
        self._case_id = case_id
        self._shown_item: int | None = None
        self.setAcceptDrops(True)
        # The tab needs room (a list, a form, a page, the bundle row); in a small window it
        # scrolls rather than forcing the whole window wider than the screen.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        name_widget(scroll, "disclosureScrollArea", "Disclosure")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        content = QWidget()
        content.setObjectName("disclosureContent")
        content.setMinimumSize(MINIMUM_WIDTH, MINIMUM_HEIGHT)
        scroll.setWidget(content)
        outer.addWidget(scroll)
        layout = QVBoxLayout(content)

        top = QHBoxLayout()
        self.add_button = named_button("&Add files…", "addDisclosureFilesButton", "Add files",
                                       self.add_files)  # fmt: skip
        self.material_button = named_button(
            "From &case files…", "addDisclosureMaterialButton", "Add files kept with the case",
            self.add_material,
        )  # fmt: skip
        self.search_button = named_button(
            "From searches…", "addDisclosureFromSearchButton", "Add files the searches found",
            self.add_from_search,
        )  # fmt: skip
        self.remove_button = named_button(
            "Remo&ve…", "removeDisclosureItemButton", "Remove the item", self.remove_selected
        )
        top.addWidget(self.add_button)
        top.addWidget(self.material_button)
        top.addWidget(self.search_button)
        top.addStretch(1)
        top.addWidget(self.remove_button)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        name_widget(splitter, "disclosureSplitter", "Items and pages")
        splitter.addWidget(self._build_items())
        splitter.addWidget(self._build_pages())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([2 * MINIMUM_WIDTH, 3 * MINIMUM_WIDTH])  # 2 : 3, the items' side too
        layout.addWidget(splitter, 1)

        self.bundle = BundlePanel(store, lambda: self.case_id, signals, self)
        layout.addWidget(self.bundle)
        signals.case_changed.connect(self._on_case_changed)
        self.refresh()

    # -- building --------------------------------------------------------------------------

    def _build_items(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.items = ItemsModel(self)
        self.item_view = _table("disclosureItemTable", "Items of the disclosure set")
        self.item_view.setModel(self.items)
        header = self.item_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.item_view.selectionModel().selectionChanged.connect(self._item_selected)
        layout.addWidget(self.item_view, 1)

        self.form = ItemForm(self.today)
        layout.addWidget(self.form)
        self.save_button = named_button(
            "Save &item", "saveDisclosureItemButton", "Save the item", self.save_item
        )
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        return box

    def _build_pages(self) -> QWidget:
        self.side_tabs = QTabWidget()
        name_widget(self.side_tabs, "disclosureSideTabs", "Pages and redaction log")
        name_widget(self.side_tabs.tabBar(), "disclosureSideTabBar", "Pages and redaction log")
        pages = QWidget()
        layout = QVBoxLayout(pages)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.action_redact_box = _action(self, "actionRedactBox", "Redact &box", self._box_mode)
        self.action_redact_box.setCheckable(True)
        self.action_redact_term = _action(
            self, "actionRedactTerm", "Redact a &term…", self.redact_term
        )
        row.addWidget(_tool_button(self.action_redact_box, "redactBoxButton", "Redact box"))
        row.addWidget(_tool_button(self.action_redact_term, "redactTermButton", "Redact a term"))
        self.reason_combo = reason_combo("redactionReasonCombo", "Reason for a drawn box")
        row.addWidget(self.reason_combo, 1)
        self.withdraw_button = named_button(
            "&Withdraw", "withdrawRedactionButton", "Withdraw the selected redaction",
            self.withdraw_selected,
        )  # fmt: skip
        row.addWidget(self.withdraw_button)
        layout.addLayout(row)
        self.redaction_view = RedactionView()
        self.redaction_view.boxDrawn.connect(self._box_drawn)
        self.redaction_view.redactionSelected.connect(lambda _id: self._update_actions())
        layout.addWidget(self.redaction_view, 1)
        self.side_tabs.addTab(pages, "&Pages")
        self.log_model = RedactionLogModel(self)
        self.log_view = _table("redactionLogView", "Redaction log")
        self.log_view.setModel(self.log_model)
        self.log_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.log_view.horizontalHeader().setStretchLastSection(True)
        self.side_tabs.addTab(self.log_view, "Redaction &log")
        return self.side_tabs

    # -- state -----------------------------------------------------------------------------

    @property
    def case_id(self) -> int | None:
        return self._case_id() if callable(self._case_id) else self._case_id

    def refresh(self, *_args: object) -> None:
        case_id = self.case_id
        selected = self.selected_item()
        rows = list_items(self.store, case_id) if case_id else []
        self.items.set_rows(rows)
        self.log_model.set_rows(redaction_log(self.store, case_id) if case_id else [])
        register = [system.name for system in list_systems(self.store)]
        sources = sorted({r.source for r in rows if r.source} | set(register))
        self.form.set_sources(sources)
        keep = next((n for n, r in enumerate(rows) if selected and r.id == selected.id), None)
        if keep is None and rows and self._shown_item is None:
            keep = 0
        if keep is not None:
            self.item_view.selectRow(keep)
        else:
            self._show_item(None)
        self.bundle.refresh()
        self._update_actions()

    def _on_case_changed(self, case_id: int) -> None:
        if case_id == self.case_id:
            self.refresh()

    def selected_item(self) -> ItemInfo | None:
        rows = self.item_view.selectionModel().selectedRows()
        return self.items.row(rows[0].row()) if rows else None

    def _item_selected(self, *_args: object) -> None:
        self._show_item(self.selected_item())

    def _show_item(self, item: ItemInfo | None) -> None:
        changed = (item.id if item else None) != self._shown_item
        self._shown_item = item.id if item else None
        if item is None:
            self.redaction_view.set_item(None, [])
        elif changed:
            try:
                pdf = item_pdf(self.store, item.id)
            except (DomainError, StoreError) as error:
                show_error(self, "Item not shown", str(error))
                pdf = None
            self.redaction_view.set_item(pdf, item_redactions(self.store, item.id))
        else:
            self.redaction_view.set_redactions(item_redactions(self.store, item.id))
        self.form.fill(item)
        self._update_actions()

    def _update_actions(self) -> None:
        has_case = bool(self.case_id)
        item = self.selected_item()
        for widget in (self.add_button, self.material_button, self.search_button):
            widget.setEnabled(has_case)
        for widget in (self.remove_button, self.save_button):
            widget.setEnabled(item is not None)
        self.action_redact_box.setEnabled(item is not None)
        self.action_redact_term.setEnabled(bool(self.items.rows()))
        self.withdraw_button.setEnabled(
            item is not None and self.redaction_view.canvas.selected > 0
        )
        if item is None and self.action_redact_box.isChecked():
            self.action_redact_box.setChecked(False)
            self._box_mode()

    # -- adding ----------------------------------------------------------------------------

    def add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add material to the disclosure set")
        self.add_paths([Path(p) for p in paths])

    def add_paths(self, paths: list[Path]) -> bool:
        """Add each file; a refused one is named with why, and does not stop the others.
        True when every file was added."""
        case_id = self.case_id
        if not case_id:
            return False
        refused: list[str] = []
        for path in paths:
            try:
                add_item_from_path(self.store, case_id, path)
            except (DomainError, StoreError) as error:
                refused.append(str(error))
        if refused:
            added = len(paths) - len(refused)
            head = f"{added} of {len(paths)} files were added; these were not:\n\n" if added else ""
            show_error(self, "Not added to the set", head + "\n\n".join(refused))
        self._changed()
        return not refused

    def add_material(self) -> None:
        case_id = self.case_id
        if not case_id:
            return
        dialog = MaterialDialog(self.store, case_id, self)
        chosen = _answer(dialog, dialog.chosen)
        if chosen is not None:
            self.add_chosen(chosen)

    def add_from_search(self) -> None:
        case_id = self.case_id
        if not case_id:
            return
        dialog = SearchMaterialDialog(self.store, case_id, self)
        chosen = _answer(dialog, dialog.chosen)
        if chosen is not None:
            self.add_tasks(chosen)

    def add_tasks(self, task_ids: list[int]) -> None:
        case_id = self.case_id
        if not case_id:
            return
        try:
            for task_id in task_ids:
                add_items_from_task(self.store, case_id, task_id)
        except (DomainError, StoreError) as error:
            show_error(self, "Not added to the set", str(error))
        self._changed()

    def add_chosen(self, chosen: list[tuple[int, int | None]]) -> None:
        case_id = self.case_id
        if not case_id:
            return
        try:
            for attachment_id, index in chosen:
                if index is None:
                    add_item_from_attachment(self.store, case_id, attachment_id)
                else:
                    add_item_from_email_attachment(self.store, case_id, attachment_id, index)
        except (DomainError, StoreError) as error:
            show_error(self, "Not added to the set", str(error))
        self._changed()

    # -- changing --------------------------------------------------------------------------

    def save_item(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        values = self.form.values()
        try:
            update_item(
                self.store,
                item.id,
                title=values.title,
                source=values.source,
                item_date=values.item_date,
                decision=values.decision,
                exemption_key=values.exemption_key,
                today=self.today(),
            )
        except (DomainError, StoreError) as error:
            show_error(self, "Item not saved", str(error))
            return
        self._changed()

    def remove_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            "Remove from the set",
            f"Remove {item.title} from the disclosure set? Why (it is recorded):",
        )
        if not ok:
            return
        try:
            remove_item(self.store, item.id, reason=reason)
        except (DomainError, StoreError) as error:
            show_error(self, "Not removed", str(error))
            return
        self._shown_item = None
        self._changed()

    def _box_mode(self) -> None:
        self.redaction_view.set_drawing(self.action_redact_box.isChecked())

    def _box_drawn(self, page: int, box: Box) -> None:
        item = self.selected_item()
        if item is None:
            return
        try:
            add_box(self.store, item.id, page=page, box=box, reason=self.reason_combo.currentText())
        except (DomainError, StoreError) as error:
            show_error(self, "Not redacted", str(error))
            return
        self._changed()

    def redact_term(self) -> None:
        case_id = self.case_id
        if not case_id:
            return
        dialog = TermDialog(self.store, case_id, self)
        answer = _answer(dialog, lambda: (dialog.term, dialog.reason_text))
        if answer is not None:
            self.apply_term(*answer)

    def apply_term(self, term: str, reason: str) -> None:
        case_id = self.case_id
        if not case_id:
            return
        try:
            redact_term(self.store, case_id, term, reason=reason)
        except (DomainError, StoreError) as error:
            show_error(self, "Not redacted", str(error))
            return
        self._changed()

    def withdraw_selected(self) -> None:
        chosen = self.redaction_view.canvas.selected
        if not chosen:
            return
        try:
            withdraw_redaction(self.store, chosen)
        except (DomainError, StoreError) as error:
            show_error(self, "Not withdrawn", str(error))
            return
        self._changed()

    def _changed(self) -> None:
        """Recorded: every view of the case (this tab, the timeline) reads it afresh."""
        case_id = self.case_id
        if case_id:
            self.signals.case_changed.emit(case_id)
        else:
            self.refresh()

"""The DPO's own wording of each letter: edit a stage's template, check it as you type,
save it (kept in the store as a new custom version) or go back to the shipped default.

An unknown placeholder is named as soon as it is typed and refused on save, so a bad
template never reaches a letter. Unsaved edits of other stages are kept while switching
between them in the dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, QStringListModel, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import DomainError
from app.letters.placeholders import PLACEHOLDERS
from app.letters.stages import TEMPLATE_STAGES, Stage
from app.letters.templates import (
    TemplateText,
    current_template,
    reset_template,
    save_template,
    validate_template,
)
from app.store import Store, StoreError
from ui.forms import FieldError, labelled_combo, name_widget, plain_label
from ui.signals import StoreSignals

SYNTAX_HELP = (
    "First line 'Subject: …' is the subject. A blank line ends a paragraph. '## ' starts a "
    "heading, '- ' a bullet. '[refused, partly_fulfilled] ' at the start keeps a paragraph "
    "only for those outcomes. $name is a placeholder (double-click one on the right to "
    "insert it); $$ prints a dollar sign. The signature is added after the last paragraph."
)
ITEM_GAP = 6  # pixels between placeholders in the list


class _SpacedItemDelegate(QStyledItemDelegate):
    """The standard delegate with a few pixels of air below each (wrapped) item."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + ITEM_GAP)


class TemplateEditorDialog(QDialog):
    def __init__(self, store: Store, signals: StoreSignals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.signals = store, signals
        name_widget(self, "templateEditorDialog", "Letter templates")
        self.setWindowTitle("Letter templates")
        self.resize(980, 720)
        self._drafts: dict[Stage, str] = {}  # unsaved edits, by stage
        self._current: TemplateText | None = None
        self._loading = False

        layout = QVBoxLayout(self)
        row, self.stage_combo = labelled_combo(
            "&Letter:",
            "templateStageCombo",
            "Letter template",
            ((stage.label, stage.value) for stage in TEMPLATE_STAGES),
        )
        layout.addLayout(row)
        self.version_label = plain_label("", "templateVersionLabel")
        self.version_label.setAccessibleName("Template version")
        layout.addWidget(self.version_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.body_edit = QPlainTextEdit()
        name_widget(self.body_edit, "templateBodyEdit", "Template text")
        self.body_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.body_edit.setTabChangesFocus(True)
        splitter.addWidget(self.body_edit)
        self.placeholder_model = QStringListModel(
            [f"${name} — {what}" for name, what in PLACEHOLDERS.items()], self
        )
        self.placeholder_list = QListView()
        name_widget(self.placeholder_list, "templatePlaceholderList", "Placeholders")
        self.placeholder_list.setModel(self.placeholder_model)
        self.placeholder_list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.placeholder_list.setWordWrap(True)
        # Lay the wrapped items out again whenever the width changes; otherwise they keep the
        # heights of the first layout and some are cut off with "...".
        self.placeholder_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.placeholder_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        # Air between items comes from the delegate: QListView.setSpacing() makes some wrapped
        # items' heights disagree with their painted width, and those are cut off with "...".
        self.placeholder_list.setItemDelegate(_SpacedItemDelegate(self.placeholder_list))
        self.placeholder_list.doubleClicked.connect(self.insert_placeholder)
        self.placeholder_list.activated.connect(self.insert_placeholder)
        splitter.addWidget(self.placeholder_list)
        splitter.setSizes([620, 340])
        layout.addWidget(splitter, 1)

        help_label = QLabel(SYNTAX_HELP)
        help_label.setObjectName("templateHelpLabel")
        help_label.setWordWrap(True)
        layout.addWidget(help_label)
        self.error = FieldError("templateErrorLabel")
        layout.addWidget(self.error)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save template")
        name_widget(self.save_button, "saveTemplateButton", "Save template")
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton("&Reset to default")
        name_widget(self.reset_button, "resetTemplateButton", "Reset to default")
        self.reset_button.clicked.connect(self.reset)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        name_widget(close.buttons()[0], "templateCloseButton", "Close")
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        self.stage_combo.currentIndexChanged.connect(self._load_stage)
        self.body_edit.textChanged.connect(self._on_edited)
        self._load_stage()

    @property
    def stage(self) -> Stage:
        return Stage(self.stage_combo.currentData())

    def select_stage(self, stage: Stage | str) -> None:
        self.stage_combo.setCurrentIndex(self.stage_combo.findData(Stage(stage).value))

    def _load_stage(self) -> None:
        self._current = current_template(self.store, self.stage)
        self._loading = True
        self.body_edit.setPlainText(self._drafts.get(self.stage, self._current.body))
        self._loading = False
        self._on_edited()

    def _on_edited(self) -> None:
        assert self._current is not None
        body = self.body_edit.toPlainText()
        if not self._loading:
            if body == self._current.body:
                self._drafts.pop(self.stage, None)
            else:
                self._drafts[self.stage] = body
        try:
            validate_template(body)
        except DomainError as error:
            self.error.show_problem(str(error))
        else:
            self.error.show_problem(None)
        dirty = self.stage in self._drafts
        kind = (
            f"Your own text ({self._current.version})"
            if self._current.custom
            else f"The default text ({self._current.version})"
        )
        self.version_label.setText(kind + (" — edited, not saved." if dirty else "."))
        self.save_button.setEnabled(dirty)
        self.reset_button.setEnabled(self._current.custom or dirty)

    def insert_placeholder(self, index: QModelIndex) -> None:
        name = str(index.data()).split(" ", 1)[0]
        self.body_edit.insertPlainText(name)
        self.body_edit.setFocus()

    def save(self) -> bool:
        try:
            saved = save_template(self.store, self.stage, self.body_edit.toPlainText())
        except (DomainError, StoreError) as error:
            self.error.show_problem(str(error))
            return False
        self._drafts.pop(self.stage, None)
        self._current = saved
        self._on_edited()
        self.signals.settings_changed.emit()
        return True

    def reset(self) -> None:
        """Back to the shipped text, once the DPO has confirmed: their own text is deleted."""
        if not self._confirm_reset():
            return
        try:
            current = reset_template(self.store, self.stage)
        except StoreError as error:  # locked or unwritable: the DPO's text stays as it was
            self.error.show_problem(str(error))
            return
        self._drafts.pop(self.stage, None)
        self._current = current
        self._loading = True
        self.body_edit.setPlainText(self._current.body)
        self._loading = False
        self._on_edited()
        self.signals.settings_changed.emit()

    def unsaved_stages(self) -> list[Stage]:
        return list(self._drafts)

    def reject(self) -> None:
        if self._drafts and not self._confirm_discard():
            return
        super().reject()

    def _confirm_reset(self) -> bool:
        assert self._current is not None
        what = (
            "your own text of this letter is deleted"
            if self._current.custom
            else "your unsaved changes are lost"
        )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Reset to default",
            f"Go back to the default text of the {self.stage.label.lower()} letter? "
            f"If you do, {what}. Letters already generated are not changed.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        name_widget(box, "resetTemplateBox", "Reset to default")
        box.setDefaultButton(QMessageBox.StandardButton.No)  # Enter keeps the DPO's text
        try:
            return box.exec() == QMessageBox.StandardButton.Yes
        finally:
            box.deleteLater()

    def _confirm_discard(self) -> bool:
        names = ", ".join(stage.label for stage in self._drafts)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved templates",
            f"Your changes to these templates are not saved: {names}. Close and lose them?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        name_widget(box, "discardTemplatesBox", "Unsaved templates")
        box.setDefaultButton(QMessageBox.StandardButton.No)  # Enter keeps the edits
        try:
            return box.exec() == QMessageBox.StandardButton.Yes
        finally:
            box.deleteLater()

"""Small building blocks shared by the case dialogs: UK-style date edits, the error line shown
under a field, plain-text labels for user data, and naming for accessibility.

User data (names, addresses, notes) is never shown as rich text: a name like `<b>Ann</b>` must
appear exactly as typed, so every label that can hold it is forced to Qt.PlainText.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

UK_DATE_FORMAT = "ddd d MMM yyyy"
UK_LOCALE = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
EARLIEST = date(2000, 1, 1)
# One day before EARLIEST: a QDateEdit cannot be empty, so this value stands for "not set"
# and is displayed as the special value text.
UNSET = date(1999, 12, 31)
ERROR_STYLE = "color: #a4000f;"
WARNING_STYLE = (
    "background: #fff4ce; color: #3b2c00; border: 1px solid #d9b200; border-radius: 3px;"
    " padding: 6px;"
)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def name_widget(widget: QWidget, object_name: str, accessible_name: str) -> QWidget:
    """Give a widget the stable object name tests drive and the name screen readers say."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    return widget


def named_button(
    text: str,
    object_name: str,
    accessible_name: str,
    slot: Callable[[], object],
    *,
    auto_default: bool | None = None,
) -> QPushButton:
    """A push button with its stable names, wired to `slot` (auto-default as Qt decides
    unless told: a dialog's side buttons must not steal Enter from its main one)."""
    button = QPushButton(text)
    name_widget(button, object_name, accessible_name)
    if auto_default is not None:
        button.setAutoDefault(auto_default)
    button.clicked.connect(slot)
    return button


class UkDateEdit(QDateEdit):
    """A QDateEdit whose weekday section steps the date by whole days.

    Tab lands on the first section, the weekday of "Thu 2 Apr 2026"; Qt would step that
    within the week only (Sun does not go back to Sat), which surprises keyboard users.
    """

    def _on_weekday(self) -> bool:
        # Qt reports the weekday as DaySection too; tell them apart by position.
        return self.currentSectionIndex() == 0 and self.displayFormat().startswith("ddd")

    def stepBy(self, steps: int) -> None:
        if self._on_weekday():
            target = self.date().addDays(steps)
            target = max(self.minimumDate(), min(self.maximumDate(), target))
            self.setDate(target)
            self.setCurrentSectionIndex(0)
            return
        super().stepBy(steps)

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        if self._on_weekday():
            flags = QAbstractSpinBox.StepEnabledFlag.StepNone
            if self.date() > self.minimumDate():
                flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
            if self.date() < self.maximumDate():
                flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
            return flags
        return super().stepEnabled()


def date_edit(
    object_name: str,
    accessible_name: str,
    *,
    today: date,
    value: date | None = None,
    minimum: date = EARLIEST,
    allow_unset: bool = False,
) -> QDateEdit:
    """A date edit written the UK way ("Thu 2 Apr 2026") that cannot go past `today`.

    With `allow_unset`, the edit can show "not set" (for a draft whose date could not be
    read) instead of inventing a value.
    """
    edit = UkDateEdit()
    name_widget(edit, object_name, accessible_name)
    # Day and month names follow the widget's locale: British English whatever the
    # machine's (under LANG=de_DE.UTF-8 the edit would read "Do. 5 März 2026").
    edit.setLocale(UK_LOCALE)
    edit.setDisplayFormat(UK_DATE_FORMAT)
    inner = edit.findChild(QLineEdit)  # the spin box's own editor, focused with it
    if inner is not None:
        inner.setAccessibleName(accessible_name)
    edit.setCalendarPopup(True)
    edit.setMaximumDate(to_qdate(today))
    if allow_unset:
        edit.setMinimumDate(to_qdate(UNSET))
        edit.setSpecialValueText("Not set: choose the date")
    else:
        edit.setMinimumDate(to_qdate(min(minimum, today)))
    edit.setDate(to_qdate(value if value is not None else today))
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("Wed 30 Sept 2026") + 56)
    return edit


def date_value(edit: QDateEdit) -> date | None:
    """The chosen date, or None when the edit shows "not set"."""
    day = from_qdate(edit.date())
    return None if day == UNSET and edit.specialValueText() else day


def labelled_combo(
    label_text: str,
    object_name: str,
    accessible_name: str,
    items: Iterable[tuple[str, object]],
) -> tuple[QHBoxLayout, QComboBox]:
    """A row "Label: [combo    ]" with the label's mnemonic going to the combo."""
    row = QHBoxLayout()
    label = QLabel(label_text)
    combo = QComboBox()
    name_widget(combo, object_name, accessible_name)
    label.setBuddy(combo)
    for text, data in items:
        combo.addItem(text, data)
    row.addWidget(label)
    row.addWidget(combo, 1)
    return row, combo


def plain_label(text: str = "", object_name: str = "", *, wrap: bool = True) -> QLabel:
    """A label for user data: always plain text, selectable for copying."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    # Left means left even for an Arabic or Hebrew name: Qt would otherwise push a
    # right-to-left text to the far edge, away from its caption.
    label.setAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
    )
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


class FieldError(QLabel):
    """The line under a field that says why its value is refused; hidden when it is fine."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.setAccessibleName("Error")
        self.setVisible(False)

    def show_problem(self, problem: str | None) -> None:
        self.setText(problem or "")
        self.setAccessibleDescription(problem or "")
        self.setVisible(bool(problem))


def plain_text_edit(object_name: str, accessible_name: str, *, lines: int = 3) -> QPlainTextEdit:
    """A multi-line edit where Tab moves on (keyboard users must be able to leave it)."""
    edit = QPlainTextEdit()
    name_widget(edit, object_name, accessible_name)
    edit.setTabChangesFocus(True)
    line = edit.fontMetrics().lineSpacing()
    edit.setMinimumHeight(line * lines + 12)
    edit.setMaximumHeight(line * (lines + 2) + 12)  # room to grow a little, not a page
    return edit


def name_buttons(box: QDialogButtonBox, prefix: str) -> None:
    """Object and accessible names for the standard buttons of a dialog."""
    for button in box.buttons():
        role = box.standardButton(button)
        label = {
            QDialogButtonBox.StandardButton.Ok: "OkButton",
            QDialogButtonBox.StandardButton.Cancel: "CancelButton",
        }.get(role, "Button")
        name_widget(button, f"{prefix}{label}", button.text().replace("&", ""))


def ok_button(box: QDialogButtonBox) -> QPushButton:
    button = box.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button


def show_error(
    parent: QWidget, title: str, message: str, *, object_name: str = "domainErrorBox"
) -> QMessageBox:
    """A refused action, said plainly. Opened window-modal without blocking (`open`), so the
    caller's state is already consistent and tests can answer it like a user."""
    box = QMessageBox(parent)
    box.setObjectName(object_name)
    box.setAccessibleName(title)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class SubmitDialog(QDialog):
    """A dialog whose OK runs `submit` first and stays open, with what was typed, when the
    submission is refused (a DomainError shown to the user): nothing is lost or half-saved."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.submit: Callable[[], bool] | None = None

    def accept(self) -> None:
        if self.submit is not None and not self.submit():
            return
        super().accept()

    def fit_height(self) -> None:
        """Grow when error lines appear under fields (call after showing them): otherwise the
        layout squeezes the fields and an error is drawn over the field below it."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return  # before it is shown, Qt sizes the dialog to fit anyway
        layout.activate()
        needed = (
            layout.totalHeightForWidth(self.width())
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > self.height():
            self.resize(self.width(), needed)


def default_ok(box: QDialogButtonBox, text: str) -> QPushButton:
    """Name the OK button for what it does and make Enter press it (keyboard users)."""
    button = ok_button(box)
    button.setText(text)
    button.setDefault(True)
    return button


def add_field(form: QFormLayout, text: str, field: QWidget, *extras: QWidget) -> QVBoxLayout:
    """One form row: a label whose mnemonic focuses `field`, and under the field its error
    line (and any notes), stacked tightly so a hidden error takes no room."""
    label = QLabel(text)
    label.setBuddy(field)
    column = QVBoxLayout()
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    for extra in extras:
        column.addWidget(extra)
    form.addRow(label, column)
    return column


def read_only_rows(view: QTableView, *, word_wrap: bool) -> None:
    """A list shown as a table: one whole row selected at a time, nothing edited in place,
    no row numbers, and Tab leaves the table (it would otherwise cycle through the cells)."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setWordWrap(word_wrap)
    view.verticalHeader().setVisible(False)

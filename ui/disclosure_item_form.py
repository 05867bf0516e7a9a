"""The form under the Disclosure tab's item list: an item's title, source system, date,
decision and (to withhold) the exemption relied on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from app.disclosure import EXEMPTIONS, Decision, ItemInfo
from ui.disclosure_dialogs import name_editor
from ui.forms import date_edit, date_value, name_widget, to_qdate


@dataclass(frozen=True, slots=True)
class ItemValues:
    title: str
    source: str
    item_date: date | None
    decision: str
    exemption_key: str | None


class ItemForm(QWidget):
    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disclosureItemForm")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.title_edit = QLineEdit()
        name_widget(self.title_edit, "disclosureTitleEdit", "Title")
        form.addRow("&Title:", self.title_edit)
        self.source_combo = QComboBox()
        name_widget(self.source_combo, "disclosureSourceCombo", "Source system")
        self.source_combo.setEditable(True)
        name_editor(self.source_combo, "Source system")
        form.addRow("S&ource:", self.source_combo)
        self.date_edit = date_edit(
            "disclosureDateEdit", "Date of the item", today=today(), allow_unset=True
        )
        self.date_edit.setSpecialValueText("No date")
        form.addRow("Da&te:", self.date_edit)
        self.decision_combo = QComboBox()
        name_widget(self.decision_combo, "disclosureDecisionCombo", "Decision")
        for decision in Decision:
            self.decision_combo.addItem(decision.label, decision.value)
        self.decision_combo.currentIndexChanged.connect(self._decision_changed)
        form.addRow("&Decision:", self.decision_combo)
        self.exemption_combo = QComboBox()
        name_widget(self.exemption_combo, "disclosureExemptionCombo", "Exemption")
        self.exemption_combo.addItem("Choose the exemption…", None)
        for exemption in EXEMPTIONS:
            self.exemption_combo.addItem(exemption.text, exemption.key)
        form.addRow("E&xemption:", self.exemption_combo)
        for combo in (self.source_combo, self.decision_combo, self.exemption_combo):
            # The long exemption texts must not widen the form until its labels are cut.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
        self.fill(None)

    def set_sources(self, sources: Sequence[str]) -> None:
        """Offer these source systems (the register's, and those used already)."""
        current = self.source_combo.currentText()
        self.source_combo.blockSignals(True)
        self.source_combo.clear()
        self.source_combo.addItems(list(sources))
        self.source_combo.setEditText(current)
        self.source_combo.blockSignals(False)

    def fill(self, item: ItemInfo | None) -> None:
        self.title_edit.setText(item.title if item else "")
        self.source_combo.setEditText(item.source if item else "")
        if item and item.item_date:
            self.date_edit.setDate(to_qdate(item.item_date))
        else:
            self.date_edit.setDate(self.date_edit.minimumDate())
        decision = item.decision.value if item else Decision.DISCLOSE.value
        self.decision_combo.setCurrentIndex(self.decision_combo.findData(decision))
        exemption = item.exemption if item else None
        self.exemption_combo.setCurrentIndex(max(0, self.exemption_combo.findData(exemption)))
        for widget in (self.title_edit, self.source_combo, self.date_edit, self.decision_combo):
            widget.setEnabled(item is not None)
        self._decision_changed()

    def values(self) -> ItemValues:
        return ItemValues(
            title=self.title_edit.text(),
            source=self.source_combo.currentText(),
            item_date=date_value(self.date_edit),
            decision=str(self.decision_combo.currentData()),
            exemption_key=self.exemption_combo.currentData(),
        )

    def _decision_changed(self, *_args: object) -> None:
        withhold = self.decision_combo.currentData() == Decision.WITHHOLD
        self.exemption_combo.setEnabled(withhold and self.decision_combo.isEnabled())

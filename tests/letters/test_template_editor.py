"""The template editor dialog: edit, see problems as you type, save, reset."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.letters.stages import Stage
from app.letters.templates import current_template, default_text
from app.store import Store
from ui.signals import StoreSignals
from ui.template_editor import TemplateEditorDialog


def test_edit_save_and_reset(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    signals = StoreSignals()
    dialog = TemplateEditorDialog(store, signals)
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "templateEditorDialog"
    assert dialog.body_edit.toPlainText() == default_text(Stage.ACKNOWLEDGEMENT)
    assert not dialog.save_button.isEnabled() and not dialog.reset_button.isEnabled()
    assert dialog.version_label.text().startswith("The default text (default-")

    dialog.body_edit.setPlainText("Dear $requester_name, about $foo.")
    assert dialog.error.isVisibleTo(dialog)
    assert "$foo" in dialog.error.text()
    assert not dialog.save() and not current_template(store, Stage.ACKNOWLEDGEMENT).custom

    dialog.body_edit.setPlainText("Subject: Hello\n\nDear $requester_name,\n\nThanks.\n")
    assert not dialog.error.isVisibleTo(dialog)
    dialog.select_stage(Stage.REFUSAL)  # the draft survives switching
    assert dialog.unsaved_stages() == [Stage.ACKNOWLEDGEMENT]
    dialog.select_stage(Stage.ACKNOWLEDGEMENT)
    assert dialog.body_edit.toPlainText().startswith("Subject: Hello")
    with qtbot.waitSignal(signals.settings_changed):
        dialog.save_button.click()
    stored = current_template(store, Stage.ACKNOWLEDGEMENT)
    assert stored.custom and stored.version == "custom-v1"
    assert "custom-v1" in dialog.version_label.text()
    dialog.show()
    dialog.grab().save(str(tmp_path / "template_editor.png"))

    asked: list[bool] = []

    def decline() -> bool:
        asked.append(True)
        return False

    dialog._confirm_reset = decline  # type: ignore[method-assign]
    dialog.reset_button.click()  # a one-click reset used to delete the DPO's text unasked
    assert asked == [True]
    assert current_template(store, Stage.ACKNOWLEDGEMENT).custom
    assert dialog.body_edit.toPlainText().startswith("Subject: Hello")

    dialog._confirm_reset = lambda: True  # type: ignore[method-assign]
    with qtbot.waitSignal(signals.settings_changed):
        dialog.reset_button.click()
    assert not current_template(store, Stage.ACKNOWLEDGEMENT).custom
    assert dialog.body_edit.toPlainText() == default_text(Stage.ACKNOWLEDGEMENT)


def test_double_click_inserts_a_placeholder(qtbot: QtBot, store: Store) -> None:
    dialog = TemplateEditorDialog(store, StoreSignals())
    qtbot.addWidget(dialog)
    dialog.body_edit.setPlainText("")
    index = dialog.placeholder_model.index(0)
    dialog.insert_placeholder(index)
    assert dialog.body_edit.toPlainText() == "$requester_name"

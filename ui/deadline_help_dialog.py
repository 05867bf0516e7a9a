"""Help ▸ How deadlines are counted (F1): app.deadline_help shown for this organisation's
region and promise. Each section cites the law, and a shaded note says where the desk follows
the ICO's published reading."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.deadline_help import HelpSection, deadline_help
from app.settings import load_settings
from app.store import Store
from ui.forms import name_buttons, name_widget


def help_html(sections: list[HelpSection]) -> str:
    """The sections as rich text; every piece of text is escaped, so it stays text."""
    parts = []
    for section in sections:
        parts.append(f"<h3>{escape(section.title)}</h3>")
        parts.append(f"<p><i>{escape(section.cites)}</i></p>")
        parts += [f"<p>{escape(paragraph)}</p>" for paragraph in section.paragraphs]
        if section.ico_reading:
            parts.append(
                '<table width="100%" cellpadding="6" style="background-color:#eef3f8;">'
                f"<tr><td><b>Following the ICO.</b> {escape(section.ico_reading)}</td></tr>"
                "</table>"
            )
    return "\n".join(parts)


class DeadlineHelpDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deadlineHelpDialog")
        self.setAccessibleName("How deadlines are counted")
        self.setWindowTitle("How deadlines are counted")
        settings = load_settings(store)
        self.sections = deadline_help(settings.region, settings.promise_days)
        self.text = QTextBrowser(self)
        name_widget(self.text, "deadlineHelpText", "How deadlines are counted")
        self.text.setOpenLinks(False)
        self.text.setHtml(help_html(self.sections))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        name_buttons(buttons, "deadlineHelp")
        name_widget(buttons, "deadlineHelpButtons", "Help buttons")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        width = self.text.fontMetrics().horizontalAdvance("x" * 84)
        self.resize(width + 60, 640)

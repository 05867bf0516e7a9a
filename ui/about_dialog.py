"""Help ▸ About: what this copy is, and every component it ships with under which licence
(the same text as THIRD-PARTY-NOTICES.txt beside the executable, with the LGPL source offer).
"""

from __future__ import annotations

from importlib import metadata

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.notices import NOTICES_NAME, NoticeMissing, read_notices
from ui.forms import name_buttons, name_widget, plain_text_edit


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setAccessibleName("About DSAR Desk")
        self.setWindowTitle("About DSAR Desk")
        try:
            version = metadata.version("dsar-desk")
        except metadata.PackageNotFoundError:
            version = "(version unknown)"
        heading = QLabel(f"<b>DSAR Desk {version}</b>", self)
        heading.setObjectName("aboutHeading")
        summary = QLabel(
            "Case management for data subject requests under UK GDPR. Proprietary software, "
            "built with the open-source components listed below, each under its own licence. "
            f"The same text ships as {NOTICES_NAME} beside the program. The charts of the "
            "Reports window are drawn with Qt's QPainter (LGPL-3.0): Qt Charts is offered "
            "only under the GPL-3.0 or a commercial licence, so it is neither used nor shipped.",
            self,
        )
        summary.setObjectName("aboutSummary")
        summary.setWordWrap(True)
        self.notices = plain_text_edit("noticesText", "Third-party notices", lines=24)
        self.notices.setMaximumHeight(16_777_215)
        self.notices.setReadOnly(True)
        # Long licence statements wrap rather than run off the right edge.
        self.notices.setLineWrapMode(self.notices.LineWrapMode.WidgetWidth)
        self.notices.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        try:
            self.notices.setPlainText(read_notices())
        except (OSError, NoticeMissing) as error:
            self.notices.setPlainText(f"The notices could not be read: {error}")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        name_buttons(buttons, "about")
        name_widget(buttons, "aboutButtons", "About buttons")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(summary)
        layout.addWidget(self.notices, 1)
        layout.addWidget(buttons)
        width = self.notices.fontMetrics().horizontalAdvance("x" * 92)
        self.resize(width + 60, 620)

"""The page viewer of the Disclosure tab: one page of an item at a time, rendered by Qt's PDF
module (QtPdf, PDFium, the engine app.disclosure burns pages with), its redactions shown as
dark boxes, and new boxes drawn with the mouse while "Redact box" is on.

Boxes are shown see-through here so the DPO can check what they cover; in what goes out
(the bundle) the same boxes are solid and what was under them is gone. Coordinates go to
app.disclosure in points on the page as shown, from its top-left corner.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.disclosure import Box, RedactionInfo
from ui.forms import name_widget, named_button

SHOWN_FILL = QColor(0, 0, 0, 150)
SELECTED = QColor("#d4351c")
DRAWING = QColor("#1d70b8")


class PageCanvas(QWidget):
    """A rendered page with its boxes; draws a new box by dragging when allowed."""

    boxDrawn = Signal(object)  # Box, in points
    boxClicked = Signal(int)  # redaction id, 0 for none

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "redactionPageCanvas", "Page")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._image = QImage()
        self._scale = 1.0  # pixels per point
        self._boxes: list[tuple[int, Box]] = []
        self.selected = 0
        self.drawing = False
        self._start: QPointF | None = None
        self._current: QPointF | None = None

    def set_page(self, image: QImage, scale: float, boxes: list[tuple[int, Box]]) -> None:
        self._image, self._scale, self._boxes = image, scale, boxes
        if self.selected not in {i for i, _ in boxes}:
            self.selected = 0
        self.setFixedSize(image.size())
        self.update()

    def set_drawing(self, on: bool) -> None:
        self.drawing = on
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if not self._image.isNull():
            painter.drawImage(0, 0, self._image)
        for redaction_id, box in self._boxes:
            rect = self._to_pixels(box)
            painter.fillRect(rect, SHOWN_FILL)
            if redaction_id == self.selected:
                painter.setPen(QPen(SELECTED, 2))
                painter.drawRect(rect)
        if self._start is not None and self._current is not None:
            painter.setPen(QPen(DRAWING, 2, Qt.PenStyle.DashLine))
            painter.fillRect(QRectF(self._start, self._current).normalized(), QColor(0, 0, 0, 90))
            painter.drawRect(QRectF(self._start, self._current).normalized())
        painter.end()

    def _to_pixels(self, box: Box) -> QRectF:
        s = self._scale
        return QRectF(box.x0 * s, box.top * s, (box.x1 - box.x0) * s, (box.bottom - box.top) * s)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        if self.drawing and event.button() == Qt.MouseButton.LeftButton:
            self._start = self._current = point
            return
        hit = 0
        for redaction_id, box in reversed(self._boxes):
            if self._to_pixels(box).contains(point):
                hit = redaction_id
                break
        self.selected = hit
        self.update()
        self.boxClicked.emit(hit)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._start is not None:
            self._current = event.position()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._start is None:
            return
        start, end = self._start, event.position()
        self._start = self._current = None
        self.update()
        s = self._scale or 1.0
        box = Box(start.x() / s, start.y() / s, end.x() / s, end.y() / s).normalised()
        if not box.empty:
            self.boxDrawn.emit(box)


class RedactionView(QWidget):
    """Page navigation around a PageCanvas, fitted to the pane's width."""

    boxDrawn = Signal(int, object)  # page (1-based), Box
    redactionSelected = Signal(int)  # redaction id, 0 for none

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "redactionView", "Pages of the item, with its redactions")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.previous_button = named_button(
            "◀ Previous", "redactionPreviousPageButton", "Previous page", self.previous_page
        )
        self.page_spin = QSpinBox()
        name_widget(self.page_spin, "redactionPageSpin", "Page")
        self.page_spin.setMinimum(1)
        inner = self.page_spin.findChild(QLineEdit)  # the spin box's own editor
        if inner is not None:
            inner.setAccessibleName("Page")
        self.page_spin.valueChanged.connect(self._show)
        self.count_label = QLabel("")
        self.count_label.setObjectName("redactionPageCountLabel")
        self.next_button = named_button(
            "Next ▶", "redactionNextPageButton", "Next page", self.next_page
        )
        row.addWidget(self.previous_button)
        row.addWidget(QLabel("Page"))
        row.addWidget(self.page_spin)
        row.addWidget(self.count_label)
        row.addWidget(self.next_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.scroll = QScrollArea()
        name_widget(self.scroll, "redactionScrollArea", "Page")
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setBackgroundRole(self.palette().ColorRole.Dark)
        self.canvas = PageCanvas()
        self.scroll.setWidget(self.canvas)
        layout.addWidget(self.scroll, 1)
        self.message = QLabel("Select an item to see its pages.")
        self.message.setObjectName("redactionMessageLabel")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self._redactions: list[RedactionInfo] = []
        self.canvas.boxDrawn.connect(lambda box: self.boxDrawn.emit(self.page, box))
        self.canvas.boxClicked.connect(self.redactionSelected.emit)
        self._update_navigation()

    @property
    def page(self) -> int:
        return self.page_spin.value()

    def page_count(self) -> int:
        return self.document.pageCount()

    def set_item(self, pdf: bytes | None, redactions: list[RedactionInfo]) -> None:
        """Show an item's pages (None: nothing selected); keeps the page when it can."""
        keep = self.page
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self._redactions = redactions
        if pdf is not None:
            self._buffer = QBuffer(self)
            self._buffer.setData(QByteArray(pdf))
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document.load(self._buffer)
        count = self.document.pageCount()
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(1, count))
        self.page_spin.setValue(min(max(1, keep), max(1, count)))
        self.page_spin.blockSignals(False)
        self.message.setVisible(count == 0)
        self._show()

    def set_redactions(self, redactions: list[RedactionInfo]) -> None:
        self._redactions = redactions
        self._show()

    def set_drawing(self, on: bool) -> None:
        self.canvas.set_drawing(on)
        self.message.setText(
            "Drag over what is to be redacted; the reason chosen above is recorded with it."
            if on
            else ""
        )
        self.message.setVisible(on or self.page_count() == 0)

    def previous_page(self) -> None:
        self.page_spin.setValue(self.page - 1)

    def next_page(self) -> None:
        self.page_spin.setValue(self.page + 1)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._show()

    def _show(self) -> None:
        count = self.document.pageCount()
        if count == 0:
            self.canvas.set_page(QImage(), 1.0, [])
            self._update_navigation()
            return
        index = self.page - 1
        points = self.document.pagePointSize(index)
        width = max(200, self.scroll.viewport().width() - 4)
        scale = width / max(1.0, points.width())
        size = QSize(round(points.width() * scale), round(points.height() * scale))
        image = self.document.render(index, size)
        boxes = [(r.id, r.box) for r in self._redactions if r.page == self.page and r.in_force]
        self.canvas.set_page(image, scale, boxes)
        self._update_navigation()

    def _update_navigation(self) -> None:
        count = self.document.pageCount()
        self.count_label.setText(f"of {count}" if count else "")
        self.previous_button.setEnabled(count > 0 and self.page > 1)
        self.next_button.setEnabled(count > 0 and self.page < count)
        self.page_spin.setEnabled(count > 1)

"""A PDF shown as it will print: the pages rendered by Qt's PDF module (QtPdf, pdfium) from
the very bytes that are kept and sent, and the same pages sent to a printer.

Printing draws each rendered page image onto the printer's page with QPainter; the letter is
not re-laid-out by Qt, so what prints is what the preview shows and what the record holds.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from ui.forms import name_widget

PRINT_DPI_CAP = 300  # enough for text on paper; a 1200 dpi page image would be ~0.5 GB


def load_document(pdf: bytes, parent: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over `pdf`. The buffer must live as long as the document."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    return document, buffer


def render_page(document: QPdfDocument, page: int, dpi: float) -> QImage:
    points = document.pagePointSize(page)
    size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    return document.render(page, size)


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Send every page of `pdf` to `printer`; returns the number of pages printed."""
    document, buffer = load_document(pdf)
    try:
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
            raise ValueError("The letter could not be read for printing.")
        dpi = min(printer.resolution(), PRINT_DPI_CAP)
        # Paint on the whole sheet, 1:1: within the printable area the page was shrunk and
        # shifted by the printer's margins, moving the address out of the envelope window.
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("The printer could not be started.")
        try:
            for page in range(document.pageCount()):
                if page:
                    printer.newPage()
                image = render_page(document, page, dpi)
                target = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
                target.moveTo(0, 0)
                scaled = image.size().scaled(
                    target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio
                )
                painter.drawImage(QRectF(0, 0, scaled.width(), scaled.height()), image)
        finally:
            painter.end()
        return document.pageCount()
    finally:
        document.close()
        buffer.close()


class PdfPreview(QWidget):
    """The pages of one PDF, or a message saying why there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "pdfPreview", "Letter preview")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.message = QLabel()
        name_widget(self.message, "pdfPreviewMessage", "Preview message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setMargin(24)
        self.stack.addWidget(self.message)
        self.view = QPdfView()
        name_widget(self.view, "pdfPreviewView", "Letter pages")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack.addWidget(self.view)
        # One document for the widget's life, reloaded per letter: the view keeps its
        # pointer, and swapping documents under it makes QtPdf warn.
        self.document = QPdfDocument(self)
        self.view.setDocument(self.document)
        self._buffer: QBuffer | None = None

    def set_pdf(self, pdf: bytes) -> None:
        self._release()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.stack.setCurrentWidget(self.view)

    def show_message(self, text: str) -> None:
        self._release()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def page_count(self) -> int:
        return self.document.pageCount()

    def _release(self) -> None:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
        self._buffer = None

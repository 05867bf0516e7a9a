"""Small charts drawn with QPainter: stacked or grouped bars, and lines.

Why not QtCharts: the Qt Charts module is licensed under the GPL v3 (or a commercial Qt
licence), not the LGPL, and DSAR Desk ships as a proprietary bundle with no GPL runtime
dependency (BRIEF.md). Three chart kinds are a few hundred lines of painting, and keeping
the data as plain `Series` makes them easy to test: a test reads `chart.series()` and gets
the very numbers that were drawn.

Each point remembers the cases behind it; clicking a bar or a point emits
`pointActivated(series_index, category_index)` so the window can list those cases.
Colours are the Okabe–Ito palette (safe for colour-vision deficiencies); every series is
also named in the legend and in the tooltip, so no colour has to be told apart alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # one per category; None: nothing to measure
    case_ids: tuple[tuple[int, ...], ...] = ()  # the cases behind each value
    color: str = ""


class Chart(QWidget):
    """A titled chart over categories (months, outcomes) with a legend."""

    pointActivated = Signal(int, int)  # series index, category index

    def __init__(
        self,
        object_name: str,
        title: str,
        *,
        kind: str = "bars",  # "bars", "stacked" or "line"
        unit: str = "",
        maximum: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.title = title
        self.kind = kind
        self.unit = unit
        self.maximum = maximum
        self._categories: tuple[str, ...] = ()
        self._series: tuple[Series, ...] = ()
        self._hits: list[tuple[QRectF, int, int]] = []

    def set_data(self, categories: list[str], series: list[Series]) -> None:
        self._categories = tuple(categories)
        self._series = tuple(
            s if s.color else Series(s.name, s.values, s.case_ids, PALETTE[n % len(PALETTE)])
            for n, s in enumerate(series)
        )
        summary = "; ".join(
            f"{s.name}: "
            + ", ".join(
                f"{c} {_number(v, self.unit)}" for c, v in zip(categories, s.values, strict=True)
            )
            for s in self._series
        )
        self.setAccessibleDescription(summary)
        self.update()

    def categories(self) -> list[str]:
        return list(self._categories)

    def series(self) -> list[Series]:
        return list(self._series)

    def sizeHint(self) -> QSize:
        return QSize(420, 260)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 180)

    # -- painting ---------------------------------------------------------------------------

    def _top(self) -> float:
        if self.maximum is not None:
            return self.maximum
        if self.kind == "stacked":
            totals = [
                sum(s.values[i] or 0 for s in self._series) for i in range(len(self._categories))
            ]
        else:
            totals = [v or 0 for s in self._series for v in s.values]
        return _nice(max(totals, default=0))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        title_font = self.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(self.palette().text().color())
        painter.drawText(
            QRectF(8, 4, self.width() - 16, line + 4), Qt.AlignmentFlag.AlignLeft, self.title
        )
        painter.setFont(self.font())
        legend_rows = self._legend(painter, metrics, top=line + 8)
        top_value = self._top()
        left = metrics.horizontalAdvance(_number(top_value, self.unit)) + 14
        plot = QRectF(left, line + 12 + legend_rows * (line + 2), self.width() - left - 10, 0)
        slot = plot.width() / max(len(self._categories), 1)
        label_rows = max((len(_label_lines(c, slot, metrics)) for c in self._categories), default=1)
        plot.setBottom(self.height() - label_rows * line - 10)
        self._hits = []
        if plot.height() < 20 or not self._categories:
            return
        self._axes(painter, plot, top_value, metrics)
        if self.kind == "line":
            self._lines(painter, plot, top_value)
        else:
            self._bars(painter, plot, top_value)
        painter.end()

    def _legend(self, painter: QPainter, metrics: QFontMetrics, *, top: float) -> int:
        x, rows = 8.0, 1
        line = metrics.height()
        for s in self._series:
            width = 14 + metrics.horizontalAdvance(s.name) + 14
            if x + width > self.width() - 8 and x > 8:
                x, rows = 8.0, rows + 1
            y = top + (rows - 1) * (line + 2)
            painter.fillRect(QRectF(x, y + line / 2 - 5, 10, 10), QColor(s.color))
            painter.setPen(self.palette().text().color())
            painter.drawText(QPointF(x + 14, y + metrics.ascent()), s.name)
            x += width
        return rows

    def _axes(self, painter: QPainter, plot: QRectF, top: float, metrics: QFontMetrics) -> None:
        grid = QPen(QColor("#D0D0D0"))
        text = self.palette().text().color()
        for step in range(5):
            value = top * step / 4
            y = plot.bottom() - plot.height() * step / 4
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            label = _number(value, self.unit)
            painter.drawText(
                QPointF(
                    plot.left() - 6 - metrics.horizontalAdvance(label), y + metrics.ascent() / 2
                ),
                label,
            )
        slot = plot.width() / len(self._categories)
        for n, category in enumerate(self._categories):
            for row, label in enumerate(_label_lines(category, slot, metrics)):
                x = plot.left() + slot * n + (slot - metrics.horizontalAdvance(label)) / 2
                y = plot.bottom() + metrics.ascent() + 4 + row * metrics.height()
                painter.drawText(QPointF(x, y), label)

    def _bars(self, painter: QPainter, plot: QRectF, top: float) -> None:
        slot = plot.width() / len(self._categories)
        stacked = self.kind == "stacked"
        count = 1 if stacked else max(len(self._series), 1)
        width = slot * 0.7 / count
        for c in range(len(self._categories)):
            base = plot.bottom()
            for n, s in enumerate(self._series):
                value = s.values[c] or 0
                height = plot.height() * value / top if top else 0
                x = plot.left() + slot * c + slot * 0.15 + (0 if stacked else width * n)
                rect = QRectF(x, base - height, width, height)
                if stacked:
                    base -= height
                if value:
                    painter.fillRect(rect, QColor(s.color))
                    self._hits.append((rect, n, c))

    def _lines(self, painter: QPainter, plot: QRectF, top: float) -> None:
        slot = plot.width() / len(self._categories)
        for n, s in enumerate(self._series):
            pen = QPen(QColor(s.color), 2.5)
            pen.setStyle(Qt.PenStyle.SolidLine if n % 2 == 0 else Qt.PenStyle.DashLine)
            painter.setPen(pen)
            previous: QPointF | None = None
            for c, value in enumerate(s.values):
                if value is None:
                    previous = None
                    continue
                point = QPointF(
                    plot.left() + slot * c + slot / 2,
                    plot.bottom() - (plot.height() * value / top if top else 0),
                )
                if previous is not None:
                    painter.drawLine(previous, point)
                painter.setBrush(QColor(s.color))
                painter.drawEllipse(point, 4, 4)
                self._hits.append((QRectF(point.x() - 6, point.y() - 6, 12, 12), n, c))
                previous = point

    # -- interaction ------------------------------------------------------------------------

    def hit(self, position: QPointF) -> tuple[int, int] | None:
        for rect, series, category in reversed(self._hits):
            if rect.contains(position):
                return series, category
        return None

    def point_rect(self, series: int, category: int) -> QRectF | None:
        """Where a point was drawn (for tests that click it)."""
        for rect, s, c in self._hits:
            if (s, c) == (series, category):
                return rect
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        found = self.hit(event.position())
        if found is None:
            QToolTip.hideText()
            return
        s = self._series[found[0]]
        value = s.values[found[1]]
        QToolTip.showText(
            event.globalPosition().toPoint(),
            f"{s.name}, {self._categories[found[1]]}: {_number(value, self.unit)}"
            " — click for the cases",
            self,
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        found = self.hit(event.position())
        if found is not None and event.button() == Qt.MouseButton.LeftButton:
            self.pointActivated.emit(*found)


def _label_lines(category: str, slot: float, metrics: QFontMetrics) -> list[str]:
    """A category name on one line, or on two at a space when one is too narrow ("Partly
    fulfilled", "No data held" under a bar); only a longer name is elided."""
    room = int(slot) - 2
    if metrics.horizontalAdvance(category) <= room or " " not in category:
        return [metrics.elidedText(category, Qt.TextElideMode.ElideRight, room)]
    words = category.split(" ")
    splits = [(" ".join(words[:n]), " ".join(words[n:])) for n in range(1, len(words))]
    first, second = min(
        splits, key=lambda p: max(metrics.horizontalAdvance(p[0]), metrics.horizontalAdvance(p[1]))
    )
    return [metrics.elidedText(part, Qt.TextElideMode.ElideRight, room) for part in (first, second)]


def _nice(value: float) -> float:
    """A round top for the axis: 4, 8, 20, 40, 100 ... so the grid reads easily."""
    if value <= 0:
        return 4
    step = 1.0
    while step * 4 < value:
        step *= 2 if str(int(step))[0] in "15" else 2.5
    return step * 4


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    text = f"{value:g}" if value != int(value) else f"{int(value)}"
    return f"{text}{unit}"

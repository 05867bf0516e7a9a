"""How urgency looks in a list: a colour, a word and a shape, so no one has to tell red
from green to see that a deadline is missed.

Colours are light tints of the Okabe–Ito palette (safe for the common colour-vision
deficiencies) under near-black text, so every pairing clears WCAG AA contrast. Each urgency
also has its own icon shape (triangle, diamond, clock, tick, pause bars, square) and its own
words. "Past our promise" (the statutory date still ahead) is never worded or drawn as
"overdue": only a case past the law's date is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from app.domain import Status, Urgency

if TYPE_CHECKING:  # not at start: app.readmodels brings the bank holidays (issue 14)
    from app.readmodels import CaseRow


@dataclass(frozen=True, slots=True)
class UrgencyLook:
    background: str  # tint behind the text
    foreground: str  # text on that tint
    mark: str  # the icon's colour (the full-strength palette colour)


LOOKS: dict[Urgency, UrgencyLook] = {
    Urgency.OVERDUE: UrgencyLook("#F8D5C2", "#1A1A1A", "#D55E00"),  # vermillion
    Urgency.PAST_PROMISE: UrgencyLook("#F2DAE8", "#1A1A1A", "#A8437F"),  # reddish purple
    Urgency.DUE_SOON: UrgencyLook("#FBE8B4", "#1A1A1A", "#B07A00"),  # orange
    Urgency.ON_TRACK: UrgencyLook("#CFEDE2", "#1A1A1A", "#007A5A"),  # bluish green
    Urgency.PAUSED: UrgencyLook("#D5E8F6", "#1A1A1A", "#0072B2"),  # blue
    Urgency.CLOSED: UrgencyLook("#E8E8E8", "#3A3A3A", "#707070"),  # grey
}


def status_text(row: CaseRow) -> str:
    """The Status column: what state the case is in and, if it runs, how urgent it is."""
    from app.formatting import uk_date  # babel: not before the window shows

    match row.urgency:
        case Urgency.OVERDUE:
            days = -row.statutory_days_left
            return f"Overdue · {days} day{'s' if days != 1 else ''}"
        case Urgency.PAST_PROMISE:
            return f"Past our promise · law: {uk_date(row.statutory_due)}"
        case Urgency.DUE_SOON:
            if row.days_left == 0:
                return "Due today"
            return f"Due soon · {row.days_left} day{'s' if row.days_left != 1 else ''}"
        case Urgency.ON_TRACK:
            return "Open · on track"
        case Urgency.PAUSED:
            return row.status.label
        case Urgency.CLOSED:
            if row.outcome is None or row.closed_on is None:
                return Status.CLOSED.label
            return f"Closed · {row.outcome.label}, {uk_date(row.closed_on)}"


def days_left_text(row: CaseRow) -> str:
    """The Days left column: the count only means something while the clock runs."""
    from app.formatting import days_phrase  # babel: not before the window shows

    if row.urgency is Urgency.CLOSED:
        if row.closed_on is None:
            return "—"
        late = row.days_late
        return f"late by {late} day{'s' if late != 1 else ''}" if late else "in time"
    if row.urgency is Urgency.PAUSED:
        return "clock stopped"
    if row.urgency is Urgency.OVERDUE:
        return days_phrase(row.statutory_days_left)  # overdue counts from the law's date
    if row.urgency is Urgency.PAST_PROMISE:
        days = -row.days_left
        return f"{days} day{'s' if days != 1 else ''} past promise"
    return days_phrase(row.days_left)


def tooltip(row: CaseRow) -> str:
    from app.formatting import days_phrase, uk_date  # babel: not before the window shows

    if row.urgency is Urgency.PAST_PROMISE:
        left = days_phrase(row.statutory_days_left)
        return (
            f"Past our promise of {uk_date(row.effective_due)}; the statutory deadline is "
            f"{uk_date(row.statutory_due)} ({left}), so the case is not overdue yet."
        )
    return f"{row.urgency.label}: {days_left_text(row)}"


@cache
def urgency_icon(urgency: Urgency, size: int = 16) -> QIcon:
    """A small shape per urgency, drawn with QPainter (no image files to ship)."""
    icon = QIcon()
    for scale in (1, 2):
        icon.addPixmap(_draw(urgency, size * scale))
    return icon


def _draw(urgency: Urgency, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        _paint(painter, urgency, float(size))
    finally:
        painter.end()
    return pixmap


def _paint(painter: QPainter, urgency: Urgency, s: float) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(LOOKS[urgency].mark)
    white = QPen(QColor("white"), max(1.5, s / 9))
    white.setCapStyle(Qt.PenCapStyle.RoundCap)
    box = QRectF(s * 0.06, s * 0.06, s * 0.88, s * 0.88)
    match urgency:
        case Urgency.OVERDUE:  # warning triangle with "!"
            triangle = QPolygonF(
                [QPointF(s / 2, s * 0.04), QPointF(s * 0.97, s * 0.93), QPointF(s * 0.03, s * 0.93)]
            )
            path = QPainterPath()
            path.addPolygon(triangle)
            painter.fillPath(path, colour)
            painter.setPen(white)
            painter.drawLine(QPointF(s / 2, s * 0.36), QPointF(s / 2, s * 0.62))
            painter.drawPoint(QPointF(s / 2, s * 0.78))
        case Urgency.PAST_PROMISE:  # diamond with "!"
            diamond = QPolygonF(
                [
                    QPointF(s / 2, s * 0.03),
                    QPointF(s * 0.97, s / 2),
                    QPointF(s / 2, s * 0.97),
                    QPointF(s * 0.03, s / 2),
                ]
            )
            path = QPainterPath()
            path.addPolygon(diamond)
            painter.fillPath(path, colour)
            painter.setPen(white)
            painter.drawLine(QPointF(s / 2, s * 0.26), QPointF(s / 2, s * 0.56))
            painter.drawPoint(QPointF(s / 2, s * 0.74))
        case Urgency.DUE_SOON:  # clock face
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(box)
            painter.setPen(white)
            centre = QPointF(s / 2, s / 2)
            painter.drawLine(centre, QPointF(s / 2, s * 0.24))
            painter.drawLine(centre, QPointF(s * 0.72, s / 2))
        case Urgency.ON_TRACK:  # tick in a circle
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(box)
            painter.setPen(white)
            painter.drawPolyline(
                QPolygonF(
                    [
                        QPointF(s * 0.28, s * 0.52),
                        QPointF(s * 0.44, s * 0.68),
                        QPointF(s * 0.72, s * 0.34),
                    ]
                )
            )
        case Urgency.PAUSED:  # pause bars in a circle
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(box)
            painter.setPen(white)
            painter.drawLine(QPointF(s * 0.4, s * 0.3), QPointF(s * 0.4, s * 0.7))
            painter.drawLine(QPointF(s * 0.6, s * 0.3), QPointF(s * 0.6, s * 0.7))
        case Urgency.CLOSED:  # filled square
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(box.adjusted(s * 0.08, s * 0.08, -s * 0.08, -s * 0.08), 2, 2)


def bold(font: QFont) -> QFont:
    heavier = QFont(font)
    heavier.setBold(True)
    return heavier

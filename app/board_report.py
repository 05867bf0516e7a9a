"""The printable report for the board: the period's figures, three charts and the reasons
for lateness, on A4 (reportlab).

Only references, dates, counts and the DPO's own words (grounds, reasons) appear, never a
requester's name. Those words are user data: they pass through app.letters.markup (escaped,
any script in an embedded font) before reportlab sees them. The charts use reportlab's own
graphics, drawn from the same `Report` the window shows.
"""

from __future__ import annotations

import io

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.domain import Outcome, RequestType
from app.formatting import uk_date
from app.letters.markup import BOLD, REGULAR, markup, register_fonts
from app.reports import Report

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
WIDTH = A4[0] - 40 * mm - 12  # the text frame: 20 mm margins, reportlab's 6 pt padding each side


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=16, leading=20),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
    }


def board_report_pdf(report: Report, *, org_name: str = "") -> bytes:
    s = _styles()
    story: list = [
        Paragraph(markup(f"Data subject requests: {report.period.label}"), s["title"]),
        Paragraph(
            markup(
                f"{org_name + ' · ' if org_name else ''}{uk_date(report.period.start)} to "
                f"{uk_date(report.period.end)} · prepared {uk_date(report.on)}"
            ),
            s["body"],
        ),
        Spacer(1, 4 * mm),
    ]
    for group, figures in report.in_groups():
        rows = [[Paragraph(markup(f.label), s["cell"]), f.text] for f in figures]
        story.append(
            KeepTogether([Paragraph(markup(group), s["heading"]), _table(rows, (0.78, 0.22))])
        )
    for title, chart in (
        ("Requests received per month, by type", _received_chart(report)),
        ("Answered in time, per month", _timeliness_chart(report)),
        ("Outcomes of cases closed", _outcomes_chart(report)),
    ):  # a heading never ends a page without its chart
        story.append(KeepTogether([Paragraph(title, s["heading"]), chart]))
    story.append(Paragraph("Answered after the statutory deadline", s["heading"]))
    if report.late:
        rows = [["Case", "Closed", "Days late", "Why"]] + [
            [
                late.reference,
                uk_date(late.closed_on),
                str(late.days_late),
                Paragraph(markup(late.reason or "No reason recorded."), s["cell"]),
            ]
            for late in report.late
        ]
        story.append(_table(rows, (0.2, 0.2, 0.12, 0.48), header=True))
    else:
        story.append(Paragraph("None in this period.", s["body"]))
    story.append(Spacer(1, 4 * mm))
    story.append(
        Paragraph(
            markup(
                "How the figures are counted: received = requests received in the period; "
                "answered = cases closed in the period with a reply (withdrawn requests are "
                "not counted as answered); late = answered after the statutory deadline "
                "(UK GDPR Art. 12(3)); days to respond are calendar days from receipt; the "
                "90th percentile is the nearest rank. Every figure can be opened in DSAR Desk "
                "as the list of cases behind it."
            ),
            s["cell"],
        )
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"Data subject requests: {report.period.label}",
        author=org_name or "DSAR Desk",
    )
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
    canvas.saveState()
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page}")
    canvas.restoreState()


def _table(rows: list[list], shares: tuple[float, ...], *, header: bool = False) -> Table:
    table = Table(rows, colWidths=[WIDTH * share for share in shares], hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
        ("ALIGN", (1, 0), (1, -1), "RIGHT") if not header else ("ALIGN", (0, 0), (0, 0), "LEFT"),
    ]
    if header:
        style += [("FONT", (0, 0), (-1, 0), BOLD, 9)]
    table.setStyle(TableStyle(style))
    return table


LEGEND_WIDTH = 125  # right of the charts (which end 140 pt before the right margin)
LEGEND_X = WIDTH - LEGEND_WIDTH


def _legend(names: list[str], x: float, y: float) -> Legend:
    """Swatches with their names to the right, the whole inside the page's text width."""
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = REGULAR, 7.5
    legend.columnMaximum = 7
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colors.HexColor(PALETTE[n % len(PALETTE)]), name) for n, name in enumerate(names)
    ]
    return legend


def _bars(
    labels: list[str], data: list[list[float]], *, stacked: bool, width: float
) -> VerticalBarChart:
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 25, width, 120
    chart.data = data or [[0] * len(labels)]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    if stacked:
        chart.categoryAxis.style = "stacked"
    for n in range(len(chart.data)):
        chart.bars[n].fillColor = colors.HexColor(PALETTE[n % len(PALETTE)])
        chart.bars[n].strokeColor = None
    return chart


def _received_chart(report: Report) -> Drawing:
    labels = [m.label for m in report.months]
    data = [[m.received_by_type[kind].value or 0 for m in report.months] for kind in RequestType]
    drawing = Drawing(WIDTH, 160)
    drawing.add(_bars(labels, data, stacked=True, width=WIDTH - 170))
    drawing.add(_legend([kind.label for kind in RequestType], LEGEND_X, 150))
    return drawing


def _timeliness_chart(report: Report) -> Drawing:
    drawing = Drawing(WIDTH, 160)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 30, 25, WIDTH - 170, 120
    series = [
        [m.in_time_statutory.value for m in report.months],
        [m.within_promise.value for m in report.months],
    ]
    chart.data = [[v if v is not None else 0 for v in values] for values in series]
    chart.categoryAxis.categoryNames = [m.label for m in report.months]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = "%d%%"
    for n in range(2):
        chart.lines[n].strokeColor = colors.HexColor(PALETTE[n])
        chart.lines[n].strokeWidth = 2
    chart.lines[1].strokeDashArray = (4, 3)
    drawing.add(chart)
    drawing.add(_legend(["Statutory deadline", "Our promise"], LEGEND_X, 150))
    if any(v is None for values in series for v in values):
        drawing.add(
            String(30, 5, "A month with no answered case shows 0%.", fontName=REGULAR, fontSize=7)
        )
    return drawing


def _outcomes_chart(report: Report) -> Drawing:
    drawing = Drawing(WIDTH, 160)
    values = [report[f"outcome.{o.value}"].value or 0 for o in Outcome]
    chart = _bars([o.label for o in Outcome], [values], stacked=False, width=WIDTH - 60)
    drawing.add(chart)
    return drawing

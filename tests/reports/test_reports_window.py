"""The Reports window on the hand-worked store: the charts draw the hand-worked figures, each
figure and each bar opens the cases behind it, and the exports are real files."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt

from app.reports import custom_period
from app.store import Store
from tests.handworked import TODAY
from ui.charts import Chart
from ui.reports_window import ReportsWindow
from ui.signals import StoreSignals

PERIOD = custom_period(date(2026, 9, 1), date(2026, 11, 30))


@pytest.fixture
def window(qtbot, store: Store, handworked_ids: dict[str, int]) -> ReportsWindow:  # type: ignore[no-untyped-def]
    window = ReportsWindow(store, StoreSignals(), today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.reportShown, timeout=10_000):
        window.set_period("Custom", PERIOD)
    return window


def names(ids: dict[str, int], case_ids: tuple[int, ...]) -> set[str]:
    back = {v: k for k, v in ids.items()}
    return {back[i] for i in case_ids}


def test_the_charts_draw_the_hand_worked_figures(
    window: ReportsWindow, handworked_ids: dict[str, int]
) -> None:
    received = window.findChild(Chart, "receivedChart")
    assert received.categories() == ["Sept 2026", "Oct 2026", "Nov 2026"]
    by_type = {s.name: s.values for s in received.series()}
    assert by_type == {
        "Subject access": (4, 3, 2),
        "Rectification": (1, 1, 0),
        "Erasure": (1, 2, 0),
        "Restriction / objection": (0, 2, 0),
        "Portability": (1, 0, 1),
        "Marketing opt-out": (1, 0, 0),
    }
    timeliness = window.findChild(Chart, "timelinessChart")
    assert [(s.name, s.values) for s in timeliness.series()] == [
        ("Within the statutory deadline", (100.0, 75.0, 60.0)),
        ("Within our promise", (100.0, 75.0, 40.0)),
    ]
    outcomes = window.findChild(Chart, "outcomesChart")
    assert outcomes.categories() == [
        "Fulfilled",
        "Partly fulfilled",
        "Refused",
        "Withdrawn",
        "No data held",
    ]
    assert outcomes.series()[0].values == (8, 1, 2, 1, 1)
    assert names(handworked_ids, outcomes.series()[0].case_ids[2]) == {"C05", "C14"}


def test_a_figure_opens_the_cases_behind_it(
    qtbot, window: ReportsWindow, handworked_ids: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    view = window.findChild(type(window.figures_view), "reportFiguresView")
    index = window.row_of("late")
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    dialog = window.cases_dialog
    assert dialog.objectName() == "figureCasesDialog"
    table = dialog.findChild(type(dialog.table), "figureCasesTable")
    rows = [
        [table.model().index(r, c).data() for c in (0, 6)] for r in range(table.model().rowCount())
    ]
    assert [timing for _, timing in rows] == ["Late by 5 days", "Late by 4 days", "Late by 7 days"]
    opened = []
    dialog.openCaseRequested.connect(opened.append)
    table.setCurrentIndex(table.model().index(1, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened == [handworked_ids["C10"]]
    dialog.close()


def test_a_bar_opens_its_cases(
    qtbot, window: ReportsWindow, handworked_ids: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    chart = window.findChild(Chart, "receivedChart")
    chart.repaint()
    rect = chart.point_rect(0, 1)  # access, October
    assert rect is not None
    qtbot.mouseClick(
        chart,
        Qt.MouseButton.LeftButton,
        pos=QPoint(*map(int, (rect.center().x(), rect.center().y()))),
    )
    dialog = window.cases_dialog
    refs = {case.id for case in dialog.model.rows()}
    assert names(handworked_ids, tuple(refs)) == {"C10", "C12", "C13"}
    dialog.close()


def test_the_period_choices(qtbot, window: ReportsWindow) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.reportShown, timeout=10_000):
        window.set_period("Quarter")
    assert window.period().label == "Q4 2026"
    with qtbot.waitSignal(window.reportShown, timeout=10_000):
        window.period_combo.setCurrentIndex(1)
    assert window.period().label == "Q3 2026"
    assert window.report is not None and window.report.period.label == "Q3 2026"
    # Q3: received C20 C01–C08 = 9
    assert window.figure("received").value == 9


def test_exports_figures_and_board_pdf(window: ReportsWindow, tmp_path: Path) -> None:
    window.export_figures(tmp_path / "figures.csv")
    assert oct((tmp_path / "figures.csv").stat().st_mode & 0o777) == "0o600"
    raw = (tmp_path / "figures.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    by_label = {row[1]: row for row in rows[2:]}
    assert by_label["Answered within the statutory deadline"][2:5] == ["75", "%", "12"]
    assert by_label["Median days to respond"][2] == "32.5"
    assert len(by_label["Answered after the statutory deadline"][5].split()) == 3
    window.save_board_report(tmp_path / "board.pdf")
    assert oct((tmp_path / "board.pdf").stat().st_mode & 0o777) == "0o600"
    reader = PdfReader(tmp_path / "board.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Answered within the statutory deadline" in text
    assert "75.0%" in text
    assert "payroll provider" in text
    assert "Zoë" not in text and "Müller" not in text
    # Refusals are counted by legal basis; the DPO's free-text particulars stay with the case.
    assert "Refused: Manifestly unfounded (Art. 12(5))" in text
    assert "harass staff" not in text
    pages = [page.extract_text() for page in reader.pages]
    for heading, legend in (
        ("Requests received per month, by type", "Restriction / objection"),
        ("Answered in time, per month", "Our promise"),
    ):  # each chart's heading is on the page that holds the chart (and its whole legend)
        [on_page] = [n for n, page in enumerate(pages) if heading in page]
        assert legend in pages[on_page]
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", str(tmp_path / "board.pdf"), str(tmp_path / "page")],
        check=True,
    )
    images = sorted(tmp_path.glob("page*.png"))
    assert len(images) == len(reader.pages)
    for image in images:  # nothing drawn outside the 20 mm side margins (a legend once was)
        with Image.open(image) as png:
            grey = png.convert("L")
            inked = grey.point(lambda v: 255 if v < 200 else 0).getbbox()
            assert inked is not None
            margin = round(20 / 25.4 * 72)
            assert inked[0] >= margin - 2 and inked[2] <= grey.width - margin + 2, image.name


def test_a_bar_label_too_wide_for_its_slot_goes_on_two_lines(window: ReportsWindow) -> None:
    from PySide6.QtGui import QFontMetrics

    from ui.charts import _label_lines

    metrics = QFontMetrics(window.font())
    whole = metrics.horizontalAdvance("Partly fulfilled")
    assert _label_lines("Partly fulfilled", whole + 8, metrics) == ["Partly fulfilled"]
    assert _label_lines("Partly fulfilled", whole - 4, metrics) == ["Partly", "fulfilled"]
    assert _label_lines("No data held", metrics.horizontalAdvance("data held") + 8, metrics) == [
        "No data",  # the split that keeps both lines narrowest
        "held",
    ]
    narrow = _label_lines("Withdrawn", metrics.horizontalAdvance("Withdrawn") - 10, metrics)
    assert narrow[0].endswith("…") and len(narrow) == 1  # one word: elided, never cut


def test_help_about_says_how_the_charts_are_drawn(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from ui.about_dialog import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.findChild(QLabel, "aboutSummary").text()
    assert "drawn with Qt's QPainter (LGPL-3.0)" in text
    assert "Qt Charts is offered only under the GPL-3.0 or a commercial licence" in text


def test_cancel_keeps_the_figures_shown(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    from app.demo import fill_bulk

    fill_bulk(store, 6000, today=TODAY)
    window = ReportsWindow(store, StoreSignals(), today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.reportShown, timeout=60_000):
        window.set_period("Custom", custom_period(date(2026, 11, 1), date(2026, 11, 30)))
    shown = window.report
    assert shown is not None and shown.period.label.endswith("30 Nov 2026")
    window.set_period("Custom", custom_period(date(2023, 1, 1), date(2026, 11, 30)))
    op = window.last_op
    assert op is not None and op.dialog.objectName() == "reportProgressDialog"
    [cancel] = op.dialog.findChildren(QPushButton)
    cancel.click()  # the progress dialog's Cancel
    qtbot.waitUntil(lambda: not op.running, timeout=60_000)
    assert window.report is shown  # the figures on screen are still those of November
    assert window.status_label.text() == f"Counting cancelled; still showing {shown.period.label}."

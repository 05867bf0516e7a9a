"""The Reports window: a period's figures, three charts, and every number one click away
from the cases behind it. Figures come from app.reports, computed off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.board_report import board_report_pdf
from app.domain import Outcome, RequestType
from app.exports.figures import figures_csv
from app.private_files import write_private_file
from app.reports import (
    Figure,
    Period,
    Report,
    cases_behind,
    custom_period,
    load_report,
    month_period,
    quarter_period,
    year_period,
)
from app.settings import load_settings
from app.store import Store
from ui.charts import Chart, Series
from ui.figure_cases_dialog import FigureCasesDialog
from ui.forms import date_edit, date_value, name_widget, named_button, show_error
from ui.ops import Op, run_with_progress
from ui.signals import StoreSignals

KINDS = ("Month", "Quarter", "Year", "Custom")
FIGURE_ROLE = Qt.ItemDataRole.UserRole + 1


def period_choices(kind: str, today: date) -> list[Period]:
    """The periods offered for a kind, newest first (this month, the one before, ...)."""
    if kind == "Month":
        found, year, month = [], today.year, today.month
        for _ in range(24):
            found.append(month_period(year, month))
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return found
    if kind == "Quarter":
        found, year, quarter = [], today.year, (today.month - 1) // 3 + 1
        for _ in range(12):
            found.append(quarter_period(year, quarter))
            year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        return found
    if kind == "Year":
        return [year_period(today.year - n) for n in range(6)]
    return []


class ReportsWindow(QMainWindow):
    reportShown = Signal()
    openCaseRequested = Signal(int)

    def __init__(
        self,
        store: Store,
        signals: StoreSignals,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "reportsWindow", "Reports")
        self.setWindowTitle("Reports — DSAR Desk")
        self.store = store
        self.signals = signals
        self.today = today
        self.report: Report | None = None
        self._pending = 0
        self.last_op: Op | None = None

        self.kind_combo = QComboBox()
        name_widget(self.kind_combo, "periodKindCombo", "Kind of period")
        self.kind_combo.addItems(list(KINDS))
        self.period_combo = QComboBox()
        name_widget(self.period_combo, "periodCombo", "Period")
        self.from_edit = date_edit("periodFromEdit", "Period from", today=today())
        self.to_edit = date_edit("periodToEdit", "Period to", today=today())
        self.from_edit.setDate(self.from_edit.date().addMonths(-3))
        # A period may run past today ("this quarter"); the figures are as of today.
        self.to_edit.setMaximumDate(self.to_edit.date().addYears(5))
        self.show_button = named_button(
            "&Show", "showReportButton", "Show the report", self.refresh
        )
        self.status_label = QLabel()
        self.status_label.setObjectName("reportStatusLabel")

        bar = QHBoxLayout()
        for text, widget in (("&Period:", self.kind_combo), ("", self.period_combo)):
            if text:
                label = QLabel(text)
                label.setBuddy(widget)
                bar.addWidget(label)
            bar.addWidget(widget)
        self.from_label = QLabel("&From:")
        self.from_label.setBuddy(self.from_edit)
        self.to_label = QLabel("&To:")
        self.to_label.setBuddy(self.to_edit)
        for widget in (self.from_label, self.from_edit, self.to_label, self.to_edit):
            bar.addWidget(widget)
        bar.addWidget(self.show_button)
        bar.addWidget(self.status_label, 1)

        self.figures_model = QStandardItemModel(self)
        self.figures_model.setHorizontalHeaderLabels(["Figure", "Value"])
        self.figures_view = QTreeView()
        name_widget(self.figures_view, "reportFiguresView", "Figures; Enter lists the cases")
        self.figures_view.setModel(self.figures_model)
        self.figures_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures_view.setUniformRowHeights(True)
        self.figures_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.figures_view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.figures_view.header().setStretchLastSection(False)
        self.figures_view.activated.connect(self._figure_activated)

        self.received_chart = Chart("receivedChart", "Received per month, by type", kind="stacked")
        self.timeliness_chart = Chart(
            "timelinessChart", "Answered in time per month", kind="line", unit="%", maximum=100
        )
        self.outcomes_chart = Chart("outcomesChart", "Outcomes of cases closed")
        for chart in (self.received_chart, self.timeliness_chart, self.outcomes_chart):
            chart.pointActivated.connect(
                lambda s, c, chart=chart: self._chart_activated(chart, s, c)
            )
        charts = QWidget()
        charts.setObjectName("chartsPane")
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.received_chart, 0, 0, 1, 2)
        grid.addWidget(self.timeliness_chart, 1, 0)
        grid.addWidget(self.outcomes_chart, 1, 1)

        splitter = QSplitter()
        splitter.setObjectName("reportsSplitter")
        splitter.setAccessibleName("Figures and charts")
        splitter.addWidget(self.figures_view)
        splitter.addWidget(charts)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self.figures_view.setMinimumWidth(
            self.figures_view.fontMetrics().horizontalAdvance("M") * 30
        )
        splitter.setSizes([440, 760])

        self.csv_button = named_button(
            "Export figures as &CSV…",
            "exportFiguresButton",
            "Export figures as CSV",
            self._choose_csv,
        )
        self.pdf_button = named_button(
            "&Board report (PDF)…",
            "boardReportButton",
            "Save the board report as PDF",
            self._choose_pdf,
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.pdf_button)

        central = QWidget()
        central.setObjectName("reportsCentral")
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.setCentralWidget(central)
        self.resize(1200, 760)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.period_combo.currentIndexChanged.connect(lambda _: self.refresh())
        self.signals.cases_changed.connect(self.refresh)
        self._kind_changed()

    # -- the period -------------------------------------------------------------------------

    def period(self) -> Period:
        kind = self.kind_combo.currentText()
        if kind == "Custom":
            start, end = date_value(self.from_edit), date_value(self.to_edit)
            assert start is not None and end is not None
            return custom_period(min(start, end), max(start, end))
        chosen = self.period_combo.currentData()
        assert isinstance(chosen, Period)
        return chosen

    def set_period(self, kind: str, period: Period | None = None) -> None:
        """Choose a kind of period and (for month, quarter, year) which one."""
        self.kind_combo.setCurrentText(kind)
        if period is not None and kind != "Custom":
            for n in range(self.period_combo.count()):
                if self.period_combo.itemData(n) == period:
                    self.period_combo.setCurrentIndex(n)
        elif period is not None:
            from ui.forms import to_qdate

            self.from_edit.setDate(to_qdate(period.start))
            self.to_edit.setDate(to_qdate(period.end))
            self.refresh()

    def _kind_changed(self) -> None:
        kind = self.kind_combo.currentText()
        custom = kind == "Custom"
        for widget in (self.from_label, self.from_edit, self.to_label, self.to_edit):
            widget.setVisible(custom)
        self.show_button.setVisible(custom)
        self.period_combo.setVisible(not custom)
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for period in period_choices(kind, self.today()):
            self.period_combo.addItem(period.label, period)
        self.period_combo.blockSignals(False)
        self.refresh()

    # -- the figures ------------------------------------------------------------------------

    def refresh(self) -> None:
        period, on, store = self.period(), self.today(), self.store
        self._pending += 1
        ticket = self._pending
        self.status_label.setText("Counting…")
        self.last_op = run_with_progress(
            self,
            f"Counting the figures for {period.label}…",
            lambda progress: load_report(store, period, on=on, progress=progress),
            success=lambda report: self._show(report) if ticket == self._pending else None,
            failure=lambda error: self._failed(error),
            cancelled=self._cancelled,
            object_name="reportProgressDialog",
        )

    def _cancelled(self) -> None:
        shown = f"; still showing {self.report.period.label}" if self.report else ""
        self.status_label.setText(f"Counting cancelled{shown}.")

    def _failed(self, error: Exception) -> None:
        self.status_label.setText("The report could not be made.")
        show_error(self, "Report", str(error))

    def _show(self, report: Report) -> None:
        self.report = report
        self.status_label.setText(
            f"{report.period.label}: {report['received'].text} received, "
            f"{report['answered'].text} answered."
        )
        self.figures_model.removeRows(0, self.figures_model.rowCount())
        for group, figures in report.in_groups():
            parent = QStandardItem(group)
            parent.setSelectable(False)
            for figure in figures:
                label, value = QStandardItem(figure.label), QStandardItem(figure.text)
                value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                for item in (label, value):
                    item.setData(figure, FIGURE_ROLE)
                    item.setToolTip(
                        f"{len(figure.case_ids)} cases behind it: press Enter to list them"
                    )
                parent.appendRow([label, value])
            self.figures_model.appendRow([parent, QStandardItem("")])
        self.figures_view.expandAll()
        months = [m.label for m in report.months]
        self.received_chart.set_data(
            months,
            [
                Series(
                    kind.label,
                    tuple(m.received_by_type[kind].value for m in report.months),
                    tuple(m.received_by_type[kind].case_ids for m in report.months),
                )
                for kind in RequestType
            ],
        )
        self.timeliness_chart.set_data(
            months,
            [
                Series(
                    "Within the statutory deadline",
                    tuple(m.in_time_statutory.value for m in report.months),
                    tuple(m.in_time_statutory.case_ids for m in report.months),
                ),
                Series(
                    "Within our promise",
                    tuple(m.within_promise.value for m in report.months),
                    tuple(m.within_promise.case_ids for m in report.months),
                ),
            ],
        )
        outcomes = [report[f"outcome.{o.value}"] for o in Outcome]
        self.outcomes_chart.set_data(
            [o.label for o in Outcome],
            [
                Series(
                    "Cases closed",
                    tuple(f.value for f in outcomes),
                    tuple(f.case_ids for f in outcomes),
                )
            ],
        )
        self.reportShown.emit()

    def figure(self, key: str) -> Figure:
        assert self.report is not None
        return self.report[key]

    def row_of(self, key: str):  # type: ignore[no-untyped-def]
        """The model index of a figure's row (for keyboard tests)."""
        for g in range(self.figures_model.rowCount()):
            group = self.figures_model.item(g)
            for r in range(group.rowCount()):
                figure = group.child(r).data(FIGURE_ROLE)
                if figure is not None and figure.key == key:
                    return group.child(r).index()
        return None

    # -- the cases behind -------------------------------------------------------------------

    def _figure_activated(self, index) -> None:  # type: ignore[no-untyped-def]
        figure = index.data(FIGURE_ROLE)
        if isinstance(figure, Figure):
            self.open_cases(figure.label, figure.text, figure.case_ids)

    def _chart_activated(self, chart: Chart, series: int, category: int) -> None:
        s = chart.series()[series]
        value = s.values[category]
        text = "—" if value is None else f"{value:g}{chart.unit}"
        self.open_cases(f"{s.name}, {chart.categories()[category]}", text, s.case_ids[category])

    def open_cases(self, title: str, value: str, case_ids: tuple[int, ...]) -> FigureCasesDialog:
        dialog = FigureCasesDialog(title, value, cases_behind(self.store, case_ids), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.openCaseRequested.connect(self.openCaseRequested)
        dialog.open()
        self.cases_dialog = dialog
        return dialog

    # -- saving -----------------------------------------------------------------------------

    def export_figures(self, path: Path) -> None:
        assert self.report is not None
        write_private_file(path, figures_csv(self.report).encode("utf-8-sig"))

    def save_board_report(self, path: Path) -> None:
        assert self.report is not None
        pdf = board_report_pdf(self.report, org_name=load_settings(self.store).org_name)
        write_private_file(path, pdf)

    def _choose_csv(self) -> None:
        self._save_as("Export figures", "csv", "CSV files (*.csv)", self.export_figures)

    def _choose_pdf(self) -> None:
        self._save_as("Save the board report", "pdf", "PDF files (*.pdf)", self.save_board_report)

    def _save_as(self, title: str, suffix: str, filters: str, save: Callable[[Path], None]) -> None:
        if self.report is None:
            return
        name = f"dsar-report-{self.report.period.start}-{self.report.period.end}.{suffix}"
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), filters)
        if not chosen:
            return
        try:
            save(Path(chosen))
        except OSError as error:
            show_error(self, title, f"The file could not be written: {error.strerror or error}")
            return
        self.statusBar().showMessage(f"Saved {chosen}", 10_000)

"""The Reports window's figures as CSV: every figure with its value and the references of
the cases behind it, then the per-month series the charts draw."""

from __future__ import annotations

import csv
import io

from app.reports import Figure, Report, cases_behind_refs


def figures_csv(report: Report, references: dict[int, str] | None = None) -> str:
    """CSV text (UTF-8 with a BOM when written, so Excel reads accents right)."""
    refs = references if references is not None else cases_behind_refs(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["Period", report.period.label, str(report.period.start), str(report.period.end)]
    )
    writer.writerow(["Group", "Figure", "Value", "Unit", "Cases", "References"])

    def row(group: str, figure: Figure) -> None:
        writer.writerow(
            [
                group,
                figure.label,
                "" if figure.value is None else f"{figure.value:g}",
                figure.unit,
                len(figure.case_ids),
                " ".join(refs[i] for i in figure.case_ids),
            ]
        )

    for group, figures in report.in_groups():
        for figure in figures:
            row(group, figure)
    for month in report.months:
        for figure in month.received_by_type.values():
            row(f"Received in {month.label}", figure)
        row(f"Answered in {month.label}", month.in_time_statutory)
        row(f"Answered in {month.label}", month.within_promise)
    for late in report.late:
        writer.writerow(["Late", late.reference, late.days_late, "days", 1, late.reason])
    return out.getvalue()

"""The case register, as the list shows it (filter, search, order), to CSV or .xlsx.

.xlsx is written with XlsxWriter (BSD-2-Clause, pure Python, actively maintained) in its
constant-memory mode: rows stream to disk as they are written, dates are real dates, and no
string is ever turned into a formula, number or link. It is no faster than openpyxl's
write-only mode (tests/bench/test_bench_exports.py measured 62.7 s against 64.5 s for
100,000 cases; the figures are in the README). openpyxl (MIT) is only used by the tests, to
read the file back the way a spreadsheet would.

Both formats guard against formula injection: a name typed as `=HYPERLINK(...)` stays text.
A Cancel (the progress callback returning False) or a failure leaves no file behind.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from app.domain import Channel, Outcome, Status
from app.exports.files import (
    Cancelled,
    Progress,
    TextOut,
    no_progress,
    spreadsheet_safe,
)
from app.private_files import private_output
from app.queries import CaseQuery, RegisterRow, count_cases, register_rows
from app.store import Store

HEADERS = (
    "Reference",
    "Requester",
    "Email",
    "Type",
    "Channel",
    "Received",
    "Statutory deadline",
    "Promise date",
    "Status",
    "Outcome",
    "Ground",
    "Closed",
    "Timing",
    "Extended (months)",
    "Description",
)
STEP = 1000  # rows between progress reports (and chances to cancel)
XLSX_CELL_LIMIT = 32767


def timing(row: RegisterRow, today: date) -> str:
    """'In time', 'Late by N days' once closed; for an open case how it stands today."""
    if row.closed_on is not None:
        late = (row.closed_on - row.statutory_due).days
        return f"Late by {late} day{'s' if late != 1 else ''}" if late > 0 else "In time"
    if row.status.paused:
        return "Clock stopped"
    if today > row.statutory_due:
        late = (today - row.statutory_due).days
        return f"Overdue by {late} day{'s' if late != 1 else ''}"
    return "Open"


def _values(row: RegisterRow, today: date) -> list[object]:
    return [
        row.reference,
        row.requester_name,
        row.requester_email,
        row.request_type.label,
        Channel(row.channel).label,
        row.received_on,
        row.statutory_due,
        row.promised_due,
        Status(row.status).label,
        Outcome(row.outcome).label if row.outcome else "",
        row.ground or "",
        row.closed_on,
        timing(row, today),
        row.extension_months,
        row.description,
    ]


def _stream(
    store: Store, query: CaseQuery, today: date, progress: Progress
) -> Iterable[list[object]]:
    total = count_cases(store, query, today=today)
    progress(0, total)
    done = 0
    for done, row in enumerate(register_rows(store, query, today=today), start=1):
        yield _values(row, today)
        if done % STEP == 0 and not progress(done, total):
            raise Cancelled
    progress(done, total)


def export_csv(
    store: Store, query: CaseQuery, path: Path, *, today: date, progress: Progress = no_progress
) -> int:
    """UTF-8 with a BOM (so Excel shows accents right), dates as YYYY-MM-DD; returns rows."""
    count = 0
    with private_output(path) as raw:
        raw.write("\ufeff".encode())
        writer = csv.writer(TextOut(raw), lineterminator="\r\n")
        writer.writerow(HEADERS)
        for values in _stream(store, query, today, progress):
            writer.writerow(
                [
                    v.isoformat()
                    if isinstance(v, date)
                    else spreadsheet_safe(v)
                    if isinstance(v, str)
                    else v
                    for v in values
                ]
            )
            count += 1
    return count


def export_xlsx(
    store: Store, query: CaseQuery, path: Path, *, today: date, progress: Progress = no_progress
) -> int:
    """One sheet, a header row, real dates; returns rows."""
    import xlsxwriter

    count = 0
    with private_output(path) as raw:
        book = xlsxwriter.Workbook(
            raw,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "tmpdir": str(Path(path).parent),
            },
        )
        try:
            sheet = book.add_worksheet("Cases")
            bold = book.add_format({"bold": True})
            day = book.add_format({"num_format": "yyyy-mm-dd"})
            sheet.freeze_panes(1, 0)
            for column, (title, width) in enumerate(zip(HEADERS, _WIDTHS, strict=True)):
                sheet.write_string(0, column, title, bold)
                sheet.set_column(column, column, width, day if title in _DATES else None)
            for r, values in enumerate(_stream(store, query, today, progress), start=1):
                _write_row(sheet, r, values, day)
                count = r
            sheet.autofilter(0, 0, count, len(HEADERS) - 1)
        finally:
            book.close()
    return count


_DATES = {"Received", "Statutory deadline", "Promise date", "Closed"}
_WIDTHS = (16, 24, 28, 22, 10, 11, 11, 11, 20, 16, 30, 11, 16, 9, 40)


def _write_row(sheet, row: int, values: list[object], day) -> None:  # type: ignore[no-untyped-def]
    for column, value in enumerate(values):
        if isinstance(value, date):
            sheet.write_datetime(row, column, value, day)
        elif isinstance(value, int):
            sheet.write_number(row, column, value)
        elif value:
            sheet.write_string(row, column, str(value)[:XLSX_CELL_LIMIT])

"""Exports: the register as filtered (CSV, .xlsx read back with openpyxl), cancel leaves
nothing, formula-looking names stay text, a case's record as JSON and PDF."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from app import cases
from app.domain import Channel, RequestType
from app.exports.files import Cancelled
from app.exports.record import case_record, case_record_json, case_record_pdf
from app.exports.register import HEADERS, export_csv, export_xlsx
from app.letters import generate_letter
from app.queries import CaseFilter, CaseQuery, list_cases
from app.readmodels import RequesterDetails
from app.settings import save_settings
from app.store import Store
from tests.handworked import TODAY
from tests.letters.conftest import ORG


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_follows_the_list_filter_and_order(
    store: Store, handworked_ids: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "closed.csv"
    query = CaseQuery(filter=CaseFilter.CLOSED)
    assert export_csv(store, query, path, today=TODAY) == 13
    rows = read_csv(path)
    assert rows[0] == list(HEADERS)
    by_ref = {row[0]: row for row in rows[1:]}
    c10 = cases.get_case(store, handworked_ids["C10"]).reference
    assert by_ref[c10][5:8] == ["2026-10-06", "2026-11-06", "2026-11-05"]
    assert by_ref[c10][9] == "Fulfilled"
    assert by_ref[c10][12] == "Late by 4 days"
    listed = [row.reference for row in list_cases(store, query, today=TODAY, limit=100)]
    assert [row[0] for row in rows[1:]] == listed
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_xlsx_has_every_row_and_real_dates(
    store: Store, handworked_ids: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "all.xlsx"
    assert export_xlsx(store, CaseQuery(filter=CaseFilter.ALL), path, today=TODAY) == 20
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book["Cases"]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    assert len(rows) == 21
    assert rows[0] == HEADERS
    received = {row[0]: row[5] for row in rows[1:]}
    c20 = cases.get_case(store, handworked_ids["C20"]).reference
    assert received[c20].date() == date(2026, 8, 27)


def test_a_name_that_looks_like_a_formula_stays_text(store: Store, tmp_path: Path) -> None:
    cases.log_request(
        store,
        RequesterDetails(name='=HYPERLINK("http://x.test","Click")', email="f@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=TODAY,
        today=TODAY,
    )
    export_csv(store, CaseQuery(filter=CaseFilter.ALL), tmp_path / "a.csv", today=TODAY)
    assert read_csv(tmp_path / "a.csv")[1][1] == '\'=HYPERLINK("http://x.test","Click")'
    export_xlsx(store, CaseQuery(filter=CaseFilter.ALL), tmp_path / "a.xlsx", today=TODAY)
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    cell = book["Cases"]["B2"]
    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("http://x.test","Click")')


@pytest.mark.parametrize("export", [export_csv, export_xlsx])
def test_cancel_leaves_nothing_behind(store: Store, tmp_path: Path, export) -> None:  # type: ignore[no-untyped-def]
    from app.demo import fill_bulk

    fill_bulk(store, 2500, today=TODAY)
    folder = tmp_path / "out"
    folder.mkdir()
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 2000

    with pytest.raises(Cancelled):
        export(
            store,
            CaseQuery(filter=CaseFilter.ALL),
            folder / "x.out",
            today=TODAY,
            progress=progress,
        )
    assert list(folder.iterdir()) == []
    assert calls[0] == (0, 2500) and calls[-1] == (2000, 2500)


def test_case_record_json_and_pdf(store: Store, handworked_ids: dict[str, int]) -> None:
    case_id = handworked_ids["C02"]
    save_settings(store, ORG)  # a letter needs the letterhead
    # C02 is closed: the only letter it can have now is its outcome letter (issue 8).
    letter = generate_letter(store, case_id, "outcome")
    record = case_record(store, case_id)
    data = json.loads(case_record_json(record))
    assert data["format"] == "dsar-desk/case-record"
    assert data["requester"]["name"] == "Jürgen Müller"
    assert data["case"]["statutory_due"] == "2026-12-08"
    assert [e["kind"] for e in data["timeline"]][:2] == ["logged", "extended"]
    assert data["letters"][0]["sha256"] == letter.sha256
    search = data["search_record"]
    assert search["summary"]["total"] == len(search["tasks"]) > 0
    assert search["summary"]["searched"] == len(search["tasks"])  # finished before closing
    assert {task["status"] for task in search["tasks"]} == {"searched"}
    assert all(task["terms"] == "c02@example.org" for task in search["tasks"])
    pdf = case_record_pdf(record, org_name="Example <Ltd> & Co")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Jürgen Müller" in text
    assert letter.sha256 in text.replace("\n", "")
    assert "Extended by 2 months" in text
    assert "Search record" in text
    assert f"{len(search['tasks'])} of {len(search['tasks'])} places searched" in text
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    [heading_page] = [n for n, page in enumerate(pages) if "Search record" in page]
    assert "Terms, result or reason" in pages[heading_page]  # the heading is never alone

"""The search record leaves the app with the case: in the case record (JSON and PDF, read back
with pypdf) for an open case as it stands and for a finished one, and in the Export case
file ZIP (searches.json)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from pypdf import PdfReader

from app import searches
from app.exports.record import case_record, case_record_json, case_record_pdf
from app.integrity.casefile import export_case_file
from app.store import Store
from tests.searches.conftest import SEARCHED, crm_searched_with_a_file, log, task_named

REASON = "The requester limited the request to 2025; the analytics are aggregated."


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_open_case_with_its_search_unfinished_exports_as_it_stands(store: Store) -> None:
    case_id = log(store)
    crm = task_named(store, case_id, "CRM")
    searches.record_search(store, crm.id, on=SEARCHED, terms="zoe@example.org", found=False)
    record = case_record(store, case_id)
    data = json.loads(case_record_json(record))
    found = data["search_record"]
    assert found["summary"] == {"total": 9, "searched": 1, "left_out": 0, "open": 8}
    assert found["statement"] == ""  # a statement describes a finished search only
    assert [t["status"] for t in found["tasks"]] == ["searched"] + ["open"] * 8
    assert found["tasks"][0]["terms"] == "zoe@example.org"
    text = pdf_text(case_record_pdf(record, org_name="Northwind <IT> & Co"))
    assert "1 of 9 places searched, 0 left out with a reason, 8 still open." in text
    assert "We looked for your personal data" not in text


def test_a_finished_record_exports_its_statement(store: Store) -> None:
    case_id = log(store)
    for task in searches.plan(store, case_id):
        if task.title.startswith("Website analytics"):
            searches.leave_out(store, task.id, reason=REASON)
        else:
            searches.record_search(store, task.id, on=SEARCHED, terms="zoe & <Zoë>", found=False)
    record = case_record(store, case_id)
    statement = json.loads(case_record_json(record))["search_record"]["statement"]
    assert statement == searches.search_statement(store, case_id)
    assert statement.splitlines()[-1].endswith(REASON)
    text = " ".join(pdf_text(case_record_pdf(record, org_name="Northwind")).split())
    assert "8 of 9 places searched, 1 left out with a reason, 0 still open." in text
    assert "We looked for your personal data in these systems and records:" in text
    assert "“zoe & <Zoë>”" in text  # typed text printed as typed, never as markup


def test_the_case_file_zip_carries_the_search_record(store: Store, tmp_path: Path) -> None:
    case_id = log(store)
    crm, export = crm_searched_with_a_file(store, case_id, items=3)
    analytics = task_named(store, case_id, "Website analytics")
    searches.leave_out(store, analytics.id, reason=REASON)
    out = export_case_file(store, case_id, tmp_path / "case.zip")
    with zipfile.ZipFile(out) as archive:
        tasks = json.loads(archive.read("searches.json"))
    assert len(tasks) == 9
    by_title = {task["title"]: task for task in tasks}
    assert by_title[crm.title]["terms"] == "zoe@example.org"
    assert (by_title[crm.title]["items"], by_title[crm.title]["material"]) == (3, [export])
    assert by_title[analytics.title]["left_out_reason"] == REASON
    assert by_title[analytics.title]["status"] == "left_out"

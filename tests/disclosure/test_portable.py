"""The portability export: a ZIP of CSV and JSON with a manifest whose hashes match."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest

from app import cases
from app.disclosure import (
    Box,
    Cancelled,
    Decision,
    add_box,
    add_item,
    list_outputs,
    mark_reviewed,
    portable_export,
    redact_term,
    update_item,
)
from app.domain import DomainError, EventKind
from app.readmodels import CaseDetail
from app.store import Store
from tests.disclosure.samples import NAME, email_with_attachment, letter_pdf

TABLE = f"ticket,opened,handled_by\n101,2026-10-01,{NAME}\n102,2026-10-09,Ann Lee\n".encode()


def test_the_export_unzips_to_csv_json_and_a_manifest_whose_hashes_match(
    store: Store, case: CaseDetail
) -> None:
    tickets = add_item(store, case.id, filename="tickets.csv", content=TABLE, source="CRM")
    add_item(store, case.id, filename="refund.eml", content=email_with_attachment())
    add_item(store, case.id, filename="notes.pdf", content=letter_pdf(1))
    drawn = add_item(store, case.id, filename="boxed.csv", content=b"a,b\n1,2\n")
    add_box(store, drawn.id, page=1, box=Box(40, 40, 200, 80), reason="Not theirs")
    withheld = add_item(store, case.id, filename="advice.csv", content=b"x,y\n1,2\n")
    update_item(
        store, withheld.id, title="Advice", source="Legal", item_date=None,
        decision=Decision.WITHHOLD, exemption_key="legal_privilege",
    )  # fmt: skip
    redact_term(store, case.id, NAME, reason="Third-party personal data")
    with pytest.raises(DomainError, match="reviewed"):
        portable_export(store, case.id)
    mark_reviewed(store, case.id)

    data = portable_export(store, case.id)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert {"manifest.json", "manifest.csv", "data.json"} <= names
    manifest = json.loads(archive.read("manifest.json"))
    files = [entry for entry in manifest["files"] if entry["file"]]
    assert {f["file"] for f in files} == names - {"manifest.json", "manifest.csv"}
    for entry in files:
        assert hashlib.sha256(archive.read(entry["file"])).hexdigest() == entry["sha256"]
    notes = {entry["title"]: entry["note"] for entry in manifest["files"] if not entry["file"]}
    assert notes["notes"].startswith("not structured data")
    assert notes["boxed"].startswith("redacted by hand-drawn boxes")
    assert notes["Advice"].startswith("withheld: Legal professional privilege")

    rows = list(csv.reader(io.StringIO(archive.read("items/001-tickets.csv").decode("utf-8-sig"))))
    assert rows == [
        ["ticket", "opened", "handled_by"],
        ["101", "2026-10-01", "[redacted]"],  # the term redaction reaches the data
        ["102", "2026-10-09", "Ann Lee"],
    ]
    record = json.loads(archive.read("items/001-tickets.json"))
    assert record["source"] == "CRM" and record["data"]["rows"][0][2] == "[redacted]"
    email = json.loads(archive.read("items/002-your-refund.json"))
    assert email["data"]["subject"] == "Your refund" and NAME not in json.dumps(email)
    assert NAME not in data.decode("latin-1")  # not in any stored (deflated) member either
    for name in names:
        assert NAME not in archive.read(name).decode("utf-8", "replace")
    manifest_csv = archive.read("manifest.csv").decode("utf-8-sig")
    assert "items/001-tickets.csv" in manifest_csv

    [kept] = list_outputs(store, case.id)
    assert kept.kind == "portable" and kept.sha256 == hashlib.sha256(data).hexdigest()
    event = cases.timeline(store, case.id)[-1]
    assert event.kind == EventKind.PORTABLE_EXPORT_MADE and kept.sha256 in event.summary
    assert tickets.id  # the table item itself is unchanged: only the export is redacted


def test_a_cancelled_export_keeps_nothing(store: Store, case: CaseDetail) -> None:
    add_item(store, case.id, filename="tickets.csv", content=TABLE, source="CRM")
    add_item(store, case.id, filename="more.csv", content=b"a,b\n1,2\n")
    mark_reviewed(store, case.id)
    before = cases.timeline(store, case.id)
    seen: list[str] = []
    with pytest.raises(Cancelled, match="nothing was kept"):
        portable_export(
            store,
            case.id,
            progress=lambda done, total, what: seen.append(what),
            cancelled=lambda: any(s.startswith("Item 2") for s in seen),
        )
    assert list_outputs(store, case.id) == []
    assert cases.timeline(store, case.id) == before
    done: list[tuple[int, int]] = []
    portable_export(store, case.id, progress=lambda n, total, _what: done.append((n, total)))
    assert done[-1][0] == done[-1][1] and len(list_outputs(store, case.id)) == 1

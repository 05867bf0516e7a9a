"""The portability export (UK GDPR Art. 20): the set's structured data in a structured,
commonly used, machine-readable form, as one ZIP.

Inside: for each table (CSV) item and each email, the data as CSV and as JSON; `data.json`
with everything together; `manifest.json` and `manifest.csv` listing every file with its
item, source and SHA-256, and every item that is not in the ZIP with the reason (withheld,
not structured data, or redacted by hand-drawn boxes, which cannot be applied to the data
itself). A term redaction is applied to the data: each occurrence becomes "[redacted]".
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select

from app.cases import get_case
from app.disclosure.bundle import Progress, checkpoint, keep_output
from app.disclosure.items import item_row, read_items
from app.disclosure.records import ItemInfo, review_state
from app.disclosure.redact import item_redactions
from app.disclosure.review import require_reviewed
from app.disclosure.vocabulary import Decision, ItemKind
from app.models import DisclosureSet, Redaction
from app.store import Store

REDACTED = "[redacted]"


def portable_export(
    store: Store,
    case_id: int,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """Build, keep (with its SHA-256, on the timeline) and return the case's export ZIP.
    `progress` and `cancelled` work as for `build_bundle`: nothing is kept until the end."""
    case = get_case(store, case_id)
    with store.read() as session:
        items = read_items(session, case_id)
        state = review_state(session.get(DisclosureSet, case_id))
        structured = {i.id: item_row(session, i.id).structured for i in items}
        terms = {
            i.id: sorted(
                {
                    t
                    for t in session.scalars(
                        select(Redaction.term).where(
                            Redaction.item_id == i.id,
                            Redaction.withdrawn_at.is_(None),
                            Redaction.term.is_not(None),
                        )
                    )
                    if t
                }
            )
            for i in items
        }
    require_reviewed(items, state, "the export")
    step = checkpoint(progress, cancelled, "The export was not made (cancelled); nothing was kept.")
    total_steps = len(items) + 2
    files: dict[str, bytes] = {}
    manifest: list[dict[str, object]] = []
    everything: list[dict[str, object]] = []
    for done, item in enumerate(items):
        step(done, total_steps, f"Item {item.number}: {item.title}")
        reason = _left_out(store, item, structured[item.id])
        entry: dict[str, object] = {
            "item": item.number,
            "title": item.title,
            "source": item.source,
            "date": item.item_date.isoformat() if item.item_date else "",
        }
        if reason:
            manifest.append({**entry, "file": "", "sha256": "", "note": reason})
            continue
        data = _redacted(structured[item.id] or {}, terms[item.id])
        columns, rows = _as_table(item.kind, data)
        stem = f"items/{item.number:03d}-{_slug(item.title)}"
        files[f"{stem}.csv"] = _csv(columns, rows)
        files[f"{stem}.json"] = _json({**entry, "kind": item.kind.value, "data": data})
        everything.append({**entry, "kind": item.kind.value, "data": data})
        note = "term redactions applied" if terms[item.id] else ""
        for name in (f"{stem}.csv", f"{stem}.json"):
            manifest.append({**entry, "file": name, "sha256": _sha(files[name]), "note": note})
    files["data.json"] = _json(
        {
            "reference": case.reference,
            "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "items": everything,
        }
    )
    manifest.append(
        {
            "item": "",
            "title": "All items",
            "source": "",
            "date": "",
            "file": "data.json",
            "sha256": _sha(files["data.json"]),
            "note": "",
        }
    )
    fields = ["item", "title", "source", "date", "file", "sha256", "note"]
    files["manifest.csv"] = _csv(fields, [[str(m[k]) for k in fields] for m in manifest])
    files["manifest.json"] = _json({"reference": case.reference, "files": manifest})
    step(len(items), total_steps, "Packing the ZIP")
    archive = _zip(files)
    step(len(items) + 1, total_steps, "Keeping the export")
    with store.write() as session:
        keep_output(session, case_id, "portable", archive, 0, False, state.revision)
    if progress is not None:  # kept: too late to cancel
        progress(total_steps, total_steps, "Done")
    return archive


def _left_out(store: Store, item: ItemInfo, structured: dict | None) -> str:
    if item.decision is Decision.WITHHOLD:
        return "withheld: " + item.decision_text.removeprefix("Withheld: ")
    if item.kind not in (ItemKind.CSV, ItemKind.EMAIL) or not structured:
        return "not structured data: it is in the PDF bundle"
    if any(r.term is None for r in item_redactions(store, item.id)):
        return "redacted by hand-drawn boxes: it is in the PDF bundle, redacted"
    return ""


def _redacted(value: object, terms: list[str]) -> object:
    if not terms:
        return value
    if isinstance(value, str):
        for term in terms:
            value = re.sub(re.escape(term), REDACTED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_redacted(v, terms) for v in value]
    if isinstance(value, dict):
        return {k: _redacted(v, terms) for k, v in value.items()}
    return value


def _as_table(kind: ItemKind, data: object) -> tuple[list[str], list[list[str]]]:
    assert isinstance(data, dict)
    if kind is ItemKind.CSV:
        return [str(c) for c in data.get("columns", [])], [
            [str(v) for v in row] for row in data.get("rows", [])
        ]
    columns = list(data)
    row = [", ".join(v) if isinstance(v, list) else str(v) for v in data.values()]
    return columns, [row]


def _csv(columns: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 with a BOM correctly


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _slug(title: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()
    return slug[:40] or "item"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    stamp = datetime.now().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    return buffer.getvalue()

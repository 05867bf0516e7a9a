"""A case's full record for an auditor or the ICO: its details, the whole timeline, every
letter (with SHA-256 so the copies can be checked) and every attachment, as JSON and as PDF.

The JSON is the machine-readable twin of the PDF: the same facts, dates as ISO 8601 and
timestamps in UTC. The PDF escapes everything the user typed (app.letters.markup) before
reportlab sees it. When a case carries a search record (issue 10), it is added here.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app import searches
from app.attachments import list_attachments
from app.cases import get_case, timeline
from app.formatting import uk_date, uk_timestamp
from app.letters.markup import BOLD, REGULAR, markup, register_fonts
from app.letters.records import list_letters
from app.store import Store

FORMAT = "dsar-desk/case-record"
VERSION = 1


def case_record(store: Store, case_id: int, *, exported_at: datetime | None = None) -> dict:
    """Everything on record about one case, as plain JSON-ready values."""
    detail = get_case(store, case_id)
    details = {
        key: value
        for key, value in asdict(detail).items()
        if key not in ("requester", "version", "requester_id")
    }
    return _plain(
        {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": exported_at or datetime.now(UTC),
            "case": details,
            "requester": asdict(detail.requester),
            "timeline": [
                {
                    "at": e.at,
                    "actor": e.actor,
                    "kind": e.kind,
                    "summary": e.summary,
                    "details": e.details,
                }
                for e in timeline(store, case_id)
            ],
            "letters": [
                {
                    "stage": letter.stage,
                    "version": letter.version,
                    "template_version": letter.template_version,
                    "sha256": letter.sha256,
                    "size": letter.size,
                    "created_at": letter.created_at,
                    "sent_by_post_at": letter.sent_by_post_at,
                    "emailed_at": letter.emailed_at,
                    "emailed_to": letter.emailed_to,
                }
                for letter in reversed(list_letters(store, case_id))
            ],
            "search_record": _search_record(store, case_id),
            "attachments": [
                {
                    "kind": a.kind,
                    "filename": a.filename,
                    "mime_type": a.mime_type,
                    "size": a.size,
                    "sha256": a.sha256,
                    "added_at": a.added_at,
                    "deleted_at": a.deleted_at,
                }
                for a in list_attachments(store, case_id)
            ],
        }
    )


def _search_record(store: Store, case_id: int) -> dict:
    """Which systems were searched, how, and what was left out and why (Art. 15(1A))."""
    tasks = searches.plan(store, case_id)
    counts = searches.plan_counts(tasks)
    return {
        "summary": {
            "total": counts.total,
            "searched": counts.searched,
            "left_out": counts.left_out,
            "open": counts.open,
        },
        # An open case's record is exported as it stands: no statement until it is finished.
        "statement": searches.finished_statement(tasks),
        "tasks": [
            {
                "place": task.title,
                "from_register": not task.manual,
                "status": task.status,
                "searched_on": task.searched_on,
                "terms": task.terms,
                "period_from": task.period_from,
                "period_to": task.period_to,
                "found": task.found,
                "items": task.items,
                "note": task.note,
                "left_out_reason": task.left_out_reason,
                "decided_by": task.decided_by,
                "decided_at": task.decided_at,
                "action": task.action,
                "action_ground": task.action_ground,
                "action_on": task.action_on,
                "recipients_told": task.recipients_told,
            }
            for task in tasks
        ],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):  # an enum
        return value.value
    return value


def case_record_json(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")


def case_record_pdf(record: dict, *, org_name: str = "") -> bytes:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    title = ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=15, leading=19)
    heading = ParagraphStyle(
        "heading", parent=body, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8
    )
    case, person = record["case"], record["requester"]
    width = A4[0] - 36 * mm

    def p(text: object, style: ParagraphStyle = small) -> Paragraph:
        return Paragraph(markup("" if text is None else str(text)), style)

    def table(rows: list[list], shares: tuple[float, ...], header: bool = True) -> Table:
        t = Table(
            rows, colWidths=[width * s for s in shares], hAlign="LEFT", repeatRows=int(header)
        )
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")))
        t.setStyle(TableStyle(style))
        return t

    def day(value: str | None) -> str:
        return uk_date(date.fromisoformat(value)) if value else "—"

    def moment(value: str | None) -> str:
        return uk_timestamp(datetime.fromisoformat(value)) if value else "—"

    facts = [
        ("Reference", case["reference"]),
        ("Requester", person["name"]),
        ("Email", person["email"]),
        ("Postal address", person["postal_address"]),
        ("Request", f"{case['request_type']} via {case['channel']}"),
        ("Received", day(case["received_on"])),
        ("Status", case["status"]),
        ("Statutory deadline", day(case["statutory_due"])),
        ("Promise date", day(case["promised_due"])),
        ("Extension", f"{case['extension_months']} month(s): {case['extension_reason'] or ''}"),
        ("Outcome", f"{case['outcome'] or '—'} {case['ground'] or ''}"),
        ("Closed", day(case["closed_on"])),
        ("Description", case["description"]),
    ]
    story: list = [
        p(f"Case record {case['reference']}", title),
        p(
            f"{org_name + ' · ' if org_name else ''}exported {moment(record['exported_at'])}; "
            "timestamps in local time, the JSON export has them in UTC.",
            body,
        ),
        Spacer(1, 3 * mm),
        table([[p(k), p(v)] for k, v in facts], (0.25, 0.75), header=False),
        p("Timeline", heading),
        table(
            [[p("When"), p("Who"), p("What")]]
            + [[p(moment(e["at"])), p(e["actor"]), p(e["summary"])] for e in record["timeline"]],
            (0.22, 0.13, 0.65),
        ),
        p("Letters", heading),
    ]
    if record["letters"]:
        story.append(
            table(
                [[p("Letter"), p("Made"), p("Sent"), p("SHA-256")]]
                + [
                    [
                        p(f"{letter['stage'].replace('_', ' ')} v{letter['version']}"),
                        p(moment(letter["created_at"])),
                        p(_sent(letter, moment)),
                        p(letter["sha256"]),
                    ]
                    for letter in record["letters"]
                ],
                (0.22, 0.2, 0.22, 0.36),
            )
        )
    else:
        story.append(p("No letters.", body))
    found = record["search_record"]
    summary = found["summary"]
    opening = [
        p("Search record", heading),
        p(
            f"{summary['searched']} of {summary['total']} places searched, "
            f"{summary['left_out']} left out with a reason, {summary['open']} still open.",
            body,
        ),
    ]
    for paragraph in opening:  # the heading and its summary go to the page of the table
        paragraph.keepWithNext = True
    story += opening
    if found["tasks"]:
        story.append(
            table(
                [[p("Place"), p("Status"), p("Searched"), p("Terms, result or reason")]]
                + [
                    [
                        p(task["place"]),
                        p(str(task["status"]).replace("_", " ")),
                        p(day(task["searched_on"])),
                        p(_task_text(task)),
                    ]
                    for task in found["tasks"]
                ],
                (0.28, 0.14, 0.16, 0.42),
            )
        )
    if found["statement"]:
        story.append(p(found["statement"], small))
    story.append(p("Attachments", heading))
    if record["attachments"]:
        story.append(
            table(
                [[p("File"), p("Added"), p("Deleted"), p("SHA-256")]]
                + [
                    [
                        p(f"{a['filename']} ({a['kind']}, {a['size']:,} bytes)"),
                        p(moment(a["added_at"])),
                        p(moment(a["deleted_at"])),
                        p(a["sha256"]),
                    ]
                    for a in record["attachments"]
                ],
                (0.3, 0.17, 0.17, 0.36),
            )
        )
    else:
        story.append(p("No attachments.", body))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Case record {case['reference']}",
    ).build(story, onFirstPage=_footer(case["reference"]), onLaterPages=_footer(case["reference"]))
    return buffer.getvalue()


def _task_text(task: dict) -> str:
    if task["left_out_reason"]:
        return f"Left out: {task['left_out_reason']}"
    parts = []
    if task["terms"]:
        parts.append(f"Terms: {task['terms']}")
    if task["found"] is not None:
        parts.append(f"found {task['items']} item(s)" if task["found"] else "nothing found")
    if task["action"]:
        parts.append(f"action: {task['action']} on {task['action_on'] or '—'}")
    if task["note"]:
        parts.append(task["note"])
    return "; ".join(parts) or "—"


def _sent(letter: dict, moment: Any) -> str:
    sent = []
    if letter["sent_by_post_at"]:
        sent.append(f"post {moment(letter['sent_by_post_at'])}")
    if letter["emailed_at"]:
        sent.append(f"email {moment(letter['emailed_at'])}")
    return "; ".join(sent) or "not sent"


def _footer(reference: str) -> Any:
    def draw(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.drawString(18 * mm, 9 * mm, f"Case record {reference}")
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"Page {doc.page}")
        canvas.restoreState()

    return draw

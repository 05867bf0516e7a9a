"""Twenty cases whose dates and figures were worked out by hand (issue 12).

Built through the use cases with fixed dates, as of Wed 25 Nov 2026, England and Wales
(no bank holiday falls between 31 Aug and 25 Dec 2026). Statutory = the corresponding date
next month (next working day if that is a weekend) plus paused days; promise = the relevant
time + 30 days (+ paused days); an extension makes both the extended statutory date. Every
promise date below but C20's falls on a working day; a weekend promise moves back to the
previous working day (DESIGN rule 4).

case type/channel  recd   steps                         statut. promise closed, outcome
C01  access/email  7 Sep                                7 Oct   7 Oct   2 Oct fulfilled, 25 d
C02  access/post   8 Sep  extended 2 months 28 Sep      8 Dec   8 Dec   2 Nov fulfilled, 55 d
C03  erasure/web   9 Sep  clarification 14-18 Sep: 5 d  14 Oct  14 Oct  13 Oct partly, 34 d
C04  rectif./email 14 Sep                               14 Oct  14 Oct  19 Oct fulfilled, 5 late
C05  access/email  15 Sep                               15 Oct  15 Oct  30 Sep refused, 15 d
C06  opt-out/email 16 Sep target: next working day      16 Oct  17 Sep  16 Sep fulfilled, 0 d
C07  portab./web   21 Sep                               21 Oct  21 Oct  5 Oct withdrawn
C08  access/phone  22 Sep ID asked 22 Sep, came 28 Sep  28 Oct  28 Oct  27 Oct fulfilled, 35 d
C09  restr./post   5 Oct                                5 Nov   4 Nov   5 Nov fulfilled, 31 d
C10  access/email  6 Oct                                6 Nov   5 Nov   10 Nov fulfilled, 4 late
C11  erasure/email 7 Oct                                9 Nov   6 Nov   6 Nov no data, 30 d
C12  access/web    12 Oct extended 1 month 2 Nov        14 Dec  14 Dec  open
C13  access/email  13 Oct                               13 Nov  12 Nov  open: overdue
C14  rectif./phone 14 Oct                               16 Nov  13 Nov  23 Nov refused, 7 late
C15  erasure/email 19 Oct clarification asked 9 Nov     19 Nov  18 Nov  open, paused
C16  access/post   3 Nov  ID asked 4 Nov, no reply      3 Dec   3 Dec   open, waiting for ID
C17  access/email  9 Nov  ID 9-11 Nov; ID document kept 11 Dec  11 Dec  open
C18  portab./email 2 Nov                                2 Dec   2 Dec   open
C19  restr./web    26 Oct                               26 Nov  25 Nov  open
C20  access/email  27 Aug                               28 Sep  25 Sep  24 Sep fulfilled, 28 d
(all 2026)

C20's 30th day is Sat 26 Sep: the promise is kept on the previous working day, Fri 25 Sep
(DESIGN rule 4); closed on 24 Sep, it is in time either way.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app import cases
from app.attachments import add_attachment
from app.domain import Channel, Outcome, RequestType
from app.grounds import GroundBasis
from app.readmodels import RequesterDetails
from app.store import Store
from tests.conftest import finish_search_record

TODAY = date(2026, 11, 25)
A, R, E, X, P, M = (
    RequestType.ACCESS,
    RequestType.RECTIFICATION,
    RequestType.ERASURE,
    RequestType.RESTRICTION,
    RequestType.PORTABILITY,
    RequestType.MARKETING_OPT_OUT,
)
EM, PO, WF, PH = Channel.EMAIL, Channel.POST, Channel.WEB_FORM, Channel.PHONE

REFUSED_UNFOUNDED = "Manifestly unfounded: the request was made to harass staff."
REFUSED_EXCESSIVE = "Manifestly excessive: it repeats a request answered last month."
PARTLY_GROUND = "Article 17(3)(b): invoices must be kept for six years."
LATE_REASONS = {
    "C04": "The only person who could search the HR system was on leave.",
    "C10": "We waited for records from the payroll provider.",
    "C14": "The refusal letter waited for legal review.",
}

# (received, type, channel) per case, in the order they are logged.
CASES: dict[str, tuple[date, RequestType, Channel]] = {
    "C20": (date(2026, 8, 27), A, EM),
    "C01": (date(2026, 9, 7), A, EM),
    "C02": (date(2026, 9, 8), A, PO),
    "C03": (date(2026, 9, 9), E, WF),
    "C04": (date(2026, 9, 14), R, EM),
    "C05": (date(2026, 9, 15), A, EM),
    "C06": (date(2026, 9, 16), M, EM),
    "C07": (date(2026, 9, 21), P, WF),
    "C08": (date(2026, 9, 22), A, PH),
    "C09": (date(2026, 10, 5), X, PO),
    "C10": (date(2026, 10, 6), A, EM),
    "C11": (date(2026, 10, 7), E, EM),
    "C12": (date(2026, 10, 12), A, WF),
    "C13": (date(2026, 10, 13), A, EM),
    "C14": (date(2026, 10, 14), R, PH),
    "C15": (date(2026, 10, 19), E, EM),
    "C19": (date(2026, 10, 26), X, WF),
    "C18": (date(2026, 11, 2), P, EM),
    "C16": (date(2026, 11, 3), A, PO),
    "C17": (date(2026, 11, 9), A, EM),
}

# Worked by hand: (statutory, promise) after every step above.
DEADLINES: dict[str, tuple[date, date]] = {
    "C01": (date(2026, 10, 7), date(2026, 10, 7)),
    "C02": (date(2026, 12, 8), date(2026, 12, 8)),
    "C03": (date(2026, 10, 14), date(2026, 10, 14)),
    "C04": (date(2026, 10, 14), date(2026, 10, 14)),
    "C05": (date(2026, 10, 15), date(2026, 10, 15)),
    "C06": (date(2026, 10, 16), date(2026, 9, 17)),
    "C07": (date(2026, 10, 21), date(2026, 10, 21)),
    "C08": (date(2026, 10, 28), date(2026, 10, 28)),
    "C09": (date(2026, 11, 5), date(2026, 11, 4)),
    "C10": (date(2026, 11, 6), date(2026, 11, 5)),
    "C11": (date(2026, 11, 9), date(2026, 11, 6)),
    "C12": (date(2026, 12, 14), date(2026, 12, 14)),
    "C13": (date(2026, 11, 13), date(2026, 11, 12)),
    "C14": (date(2026, 11, 16), date(2026, 11, 13)),
    "C15": (date(2026, 11, 19), date(2026, 11, 18)),
    "C16": (date(2026, 12, 3), date(2026, 12, 3)),
    "C17": (date(2026, 12, 11), date(2026, 12, 11)),
    "C18": (date(2026, 12, 2), date(2026, 12, 2)),
    "C19": (date(2026, 11, 26), date(2026, 11, 25)),
    "C20": (date(2026, 9, 28), date(2026, 9, 25)),
}

NAMES = {
    "C01": "Zoë Adeyemi",
    "C02": "Jürgen Müller",
    "C03": "Siobhán O'Connor",
    "C04": "Ελένη Παπαδοπούλου",
    "C05": "Дмитрий Иванов",
}


def requester(key: str) -> RequesterDetails:
    name = NAMES.get(key, f"Requester {key[1:]} Example")
    return RequesterDetails(name=name, email=f"{key.lower()}@example.org")


def build(store: Store) -> dict[str, int]:
    """Log and move along the twenty cases; returns their ids by key."""
    ids: dict[str, int] = {}
    for key, (received, kind, channel) in CASES.items():
        ids[key] = cases.log_request(
            store,
            requester(key),
            request_type=kind,
            channel=channel,
            on=received,
            today=TODAY,
        ).id

    def close(
        key: str, outcome: Outcome, on: date, ground: str = "", basis: GroundBasis | None = None
    ) -> None:
        if outcome in (Outcome.FULFILLED, Outcome.PARTLY_FULFILLED):
            finish_search_record(store, ids[key], on=on)  # closing needs the search record
        cases.close(
            store,
            ids[key],
            outcome=outcome,
            on=on,
            ground=ground,
            ground_basis=basis,
            late_reason=LATE_REASONS.get(key, ""),
            today=TODAY,
        )

    d = date
    cases.extend(store, ids["C02"], reason="Six systems to search.", on=d(2026, 9, 28), today=TODAY)
    cases.pause_for_clarification(store, ids["C03"], on=d(2026, 9, 14), today=TODAY)
    cases.clarification_received(store, ids["C03"], on=d(2026, 9, 18), today=TODAY)
    cases.request_identity(store, ids["C08"], on=d(2026, 9, 22), today=TODAY)
    cases.identity_received(store, ids["C08"], on=d(2026, 9, 28), today=TODAY)
    cases.extend(
        store, ids["C12"], reason="Many records.", months=1, on=d(2026, 11, 2), today=TODAY
    )
    cases.pause_for_clarification(store, ids["C15"], on=d(2026, 11, 9), today=TODAY)
    cases.request_identity(store, ids["C16"], on=d(2026, 11, 4), today=TODAY)
    cases.request_identity(store, ids["C17"], on=d(2026, 11, 9), today=TODAY)
    cases.identity_received(store, ids["C17"], on=d(2026, 11, 11), today=TODAY)
    add_attachment(
        store, ids["C17"], filename="passport.png", content=b"\x89PNG scan", kind="id_document"
    )

    close("C20", Outcome.FULFILLED, d(2026, 9, 24))
    close("C01", Outcome.FULFILLED, d(2026, 10, 2))
    close("C02", Outcome.FULFILLED, d(2026, 11, 2))
    close(
        "C03",
        Outcome.PARTLY_FULFILLED,
        d(2026, 10, 13),
        PARTLY_GROUND,
        GroundBasis.ERASURE_EXCEPTION,
    )
    close("C04", Outcome.FULFILLED, d(2026, 10, 19))
    close(
        "C05", Outcome.REFUSED, d(2026, 9, 30), REFUSED_UNFOUNDED, GroundBasis.MANIFESTLY_UNFOUNDED
    )
    close("C06", Outcome.FULFILLED, d(2026, 9, 16))
    close("C07", Outcome.WITHDRAWN, d(2026, 10, 5))
    close("C08", Outcome.FULFILLED, d(2026, 10, 27))
    close("C09", Outcome.FULFILLED, d(2026, 11, 5))
    close("C10", Outcome.FULFILLED, d(2026, 11, 10))
    close("C11", Outcome.NO_DATA_HELD, d(2026, 11, 6))
    close(
        "C14", Outcome.REFUSED, d(2026, 11, 23), REFUSED_EXCESSIVE, GroundBasis.MANIFESTLY_EXCESSIVE
    )
    return ids


def build_file(path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """The twenty cases in a closed store file (for a main window to open): their ids and
    references by key."""
    from app.store import open_store

    store = open_store(path)
    try:
        ids = build(store)
        return ids, {key: cases.get_case(store, case_id).reference for key, case_id in ids.items()}
    finally:
        store.close()

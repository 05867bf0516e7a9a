"""Retention erasure: closed cases past their horizon are listed, erased on confirmation, and
leave no trace of the requester's name, email, address, phone or ID document bytes anywhere
in the store file or its write-ahead log, while the event chain still verifies."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from app import cases, searches
from app.attachments import add_attachment, list_attachments
from app.disclosure import add_item, redact_term
from app.domain import Channel, DomainError, Outcome, RequestType
from app.grounds import GroundBasis
from app.integrity.verify import verify_store
from app.letters import generate_letter
from app.readmodels import RequesterDetails
from app.retention import (
    ERASED_NAME,
    RetentionPolicy,
    due_cases,
    due_id_documents,
    erase_case,
    erase_chosen,
    load_policy,
    save_policy,
)
from app.settings import save_settings
from app.store import Store
from app.text import fold
from tests.integrity.conftest import ORG
from tests.raw import raw_rows

RECEIVED = date(2026, 3, 2)
CLOSED = date(2026, 3, 27)
ZEB = RequesterDetails(
    name="Zebedee Quartermaine",
    email="Zebedee.Q@quartermaine.example",
    postal_address="17 Fennel Lane\nHarrogate\nHG1 2AB",
    phone="01423 555 0199",
)
NEW_ADDRESS = "9 Thyme Close\nKnaresborough\nHG5 0AA"
ID_BYTES = b"\x89PNG passport of Zebedee " + os.urandom(6000)
THIRD_PARTY = "Tabitha Thirdparty"
ORDERS_CSV = (
    "customer,order,handled by\n"
    f"{ZEB.name},ZQ-77114,{THIRD_PARTY}\n"
    f"{ZEB.name},ZQ-77115,{THIRD_PARTY}\n"
).encode()
OLIVE = RequesterDetails(name="Olive Otherwise", email="olive@otherwise.example")


@dataclass(frozen=True)
class Cases:
    zeb: int
    refused: int
    olive: int


def _searched(store: Store, case_id: int, terms: str) -> None:
    for task in searches.plan(store, case_id):
        searches.record_search(
            store,
            task.id,
            on=CLOSED - timedelta(days=1),
            terms=terms,
            found=False,
            note=f"Nothing for {terms}",
            today=CLOSED,
        )


@pytest.fixture
def closed(store: Store) -> Cases:
    return close_three(store)


def close_three(store: Store) -> Cases:
    """Zebedee's access case (ID, note, corrected address, letter, searches) closed as
    fulfilled; Rufus's erasure refused; Olive's left open."""
    save_settings(store, ORG)
    zeb = cases.log_request(
        store,
        ZEB,
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=RECEIVED,
        description="Zebedee Quartermaine asks for everything.",
        today=CLOSED,
    ).id
    cases.request_identity(store, zeb, on=RECEIVED, today=CLOSED)
    add_attachment(
        store, zeb, filename="zebedee-passport.png", content=ID_BYTES, kind="id_document"
    )
    cases.identity_received(store, zeb, on=RECEIVED + timedelta(days=2), today=CLOSED)
    cases.add_note(store, zeb, "Zebedee Quartermaine phoned from 01423 555 0199.")
    cases.update_requester(
        store, zeb, RequesterDetails(ZEB.name, ZEB.email, NEW_ADDRESS, ZEB.phone)
    )
    generate_letter(store, zeb, "acknowledgement", today=CLOSED)
    _searched(store, zeb, ZEB.email)
    # The disclosure set: an export naming him and a third party, that person redacted.
    add_item(store, zeb, filename="zebedee-orders.csv", content=ORDERS_CSV, source="CRM")
    redact_term(store, zeb, THIRD_PARTY, reason="Third-party data (DPA 2018 Sch. 2 para 16)")
    cases.close(store, zeb, outcome=Outcome.FULFILLED, on=CLOSED, today=CLOSED)

    refused = cases.log_request(
        store,
        RequesterDetails("Rufus Refusal", "rufus@refusal.example", "3 Nope Street"),
        request_type=RequestType.ERASURE,
        channel=Channel.POST,
        on=RECEIVED,
        today=CLOSED,
    ).id
    cases.close(
        store,
        refused,
        outcome=Outcome.REFUSED,
        on=CLOSED,
        today=CLOSED,
        ground="Legal claims: Rufus Refusal is suing us (Art. 17(3)(e)).",
        ground_basis=GroundBasis.ERASURE_EXCEPTION,
    )
    olive = cases.log_request(
        store,
        OLIVE,
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=CLOSED,
        today=CLOSED,
    ).id
    return Cases(zeb, refused, olive)


def traces(paths: list[Path], needles: dict[str, bytes]) -> list[str]:
    """Which needles occur in the files' bytes, read by another process: a plain handle on
    the live store in this one would drop its SQLite locks (DESIGN.md section 6)."""
    script = (
        "import os, sys\n"
        "data = b''.join(open(p, 'rb').read() for p in sys.argv[2:] if os.path.exists(p))\n"
        "needles = dict(a.split('=', 1) for a in sys.argv[1].split(',') if a)\n"
        "print(','.join(k for k, v in needles.items() if bytes.fromhex(v) in data))\n"
    )
    arg = ",".join(f"{k}={v.hex()}" for k, v in needles.items())
    out = subprocess.run(
        [sys.executable, "-c", script, arg, *map(str, paths)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return [k for k in out.split(",") if k]


def stored_traces(store: Store, needles: dict[str, bytes]) -> list[str]:
    """Which needles the store still holds: at a desk, in the file's and its log's bytes; on
    a team server, in any row of any table (its data files keep a dead row until VACUUM,
    which is the server's: README, Team mode)."""
    if store.path is not None:
        return traces([store.path, Path(f"{store.path}-wal")], needles)
    from app.models import Base

    data = b"\0".join(
        bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for table in Base.metadata.sorted_tables
        for row in raw_rows(store, f"SELECT * FROM {table.name}")
        for value in row
        if value is not None
    )
    return [name for name, needle in needles.items() if needle in data]


def zeb_needles() -> dict[str, bytes]:
    needles = {
        "name": ZEB.name.encode(),
        "name_folded": fold(ZEB.name).encode(),
        "surname": b"Quartermaine",
        "email": ZEB.email.encode(),
        "email_lower": ZEB.email.lower().encode(),
        "phone": ZEB.phone.encode(),
        "id_document": ID_BYTES[1000:1064],
        "id_filename": b"zebedee-passport",
        "order_number": b"ZQ-77114",
        "third_party": THIRD_PARTY.encode(),
        "disclosure_filename": b"zebedee-orders",
    }
    for n, line in enumerate(ZEB.postal_address.splitlines() + NEW_ADDRESS.splitlines()):
        needles[f"address_{n}"] = line.encode()
    return needles


def test_closed_cases_past_the_horizon_are_erased_without_trace(
    store: Store, closed: Cases
) -> None:
    assert set(stored_traces(store, zeb_needles())) >= {
        "name",
        "email",
        "phone",
        "id_document",
        "order_number",
        "third_party",
    }

    # Two years and a day after closing: the fulfilled case is due, the refused one is kept
    # six years, the open one is not closed.
    later = CLOSED + relativedelta(years=2) + timedelta(days=1)
    due = due_cases(store, later)
    assert [d.case_id for d in due] == [closed.zeb]
    assert due[0].erase_from == CLOSED + relativedelta(years=2)
    with pytest.raises(DomainError, match="kept until"):
        erase_case(store, closed.refused, today=later)

    erased = erase_case(store, closed.zeb, today=later)
    assert erased.letters == 1 and erased.attachments == 1 and erased.events > 10
    assert due_cases(store, later) == []

    # No trace in the file or its log (a server: in its rows) while the store is open.
    assert stored_traces(store, zeb_needles()) == []
    report = verify_store(store)
    assert report.findings == [] and report.sound

    detail = cases.get_case(store, closed.zeb)
    assert detail.requester.name == ERASED_NAME and detail.requester.email == ""
    assert detail.outcome is Outcome.FULFILLED and detail.closed_on == CLOSED
    timeline = cases.timeline(store, closed.zeb)
    assert timeline[-1].kind == "erased"
    assert "1 letter and 1 attachment deleted" in timeline[-1].summary
    assert all(e.summary == "Erased under the retention policy." for e in timeline[:-1])
    assert list_attachments(store, closed.zeb) == []
    with pytest.raises(DomainError, match="erased"):
        cases.reopen(store, closed.zeb, reason="Oops")

    # The other cases are untouched.
    assert cases.get_case(store, closed.olive).requester == OLIVE
    assert cases.get_case(store, closed.refused).ground is not None
    store.close()
    if store.path is not None:  # and the closed file (a server's rows were read above)
        assert traces([store.path], zeb_needles()) == []


def test_six_years_for_refusals_and_the_policy_is_a_setting(store: Store, closed: Cases) -> None:
    assert load_policy(store) == RetentionPolicy()  # DESIGN.md section 8 defaults
    six = CLOSED + relativedelta(years=6)
    assert {d.case_id for d in due_cases(store, six)} == {closed.zeb, closed.refused}
    save_policy(store, RetentionPolicy(fulfilled_years=3, refused_years=7))
    assert {d.case_id for d in due_cases(store, six)} == {closed.zeb}
    with pytest.raises(DomainError, match="between 1 and 50 years"):
        save_policy(store, RetentionPolicy(withdrawn_years=0))
    erase_case(store, closed.refused, today=CLOSED + relativedelta(years=7))
    refused = cases.get_case(store, closed.refused)
    assert refused.ground is None and refused.requester.name == ERASED_NAME
    store.close()
    assert traces([store.path], {"ground": b"suing us", "name": b"Rufus"}) == []


def test_id_documents_go_n_days_after_verification_or_closure(store: Store) -> None:
    on = date(2026, 5, 4)
    verified = cases.log_request(
        store, ZEB, request_type=RequestType.ACCESS, channel=Channel.EMAIL, on=on, today=on
    ).id
    cases.request_identity(store, verified, on=on, today=on)
    add_attachment(store, verified, filename="passport.png", content=ID_BYTES, kind="id_document")
    cases.identity_received(
        store, verified, on=on + timedelta(days=3), today=on + timedelta(days=3)
    )
    never = cases.log_request(
        store, OLIVE, request_type=RequestType.ACCESS, channel=Channel.EMAIL, on=on, today=on
    ).id
    add_attachment(store, never, filename="licence.png", content=b"licence", kind="id_document")
    cases.close(
        store,
        never,
        outcome=Outcome.WITHDRAWN,
        on=on + timedelta(days=10),
        today=on + timedelta(days=10),
    )

    assert due_id_documents(store, on + timedelta(days=32)) == []
    [first] = due_id_documents(store, on + timedelta(days=33))
    assert first.case_id == verified and "identity was verified on" in first.because
    assert {d.case_id for d in due_id_documents(store, on + timedelta(days=40))} == {
        verified,
        never,
    }


def test_a_batch_erases_deletes_old_backups_and_can_stop_between_cases(
    store: Store, closed: Cases
) -> None:
    from app.backups import Cancelled, backup_folder, backup_path

    folder = backup_folder(store.path)
    folder.mkdir(exist_ok=True)
    old = folder / f"{store.path.stem}-20260101T000000000000Z-daily.sqlite"
    old.write_bytes(b"an old backup")
    recent = store.backup(backup_path(store.path, "daily"))
    far = CLOSED + relativedelta(years=7)

    with pytest.raises(Cancelled):
        erase_chosen(
            store, [closed.zeb, closed.refused], [], today=far, progress=lambda d, t: d < 1
        )
    assert cases.get_case(store, closed.zeb).requester.name == ERASED_NAME
    assert cases.get_case(store, closed.refused).requester.name == "Rufus Refusal"

    now = datetime(2026, 3, 1, tzinfo=UTC)  # 60 days after the old backup, 30 is the horizon
    batch = erase_chosen(store, [closed.refused], [], today=far, now=now)
    assert (batch.cases, batch.backups) == (1, 1)
    assert not old.exists() and recent.exists()
    assert verify_store(store).sound

"""Synthetic demo cases: invented people only, spread over every type, stage and urgency.

`fill_demo` goes through the real use cases, so the demo store has honest timelines.
`fill_bulk` writes many plain cases directly, for benchmarks of the list at scale.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from app import cases, searches
from app.deadlines import Clock, case_deadlines
from app.domain import Channel, DomainError, Outcome, RequestType, Status
from app.models import Case, ReferenceCounter, Requester
from app.readmodels import RequesterDetails
from app.settings import LETTERHEAD_FIELDS, OrgSettings, load_settings, save_settings
from app.store import Store
from app.systems import list_systems
from app.text import fold

FIRST = [
    "Jürgen",
    "Zoë",
    "Aoife",
    "Siobhán",
    "Priya",
    "Oluwaseun",
    "Mohammed",
    "Fatima",
    "Chen",
    "Yuki",
    "Eleni",
    "Dmitri",
    "Anna",
    "Tomasz",
    "Gráinne",
    "Rhys",
    "Hamish",
    "Amara",
    "Lucía",
    "François",
    "Björn",
    "Ngozi",
    "Kiran",
    "Emma",
    "Oliver",
    "Isla",
    "Callum",
    "Niamh",
]
LAST = [
    "Müller",
    "O'Connor",
    "Ní Bhriain",
    "Patel",
    "Adeyemi",
    "Khan",
    "Wang",
    "Tanaka",
    "Papadopoulou",
    "Ivanov",
    "Kowalski",
    "Jones",
    "MacLeod",
    "Okafor",
    "García",
    "Lefèvre",
    "Sørensen",
    "Smith",
    "Taylor",
    "Campbell",
    "Evans",
    "Thomas",
    "Brown",
    "Wilson",
]
FEATURED = [
    "Jürgen Müller",
    "Zoë Adeyemi",
    "Ελένη Παπαδοπούλου",
    "Дмитрий Иванов",
    "Siobhán Ní Bhriain",
]
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Mill Road",
    "Victoria Road",
    "Queen Street",
    "Park Avenue",
    "Kingsway",
]
TOWNS = [
    ("Leeds", "LS1 4AP"),
    ("Cardiff", "CF10 1EP"),
    ("Glasgow", "G1 2FF"),
    ("Belfast", "BT1 5GS"),
    ("Bristol", "BS1 4DJ"),
    ("Norwich", "NR2 1NH"),
    ("Swansea", "SA1 1NW"),
    ("York", "YO1 7HH"),
]
DESCRIPTIONS = {
    RequestType.ACCESS: "Please send me a copy of all personal data you hold about me, "
    "including call recordings and support tickets.",
    RequestType.RECTIFICATION: "My date of birth and address on your billing system are wrong.",
    RequestType.ERASURE: "I closed my account last year; please delete everything you hold.",
    RequestType.RESTRICTION: "I object to you using my data for profiling; please stop.",
    RequestType.PORTABILITY: "Please send my account data in a machine-readable format.",
    RequestType.MARKETING_OPT_OUT: "Stop sending me marketing emails, please.",
}


def _person(rng: random.Random, n: int) -> RequesterDetails:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    town, postcode = rng.choice(TOWNS)
    email_local = fold(f"{first}.{last}").replace(" ", "").replace("'", "")
    return RequesterDetails(
        name=f"{first} {last}",
        email=f"{email_local}{n}@example.org",
        postal_address=f"{rng.randint(1, 180)} {rng.choice(STREETS)}\n{town}\n{postcode}",
        phone=f"07700 900{rng.randint(100, 999)}",
    )


# The demo's invented organisation, so its letters can be tried (the store is marked demo).
DEMO_ORG = OrgSettings(
    org_name="Northwind IT Services Ltd (demo)",
    org_address="Unit 4, Kingsway Business Park\nLeeds\nLS1 4AP",
    org_email="privacy@northwind.example",
    org_phone="0113 496 0000",
    dpo_name="Priya Shah",
    dpo_title="Data Protection Officer",
)


def fill_demo(store: Store, *, today: date | None = None, count: int = 40, seed: int = 7) -> None:
    """About `count` realistic cases received over the last ten weeks, in every state."""
    today = today or date.today()
    if not load_settings(store).org_name:
        letterhead = {field: getattr(DEMO_ORG, field) for field, _label in LETTERHEAD_FIELDS}
        save_settings(store, replace(load_settings(store), **letterhead))
    rng = random.Random(seed)
    types = list(RequestType)
    for n in range(count):
        received = today - timedelta(days=rng.randint(0, 70))
        if n % 5 == 4:
            received = today - timedelta(days=24 + n % 5)  # some due within the week
        request_type = types[n % len(types)]
        person = _person(rng, n)
        if n < len(FEATURED):
            local = fold(FEATURED[n]).replace(" ", ".")
            email = f"{local}@example.org" if local.isascii() else person.email
            person = replace(person, name=FEATURED[n], email=email)
        detail = cases.log_request(
            store,
            person,
            request_type=request_type,
            channel=rng.choice(list(Channel)),
            on=received,
            description=DESCRIPTIONS[request_type],
            identity_required=request_type is RequestType.ACCESS,
            today=today,
        )
        _advance(store, detail.id, n, received, today, rng)


def _advance(
    store: Store, case_id: int, n: int, received: date, today: date, rng: random.Random
) -> None:
    """Move a demo case along to one of the stages a real desk holds."""
    stage = n % 8
    step = received + timedelta(days=2)
    if (today - received).days > 35 and n % 10:
        stage = 5 + n % 2  # most old requests have been answered; a few stay overdue
    try:
        if stage == 1 and step <= today:
            cases.request_identity(store, case_id, on=step, today=today)
        elif stage == 2 and step <= today:
            cases.pause_for_clarification(store, case_id, on=step, today=today)
        elif stage == 3 and step + timedelta(days=5) <= today:
            cases.pause_for_clarification(store, case_id, on=step, today=today)
            cases.clarification_received(store, case_id, on=step + timedelta(days=5), today=today)
        elif stage == 4 and step <= today:
            cases.extend(
                store,
                case_id,
                months=2,
                on=step,
                today=today,
                reason="The request covers ten years of records across several systems.",
            )
        elif stage in (5, 6) and received + timedelta(days=10) <= today:
            outcome = Outcome.PARTLY_FULFILLED if stage == 6 else Outcome.FULFILLED
            _search(store, case_id, received + timedelta(days=5), today)
            cases.close(
                store,
                case_id,
                outcome=outcome,
                on=received + timedelta(days=10),
                today=today,
                ground="Legal obligation to retain invoices for six years (Art. 17(3)(b))."
                if outcome is Outcome.PARTLY_FULFILLED
                else "",
            )
        elif stage == 7:
            cases.add_note(store, case_id, "Called the requester to confirm the scope.")
            if received + timedelta(days=3) <= today:
                _search(store, case_id, received + timedelta(days=3), today, limit=3)
    except DomainError:
        pass  # a stage that does not fit this case's dates: leave it open


def _search(store: Store, case_id: int, on: date, today: date, *, limit: int | None = None) -> None:
    """Record the demo case's searches (the first `limit` tasks): systems that cannot be
    searched by any identifier are left out with the reason, the others searched."""
    rng = random.Random(case_id)  # its own stream: the cases made after stay the same
    case = cases.get_case(store, case_id)
    registered = {system.id: system for system in list_systems(store, include_retired=True)}
    terms = ", ".join(t for t in (case.requester.email, case.requester.name) if t)
    for task in searches.plan(store, case_id)[:limit]:
        system = registered.get(task.system_id) if task.system_id else None
        if system is not None and not system.identifiers:
            searches.leave_out(store, task.id, reason=UNSEARCHABLE)
            continue
        found = rng.random() < 0.45
        searches.record_search(
            store,
            task.id,
            on=on,
            terms=terms,
            found=found,
            items=rng.randint(1, 14) if found else 0,
            period_from=date(on.year - 2, 1, 1) if rng.random() < 0.3 else None,
            today=today,
        )
        action = searches.ACTION_FOR_TYPE.get(case.request_type)
        if found and action is not None and limit is None:
            kept = system is not None and "must be kept" in system.how_to_erase
            searches.record_action(
                store,
                task.id,
                action=searches.SystemAction.KEPT if kept else action,
                on=on,
                ground=KEPT_GROUND if kept else "",
                recipients_told="Told by email." if system and system.recipients else "",
                today=today,
            )


UNSEARCHABLE = "Holds aggregated statistics only, which cannot identify a person."
KEPT_GROUND = "Invoices must be kept for six years (Art. 17(3)(b), legal obligation)."


def fill_bulk(store: Store, count: int, *, today: date | None = None, seed: int = 11) -> None:
    """`count` plain cases written in bulk (no events), for list benchmarks at scale."""
    today = today or date.today()
    rng = random.Random(seed)
    settings = load_settings(store)
    now = datetime.now(UTC)
    types = list(RequestType)
    statuses = [Status.OPEN] * 6 + [Status.CLOSED] * 3 + [Status.AWAITING_CLARIFICATION]
    with store.write() as session:
        numbers = {
            counter.year: counter.last_number
            for counter in session.scalars(select(ReferenceCounter))
        }
        for start in range(0, count, 5000):
            people = []
            rows = []
            for n in range(start, min(count, start + 5000)):
                person = _person(rng, n)
                received = today - timedelta(days=rng.randint(0, 3 * 365))
                numbers[received.year] = numbers.get(received.year, 0) + 1
                reference = f"DSR-{received.year}-{numbers[received.year]:04d}"
                request_type = rng.choice(types)
                dues = case_deadlines(
                    Clock(
                        start=received,
                        marketing_opt_out=request_type is RequestType.MARKETING_OPT_OUT,
                        region=settings.region,
                        promise_days=settings.promise_days,
                    )
                )
                status = rng.choice(statuses)
                people.append(
                    {
                        "name": person.name,
                        "email": person.email,
                        "postal_address": person.postal_address,
                        "phone": person.phone,
                        "email_key": person.email.lower(),
                        "created_at": now,
                    }
                )
                rows.append(
                    {
                        "reference": reference,
                        "request_type": request_type.value,
                        "channel": Channel.EMAIL.value,
                        "received_on": received,
                        "description": DESCRIPTIONS[request_type],
                        "status": status.value,
                        "outcome": Outcome.FULFILLED.value if status is Status.CLOSED else None,
                        "closed_on": received + timedelta(days=20)
                        if status is Status.CLOSED
                        else None,
                        "identity_required": False,
                        "clock_start": received,
                        "paused_on": received if status.paused else None,
                        "pauses": [],
                        "extension_months": 0,
                        "region": settings.region,
                        "promise_days": settings.promise_days,
                        "statutory_due": dues.statutory,
                        "promised_due": dues.promised,
                        "effective_due": dues.effective,
                        "search_key": fold(f"{reference} {person.name} {person.email}"),
                        "requester_sort": fold(person.name),
                        "created_at": now,
                        "updated_at": now,
                        "version": 1,
                    }
                )
            ids = session.scalars(
                insert(Requester).returning(Requester.id, sort_by_parameter_order=True),
                people,
            ).all()
            for row, requester_id in zip(rows, ids, strict=True):
                row["requester_id"] = requester_id
            session.execute(insert(Case), rows)
        for year, number in numbers.items():
            counter = session.get(ReferenceCounter, year)
            if counter is None:
                session.add(ReferenceCounter(year=year, last_number=number))
            else:
                counter.last_number = max(counter.last_number, number)

"""Synthetic demo cases: invented people only, spread over every type, stage and urgency.

`fill_demo` goes through the real use cases, so the demo store has honest timelines.
`fill_bulk` writes many plain cases directly, for benchmarks of the list at scale.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from itertools import islice

from sqlalchemy import insert, select

from app import cases, searches
from app.deadlines import Clock, Deadlines, case_deadlines
from app.domain import Channel, DomainError, Outcome, RequestType, Status
from app.grounds import GroundBasis
from app.models import Case, ReferenceCounter, Requester
from app.readmodels import RequesterDetails
from app.settings import OrgSettings, load_settings, save_settings
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


# The invented organisation whose letters the demo prints: a small UK IT services company
# (its name says demo: the store is marked demo).
DEMO_ORG = OrgSettings(
    org_name="Northwind IT Services Ltd (demo)",
    org_address="Unit 4, Kingsway Business Park\nLeeds\nLS1 4AP",
    org_email="privacy@northwind.example",
    org_phone="0113 496 0000",
    dpo_name="Priya Shah",
    dpo_title="Data Protection Officer",
    purposes="Providing and supporting the IT services in your contract; billing; "
    "direct marketing where you agreed to it.",
    categories="Contact details, account and billing records, support tickets, call recordings.",
    recipients="Our payroll and finance provider (UK), our hosting provider (Ireland) and "
    "our telephone system provider (UK).",
    retention="Account and support records: six years after the contract ends; call "
    "recordings: 12 months; marketing contacts: until you object.",
    source="You, and your employer when it set up your account.",
    automated_decisions="We make no decisions about you by automated means, and do no "
    "profiling with legal or similarly significant effects.",
    transfer_safeguards="Our hosting provider stores data in Ireland, covered by the UK's "
    "adequacy regulations for the EEA; we make no other transfers outside the UK.",
    complaints_contact="by email to privacy@northwind.example or by post to our Data "
    "Protection Officer at the address above",
)

# (basis, ground) of a partly fulfilled demo case, per type: what a real desk would write.
PARTLY: dict[RequestType, tuple[GroundBasis, str]] = {
    RequestType.ACCESS: (
        GroundBasis.THIRD_PARTY,
        "Colleagues' names and their opinions in internal emails were withheld; the rest of "
        "each email is disclosed.",
    ),
    RequestType.RECTIFICATION: (
        GroundBasis.DATA_ACCURATE,
        "The address was corrected; the date of birth matches the signed contract on file, "
        "so it was left as it is.",
    ),
    RequestType.ERASURE: (
        GroundBasis.ERASURE_EXCEPTION,
        "Art. 17(3)(b): invoices must be kept for six years to meet HMRC record-keeping rules.",
    ),
    RequestType.RESTRICTION: (
        GroundBasis.COMPELLING_GROUNDS,
        "Service logs are kept for 12 months to defend a live claim about the March outage.",
    ),
    RequestType.PORTABILITY: (
        GroundBasis.PORTABILITY_NOT_APPLICABLE,
        "Support call notes are written by our staff, not provided by you; your account "
        "data is enclosed.",
    ),
}
QUESTIONS = {
    RequestType.ACCESS: "Which of your two accounts (2019 and 2023) do you mean, and do you "
    "want call recordings as well as emails?",
    RequestType.RECTIFICATION: "Which records show the wrong address: invoices, the support "
    "portal, or both?",
    RequestType.ERASURE: "Do you also want your closed 2019 account erased, or only the "
    "current one?",
    RequestType.RESTRICTION: "Which use of your data do you object to: the newsletter "
    "profiling or the service satisfaction surveys?",
    RequestType.PORTABILITY: "Which organisation should we send the data to, and to which address?",
}
ID_REASONS = {
    RequestType.ACCESS: "The request came from an email address we have never used with you.",
    RequestType.PORTABILITY: "The request asks us to send your data to a new address.",
    RequestType.ERASURE: "The request came by post with no account number or signature.",
    RequestType.RECTIFICATION: "The request changes the address we write to.",
    RequestType.RESTRICTION: "The request came from an email address we have never used.",
}


_fold_name = lru_cache(maxsize=4096)(fold)  # a million bulk cases share a few hundred names


def _person(rng: random.Random, n: int) -> RequesterDetails:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    town, postcode = rng.choice(TOWNS)
    email_local = _fold_name(f"{first}.{last}").replace(" ", "").replace("'", "")
    return RequesterDetails(
        name=f"{first} {last}",
        email=f"{email_local}{n}@example.org",
        postal_address=f"{rng.randint(1, 180)} {rng.choice(STREETS)}\n{town}\n{postcode}",
        phone=f"07700 900{rng.randint(100, 999)}",
    )


def fill_demo(store: Store, *, today: date | None = None, count: int = 40, seed: int = 7) -> None:
    """About `count` realistic cases received over the last ten weeks, in every state."""
    today = today or date.today()
    settings = load_settings(store)
    if settings.org_name in ("", OrgSettings().org_name):  # never over a real organisation
        # Its letterhead, Article 15 texts and complaints route; the machine's own choices
        # (region, promise, logo...) stay.
        texts = {
            f.name: getattr(DEMO_ORG, f.name)
            for f in fields(OrgSettings)
            if f.type == "str" and f.name != "region"
        }
        save_settings(store, replace(settings, **texts))
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
    request_type = cases.get_case(store, case_id).request_type
    if (today - received).days > 35 and n % 10:
        stage = 5 + n % 2  # most old requests have been answered; a few stay overdue
    if request_type is RequestType.MARKETING_OPT_OUT:
        # Absolute and actioned at once (Art. 21(3)): suppressed the day after at the latest.
        actioned = received + timedelta(days=n % 2)
        if actioned <= today and stage != 0:
            _search(store, case_id, actioned, today)  # the CRM, the only system it needs
            cases.close(store, case_id, outcome=Outcome.FULFILLED, on=actioned, today=today)
        return
    try:
        if stage == 1 and step <= today:
            cases.request_identity(
                store, case_id, on=step, reason=ID_REASONS[request_type], today=today
            )
        elif stage == 2 and step <= today:
            cases.pause_for_clarification(
                store, case_id, on=step, question=QUESTIONS[request_type], today=today
            )
        elif stage == 3 and step + timedelta(days=5) <= today:
            cases.pause_for_clarification(
                store, case_id, on=step, question=QUESTIONS[request_type], today=today
            )
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
            basis, ground = PARTLY[request_type] if stage == 6 else (None, "")
            _search(store, case_id, received + timedelta(days=5), today)
            cases.close(
                store,
                case_id,
                outcome=outcome,
                on=received + timedelta(days=10),
                today=today,
                ground=ground,
                ground_basis=basis,
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
    settings = load_settings(store)
    with store.write() as session:
        numbers = {
            counter.year: counter.last_number
            for counter in session.scalars(select(ReferenceCounter))
        }
        generated = bulk_cases(count, settings, numbers, today=today, seed=seed)
        while batch := list(islice(generated, 5000)):
            ids = session.scalars(
                insert(Requester).returning(Requester.id, sort_by_parameter_order=True),
                [person for person, _ in batch],
            ).all()
            rows = [row for _, row in batch]
            for row, requester_id in zip(rows, ids, strict=True):
                row["requester_id"] = requester_id
            session.execute(insert(Case), rows)
        for year, number in numbers.items():
            counter = session.get(ReferenceCounter, year)
            if counter is None:
                session.add(ReferenceCounter(year=year, last_number=number))
            else:
                counter.last_number = max(counter.last_number, number)


def bulk_cases(
    count: int,
    settings: OrgSettings,
    numbers: dict[int, int],
    *,
    today: date | None = None,
    seed: int = 11,
) -> Iterator[tuple[dict[str, object], dict[str, object]]]:
    """The column values of `count` plain cases and their requesters (no requester_id yet),
    advancing `numbers` (the last reference number of each year) as references are issued.

    Kept apart from the writing so that a benchmark can write a million of them through
    sqlite3 directly (tests/bench) and still get the very cases fill_bulk writes.
    """
    today = today or date.today()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    types = list(RequestType)
    statuses = [Status.OPEN] * 6 + [Status.CLOSED] * 3 + [Status.AWAITING_CLARIFICATION]
    folded_descriptions = {kind: fold(text) for kind, text in DESCRIPTIONS.items()}

    @cache  # about a thousand receipt days, each worked out once
    def deadlines(received: date, opt_out: bool) -> Deadlines:
        return case_deadlines(
            Clock(
                start=received,
                marketing_opt_out=opt_out,
                region=settings.region,
                promise_days=settings.promise_days,
            )
        )

    for n in range(count):
        person = _person(rng, n)
        received = today - timedelta(days=rng.randint(0, 3 * 365))
        numbers[received.year] = numbers.get(received.year, 0) + 1
        reference = f"DSR-{received.year}-{numbers[received.year]:04d}"
        request_type = rng.choice(types)
        dues = deadlines(received, request_type is RequestType.MARKETING_OPT_OUT)
        status = rng.choice(statuses)
        closed = status is Status.CLOSED
        yield (
            {
                "name": person.name,
                "email": person.email,
                "postal_address": person.postal_address,
                "phone": person.phone,
                "email_key": person.email.lower(),
                "created_at": now,
            },
            {
                "reference": reference,
                "request_type": request_type.value,
                "channel": Channel.EMAIL.value,
                "received_on": received,
                "description": DESCRIPTIONS[request_type],
                "status": status.value,
                "outcome": Outcome.FULFILLED.value if closed else None,
                "closed_on": received + timedelta(days=20) if closed else None,
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
                # fold() works character by character and each piece is whole words, so the
                # pieces fold apart (the name once per name, not once per case).
                "search_key": f"{fold(reference)} {_fold_name(person.name)} {fold(person.email)}",
                "description_key": folded_descriptions[request_type],
                "requester_sort": _fold_name(person.name),
                "created_at": now,
                "updated_at": now,
                "version": 1,
            },
        )

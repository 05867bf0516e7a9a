"""The list queries: filters, urgency, search that ignores case and accents, sorting, paging."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app import cases
from app.demo import fill_bulk, fill_demo
from app.domain import Channel, Outcome, RequestType, Status, Urgency
from app.queries import (
    CaseFilter,
    CaseQuery,
    SortKey,
    count_cases,
    list_cases,
    opened_this_month,
    row_position,
    urgency_counts,
)
from app.readmodels import RequesterDetails
from app.store import Store
from app.text import fold, like_pattern
from tests.conftest import finish_search_record

TODAY = date(2026, 11, 25)


def add(store: Store, name: str, email: str, received: date) -> int:
    return cases.log_request(
        store,
        RequesterDetails(name=name, email=email),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=received,
        today=TODAY,
    ).id


@pytest.fixture
def desk(store: Store) -> dict[str, int]:
    ids = {
        # received 23 Oct -> statutory Mon 23 Nov, promise Sun 22 Nov -> Fri 20 Nov:
        # overdue on 25 Nov
        "overdue": add(store, "Jürgen Müller", "jm@example.de", date(2026, 10, 23)),
        # received 1 Nov -> effective 1 Dec: due within 7 days
        "soon": add(store, "Zoë Ní Bhriain", "zoe@example.ie", date(2026, 11, 1)),
        # received 20 Nov -> effective 20 Dec: on track
        "track": add(store, "Ελένη Παπαδοπούλου", "eleni@example.gr", date(2026, 11, 20)),
        "paused": add(store, "Дмитрий Иванов", "dmitri@example.org", date(2026, 11, 10)),
        "closed": add(store, "Siobhán O'Connor", "siobhan@example.ie", date(2026, 10, 1)),
    }
    cases.pause_for_clarification(store, ids["paused"], on=date(2026, 11, 12), today=TODAY)
    finish_search_record(store, ids["closed"], on=date(2026, 10, 20))
    cases.close(store, ids["closed"], outcome=Outcome.FULFILLED, on=date(2026, 10, 20), today=TODAY)
    return ids


def ids_of(store: Store, query: CaseQuery) -> list[int]:
    return [row.id for row in list_cases(store, query, today=TODAY)]


@pytest.mark.parametrize(
    ("case_filter", "expected"),
    [
        (CaseFilter.OPEN, {"overdue", "soon", "track", "paused"}),
        (CaseFilter.OVERDUE, {"overdue"}),
        (CaseFilter.DUE_THIS_WEEK, {"soon"}),
        (CaseFilter.PAUSED, {"paused"}),
        (CaseFilter.CLOSED, {"closed"}),
        (CaseFilter.ALL, {"overdue", "soon", "track", "paused", "closed"}),
        (CaseFilter.OPENED_THIS_MONTH, {"soon", "track", "paused"}),
    ],
)
def test_filters(
    store: Store, desk: dict[str, int], case_filter: CaseFilter, expected: set[str]
) -> None:
    query = CaseQuery(filter=case_filter)
    assert set(ids_of(store, query)) == {desk[name] for name in expected}
    assert count_cases(store, query, today=TODAY) == len(expected)


def test_rows_carry_urgency_and_days_left(store: Store, desk: dict[str, int]) -> None:
    rows = {row.id: row for row in list_cases(store, CaseQuery(filter=CaseFilter.ALL), today=TODAY)}
    assert rows[desk["overdue"]].urgency is Urgency.OVERDUE
    assert rows[desk["overdue"]].days_left == -5
    assert rows[desk["soon"]].urgency is Urgency.DUE_SOON
    assert rows[desk["soon"]].days_left == 6
    assert rows[desk["track"]].urgency is Urgency.ON_TRACK
    assert rows[desk["paused"]].urgency is Urgency.PAUSED
    assert rows[desk["paused"]].status is Status.AWAITING_CLARIFICATION
    assert rows[desk["closed"]].urgency is Urgency.CLOSED
    # The SQL rule and the Python rule agree.
    for row in rows.values():
        assert cases.get_case(store, row.id).urgency(TODAY) is row.urgency


def test_urgency_counts(store: Store, desk: dict[str, int]) -> None:
    assert urgency_counts(store, today=TODAY) == {
        Urgency.OVERDUE: 1,
        Urgency.PAST_PROMISE: 0,
        Urgency.DUE_SOON: 1,
        Urgency.ON_TRACK: 1,
        Urgency.PAUSED: 1,
        Urgency.CLOSED: 1,
    }
    assert opened_this_month(store, today=TODAY) == 3


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("MÜLLER", "overdue"),
        ("muller", "overdue"),
        ("jürgen", "overdue"),
        ("zoe", "soon"),
        ("ZOË", "soon"),
        ("ni bhriain", "soon"),
        ("ελενη", "track"),
        ("ΠΑΠΑΔΟΠΟΎΛΟΥ", "track"),  # Greek, accents and case
        ("дмитрий", "paused"),
        ("ИВАНОВ", "paused"),  # Cyrillic
        ("siobhan", "closed"),
        ("o'connor", "closed"),
        ("DSR-2026-0002", "soon"),
        ("dsr-2026-0002", "soon"),  # reference
        ("eleni@EXAMPLE.gr", "track"),  # email
    ],
)
def test_search_ignores_case_and_accents_in_every_script(
    store: Store, desk: dict[str, int], text: str, who: str
) -> None:
    assert ids_of(store, CaseQuery(filter=CaseFilter.ALL, search=text)) == [desk[who]]


def test_search_treats_like_wildcards_as_text(store: Store, desk: dict[str, int]) -> None:
    assert ids_of(store, CaseQuery(filter=CaseFilter.ALL, search="%")) == []
    assert ids_of(store, CaseQuery(filter=CaseFilter.ALL, search="_")) == []
    assert like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"


def test_search_follows_a_corrected_name(store: Store, desk: dict[str, int]) -> None:
    cases.update_requester(
        store, desk["track"], RequesterDetails(name="Helen Papadopoulou", email="eleni@example.gr")
    )
    assert ids_of(store, CaseQuery(filter=CaseFilter.ALL, search="helen")) == [desk["track"]]
    assert ids_of(store, CaseQuery(filter=CaseFilter.ALL, search="ελενη")) == []


def test_sorting_by_every_column(store: Store, desk: dict[str, int]) -> None:
    everything = CaseFilter.ALL
    by_due = list_cases(store, CaseQuery(filter=everything, sort=SortKey.DUE), today=TODAY)
    dues = [row.effective_due for row in by_due]
    assert dues == sorted(dues)
    by_due_desc = ids_of(store, CaseQuery(filter=everything, sort=SortKey.DUE, descending=True))
    assert by_due_desc == [row.id for row in reversed(by_due)]
    names = [
        fold(r.requester_name)
        for r in list_cases(
            store, CaseQuery(filter=everything, sort=SortKey.REQUESTER), today=TODAY
        )
    ]
    assert names == sorted(names)
    for key in SortKey:
        assert len(ids_of(store, CaseQuery(filter=everything, sort=key))) == 5


def test_paging_and_position(store: Store) -> None:
    fill_bulk(store, 1000, today=TODAY)
    query = CaseQuery(filter=CaseFilter.ALL, sort=SortKey.RECEIVED)
    total = count_cases(store, query, today=TODAY)
    assert total == 1000
    pages = [
        list_cases(store, query, today=TODAY, offset=o, limit=300) for o in range(0, 1000, 300)
    ]
    flat = [row.id for page in pages for row in page]
    assert len(flat) == len(set(flat)) == 1000
    received = [row.received_on for page in pages for row in page]
    assert received == sorted(received)
    some = flat[537]
    assert row_position(store, query, some, today=TODAY) == 537
    for order in (
        CaseQuery(filter=CaseFilter.OPEN, sort=SortKey.REQUESTER, descending=True),
        CaseQuery(filter=CaseFilter.ALL, sort=SortKey.DUE, search="a"),
    ):
        listed = [row.id for row in list_cases(store, order, today=TODAY, limit=1000)]
        for position in (0, 17, len(listed) // 2, len(listed) - 1):
            assert row_position(store, order, listed[position], today=TODAY) == position
    assert (
        row_position(store, CaseQuery(filter=CaseFilter.ALL, search="nobody"), some, today=TODAY)
        is None
    )


def test_bulk_fill_continues_the_reference_sequence(store: Store) -> None:
    first = add(store, "Ann", "ann@example.org", TODAY - timedelta(days=1))
    fill_bulk(store, 50, today=TODAY)
    refs = [
        row.reference
        for row in list_cases(
            store, CaseQuery(filter=CaseFilter.ALL, sort=SortKey.REFERENCE), today=TODAY, limit=100
        )
    ]
    assert len(refs) == len(set(refs)) == 51
    assert cases.get_case(store, first).reference == "DSR-2026-0001"


def test_demo_data_covers_every_type_stage_and_urgency(store: Store) -> None:
    fill_demo(store, today=TODAY)
    rows = list_cases(store, CaseQuery(filter=CaseFilter.ALL), today=TODAY, limit=100)
    assert 35 <= len(rows) <= 45
    assert {row.request_type for row in rows} == set(RequestType)
    assert {row.status for row in rows} == set(Status)
    assert {row.urgency for row in rows} == set(Urgency)
    assert any(row.requester_name == "Jürgen Müller" for row in rows)
    assert any(row.requester_name.startswith("Zoë") for row in rows)
    extended = [cases.get_case(store, r.id) for r in rows]
    assert any(c.extension_months for c in extended)
    assert any(c.pauses for c in extended)


def test_past_our_promise_is_not_overdue(store: Store) -> None:
    # On Wed 25 Nov 2026: received Sun 25 Oct -> promise Tue 24 Nov (passed), statutory
    # Wed 25 Nov (today, still ahead of being late): past our promise, not overdue.
    # Received Fri 23 Oct -> statutory Mon 23 Nov: overdue.
    past = add(store, "Ann Lee", "ann@example.org", date(2026, 10, 25))
    late = add(store, "Bo Li", "bo@example.org", date(2026, 10, 23))
    detail = cases.get_case(store, past)
    assert (detail.effective_due, detail.statutory_due) == (date(2026, 11, 24), date(2026, 11, 25))
    assert detail.urgency(TODAY) is Urgency.PAST_PROMISE
    assert cases.get_case(store, late).urgency(TODAY) is Urgency.OVERDUE
    rows = {row.id: row for row in list_cases(store, CaseQuery(filter=CaseFilter.ALL), today=TODAY)}
    assert rows[past].urgency is Urgency.PAST_PROMISE
    assert rows[past].statutory_due == date(2026, 11, 25)
    assert rows[past].statutory_days_left == 0
    assert rows[late].urgency is Urgency.OVERDUE
    assert rows[late].statutory_days_left == -2
    assert ids_of(store, CaseQuery(filter=CaseFilter.OVERDUE)) == [late]
    assert ids_of(store, CaseQuery(filter=CaseFilter.PAST_PROMISE)) == [past]
    counts = urgency_counts(store, today=TODAY)
    assert counts[Urgency.OVERDUE] == 1
    assert counts[Urgency.PAST_PROMISE] == 1
    assert counts[Urgency.ON_TRACK] == 0
    # The next day the statutory date has passed too: now it is overdue.
    assert cases.get_case(store, past).urgency(TODAY + timedelta(days=1)) is Urgency.OVERDUE

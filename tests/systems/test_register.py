"""The systems register: pre-filled from the privacy policy, edited, retired with history."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import searches
from app.domain import ConcurrentChange, DomainError, RequestType
from app.store import Store
from app.systems import (
    Identifier,
    SystemDetails,
    add_system,
    article_15_text,
    get_system,
    list_systems,
    reinstate_system,
    retire_system,
    system_history,
    update_system,
)
from tests.searches.conftest import log

POLICY = [
    "CRM (marketing contacts)",
    "Client service records",
    "Email (mailboxes)",
    "Telephone system",
    "Finance and invoicing",
    "Recruitment records",
    "Website analytics (Google Analytics, aggregated)",
    "Website (WordPress)",
    "Social media (Twitter, LinkedIn)",
]


def by_name(store: Store, name: str) -> int:
    return next(s.id for s in list_systems(store, include_retired=True) if s.name == name)


def test_a_new_store_holds_the_systems_the_privacy_policy_names(store: Store) -> None:
    register = list_systems(store)
    assert [s.name for s in register] == POLICY
    crm = register[0]
    assert crm.owner == "Marketing team"
    for held in ("business email", "phone", "job function"):
        assert held in crm.data_held
    assert set(crm.request_types) == set(RequestType)  # the only one marked for opt-outs
    assert [s.name for s in register if RequestType.MARKETING_OPT_OUT in s.request_types] == [
        crm.name
    ]
    analytics = register[6]
    assert "aggregated" in analytics.data_held.lower()
    assert analytics.identifiers == ()  # cannot be searched by name, email or phone
    assert analytics.outside_uk and "adequacy" in analytics.transfer_safeguard
    social = register[8]
    assert "X Corp." in social.recipients and "LinkedIn" in social.recipients
    for system in register:
        assert system.purposes and system.lawful_basis and system.retention
        assert system.how_to_search and system.how_to_erase and system.how_to_correct
        assert system.created_at.tzinfo is not None and not system.retired
        [added] = system_history(store, system.id)
        assert added.action == "added"


def test_add_and_edit_keep_every_change_in_the_history(store: Store) -> None:
    details = SystemDetails(
        name="Archived backups <tape> & “cold” storage 🗄️ نسخ",
        owner="IT team",
        data_held="Everything above, as it was up to 7 years ago",
        purposes="Disaster recovery",
        lawful_basis="Legitimate interests (Art. 6(1)(f))",
        retention="Seven years",
        identifiers=(Identifier.EMAIL, Identifier.NAME),  # stored in the declared order
        how_to_search="Restore the tape to a sandbox, then search as the live system",
        request_types=(RequestType.ACCESS,),
    )
    added = add_system(store, details)
    assert added.name == details.name  # typed text is data, kept exactly
    assert added.identifiers == (Identifier.NAME, Identifier.EMAIL)
    assert [s.name for s in list_systems(store)][-1] == details.name

    edited = update_system(
        store,
        added.id,
        replace(added.details(), retention="Five years", request_types=()),
        expected_version=added.version,
    )
    assert edited.retention == "Five years" and edited.version == added.version + 1
    history = system_history(store, added.id)
    assert [h.action for h in history] == ["added", "edited"]
    assert history[1].details["fields"] == ["retention", "request_types"]
    assert history[1].details["before"]["retention"] == "Seven years"
    assert history[1].details["after"]["request_types"] == []
    # Saving without a change writes nothing.
    assert update_system(store, added.id, edited.details()).version == edited.version
    assert len(system_history(store, added.id)) == 2
    with pytest.raises(ConcurrentChange):
        update_system(store, added.id, edited.details(), expected_version=added.version)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "   "}, "Give the system a name"),
        ({"name": "crm (MARKETING contacts)"}, "already has a system called"),
        ({"outside_uk": True}, "safeguard"),
        ({"owner": "IT\x00team"}, "control characters"),
        ({"name": "x" * 301}, "at most 300"),
    ],
)
def test_bad_entries_are_refused_and_change_nothing(
    store: Store, change: dict[str, object], message: str
) -> None:
    before = list_systems(store, include_retired=True)
    with pytest.raises(DomainError, match=message):
        add_system(store, replace(SystemDetails(name="Payroll"), **change))  # type: ignore[arg-type]
    assert list_systems(store, include_retired=True) == before


def test_retiring_keeps_the_row_and_the_records_that_name_it(store: Store) -> None:
    phone = by_name(store, "Telephone system")
    earlier = log(store)
    retired = retire_system(store, phone, reason="Replaced by Teams calling")
    assert retired.retired
    assert "Telephone system" not in [s.name for s in list_systems(store)]
    assert get_system(store, phone).name == "Telephone system"  # still there, retired
    assert "Telephone system" in [t.title for t in searches.plan(store, earlier)]
    assert "Telephone system" not in [t.title for t in searches.plan(store, log(store))]
    assert [h.action for h in system_history(store, phone)] == ["added", "retired"]
    assert system_history(store, phone)[1].details == {"reason": "Replaced by Teams calling"}
    with pytest.raises(DomainError, match="already retired"):
        retire_system(store, phone)
    # Its name is free again while it is retired; reinstating then would clash.
    add_system(store, SystemDetails(name="telephone system"))
    with pytest.raises(DomainError, match="already has a system called"):
        reinstate_system(store, phone)


def test_reinstating_brings_it_back_for_new_requests(store: Store) -> None:
    phone = by_name(store, "Telephone system")
    retire_system(store, phone)
    reinstate_system(store, phone)
    assert "Telephone system" in [t.title for t in searches.plan(store, log(store))]
    assert [h.action for h in system_history(store, phone)] == ["added", "retired", "reinstated"]


def test_a_renamed_system_keeps_its_old_name_in_earlier_plans(store: Store) -> None:
    crm = by_name(store, POLICY[0])
    earlier = log(store)
    update_system(store, crm, replace(get_system(store, crm).details(), name="HubSpot CRM"))
    assert searches.plan(store, earlier)[0].title == POLICY[0]
    assert searches.plan(store, log(store))[0].title == "HubSpot CRM"


def test_article_15_answers_from_the_register(store: Store) -> None:
    register = list_systems(store)
    text = article_15_text([register[0], register[4], register[6]])
    assert "Marketing our services to business contacts" in text.purposes
    assert text.purposes.count("Billing and collecting payment") == 1
    assert text.categories.splitlines()[0].startswith("CRM (marketing contacts): Name, business")
    assert "Finance and invoicing: HMRC; our external accountants" in text.recipients
    assert (
        "Website analytics (Google Analytics, aggregated): Google LLC (analytics provider) "
        "(outside the UK; safeguard: UK Extension to the EU-US Data Privacy Framework"
    ) in text.recipients
    assert "CRM" not in text.recipients  # no recipients recorded for it: not listed
    assert (
        text.retention.splitlines()[2]
        == "Website analytics (Google Analytics, aggregated): 14 months"
    )
    # Art. 15(2): only the system outside the UK, with its recipient and safeguard.
    assert text.transfers == (
        "Website analytics (Google Analytics, aggregated) (Google LLC (analytics provider)): "
        "UK Extension to the EU-US Data Privacy Framework (UK adequacy regulations)"
    )
    assert article_15_text(register[:2]).transfers == (
        "None: we do not transfer it outside the UK."
    )
    assert article_15_text([]).transfers == ""  # no systems: the register says nothing

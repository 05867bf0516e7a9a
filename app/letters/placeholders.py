"""The named placeholders a template may use, and their values for one case.

Values are plain text exactly as stored (names, addresses, reasons, organisation settings);
escaping for reportlab happens later, in one place (app.letters.markup), so no value can
become markup whatever it contains.
"""

from __future__ import annotations

from datetime import date

from app.domain import Outcome
from app.formatting import uk_long_date
from app.grounds import GroundBasis
from app.identity import document_texts
from app.readmodels import CaseDetail
from app.settings import OrgSettings

# name -> what it is, shown to the DPO in the template editor.
PLACEHOLDERS: dict[str, str] = {
    "requester_name": "the requester's name",
    "requester_address": "the requester's postal address (several lines)",
    "requester_email": "the requester's email address",
    "reference": "our reference, e.g. DSR-2026-0001",
    "request_type": "the kind of request, e.g. 'subject access'",
    "article": "the article of the UK GDPR, e.g. 'Article 15'",
    "received_date": "the day the request was received",
    "start_date": "the day the period started (identity received, or the request)",
    "due_date": "the day we must reply by (the earlier of the month and our promise)",
    "statutory_due_date": "the statutory deadline (one calendar month, or as extended)",
    "today": "the date of the letter",
    "description": "the request as logged",
    "extension_reason": "why the reply is extended (given when extending the case)",
    "extension_months": "by how many months the period is extended, e.g. 'two months'",
    "outcome": "the outcome, e.g. 'partly fulfilled'",
    "ground": "the ground stated when closing (refusal, or the Article 17(3) exemption)",
    "legal_basis": "the law the refusal or partial fulfilment rests on, following the basis "
    "chosen when closing (Article 12(5), a named exemption, no Article 17(1) ground, ...)",
    "clarification_question": "what we asked the requester to clarify (typed when pausing)",
    "identity_reason": "why we need proof of identity (typed when asking for it)",
    "identity_documents": "what the requester should send to prove identity, one per line; "
    "alone on a bullet line it makes one bullet per document",
    "complaints_how": "how to complain to us first (the complaints route in settings, or "
    "email and post)",
    "closed_date": "the day the case was closed",
    "promise_days": "our promise in days, e.g. 30",
    "org_name": "the organisation's name",
    "org_address": "the organisation's postal address",
    "org_email": "the organisation's contact email",
    "org_phone": "the organisation's phone number",
    "dpo_name": "the data protection officer's name",
    "dpo_title": "the data protection officer's title",
    "purposes": "Article 15: the purposes of the processing",
    "categories": "Article 15: the categories of personal data",
    "recipients": "Article 15: the recipients or categories of recipient",
    "retention": "Article 15: how long the data is kept, or the criteria",
    "source": "Article 15: where the data came from",
    "automated_decisions": "Article 15: automated decision-making, including profiling",
    "transfer_safeguards": "Article 15(2): the safeguards for transfers outside the UK",
    "search_statement": "how the search was done: the systems searched (with what, over "
    "which period, what was found) and those left out, with the reasons (Searches tab)",
}
# Placeholders whose value is a list (one item per line).
LIST_PLACEHOLDERS = frozenset({"identity_documents"})

# Placeholders that only make sense once the case says something: using one while it is
# empty stops the letter with this message rather than printing a blank.
REQUIRED_MESSAGES: dict[str, str] = {
    "extension_reason": "This case has not been extended, so there is no reason to give. "
    "Extend the case (with its reason) first.",
    "extension_months": "This case has not been extended. Extend the case first.",
    "ground": "This letter states the ground for the decision, and the case has none. "
    "Close the case with its outcome and ground first.",
    "outcome": "This letter states the outcome, and the case has none yet. "
    "Close the case with its outcome first.",
    "closed_date": "This letter gives the date the case was closed; close the case first.",
    "legal_basis": "This letter states the legal basis of the decision, and the case has none. "
    "Close the case choosing its legal basis first.",
    "clarification_question": "The clarification letter asks your question, and none is "
    "recorded. Use Pause for clarification: it asks the question and makes the letter in "
    "one step.",
    "identity_reason": "The identity letter says why we need proof of identity (Article "
    "12(6)), and no reason is recorded. Use Request ID to give the reason and choose the "
    "documents first.",
    "identity_documents": "The identity letter lists the documents to send, and none are "
    "chosen. Use Request ID to choose them first.",
    "transfer_safeguards": "The access letter must state the safeguards for transfers outside "
    "the UK (Article 15(2)), or that there are none; it is empty. Fill it in under Settings > "
    "Organisation settings > Article 15 information (or in the systems register, when the "
    "letter takes it from there) first.",
    "search_statement": "This letter says how the search was done, and the case's search "
    "record is not finished (or there is none). In the Searches tab, record each search or "
    "leave it out with a reason first.",
    **{
        name: f"The access letter must state {what}; it is empty. Fill it in under "
        "Settings > Organisation settings > Article 15 information (or in the systems "
        "register, when the letter takes it from there) first."
        for name, what in {
            "purposes": "the purposes of the processing",
            "categories": "the categories of personal data",
            "recipients": "the recipients of the data",
            "retention": "how long the data is kept",
            "source": "where the data came from",
            "automated_decisions": "whether automated decision-making is used",
        }.items()
    },
}

_MONTHS = {1: "one month", 2: "two months"}


def placeholder_values(case: CaseDetail, settings: OrgSettings, today: date) -> dict[str, str]:
    """Every placeholder's value for `case` (empty string where the case has none)."""
    outcome = Outcome(case.outcome) if case.outcome else None
    return {
        "requester_name": case.requester.name,
        "requester_address": case.requester.postal_address,
        "requester_email": case.requester.email,
        "reference": case.reference,
        "request_type": case.request_type.label.lower(),
        "article": case.request_type.article,
        "received_date": uk_long_date(case.received_on),
        "start_date": uk_long_date(case.clock_start),
        "due_date": uk_long_date(case.effective_due),
        "statutory_due_date": uk_long_date(case.statutory_due),
        "today": uk_long_date(today),
        "description": case.description,
        "extension_reason": case.extension_reason or "",
        "extension_months": _MONTHS.get(case.extension_months, "") if case.extension_months else "",
        "outcome": outcome.label.lower() if outcome else "",
        "ground": case.ground or "",
        "closed_date": uk_long_date(case.closed_on) if case.closed_on else "",
        "promise_days": str(case.promise_days),
        "org_name": settings.org_name,
        "org_address": settings.org_address,
        "org_email": settings.org_email,
        "org_phone": settings.org_phone,
        "dpo_name": settings.dpo_name,
        "dpo_title": settings.dpo_title,
        "purposes": settings.purposes,
        "categories": settings.categories,
        "recipients": settings.recipients,
        "retention": settings.retention,
        "source": settings.source,
        "automated_decisions": settings.automated_decisions,
        "transfer_safeguards": settings.transfer_safeguards,
        "legal_basis": GroundBasis(case.ground_basis).letter_text if case.ground_basis else "",
        "clarification_question": case.clarification_question or "",
        "identity_reason": case.identity_reason or "",
        "identity_documents": "\n".join(document_texts(case.identity_documents)),
        "complaints_how": complaints_how(settings),
    }


def complaints_how(settings: OrgSettings) -> str:
    """How to complain to us: the route set in settings, else email and the letterhead."""
    if settings.complaints_contact.strip():
        return settings.complaints_contact.strip()
    ways = [f"by email to {settings.org_email}"] if settings.org_email else []
    if settings.org_address:
        ways.append("by post to the address at the top of this letter")
    if settings.org_phone:
        ways.append(f"by phone on {settings.org_phone}")
    if len(ways) > 1:
        return ", ".join(ways[:-1]) + " or " + ways[-1]
    return ways[0] if ways else "by writing to our Data Protection Officer"

"""What an identity request asks for: proportionate to the request, and chosen per case.

UK GDPR Art. 12(6): a controller may ask for more information only where it has reasonable
doubts about the requester's identity, and the ICO expects what is asked to be proportionate
(don't ask for a passport from someone you have been emailing for years). So the DPO states
the reason for the doubt and ticks the documents for this case; the type suggests a starting
point (disclosing data is riskier than stopping its use).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.domain import DomainError, RequestType

# key -> (what the DPO ticks, what the letter and form ask for)
DOCUMENTS: dict[str, tuple[str, str]] = {
    "photo_id": (
        "Photographic ID",
        "a copy of one photographic proof of identity, such as your passport or photocard "
        "driving licence",
    ),
    "address": (
        "Proof of address",
        "a copy of one proof of address dated within the last three months, such as a "
        "utility bill or bank statement",
    ),
    "account": (
        "Account details",
        "your customer or account number with us, or the date of your last invoice",
    ),
    "known_email": (
        "Reply from the email we hold",
        "a reply from the email address we already hold for you, confirming the request",
    ),
    "authority": (
        "Representative's authority",
        "as someone is acting for the person the request is about: their written authority, "
        "signed by them (or a power of attorney), and proof of identity of the person acting",
    ),
}
REPRESENTATIVE = "authority"

DEFAULTS: dict[RequestType, tuple[str, ...]] = {
    RequestType.ACCESS: ("photo_id", "address"),
    RequestType.PORTABILITY: ("photo_id", "address"),
    RequestType.ERASURE: ("known_email", "account"),
    RequestType.RECTIFICATION: ("known_email",),
    RequestType.RESTRICTION: ("known_email",),
    RequestType.MARKETING_OPT_OUT: (),
}


def check_documents(documents: Iterable[str]) -> list[str]:
    """The chosen keys in the list's order; an unknown key is refused by name."""
    chosen = set(documents)
    unknown = sorted(chosen - DOCUMENTS.keys())
    if unknown:
        raise DomainError(f"Unknown identity document {', '.join(unknown)}.")
    return [key for key in DOCUMENTS if key in chosen]


def document_texts(keys: Iterable[str]) -> list[str]:
    return [DOCUMENTS[key][1] for key in check_documents(keys)]

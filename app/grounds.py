"""The legal basis of a refusal or a partial fulfilment, chosen when a case is closed.

A refusal letter must say what in the law allows it (ICO: "the reasons you are not taking
action"), and that depends on the ground: Article 12(5) for a manifestly unfounded or
excessive request, a named exemption, "no Article 17(1) ground applies" for an erasure... So
the DPO picks the basis from those that fit the request type, types the particulars as the
ground, and the letter states the basis's own sentence: never a hard-wired article.

A marketing opt-out has none: the right to object to direct marketing is absolute
(Art. 21(3)), so it cannot be refused or partly fulfilled.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain import DomainError, Outcome, RequestType


class GroundBasis(StrEnum):
    MANIFESTLY_UNFOUNDED = "manifestly_unfounded"
    MANIFESTLY_EXCESSIVE = "manifestly_excessive"
    EXEMPTION = "exemption"
    THIRD_PARTY = "third_party"
    ERASURE_EXCEPTION = "erasure_exception"
    NO_ERASURE_GROUND = "no_erasure_ground"
    DATA_ACCURATE = "data_accurate"
    COMPELLING_GROUNDS = "compelling_grounds"
    RESTRICTION_CONDITIONS = "restriction_conditions"
    PORTABILITY_NOT_APPLICABLE = "portability_not_applicable"
    RIGHTS_OF_OTHERS = "rights_of_others"

    @property
    def label(self) -> str:
        return _BASES[self].label

    @property
    def letter_text(self) -> str:
        """The sentence the letter states as the legal basis."""
        return _BASES[self].letter_text

    @property
    def example(self) -> str:
        """What the DPO should type as the ground (the particulars)."""
        return _BASES[self].example


@dataclass(frozen=True, slots=True)
class _Basis:
    label: str
    letter_text: str
    example: str


_BASES = {
    GroundBasis.MANIFESTLY_UNFOUNDED: _Basis(
        "Manifestly unfounded (Art. 12(5))",
        "Article 12(5) of the UK GDPR allows us to refuse to act on a request that is "
        "manifestly unfounded. We have decided that yours is, for the reason below.",
        "why the request is manifestly unfounded, e.g. made only to disrupt",
    ),
    GroundBasis.MANIFESTLY_EXCESSIVE: _Basis(
        "Manifestly excessive (Art. 12(5))",
        "Article 12(5) of the UK GDPR allows us to refuse to act on a request that is "
        "manifestly excessive. We have decided that yours is, for the reason below.",
        "why it is manifestly excessive, e.g. it repeats a request answered last month",
    ),
    GroundBasis.EXEMPTION: _Basis(
        "An exemption in the DPA 2018 (name it)",
        "An exemption in the Data Protection Act 2018 (Schedules 2 to 4) applies to the "
        "information concerned. The exemption, and why it applies, are set out below.",
        "the exemption by name and paragraph, e.g. DPA 2018 Sch. 2 para 19 legal privilege",
    ),
    GroundBasis.THIRD_PARTY: _Basis(
        "Other people's information (Art. 15(4), DPA 2018 Sch. 2 para 16)",
        "Some of the information would also identify other people. Article 15(4) of the UK "
        "GDPR and paragraph 16 of Schedule 2 to the Data Protection Act 2018 allow us to "
        "withhold it where they have not agreed and it is not reasonable to disclose it "
        "without their agreement.",
        "what was withheld and why, e.g. colleagues' names in internal emails",
    ),
    GroundBasis.ERASURE_EXCEPTION: _Basis(
        "An Art. 17(3) exception applies",
        "Article 17(3) of the UK GDPR says the right to erasure does not apply where "
        "keeping the data is necessary for one of the purposes it lists. One applies here, "
        "as set out below.",
        "the Art. 17(3) purpose, e.g. (b) a legal obligation to keep invoices six years",
    ),
    GroundBasis.NO_ERASURE_GROUND: _Basis(
        "No Art. 17(1) ground applies",
        "The right to erasure applies only where one of the grounds in Article 17(1) of the "
        "UK GDPR applies. None of them applies to the data concerned, as set out below.",
        "why no ground applies, e.g. the data is still needed for the live contract",
    ),
    GroundBasis.DATA_ACCURATE: _Basis(
        "The data is accurate (Art. 16)",
        "Article 16 of the UK GDPR gives a right to have inaccurate personal data corrected. "
        "Having checked the data, we consider it accurate, for the reason below.",
        "how the data was checked, e.g. it matches the signed contract",
    ),
    GroundBasis.COMPELLING_GROUNDS: _Basis(
        "Compelling legitimate grounds or legal claims (Art. 21(1))",
        "Article 21(1) of the UK GDPR allows us to continue processing where we have "
        "compelling legitimate grounds that override your interests, rights and freedoms, "
        "or where we need the data for legal claims. That is the case here, as set out below.",
        "the grounds, e.g. the records are needed to defend a claim",
    ),
    GroundBasis.RESTRICTION_CONDITIONS: _Basis(
        "No Art. 18(1) condition applies",
        "Article 18(1) of the UK GDPR gives a right to restrict processing in the "
        "circumstances it lists. None of them applies here, as set out below.",
        "why none applies",
    ),
    GroundBasis.PORTABILITY_NOT_APPLICABLE: _Basis(
        "Not data the right covers (Art. 20(1))",
        "Article 20(1) of the UK GDPR covers only data you provided to us that we process by "
        "automated means on the basis of your consent or a contract. The data concerned is "
        "not processed in that way, as set out below.",
        "which data and why, e.g. it is processed for a legal obligation",
    ),
    GroundBasis.RIGHTS_OF_OTHERS: _Basis(
        "It would affect others' rights (Art. 20(4))",
        "Article 20(4) of the UK GDPR says that the right to data portability must not "
        "adversely affect the rights and freedoms of others, and here it would, as set out "
        "below.",
        "whose rights and how",
    ),
}

_TWELVE_FIVE = (GroundBasis.MANIFESTLY_UNFOUNDED, GroundBasis.MANIFESTLY_EXCESSIVE)
BASES_BY_TYPE: dict[RequestType, tuple[GroundBasis, ...]] = {
    RequestType.ACCESS: (*_TWELVE_FIVE, GroundBasis.EXEMPTION, GroundBasis.THIRD_PARTY),
    RequestType.RECTIFICATION: (*_TWELVE_FIVE, GroundBasis.DATA_ACCURATE, GroundBasis.EXEMPTION),
    RequestType.ERASURE: (
        *_TWELVE_FIVE,
        GroundBasis.ERASURE_EXCEPTION,
        GroundBasis.NO_ERASURE_GROUND,
    ),
    RequestType.RESTRICTION: (
        *_TWELVE_FIVE,
        GroundBasis.COMPELLING_GROUNDS,
        GroundBasis.RESTRICTION_CONDITIONS,
        GroundBasis.EXEMPTION,
    ),
    RequestType.PORTABILITY: (
        *_TWELVE_FIVE,
        GroundBasis.PORTABILITY_NOT_APPLICABLE,
        GroundBasis.RIGHTS_OF_OTHERS,
    ),
    RequestType.MARKETING_OPT_OUT: (),
}

# Outcomes a marketing opt-out can never have: the objection is absolute (Art. 21(3)).
OPT_OUT_FORBIDDEN = (Outcome.REFUSED, Outcome.PARTLY_FULFILLED)


def outcomes_for(request_type: RequestType) -> list[Outcome]:
    """The outcomes a case of this type can close with."""
    if RequestType(request_type) is RequestType.MARKETING_OPT_OUT:
        return [o for o in Outcome if o not in OPT_OUT_FORBIDDEN]
    return list(Outcome)


def check_outcome(
    request_type: RequestType, outcome: Outcome, basis: GroundBasis | str | None
) -> GroundBasis | None:
    """The basis to store for this outcome, or DomainError saying what is wrong."""
    request_type, outcome = RequestType(request_type), Outcome(outcome)
    if outcome not in outcomes_for(request_type):
        raise DomainError(
            "A marketing opt-out cannot be refused or partly fulfilled: the right to object "
            "to direct marketing is absolute (Article 21(3)). Suppress the contact and close "
            "it as fulfilled."
        )
    if not outcome.needs_ground:
        return None
    allowed = BASES_BY_TYPE[request_type]
    if basis is None or basis == "":
        choices = "; ".join(b.label for b in allowed)
        raise DomainError(
            f"Choose the legal basis for '{outcome.label.lower()}' ({choices}); the letter "
            "states it."
        )
    try:
        chosen = GroundBasis(basis)
    except ValueError:
        raise DomainError(f"There is no legal basis {basis!r}.") from None
    if chosen not in allowed:
        raise DomainError(
            f"'{chosen.label}' is not a basis for a {request_type.label.lower()} request."
        )
    return chosen

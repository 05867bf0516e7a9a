"""The letters a case can need, and which one "the outcome letter" is for a given request.

Design: the DPO (and the API) may ask for the generic stage `outcome`; it resolves by the
case's request type to one concrete stage (`outcome_access`, `outcome_erasure`, ...). Only
concrete stages have a template and are stored with a letter, so the record says exactly
which text was sent, and each type's letter can be edited on its own.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain import DomainError, Outcome, RequestType, Status
from app.readmodels import CaseDetail


class Stage(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    IDENTITY_REQUEST = "identity_request"
    CLARIFICATION_REQUEST = "clarification_request"
    EXTENSION_NOTICE = "extension_notice"
    OUTCOME = "outcome"  # generic: resolves by request type (see resolve_stage)
    OUTCOME_ACCESS = "outcome_access"
    OUTCOME_RECTIFICATION = "outcome_rectification"
    OUTCOME_ERASURE = "outcome_erasure"
    OUTCOME_RESTRICTION = "outcome_restriction"
    OUTCOME_PORTABILITY = "outcome_portability"
    OUTCOME_MARKETING_OPT_OUT = "outcome_marketing_opt_out"
    REFUSAL = "refusal"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_outcome(self) -> bool:
        return self.value.startswith("outcome")


_LABELS = {
    Stage.ACKNOWLEDGEMENT: "Acknowledgement",
    Stage.IDENTITY_REQUEST: "Identity request (with request form)",
    Stage.CLARIFICATION_REQUEST: "Clarification request",
    Stage.EXTENSION_NOTICE: "Extension notice",
    Stage.OUTCOME: "Outcome letter",
    Stage.OUTCOME_ACCESS: "Outcome: access (Article 15 cover letter)",
    Stage.OUTCOME_RECTIFICATION: "Outcome: rectification",
    Stage.OUTCOME_ERASURE: "Outcome: erasure",
    Stage.OUTCOME_RESTRICTION: "Outcome: restriction / objection",
    Stage.OUTCOME_PORTABILITY: "Outcome: portability",
    Stage.OUTCOME_MARKETING_OPT_OUT: "Outcome: marketing opt-out",
    Stage.REFUSAL: "Refusal (with its legal basis)",
}

OUTCOME_BY_TYPE: dict[RequestType, Stage] = {
    RequestType.ACCESS: Stage.OUTCOME_ACCESS,
    RequestType.RECTIFICATION: Stage.OUTCOME_RECTIFICATION,
    RequestType.ERASURE: Stage.OUTCOME_ERASURE,
    RequestType.RESTRICTION: Stage.OUTCOME_RESTRICTION,
    RequestType.PORTABILITY: Stage.OUTCOME_PORTABILITY,
    RequestType.MARKETING_OPT_OUT: Stage.OUTCOME_MARKETING_OPT_OUT,
}

# Stages that have a template file (everything but the generic `outcome`), in letter order.
TEMPLATE_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if s is not Stage.OUTCOME)


def to_stage(stage: str | Stage) -> Stage:
    try:
        return Stage(stage)
    except ValueError:
        known = ", ".join(s.value for s in Stage)
        raise DomainError(f"There is no letter stage {stage!r}; known stages: {known}.") from None


def resolve_stage(stage: str | Stage, request_type: RequestType) -> Stage:
    """The concrete stage for a case: `outcome` becomes the outcome letter of its type.

    Asking for another type's outcome letter is refused: an erasure letter sent for an access
    request would tell the requester something that did not happen."""
    stage = to_stage(stage)
    own = OUTCOME_BY_TYPE[RequestType(request_type)]
    if stage is Stage.OUTCOME:
        return own
    if stage.is_outcome and stage is not own:
        raise DomainError(
            f"This is a {RequestType(request_type).label.lower()} request; its outcome letter "
            f"is '{own.label}', not '{stage.label}'."
        )
    return stage


def stages_for(request_type: RequestType) -> list[Stage]:
    """The letters offered for a case of this type, in the order a case needs them.

    A marketing opt-out is absolute (Art. 21(3)) and actioned at once: no identity request,
    no clarification, no extension, no refusal; only the acknowledgement and its outcome.
    """
    request_type = RequestType(request_type)
    if request_type is RequestType.MARKETING_OPT_OUT:
        return [Stage.ACKNOWLEDGEMENT, OUTCOME_BY_TYPE[request_type]]
    return [
        Stage.ACKNOWLEDGEMENT,
        Stage.IDENTITY_REQUEST,
        Stage.CLARIFICATION_REQUEST,
        Stage.EXTENSION_NOTICE,
        OUTCOME_BY_TYPE[request_type],
        Stage.REFUSAL,
    ]


def allowed_stages(case: CaseDetail) -> list[Stage]:
    """The letters this case can have now. A closed case can only have its outcome letter
    (the refusal, when it was refused): an acknowledgement or an extension notice generated
    after closing would say something untrue."""
    if case.status is not Status.CLOSED:
        return stages_for(case.request_type)
    own = [OUTCOME_BY_TYPE[RequestType(case.request_type)]]
    if case.outcome is Outcome.REFUSED and Stage.REFUSAL in stages_for(case.request_type):
        own.append(Stage.REFUSAL)
    return own


def check_allowed(case: CaseDetail, stage: Stage) -> None:
    if stage in allowed_stages(case):
        return
    if case.status is Status.CLOSED:
        raise DomainError(
            f"Case {case.reference} is closed: the only letter it can have now is its "
            f"outcome letter. Reopen it first if a '{stage.label}' is really needed."
        )
    raise DomainError(
        f"A {RequestType(case.request_type).label.lower()} request has no '{stage.label}'."
    )

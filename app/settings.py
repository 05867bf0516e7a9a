"""Organisation settings kept in the store: letterhead, signature, deadline policy, Article 15
information. Stored as one JSON value per key in the `settings` table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.deadlines import DEFAULT_PROMISE_DAYS, DEFAULT_REGION, REGIONS
from app.domain import DomainError
from app.models import Setting
from app.store import Store


@dataclass(frozen=True, slots=True)
class OrgSettings:
    org_name: str = ""  # never a placeholder: a letter must not go out under a made-up name
    org_address: str = ""
    org_email: str = ""
    org_phone: str = ""
    dpo_name: str = ""
    dpo_title: str = "Data Protection Officer"
    logo: bytes | None = None  # PNG or JPEG bytes
    region: str = DEFAULT_REGION
    promise_days: int = DEFAULT_PROMISE_DAYS
    attachment_limit_mb: int = 25
    # Article 15 information for the access cover letter.
    purposes: str = ""
    categories: str = ""
    recipients: str = ""
    retention: str = ""
    source: str = ""
    automated_decisions: str = ""
    # Art. 15(2): the safeguards for transfers outside the UK (or that there are none).
    transfer_safeguards: str = ""
    # How a requester complains to us first (DPA 2018 s.164A, in force 19 June 2026), e.g.
    # "using the form at example.com/complaints"; empty: by email or post to the letterhead.
    complaints_contact: str = ""
    # Take purposes, categories, recipients, retention and transfer safeguards from the
    # systems register (app.systems) instead of the texts above.
    article_15_from_register: bool = False


_PREFIX = "org."
# Earlier versions pre-filled this name, and saving the settings stored it: such a store has
# no organisation name, and the letters must not print the placeholder.
_PLACEHOLDER_NAMES = frozenset({"Your Organisation Ltd"})
# What every letter prints (letterhead, "contact our Data Protection Officer at … or …", the
# signature). Without any one of them a letter has a gap, so none is made until all are set.
LETTERHEAD_FIELDS = (
    ("org_name", "organisation name"),
    ("org_address", "postal address"),
    ("org_email", "contact email"),
    ("org_phone", "contact phone"),
    ("dpo_name", "DPO's name"),
    ("dpo_title", "DPO's title"),
)


class MissingLetterhead(DomainError):
    """A letter was asked for while organisation details it prints are empty."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            f"A letter needs these organisation details, still empty: {join_words(missing)}. "
            "Fill them in under Settings > Organisation settings; no letter is made with gaps."
        )


def missing_letterhead(settings: OrgSettings) -> list[str]:
    """The letterhead details that are still empty, as the DPO knows them."""
    return [label for field, label in LETTERHEAD_FIELDS if not getattr(settings, field).strip()]


def join_words(words: list[str]) -> str:
    """Words joined as a sentence joins them: a; a and b; a, b and c."""
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def load_settings(store: Store) -> OrgSettings:
    with store.read() as session:
        return read_settings(session)


def read_settings(session: Session) -> OrgSettings:
    rows = session.scalars(select(Setting).where(Setting.key.startswith(_PREFIX))).all()
    stored = {row.key.removeprefix(_PREFIX): row.value for row in rows}
    values: dict[str, object] = {}
    for f in fields(OrgSettings):
        if f.name not in stored:
            continue
        value = stored[f.name]
        if f.name == "logo":
            value = bytes.fromhex(value) if isinstance(value, str) and value else None
        if f.name == "org_name" and value in _PLACEHOLDER_NAMES:
            value = ""
        values[f.name] = value
    return OrgSettings(**values)  # type: ignore[arg-type]


def save_settings(store: Store, settings: OrgSettings) -> None:
    if settings.region not in REGIONS:
        raise DomainError(f"Unknown bank-holiday region {settings.region!r}.")
    if not 1 <= settings.promise_days <= 31:
        raise DomainError("The promise must be between 1 and 31 days.")
    if settings.attachment_limit_mb < 1:
        raise DomainError("The attachment limit must be at least 1 MB.")
    with store.write() as session:
        for key, value in asdict(settings).items():
            if key == "logo":
                value = value.hex() if value else ""
            session.merge(Setting(key=_PREFIX + key, value=value))


def get_value(store: Store, key: str, default: object = None) -> object:
    """A raw setting outside the organisation block (mail, window state, ...)."""
    with store.read() as session:
        row = session.get(Setting, key)
        return default if row is None else row.value


def stored_fields(store: Store, prefix: str, kind: type) -> dict[str, object]:
    """The fields of dataclass `kind` stored under "<prefix><field>", for its loader to
    check: a field never saved is left out, so the dataclass default stands."""
    values: dict[str, object] = {}
    for f in fields(kind):
        value = get_value(store, prefix + f.name)
        if value is not None:
            values[f.name] = value
    return values


def set_value(store: Store, key: str, value: object) -> None:
    with store.write() as session:
        session.merge(Setting(key=key, value=value))

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
    org_name: str = "Your Organisation Ltd"
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
    # Take purposes, categories, recipients (with transfers) and retention from the systems
    # register (app.systems) instead of the texts above.
    article_15_from_register: bool = False


_PREFIX = "org."


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


def set_value(store: Store, key: str, value: object) -> None:
    with store.write() as session:
        session.merge(Setting(key=key, value=value))

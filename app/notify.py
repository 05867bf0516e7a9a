"""Reminders outside the window: when to show the daily desktop notification, the optional
digest email to the DPO's own address, and whether closing the window keeps the app in the
tray.

The digest holds references, reminder kinds and dates only, never a requester's name or
email: it travels through a mail server and sits in an inbox, so it says which cases need
attention and nothing about whom they concern. It goes only through the SMTP server the DPO
configured (app.mail), to one address the DPO set.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from email.message import EmailMessage

from app.domain import DomainError
from app.formatting import uk_date
from app.mail.settings import MailSettings, complete_settings
from app.reminders import Reminder, due_reminders
from app.settings import get_value, load_settings, set_value, stored_fields
from app.store import Store
from app.validation import email_problem

_PREFIX = "notify."
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
LAST_NOTIFIED = "notify.last_notified_on"
LAST_DIGEST = "notify.last_digest_on"


@dataclass(frozen=True, slots=True)
class NotifySettings:
    notify_at: str = "09:00"  # local time, HH:MM
    desktop_notification: bool = True
    digest_enabled: bool = False
    digest_to: str = ""  # the DPO's own address
    close_to_tray: bool | None = None  # None: yes where there is a tray, no where there is none

    @property
    def time_of_day(self) -> time:
        hours, minutes = self.notify_at.split(":")
        return time(int(hours), int(minutes))


def notify_settings_problem(settings: NotifySettings) -> str | None:
    if not _TIME.match(settings.notify_at):
        return "Give the time of day as HH:MM, e.g. 09:00."
    if settings.digest_enabled:
        problem = email_problem(settings.digest_to, required=True)
        if problem:
            return f"Digest address: {problem}"
    return None


def load_notify_settings(store: Store) -> NotifySettings:
    values = stored_fields(store, _PREFIX, NotifySettings)
    try:
        settings = NotifySettings(**values)  # type: ignore[arg-type]
    except TypeError:
        return NotifySettings()
    return settings if notify_settings_problem(settings) is None else NotifySettings()


def save_notify_settings(store: Store, settings: NotifySettings) -> None:
    problem = notify_settings_problem(settings)
    if problem:
        raise DomainError(problem)
    for key, value in asdict(settings).items():
        set_value(store, _PREFIX + key, value)


def due_now(settings: NotifySettings, now: datetime, last_done: date | None) -> bool:
    """True once a day, from the set time on (also when the app starts after that time)."""
    return now.time() >= settings.time_of_day and last_done != now.date()


def last_done(store: Store, key: str) -> date | None:
    value = get_value(store, key)
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def mark_done(store: Store, key: str, on: date) -> None:
    set_value(store, key, on.isoformat())


def notification_text(reminders: list[Reminder]) -> tuple[str, str]:
    """(title, message) of the desktop notification."""
    today = [r for r in reminders if r.today]
    if not today:
        return "DSAR Desk", "Nothing needs doing today."
    noun = "item needs" if len(today) == 1 else "items need"
    overdue = sum(1 for r in today if r.kind.value == "overdue")
    extra = f", {overdue} overdue" if overdue else ""
    return "DSAR Desk", f"{len(today)} {noun} doing today{extra}. Open Today to see them."


def digest_message(
    reminders: list[Reminder], *, on: date, settings: MailSettings, to: str, org_name: str = ""
) -> EmailMessage:
    # Composing mail brings the letters package (reportlab): not at start, where the tray
    # imports this module (issue 14).
    from app.mail.compose import new_message

    today = [r for r in reminders if r.today]
    soon = [r for r in reminders if not r.today]
    message = new_message(
        settings, to=to, subject=f"DSAR Desk: {len(today)} to do today ({uk_date(on)})"
    )
    lines = [f"Reminders for {uk_date(on)}{' at ' + org_name if org_name else ''}.", ""]
    for title, items in (("To do today", today), ("Coming up", soon)):
        lines.append(f"{title} ({len(items)}):")
        lines += [
            f"- {r.reference}: {r.kind.label}, {uk_date(r.due_on)}. {r.reason}" for r in items
        ] or ["- nothing"]
        lines.append("")
    lines.append(
        "This digest lists case references and dates only; open DSAR Desk for the details."
    )
    message.set_content("\n".join(lines) + "\n")
    return message


def send_digest(
    store: Store, *, on: date, password: str | None = None, settings: NotifySettings | None = None
) -> str:
    """Email today's reminders to the DPO's own address through the configured server.

    Raises DomainError (settings incomplete) or app.mail.send.MailError (the server's words);
    returns what to show on success.
    """
    settings = settings or load_notify_settings(store)
    if not settings.digest_enabled:
        raise DomainError("The daily digest is switched off in the notification settings.")
    mail = complete_settings(store)
    reminders = due_reminders(store, on=on)
    message = digest_message(
        reminders,
        on=on,
        settings=mail,
        to=settings.digest_to,
        org_name=load_settings(store).org_name,
    )
    from app.mail.send import deliver

    deliver(mail, password, message)
    mark_done(store, LAST_DIGEST, on)
    return f"Digest sent to {settings.digest_to}."

"""Checks on what the user types, shared by the use cases and the dialogs.

Each returns None when the value is fine, else a message to show next to the field.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

MAX_NAME = 300
MAX_FIELD = 2000
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}$")


def _has_control_characters(text: str, *, allow_newlines: bool) -> bool:
    for ch in text:
        if allow_newlines and ch in "\n\r\t":
            continue
        if unicodedata.category(ch) == "Cc":
            return True
    return False


def unstorable_problem(label: str, text: str) -> str | None:
    """Text Python holds but UTF-8 cannot: an unpaired surrogate (U+D800–U+DFFF), which a
    damaged copy and paste or a broken file can leave. SQLite and PDFs take UTF-8 only."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        where = exc.start + 1
        return (
            f"The {label} contains a character that is not valid text (U+{ord(text[exc.start]):04X}"
            f", at position {where}); retype it."
        )
    return None


def name_problem(name: str) -> str | None:
    if not name.strip():
        return "Enter the requester's name."
    unstorable = unstorable_problem("name", name)
    if unstorable:
        return unstorable
    if len(name) > MAX_NAME:
        return f"A name can be at most {MAX_NAME} characters."
    if _has_control_characters(name, allow_newlines=False):
        return "The name contains control characters; retype it."
    return None


def email_problem(email: str, *, required: bool = False) -> str | None:
    email = email.strip()
    if not email:
        return "Enter an email address." if required else None
    unstorable = unstorable_problem("email address", email)
    if unstorable:
        return unstorable
    if len(email) > 320 or not _EMAIL.match(email) or ".." in email:
        return "This is not a valid email address (it should look like name@example.co.uk)."
    return None


def text_problem(label: str, text: str, *, multiline: bool = True) -> str | None:
    limit = MAX_FIELD * (10 if multiline else 1)
    if len(text) > limit:
        return f"The {label} is too long: at most {limit:,} characters (it has {len(text):,})."
    unstorable = unstorable_problem(label, text)
    if unstorable:
        return unstorable
    if _has_control_characters(text, allow_newlines=multiline):
        return f"The {label} contains control characters; retype it."
    return None


def received_date_problem(received: date, today: date) -> str | None:
    if received > today:
        return "The received date cannot be in the future."
    if received.year < 2000:
        return "The received date is too far in the past."
    return None

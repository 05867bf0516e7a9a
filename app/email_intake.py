"""Turn a received email (.eml, or Outlook .msg) into a pre-filled intake draft.

An email is hostile input: headers may be missing or malformed, charsets unknown, bodies
huge, names full of markup, attachments named to climb out of folders. This module reads
what it can, never invents what is missing (a missing sender or date is listed in
`problems` and the field is left empty), never fetches remote content (HTML is turned into
text by a parser that only sees the markup), and never writes to disk. The original bytes
are handed back in the draft so the intake dialog can keep them with the case on OK.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from email import policy
from email.feedparser import BytesFeedParser
from email.header import decode_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import TYPE_CHECKING

from app.attachments import safe_filename
from app.domain import Cancelled, Channel, DomainError
from app.email_bounds import Progress, bound_message
from app.html_text import html_to_text
from app.readmodels import IntakeDraft
from app.validation import MAX_FIELD, MAX_NAME, email_problem

if TYPE_CHECKING:
    from oxmsg import Message

MAX_DESCRIPTION = MAX_FIELD * 10 - 200  # what app.validation accepts, with room for a note
MAX_PARSE_BYTES = 8 * 1024 * 1024  # beyond this only the beginning is read
MAX_HTML_CHARS = 2 * 1024 * 1024
PARSE_CHUNK = 256 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EML_MIME = "message/rfc822"
MSG_MIME = "application/vnd.ms-outlook"
SHORTENED_NOTE = "[… shortened here: the full email is kept with the case as an attachment]"

NO_SENDER = "No sender address in this email"
NO_DATE = "No date in this email"


def read_email(data: bytes, filename: str, progress: Progress | None = None) -> IntakeDraft:
    """Read an .eml or .msg file's bytes into an IntakeDraft for the intake dialog.

    Raises DomainError only when the file is not an email at all (empty, or a broken
    Outlook file); everything else yields a draft, with what could not be read listed.
    An .eml is read in time linear in its size (app.email_bounds); `progress(done, total)`
    is told along the way and raises `Cancelled` by returning False.
    """
    if not data:
        raise DomainError(f"The file {safe_filename(filename)} is empty.")
    if data.startswith(OLE_MAGIC) or filename.lower().endswith(".msg"):
        fields = _read_msg(data, filename)
        mime = MSG_MIME
        default_name = "email.msg"
    else:
        fields = _read_eml(data, progress)
        mime = EML_MIME
        default_name = "email.eml"
    return _draft(fields, data, safe_filename(filename, fallback=default_name), mime)


# ---------------------------------------------------------------------------------------
# What both formats give


class _Fields:
    def __init__(self) -> None:
        self.name = ""
        self.address = ""
        self.when: datetime | None = None
        self.subject = ""
        self.body = ""
        self.problems: list[str] = []


def _draft(fields: _Fields, data: bytes, filename: str, mime: str) -> IntakeDraft:
    problems: list[str] = []
    name = _one_line(fields.name)[:MAX_NAME]
    address = _one_line(fields.address)
    if not address:
        problems.append(NO_SENDER)
    elif email_problem(address):
        problems.append(f"The sender address “{address[:100]}” is not a valid address")
        address = address[:320]
    received: date | None = None
    if fields.when is None:
        problems.append(NO_DATE)
    else:
        received = _local_date(fields.when)
    if address and not name:
        problems.append("No sender name in this email")
    problems.extend(fields.problems)
    description = _description(fields.subject, fields.body, problems)
    return IntakeDraft(
        name=name,
        email=address,
        channel=Channel.EMAIL,
        received_on=received,
        description=description,
        original=data,
        original_filename=filename,
        original_mime_type=mime,
        problems=tuple(dict.fromkeys(problems)),
    )


def _local_date(when: datetime) -> date:
    """The calendar date the email arrived in this computer's time zone (DESIGN.md §2)."""
    if when.tzinfo is None:  # "-0000" or no zone: RFC 5322 says UTC
        when = when.replace(tzinfo=UTC)
    return when.astimezone().date()


def _one_line(text: str) -> str:
    return " ".join(_printable(text).split())


def _printable(text: str) -> str:
    """Drop control and format characters (except new lines and tabs), which the store's
    validation refuses and which can hide text (bidi overrides)."""
    return "".join(
        ch
        for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )


def _description(subject: str, body: str, problems: list[str]) -> str:
    subject = _one_line(subject[:2000])
    body = body[: MAX_DESCRIPTION * 2]  # more than fits; keeps a huge body from costing time
    body = _printable(body.replace("\r\n", "\n").replace("\r", "\n"))
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    parts = [f"Subject: {subject}"] if subject else []
    if body:
        parts.append(body)
    text = "\n\n".join(parts)
    if len(text) > MAX_DESCRIPTION:
        cut = text.rfind("\n", 0, MAX_DESCRIPTION)
        cut = cut if cut > MAX_DESCRIPTION // 2 else MAX_DESCRIPTION
        text = text[:cut].rstrip() + "\n\n" + SHORTENED_NOTE
        problems.append("The email is long; the description holds its beginning only")
    return text


# ---------------------------------------------------------------------------------------
# .eml (RFC 5322)


def _read_eml(data: bytes, progress: Progress | None = None) -> _Fields:
    fields = _Fields()
    if len(data) > MAX_PARSE_BYTES:
        fields.problems.append(
            f"This email is very large ({len(data) / (1024 * 1024):.1f} MB); "
            "only its beginning was read"
        )
        data = data[:MAX_PARSE_BYTES]
    bounded = bound_message(data, _half(progress, 0))
    fields.problems.extend(bounded.problems)
    data = bounded.data
    body_readable = True
    try:
        message = _parse(data, _half(progress, 1))
    except RecursionError:
        message = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
        fields.problems.append("This email's parts are nested too deeply; its body was not read")
        body_readable = False
    known = ("From", "Date", "Subject", "To", "Message-ID", "Received", "MIME-Version")
    if not any(_safe_header(message, key) for key in known):
        fields.problems.append("This file does not look like an email (no mail headers found)")
    fields.name, fields.address = _sender(message)
    fields.when = _date(_raw_header(message, "Date") or "")
    fields.subject = _safe_header(message, "Subject")
    if body_readable:
        try:
            fields.body = _body_text(message)
        except RecursionError:
            fields.problems.append(
                "This email's parts are nested too deeply; its body was not read"
            )
    return fields


def _parse(data: bytes, progress: Progress | None) -> Message:
    """The email package's parser, fed in chunks so a Cancel is heard between them."""
    parser = BytesFeedParser(policy=policy.default)
    for start in range(0, len(data), PARSE_CHUNK):
        if progress is not None and not progress(start, len(data)):
            raise Cancelled()
        parser.feed(data[start : start + PARSE_CHUNK])
    return parser.close()


def _half(progress: Progress | None, which: int) -> Progress | None:
    """Report one of the two passes (bounding, parsing) as half of the whole."""
    if progress is None:
        return None
    return lambda done, total: progress(which * total + done, 2 * total) if total else True


def _raw_header(message: Message, key: str) -> str | None:
    """The header as it arrived, 8-bit bytes decoded (UTF-8, else Windows-1252)."""
    for name, value in message.raw_items():
        if name.lower() == key.lower():
            text = str(value)
            try:
                data = text.encode("ascii", "surrogateescape")
            except UnicodeEncodeError:
                return text
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                return data.decode("cp1252", errors="replace")
    return None


def _decode_words(text: str) -> str:
    """Decode =?charset?...?= words; an unknown charset or broken word stays as written."""
    if "=?" not in text:
        return text
    try:
        parts = decode_header(text)
    except Exception:
        return text
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        for candidate in (charset or "ascii", "utf-8"):
            try:
                out.append(chunk.decode(candidate))
                break
            except (LookupError, UnicodeDecodeError):
                continue
        else:
            out.append(chunk.decode("cp1252", errors="replace"))
    return "".join(out)


def _safe_header(message: Message, key: str) -> str:
    """A header as text, whatever state it is in; "" when absent."""
    raw = _raw_header(message, key)
    if raw is None:
        return ""
    if raw.isascii():
        try:
            value = message.get(key)
            if value is not None:
                return str(value)
        except Exception:  # malformed headers raise all sorts from the header registry
            pass
    return _decode_words(raw)


def _sender(message: Message) -> tuple[str, str]:
    for key in ("From", "Sender", "Reply-To"):
        raw = _raw_header(message, key)
        if raw is None:
            continue
        if raw.isascii():
            try:
                addresses = getattr(message.get(key), "addresses", None)
                if addresses and addresses[0].addr_spec and "@" in addresses[0].addr_spec:
                    return str(addresses[0].display_name or ""), str(addresses[0].addr_spec)
            except Exception:
                pass
        try:
            found = getaddresses([raw])
        except (RecursionError, ValueError, IndexError):  # nested comments, broken quoting
            found = []
        for name, address in found:
            if address and "@" in address:
                return _decode_words(name), address
    return "", ""


def _date(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.year < 1980:
        return None
    return when


def _body_text(message: Message) -> str:
    """The plain-text body; HTML converted to text when there is no plain part."""
    part: Message | None = None
    if isinstance(message, EmailMessage):
        try:
            part = message.get_body(preferencelist=("plain", "html"))
        except Exception:
            part = None
    if part is None:
        part = _first_text_part(message)
    if part is None:
        return ""
    text = _part_text(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text[:MAX_HTML_CHARS])
    return text


def _first_text_part(message: Message) -> Message | None:
    html: Message | None = None
    for index, part in enumerate(message.walk()):
        if index > 500:
            break
        if part.get_content_maintype() != "text":
            continue
        if part.get_content_disposition() == "attachment":
            continue
        if part.get_content_subtype() == "plain":
            return part
        if part.get_content_subtype() == "html" and html is None:
            html = part
    return html


def _part_text(part: Message) -> str:
    """Decode a text part, surviving unknown charsets and undecodable bytes."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = (part.get_content_charset() or "utf-8").strip().strip("\"'")
    for candidate in (charset, "utf-8"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return payload.decode("cp1252", errors="replace")


# ---------------------------------------------------------------------------------------
# Outlook .msg


def _read_msg(data: bytes, filename: str) -> _Fields:
    """Read an Outlook file with python-oxmsg (MIT; extract-msg is GPL-3.0 and cannot ship).

    The bytes go in as a file object, never as `bytes`: olefile (under every .msg reader)
    takes a short `bytes` value for a *path* and opens that file instead, so a 38-byte
    ".msg" naming another local file would have been read in its place.
    """
    from oxmsg import Message  # loaded only when an Outlook file arrives

    fields = _Fields()
    shown = safe_filename(filename, fallback="email.msg")
    try:
        message = Message.load(io.BytesIO(data))
    except Exception as exc:
        raise DomainError(
            f"{shown} could not be read as an Outlook email ({type(exc).__name__}). "
            "Save it from Outlook again, or as .eml, and import that."
        ) from exc
    fields.name, fields.address = _msg_sender(message)
    fields.when = _msg_date(message)
    fields.subject = _msg_str(lambda: message.subject)
    body = _msg_str(lambda: message.body)
    if not body.strip():
        html = _msg_str(lambda: message.html_body)
        body = html_to_text(html[:MAX_HTML_CHARS]) if html else ""
    fields.body = body
    return fields


def _msg_str(get: Callable[[], object]) -> str:
    """A property of a possibly broken Outlook file as text; "" when it cannot be read."""
    try:
        value = get()
    except Exception:
        return ""
    return value if isinstance(value, str) else ""


def _msg_sender(message: Message) -> tuple[str, str]:
    """The From header when the file kept one, else the sender name and address fields."""
    text = _msg_str(lambda: message.sender)
    for name, address in getaddresses([text]) if text else []:
        if address and "@" in address:
            return _decode_words(name), address
    return "", ""


def _msg_date(message: Message) -> datetime | None:
    """When it was sent (PidTagClientSubmitTime), else the Date header it arrived with."""
    try:
        when = message.sent_date
    except Exception:
        when = None
    if isinstance(when, datetime) and when.year >= 1980:
        return when
    headers = _msg_headers(message)
    return _date(headers.get("Date", ""))


def _msg_headers(message: Message) -> dict[str, str]:
    try:
        return {key.title(): str(value) for key, value in message.message_headers.items()}
    except Exception:
        return {}

"""Sending over SMTP, with every send and every failure on the case's record.

A failure is reported with the server's own words ("535 5.7.8 Authentication credentials
invalid") because that is what an IT colleague needs to fix it. Failures never raise past
`send_letter`: they are recorded and returned, and the letter stays unsent.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

import truststore

from app.domain import DomainError
from app.letters.records import record_email_failed, record_emailed
from app.mail.compose import build_letter_message, new_message
from app.mail.settings import (
    MailSettings,
    complete_settings,
    settings_problem,
    stored_password,
)
from app.store import Store


class MailError(Exception):
    """Sending failed; `str()` is the reason, with the server's message when there is one."""


@dataclass(frozen=True, slots=True)
class SendResult:
    sent: bool
    to: str
    message: str  # what to show: "Sent to ..." or the reason it failed
    message_id: str = ""


def tls_context(settings: MailSettings) -> ssl.SSLContext:
    """Certificates are checked against the operating system's own trust store (truststore,
    MIT): the installed bundle carries no CA list of its own that would age, and a company
    CA installed on the workstation is trusted as the DPO's mail program trusts it. An
    extra CA file from the mail settings (a private server) is trusted in addition."""
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # hostname and chain checked
    if settings.cafile:
        context.load_verify_locations(cafile=settings.cafile)
    return context


def _server_text(code: int, raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return f"{code} {' '.join(text.split())}".strip()


def explain(exc: BaseException, settings: MailSettings) -> str:
    """The reason for a failed send, in the server's words where it gave any."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [
            f"{rcpt}: {_server_text(code, msg)}" for rcpt, (code, msg) in exc.recipients.items()
        ]
        return "The server refused the recipient: " + "; ".join(parts)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _server_text(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"The server at {where} does not support this: {exc}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"The server at {where} closed the connection unexpectedly ({exc})."
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"The server's certificate could not be verified ({exc.verify_message}); "
            "not sending over a connection that might not be the real server."
        )
    if isinstance(exc, ssl.SSLError):
        return f"Secure connection to {where} failed: {exc.reason or exc}."
    if isinstance(exc, ConnectionRefusedError):
        return f"Could not connect to {where}: the connection was refused."
    if isinstance(exc, socket.gaierror):
        return f"The server name {settings.host} could not be found ({exc.strerror})."
    if isinstance(exc, TimeoutError):
        return f"The server at {where} did not answer within {settings.timeout_seconds} s."
    if isinstance(exc, OSError):
        return f"Could not connect to {where}: {exc.strerror or exc}."
    return f"Sending failed: {exc}"


def deliver(settings: MailSettings, password: str | None, message: EmailMessage) -> None:
    """Hand the message to the configured server; MailError with the reason otherwise."""
    problem = settings_problem(settings)
    if problem:
        raise DomainError(problem)
    if settings.username and password is None:
        password = stored_password(settings)
        if password is None:
            raise DomainError(
                "No password for the mail server: type it in, or save it in the mail settings."
            )
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=settings.timeout_seconds,
                context=tls_context(settings),
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
        with client:
            client.ehlo()
            if settings.security == "starttls":
                client.starttls(context=tls_context(settings))
                client.ehlo()
            if settings.username:
                client.login(settings.username, password or "")
            client.send_message(message)
    except (smtplib.SMTPException, OSError, ValueError) as exc:  # ValueError: bad encodings
        raise MailError(explain(exc, settings)) from exc


def send_letter(
    store: Store,
    letter_id: int,
    *,
    to: str,
    subject: str,
    body: str,
    password: str | None,
    settings: MailSettings | None = None,
) -> SendResult:
    """Email a stored letter and put the outcome on the record.

    Bad input (an invalid address, incomplete settings) raises DomainError before anything
    is attempted. A failed send is recorded on the timeline and returned; the letter stays
    unsent and the DPO can try again.
    """
    settings = complete_settings(store, settings)
    message = build_letter_message(store, letter_id, settings, to=to, subject=subject, body=body)
    return send_recorded(
        settings,
        password,
        message,
        sent=lambda to, message_id: record_emailed(store, letter_id, to=to, message_id=message_id),
        failed=lambda to, error: record_email_failed(store, letter_id, to=to, error=error),
    )


def send_recorded(
    settings: MailSettings,
    password: str | None,
    message: EmailMessage,
    *,
    sent: Callable[[str, str], object],
    failed: Callable[[str, str], object],
) -> SendResult:
    """Deliver a built message and record the outcome: `sent(to, message_id)` or
    `failed(to, reason)`. A failure is returned, not raised."""
    to = str(message["To"])
    try:
        deliver(settings, password, message)
    except MailError as exc:
        failed(to, str(exc))
        return SendResult(sent=False, to=to, message=str(exc))
    message_id = str(message["Message-ID"])
    sent(to, message_id)
    return SendResult(sent=True, to=to, message=f"Sent to {to}.", message_id=message_id)


def send_test_email(settings: MailSettings, password: str | None, *, to: str = "") -> str:
    """Send a short test message (to the From address unless told otherwise).

    Returns what to show on success; raises MailError with the server's words on failure.
    """
    target = to.strip() or settings.from_address
    message = new_message(settings, to=target, subject="DSAR Desk test email")
    message.set_content(
        "This is a test message from DSAR Desk. If you can read it, the mail settings work.\n"
    )
    deliver(settings, password, message)
    return f"Test email sent to {target} through {settings.host}:{settings.port}."

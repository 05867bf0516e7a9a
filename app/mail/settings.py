"""Where mail goes: the SMTP server, how to reach it safely, and who the mail is from.

Kept in the store under keys "mail.*", except the password, which lives only in the
operating system's keyring (service "dsar-desk", user "<user>@<host>"). When there is no
usable keyring the app says so, and the DPO types the password each time it is needed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import keyring
import keyring.errors

from app.domain import DomainError
from app.os_keyring import usable_keyring
from app.settings import set_value, stored_fields
from app.store import Store
from app.validation import email_problem

KEYRING_SERVICE = "dsar-desk"
SECURITY_LABELS: dict[str, str] = {
    "starttls": "STARTTLS",
    "ssl": "SSL/TLS",
    "none": "None (local server only)",
}
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
_PREFIX = "mail."


@dataclass(frozen=True, slots=True)
class MailSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"
    username: str = ""
    from_address: str = ""
    from_name: str = ""
    cafile: str = ""  # extra CA bundle to trust (a private CA, or the tests' CA)
    timeout_seconds: int = 30

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)

    @property
    def keyring_user(self) -> str:
        return f"{self.username}@{self.host}"


def settings_problem(settings: MailSettings) -> str | None:
    """What is wrong with these settings, in words for the DPO, or None."""
    host = settings.host.strip()
    if not host:
        return "Enter the SMTP server's host name."
    if any(ch.isspace() for ch in host) or "/" in host:
        return "The SMTP host name cannot contain spaces or slashes."
    if not 1 <= settings.port <= 65535:
        return "The port must be between 1 and 65535."
    if settings.security not in SECURITY_LABELS:
        return f"Unknown connection security {settings.security!r}."
    if settings.security == "none" and host.lower() not in LOCAL_HOSTS:
        return (
            f"Sending without encryption is only allowed to a server on this computer "
            f"(localhost); choose STARTTLS or SSL/TLS for {host}."
        )
    problem = email_problem(settings.from_address, required=True)
    if problem:
        return f"From address: {problem}"
    if any(ch in settings.from_name for ch in "\r\n"):
        return "The sender name cannot contain line breaks."
    if not 1 <= settings.timeout_seconds <= 600:
        return "The timeout must be between 1 and 600 seconds."
    return None


def load_mail_settings(store: Store) -> MailSettings:
    values = stored_fields(store, _PREFIX, MailSettings)
    try:
        return MailSettings(**values)  # type: ignore[arg-type]
    except TypeError:
        return MailSettings()


def complete_settings(store: Store, settings: MailSettings | None = None) -> MailSettings:
    """The settings to send with (these, or the store's); incomplete ones are refused with
    DomainError before a message is built or a server is called."""
    settings = settings or load_mail_settings(store)
    problem = settings_problem(settings)
    if problem:
        raise DomainError(f"The mail settings are incomplete: {problem}")
    return settings


def save_mail_settings(store: Store, settings: MailSettings) -> MailSettings:
    settings = replace(
        settings,
        host=settings.host.strip(),
        username=settings.username.strip(),
        from_address=settings.from_address.strip(),
        from_name=settings.from_name.strip(),
        cafile=settings.cafile.strip(),
    )
    problem = settings_problem(settings)
    if problem:
        raise DomainError(problem)
    for key, value in asdict(settings).items():
        set_value(store, _PREFIX + key, value)
    return settings


# ---------------------------------------------------------------------------------------
# The password, in the keyring only


def keyring_problem() -> str | None:
    """None when a real keyring is there; else why the password cannot be remembered."""
    try:
        keyring.get_keyring()
    except Exception:  # a broken keyring configuration must not stop the app
        return "The system keyring could not be loaded."
    if usable_keyring() is None:
        return (
            "No system keyring is available on this computer (a keyring that keeps passwords "
            "in a plain file does not count), so the password cannot be remembered. You will "
            "be asked for it each time you send."
        )
    return None


def stored_password(settings: MailSettings) -> str | None:
    backend = usable_keyring()
    if not settings.username or backend is None:
        return None
    try:
        return backend.get_password(KEYRING_SERVICE, settings.keyring_user)
    except keyring.errors.KeyringError:
        return None


def remember_password(settings: MailSettings, password: str) -> None:
    """Put the password in the keyring; a DomainError says so when that is impossible."""
    if not settings.username:
        raise DomainError("Enter the user name before saving a password.")
    problem = keyring_problem()
    backend = usable_keyring()
    if problem or backend is None:
        raise DomainError(problem or "No system keyring is available.")
    try:
        if password:
            backend.set_password(KEYRING_SERVICE, settings.keyring_user, password)
        else:
            forget_password(settings)
    except keyring.errors.KeyringError as exc:
        raise DomainError(f"The keyring refused to store the password: {exc}") from exc


def forget_password(settings: MailSettings) -> None:
    backend = usable_keyring()
    if backend is None:
        return
    try:
        backend.delete_password(KEYRING_SERVICE, settings.keyring_user)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError:
        pass

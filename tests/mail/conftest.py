"""Real parts for the mail tests: an aiosmtpd server on 127.0.0.1 (plain, AUTH, STARTTLS,
implicit TLS with a trustme CA), an in-memory keyring, and a case with a stored letter
whose PDF bytes are real."""

from __future__ import annotations

import io
import socket
import ssl
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import keyring
import keyring.backend
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from reportlab.pdfgen import canvas

from app.cases import log_request
from app.domain import Channel, RequestType
from app.letters.records import StoredLetter, save_letter
from app.mail.settings import MailSettings, save_mail_settings
from app.readmodels import CaseDetail, RequesterDetails
from app.store import Store

USER = "dpo"
PASSWORD = "correct horse battery staple"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives in this process only, so tests never touch the real one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.passwords:
            raise keyring.errors.PasswordDeleteError("not there")
        del self.passwords[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    import keyring.backends.fail

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Recorder:
    """The aiosmtpd handler: keeps every message the server accepted."""

    def __init__(self) -> None:
        self.envelopes: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.envelopes.append(
            (envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))  # type: ignore[attr-defined]
        )
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(raw, policy=policy.default)  # type: ignore[misc]
            for _, _, raw in self.envelopes
        ]


def _authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


class QuietController(Controller):
    """aiosmtpd warns, per connection, that AUTH without TLS is unsafe. It is: this is a
    test server on loopback, and the warning would otherwise fail the test run."""

    def factory(self):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return super().factory()


@dataclass
class Server:
    port: int
    recorder: Recorder
    cafile: str = ""
    controller: Controller | None = field(default=None, repr=False)


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def _start(tmp_path: Path, **kwargs: object) -> Server:
    recorder = Recorder()
    port = free_port()
    controller = QuietController(recorder, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return Server(port=port, recorder=recorder, controller=controller)


def _server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def plain_server(tmp_path: Path) -> Iterator[Server]:
    server = _start(tmp_path)
    yield server
    assert server.controller is not None
    server.controller.stop()


@pytest.fixture
def auth_server(tmp_path: Path) -> Iterator[Server]:
    server = _start(
        tmp_path, authenticator=_authenticator, auth_require_tls=False, auth_required=True
    )
    yield server
    assert server.controller is not None
    server.controller.stop()


@pytest.fixture
def starttls_server(tmp_path: Path, ca: trustme.CA, ca_file: str) -> Iterator[Server]:
    server = _start(
        tmp_path,
        tls_context=_server_context(ca),
        require_starttls=True,
        authenticator=_authenticator,
        auth_required=True,
    )
    server.cafile = ca_file
    yield server
    assert server.controller is not None
    server.controller.stop()


@pytest.fixture
def ssl_server(tmp_path: Path, ca: trustme.CA, ca_file: str) -> Iterator[Server]:
    """Implicit TLS (port 465 style): the handshake comes before any SMTP."""
    # aiosmtpd only counts STARTTLS as TLS for AUTH; this connection is TLS from the start.
    server = _start(
        tmp_path,
        ssl_context=_server_context(ca),
        authenticator=_authenticator,
        auth_required=True,
        auth_require_tls=False,
    )
    server.cafile = ca_file
    yield server
    assert server.controller is not None
    server.controller.stop()


def closed_port() -> int:
    """A port on 127.0.0.1 with nobody listening: connections are refused."""
    return free_port()


def settings_for(
    server: Server | None,
    *,
    security: str = "none",
    username: str = "",
    port: int | None = None,
    host: str = "127.0.0.1",
) -> MailSettings:
    return MailSettings(
        host=host,
        port=port if port is not None else (server.port if server else closed_port()),
        security=security,
        username=username,
        from_address="dpo@example.co.uk",
        from_name="Example Ltd <DPO>",
        cafile=server.cafile if server else "",
        timeout_seconds=10,
    )


def pdf_bytes(text: str = "Acknowledgement letter") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class CaseWithLetter:
    case: CaseDetail
    letter: StoredLetter
    pdf: bytes


def case_with_letter(
    store: Store, *, email: str = "zoe.o'brien@example.org", name: str = "Zoë O'Brien"
) -> CaseWithLetter:
    case = log_request(
        store,
        RequesterDetails(name=name, email=email),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 11, 2),
        today=date(2026, 11, 25),
    )
    pdf = pdf_bytes(f"Letter for {case.reference}")
    letter = save_letter(
        store, case.id, stage="acknowledgement", pdf=pdf, template_version="test-1"
    )
    return CaseWithLetter(case=case, letter=letter, pdf=pdf)


def configure(store: Store, settings: MailSettings) -> MailSettings:
    return save_mail_settings(store, settings)

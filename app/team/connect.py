"""Connecting a member to the team's server from what they typed, and saying what went wrong.

The "Connect to a team server…" dialog (ui.team_connect) gives the fields one by one; this
module turns them into the same `postgresql://` address `--store` takes (so the rules of
app.team.address, TLS for any host not on this computer above all, are the same), opens the
store as `app.store.open_store` would, and sorts a failure into the few answers a member can
act on: wrong name or password, server out of reach, not a DSAR Desk server, TLS, not a
member of the team. The store's own messages (app.team.server) are worded for a window that
is already open ("nothing was saved"); a member still at the door needs to know which field
to fix.

No Qt here: the dialog runs `open_member_store` on a worker thread.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from scramp.utils import ScramException
from sqlalchemy.engine import URL

from app.store import StoreError, StoreMissing
from app.team.address import DEFAULT_PORT, AddressError, ServerAddress, parse_address
from app.team.server import INVALID_AUTHORIZATION, INVALID_PASSWORD, ServerStore, sqlstate

NO_SUCH_DATABASE = "3D000"
# pg8000 signs in with SCRAM, which first normalises the password (SASLprep, RFC 4013) and
# refuses some characters PostgreSQL itself took when the password was set: code points
# unassigned in Unicode 3.2 (emoji, among others) and right-to-left letters mixed with others.
_SCRAM_REFUSES = (
    "This password holds characters the server's secure sign-in (SCRAM) cannot use, such as "
    "an emoji, or right-to-left letters mixed with others."
)
_UNUSABLE_PASSWORD = (
    f"{_SCRAM_REFUSES} It was not sent. Ask the DPO to set you a new password without them."
)


class Trouble(Enum):
    """What the member can do about a failed connection."""

    ADDRESS = "address"  # a field is missing or cannot be used
    PASSWORD = "password"  # the server refused the member name or password
    UNREACHABLE = "unreachable"  # nothing answered: the host, the port, the network
    NOT_DSAR_DESK = "not DSAR Desk"  # something answered, but not a DSAR Desk store
    TLS = "TLS"  # the encrypted connection could not be made or checked
    NOT_A_MEMBER = "not a member"  # the role logs in but is in none of the team's groups
    OTHER = "other"  # the server's own words (an older or newer store, …)


class ConnectFailure(Exception):
    """Why the member is not connected: `trouble` for the dialog, `str()` for the member."""

    def __init__(self, trouble: Trouble, message: str) -> None:
        super().__init__(message)
        self.trouble = trouble
        self.message = message


@dataclass(frozen=True)
class ServerFields:
    """What the dialog asks for. The password is not here: it travels separately, so no
    address built from these fields can carry it into settings or a window title."""

    host: str
    port: int
    database: str
    member: str
    ca_file: str = ""

    def address(self) -> ServerAddress:
        """The checked address, or AddressError saying which field to fix."""
        host, database, member = self.host.strip(), self.database.strip(), self.member.strip()
        if not host:
            raise AddressError("Enter the server's name or address (its host).")
        if not database:
            raise AddressError("Enter the name of the team's database on the server.")
        if not member:
            raise AddressError("Enter your member name: the role the DPO set up for you.")
        if not 0 < self.port < 65536:
            raise AddressError("The port is a number from 1 to 65535 (usually 5432).")
        if any(ch.isspace() or ch in "/@?#" for ch in host):
            raise AddressError("The host name cannot hold spaces, /, @, ? or #.")
        if any(ch in database for ch in "/?#"):
            raise AddressError("A database name cannot hold /, ? or #.")
        query = {"sslrootcert": self.ca_file.strip()} if self.ca_file.strip() else {}
        url = URL.create(
            "postgresql",
            username=member,
            host=host,
            port=self.port,
            database=database,
            query=query,
        )
        address = parse_address(url.render_as_string(hide_password=False))
        if (address.host, address.database, address.role) != (host, database, member):
            raise AddressError("This server address cannot be read back as typed.")
        return address

    @classmethod
    def from_address(cls, address: ServerAddress) -> ServerFields:
        return cls(
            address.host,
            address.port,
            address.database,
            address.role,
            address.ssl_root_cert or "",
        )


def unusable_password(password: str) -> str:
    """'' when DSAR Desk can sign in with this password; else why not (`team add-member`
    refuses it there and then, rather than make a member nobody can log in as)."""
    from scramp.utils import saslprep

    try:
        saslprep(password)
    except ScramException:
        return _SCRAM_REFUSES
    return ""


def fields_of(location: str) -> ServerFields | None:
    """The fields of a remembered address (None if it is not one DSAR Desk can read)."""
    try:
        return ServerFields.from_address(parse_address(location))
    except AddressError:
        return None


def open_member_store(address: ServerAddress, password: str | None) -> ServerStore:
    """Open the team's store as the member (slow: the network); ConnectFailure if not.

    An empty password falls back to the one the keyring keeps for this address, as
    `--store` does."""
    from app.team.server import open_server_store

    location = address.with_password(None).without_password()
    try:
        return open_server_store(location, password=password or None)
    except StoreError as error:
        raise explain(address, error) from error
    except ScramException as error:  # the driver's sign-in refused the password's letters
        raise ConnectFailure(Trouble.PASSWORD, _UNUSABLE_PASSWORD) from error
    except AddressError as error:  # e.g. a certificate file that is not there
        raise ConnectFailure(Trouble.ADDRESS, str(error)) from error
    except OSError as error:  # reading sslrootcert before any connection is made
        raise ConnectFailure(
            Trouble.TLS,
            f"The certificate authority file could not be read ({error.strerror or error}).",
        ) from error


def explain(address: ServerAddress, error: StoreError) -> ConnectFailure:
    """Sort the store's refusal by what the member can do about it."""
    where = f"{address.host}:{address.port}" if not address.socket_folder else address.display
    causes = list(_causes(error))
    code = next((sqlstate(c) for c in causes if sqlstate(c)), "")
    if code in (INVALID_PASSWORD, INVALID_AUTHORIZATION):
        return ConnectFailure(
            Trouble.PASSWORD,
            f"The server refused the member name “{address.role}” or its password. Check "
            "both (the password is case-sensitive); the DPO can set a new one.",
        )
    if code == NO_SUCH_DATABASE:
        return ConnectFailure(
            Trouble.NOT_DSAR_DESK,
            f"The server at {where} has no database named “{address.database}”. Check the "
            "database name with whoever set up the team's server.",
        )
    if isinstance(error, StoreMissing):
        return ConnectFailure(Trouble.NOT_DSAR_DESK, error.reason)
    # An encrypted connection the other end simply closed (EOF) is not a TLS fault: it is
    # told below with whatever else broke off the conversation.
    ended = (ssl.SSLEOFError, ssl.SSLZeroReturnError)
    tls = next(
        (c for c in causes if isinstance(c, ssl.SSLError) and not isinstance(c, ended)), None
    )
    if tls is not None:
        return ConnectFailure(Trouble.TLS, _tls_words(where, tls))
    words = " ".join(str(c) for c in causes)
    if "refuses SSL" in words:
        return ConnectFailure(
            Trouble.TLS,
            f"The server at {where} does not offer TLS (encryption), which DSAR Desk needs for "
            "a server that is not on this computer. Ask whoever looks after it to switch TLS on.",
        )
    if any(isinstance(c, socket.gaierror) for c in causes):
        return ConnectFailure(
            Trouble.UNREACHABLE,
            f"No server called “{address.host}” could be found. Check the host name, and "
            "that this computer is on the network the server is on (a VPN, perhaps).",
        )
    if any(isinstance(c, (TimeoutError, socket.timeout)) for c in causes):
        return ConnectFailure(
            Trouble.UNREACHABLE,
            f"The server at {where} did not answer in time. Check the host and the port, and "
            "that this computer may reach it (network, VPN or firewall).",
        )
    if "Can't create a connection" in words:  # the driver's words for a refused connect
        return ConnectFailure(
            Trouble.UNREACHABLE,
            f"Nothing answered at {where}. Check the host and the port, and that the server "
            "is running and this computer may reach it (network, VPN or firewall).",
        )
    if "network error" in words:  # connected, then the conversation made no sense
        return ConnectFailure(
            Trouble.NOT_DSAR_DESK,
            f"Something answered at {where}, but not as a PostgreSQL server does. Check the "
            "port (PostgreSQL usually listens on 5432).",
        )
    if "not a member" in error.reason:
        return ConnectFailure(Trouble.NOT_A_MEMBER, error.reason)
    if any(isinstance(c, ConnectionError) for c in causes):
        return ConnectFailure(
            Trouble.UNREACHABLE,
            f"The connection to {where} was broken off. Check that the server is running, "
            "and try again.",
        )
    return ConnectFailure(Trouble.OTHER, error.reason)


def _tls_words(where: str, error: ssl.SSLError) -> str:
    if isinstance(error, ssl.SSLCertVerificationError):
        detail = error.verify_message or error.reason or "not trusted"
        return (
            f"The server at {where} answered with a certificate this computer cannot trust "
            f"({detail}), so DSAR Desk did not send your password. If your team runs its "
            "own certificate authority, choose its certificate file; otherwise ask whoever "
            "looks after the server."
        )
    return (
        f"The encrypted (TLS) connection to {where} could not be made "
        f"({error.reason or type(error).__name__}). Ask whoever looks after the server."
    )


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, what it was raised from, and the driver's own error inside SQLAlchemy's."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [error]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        original = getattr(current, "orig", None)
        stack += [
            current.__context__,
            current.__cause__,
            original if isinstance(original, BaseException) else None,
        ]


__all__ = [
    "DEFAULT_PORT",
    "ConnectFailure",
    "ServerFields",
    "Trouble",
    "explain",
    "fields_of",
    "open_member_store",
]

"""The server's address: `postgresql://[role[:password]@]host[:port]/database[?options]`.

The driver is pg8000 (BSD-3-Clause, pure Python): the bundle stays proprietary without an
LGPL library to keep replaceable (psycopg is LGPL-3.0 and would bring a compiled libpq), and
PyInstaller freezes it like any other Python package.

TLS is required for any host that is not this computer (a Unix socket or a loopback
address): the server's certificate is checked against the system's trust store (truststore),
or against `sslrootcert=FILE` when the team runs its own certificate authority, and the host
name must match it. `sslmode=disable` is refused for such a host; there is no "encrypt but
do not check", which would hand the password to whoever sits in between.

A password in the address is used as given (tests, scripts); otherwise it comes from the
OS keyring (app.os_keyring), where the "Connect to a team server…" dialog keeps it. It is
never written to a settings file, a log or a window title.
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

SCHEMES = ("postgresql", "postgres", "postgresql+pg8000")
DRIVER = "postgresql+pg8000"
DEFAULT_PORT = 5432
KEYRING_SERVICE = "dsar-desk-team-server"
SSL_MODES = ("disable", "require", "verify-full")


class AddressError(ValueError):
    """The address cannot be used; `str()` says why, for the user."""


def is_server_address(location: object) -> bool:
    """True for a `postgresql://` address (as opposed to a store file's path)."""
    if not isinstance(location, str):
        return False
    scheme = location.split("://", 1)[0].lower() if "://" in location else ""
    return scheme in SCHEMES


@dataclass(frozen=True)
class ServerAddress:
    """A parsed server address. `password` is kept out of `repr` and of `display`."""

    host: str
    port: int
    database: str
    role: str
    password: str | None = field(default=None, repr=False)
    socket_folder: str | None = None
    ssl_mode: str = "verify-full"
    ssl_root_cert: str | None = None

    @property
    def local(self) -> bool:
        """This computer: a Unix socket or a loopback address (TLS not required)."""
        if self.socket_folder:
            return True
        if self.host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host.strip("[]")).is_loopback
        except ValueError:
            return False

    @property
    def display(self) -> str:
        """Where the store is, for titles and messages: never the password."""
        where = self.socket_folder or f"{self.host}:{self.port}"
        return f"{self.role}@{where}/{self.database}"

    @property
    def keyring_user(self) -> str:
        return self.display

    def without_password(self) -> str:
        """The address to remember (settings, recent stores): no password in it, but every
        option `parse_address` reads back (a team's own certificate authority above all)."""
        query: dict[str, str] = {}
        if self.socket_folder:
            query["host"] = self.socket_folder
        if self.ssl_mode != ("disable" if self.local else "verify-full"):
            query["sslmode"] = self.ssl_mode
        if self.ssl_root_cert:
            query["sslrootcert"] = self.ssl_root_cert
        return URL.create(
            "postgresql",
            username=self.role,
            host=None if self.socket_folder else self.host,
            port=self.port,
            database=self.database,
            query=query,
        ).render_as_string(hide_password=False)

    def url(self, *, with_password: bool = True, database: str | None = None) -> URL:
        query: dict[str, str] = {}
        if self.socket_folder:
            query["unix_sock"] = str(Path(self.socket_folder) / f".s.PGSQL.{self.port}")
        return URL.create(
            DRIVER,
            username=self.role,
            password=self.password if with_password else None,
            host=None if self.socket_folder else self.host,
            port=None if self.socket_folder else self.port,
            database=database or self.database,
            query=query,
        )

    def with_password(self, password: str | None) -> ServerAddress:
        return ServerAddress(
            self.host,
            self.port,
            self.database,
            self.role,
            password,
            self.socket_folder,
            self.ssl_mode,
            self.ssl_root_cert,
        )

    def with_role(self, role: str, password: str | None) -> ServerAddress:
        return ServerAddress(
            self.host,
            self.port,
            self.database,
            role,
            password,
            self.socket_folder,
            self.ssl_mode,
            self.ssl_root_cert,
        )

    def with_database(self, database: str) -> ServerAddress:
        return ServerAddress(
            self.host,
            self.port,
            database,
            self.role,
            self.password,
            self.socket_folder,
            self.ssl_mode,
            self.ssl_root_cert,
        )

    def connect_args(self) -> dict[str, Any]:
        """pg8000's connection options: TLS as the policy above says, a name for the server's
        activity view, and a timeout so an unreachable server is said within seconds."""
        args: dict[str, Any] = {"application_name": "DSAR Desk", "timeout": 15}
        if self.ssl_mode == "disable":
            if not self.local:
                raise AddressError(_TLS_REQUIRED.format(host=self.host))
            args["ssl_context"] = False
        else:
            args["ssl_context"] = self.ssl_context()
        return args

    def ssl_context(self) -> ssl.SSLContext:
        if self.ssl_root_cert:
            context = ssl.create_default_context(cafile=self.ssl_root_cert)
        else:
            import truststore

            context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if self.ssl_mode == "require" and self.local:
            # On this computer an encrypted socket is a courtesy, not a defence.
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            context.check_hostname = True
            context.verify_mode = ssl.CERT_REQUIRED
        return context


_TLS_REQUIRED = (
    "The server {host} is not on this computer, so DSAR Desk connects to it only over TLS "
    "(encrypted, with the server's certificate checked): sslmode=disable is not allowed here."
)


def parse_address(text: str) -> ServerAddress:
    """Read `postgresql://role@host:port/database?sslmode=…&sslrootcert=…&host=/socket`."""
    if not is_server_address(text):
        raise AddressError("A team server's address begins with postgresql://")
    try:
        url = make_url(text.strip())
    except ArgumentError as exc:
        raise AddressError(f"This is not a server address DSAR Desk can read: {exc}") from exc
    options = {k: (v if isinstance(v, str) else v[-1]) for k, v in url.query.items()}
    unknown = set(options) - {"sslmode", "sslrootcert", "host"}
    if unknown:
        raise AddressError(f"Unknown option in the address: {', '.join(sorted(unknown))}.")
    socket_folder = options.get("host") if str(options.get("host", "")).startswith("/") else None
    host = url.host or ("localhost" if socket_folder else "")
    if not host:
        raise AddressError("The address names no server (postgresql://HOST/DATABASE).")
    if not url.database:
        raise AddressError("The address names no database (postgresql://HOST/DATABASE).")
    if not url.username:
        raise AddressError(
            "The address names no role (postgresql://ROLE@HOST/DATABASE): each member of the "
            "team connects as their own role."
        )
    address = ServerAddress(
        host=host,
        port=url.port or DEFAULT_PORT,
        database=url.database,
        role=url.username,
        password=url.password,
        socket_folder=socket_folder,
        ssl_root_cert=options.get("sslrootcert"),
    )
    mode = options.get("sslmode")
    if mode is None:
        mode = "disable" if address.local else "verify-full"
    if mode not in SSL_MODES:
        raise AddressError(f"sslmode must be one of {', '.join(SSL_MODES)}.")
    if mode != "verify-full" and not address.local:
        raise AddressError(_TLS_REQUIRED.format(host=host).replace("disable", mode))
    return ServerAddress(
        address.host,
        address.port,
        address.database,
        address.role,
        address.password,
        address.socket_folder,
        mode,
        address.ssl_root_cert,
    )


def password_from_keyring(address: ServerAddress) -> str | None:
    """The member's password kept by the OS keyring for this address, if any."""
    from app.os_keyring import usable_keyring

    backend = usable_keyring()
    if backend is None:
        return None
    try:
        return backend.get_password(KEYRING_SERVICE, address.keyring_user)
    except Exception:  # a locked or broken keyring: ask instead
        return None


def keep_password(address: ServerAddress, password: str) -> bool:
    """Keep the password in the OS keyring; False when there is no real keyring (the
    dialog then says it will ask each time rather than write it to a file)."""
    from app.os_keyring import usable_keyring

    backend = usable_keyring()
    if backend is None:
        return False
    try:
        backend.set_password(KEYRING_SERVICE, address.keyring_user, password)
    except Exception:
        return False
    return True


def forget_password(address: ServerAddress) -> None:
    """Take the password for this address out of the keyring ("Remember" unticked): a
    member who chose not to keep it must not find it kept from an earlier time."""
    from app.os_keyring import usable_keyring

    backend = usable_keyring()
    if backend is None:
        return
    try:
        if backend.get_password(KEYRING_SERVICE, address.keyring_user) is not None:
            backend.delete_password(KEYRING_SERVICE, address.keyring_user)
    except Exception:  # a locked or broken keyring: nothing more can be done from here
        return

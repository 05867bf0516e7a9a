"""Opening a store on a team server (PostgreSQL through pg8000).

`open_server_store(address)` is what `app.store.open_store` does with a `postgresql://`
address. It refuses, with a message for the member, a server that cannot be reached, a role
or password the server refuses, a database not set up by `dsar-desk team init`, or one whose
schema is older or newer than this version (only whoever set the server up may upgrade it:
`dsar-desk team init` again, after a `pg_dump`).

What the member may do is the server's to say: their role's membership of `dsar_dpo`,
`dsar_caseworker` or `dsar_viewer` is read once at opening (app.team.roles), a viewer's store
is read-only, and whatever the server refuses anyway (GRANTs, row security) comes back as
`NotPermitted` naming the role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.domain import ConcurrentChange
from app.integrity.seal import KEY_ID, SESSION_KEY, STORE_ID
from app.migrations import SCHEMA_HEAD
from app.store import (
    ACTOR_KEY,
    NewerStore,
    NotPermitted,
    Store,
    StoreError,
    StoreMissing,
    UnstorableText,
)
from app.team.address import AddressError, ServerAddress, parse_address, password_from_keyring
from app.team.chain import ServerChain, watch_server_seals
from app.team.roles import Capability, TeamRole, role_of

# SQLSTATE classes and codes (PostgreSQL appendix A).
INSUFFICIENT_PRIVILEGE = "42501"
INVALID_PASSWORD = "28P01"
INVALID_AUTHORIZATION = "28000"
UNDEFINED_TABLE = "42P01"
UNDEFINED_OBJECT = "42704"
SERIALIZATION = ("40001", "40P01")
UNTRANSLATABLE = ("22021", "22P05")  # a NUL character or bytes the database cannot hold


@dataclass(eq=False)
class ServerStore(Store):
    """A store on a team server, used as the member's own role."""

    address: ServerAddress | None = None
    role: TeamRole | None = None
    closed: bool = False

    def close(self) -> None:
        self.closed = True
        super().close()

    def _checked_in(self, dbapi_connection: Any, _record: object) -> None:
        """A connection that work still running off the UI thread gives back after the store
        was closed goes to no pool: close it now rather than leave its socket to the
        garbage collector."""
        if self.closed:
            with suppress(Exception):
                dbapi_connection.close()

    @property
    def location(self) -> str:
        assert self.address is not None
        return self.address.display

    @property
    def actor(self) -> str:
        assert self.address is not None
        return self.address.role

    def denies(self, capability: Capability) -> str:
        assert self.role is not None
        return self.role.denies(capability)

    @contextmanager
    def write(self) -> Iterator[Session]:
        try:
            with super().write() as session:
                yield session
        except StaleDataError as exc:
            raise ConcurrentChange(
                "Someone else saved a change to the same record at the same moment, so "
                "nothing was saved. It has been reloaded; check it and try again."
            ) from exc

    def _failure(self, exc: DBAPIError) -> StoreError:
        return server_failure(self.location, exc, self.role)

    def backup(self, destination: Path) -> Path:
        raise StoreError(
            self.location,
            "A team server's backups are the server's own (pg_dump, run by whoever looks "
            "after the server; see README: Team mode). DSAR Desk does not copy it.",
        )


def sqlstate(exc: BaseException) -> str:
    """The server's SQLSTATE code of a driver error ('' when there is none)."""
    original = getattr(exc, "orig", exc)
    args = getattr(original, "args", ())
    if args and isinstance(args[0], dict):
        return str(args[0].get("C", ""))
    return ""


def server_failure(where: str, exc: BaseException, role: TeamRole | None = None) -> StoreError:
    """The server's refusal in words for the member; nothing was saved."""
    code = sqlstate(exc)
    if code == INSUFFICIENT_PRIVILEGE:
        who = f"as {role.label}" if role is not None else "with this role"
        return NotPermitted(
            where,
            f"The team server refused this {who}: your role may not make this change, so "
            "nothing was saved. Ask the DPO if it needs doing.",
        )
    if code in (INVALID_PASSWORD, INVALID_AUTHORIZATION):
        return StoreError(where, "The team server refused this role or password.")
    if code in SERIALIZATION:
        return StoreError(
            where,
            "Someone else was saving at the same moment and the server could not do both; "
            "nothing was saved. Try again.",
        )
    if code in UNTRANSLATABLE:
        return UnstorableText(
            where,
            "Some of the text holds a character the server cannot store (a NUL character, "
            "perhaps from a damaged copy and paste). Retype it; nothing was saved.",
        )
    if code == "" or code.startswith("08"):
        return StoreError(
            where,
            "The team server could not be reached (the network, or the server is down); "
            "nothing was saved. Try again in a moment.",
        )
    return StoreError(where, f"The team server could not do this (error {code}).")


def open_server_store(
    location: str,
    *,
    read_only: bool = False,
    read_only_reason: str = "",
    password: str | None = None,
    as_owner: bool = False,
) -> ServerStore:
    """Open the team's store as the member the address names. `as_owner` lets the role that
    owns the schema in (dsar-desk team init and import check what they did); it is never a
    member, and the window never opens that way."""
    try:
        address = parse_address(location)
    except AddressError as exc:
        raise StoreError(location.split("@")[-1], str(exc)) from exc
    if address.password is None:
        address = address.with_password(password or password_from_keyring(address))
    engine = create_engine(
        address.url(),
        connect_args=address.connect_args(),
        hide_parameters=True,  # a failed statement's text names no requester
        pool_pre_ping=True,  # a connection the server dropped overnight is replaced
        pool_size=3,
        max_overflow=4,
    )
    try:
        role, revision, settings = _inspect(engine, address, as_owner)
    except BaseException:
        engine.dispose()
        raise
    if revision != SCHEMA_HEAD:
        engine.dispose()
        raise _schema_mismatch(address, revision)
    if role is TeamRole.VIEWER:
        read_only = True
        read_only_reason = role.read_only_reason
    chain = ServerChain(engine, str(settings.get(STORE_ID, "")), str(settings.get(KEY_ID, "")))
    write_sessions = None
    if not read_only:
        write_sessions = sessionmaker(
            engine, expire_on_commit=False, info={SESSION_KEY: chain, ACTOR_KEY: address.role}
        )
        watch_server_seals(write_sessions)
    store = ServerStore(
        path=None,
        engine=engine,
        _sessions=sessionmaker(engine, expire_on_commit=False),
        _writer=None,
        _write_sessions=write_sessions,
        read_only_reason=read_only_reason,
        chain=chain,
        address=address,
        role=role,
    )
    event.listen(engine, "checkin", store._checked_in)
    return store


def _inspect(
    engine: Any, address: ServerAddress, as_owner: bool
) -> tuple[TeamRole, str | None, dict]:
    try:
        with engine.connect() as connection:
            role = role_of(connection)
            if role is None and as_owner and _owns_schema(connection):
                role = TeamRole.DPO
            if role is None:
                raise StoreError(
                    address.display,
                    f"The role {address.role} is not a member of the DSAR Desk team on this "
                    "server (dsar_dpo, dsar_caseworker or dsar_viewer). Ask the DPO to add you.",
                )
            try:
                revision = connection.execute(
                    text("SELECT version_num FROM alembic_version")
                ).scalar()
            except DBAPIError as exc:
                if sqlstate(exc) == UNDEFINED_TABLE:
                    raise StoreMissing(address.display, _NOT_SET_UP) from exc
                raise
            rows = connection.execute(
                text("SELECT key, value FROM settings WHERE key IN (:a, :b)"),
                {"a": STORE_ID, "b": KEY_ID},
            ).all()
            return role, revision, {row[0]: row[1] for row in rows}
    except StoreError:
        raise
    except DBAPIError as exc:
        if sqlstate(exc) == UNDEFINED_OBJECT:
            raise StoreMissing(address.display, _NOT_SET_UP) from exc
        raise server_failure(address.display, exc) from exc
    except OSError as exc:
        raise server_failure(address.display, exc) from exc


def _owns_schema(connection: Any) -> bool:
    return bool(
        connection.execute(
            text(
                "SELECT to_regclass('case_events') IS NOT NULL AND pg_get_userbyid(relowner) = "
                "current_user FROM pg_class WHERE oid = to_regclass('case_events')"
            )
        ).scalar()
    )


_NOT_SET_UP = (
    "This database is not set up for DSAR Desk. Whoever looks after the server sets it up "
    "once with: dsar-desk team init postgresql://OWNER@HOST/DATABASE"
)


def _schema_mismatch(address: ServerAddress, revision: str | None) -> StoreError:
    from app.store_schema import known_revisions

    if revision is not None and revision not in known_revisions():
        return NewerStore(
            address.display,
            "The team server's store was set up by a newer version of DSAR Desk. Install "
            "that version (or newer) to use it.",
        )
    return StoreError(
        address.display,
        "The team server's store was set up by an older version of DSAR Desk. Whoever looks "
        "after the server upgrades it, after a backup (pg_dump), with: dsar-desk team init "
        "postgresql://OWNER@HOST/DATABASE",
    )

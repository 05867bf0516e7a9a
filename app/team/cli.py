"""`dsar-desk team …`: set up a team server, add members, move a desk's store onto it.

    dsar-desk team init URL                       create or upgrade the store, roles, grants
    dsar-desk team add-member URL NAME ROLE       ROLE: dpo, caseworker or viewer
    dsar-desk team import STORE.sqlite URL        move a desk's store onto the server
    dsar-desk team export-key URL FILE.key        the server's verification key (dsar_dpo)

URL is the owner's address (postgresql://OWNER@HOST/DATABASE); for export-key, a member of
dsar_dpo (only that role may read the key) or the owner. Passwords are read from the
address, else the OS keyring, else asked for on the terminal; a new member's password is
always asked for (or read from standard input with --password-stdin), never taken from the
command line, where other users of the computer could see it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from app.team.address import AddressError, ServerAddress, parse_address, password_from_keyring

ROLES = {"dpo": "dsar_dpo", "caseworker": "dsar_caseworker", "viewer": "dsar_viewer"}


def _address(text: str) -> ServerAddress:
    address = parse_address(text)
    if address.password is None:
        password = password_from_keyring(address)
        if password is None and sys.stdin.isatty():
            password = getpass.getpass(f"Password for {address.display}: ")
        address = address.with_password(password)
    return address


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dsar-desk team", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="set up (or upgrade) the team's store on a server")
    init.add_argument("url")
    member = commands.add_parser("add-member", help="a login role for one member")
    member.add_argument("url")
    member.add_argument("name")
    member.add_argument("role", choices=sorted(ROLES))
    member.add_argument("--password-stdin", action="store_true")
    move = commands.add_parser("import", help="move a desk's store onto the server")
    move.add_argument("store", type=Path)
    move.add_argument("url")
    export = commands.add_parser(
        "export-key",
        help="write the server's verification key to a file, to check exported case files "
        "offline with: dsar-desk verify FILE.zip --key FILE.key (a member of dsar_dpo only)",
    )
    export.add_argument("url")
    export.add_argument("file", type=Path)
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    try:
        address = _address(args.url)
        if args.command == "init":
            from app.team.setup import init_team

            done = init_team(address)
            was = done.revision_before or "nothing"
            print(
                f"Team store ready at {address.display}: schema {was} -> {done.revision_after}, "
                "roles dsar_dpo, dsar_caseworker and dsar_viewer."
            )
        elif args.command == "add-member":
            _add_member(address, args.name, ROLES[args.role], args.password_stdin)
            print(f"{args.name} can now connect as a member of {ROLES[args.role]}.")
        elif args.command == "export-key":
            _export_key(address, args.file)
            print(
                f"The verification key of {address.display} was saved to {args.file}. Keep it "
                "as safe as a backup: anyone with it could forge the records' seals."
            )
        else:
            from app.team.importer import import_store

            report = import_store(args.store, address_with_password(address))
            rows = ", ".join(f"{n} {c}" for n, c in report.counts.items() if c)
            print(f"Imported {args.store} into {address.display}: {rows}.")
            print(f"{report.hashes_checked} files matched their SHA-256. {report.verified}")
    except AddressError as exc:
        print(f"dsar-desk team: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # every refusal says why, in words
        from app.integrity.keys import KeyFileError
        from app.store import StoreError
        from app.team.importer import ImportRefused

        if isinstance(exc, (StoreError, ImportRefused, KeyFileError, RuntimeError, OSError)):
            print(f"dsar-desk team: {exc}", file=sys.stderr)
            return 1
        raise
    return 0


def address_with_password(address: ServerAddress) -> str:
    """The address as text with its password, for the code that opens its own connection."""
    return (
        address.url()
        .render_as_string(hide_password=False)
        .replace("postgresql+pg8000", "postgresql", 1)
    )


def _add_member(address: ServerAddress, name: str, group: str, from_stdin: bool) -> None:
    from app.team.roles import TeamRole, add_member
    from app.team.setup import admin_engine

    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password for the new member {name}: ")
        if getpass.getpass("Again: ") != password:
            raise RuntimeError("The two passwords differ; nobody was added.")
    if len(password) < 12:
        raise RuntimeError("A member's password needs at least 12 characters.")
    from app.team.connect import unusable_password

    if unusable_password(password):
        raise RuntimeError(f"{unusable_password(password)} Nobody was added.")
    engine = admin_engine(address)
    try:
        with engine.begin() as connection:
            add_member(connection, name, password, TeamRole(group))
    finally:
        engine.dispose()


def _export_key(address: ServerAddress, destination: Path) -> None:
    from app.team.server import open_server_store

    store = open_server_store(address_with_password(address), read_only=True, as_owner=True)
    try:
        assert store.chain is not None
        store.chain.export_key(destination)
    finally:
        store.close()

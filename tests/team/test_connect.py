"""The dialog's fields make the same address `--store` takes, with the same TLS rule, and
everything typed stays data. No server needed (the dialog's tests reach a real one)."""

from __future__ import annotations

import pytest

from app.team.address import AddressError, parse_address
from app.team.connect import ServerFields, fields_of


def test_a_remote_host_gets_checked_tls_and_this_computer_none() -> None:
    remote = ServerFields("db.example.org", 5432, "dsar", "bob").address()
    assert not remote.local and remote.ssl_mode == "verify-full"
    local = ServerFields("127.0.0.1", 55000, "dsar", "bob").address()
    assert local.local and local.ssl_mode == "disable"


def test_what_is_typed_is_data_and_comes_back_whole() -> None:
    member = "Zoë O'Brien <&\"> @:/ 陳"
    fields = ServerFields("db.example.org", 6543, "dsar team", member, "/tmp/our ca.pem")
    address = fields.address()
    assert address.role == member and address.database == "dsar team"
    assert address.ssl_root_cert == "/tmp/our ca.pem"
    kept = address.without_password()
    assert fields_of(kept) == fields
    assert parse_address(kept).role == member


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        (ServerFields("", 5432, "dsar", "bob"), "host"),
        (ServerFields("db.example.org", 5432, " ", "bob"), "database"),
        (ServerFields("db.example.org", 5432, "dsar", ""), "member name"),
        (ServerFields("db.example.org", 0, "dsar", "bob"), "port"),
        (ServerFields("db.example.org", 5432, "ds/ar", "bob"), "database name"),
        (ServerFields("db example", 5432, "dsar", "bob"), "host name"),
    ],
)
def test_a_field_that_cannot_be_used_is_named(fields: ServerFields, says: str) -> None:
    with pytest.raises(AddressError, match=says):
        fields.address()


def test_an_address_that_is_no_server_address_gives_no_fields() -> None:
    assert fields_of("/home/dpo/dsar.sqlite") is None
    assert fields_of("postgresql://db.example.org/dsar") is None  # no member named

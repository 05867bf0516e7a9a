"""A team server's address: TLS with the certificate checked for any host not on this
computer, never a password in what is shown or remembered. No server needed."""

from __future__ import annotations

import ssl

import pytest

from app.team.address import AddressError, is_server_address, parse_address


def test_a_remote_host_gets_tls_with_the_certificate_and_host_name_checked() -> None:
    address = parse_address("postgresql://bob@db.example.org/dsar")
    assert not address.local and address.ssl_mode == "verify-full"
    context = address.connect_args()["ssl_context"]
    assert context.check_hostname and context.verify_mode is ssl.CERT_REQUIRED
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2


@pytest.mark.parametrize("mode", ["disable", "require"])
def test_a_remote_host_without_checked_tls_is_refused(mode: str) -> None:
    with pytest.raises(AddressError, match="only over TLS"):
        parse_address(f"postgresql://bob@db.example.org/dsar?sslmode={mode}")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_this_computer_needs_no_tls(host: str) -> None:
    address = parse_address(f"postgresql://bob@{host}/dsar")
    assert address.local and address.connect_args()["ssl_context"] is False


def test_the_password_is_never_shown_nor_remembered() -> None:
    address = parse_address("postgresql://bob:s3cret-Pa55@db.example.org:5433/dsar")
    assert address.password == "s3cret-Pa55"
    assert "s3cret" not in address.display and "s3cret" not in repr(address)
    assert "s3cret" not in address.without_password()
    assert address.display == "bob@db.example.org:5433/dsar"


def test_only_postgresql_addresses_are_server_addresses() -> None:
    assert is_server_address("postgresql://bob@db/dsar")
    assert not is_server_address("/home/dpo/dsar.sqlite")
    with pytest.raises(AddressError):
        parse_address("mysql://bob@db/dsar")

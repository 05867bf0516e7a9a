"""A plaintext keyring backend (keyrings.alt) is treated as no keyring (issue 9 point 6):
before, its priority above zero made it "a keyring", and the SMTP password went into a
plain file in the home folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.chainer
import pytest
from keyrings.alt.file import PlaintextKeyring

from app.domain import DomainError
from app.mail.settings import (
    MailSettings,
    keyring_problem,
    remember_password,
    stored_password,
)
from app.os_keyring import is_plaintext, usable_keyring
from tests.mail.conftest import MemoryKeyring


@pytest.fixture
def plaintext_keyring(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "keyring_pass.cfg"

    class InTmp(PlaintextKeyring):  # the real backend, writing where the test can look
        file_path = str(target)  # type: ignore[assignment]

    previous = keyring.get_keyring()
    keyring.set_keyring(InTmp())
    yield target
    keyring.set_keyring(previous)


SETTINGS = MailSettings(host="smtp.example.co.uk", username="dpo")


def test_a_plaintext_keyring_is_no_keyring(plaintext_keyring: Path) -> None:
    assert keyring.get_keyring().priority > 0  # keyring itself would happily use it
    assert usable_keyring() is None
    assert "plain file does not count" in (keyring_problem() or "")
    with pytest.raises(DomainError, match="No system keyring"):
        remember_password(SETTINGS, "s3cret")
    assert not plaintext_keyring.exists()  # the password went nowhere
    assert stored_password(SETTINGS) is None


def test_a_chain_whose_first_backend_is_plaintext_is_no_keyring(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    chained = [PlaintextKeyring(), MemoryKeyring()]
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", chained, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.chainer.ChainerBackend())
    try:
        assert usable_keyring() is None
    finally:
        keyring.set_keyring(previous)


def test_a_real_keyring_is_used(memory_keyring: MemoryKeyring) -> None:
    assert not is_plaintext(memory_keyring)
    assert usable_keyring() is memory_keyring
    remember_password(SETTINGS, "s3cret")
    assert stored_password(SETTINGS) == "s3cret"

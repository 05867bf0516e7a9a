"""python-oxmsg (MIT) took extract-msg's place (GPL-3.0, cannot ship): it must read the two
real Outlook files in ../shared/fixtures/msg as extract-msg did. What extract-msg 0.57.0 read
from them (sender, sent date, subject, body; the body as its length and SHA-256) was recorded
here on 29 Nov 2026 by running it on the same files in a throw-away environment."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from typing import NamedTuple

import pytest
from oxmsg import Message

from app.email_intake import read_email
from tests.conftest import SHARED


class Reading(NamedTuple):
    sender: str | None
    sent: datetime | None
    subject: str
    body_length: int
    body_sha256: str


EXTRACT_MSG_READ = {
    "unicode.msg": Reading(
        "Brian Zhou <brizhou@gmail.com>",
        datetime(2013, 11, 18, 8, 26, 24, tzinfo=UTC),
        "Test for TIF files",
        119,
        "0aae32bbd5c1c140c6d3975d6b65e230c2c05ce5e59ea0bf8ab9fe8c32061f1c",
    ),
    "strangeDate.msg": Reading(
        None,
        None,
        "MSG Test File",
        2711,
        "663a3268118c3cd710ebd73c79a59a9026308eec4a01a0ecb6cdc7f2004630ff",
    ),
}


@pytest.mark.parametrize("name", sorted(EXTRACT_MSG_READ))
def test_python_oxmsg_reads_the_outlook_samples_as_extract_msg_did(name: str) -> None:
    path = SHARED / "fixtures" / "msg" / name
    if not path.exists():
        pytest.skip(f"the shared Outlook samples are not here ({path})")
    message = Message.load(io.BytesIO(path.read_bytes()))
    body = message.body or ""
    found = Reading(
        message.sender,
        message.sent_date,
        message.subject,
        len(body),
        hashlib.sha256(body.encode("utf-8")).hexdigest(),
    )
    assert found == EXTRACT_MSG_READ[name]
    # And the intake draft the app makes from it carries the same sender, date and subject.
    draft = read_email(path.read_bytes(), name)
    expected = EXTRACT_MSG_READ[name]
    assert f"{draft.name} <{draft.email}>" == (expected.sender or " <>")
    assert draft.received_on == (expected.sent.date() if expected.sent else None)
    assert draft.description.startswith(f"Subject: {expected.subject}\n\n")

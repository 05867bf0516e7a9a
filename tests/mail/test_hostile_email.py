"""Hostile .eml files are read in bounded, linear time and the import can be cancelled
(issue 9 point 7). Before app.email_bounds, 200,000 From addresses ran for over 900 s and
100,000 MIME parts for about a minute; nested comments raised a raw RecursionError; a run
of unclosed `<!--` in the HTML body was quadratic. Speed itself is measured in
tests/bench/test_bench_email.py; the timeouts here only stop a regression from hanging
the run."""

from __future__ import annotations

import pytest

from app.domain import Cancelled
from app.email_bounds import MAX_ADDRESSES, MAX_PARTS, bound_message
from app.email_intake import read_email

HEAD = b"Date: Mon, 2 Nov 2026 10:00:00 +0000\r\nSubject: My data\r\n"


def many_from(n: int) -> bytes:
    addresses = ", ".join(f"person{i}@example.org" for i in range(n)).encode()
    return b"From: " + addresses + b"\r\n" + HEAD + b"\r\nPlease send my data.\r\n"


def many_parts(n: int) -> bytes:
    parts = b"".join(
        b"--B\r\nContent-Type: text/plain\r\n\r\n"
        + (b"Please send my data.\r\n" if i == 0 else b"x\r\n")
        for i in range(n)
    )
    return (
        b"From: Ann <ann@example.org>\r\n"
        + HEAD
        + b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
        + parts
        + b"--B--\r\n"
    )


@pytest.mark.timeout(60)
def test_two_hundred_thousand_from_addresses() -> None:
    draft = read_email(many_from(200_000), "flood.eml")
    assert draft.email == "person0@example.org"
    assert (
        f"The from header lists too many addresses; only the first {MAX_ADDRESSES} were read"
        in draft.problems
    )
    assert "Please send my data." in draft.description


@pytest.mark.timeout(60)
def test_a_hundred_thousand_mime_parts() -> None:
    draft = read_email(many_parts(100_000), "parts.eml")
    assert draft.email == "ann@example.org"
    assert "Please send my data." in draft.description
    assert (
        f"This email has more than {MAX_PARTS} parts; only the first {MAX_PARTS} were read"
        in draft.problems
    )


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (
            b"Subject: " + b" ".join([b"=?utf-8?q?a?="] * 200_000),
            "The subject header is unusually long",
        ),
        (
            b'To: "' + b"a " * 200_000 + b'" <dpo@example.org>',
            "The to header lists too many addresses",
        ),
        (b"X-Spam: " + b"(" * 200_000, "The x-spam header is unusually long"),
    ],
)
def test_a_monstrous_header_is_cut_with_a_note(header: bytes, problem: str) -> None:
    data = (
        b"From: Ann <ann@example.org>\r\n"
        + header
        + b"\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nHello\r\n"
    )
    draft = read_email(data, "header.eml")
    assert draft.email == "ann@example.org"
    assert draft.received_on is not None
    assert any(p.startswith(problem) for p in draft.problems), draft.problems


@pytest.mark.timeout(60)
def test_nested_comments_in_the_sender_are_no_crash() -> None:
    data = b"From: ann@example.org " + b"(" * 1500 + b"\r\n" + HEAD + b"\r\nHello\r\n"
    draft = read_email(data, "comments.eml")  # raised RecursionError before
    assert "Hello" in draft.description


@pytest.mark.timeout(60)
@pytest.mark.parametrize("flood", ["<!--", "<![CDATA[", "<!", "<"])
def test_unclosed_html_is_read_in_one_pass(flood: str) -> None:
    html = ("<p>Please send my data.</p>" + flood * 300_000).encode()
    data = b"From: Ann <ann@example.org>\r\n" + HEAD + b"Content-Type: text/html\r\n\r\n" + html
    assert "Please send my data." in read_email(data, "html.eml").description


def test_a_flood_of_headers_still_yields_sender_date_and_subject() -> None:
    flood = b"".join(b"X-Header-%d: v\r\n" % i for i in range(50_000))
    data = flood + b"From: Ann <ann@example.org>\r\n" + HEAD + b"\r\nHello\r\n"
    draft = read_email(data, "headers.eml")
    assert (draft.email, draft.received_on is not None) == ("ann@example.org", True)
    assert "Subject: My data" in draft.description


def test_a_line_that_only_looks_like_a_boundary_is_text() -> None:
    data = (
        b"From: Ann <ann@example.org>\r\n" + HEAD + b"\r\n"
        b"-- \r\nAnn Example\r\n-----Original Message-----\r\nFrom: someone\r\n"
    )
    assert "-----Original Message-----" in read_email(data, "plain.eml").description


def test_import_is_cancellable_and_reports_progress() -> None:
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return len(seen) < 3

    long_letter = b"From: Ann <ann@example.org>\r\n" + HEAD + b"\r\n" + b"A line.\r\n" * 100_000
    with pytest.raises(Cancelled):
        read_email(long_letter, "long.eml", progress)
    assert len(seen) == 3 and seen[0][0] <= seen[1][0] <= seen[2][0] <= seen[2][1]


def test_bounding_keeps_an_ordinary_email_byte_for_byte() -> None:
    ordinary = many_parts(3).replace(b"\r\n", b"\n")
    assert bound_message(ordinary).data == ordinary
    assert bound_message(ordinary).problems == []

"""Hostile emails in linear time: each kind is read at 1x, 4x and 16x its size, and the
time per megabyte is compared with a bare baseline measured in the same run (the email
package parsing an ordinary email of the same size, with no bounding and no intake).

Run: .venv/bin/python -m pytest tests/bench/test_bench_email.py -o addopts="" \
     --benchmark-enable -p no:cacheprovider -s
"""

from __future__ import annotations

import time
from collections.abc import Callable
from email import policy
from email.parser import BytesParser

import pytest

from app.email_intake import read_email
from tests.mail.test_hostile_email import HEAD, many_from, many_parts

SCALES = (1, 4, 16)


def _ordinary(n: int) -> bytes:
    return b"From: Ann <ann@example.org>\r\n" + HEAD + b"\r\n" + b"A line of a letter.\r\n" * n


def _subject_words(n: int) -> bytes:
    words = b" ".join([b"=?utf-8?q?a?="] * n)
    return b"From: Ann <ann@example.org>\r\nSubject: " + words + b"\r\n" + HEAD + b"\r\nHi\r\n"


def _html_comments(n: int) -> bytes:
    body = b"<p>Hello</p>" + b"<!--" * n
    return b"From: Ann <ann@example.org>\r\n" + HEAD + b"Content-Type: text/html\r\n\r\n" + body


KINDS: dict[str, tuple[Callable[[int], bytes], int]] = {
    "from addresses": (many_from, 12_500),
    "MIME parts": (many_parts, 6_250),
    "encoded words": (_subject_words, 12_500),
    "unclosed comments": (_html_comments, 50_000),
    "ordinary": (_ordinary, 12_500),
}


def _seconds(action: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("kind", list(KINDS))
def test_hostile_email_is_linear(benchmark, kind: str) -> None:  # type: ignore[no-untyped-def]
    make, base = KINDS[kind]
    rows = []
    for scale in SCALES:
        data = make(base * scale)
        bare = _ordinary(len(data) // 21)  # the same size in ordinary lines
        ours = _seconds(lambda data=data: read_email(data, "x.eml"))
        baseline = _seconds(lambda bare=bare: BytesParser(policy=policy.default).parsebytes(bare))
        rows.append((scale, len(data), ours, baseline))
    print(f"\n{kind}: size, read_email, bare email parser, ratio")
    for scale, size, ours, baseline in rows:
        print(
            f"  x{scale:<3} {size / 1e6:6.2f} MB  {ours * 1000:8.1f} ms  {baseline * 1000:8.1f} ms"
            f"  {ours / baseline:5.2f}"
        )
    growth = rows[-1][2] / rows[0][2]
    print(f"  time grew x{growth:.1f} for x{SCALES[-1]} the input")
    benchmark.pedantic(read_email, args=(make(base * SCALES[-1]), "x.eml"), rounds=3)

"""Bounding a received email before Python's email package sees it.

The email package is correct but not built for hostile input: its header parser is
superlinear in the length of an address list, an encoded-word subject or a quoted name
(200,000 From addresses ran for over 900 s), recursive on nested comments, and it builds a
Message for every MIME part (100,000 parts took a minute). So one linear pass over the bytes
keeps what a DPO's intake needs and cuts the rest, saying what was cut:

- address headers (From, To, Cc, …) to their first `MAX_ADDRESSES` addresses and at most
  `MAX_ADDRESS_CHARS` characters, cut at an address boundary;
- any other header to `MAX_HEADER_CHARS` characters, and each header block to
  `MAX_HEADER_FIELDS` fields;
- the message to its first `MAX_PARTS` MIME parts (boundaries are learnt from the
  Content-Type headers as the pass meets them, so a body line starting with "--" is text).

The pass reports progress and stops when asked (`Cancelled`). The original bytes are kept
with the case untouched; only what is parsed for the intake draft is bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from app.domain import Cancelled

MAX_ADDRESSES = 50
MAX_ADDRESS_CHARS = 2000
MAX_HEADER_CHARS = 8192
MAX_HEADER_FIELDS = 200
MAX_PARTS = 500
_CHECK_EVERY_LINES = 4096

ADDRESS_FIELDS = frozenset(
    {
        b"from",
        b"sender",
        b"reply-to",
        b"to",
        b"cc",
        b"bcc",
        b"resent-from",
        b"resent-sender",
        b"resent-to",
        b"resent-cc",
        b"resent-bcc",
        b"disposition-notification-to",
        b"return-receipt-to",
    }
)
# Read by the intake even from behind a flood of other headers.
ALWAYS_KEPT = frozenset(
    {
        b"from",
        b"sender",
        b"reply-to",
        b"date",
        b"subject",
        b"mime-version",
        b"content-type",
        b"content-transfer-encoding",
        b"content-disposition",
    }
)
_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^;\s"]{1,200}))', re.I)

# Called with (bytes done, bytes in all); returns False to stop.
Progress = Callable[[int, int], bool]


@dataclass
class Bounded:
    """The bytes to parse, and what was cut on the way (for the draft's problems)."""

    data: bytes
    problems: list[str] = field(default_factory=list)


class _Pass:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.out: list[bytes] = []
        self.problems: dict[str, None] = {}
        self.boundaries: set[bytes] = set()
        self.parts = 0
        self.total = total
        self.progress = progress
        self.done = 0

    def note(self, problem: str) -> None:
        self.problems.setdefault(problem, None)

    def check(self) -> None:
        if self.progress is not None and not self.progress(self.done, self.total):
            raise Cancelled()


def bound_message(data: bytes, progress: Progress | None = None) -> Bounded:
    """One linear pass: the message with its headers and parts cut to the limits above."""
    state = _Pass(len(data), progress)
    lines = data.split(b"\n")
    last = len(lines) - 1
    in_header = True
    fields_in_block = 0
    seen: set[bytes] = set()  # field names kept in this header block
    current: list[bytes] = []  # the physical lines of the header field being read

    def flush() -> None:
        nonlocal fields_in_block, current
        if not current:
            return
        fields_in_block += 1
        name = current[0].split(b":", 1)[0].strip().lower()
        # Past the limit, the intake's own fields are still kept, once each.
        if fields_in_block <= MAX_HEADER_FIELDS or (name in ALWAYS_KEPT and name not in seen):
            state.out.extend(_bounded_field(current, state))
            seen.add(name)
        else:
            state.note(
                f"This email has more than {MAX_HEADER_FIELDS} headers in one place; "
                "only the first (and its sender, date, subject and type) were read"
            )
        current = []

    for index, line in enumerate(lines):
        state.done += len(line) + 1
        if index % _CHECK_EVERY_LINES == 0:
            state.check()
        ending = b"" if index == last else b"\n"
        if in_header:
            if not line.rstrip(b"\r"):  # the blank line that ends a header block
                flush()
                state.out.append(line + ending)
                in_header = False
                continue
            if line[:1] in (b" ", b"\t") and current:
                current.append(line + ending)  # a folded continuation of the same field
                continue
            flush()
            current = [line + ending]
            continue
        if line.startswith(b"--") and state.boundaries:
            marker = line.rstrip(b"\r \t")[2:]
            closing = marker.endswith(b"--") and marker[:-2] in state.boundaries
            if marker in state.boundaries or closing:
                if not closing:
                    state.parts += 1
                    if state.parts > MAX_PARTS:
                        state.note(
                            f"This email has more than {MAX_PARTS} parts; only the first "
                            f"{MAX_PARTS} were read"
                        )
                        break
                    in_header = True
                    fields_in_block = 0
                    seen = set()
                state.out.append(line + ending)
                continue
        state.out.append(line + ending)
    else:
        flush()
    return Bounded(b"".join(state.out), list(state.problems))


def _bounded_field(lines: list[bytes], state: _Pass) -> list[bytes]:
    size = sum(len(line) for line in lines)
    name = lines[0].split(b":", 1)[0].strip().lower()
    is_address = name in ADDRESS_FIELDS
    limit = MAX_ADDRESS_CHARS if is_address else MAX_HEADER_CHARS
    if name == b"content-type":
        found = _BOUNDARY.search(b"".join(lines)[:MAX_HEADER_CHARS])
        if found:
            state.boundaries.add(found.group(1) or found.group(2))
    if is_address:
        joined = b"".join(lines)
        if joined.count(b",") >= MAX_ADDRESSES or size > limit:
            return [_cut_addresses(joined, limit, name.decode(errors="replace"), state)]
        return lines
    if size <= limit:
        return lines
    state.note(
        f"The {name.decode(errors='replace')[:40]} header is unusually long "
        f"({size:,} characters); only its beginning was read"
    )
    return [_with_ending(b"".join(lines)[:limit], lines[-1])]


def _cut_addresses(joined: bytes, limit: int, name: str, state: _Pass) -> bytes:
    """At most MAX_ADDRESSES addresses and `limit` characters, cut after a whole address."""
    head = joined[:limit]
    commas = [i for i, ch in enumerate(head) if ch == 0x2C][:MAX_ADDRESSES]
    cut = len(head)
    if len(commas) >= MAX_ADDRESSES:
        cut = commas[MAX_ADDRESSES - 1]
    elif len(joined) > limit and commas:
        cut = commas[-1]
    state.note(
        f"The {name[:40]} header lists too many addresses; only the first "
        f"{min(MAX_ADDRESSES, len(commas) + 1)} were read"
    )
    return _with_ending(joined[:cut], joined)


def _with_ending(text: bytes, original: bytes) -> bytes:
    text = text.rstrip(b"\r\n")
    if original.endswith(b"\r\n"):
        return text + b"\r\n"
    return text + b"\n" if original.endswith(b"\n") else text

"""Write a small Outlook .msg (an OLE compound file, [MS-CFB] + [MS-OXMSG]) from scratch.

There is no Python writer for the format, and the real samples in ../shared are GPL test data
that must not ship. The bundle's self-test needs an Outlook file of our own, so this writes
one: version 3 compound file, 512-byte sectors, every stream under 4,096 bytes and therefore
in the mini stream, a flat directory under the root. `resources/selftest/intake.msg` is its
output (a test checks the two agree).
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

PT_UNICODE = 0x001F
PT_SYSTIME = 0x0040
PID_MESSAGE_CLASS = 0x001A
PID_SUBJECT = 0x0037
PID_CLIENT_SUBMIT_TIME = 0x0039
PID_SENDER_NAME = 0x0C1A
PID_SENDER_EMAIL = 0x0C1F
PID_BODY = 0x1000
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def outlook_message(
    *, sender_name: str, sender_email: str, sent: datetime, subject: str, body: str
) -> bytes:
    """The bytes of a .msg holding one email, as Outlook's "Save as" writes the basics."""
    strings = {
        PID_MESSAGE_CLASS: "IPM.Note",
        PID_SUBJECT: subject,
        PID_SENDER_NAME: sender_name,
        PID_SENDER_EMAIL: sender_email,
        PID_BODY: body,
    }
    streams: dict[str, bytes] = {}
    entries = []
    for pid, text in strings.items():
        data = text.encode("utf-16-le") + b"\x00\x00"
        streams[f"__substg1.0_{pid:04X}{PT_UNICODE:04X}"] = data
        # Flags 6 = readable + writable; a variable-size value holds its size.
        entries.append(struct.pack("<HHIII", PT_UNICODE, pid, 6, len(data), 0))
    ticks = int((sent - _FILETIME_EPOCH).total_seconds() * 10_000_000)
    entries.append(struct.pack("<HHIQ", PT_SYSTIME, PID_CLIENT_SUBMIT_TIME, 6, ticks))
    # Top-level header: reserved, next recipient id, next attachment id, counts, reserved.
    header = struct.pack("<8xIIII8x", 0, 0, 0, 0)
    streams["__properties_version1.0"] = header + b"".join(entries)
    return compound_file(streams)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file whose root storage holds `streams` (each under 4,096 bytes)."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # [MS-CFB] 2.6.4 order
    mini = bytearray()
    minifat: list[int] = []
    starts = {}
    for name in names:
        data = streams[name]
        if len(data) >= CUTOFF:
            raise ValueError(f"{name} is too large for this writer's mini stream")
        starts[name] = len(minifat)
        count = max(1, -(-len(data) // MINI))
        minifat += [len(minifat) + i + 1 for i in range(count - 1)] + [END]
        mini += data.ljust(count * MINI, b"\x00")

    n_minifat = -(-len(minifat) * 4 // SECTOR)
    n_dir = -(-(len(names) + 1) // (SECTOR // 128))
    n_mini = -(-len(mini) // SECTOR)
    n_fat = 1
    while (n_fat + n_minifat + n_dir + n_mini) > n_fat * (SECTOR // 4):
        n_fat += 1
    if n_fat > 109:
        raise ValueError("too large for a header-only DIFAT")
    fat: list[int] = [FATSECT] * n_fat
    first_minifat = len(fat)
    fat += _chain(first_minifat, n_minifat)
    first_dir = len(fat)
    fat += _chain(first_dir, n_dir)
    first_mini = len(fat)
    fat += _chain(first_mini, n_mini)
    fat += [FREE] * (n_fat * (SECTOR // 4) - len(fat))

    directory = [
        _dir_entry(
            "Root Entry",
            kind=5,
            child=1 if names else NOSTREAM,
            start=first_mini if n_mini else END,
            size=len(mini),
        )
    ]
    for index, name in enumerate(names, start=1):
        right = index + 1 if index < len(names) else NOSTREAM
        directory.append(
            _dir_entry(name, kind=2, right=right, start=starts[name], size=len(streams[name]))
        )
    while len(directory) % (SECTOR // 128):
        directory.append(_dir_entry("", kind=0))

    header = bytearray(SECTOR)
    struct.pack_into(
        "<8s16sHHHHH6x9I",
        header,
        0,
        MAGIC,
        b"\x00" * 16,
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector shift: 512
        6,  # mini sector shift: 64
        0,  # directory sectors (always 0 in version 3)
        n_fat,
        first_dir,
        0,  # transaction signature
        CUTOFF,
        first_minifat if n_minifat else END,
        n_minifat,
        END,  # no DIFAT sectors
        0,
    )
    difat = list(range(n_fat)) + [FREE] * (109 - n_fat)
    struct.pack_into("<109I", header, 76, *difat)

    body = bytearray()
    body += struct.pack(f"<{len(fat)}I", *fat)
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
    body += minifat_bytes.ljust(n_minifat * SECTOR, b"\xff")
    body += b"".join(directory)
    body += bytes(mini).ljust(n_mini * SECTOR, b"\x00")
    return bytes(header) + bytes(body)


def _chain(first: int, count: int) -> list[int]:
    return [first + i + 1 for i in range(count - 1)] + [END] if count else []


def _dir_entry(
    name: str,
    *,
    kind: int,
    right: int = NOSTREAM,
    child: int = NOSTREAM,
    start: int = 0,
    size: int = 0,
) -> bytes:
    encoded = name.encode("utf-16-le")
    name_field = (encoded + b"\x00\x00").ljust(64, b"\x00") if name else bytes(64)
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name_field,
        len(encoded) + 2 if name else 0,
        kind,
        1,  # black
        NOSTREAM,  # left sibling
        right,
        child,
        b"\x00" * 16,
        0,
        0,
        0,
        start if kind else 0,
        size,
    )

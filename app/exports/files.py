"""What every export shares: Cancel, progress, UTF-8 text onto a private file, safe cells.

An export holds personal data, so it is written through `app.private_files.private_output`
(owner-only, to a temporary file beside the target, renamed over it only once complete): a
failure or a Cancel (`Cancelled`, raised in the block) removes the temporary file, so nothing
half-written is ever left where the user looks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO


class Cancelled(Exception):
    """The user pressed Cancel; the export stopped and left nothing behind."""


# Called with (done, total) now and then; returns False to ask the export to stop.
Progress = Callable[[int, int], bool]


def no_progress(done: int, total: int) -> bool:
    return True


class TextOut:
    """What csv.writer writes to: UTF-8 text onto an atomic (binary) output."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        return self.raw.write(text.encode("utf-8"))


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula (CSV injection) gets a leading apostrophe,
    so a name typed as `=HYPERLINK(...)` stays text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

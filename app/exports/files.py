"""Writing an export so that it is either whole or absent.

An export holds personal data, so it is created readable by its owner only (0600), written
to a temporary file beside the target, and renamed over it only once complete. A failure or
a Cancel removes the temporary file: nothing half-written is ever left where the user looks.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


class Cancelled(Exception):
    """The user pressed Cancel; the export stopped and left nothing behind."""


# Called with (done, total) now and then; returns False to ask the export to stop.
Progress = Callable[[int, int], bool]


def no_progress(done: int, total: int) -> bool:
    return True


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes `path` when the block ends without an exception."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, content: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(content)


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

"""Files the app writes that hold personal data: owner-only, whole or absent.

Every such file is created 0600 (on Windows: an access list naming the current user only),
written to a temporary name in the same folder, flushed to disk and renamed over its final
name, so a crash or a full disk leaves the old file or nothing, never half a letter. Files
the DPO picks to read (an email, a scan, a logo) go through `read_user_file`, which refuses
the open store itself: reading it with a plain handle and closing that handle would drop
this process's SQLite locks on it (DESIGN.md section 6).
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from app.domain import DomainError

# Windows opens files in text mode unless told otherwise; elsewhere this is 0.
O_BINARY: int = getattr(os, "O_BINARY", 0)
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
PARTIAL_SUFFIX = ".part"


def create_private_file(path: Path) -> None:
    """Create an empty owner-only file; an existing file is refused (never truncated)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | O_BINARY, PRIVATE_FILE)
    os.close(fd)
    restrict_to_owner(path)


def make_private_folder(folder: Path) -> None:
    """Create missing folders 0700; folders the user already had are theirs, left as they are."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for created in reversed(missing):
        created.mkdir(mode=PRIVATE_FOLDER)
        restrict_to_owner(created)


def restrict_to_owner(path: Path) -> None:
    """Owner-only access: mode 0600/0700, or on Windows an ACL granting the user alone."""
    folder = path.is_dir()
    if sys.platform == "win32":
        user = os.environ.get("USERNAME", "")
        if user:
            subprocess.run(
                windows_owner_only_command(path, user, folder=folder),
                check=False,
                capture_output=True,
            )
        return
    os.chmod(path, PRIVATE_FOLDER if folder else PRIVATE_FILE)


def windows_owner_only_command(path: Path, user: str, *, folder: bool) -> list[str]:
    """icacls: drop inherited entries and grant full control to `user` only (folders pass
    it on to what is created inside them)."""
    grant = f"{user}:(OI)(CI)F" if folder else f"{user}:F"
    return ["icacls", str(path), "/inheritance:r", "/grant:r", grant]


@contextmanager
def private_output(path: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes `path` (owner-only) when the block ends without error.

    An exception, or a Cancel raised in the block, removes the temporary file.
    """
    path = Path(path)
    partial = partial_name(path)
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY | O_BINARY, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        restrict_to_owner(partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def write_private_file(path: Path, data: bytes) -> Path:
    """Write `data` to `path` whole or not at all, readable by the owner only."""
    with private_output(path) as handle:
        handle.write(data)
    return path


def partial_name(path: Path) -> Path:
    """The temporary name beside `path`: hidden, tagged with the writer's process id, so two
    writers never share one and a leftover can be told apart from a file in progress."""
    return path.with_name(f".{path.name}.{os.getpid()}{PARTIAL_SUFFIX}")


def remove_stale_partials(folder: Path, *, older_than_seconds: float = 0) -> list[Path]:
    """Delete temporary files left in `folder` by writers that no longer run (a crash, a
    kill, a full disk); files of a live writer are left alone."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    now = time.time()
    for candidate in folder.glob(f".*{PARTIAL_SUFFIX}*"):  # SQLite's -journal too
        pid_text = candidate.name.rsplit(PARTIAL_SUFFIX, 1)[0].rsplit(".", 1)[-1]
        if pid_text.isdigit() and process_alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            if now - candidate.stat().st_mtime >= older_than_seconds:
                candidate.unlink()
                removed.append(candidate)
    return removed


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (POSIX); on Windows `os.kill` would end it, so
    there the answer is a cautious no."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return False  # no cheap check; a leftover is an hour old before anyone looks again
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX): fsync the folder that holds the new name."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class FileTooLarge(DomainError):
    """A chosen file is over the size limit; `size` says by how much."""

    def __init__(self, message: str, size: int) -> None:
        super().__init__(message)
        self.size = size


def read_user_file(
    path: Path, *, max_bytes: int, what: str = "The file", name: str | None = None
) -> bytes:
    """Read a file the DPO chose, refusing the open store itself and anything too large.

    The size is checked before reading, so a 10 GB file costs nothing. `name` is how the
    file is named in messages (a cleaned-up name), else its own.
    """
    from app.store import live_store_holding  # store imports this module

    path = Path(path)
    name = path.name if name is None else name
    if live_store_holding(path) is not None:
        raise DomainError(
            f"{name} is the DSAR Desk store that is open now, not a file to import or keep. "
            "To keep a copy of the store, use File → Back up now."
        )
    try:
        st = path.stat()
    except OSError as exc:
        raise DomainError(f"{what} {name} cannot be read: {exc.strerror or exc}.") from exc
    if not stat.S_ISREG(st.st_mode):
        raise DomainError(f"{name} is not a file; only files can be used here.")
    if st.st_size > max_bytes:
        raise FileTooLarge(
            f"{what} {name} is {st.st_size / (1024 * 1024):.1f} MB, over the limit of "
            f"{max_bytes / (1024 * 1024):.0f} MB.",
            st.st_size,
        )
    try:
        fd = os.open(path, os.O_RDONLY | O_BINARY)
        with os.fdopen(fd, "rb") as handle:
            return handle.read(max_bytes + 1)[:max_bytes]
    except OSError as exc:
        raise DomainError(f"{what} {name} cannot be read: {exc.strerror or exc}.") from exc


def empty_folder(folder: Path) -> None:
    """Remove everything inside `folder` (read-only copies included), keeping the folder."""
    if not folder.is_dir():
        return
    for root, dirs, names in os.walk(folder, topdown=False):
        for name in names:
            with contextlib.suppress(OSError):
                _unlink_even_read_only(Path(root) / name)
        for name in dirs:
            with contextlib.suppress(OSError):
                entry = Path(root) / name
                if entry.is_symlink():
                    entry.unlink()
                else:
                    os.chmod(entry, PRIVATE_FOLDER)
                    entry.rmdir()


def _unlink_even_read_only(path: Path) -> None:
    try:
        path.unlink()
    except PermissionError:  # Windows will not delete a read-only file
        os.chmod(path, stat.S_IWRITE | stat.S_IREAD)
        path.unlink()

"""One private temporary folder for copies handed to other programs (an ID scan opened in the
system viewer, a letter for the mail program).

Those copies hold personal data, so they live in a single owner-only folder per user,
`<system temp>/dsar-desk-<user>/`, one sub-folder per running process. Each start empties
what earlier processes left behind (a crash or a kill skips the clean-up at exit), keeping
the folders of processes still running. A folder that is a symlink or belongs to someone
else is never written to.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import stat
import tempfile
from pathlib import Path

from app.domain import DomainError
from app.private_files import PRIVATE_FOLDER, empty_folder, process_alive, restrict_to_owner


def temp_root() -> Path:
    """The user's private folder inside the system temp folder (not created here)."""
    try:
        who = str(os.getuid()) if hasattr(os, "getuid") else getpass.getuser()
    except (KeyError, OSError):
        who = "user"
    return Path(tempfile.gettempdir()) / f"dsar-desk-{who}"


def process_temp_folder(root: Path | None = None) -> Path:
    """This process's private folder (created 0700 if need be), inside `temp_root()`."""
    root = temp_root() if root is None else root
    _ensure_private(root)
    folder = root / str(os.getpid())
    _ensure_private(folder)
    return folder


def empty_left_behind(root: Path | None = None) -> list[Path]:
    """At start: remove the folders of processes that are no longer running; return them."""
    root = temp_root() if root is None else root
    if not root.is_dir():
        return []
    _ensure_private(root)
    removed: list[Path] = []
    for entry in root.iterdir():
        if entry.name.isdigit() and process_alive(int(entry.name)):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                empty_folder(entry)
                os.chmod(entry, PRIVATE_FOLDER)
                entry.rmdir()
            else:
                entry.unlink()
            removed.append(entry)
    return removed


def remove_process_folder(root: Path | None = None) -> None:
    """At a clean exit: this process's copies go now rather than at the next start."""
    folder = (temp_root() if root is None else root) / str(os.getpid())
    if folder.is_dir() and not folder.is_symlink():
        empty_folder(folder)
        with contextlib.suppress(OSError):
            folder.rmdir()


def _ensure_private(folder: Path) -> None:
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=PRIVATE_FOLDER)
    st = folder.lstat()
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise DomainError(f"The temporary folder {folder} is not a plain folder; not using it.")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise DomainError(f"The temporary folder {folder} belongs to another user; not using it.")
    restrict_to_owner(folder)

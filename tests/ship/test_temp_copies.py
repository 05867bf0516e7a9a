"""Read-only copies of attachments (opened in the system viewer) are removed when the app
exits, on Windows too, where a read-only file cannot be deleted until it is made writable
(the old clean-up, shutil.rmtree(..., ignore_errors=True), silently left them there)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Windows's rule, on any system: deleting a file without the write bit fails.
_WINDOWS_RULE = """
import os, stat
from pathlib import Path

_unlink, _remove = Path.unlink, os.remove

def _refuse_read_only(path):
    if not os.stat(path, follow_symlinks=False).st_mode & stat.S_IWRITE:
        raise PermissionError(13, "Access is denied", str(path))

def unlink(self, missing_ok=False):
    if self.exists():
        _refuse_read_only(self)
    return _unlink(self, missing_ok=missing_ok)

def remove(path, *, dir_fd=None):
    _refuse_read_only(path)
    return _remove(path, dir_fd=dir_fd)

Path.unlink, os.remove, os.unlink = unlink, remove, remove
"""


def test_read_only_copies_are_gone_after_exit_under_windows_rules(tmp_path: Path) -> None:
    script = _WINDOWS_RULE + textwrap.dedent(
        f"""
        import atexit
        from datetime import date
        from app import cases
        from app.attachments import add_attachment, open_readonly_copy
        from app.domain import Channel, RequestType
        from app.private_temp import process_temp_folder, remove_process_folder
        from app.readmodels import RequesterDetails
        from app.store import open_store

        store = open_store({str(tmp_path / "store.sqlite")!r})
        case = cases.log_request(
            store, RequesterDetails(name="Zoë Adeyemi", email="zoe@example.org"),
            request_type=RequestType.ACCESS, channel=Channel.EMAIL, on=date(2026, 11, 2),
            today=date(2026, 11, 25),
        )
        scan = add_attachment(store, case.id, filename="passport.png",
                              content=b"\\x89PNG not really", kind="id_document")
        folder = process_temp_folder()
        atexit.register(remove_process_folder)  # as the attachments panel does
        copy = open_readonly_copy(store, scan.id, folder)
        try:
            copy.unlink()
        except PermissionError:
            print("read-only copy refused deletion, as on Windows")
        print(copy)
        store.close()
        """
    )
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "TEMP": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    refused, copy = result.stdout.splitlines()
    assert refused == "read-only copy refused deletion, as on Windows"
    copy_path = Path(copy)
    assert copy_path.is_relative_to(tmp_path / "tmp")
    assert not copy_path.exists()
    assert not copy_path.parent.exists()  # the process's folder went with it

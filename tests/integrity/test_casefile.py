"""Export case file and `dsar-desk verify FILE.zip`: an untouched export is verified offline,
an edited one is rejected, and without the key it says it cannot prove the file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.integrity.casefile import export_case_file
from app.integrity.casefile_check import verify_case_file
from tests.integrity.conftest import Desk

PROJECT = Path(__file__).resolve().parents[2]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui", "verify", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=env or dict(os.environ),
        timeout=120,
    )


def _rewrite(source: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def test_an_untouched_export_is_verified_offline(desk: Desk, tmp_path: Path) -> None:
    out = export_case_file(desk.store, desk.ann, tmp_path / "ann.zip")
    assert out.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert {"manifest.json", "case.json", "events.json", "searches.json"} <= names
    assert any(n.startswith("letters/") and n.endswith(".pdf") for n in names)
    assert any(n.startswith("attachments/") and n.endswith("passport.pdf") for n in names)
    assert manifest["chain_head"]["seq"] >= manifest["events"][-1][0]
    assert set(manifest["files"]) == names - {"manifest.json"}

    assert desk.store.chain is not None
    assert verify_case_file(out, desk.store.chain.key()).accepted
    # A desk's key is on this computer; a team server's stays on the server, and the DPO
    # exports it to check case files offline (dsar-desk team export-key, or the window's).
    key = ["--key", str(desk.store.chain.export_key(tmp_path / "server.key"))]
    result = _cli(str(out), *(key if desk.store.on_server else []))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("VERIFIED ann.zip (DSR-2026-0001)")


@pytest.mark.parametrize(
    "what",
    ["letter bytes", "event text, manifest re-hashed", "attachment removed", "case outcome"],
)
def test_an_edited_export_is_rejected(desk: Desk, tmp_path: Path, what: str) -> None:
    import hashlib

    out = export_case_file(desk.store, desk.ann, tmp_path / "ann.zip")
    hashes: dict[str, str] = {}

    def change(name: str, data: bytes) -> bytes | None:
        if what == "letter bytes" and name.startswith("letters/"):
            return data.replace(b"Northwind", b"Southwind", 1)
        if what == "attachment removed" and name.startswith("attachments/"):
            return None
        if what == "event text, manifest re-hashed" and name == "events.json":
            edited = data.replace(b"Phoned Ann to confirm her address.", b"Ann withdrew.")
            hashes[name] = hashlib.sha256(edited).hexdigest()
            return edited
        if what == "case outcome" and name == "case.json":
            case = json.loads(data)
            case["case"]["status"] = "closed"
            edited = json.dumps(case).encode()
            hashes[name] = hashlib.sha256(edited).hexdigest()
            return edited
        return data

    edited = _rewrite(out, tmp_path / "edited.zip", change)
    if hashes:  # a forger fixing the manifest's SHA-256s still cannot reseal it
        manifest = json.loads(zipfile.ZipFile(edited).read("manifest.json"))
        manifest["files"].update(hashes)
        edited = _rewrite(
            edited,
            tmp_path / "edited2.zip",
            lambda n, d: json.dumps(manifest).encode() if n == "manifest.json" else d,
        )
    check = verify_case_file(edited, desk.store.chain.key())  # type: ignore[union-attr]
    assert not check.accepted and check.problems
    result = _cli(str(edited))
    assert result.returncode == 1
    assert "REJECTED" in result.stderr


def test_without_the_key_it_says_so_and_an_exported_key_proves_it(
    desk: Desk, tmp_path: Path
) -> None:
    out = export_case_file(desk.store, desk.ann, tmp_path / "ann.zip")
    check = verify_case_file(out, None)
    assert check.problems == [] and check.unproved and not check.accepted
    elsewhere = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "elsewhere")}
    result = _cli(str(out), env=elsewhere)
    assert result.returncode == 2 and "NOT PROVED" in result.stdout
    assert desk.store.chain is not None
    key_file = desk.store.chain.export_key(tmp_path / "store.key")
    result = _cli(str(out), "--key", str(key_file), env=elsewhere)
    assert result.returncode == 0, result.stderr

"""`dsar-desk verify FILE.zip`: check an exported case file offline, with no store.

Accepts the file only if every file in it matches the manifest's SHA-256, nothing was added
or taken out, the manifest's seal holds under the store's key, every event's personal part
matches its hash (or was erased by a recorded erasure), every event's link holds, the events
are exactly those the manifest lists, the case matches the state its newest event recorded,
and every letter and attachment is the one the record fingerprinted.

The key is this computer's key for the store (app.integrity.keys), or an exported key file
given with `--key` (a team server keeps its key: a member of dsar_dpo exports it). Without a
key, everything but the seals is checked and the answer says the file cannot be proved
authentic here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain import EventKind
from app.integrity.casefile import FORMAT, MANIFEST
from app.integrity.chain import (
    ERASED_SUMMARY,
    canonical,
    event_body,
    link_holds,
    mac,
    personal_hash,
    split_details,
)
from app.integrity.keys import KeyFileError, KeyStore, read_key_file
from app.integrity.state import describe, differences, values_of

MAX_MEMBER_BYTES = 512 * 1024 * 1024


@dataclass
class CaseFileCheck:
    reference: str = ""
    problems: list[str] = field(default_factory=list)
    unproved: str = ""  # why the seals could not be checked here ("" when they were)

    @property
    def accepted(self) -> bool:
        return not self.problems and not self.unproved


def verify_case_file(
    path: Path, key: bytes | None, *, key_store_id: str | None = None
) -> CaseFileCheck:
    check = CaseFileCheck()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        check.problems.append(f"{path.name} is not a readable ZIP file ({exc}).")
        return check
    with archive:
        names = [i.filename for i in archive.infolist() if not i.is_dir()]
        if MANIFEST not in names:
            check.problems.append("The file has no manifest: it is not a DSAR Desk case file.")
            return check
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except ValueError:
            check.problems.append("The manifest is not valid JSON.")
            return check
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            check.problems.append("The manifest is not a DSAR Desk case file manifest.")
            return check
        check.reference = str(manifest.get("reference", ""))
        listed: dict[str, str] = dict(manifest.get("files") or {})
        contents: dict[str, bytes] = {}
        for name in names:
            if name == MANIFEST:
                continue
            info = archive.getinfo(name)
            if info.file_size > MAX_MEMBER_BYTES:
                check.problems.append(f"{name} is too large to be part of a case file.")
                continue
            data = archive.read(name)
            contents[name] = data
            if name not in listed:
                check.problems.append(f"{name} was added: it is not in the manifest.")
            elif hashlib.sha256(data).hexdigest() != listed[name]:
                check.problems.append(f"{name} was changed: it does not match its SHA-256.")
        for name in listed:
            if name not in contents:
                check.problems.append(f"{name} was removed from the file.")
    _check_seal(check, manifest, key, key_store_id)
    try:
        case = json.loads(contents.get("case.json", b"{}"))
        events = json.loads(contents.get("events.json", b"[]"))
    except ValueError:
        check.problems.append("case.json or events.json is not valid JSON.")
        return check
    _check_events(check, manifest, events, key)
    _check_case(check, case, events, contents)
    return check


def _check_seal(
    check: CaseFileCheck, manifest: dict[str, Any], key: bytes | None, key_store_id: str | None
) -> None:
    if key is None:
        check.unproved = (
            "no verification key for this store is on this computer (give one with --key)"
        )
        return
    if key_store_id is not None and key_store_id != manifest.get("store_id"):
        check.unproved = "the key given belongs to another store"
        return
    unsealed = {k: v for k, v in manifest.items() if k != "seal"}
    seal = manifest.get("seal")
    if not isinstance(seal, str) or seal != mac(key, canonical(unsealed)):
        check.problems.append("The manifest's seal does not hold: the file was altered or re-made.")


def _check_events(
    check: CaseFileCheck, manifest: dict[str, Any], events: list[dict[str, Any]], key: bytes | None
) -> None:
    listed = [list(pair) for pair in manifest.get("events") or []]
    found = [[e.get("seq"), e.get("link")] for e in events]
    if found != listed:
        check.problems.append(
            "The events are not those the manifest lists (added, removed or reordered)."
        )
    erased_at = max(
        (e.get("seq") or 0 for e in events if e.get("kind") == EventKind.ERASED), default=0
    )
    for e in events:
        where = f"Event {e.get('id')} ({str(e.get('kind', '')).replace('_', ' ')})"
        details = e.get("details") or {}
        public, personal = split_details(details)
        salt = e.get("salt")
        if salt is not None:
            if personal_hash(salt, e.get("summary", ""), personal) != e.get("personal_hash"):
                check.problems.append(f"{where}: its text was changed.")
        elif e.get("summary") != ERASED_SUMMARY or personal or (e.get("seq") or 0) > erased_at:
            check.problems.append(f"{where}: its erased text was replaced.")
        body = event_body(
            seq=e.get("seq") or 0,
            case_id=e.get("case_id") or 0,
            at=e.get("at", ""),
            actor=e.get("actor", ""),
            kind=e.get("kind", ""),
            public_details=public,
            personal_hash=e.get("personal_hash") or "",
            state=e.get("state"),
        )
        holds = link_holds(key, e.get("previous_link") or "", body, e.get("link") or "")
        if holds is False:
            check.problems.append(f"{where}: it was altered (its seal does not hold).")
        if details.get("changed_outside_app"):
            check.problems.append(
                f"{where}: before it, the case's {describe(list(details['changed_outside_app']))} "
                "had been changed outside DSAR Desk."
            )


def _check_case(
    check: CaseFileCheck,
    case: dict[str, Any],
    events: list[dict[str, Any]],
    contents: dict[str, bytes],
) -> None:
    last = events[-1] if events else None
    if last is None or last.get("state") is None:
        check.problems.append("The case has no recorded state to check it against.")
    else:
        values = values_of(case.get("case") or {}, case.get("requester") or {})
        changed = differences(last["state"], last.get("salt"), values)
        if changed:
            check.problems.append(f"The case's {describe(changed)} differ from its record.")
    recorded = {
        (kind, int(e["details"][field])): e["details"].get("sha256")
        for e in events
        for kind, field, event_kind in (
            ("letter", "letter_id", EventKind.LETTER_GENERATED),
            ("attachment", "attachment_id", EventKind.ATTACHMENT_ADDED),
        )
        if e.get("kind") == event_kind and field in (e.get("details") or {})
    }
    for kind, items in (
        ("letter", case.get("letters") or []),
        ("attachment", case.get("attachments") or []),
    ):
        for item in items:
            if recorded.get((kind, int(item.get("id", 0)))) != item.get("sha256"):
                label = item.get("file") or item.get("filename")
                check.problems.append(f"The {kind} {label} is not the one on the record.")
            name = item.get("file")
            if (
                name
                and name in contents
                and hashlib.sha256(contents[name]).hexdigest() != item.get("sha256")
            ):
                check.problems.append(f"{name} does not match the SHA-256 on the record.")


def main(argv: Sequence[str]) -> int:
    """`dsar-desk verify FILE.zip [--key KEYFILE]`: 0 accepted, 1 rejected, 2 not provable."""
    parser = argparse.ArgumentParser(
        prog="dsar-desk verify", description="Check an exported DSAR Desk case file offline."
    )
    parser.add_argument("file", type=Path, help="the case file (.zip) to check")
    parser.add_argument(
        "--key",
        type=Path,
        help="an exported verification key file (a team server's is exported by a member of "
        "dsar_dpo, the only role that can read it: Settings > Export verification key, or "
        "dsar-desk team export-key URL FILE)",
    )
    args = parser.parse_args(list(argv))
    store_id = _store_id(args.file)
    key, key_store = None, None
    if args.key is not None:
        try:
            key_store, key = read_key_file(args.key)
        except KeyFileError as error:
            print(f"dsar-desk verify: {error}", file=sys.stderr)
            return 2
    elif store_id:
        key = KeyStore.for_user().get(store_id)
    check = verify_case_file(args.file, key, key_store_id=key_store)
    name = f"{args.file.name} ({check.reference})" if check.reference else args.file.name
    if check.problems:
        print(f"REJECTED {name}:", file=sys.stderr)
        for problem in check.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    if check.unproved:
        print(f"NOT PROVED {name}: its contents are consistent, but {check.unproved}.")
        return 2
    print(f"VERIFIED {name}: every file, event and seal holds.")
    return 0


def _store_id(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            return str(json.loads(archive.read(MANIFEST)).get("store_id", ""))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return ""

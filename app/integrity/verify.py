"""Verify records: walk the whole chain and every stored file, and report each break by case
and event, in words for the DPO.

What is checked:
- every event is sealed, in an unbroken sequence, by a link only the key could have made;
- every event's personal part still matches its salted hash (or was erased by a recorded
  retention erasure);
- every case row matches the state its newest event recorded, and no event recorded a change
  made outside the app;
- every letter and attachment matches its SHA-256, and that matches the fingerprint put on the
  record when it was kept;
- the store's append-only guard is still in place.

Reads in batches with a progress callback that can stop it, so the window stays responsive
and a large store never sits in memory at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.backups import Cancelled
from app.domain import EventKind
from app.integrity.chain import (
    ERASED_SUMMARY,
    UNKEYED,
    event_body,
    link_holds,
    personal_hash,
    split_details,
)
from app.integrity.seal import KeyStatus
from app.integrity.state import (
    CASE_PERSONAL,
    CASE_PUBLIC,
    REQUESTER_PERSONAL,
    describe,
    differences,
    values_of,
)
from app.models import Attachment, Case, CaseEvent, Letter, Requester
from app.store import Store

Progress = Callable[[int, int], bool]
BATCH = 2000
FILE_BATCH = 50  # rows that carry a PDF or a scan each
PROGRESS_EVERY = 500
GUARDS = ("case_events_no_update", "case_events_no_delete")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing found. `broken` findings are evidence of a change; the others say what
    could not be proved here."""

    broken: bool
    message: str
    reference: str | None = None
    case_id: int | None = None
    event_id: int | None = None
    event_seq: int | None = None

    def __str__(self) -> str:
        where = self.reference or "The store"
        if self.event_id is not None:
            where += f", event {self.event_id}"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class VerifyReport:
    key_status: KeyStatus
    events: int = 0
    cases: int = 0
    letters: int = 0
    attachments: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def breaks(self) -> list[Finding]:
        return [f for f in self.findings if f.broken]

    @property
    def notices(self) -> list[Finding]:
        return [f for f in self.findings if not f.broken]

    @property
    def sound(self) -> bool:
        """Every check passed, with the key: nothing was altered unseen."""
        return not self.findings and self.key_status.verifiable

    def summary(self) -> str:
        checked = (
            f"{_count(self.events, 'event')}, {_count(self.cases, 'case')}, "
            f"{_count(self.letters, 'letter')} and {_count(self.attachments, 'attachment')} "
            "checked."
        )
        if self.breaks:
            count = len(self.breaks)
            return f"{count:,} break{'s' if count != 1 else ''} found. {checked}"
        if not self.key_status.verifiable:
            return f"The records cannot be verified here: {KEY_PROBLEMS[self.key_status]} {checked}"
        if self.notices:
            return f"No break found, but not everything could be proved. {checked}"
        return f"All records verified: nothing was altered. {checked}"


KEY_PROBLEMS = {
    KeyStatus.MISSING: "this computer does not have the store's verification key (import it "
    "under Settings ▸ Verification key).",
    KeyStatus.OTHER: "the verification key on this computer is not the one that sealed this store.",
    KeyStatus.DENIED: "on a team server only the DPO's role (dsar_dpo) may read the "
    "verification key, so only the DPO can verify the records.",
    KeyStatus.PRESENT: "",
}


def _no_progress(done: int, total: int) -> bool:
    return True


def verify_store(store: Store, progress: Progress = _no_progress) -> VerifyReport:
    """Check everything; raise Cancelled if `progress` says stop."""
    chain = store.chain
    if chain is None:
        raise RuntimeError("This store has no event chain.")
    key = chain.key()
    report = VerifyReport(chain.key_status())
    with store.read() as session:
        total = sum(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (CaseEvent, Letter, Attachment)
        )
        checker = _Checker(session, key, report, progress, total)
        checker.events()
        checker.cases()
        checker.files()
        checker.guards(session)
    if not report.key_status.verifiable and report.events:
        report.findings.insert(
            0,
            Finding(
                False, "The records cannot be verified here: " + KEY_PROBLEMS[chain.key_status()]
            ),
        )
    return report


class _Checker:
    def __init__(
        self,
        session: Session,
        key: bytes | None,
        report: VerifyReport,
        progress: Progress,
        total: int,
    ) -> None:
        self.session = session
        self.key = key
        self.report = report
        self.progress = progress
        self.total = total
        self.done = 0
        self.references = {
            r.id: r.reference for r in session.execute(select(Case.id, Case.reference))
        }
        self.last: dict[int, tuple[int, dict[str, Any] | None, str | None, int]] = {}
        self.erased_at: dict[int, int] = {}  # case id -> seq of its erasure event
        self.blanked: list[tuple[int, int, int]] = []  # (case id, event id, seq)
        self.fingerprints: dict[tuple[str, int], tuple[str, int, int]] = {}
        self.unkeyed: dict[int, list[int]] = {}

    def _step(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0 and not self.progress(self.done, self.total):
            raise Cancelled()

    def _break(self, message: str, case_id: int | None = None, event: Any = None) -> None:
        self._add(True, message, case_id, event)

    def _add(self, broken: bool, message: str, case_id: int | None, event: Any) -> None:
        reference = self.references.get(case_id) if case_id is not None else None
        if case_id is not None and reference is None:
            reference = f"Case id {case_id} (no longer in the store)"
        self.report.findings.append(
            Finding(
                broken,
                message,
                reference,
                case_id,
                getattr(event, "id", None),
                getattr(event, "seq", None),
            )
        )

    # -- the chain ---------------------------------------------------------------------------

    def _rows(self, statement: Any, batch: int = BATCH) -> Iterator[Any]:
        yield from self.session.execute(statement.execution_options(yield_per=batch))

    def events(self) -> None:
        for event in self._rows(select(CaseEvent).where(CaseEvent.seq.is_(None))):
            self.report.events += 1
            self._break(
                "this event is not sealed into the chain: it was added outside DSAR Desk.",
                event.CaseEvent.case_id,
                event.CaseEvent,
            )
        previous: tuple[int, int, str] | None = None  # (seq, id, link)
        statement = select(CaseEvent).where(CaseEvent.seq.is_not(None)).order_by(CaseEvent.seq)
        for row in self._rows(statement):
            event: CaseEvent = row.CaseEvent
            self.report.events += 1
            self._step()
            self._event(event, previous)
            previous = (int(event.seq or 0), event.id, event.link or "")
            self.session.expunge(event)
        for case_id, event_id, seq in self.blanked:
            if self.erased_at.get(case_id, 0) < seq:
                self._add(
                    True,
                    "this event's text was blanked, but no retention erasure of the case is on "
                    "the record.",
                    case_id,
                    _At(event_id, seq),
                )
        for case_id, seqs in self.unkeyed.items():
            self._add(
                False,
                f"{len(seqs)} event{'s were' if len(seqs) != 1 else ' was'} written where the "
                "verification key was missing (or re-sealed by someone without it), so cannot "
                "be proved unaltered.",
                case_id,
                None,
            )

    def _event(self, event: CaseEvent, previous: tuple[int, int, str] | None) -> None:
        seq = int(event.seq or 0)
        case_id = event.case_id
        expected = 1 if previous is None else previous[0] + 1
        details = dict(event.details or {})
        public, personal = split_details(details)
        body = event_body(
            seq=seq,
            case_id=case_id,
            at=event.at,
            actor=event.actor,
            kind=event.kind,
            public_details=public,
            personal_hash=event.personal_hash or "",
            state=event.state,
        )
        if seq != expected:
            missing = seq - expected
            self._break(
                f"{missing} event{'s' if missing != 1 else ''} before this one "
                f"{'were' if missing != 1 else 'was'} deleted from the record."
                if missing > 0
                else "this event's place in the record was changed.",
                case_id,
                event,
            )
        else:
            if previous is not None and previous[1] > event.id:
                self._break("the events around this one were reordered.", case_id, event)
            holds = link_holds(self.key, previous[2] if previous else "", body, event.link or "")
            if holds is False:
                self._break(
                    f"this {_kind(event.kind)} event was altered after it was written (its "
                    "date, kind, author, recorded state or figures no longer match its seal).",
                    case_id,
                    event,
                )
            elif (event.link or "").startswith(UNKEYED) and self.key is not None:
                self.unkeyed.setdefault(case_id, []).append(seq)
        if event.salt is not None:
            if personal_hash(event.salt, event.summary, personal) != event.personal_hash:
                self._break(
                    f"the text of this {_kind(event.kind)} event was changed after it was written.",
                    case_id,
                    event,
                )
        elif event.summary != ERASED_SUMMARY or personal:
            self._break("this event's erased text was replaced with other text.", case_id, event)
        else:
            self.blanked.append((case_id, event.id, seq))
        if details.get("changed_outside_app"):
            self._break(
                "before this event, the case's "
                f"{describe(list(details['changed_outside_app']))} had been changed outside "
                "DSAR Desk.",
                case_id,
                event,
            )
        if event.kind == EventKind.ERASED:
            self.erased_at[case_id] = seq
        if event.kind == EventKind.LETTER_GENERATED and "letter_id" in details:
            self.fingerprints[("letter", int(details["letter_id"]))] = (
                str(details.get("sha256", "")),
                case_id,
                event.id,
            )
        if event.kind == EventKind.ATTACHMENT_ADDED and "attachment_id" in details:
            self.fingerprints[("attachment", int(details["attachment_id"]))] = (
                str(details.get("sha256", "")),
                case_id,
                event.id,
            )
        self.last[case_id] = (seq, event.state, event.salt, event.id)

    # -- case rows ---------------------------------------------------------------------------

    def cases(self) -> None:
        columns = [getattr(Case, c) for c in (*CASE_PUBLIC, *CASE_PERSONAL)]
        people = [getattr(Requester, c).label(f"r_{c}") for c in REQUESTER_PERSONAL]
        statement = select(Case.id, *columns, *people).join(Requester).order_by(Case.id)
        for row in self._rows(statement):
            self.report.cases += 1
            mapping = row._mapping
            values = values_of(
                {c: mapping[c] for c in (*CASE_PUBLIC, *CASE_PERSONAL)},
                {c: mapping[f"r_{c}"] for c in REQUESTER_PERSONAL},
            )
            last = self.last.pop(row.id, None)
            if last is None:
                self._break("this case has no event on its record.", row.id)
                continue
            seq, state, salt, last_id = last
            if state is None:
                self._add(
                    False, "this case's state was not recorded by its last event.", row.id, None
                )
                continue
            changed = differences(state, salt, values)
            if changed:
                verb = "differs" if len(changed) == 1 else "differ"
                self._break(
                    f"the case's {describe(changed)} {verb} from what its newest event "
                    "recorded: changed outside DSAR Desk.",
                    row.id,
                    _At(last_id, seq),
                )
        for case_id in self.last:
            self._break("this case was deleted, but its events remain.", case_id)

    # -- letters and attachments ------------------------------------------------------------

    def files(self) -> None:
        for row in self._rows(
            select(
                Letter.id, Letter.case_id, Letter.stage, Letter.version, Letter.sha256, Letter.pdf
            ),
            FILE_BATCH,
        ):
            self.report.letters += 1
            self._step()
            self._file(
                "letter",
                row.id,
                row.case_id,
                f"the letter '{row.stage.replace('_', ' ')}' (version {row.version})",
                row.sha256,
                row.pdf,
            )
        for row in self._rows(
            select(
                Attachment.id,
                Attachment.case_id,
                Attachment.filename,
                Attachment.sha256,
                Attachment.content,
            ),
            FILE_BATCH,
        ):
            self.report.attachments += 1
            self._step()
            self._file(
                "attachment",
                row.id,
                row.case_id,
                f"the attachment '{row.filename}'",
                row.sha256,
                row.content,
            )

    def _file(
        self, kind: str, row_id: int, case_id: int, name: str, sha: str, content: bytes | None
    ) -> None:
        recorded = self.fingerprints.get((kind, row_id))
        if isinstance(content, str):  # a forger's SQL can turn a blob into text
            content = content.encode("utf-8", "surrogateescape")
        if content is not None and hashlib.sha256(content).hexdigest() != sha:
            self._break(f"{name} does not match its SHA-256: its content was changed.", case_id)
        if recorded is None:
            self._break(f"{name} is not on the case's record.", case_id)
        elif recorded[0] != sha or recorded[1] != case_id:
            self._add(
                True,
                f"{name} is not the file recorded by this event (its fingerprint differs): the "
                "file was swapped.",
                case_id,
                _At(recorded[2], None),
            )

    # -- the store's own guard ----------------------------------------------------------------

    def guards(self, session: Session) -> None:
        dialect = session.get_bind().dialect.name
        if dialect == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        elif dialect == "postgresql":
            query = (
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'case_events'::regclass "
                "AND tgenabled <> 'D'"
            )
        else:
            return
        present = {row[0] for row in session.execute(text(query))}
        for name in GUARDS:
            if name not in present:
                self._break(
                    f"the store's append-only guard ({name}) was removed: someone set out to "
                    "edit the record.",
                )


@dataclass(frozen=True, slots=True)
class _At:
    id: int
    seq: int | None


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _kind(kind: str) -> str:
    return kind.replace("_", " ")

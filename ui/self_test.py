"""`dsar-desk --self-test`: does this installed copy work? One line out, exit code 0 or 1.

A frozen bundle fails in ways the test suite cannot see: a module PyInstaller did not find,
a data file left out (migrations, fonts, letter templates), a Qt plugin or shared library
missing. So the self-test walks the paths a DPO's first day takes, in the bundle itself:
a new store (Alembic migrations), letters for names in four scripts with their fonts
embedded, an Outlook .msg and an .eml read into intake drafts, the fonts registered with Qt,
the main window built (offscreen), a disclosure bundle made from a Word document and a
picture with a third party's name redacted (python-docx, Pillow, PDFium, pikepdf: native
libraries a freezer can lose), and the third-party notices Help ▸ About shows read
(in a bundle, the file beside the executable). Everything happens in a temporary folder that is
deleted afterwards; nothing is written to the user's store or settings.
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from importlib.resources import files
from pathlib import Path

import docx
from PIL import Image
from PySide6.QtCore import QMessageLogContext, QSettings, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app import cases
from app.disclosure import add_item, build_bundle, mark_reviewed, redact_term
from app.disclosure.pages import find, open_pdf
from app.domain import Channel, Outcome, RequestType
from app.email_intake import read_email
from app.formatting import uk_long_date
from app.integrity.keys import KeyStore
from app.letters import render_letter
from app.migrations import SCHEMA_HEAD
from app.notices import read_notices
from app.readmodels import CaseDetail, RequesterDetails
from app.searches import leave_out, plan
from app.settings import OrgSettings, save_settings
from app.store import Store, open_store
from ui.fonts import register_bundled_fonts
from ui.main_window import MainWindow
from ui.signals import StoreSignals

# One name per script the letters must print; each needs its font embedded in the PDF.
NAMES = (
    ("Latin", "Zoë Adeyemi-Łukasz", "DejaVuSans"),
    ("Greek", "Ελένη Παπαδοπούλου", "DejaVuSans"),
    ("Chinese", "王小明", "DroidSansFallback"),
    ("Arabic", "محمد الأحمد", "NotoSansArabic"),
)
THIRD_PARTY = "John Smith"  # named in the disclosure check's Word document, and redacted
QT_FAMILIES = ("DejaVu Sans", "Droid Sans Fallback", "Noto Sans Arabic")
SELF_TEST_ORG = OrgSettings(
    org_name="Self-test Ltd",
    org_address="1 Test Street\nLeeds\nLS1 1AA",
    org_email="privacy@selftest.example",
    org_phone="0113 000 0000",
    dpo_name="Sam Tester",
    dpo_title="Data Protection Officer",
    # What an access outcome letter (the bundle's cover letter) must state (Art. 15(1)).
    purposes="Testing this copy of DSAR Desk.",
    categories="Contact details.",
    recipients="None.",
    retention="Deleted when the self-test ends.",
    source="The self-test itself.",
    automated_decisions="None.",
    transfer_safeguards="No transfers outside the UK.",
)


class SelfTestFailed(Exception):
    """A check did not hold; the message says what was expected and what was found."""


def run_self_test(*, today: date | None = None) -> int:
    """Run every check; print one line (stdout on success, stderr with the reason if not)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen needed, and no window shown
    started = time.perf_counter()
    timings: list[str] = []
    failed_at = "start"
    previous_handler = qInstallMessageHandler(_quiet_offscreen)
    try:
        with tempfile.TemporaryDirectory(prefix="dsar-desk-self-test-") as folder:
            store_path = Path(folder) / "self-test.sqlite"
            checks: list[tuple[str, Callable[[], str]]] = [
                # In the order of a first start, so "shown … after the program started"
                # is the cold start: the window on a new, empty store.
                ("store", lambda: _check_store(store_path)),
                ("fonts", _check_qt_fonts),
                ("window", lambda: _check_window(store_path, Path(folder))),
                ("letters", lambda: _check_letters(store_path, today or date.today())),
                ("email", _check_email),
                ("disclosure", lambda: _check_disclosure(store_path, today or date.today())),
                ("team server driver", _check_team_driver),
                ("notices", _check_notices),
            ]
            for name, check in checks:
                failed_at = name
                begun = time.perf_counter()
                detail = check()
                timings.append(f"{detail} ({time.perf_counter() - begun:.2f} s)")
    except Exception as error:  # any failure at all is the answer: say it and exit non-zero
        reason = str(error) or type(error).__name__
        print(f"dsar-desk self-test FAILED at {failed_at}: {reason}", file=sys.stderr)
        return 1
    finally:
        qInstallMessageHandler(previous_handler)
    total = time.perf_counter() - started
    print(f"dsar-desk self-test passed in {total:.2f} s: " + "; ".join(timings))
    return 0


def _throwaway_keys(store_path: Path) -> KeyStore:
    """The test store's chain key lives and dies in the temporary folder, never among the
    user's keys (a real store's key is never kept beside it)."""
    return KeyStore(store_path.parent / "keys", use_keyring=False)


def _store(store_path: Path) -> Store:
    return open_store(store_path, keys=_throwaway_keys(store_path))


def _check_store(store_path: Path) -> str:
    store = _store(store_path)
    try:
        with store.engine.connect() as connection:
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            found = revision.scalar_one()
    finally:
        store.close()
    _expect(found == SCHEMA_HEAD, f"schema at revision {found}, expected {SCHEMA_HEAD}")
    return f"new store migrated to {found}"


def _check_letters(store_path: Path, today: date) -> str:
    store = _store(store_path)
    try:
        save_settings(store, SELF_TEST_ORG)
        for script, name, font in NAMES:
            pdf = _letter_for(store, name, today)
            _expect(pdf.startswith(b"%PDF-"), f"the {script} letter is not a PDF")
            fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([A-Za-z-]+)", pdf))
            _expect(
                any(f.decode().startswith(font) for f in fonts),
                f"the {script} letter does not embed {font} (embeds {sorted(fonts)})",
            )
            # Dated as a UK reader writes it, whatever the machine's locale (Babel's en_GB
            # data, which the bundle keeps while it leaves the other locales out).
            dated = uk_long_date(today)
            with open_pdf(pdf, f"The {script} letter") as document:
                _expect(bool(find(document, dated)), f"the {script} letter is not dated {dated}")
    finally:
        store.close()
    return f"{len(NAMES)} letters (Latin, Greek, Chinese, Arabic) with their fonts, dated {dated}"


def _letter_for(store: Store, name: str, today: date) -> bytes:
    case = _letter_case(store, name, today)
    return render_letter(store, case.id, "acknowledgement", today=today)


def _letter_case(store: Store, name: str, today: date) -> CaseDetail:
    return cases.log_request(
        store,
        RequesterDetails(name=name, email="requester@example.org", postal_address="1 Road\nLeeds"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=today,
        today=today,
    )


def _check_email() -> str:
    samples = files("resources.selftest")
    msg = read_email(samples.joinpath("intake.msg").read_bytes(), "intake.msg")
    _expect(
        (msg.name, msg.email, msg.received_on)
        == ("Ελένη Παπαδοπούλου", "eleni@example.org", date(2026, 11, 9)),
        f"the .msg read as {msg.name!r} <{msg.email}> on {msg.received_on}",
    )
    eml = read_email(samples.joinpath("intake.eml").read_bytes(), "intake.eml")
    _expect(
        (eml.name, eml.email, eml.received_on)
        == ("王小明", "xiaoming@example.org", date(2026, 11, 9)),
        f"the .eml read as {eml.name!r} <{eml.email}> on {eml.received_on}",
    )
    for draft in (msg, eml):
        _expect(
            draft.description.startswith("Subject: Subject access request"),
            f"{draft.original_filename}'s subject was not read",
        )
    return "read intake.msg and intake.eml"


def _check_disclosure(store_path: Path, today: date) -> str:
    """A closed access case's bundle: cover letter, schedule, a Word document (python-docx)
    and a picture (Pillow) as pages, a third party's name found (PDFium) and burned out,
    the whole assembled and stamped (pikepdf). The name must be gone from the result."""
    store = _store(store_path)
    try:
        case = _letter_case(store, "Zoë Adeyemi-Łukasz", today)
        add_item(store, case.id, filename="review.docx", content=_word_document())
        add_item(store, case.id, filename="visitors.png", content=_picture())
        hits = redact_term(store, case.id, THIRD_PARTY, reason="Third-party personal data")
        _expect(bool(hits), f"{THIRD_PARTY!r} was not found in the Word document's pages")
        for task in plan(store, case.id):
            leave_out(store, task.id, reason="Self-test: nothing to search")
        cases.close(store, case.id, outcome=Outcome.FULFILLED, on=today, today=today)
        mark_reviewed(store, case.id)
        pdf = build_bundle(store, case.id)
    finally:
        store.close()
    with open_pdf(pdf, "The self-test bundle") as document:
        pages = len(document)
        left = find(document, THIRD_PARTY)
    _expect(not left, f"the redacted name is still on page(s) {[hit.page for hit in left]}")
    return f"disclosure bundle of {pages} pages with a redaction burned in"


def _word_document() -> bytes:
    document = docx.Document()
    document.add_heading("Call notes", 1)
    document.add_paragraph(f"Spoke to the requester; {THIRD_PARTY} from finance joined.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _picture() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 220, 240)).save(buffer, format="PNG")
    return buffer.getvalue()


def _check_team_driver() -> str:
    """SQLAlchemy imports the team server's driver by name when a `postgresql://` store
    opens, so a freezer that misses it gives a bundle whose team mode fails at the first
    connection; this engine is built as `--store postgresql://…` builds it (no connection)."""
    from sqlalchemy import create_engine

    from app.team.address import parse_address

    address = parse_address("postgresql://selftest@127.0.0.1:5432/dsar")
    engine = create_engine(address.url(), connect_args=address.connect_args())
    try:
        driver = engine.dialect.dbapi
        _expect(driver is not None, "the team server driver did not load")
        return f"team server driver {driver.__name__} {driver.__version__} loads"
    finally:
        engine.dispose()


def _check_qt_fonts() -> str:
    _application()
    families = register_bundled_fonts()
    missing = [family for family in QT_FAMILIES if family not in families]
    _expect(not missing, f"Qt did not register {missing} (registered {list(families)})")
    return f"{len(families)} font families registered with Qt"


def _check_window(store_path: Path, folder: Path) -> str:
    app = _application()
    store = _store(store_path)
    signals = StoreSignals()
    # Window geometry goes to the temporary folder, never to the user's settings.
    settings = QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, signals, settings)
    try:
        window.show()
        app.processEvents()
        launched = seconds_since_launch()
        rows = window.model.rowCount()
        _expect(rows == 0, f"the case list of a new store shows {rows} cases")
        _expect(not window.grab().isNull(), "the main window could not be drawn")
    finally:
        window.close()  # closes the store too
        window.deleteLater()
        app.processEvents()
    when = "" if launched is None else f", shown {launched:.2f} s after the program started"
    return f"main window built{when}"


def seconds_since_launch() -> float | None:
    """How long ago the OS started this process (the bundle's cold start, bootloader and
    imports included); on Linux from /proc, elsewhere unknown (None)."""
    try:
        after_name = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started_ticks = int(after_name[19])  # field 22, starttime, in clock ticks since boot
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - started_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _check_notices() -> str:
    """Help ▸ About shows THIRD-PARTY-NOTICES.txt (beside the executable in a bundle)."""
    text = read_notices()
    components = text.split("SOURCE CODE OFFER")[0]
    listed = [line for line in components.splitlines() if line.startswith("  - ")]
    for needed in ("PySide6", "python-bidi"):
        _expect(f"  - {needed} " in components, f"the notices do not list {needed}")
    _expect("SOURCE CODE OFFER" in text, "the notices carry no LGPL source offer")
    return f"notices list {len(listed)} components with the LGPL source offer"


def _application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    return QApplication(["dsar-desk", "--self-test"])


def _quiet_offscreen(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's offscreen platform says this of every shown window; anything else is printed."""
    if "does not support propagateSizeHints" not in message:
        print(f"Qt: {message}", file=sys.stderr)


def _expect(condition: bool, failure: str) -> None:
    if not condition:
        raise SelfTestFailed(failure)

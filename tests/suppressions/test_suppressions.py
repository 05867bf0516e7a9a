"""The suppression list window (driven by objectName), its CSV export, and the intake
warnings for a suppressed contact or another open case of the same email or folded name."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView

from app import cases
from app.domain import Channel, Outcome, RequestType
from app.formatting import uk_date
from app.readmodels import RequesterDetails
from app.store import Store
from app.suppressions import list_suppressions
from tests.ui.test_accessibility import unnamed
from ui.intake_dialog import IntakeDialog
from ui.signals import StoreSignals
from ui.suppression_window import SuppressionWindow

TODAY = date(2026, 11, 25)


def opt_out(store: Store, name: str, email: str, *, close: bool = True) -> int:
    case_id = cases.log_request(
        store,
        RequesterDetails(name=name, email=email),
        request_type=RequestType.MARKETING_OPT_OUT,
        channel=Channel.EMAIL,
        on=date(2026, 11, 2),
        today=TODAY,
    ).id
    if close:
        cases.close(store, case_id, outcome=Outcome.FULFILLED, on=date(2026, 11, 3), today=TODAY)
    return case_id


@pytest.fixture
def suppressed(store: Store) -> dict[str, int]:
    return {
        "zoe": opt_out(store, "Zoë O'Brien", "Zoe.OBrien@Example.org"),
        "formula": opt_out(store, "=cmd|' /C calc'!A0", "calc@example.org"),
        "open": opt_out(store, "Jürgen Müller", "jm@example.de", close=False),
    }


def test_the_window_lists_searches_and_exports(
    qtbot, store: Store, suppressed, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = SuppressionWindow(store, StoreSignals())
    qtbot.addWidget(window)
    window.show()
    assert unnamed(window) == []
    table = window.findChild(QTableView, "suppressionTable")
    model = table.model()
    assert model.rowCount() == 2  # the open opt-out is not suppressed yet
    emails = {model.index(r, 0).data() for r in range(model.rowCount())}
    assert emails == {"zoe.obrien@example.org", "calc@example.org"}
    search = window.findChild(QLineEdit, "suppressionSearchEdit")
    qtbot.keyClicks(search, "zoe")  # finds Zoë: accents folded
    assert model.rowCount() == 1
    assert model.index(0, 1).data() == "Zoë O'Brien"
    assert model.index(0, 2).data() == uk_date(datetime.now().astimezone().date())
    reference = cases.get_case(store, suppressed["zoe"]).reference
    assert model.index(0, 3).data() == reference
    opened: list[int] = []
    window.openCaseRequested.connect(opened.append)
    table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened == [suppressed["zoe"]]
    search.clear()
    assert window.export(tmp_path / "s.csv") == 2
    rows = list(csv.reader(io.StringIO((tmp_path / "s.csv").read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["Email", "Name", "Suppressed on", "Case"]
    assert rows[1] == ["calc@example.org", "'=cmd|' /C calc'!A0", rows[1][2], rows[1][3]]
    assert rows[2][:2] == ["zoe.obrien@example.org", "Zoë O'Brien"]


def test_closing_an_opt_out_adds_it_and_the_window_follows(qtbot, store: Store, suppressed) -> None:  # type: ignore[no-untyped-def]
    signals = StoreSignals()
    window = SuppressionWindow(store, signals)
    qtbot.addWidget(window)
    cases.close(store, suppressed["open"], outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    signals.case_changed.emit(suppressed["open"])
    assert window.model.rowCount() == 3
    assert [s.email for s in list_suppressions(store, "MULLER")] == ["jm@example.de"]


def test_intake_warns_of_a_suppressed_contact_and_a_same_name_case(
    qtbot, store: Store, suppressed
) -> None:  # type: ignore[no-untyped-def]
    dialog = IntakeDialog(store, StoreSignals(), today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    warning = dialog.findChild(QLabel, "duplicateCaseLabel")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "requesterEmailEdit"), "zoe.obrien@example.org")
    assert warning.isVisible()
    assert "suppression list" in warning.text()
    assert dialog.is_suppressed_contact()
    name = dialog.findChild(QLineEdit, "requesterNameEdit")
    qtbot.keyClicks(name, "JURGEN MULLER")  # the open opt-out's requester, folded
    reference = cases.get_case(store, suppressed["open"]).reference
    assert (
        f'same name has an open case: <a href="case:{suppressed["open"]}">{reference}</a>'
        in warning.text()
    )
    assert dialog.duplicate_case_ids() == [suppressed["open"]]
    name.clear()
    dialog.findChild(QLineEdit, "requesterEmailEdit").clear()
    assert not warning.isVisible()


def test_an_imported_email_from_a_suppressed_contact_is_warned_of(
    qtbot, store: Store, suppressed
) -> None:  # type: ignore[no-untyped-def]
    from app.readmodels import IntakeDraft

    draft = IntakeDraft(name="Zoe OBrien", email="ZOE.OBRIEN@example.org", received_on=TODAY)
    dialog = IntakeDialog(store, StoreSignals(), draft=draft, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    warning = dialog.findChild(QLabel, "duplicateCaseLabel")
    assert warning.isVisible()
    assert "suppression list" in warning.text()
    assert dialog.is_suppressed_contact()

"""The letter dialog: stage combo, preview from the real PDF, save, print through QPrinter
to a PDF file read back with pypdf, and "sent by post" on the timeline."""

from __future__ import annotations

import io
import stat
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app import cases
from app.domain import Channel, EventKind, Outcome, RequestType
from app.letters import generate_letter
from app.letters.records import letter_pdf, list_letters
from app.letters.stages import Stage
from app.readmodels import CaseDetail, RequesterDetails
from app.settings import (
    MissingLetterhead,
    OrgSettings,
    load_settings,
    missing_letterhead,
    save_settings,
)
from app.store import Store, open_store
from tests.conftest import TODAY, finish_search_record, write_lock_held
from tests.letters import conftest as letter_fixtures
from tests.letters.conftest import LogCase, pdf_text
from tests.ui.conftest import visible_error_box
from ui.letter_dialog import LetterDialog
from ui.signals import StoreSignals

org_store = letter_fixtures.org_store  # the store with the organisation's settings
log_case = letter_fixtures.log_case


@pytest.fixture
def dialog(qtbot: QtBot, org_store: Store, log_case: LogCase) -> LetterDialog:
    case = log_case(name="<b>Ann</b> & Co 王小明", request_type=RequestType.ERASURE)
    signals = StoreSignals()
    widget = LetterDialog(org_store, case.id, signals, today=TODAY)
    qtbot.addWidget(widget)
    widget.signals_for_test = signals  # type: ignore[attr-defined]
    return widget


def _request_identity(dialog: LetterDialog) -> None:
    cases.request_identity(
        dialog.store, dialog.case_id, on=TODAY, reason="A new email address.", today=TODAY
    )


def test_offers_the_case_stages_and_previews_the_pdf(
    qtbot: QtBot, dialog: LetterDialog, tmp_path: Path
) -> None:
    assert dialog.objectName() == "letterDialog"
    combo = dialog.stage_combo
    assert combo.objectName() == "letterTemplateCombo"
    values = [combo.itemData(i) for i in range(combo.count())]
    assert values == [
        "acknowledgement",
        "identity_request",
        "clarification_request",
        "extension_notice",
        "outcome_erasure",
        "refusal",
    ]
    assert dialog.preview.page_count() == 1
    dialog.select_stage(Stage.IDENTITY_REQUEST)  # no identity request recorded yet: says so
    assert "Request ID" in dialog.preview.message.text()
    _request_identity(dialog)
    dialog.refresh()
    assert dialog.preview.page_count() >= 2  # the letter, then the request form
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    assert not dialog.posted_button.isEnabled()  # nothing kept yet
    dialog.resize(760, 860)
    dialog.show()
    qtbot.wait(400)  # QPdfView renders pages in a worker thread
    dialog.grab().save(str(tmp_path / "letter_dialog.png"))
    for name in ("saveLetterButton", "printLetterButton", "markPostedButton"):
        button = dialog.findChild(type(dialog.save_button), name)
        assert button is not None and button.accessibleName()


def test_a_letter_that_cannot_be_made_says_why(dialog: LetterDialog) -> None:
    dialog.select_stage(Stage.OUTCOME_ERASURE)  # the case is not closed
    assert dialog.preview.stack.currentWidget() is dialog.preview.message
    assert "Close the case" in dialog.preview.message.text()
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()


def test_save_keeps_a_version_and_writes_the_file(
    qtbot: QtBot, dialog: LetterDialog, tmp_path: Path
) -> None:
    target = tmp_path / "out.pdf"
    dialog._ask_save_path = lambda suggested: str(target)  # type: ignore[method-assign]
    signals: StoreSignals = dialog.signals_for_test  # type: ignore[attr-defined]
    with qtbot.waitSignal(signals.case_changed) as emitted:
        dialog.save_button.click()
    assert emitted.args == [dialog.case_id]
    kept = list_letters(dialog.store, dialog.case_id)
    assert len(kept) == 1 and kept[0].stage == "acknowledgement"
    assert target.read_bytes() == letter_pdf(dialog.store, kept[0].id)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # personal data: owner only
    assert "<b>Ann</b> & Co 王小明" in pdf_text(target.read_bytes())
    dialog.save_button.click()  # the same preview again: no second version
    assert len(list_letters(dialog.store, dialog.case_id)) == 1
    assert "version 1" in dialog.status_label.text()


def test_print_through_qprinter_to_a_pdf_file(
    qtbot: QtBot, dialog: LetterDialog, tmp_path: Path
) -> None:
    _request_identity(dialog)
    dialog.select_stage(Stage.IDENTITY_REQUEST)
    pages = dialog.preview.page_count()
    output = tmp_path / "printed.pdf"

    def fake_dialog(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(output))
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        return True

    dialog._ask_printer = fake_dialog  # type: ignore[method-assign]
    dialog.print_button.click()
    assert stat.S_IMODE(output.stat().st_mode) == 0o600  # personal data: owner only
    reader = pypdf.PdfReader(io.BytesIO(output.read_bytes()))
    assert len(reader.pages) == pages >= 2
    for page in reader.pages:
        width_mm = float(page.mediabox.width) / 72 * 25.4
        height_mm = float(page.mediabox.height) / 72 * 25.4
        assert round(width_mm) == 210 and round(height_mm) == 297
        images = list(page.images)
        assert len(images) == 1
        picture = images[0].image.convert("L")
        assert picture.width >= 1000  # a print resolution, not a thumbnail
        assert sum(picture.histogram()[:128]) > 2000  # ink on the page
    kept = list_letters(dialog.store, dialog.case_id)
    assert [k.stage for k in kept] == ["identity_request"]


def test_cancelling_save_keeps_nothing_and_logs_nothing(qtbot: QtBot, dialog: LetterDialog) -> None:
    before = cases.timeline(dialog.store, dialog.case_id)
    offered: list[str] = []

    def cancel_the_file_dialog() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)]
        shown = [w for w in shown if w.isVisible()]
        if not shown:
            QTimer.singleShot(20, cancel_the_file_dialog)
            return
        offered.append(shown[0].windowTitle())
        shown[0].reject()  # the DPO presses Cancel in Qt's own save dialog

    QTimer.singleShot(0, cancel_the_file_dialog)
    dialog.save_button.click()  # the real "Save letter as PDF" dialog, cancelled
    assert offered == ["Save letter as PDF"]
    assert list_letters(dialog.store, dialog.case_id) == []
    assert cases.timeline(dialog.store, dialog.case_id) == before
    assert not dialog.posted_button.isEnabled()
    assert "Not generated yet" in dialog.status_label.text()


def test_a_closed_case_offers_only_its_outcome_letter(qtbot: QtBot, dialog: LetterDialog) -> None:
    finish_search_record(dialog.store, dialog.case_id, on=TODAY)
    cases.close(dialog.store, dialog.case_id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    again = LetterDialog(dialog.store, dialog.case_id, StoreSignals(), today=TODAY)
    qtbot.addWidget(again)
    combo = again.stage_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["outcome_erasure"]


def test_mark_as_sent_by_post_goes_on_the_timeline(
    qtbot: QtBot, dialog: LetterDialog, tmp_path: Path
) -> None:
    dialog._ask_save_path = lambda suggested: str(tmp_path / "ack.pdf")  # type: ignore[method-assign]
    dialog.save_button.click()  # kept and saved
    assert dialog.posted_button.isEnabled()
    signals: StoreSignals = dialog.signals_for_test  # type: ignore[attr-defined]
    with qtbot.waitSignal(signals.case_changed):
        dialog.posted_button.click()
    assert cases.timeline(dialog.store, dialog.case_id)[-1].kind == EventKind.LETTER_SENT_POST
    assert not dialog.posted_button.isEnabled()
    assert "sent by post" in dialog.status_label.text()


def test_outcome_letter_once_closed(dialog: LetterDialog) -> None:
    finish_search_record(dialog.store, dialog.case_id, on=TODAY)
    cases.close(dialog.store, dialog.case_id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
    dialog.select_stage(Stage.OUTCOME_ERASURE)
    assert dialog.preview.page_count() == 1
    assert dialog.save_button.isEnabled()


def test_case_view_and_main_window_open_the_letter_dialogs(
    qtbot: QtBot,
    org_store: Store,
    log_case: LogCase,
) -> None:
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow
    from ui.settings_dialog import SettingsDialog
    from ui.template_editor import TemplateEditorDialog

    case = log_case()
    window = MainWindow(org_store, StoreSignals(), QSettings(), today=lambda: TODAY)
    qtbot.addWidget(window)
    window.select_case(case.id)
    view = window.case_view
    assert view.action_letters.objectName() == "actionLetters"
    view.action_letters.trigger()
    assert isinstance(view.letter_dialog, LetterDialog)
    assert view.letter_dialog.case_id == case.id
    view.letter_dialog.close()

    assert window.action_org_settings.objectName() == "actionOrgSettings"
    assert window.action_edit_templates.objectName() == "actionEditTemplates"
    assert window.action_org_settings in window.menu_settings.actions()
    window.action_org_settings.trigger()
    assert isinstance(window.open_letters_dialog, SettingsDialog)
    window.open_letters_dialog.close()
    window.action_edit_templates.trigger()
    assert isinstance(window.open_letters_dialog, TemplateEditorDialog)
    window.open_letters_dialog.close()


def _access_request(store: Store) -> CaseDetail:
    return cases.log_request(
        store,
        RequesterDetails(name="Zoë Adeyemi", email="zoe@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=letter_fixtures.RECEIVED,
        today=TODAY,
    )


def test_missing_organisation_settings_are_named_and_the_settings_opened(
    qtbot: QtBot, store: Store
) -> None:
    """With no organisation details the acknowledgement would read "contact ... at  or .":
    no letter is made, the dialog says which details are missing and opens the settings."""
    case = _access_request(store)
    signals = StoreSignals()
    widget = LetterDialog(store, case.id, signals, today=TODAY)
    qtbot.addWidget(widget)
    widget.show()
    warning = widget.settings_warning
    assert warning.objectName() == "letterSettingsWarningLabel" and warning.isVisible()
    for missing in (
        "organisation name",
        "postal address",
        "contact email",
        "contact phone",
        "DPO's name",
    ):
        assert missing in warning.text()
    assert not widget.save_button.isEnabled() and not widget.print_button.isEnabled()
    assert widget.open_settings_button.objectName() == "openSettingsButton"

    # The settings open on top by themselves, with the keyboard in the first gap.
    qtbot.waitUntil(lambda: widget.settings_dialog is not None)
    settings = widget.settings_dialog
    assert settings is not None and settings.objectName() == "settingsDialog"
    qtbot.waitUntil(settings.isVisible)
    assert settings.focusWidget() is settings.findChild(QLineEdit, "orgNameEdit")
    for name, value in (
        ("orgNameEdit", letter_fixtures.ORG.org_name),
        ("orgEmailEdit", letter_fixtures.ORG.org_email),
        ("orgPhoneEdit", letter_fixtures.ORG.org_phone),
        ("dpoNameEdit", letter_fixtures.ORG.dpo_name),
    ):
        settings.findChild(QLineEdit, name).setText(value)
    settings.findChild(QPlainTextEdit, "orgAddressEdit").setPlainText(
        letter_fixtures.ORG.org_address
    )
    settings.accept()

    assert not warning.isVisible() and not widget.open_settings_button.isVisible()
    assert widget.save_button.isEnabled()  # the letter is there now


def test_letters_are_refused_while_the_letterhead_has_gaps(store: Store) -> None:
    case = _access_request(store)
    save_settings(store, replace(letter_fixtures.ORG, org_phone=" ", dpo_title=""))
    with pytest.raises(MissingLetterhead, match="contact phone and DPO's title") as refused:
        generate_letter(store, case.id, "acknowledgement", today=TODAY)
    assert refused.value.missing == ["contact phone", "DPO's title"]
    assert list_letters(store, case.id) == []


def test_the_old_placeholder_name_counts_as_no_name(store: Store) -> None:
    """Earlier versions pre-filled "Your Organisation Ltd" and stored it on save."""
    save_settings(store, replace(letter_fixtures.ORG, org_name="Your Organisation Ltd"))
    assert load_settings(store).org_name == ""
    assert missing_letterhead(load_settings(store)) == ["organisation name"]
    assert OrgSettings().org_name == ""


def test_fits_on_the_screen(dialog: LetterDialog) -> None:
    available = dialog.screen().availableGeometry()
    assert dialog.height() <= available.height() and dialog.width() <= available.width()
    assert not dialog.settings_warning.isVisible()  # the organisation is filled in


def test_save_adds_the_pdf_suffix_and_a_refused_folder_is_named(
    qtbot: QtBot, dialog: LetterDialog, tmp_path: Path
) -> None:
    dialog._ask_save_path = lambda suggested: str(tmp_path / "reply")  # type: ignore[method-assign]
    dialog.save_button.click()
    assert (tmp_path / "reply.pdf").read_bytes().startswith(b"%PDF")

    missing = tmp_path / "no such folder" / "reply.pdf"
    dialog._ask_save_path = lambda suggested: str(missing)  # type: ignore[method-assign]
    dialog.save_button.click()
    box = visible_error_box()
    assert str(missing) in box.text()  # says where it could not write
    box.close()


def _image_box(page: pypdf.PageObject) -> tuple[float, float, float, float]:
    """Where the page's image is drawn (x, y, width, height in points): the transformation
    matrix in force at its `Do`, as a PDF viewer would compute it."""
    matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    content = pypdf.generic.ContentStream(page.get_contents(), page.pdf)
    for operands, operator in content.operations:
        if operator == b"q":
            stack.append(matrix)
        elif operator == b"Q":
            matrix = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(x) for x in operands)
            m = matrix
            matrix = [
                a * m[0] + b * m[2],
                a * m[1] + b * m[3],
                c * m[0] + d * m[2],
                c * m[1] + d * m[3],
                e * m[0] + f * m[2] + m[4],
                e * m[1] + f * m[3] + m[5],
            ]
        elif operator == b"Do":
            x0, y0 = matrix[4], matrix[5]
            return (min(x0, x0 + matrix[2]), min(y0, y0 + matrix[3]), matrix[0], abs(matrix[3]))
    raise AssertionError("no image on the page")


def test_printing_puts_the_page_on_the_sheet_one_to_one(
    qtbot: QtBot, dialog: LetterDialog, tmp_path: Path
) -> None:
    """The address must land in the DL envelope window: the page is not shrunk into the
    printer's printable area (10 mm margins here) nor shifted by it."""
    output = tmp_path / "printed.pdf"
    asked: list[QPrinter] = []

    def fake_dialog(printer: QPrinter) -> bool:
        asked.append(printer)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(output))
        return True

    dialog._ask_printer = fake_dialog  # type: ignore[method-assign]
    dialog.print_button.click()
    assert asked[0].pageLayout().pageSize().id() == QPageSize.PageSizeId.A4  # A4 by default
    page = pypdf.PdfReader(io.BytesIO(output.read_bytes())).pages[0]
    x, y, width, height = _image_box(page)
    assert abs(x) < 1 and abs(y) < 1
    assert abs(width - float(page.mediabox.width)) < 1
    assert abs(height - float(page.mediabox.height)) < 1


def test_a_locked_store_is_said_plainly_and_nothing_is_kept(
    qtbot: QtBot, store_path: Path, store: Store
) -> None:
    """Another program holding the write lock used to raise out of the button's slot: the
    click did nothing visible."""
    save_settings(store, letter_fixtures.ORG)
    case = _access_request(store)
    impatient = open_store(store_path, busy_timeout_ms=100)
    widget = LetterDialog(impatient, case.id, StoreSignals(), today=TODAY)
    qtbot.addWidget(widget)
    widget._ask_save_path = lambda suggested: str(store_path.parent / "out.pdf")  # type: ignore[method-assign]
    try:
        with write_lock_held(store_path):  # another program holds the write lock
            widget.save_button.click()
            box = visible_error_box()
            assert "locked by another program" in box.text()
            box.close()
    finally:
        impatient.close()
    assert list_letters(store, case.id) == []

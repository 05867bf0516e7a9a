"""The Disclosure tab under pytest-qt: the named widgets, adding material, drawing a box with
the mouse, the review step, building a bundle off the UI thread (and cancelling it), and a
bundle too large to email."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from app import cases
from app.disclosure import add_item, list_items, list_outputs, redaction_log
from app.domain import EventKind
from app.readmodels import CaseDetail
from app.settings import set_value
from app.store import Store
from tests.conftest import TODAY
from tests.disclosure.samples import NAME, letter_pdf, picture_with_name
from tests.ui.conftest import drop_files
from ui.disclosure_tab import DisclosureTab
from ui.signals import StoreSignals

SHOTS = Path(os.environ.get("DSAR_SCREENSHOTS", "/nonexistent-screenshots-folder"))
REASON = "Third-party personal data (DPA 2018 Sch. 2 para 16)"


@pytest.fixture
def tab(qtbot, store: Store, case: CaseDetail) -> DisclosureTab:  # type: ignore[no-untyped-def]
    widget = DisclosureTab(store, case.id, StoreSignals(), today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def add(tab: DisclosureTab, tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert tab.add_paths([path])


def test_the_contract_names_are_there(tab: DisclosureTab) -> None:
    assert tab.objectName() == "disclosureTab"
    assert isinstance(tab.findChild(QTableView, "disclosureItemTable"), QTableView)
    assert isinstance(tab.findChild(QWidget, "redactionView"), QWidget)
    for name in ("actionRedactBox", "actionRedactTerm", "actionBuildBundle"):
        assert isinstance(tab.findChild(QAction, name), QAction), name
    password = tab.findChild(QLineEdit, "bundlePasswordEdit")
    assert isinstance(password, QLineEdit)
    assert password.echoMode() == QLineEdit.EchoMode.Password


def test_a_box_drawn_with_the_mouse_is_a_logged_redaction(
    qtbot, tab: DisclosureTab, store: Store, case: CaseDetail, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add(tab, tmp_path, "notes.pdf", letter_pdf(2, name_on=(1,)))
    assert tab.items.rowCount() == 1 and tab.selected_item() is not None
    assert tab.redaction_view.page_count() == 2
    tab.findChild(QAction, "actionRedactBox").trigger()
    assert tab.redaction_view.canvas.drawing
    tab.reason_combo.setCurrentText(REASON)
    canvas = tab.redaction_view.canvas
    scale = canvas.width() / 595.28
    # "Also present: John Smith" is at y = 842 - 740 points from the top.
    start = QPoint(round(60 * scale), round(90 * scale))
    end = QPoint(round(400 * scale), round(110 * scale))
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)
    [entry] = redaction_log(store, case.id)
    assert (entry.page, entry.reason) == (1, REASON)
    assert tab.log_model.rowCount() == 1
    assert tab.items.row(0).decision.value == "disclose_redacted"  # type: ignore[union-attr]
    assert cases.timeline(store, case.id)[-1].kind == EventKind.REDACTED
    # Click the box, withdraw it: the log keeps it, marked.
    tab.findChild(QAction, "actionRedactBox").trigger()
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(start.x() + 5, start.y() + 5))
    assert tab.withdraw_button.isEnabled()
    tab.withdraw_button.click()
    assert not redaction_log(store, case.id)[0].in_force


def test_review_then_build_off_the_ui_thread(
    qtbot, tab: DisclosureTab, store: Store, case: CaseDetail, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add(tab, tmp_path, "notes.pdf", letter_pdf(3))
    add(tab, tmp_path, "visitors.png", picture_with_name())
    tab.apply_term(NAME, REASON)
    build = tab.findChild(QAction, "actionBuildBundle")
    assert not build.isEnabled()  # not reviewed yet
    tab.bundle.review_button.click()
    assert build.isEnabled() and "Reviewed by" in tab.bundle.review_label.text()
    tab.bundle.password_edit.setText("correct horse battery")
    build.trigger()
    assert tab.bundle.building and not build.isEnabled()
    qtbot.waitUntil(lambda: not tab.bundle.building, timeout=60_000)
    assert tab.bundle.last_error is None
    [made] = list_outputs(store, case.id)
    assert made.encrypted and tab.bundle.model.rowCount() == 1
    assert tab.bundle.password_edit.text() == ""  # not kept in the window either
    assert cases.timeline(store, case.id)[-1].kind == EventKind.BUNDLE_BUILT
    if SHOTS.is_dir():
        tab.item_view.selectRow(0)
        tab.grab().save(str(SHOTS / "disclosure_tab.png"))

    # Saved to a file, on the record.
    tab.bundle.view.selectRow(0)
    tab.bundle._ask_path = lambda suggested: str(tmp_path / suggested)  # type: ignore[method-assign]
    tab.bundle.save()
    saved = tab.bundle.last_saved
    assert saved is not None and saved.name.endswith("-disclosure-bundle-v1.pdf")
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    reader = pypdf.PdfReader(io.BytesIO(saved.read_bytes()))
    assert reader.decrypt("correct horse battery")
    assert cases.timeline(store, case.id)[-1].kind == EventKind.BUNDLE_SAVED


def test_cancel_leaves_nothing(
    qtbot, tab: DisclosureTab, store: Store, case: CaseDetail, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    for n in range(4):  # enough pages that Cancel can land while the bundle is built
        add(tab, tmp_path, f"notes{n}.pdf", letter_pdf(3))
    tab.bundle.review_button.click()
    # Cancel races the build thread: on a fast machine (or a team server) the bundle can be
    # finished before the Cancel reaches it. Each try must end whole (no bundle and nothing
    # on the record, or one complete bundle); at least one Cancel must land.
    for made_before in range(10):  # bundles finished before their Cancel so far
        before = cases.timeline(store, case.id)
        tab.findChild(QAction, "actionBuildBundle").trigger()
        op = tab.bundle.op
        assert op is not None
        op.dialog.canceled.emit()  # type: ignore[attr-defined]  # the dialog's Cancel button
        qtbot.waitUntil(lambda: not tab.bundle.building, timeout=60_000)
        if tab.bundle.last_error is not None:
            assert "cancelled" in tab.bundle.last_error
            assert len(list_outputs(store, case.id)) == made_before
            assert cases.timeline(store, case.id) == before
            break
        assert len(list_outputs(store, case.id)) == made_before + 1  # complete, on the record
    else:
        pytest.fail("no Cancel landed while the bundle was built, in 10 tries")
    for box in tab.findChildren(QMessageBox):
        box.close()


def test_a_bundle_too_large_to_email_offers_saving(
    qtbot, tab: DisclosureTab, store: Store, case: CaseDetail, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    noise = Image.frombytes("RGB", (900, 900), os.urandom(900 * 900 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    add(tab, tmp_path, "photo.png", buffer.getvalue())
    set_value(store, "mail.max_message_mb", 1)
    tab.bundle.review_button.click()
    tab.findChild(QAction, "actionBuildBundle").trigger()
    qtbot.waitUntil(lambda: not tab.bundle.building, timeout=60_000)
    tab.bundle.view.selectRow(0)
    tab.bundle.email()
    box = tab.bundle.findChild(QMessageBox, "bundleTooLargeBox")
    assert box is not None and "over the 1 MB the mail server takes" in box.text()
    assert "Save it instead" in box.text()
    box.close()


def test_material_from_files_kept_with_the_case(
    tab: DisclosureTab, store: Store, case: CaseDetail
) -> None:
    from app.attachments import add_attachment
    from tests.disclosure.samples import email_with_attachment

    kept = add_attachment(
        store, case.id, filename="refund.eml", content=email_with_attachment(), kind="other"
    )
    tab.add_chosen([(kept.id, None), (kept.id, 0)])
    assert [i.kind.value for i in list_items(store, case.id)] == ["email", "csv"]
    assert tab.items.rowCount() == 2


def test_material_from_a_search_and_a_decision_from_the_form(
    tab: DisclosureTab, store: Store, case: CaseDetail
) -> None:
    from app.disclosure import Decision

    case, _export, task = _case_with_a_search_that_found_a_file(tab, store)
    tab.add_tasks([task.id])
    [item] = list_items(store, case.id)
    assert (item.source, item.search_task_id) == (task.title, task.id)
    tab.item_view.selectRow(0)
    assert tab.form.source_combo.currentText() == task.title
    assert task.title in [
        tab.form.source_combo.itemText(i) for i in range(tab.form.source_combo.count())
    ]
    assert not tab.form.exemption_combo.isEnabled()
    form = tab.form
    form.decision_combo.setCurrentIndex(form.decision_combo.findData(Decision.WITHHOLD.value))
    assert form.exemption_combo.isEnabled()
    form.exemption_combo.setCurrentIndex(form.exemption_combo.findData("legal_privilege"))
    tab.save_button.click()
    [saved] = list_items(store, case.id)
    assert saved.decision is Decision.WITHHOLD and saved.exemption == "legal_privilege"
    assert cases.timeline(store, case.id)[-1].kind == EventKind.DISCLOSURE_ITEM_CHANGED


def test_the_portability_export_runs_off_the_ui_thread_and_cancels_cleanly(
    qtbot, tab: DisclosureTab, store: Store, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from app.domain import RequestType
    from tests.disclosure.conftest import log

    export = tab.findChild(QPushButton, "portableExportButton")
    assert export.isHidden()  # an access case: no portability export offered
    portability = log(store, RequestType.PORTABILITY)
    tab._case_id = portability.id
    tab.refresh()
    assert not export.isHidden() and not export.isEnabled()  # not reviewed yet
    add(tab, tmp_path, "tickets.csv", b"ticket,opened\n101,2026-10-01\n")
    for n in range(40):  # enough work that Cancel lands while it runs
        add_item(store, portability.id, filename=f"t{n}.csv", content=b"a,b\n1,2\n")
    tab.refresh()
    tab.bundle.review_button.click()
    assert export.isEnabled()

    # Cancel races the export thread: on a fast machine the 40 items can all be done before
    # the click's Cancel reaches it. Each try must end whole (nothing kept, or one complete
    # export on the record); at least one Cancel must land.
    made_before = 0
    for _attempt in range(10):
        before = cases.timeline(store, portability.id)
        qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
        op = tab.bundle.op
        assert op is not None and not export.isEnabled()  # running in the background
        op.dialog.canceled.emit()  # type: ignore[attr-defined]  # the dialog's Cancel button
        qtbot.waitUntil(lambda: not tab.bundle.building, timeout=60_000)
        if tab.bundle.last_error is not None:
            assert "export was not made (cancelled)" in tab.bundle.last_error
            assert len(list_outputs(store, portability.id)) == made_before
            assert cases.timeline(store, portability.id) == before
            break
        made_before += 1  # finished before the Cancel: complete, and on the record
        assert len(list_outputs(store, portability.id)) == made_before
        assert cases.timeline(store, portability.id)[-1].kind == EventKind.PORTABLE_EXPORT_MADE
    else:
        pytest.fail("no Cancel landed while the export ran, in 10 tries")

    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.bundle.building, timeout=60_000)
    assert tab.bundle.last_error is None
    outputs = list_outputs(store, portability.id)
    assert len(outputs) == made_before + 1 and outputs[-1].kind == "portable"
    assert tab.bundle.model.rowCount() == made_before + 1
    assert cases.timeline(store, portability.id)[-1].kind == EventKind.PORTABLE_EXPORT_MADE


def _error_box(tab: DisclosureTab) -> QMessageBox:
    [box] = [b for b in tab.findChildren(QMessageBox, "domainErrorBox") if b.isVisible()]
    return box


def test_dropped_files_are_added_and_hostile_ones_refused_where_the_user_is(
    qtbot, tab: DisclosureTab, store: Store, case: CaseDetail, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.disclosure.samples import huge_png, many_pages, zip_bomb_docx

    def file(name: str, content: bytes) -> QUrl:
        path = tmp_path / name
        path.write_bytes(content)
        return QUrl.fromLocalFile(str(path))

    notes, visitors = file("notes.pdf", letter_pdf(2)), file("visitors.png", picture_with_name())
    assert drop_files(tab, [notes, visitors])
    assert [i.title for i in list_items(store, case.id)] == ["notes", "visitors"]
    assert tab.items.rowCount() == 2
    assert not drop_files(tab, [QUrl("https://example.org/notes.pdf")])  # not a local file

    hostile = {
        "statement.pdf": (b"%PDF-1.7\n1 0 obj << >>\nendobj\n%%EOF", "not a readable PDF"),
        "export.pdf": (many_pages(200), "has 200 pages"),
        "report.docx": (zip_bomb_docx(), "would unpack to 256 MB"),
        "scan.png": (huge_png(), "too large to add"),
    }  # fmt: skip
    for name, (content, why) in hostile.items():
        before = (list_items(store, case.id), cases.timeline(store, case.id))
        drop_files(tab, [file(name, content)])
        box = _error_box(tab)
        assert box.windowTitle() == "Not added to the set"
        assert name in box.text() and why in box.text()
        box.close()
        qtbot.waitUntil(lambda: not tab.findChildren(QMessageBox, "domainErrorBox"))
        assert (list_items(store, case.id), cases.timeline(store, case.id)) == before
        assert tab.items.rowCount() == 2

    # A bad file among good ones: the good ones are added, the bad one named.
    more = file("more.pdf", letter_pdf(1))
    drop_files(tab, [file("statement.pdf", b"%PDF-1.7 broken"), more])
    box = _error_box(tab)
    assert box.text().startswith("1 of 2 files were added; these were not:")
    assert "statement.pdf" in box.text() and "more.pdf" not in box.text()
    box.close()
    assert [i.title for i in list_items(store, case.id)] == ["notes", "visitors", "more"]


def test_a_term_and_an_email_address_redacted_across_the_set_from_the_dialog(
    qtbot, tab: DisclosureTab, store: Store, case: CaseDetail, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QComboBox, QDialog, QLabel

    from app.disclosure import redacted_item_pdf
    from tests.disclosure.samples import email_with_attachment, text_of

    add(tab, tmp_path, "notes.pdf", letter_pdf(3, name_on=(1, 3)))
    add(tab, tmp_path, "refund.eml", email_with_attachment())
    found: list[str] = []

    def answer(term: str) -> None:
        dialog = tab.findChild(QDialog, "redactTermDialog")
        assert dialog is not None and dialog.isVisible()
        dialog.findChild(QLineEdit, "redactTermEdit").setText(term)
        ok = dialog.findChild(QPushButton, "redactTermOkButton")
        assert not ok.isEnabled()  # nothing found yet: nothing to redact
        qtbot.mouseClick(dialog.findChild(QPushButton, "findTermButton"), Qt.MouseButton.LeftButton)
        found.append(dialog.findChild(QLabel, "redactTermResultLabel").text())
        dialog.findChild(QComboBox, "redactTermReasonCombo").setCurrentText(REASON)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    for term in ("JOHN SMITH", "john.smith@example.org"):
        QTimer.singleShot(0, lambda term=term: answer(term))
        tab.findChild(QAction, "actionRedactTerm").trigger()  # the dialog runs modally

    assert found == [
        "Found in 3 places on 3 pages of 2 items.",
        "Found in 1 place on 1 page of 1 item.",
    ]
    log = redaction_log(store, case.id)
    assert [(r.term, r.reason) for r in log] == [("JOHN SMITH", REASON)] * 3 + [
        ("john.smith@example.org", REASON)
    ]
    assert tab.log_model.rowCount() == 4
    for item in list_items(store, case.id):
        text = " ".join(text_of(redacted_item_pdf(store, item.id)))
        assert "Smith" not in text and "john.smith" not in text
        assert item.decision.value == "disclose_redacted"


def test_the_material_and_search_dialogs_add_what_is_chosen(
    qtbot, tab: DisclosureTab, store: Store
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog, QListWidget

    from app.attachments import add_attachment
    from tests.disclosure.samples import email_with_attachment

    open_case, export, task = _case_with_a_search_that_found_a_file(tab, store)
    kept = add_attachment(
        store, open_case.id, filename="refund.eml", content=email_with_attachment(), kind="other"
    )
    tab.refresh()
    shown: list[list[str]] = []

    def choose(dialog_name: str, wanted: str) -> None:
        dialog = tab.findChild(QDialog, dialog_name)
        assert dialog is not None and dialog.isVisible()
        entries = dialog.findChild(QListWidget)
        shown.append([entries.item(i).text() for i in range(entries.count())])
        for i in range(entries.count()):
            entries.item(i).setSelected(wanted in entries.item(i).text())
        qtbot.mouseClick(dialog.findChild(QPushButton, dialog_name.replace("Dialog", "OkButton")),
                         Qt.MouseButton.LeftButton)  # fmt: skip

    # The CSV attached to the kept email, picked from "From case files…".
    QTimer.singleShot(0, lambda: choose("addMaterialDialog", "refund.csv"))
    qtbot.mouseClick(tab.material_button, Qt.MouseButton.LeftButton)
    assert "refund.eml (Other)" in shown[0]
    assert "    ↳ refund.csv (in refund.eml)" in shown[0]  # the file inside the kept email
    # The export the search recorded, picked from "From searches…".
    QTimer.singleShot(0, lambda: choose("addFromSearchDialog", task.title))
    qtbot.mouseClick(tab.search_button, Qt.MouseButton.LeftButton)
    assert shown[1] == [f"{task.title}: 1 file"]

    items = list_items(store, open_case.id)
    assert [(i.kind.value, i.attachment_id, i.search_task_id) for i in items] == [
        ("csv", kept.id, None),
        ("pdf", export.id, task.id),
    ]
    assert tab.items.rowCount() == 2


def _case_with_a_search_that_found_a_file(tab: DisclosureTab, store: Store):  # type: ignore[no-untyped-def]
    """An open case (its search can still be recorded), shown in the tab, whose first search
    task recorded a CRM export kept with the case."""
    from app.attachments import add_attachment
    from app.searches import plan, record_search
    from tests.disclosure.conftest import log

    case = log(store)
    tab._case_id = case.id
    export = add_attachment(
        store, case.id, filename="crm-export.pdf", content=letter_pdf(1), kind="disclosure"
    )
    task = plan(store, case.id)[0]
    record_search(
        store, task.id, on=TODAY, terms="zoe@example.org", found=True, items=1,
        material=[export.id], today=TODAY,
    )  # fmt: skip
    return case, export, task

"""Every window and dialog: each widget the keyboard can reach has a stable objectName and an
accessible name (the names are a contract for tests and for screen readers alike)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app import cases
from app.demo import fill_demo
from app.domain import Channel, RequestType
from app.integrity.verify import verify_store
from app.letters import generate_letter
from app.readmodels import RequesterDetails
from app.settings import save_settings
from app.store import Store
from app.systems import list_systems
from tests.conftest import TODAY
from tests.letters.conftest import ORG
from ui.signals import StoreSignals


def unnamed(top: QWidget) -> list[str]:
    """Focusable widgets without an objectName or accessibleName. Qt's own parts of a
    composite widget (a combo's popup list, a spin box's editor) are named by their owner."""
    missing = []
    for widget in [top, *top.findChildren(QWidget)]:
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        ancestor = widget.parentWidget()
        while ancestor is not None and ancestor.metaObject().className() not in (
            "QComboBoxPrivateContainer",
        ):
            ancestor = ancestor.parentWidget()
        if ancestor is not None:
            continue
        parent = widget.parentWidget()
        if (
            widget.objectName().startswith("qt_")  # Qt's own part of a composite widget
            and parent is not None
            and parent.objectName()
            and parent.accessibleName()
        ):
            continue  # (a spin box's editor, a tab widget's bar): named by its owner
        if not widget.objectName() or not widget.accessibleName():
            missing.append(f"{widget.metaObject().className()} {widget.objectName()!r}")
    return missing


@pytest.fixture
def case_id(store: Store) -> int:
    return cases.log_request(
        store,
        RequesterDetails(name="Zoë Adeyemi", email="zoe@example.org", postal_address="1 A St"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=TODAY - timedelta(days=5),
        today=TODAY,
    ).id


def _builders() -> dict[str, Callable[[Store, StoreSignals, int], QWidget]]:
    from app.reports import cases_behind
    from ui.about_dialog import AboutDialog
    from ui.attachments_panel import AttachmentsPanel
    from ui.case_view import CaseView
    from ui.close_dialog import CloseDialog
    from ui.date_prompt import DatePrompt
    from ui.deadline_help_dialog import DeadlineHelpDialog
    from ui.disclosure_dialogs import MaterialDialog, SearchMaterialDialog, TermDialog
    from ui.disclosure_tab import DisclosureTab
    from ui.extension_dialog import ExtensionDialog
    from ui.figure_cases_dialog import FigureCasesDialog
    from ui.intake_dialog import IntakeDialog
    from ui.letter_dialog import LetterDialog
    from ui.mail_settings_dialog import MailSettingsDialog
    from ui.records import VerificationKeyDialog, VerifyResultDialog
    from ui.register_window import RegisterWindow
    from ui.reminder_settings_dialog import ReminderSettingsDialog
    from ui.reports_window import ReportsWindow
    from ui.requester_dialog import RequesterDialog
    from ui.retention_dialog import RetentionDialog
    from ui.search_dialogs import AddTaskDialog, ChangeTypeDialog
    from ui.searches_tab import SearchesTab
    from ui.send_mail_dialog import SendMailDialog
    from ui.settings_dialog import SettingsDialog
    from ui.store_encryption import PassphraseDialog
    from ui.suppression_window import SuppressionWindow
    from ui.system_dialog import SystemDialog
    from ui.template_editor import TemplateEditorDialog
    from ui.today_view import TodayView
    from ui.welcome_dialog import WelcomeDialog

    def case_view(store: Store, signals: StoreSignals, case_id: int) -> QWidget:
        view = CaseView(store, signals, today=lambda: TODAY)
        view.show_case(case_id)
        return view

    def searches_tab(store: Store, signals: StoreSignals, case_id: int) -> QWidget:
        tab = SearchesTab(store, signals, today=lambda: TODAY)
        tab.refresh(cases.get_case(store, case_id))
        return tab

    def disclosure_tab(store: Store, signals: StoreSignals, case_id: int) -> QWidget:
        from app.disclosure import add_item
        from tests.disclosure.samples import letter_pdf

        add_item(store, case_id, filename="notes.pdf", content=letter_pdf(2))
        return DisclosureTab(store, case_id, signals, today=lambda: TODAY)

    def send_mail(store: Store, signals: StoreSignals, case_id: int) -> QWidget:
        save_settings(store, ORG)  # a letter needs the organisation's details
        letter = generate_letter(store, case_id, "acknowledgement")
        return SendMailDialog(store, letter.id, signals)

    return {
        "intake": lambda s, g, c: IntakeDialog(s, g, today=lambda: TODAY),
        "case view": case_view,
        "extension": lambda s, g, c: ExtensionDialog(None, cases.get_case(s, c), today=TODAY),
        "close": lambda s, g, c: CloseDialog(None, cases.get_case(s, c), today=TODAY),
        "requester": lambda s, g, c: RequesterDialog(None, cases.get_case(s, c).requester),
        "letters": lambda s, g, c: LetterDialog(s, c, g, today=TODAY),
        "settings": lambda s, g, c: SettingsDialog(s, g),
        "templates": lambda s, g, c: TemplateEditorDialog(s, g),
        "mail settings": lambda s, g, c: MailSettingsDialog(s, g),
        "send mail": send_mail,
        "attachments": lambda s, g, c: AttachmentsPanel(s, c, g),
        "verify records": lambda s, g, c: VerifyResultDialog(verify_store(s)),
        "verification key": lambda s, g, c: VerificationKeyDialog(s),
        "retention": lambda s, g, c: RetentionDialog(s, g),
        "systems register": lambda s, g, c: RegisterWindow(s, g),
        "system": lambda s, g, c: SystemDialog(None, list_systems(s)[0]),
        "add search task": lambda s, g, c: AddTaskDialog(None, list_systems(s)),
        "change type": lambda s, g, c: ChangeTypeDialog(None, cases.get_case(s, c)),
        "searches tab": searches_tab,
        "disclosure tab": disclosure_tab,
        "redact a term": lambda s, g, c: TermDialog(s, c),
        "add material": lambda s, g, c: MaterialDialog(s, c),
        "add from searches": lambda s, g, c: SearchMaterialDialog(s, c),
        "about": lambda s, g, c: AboutDialog(),
        "deadline help": lambda s, g, c: DeadlineHelpDialog(s),
        "welcome": lambda s, g, c: WelcomeDialog(s, g),
        "passphrase": lambda s, g, c: PassphraseDialog(None, s.path, print, choose=True),
        # Issue 12: reminders, reports, the suppression list.
        "today": lambda s, g, c: TodayView(s, g, today=lambda: TODAY),
        "snooze": lambda s, g, c: DatePrompt(
            None, title="Snooze until", question="Show it again on:", today=TODAY
        ),
        "reminder settings": lambda s, g, c: ReminderSettingsDialog(s, g, tray_available=True),
        "reports": lambda s, g, c: ReportsWindow(s, g, today=lambda: TODAY),
        "figure cases": lambda s, g, c: FigureCasesDialog("Received", "1", cases_behind(s, [c])),
        "suppression list": lambda s, g, c: SuppressionWindow(s, g),
    }


@pytest.mark.parametrize("name", list(_builders()))
def test_every_dialog_names_its_widgets(qtbot, store: Store, case_id: int, name: str) -> None:  # type: ignore[no-untyped-def]
    widget = _builders()[name](store, StoreSignals(), case_id)
    qtbot.addWidget(widget)
    widget.show()
    assert unnamed(widget) == []


def test_the_main_window_names_its_widgets(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.store import open_store
    from ui.main import build_main_window

    path = tmp_path / "demo.sqlite"
    demo = open_store(path)
    fill_demo(demo, today=TODAY)
    demo.close()
    window = build_main_window(path, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.select_case(1)
    assert unnamed(window) == []

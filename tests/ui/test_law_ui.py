"""The case view tells what the law still asks of the DPO (issue 8 points 4 and 5)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox

from app import cases
from app.domain import Channel, Outcome, RequestType
from app.letters import generate_letter
from app.letters.records import record_sent_by_post
from app.letters.stages import Stage
from app.readmodels import RequesterDetails
from app.settings import save_settings
from app.store import Store
from tests.letters.conftest import ORG
from ui.case_view import URGENT_STYLE, CaseView
from ui.close_dialog import CloseDialog
from ui.signals import StoreSignals


def _case(store: Store, request_type: RequestType, received: date, today: date) -> int:
    save_settings(store, ORG)
    return cases.log_request(
        store,
        RequesterDetails(name="Ann Lee", email="ann@example.org"),
        request_type=request_type,
        channel=Channel.EMAIL,
        on=received,
        today=today,
    ).id


def _view(qtbot, store: Store, today: date) -> CaseView:  # type: ignore[no-untyped-def]
    view = CaseView(store, StoreSignals(), today=lambda: today)
    qtbot.addWidget(view)
    view.resize(900, 640)
    view.show()
    return view


def test_the_notice_to_send_is_shown_until_it_goes_and_urgent_when_near(
    qtbot, store: Store
) -> None:  # type: ignore[no-untyped-def]
    case_id = _case(store, RequestType.ACCESS, date(2026, 9, 3), date(2026, 9, 20))
    cases.extend(
        store, case_id, reason="Ten systems.", on=date(2026, 9, 20), today=date(2026, 9, 20)
    )
    early = _view(qtbot, store, date(2026, 9, 20))
    early.show_case(case_id)
    warning = early.notice_warning
    assert warning.isVisible()
    assert warning.text().startswith("Extension notice must reach the requester by Mon 5 Oct 2026")
    assert URGENT_STYLE not in warning.styleSheet()

    near = _view(qtbot, store, date(2026, 10, 3))
    near.show_case(case_id)
    assert near.notice_warning.text().startswith("Urgent: 2 days left.")
    assert near.notice_warning.styleSheet() == URGENT_STYLE

    late = _view(qtbot, store, date(2026, 10, 7))
    late.show_case(case_id)
    assert late.notice_warning.text().startswith("Urgent: the extension notice is 2 days late.")

    letter = generate_letter(store, case_id, Stage.EXTENSION_NOTICE, today=date(2026, 9, 21))
    record_sent_by_post(store, letter.id)
    late.reload()
    assert not late.notice_warning.isVisible()
    assert late.notice_label.text() == "2 further months"


def test_an_opt_out_offers_no_id_no_pause_and_no_refusal(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    today = date(2026, 11, 25)
    case_id = _case(store, RequestType.MARKETING_OPT_OUT, date(2026, 11, 24), today)
    view = _view(qtbot, store, today)
    view.show_case(case_id)
    for action in (view.action_identity, view.action_clock, view.action_extend):
        assert not action.isEnabled()
        assert "at once" in action.toolTip()
    dialog = CloseDialog(view, cases.get_case(store, case_id), today=today)
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox, "outcomeCombo")
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert offered == [Outcome.FULFILLED.value, Outcome.WITHDRAWN.value, Outcome.NO_DATA_HELD.value]


def test_the_identity_dialog_asks_for_what_this_case_needs(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QCheckBox, QPlainTextEdit

    from app.letters import render_letter
    from tests.letters.conftest import flat, pdf_text
    from tests.ui.test_case_view import ok_of, wait_window

    today = date(2026, 11, 25)
    case_id = _case(store, RequestType.ERASURE, date(2026, 11, 20), today)
    view = _view(qtbot, store, today)
    view.show_case(case_id)
    view.action_identity.trigger()  # Request ID… on the case view
    dialog = wait_window(qtbot, "identityDialog")
    boxes = {
        key: dialog.findChild(QCheckBox, f"identityDocument_{key}")
        for key in ("photo_id", "address", "account", "known_email", "authority")
    }
    # An erasure suggests what stopping the use of data needs, not a passport.
    assert [k for k, box in boxes.items() if box.isChecked()] == ["account", "known_email"]
    dialog.findChild(QPlainTextEdit, "identityTextEdit").setPlainText("Asked by a solicitor.")
    for box in boxes.values():
        box.setChecked(False)
    assert not ok_of(dialog).isEnabled()  # nothing to ask for: nothing can be sent
    boxes["known_email"].setChecked(True)
    boxes["authority"].setChecked(True)  # someone acts for the requester
    assert ok_of(dialog).isEnabled()
    ok_of(dialog).click()
    qtbot.waitUntil(lambda: cases.get_case(store, case_id).identity_documents != ())
    detail = cases.get_case(store, case_id)
    assert detail.identity_documents == ("known_email", "authority")
    assert detail.identity_reason == "Asked by a solicitor."
    text = flat(pdf_text(render_letter(store, case_id, "identity_request", today=today)))
    assert "Asked by a solicitor." in text and "their written authority" in text
    assert "passport" not in text and "Representative's authority" in text


def test_each_date_says_the_law_it_rests_on(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    today = date(2026, 11, 25)
    access = _case(store, RequestType.ACCESS, date(2026, 11, 20), today)
    opt_out = _case(store, RequestType.MARKETING_OPT_OUT, date(2026, 11, 20), today)
    view = _view(qtbot, store, today)
    view.show_case(access)
    statutory = view.statutory_label.toolTip()
    assert "Article 12(3) and 12A" in statutory and "as the ICO reads it" in statutory
    assert "Not the law" in view.promised_label.toolTip()
    assert "30 days" in view.promised_label.toolTip()
    assert "within the first month (UK GDPR Article 12(3))" in view.notice_label.toolTip()
    assert "(F1)" in statutory
    view.show_case(opt_out)
    assert view.promised_caption.text() == "Target (next working day)"
    assert "Article 21(3)" in view.promised_label.toolTip()

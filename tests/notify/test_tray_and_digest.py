"""The tray's count and daily notification, and the digest email through a real SMTP server
(aiosmtpd on loopback): references and dates only, never a requester's name or email."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QMainWindow

from app import cases
from app.domain import DomainError
from app.notify import (
    LAST_DIGEST,
    LAST_NOTIFIED,
    NotifySettings,
    last_done,
    load_notify_settings,
    save_notify_settings,
    send_digest,
)
from app.store import Store
from tests.handworked import TODAY
from tests.mail.conftest import Server, configure, settings_for
from ui.tray import Tray

MORNING = datetime(2026, 11, 25, 8, 59)
NINE = datetime(2026, 11, 25, 9, 0)


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def tray(qtbot, store: Store, handworked_ids: dict[str, int]) -> Tray:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    clock = Clock(MORNING)
    tray = Tray(window, store, now=clock, today=lambda: TODAY, available=True)
    tray.clock = clock  # type: ignore[attr-defined]
    return tray


def test_the_icon_shows_the_count(tray: Tray) -> None:
    tray.show_count(5)
    assert tray.icon.toolTip() == "DSAR Desk: 5 reminders to do today"
    assert not tray.icon.icon().isNull()
    tray.show_count(0)
    assert tray.icon.toolTip() == "DSAR Desk: nothing to do today"


def test_the_notification_comes_once_a_day_from_the_set_time(
    qtbot, tray: Tray, store: Store
) -> None:  # type: ignore[no-untyped-def]
    shown: list[tuple[str, str]] = []
    tray.messageShown.connect(lambda title, text: shown.append((title, text)))
    tray.check()
    assert shown == []  # 08:59, before the set time (09:00 by default)
    tray.clock.moment = NINE  # type: ignore[attr-defined]
    tray.check()
    assert shown == [("DSAR Desk", "8 items need doing today, 1 overdue. Open Today to see them.")]
    assert last_done(store, LAST_NOTIFIED) == TODAY
    tray.clock.moment = datetime(2026, 11, 25, 17, 0)  # type: ignore[attr-defined]
    tray.check()
    assert len(shown) == 1  # not again the same day
    save_notify_settings(store, NotifySettings(desktop_notification=False))
    tray.clock.moment = datetime(2026, 11, 26, 9, 30)  # type: ignore[attr-defined]
    tray.check()
    assert len(shown) == 1  # switched off


def test_closing_keeps_running_in_the_tray_only_where_there_is_one(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    tray = Tray(window, store, available=True)
    assert tray.keeps_running()  # default with a tray: yes
    window.close()
    assert not window.isVisible()
    assert tray.quitting is False
    save_notify_settings(store, NotifySettings(close_to_tray=False))
    assert not tray.keeps_running()
    bare = QMainWindow()
    qtbot.addWidget(bare)
    assert not Tray(bare, store, available=False).keeps_running()  # no tray: off by default


def test_the_digest_goes_through_the_configured_server(
    qtbot, tray: Tray, store: Store, handworked_ids: dict[str, int], plain_server: Server
) -> None:  # type: ignore[no-untyped-def]
    configure(store, settings_for(plain_server))
    save_notify_settings(
        store, NotifySettings(digest_enabled=True, digest_to="dpo.self@example.co.uk")
    )
    tray.clock.moment = NINE  # type: ignore[attr-defined]
    with qtbot.waitSignal(tray.digestFinished, timeout=10_000) as finished:
        tray.check()
    assert finished.args == [True, "Digest sent to dpo.self@example.co.uk."]
    assert last_done(store, LAST_DIGEST) == TODAY
    [(sender, recipients, raw)] = plain_server.recorder.envelopes
    assert sender == "dpo@example.co.uk"
    assert recipients == ["dpo.self@example.co.uk"]
    [message] = plain_server.recorder.messages()
    assert message["Subject"] == "DSAR Desk: 8 to do today (Wed 25 Nov 2026)"
    body = message.get_content()
    for key, case_id in handworked_ids.items():
        detail = cases.get_case(store, case_id)
        assert detail.requester.name not in body, key
        assert detail.requester.email not in body, key
        assert detail.requester.name.encode() not in raw
    c13 = cases.get_case(store, handworked_ids["C13"]).reference
    assert f"- {c13}: Overdue, Fri 13 Nov 2026. The statutory deadline was" in body
    c12 = cases.get_case(store, handworked_ids["C12"]).reference
    assert f"- {c12}: Send extension notice, Thu 12 Nov 2026. The extension notice was" in body
    assert "Coming up (3):" in body
    tray.check()  # not twice a day
    qtbot.wait(200)
    assert len(plain_server.recorder.envelopes) == 1


def test_a_failed_digest_is_said_once(qtbot, tray: Tray, store: Store) -> None:  # type: ignore[no-untyped-def]
    configure(store, settings_for(None))  # nobody listening on that port
    save_notify_settings(store, NotifySettings(digest_enabled=True, digest_to="dpo@example.co.uk"))
    tray.clock.moment = NINE  # type: ignore[attr-defined]
    shown: list[str] = []
    tray.messageShown.connect(lambda _title, text: shown.append(text))
    with qtbot.waitSignal(tray.digestFinished, timeout=20_000) as finished:
        tray.check()
    assert finished.args[0] is False
    assert "connection was refused" in finished.args[1]
    assert last_done(store, LAST_DIGEST) is None
    tray.check()
    qtbot.wait(200)
    assert sum("digest could not be sent" in text for text in shown) == 1


def test_digest_settings_are_checked(store: Store) -> None:
    with pytest.raises(DomainError, match="Digest address"):
        save_notify_settings(store, NotifySettings(digest_enabled=True, digest_to="not an email"))
    with pytest.raises(DomainError, match="HH:MM"):
        save_notify_settings(store, NotifySettings(notify_at="9am"))
    assert load_notify_settings(store) == NotifySettings()
    save_notify_settings(store, NotifySettings(digest_enabled=True, digest_to="a@example.org"))
    with pytest.raises(DomainError, match="mail settings are incomplete"):
        send_digest(store, on=date(2026, 11, 25))

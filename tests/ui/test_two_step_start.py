"""Start in two steps (issue 14 point 2): the real main window is on screen before SQLAlchemy
is imported, saying which store it is opening; the store opens on the next turn of the event
loop, and what the DPO typed meanwhile is kept and becomes the first search."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.store import open_store
from tests.store.helpers import add_case
from ui.main import launch, opening_window

PROJECT = Path(__file__).resolve().parents[2]

# A fresh process, as `dsar-desk --store PATH` starts: what is true of the window at the
# moment it is first shown (a Show event filter), and of it once `launch` returns.
FIRST_SHOWN = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import QEvent, QObject, QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
    seen = {}

    class FirstShown(QObject):
        def eventFilter(self, watched, event):
            if (
                event.type() == QEvent.Type.Show
                and watched.objectName() == "mainWindow"
                and not seen
            ):
                header = watched.table.horizontalHeader()
                seen.update(
                    sqlalchemy="sqlalchemy" in sys.modules,
                    alembic="alembic" in sys.modules,
                    reportlab="reportlab" in sys.modules,
                    pikepdf="pikepdf" in sys.modules,
                    babel="babel" in sys.modules,
                    menus=[m.objectName() for m in watched.menuBar().findChildren(
                        type(watched.menu_file)) if m.objectName()],
                    search=watched.search_edit.isVisibleTo(watched),
                    header=[header.model().headerData(i, header.orientation())
                            for i in range(header.count())],
                    status=watched.status_counts.text(),
                    rows=watched.model.rowCount(),
                )
            return False

    watcher = FirstShown()
    app.installEventFilter(watcher)
    from ui.main import launch

    window, _ = launch(["--store", sys.argv[1]])
    seen["after"] = {
        "sqlalchemy": "sqlalchemy" in sys.modules,
        "on_first_use": sorted(
            m for m in ("alembic", "reportlab", "pikepdf", "pypdfium2", "app.letters",
                        "app.disclosure", "xlsxwriter") if m in sys.modules
        ),
        "rows": window.model.rowCount(),
        "status": window.status_counts.text(),
    }
    print(json.dumps(seen))
    sys.stdout.flush()
    import os
    os._exit(0)
    """
)


def test_the_window_is_shown_before_sqlalchemy_is_imported(tmp_path: Path) -> None:
    store_path = tmp_path / "desk.sqlite"
    store = open_store(store_path)
    add_case(store, "Jürgen Müller")
    store.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(PROJECT))
    result = subprocess.run(
        [sys.executable, "-c", FIRST_SHOWN, str(store_path), str(tmp_path / "settings")],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["sqlalchemy"] is False, "SQLAlchemy was imported before the window showed"
    assert seen["alembic"] is False
    assert seen["reportlab"] is False and seen["pikepdf"] is False  # letters: on first use
    assert seen["babel"] is False  # dates are formatted with the first page
    assert {"menuFile", "menuView", "menuCase", "menuSettings", "menuHelp"} <= set(seen["menus"])
    assert seen["search"] is True
    assert seen["header"][:2] == ["Reference", "Requester"]
    assert seen["status"] == "Opening desk.sqlite …"
    assert seen["rows"] == 0
    # Then, on the next turn of the event loop, the store opened and the page filled in.
    assert seen["after"]["sqlalchemy"] is True and seen["after"]["rows"] == 1
    assert seen["after"]["status"].startswith("1 open · 0 overdue")
    # Letters, the disclosure set and exports wait for their first use, even once open.
    assert seen["after"]["on_first_use"] == []


def _store_with(store_path: Path, *names: str) -> None:
    store = open_store(store_path)
    for name in names:
        add_case(store, name)
    store.close()


def test_the_window_before_its_store_is_the_real_frame_with_nothing_to_act_on(
    qtbot, store_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _store_with(store_path, "Ann Example")
    window = opening_window(store_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not window.attached and getattr(window, "store", None) is None
    assert window.status_counts.text() == f"Opening {store_path.name} …"
    assert not window.action_new_request.isEnabled()
    assert not window.action_refresh.isEnabled()
    assert not window.menu_case.isEnabled()
    assert window.model.rowCount() == 0
    assert not window.empty_hint.isVisible()  # "No cases" would look like a lost store
    assert window.search_edit.isEnabled() and window.filter_combo.isEnabled()

    window.attach(open_store(store_path))
    assert window.attached and window.model.rowCount() == 1
    assert window.action_new_request.isEnabled() and window.menu_case.isEnabled()
    assert window.status_counts.text().startswith("1 open")
    assert window.splitter.widget(1) is window.case_view


def test_what_is_typed_while_the_store_opens_is_the_first_search(qtbot, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    _store_with(store_path, "Ann Example", "Jürgen Müller", "Zoë Brown")
    window = opening_window(store_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClicks(window.search_edit, "muller")
    assert window.model.rowCount() == 0  # nothing to search yet

    window.attach(open_store(store_path))
    assert window.search_edit.text() == "muller"
    assert [window.model.case_row(r).requester_name for r in range(window.model.rowCount())] == [
        "Jürgen Müller"
    ]


class _TypeOnFirstShow(QObject):
    """Types into the search box on the turn of the event loop after the main window is
    first shown, noting whether the store was open by then."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.attached_when_typed: bool | None = None
        self.at_first_page: dict[str, object] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and watched.objectName() == "mainWindow"
            and self.attached_when_typed is None
        ):
            QTimer.singleShot(0, lambda: self._type(watched))
            watched.firstPageShown.connect(lambda: self._first_page(watched))  # type: ignore[attr-defined]
        return False

    def _first_page(self, window: QObject) -> None:
        """What the DPO sees when the list's first page is painted: rows, no case view yet."""
        model = window.model  # type: ignore[attr-defined]
        self.at_first_page = {
            "rows": model.rowCount(),
            "attached": window.attached,  # type: ignore[attr-defined]
            "case_view": hasattr(window, "case_view"),
            "status": window.status_counts.text(),  # type: ignore[attr-defined]
        }
        window.table.selectRow(0)  # type: ignore[attr-defined]  # a click now is harmless

    def _type(self, window: QObject) -> None:
        from PySide6.QtTest import QTest

        self.attached_when_typed = bool(window.attached)  # type: ignore[attr-defined]
        QTest.keyClicks(window.search_edit, self.text)  # type: ignore[attr-defined]


def test_launch_keeps_what_is_typed_before_the_store_opens(qtbot, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    _store_with(store_path, "Ann Example", "Jürgen Müller", "Zoë Brown")
    typist = _TypeOnFirstShow("zoe")
    QApplication.instance().installEventFilter(typist)
    try:
        started = launch(["--store", str(store_path)])
    finally:
        QApplication.instance().removeEventFilter(typist)
    assert not isinstance(started, int), started
    window = started[0]
    qtbot.addWidget(window)
    assert typist.attached_when_typed is False, "typed after the store had opened"
    assert typist.at_first_page == {
        "rows": 1,
        "attached": False,
        "case_view": False,
        "status": "Counting cases …",
    }
    assert window.case_view.case_id == window.model.case_id(0)  # the row chosen meanwhile
    assert window.attached and window.search_edit.text() == "zoe"
    assert window.model.rowCount() == 1
    assert window.model.case_row(0).requester_name == "Zoë Brown"


def test_a_window_that_never_got_its_store_keeps_the_saved_layout(qtbot, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    _store_with(store_path, "Ann Example")
    window = opening_window(store_path)
    qtbot.addWidget(window)
    window.close()  # e.g. the store turned out locked: nothing of the placeholder is saved
    settings = QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "dsar-desk", "window"
    )
    assert not settings.childGroups()


def test_the_disclosure_tab_is_built_when_first_shown(qtbot, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.disclosure_tab import DisclosureTab

    _store_with(store_path, "Ann Example")
    window = opening_window(store_path)
    qtbot.addWidget(window)
    window.attach(open_store(store_path))
    window.show()
    qtbot.waitExposed(window)
    window.select_case(window.model.case_id(0) or 0)
    lazy = window.case_view.disclosure_tab
    assert not lazy.built
    window.case_view.tabs.setCurrentWidget(lazy)
    assert lazy.built
    tab = lazy.content()
    assert isinstance(tab, DisclosureTab) and tab.case_id == window.case_view.case_id

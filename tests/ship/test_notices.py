"""THIRD-PARTY-NOTICES and Help ▸ About: every shipped component with its licence text, and
the LGPL source offer for Qt/PySide6 and python-bidi."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.licences import runtime_components
from app.notices import (
    NoticeMissing,
    app_notices,
    check_bundled_packages,
    notices_text,
    read_notices,
    system_library_notices,
)


@pytest.fixture(scope="module")
def text() -> str:
    return read_notices()


def test_every_runtime_package_is_listed_with_its_version(text: str) -> None:
    components = text.split("SOURCE CODE OFFER")[0]
    for component in runtime_components():
        assert f"  - {component.name} {component.version}: " in components


def test_every_notice_carries_a_licence_text() -> None:
    for notice in app_notices():
        assert notice.texts, notice.name
        # (a short LICENSE may point to longer ones beside it, as packaging's does)
        assert any(len(body) > 200 for _, body in notice.texts), notice.name


def test_python_fonts_and_qt_licences_are_there(text: str) -> None:
    assert "Python runtime:\n  - Python " in text
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in text
    for font in ("DejaVu", "DroidSansFallback", "NotoSansArabic"):
        assert f"  - {font}: " in text
    assert "SIL OPEN FONT LICENSE" in text.upper()
    # Qt's wheels carry no licence file: the LGPL-3.0 and the GPL-3.0 it builds on are
    # added, each printed once however many Qt packages refer to it.
    qt = next(c for c in runtime_components() if c.name == "PySide6")
    assert f"PySide6 {qt.version}: LGPL-3.0.txt\n{'=' * 78}\n" in text
    assert "GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 3" in text
    assert "GNU GENERAL PUBLIC LICENSE\n                       Version 3" in text
    assert text.count(f"(The same text as under “PySide6 {qt.version}: LGPL-3.0.txt”") == 3


def test_source_offer_names_the_lgpl_libraries(text: str) -> None:
    offer = text.split("SOURCE CODE OFFER")[1].split("LICENCE TEXTS")[0]
    for name in ("PySide6", "shiboken6", "python-bidi"):
        assert f"  - {name} " in offer
    assert "SQLAlchemy" not in offer  # MIT: no offer needed
    assert "three years" in offer
    assert "PySide6-" in offer and "-src/" in offer


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="needs a Debian system")
def test_bundled_system_libraries_get_their_debian_copyright(tmp_path: Path) -> None:
    import _sqlite3  # linked against the system's libsqlite3 on Debian

    linked = subprocess.run(["ldd", _sqlite3.__file__], capture_output=True, text=True).stdout
    paths = [line.split("=>")[1].split()[0] for line in linked.splitlines() if "=>" in line]
    sqlite = next((p for p in paths if "libsqlite3" in p), None)
    if sqlite is None or Path(sqlite).resolve().is_relative_to(Path(sys.base_prefix).resolve()):
        pytest.skip("this Python carries its own SQLite")
    notices = system_library_notices([sqlite])
    assert [n.name for n in notices] == ["libsqlite3-0"]
    assert notices[0].kind == "System library" and notices[0].version
    assert "sqlite" in notices[0].texts[0][1].lower()
    text = notices_text(notices, app_version="0", bundle=True)
    assert "Operating-system libraries (Debian packages):\n  - libsqlite3-0 " in text


def test_files_of_python_packages_and_python_itself_are_not_system_libraries() -> None:
    import PySide6

    qt_core = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libQt6Core.so*"))
    assert system_library_notices([qt_core, sys.executable]) == []


def test_a_bundled_file_without_a_known_licence_stops_the_build(tmp_path: Path) -> None:
    stray = tmp_path / "libmystery.so.1"
    stray.write_bytes(b"\x7fELF")
    with pytest.raises(NoticeMissing, match="libmystery"):
        system_library_notices([stray])


def test_a_bundled_package_that_is_no_runtime_dependency_stops_the_build() -> None:
    """PyInstaller followed mako's optional Pygments plugin and bundled Pygments (here a
    test tool, so never licence-checked nor in the notices): the build must refuse it."""
    import pygments
    import sqlalchemy

    pygments_file = Path(pygments.__file__)
    with pytest.raises(NoticeMissing, match=r"Pygments \(pygments/__init__\.py\)"):
        check_bundled_packages([Path(sqlalchemy.__file__), pygments_file])
    # Runtime dependencies, Python's standard library and the app's own resources pass (the
    # real build also passes PyInstaller's runtime hooks: .ci/bundle).
    check_bundled_packages(
        [
            Path(sqlalchemy.__file__),
            Path(shutil.__file__),
            Path(__file__).parents[2] / "resources" / "fonts" / "DejaVuSans.ttf",
        ]
    )

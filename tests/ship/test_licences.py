"""No runtime dependency of the app may be GPL or AGPL: the bundle is proprietary.

The check reads the installed metadata and walks the dependency tree of the `dsar-desk`
distribution, so a GPL package that arrives through another one is caught too.
"""

from __future__ import annotations

import textwrap
import tomllib
from email.message import Message
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from app.licences import MissingDependency, is_strong_copyleft, runtime_components

ROOT = Path(__file__).resolve().parents[2]


def _pyproject_dependencies() -> set[str]:
    """The dependencies this platform installs (sqlcipher3-binary on Linux, -wheels elsewhere)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_here(text) for text in project["dependencies"]} - {""}


def _here(text: str) -> str:
    """The requirement's name if its environment marker holds on this machine, else ""."""
    requirement = Requirement(text)
    if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
        return ""
    return canonicalize_name(requirement.name)


def test_the_walk_starts_from_the_dependencies_in_pyproject() -> None:
    """The check reads the installed metadata; an install older than pyproject.toml would
    hide a newly added dependency from it. So the installed `dsar-desk` must require exactly
    what pyproject.toml lists, and the walk must reach every one of them."""
    installed = {
        _here(text) for text in metadata.requires("dsar-desk") or [] if "extra ==" not in text
    } - {""}
    assert installed == _pyproject_dependencies(), "reinstall: pip install -e '.[test]'"
    walked = {canonicalize_name(c.name) for c in runtime_components()}
    assert _pyproject_dependencies() <= walked
    # Added for disclosure and UK dates: each is checked like the rest.
    assert {"pikepdf", "pypdfium2", "pillow", "python-docx", "babel"} <= walked


def test_no_runtime_dependency_is_gpl_or_agpl() -> None:
    components = runtime_components()
    names = {c.name.lower() for c in components}
    # The walk reaches the direct dependencies and what they pull in themselves.
    assert {"pyside6", "sqlalchemy", "reportlab", "python-oxmsg", "python-bidi"} <= names
    assert "olefile" in names and "shiboken6" in names
    offenders = [
        f"{c.name} {c.version}: {c.licence} (needed by {c.required_by})"
        for c in components
        if c.gpl_only
    ]
    assert not offenders, "GPL/AGPL runtime dependencies: " + "; ".join(offenders)


def test_lgpl_libraries_are_listed_as_lgpl() -> None:
    by_name = {c.name.lower(): c for c in runtime_components()}
    assert "LGPL" in by_name["pyside6"].licence
    assert "Lesser" in by_name["python-bidi"].licence or "LGPL" in by_name["python-bidi"].licence


class _Installed(metadata.Distribution):
    """A distribution as pip would have installed it: the METADATA file, nothing else."""

    def __init__(self, text: str) -> None:
        self._text = textwrap.dedent(text).lstrip()

    def read_text(self, filename: str) -> str | None:
        return self._text if filename == "METADATA" else None

    def locate_file(self, path: str | Path) -> Path:
        return Path(path)


# extract-msg 0.57's own metadata (License: GPL), and its GPL dependency pcodedmp.
_TREE = {
    "dsar-desk": """
        Metadata-Version: 2.4
        Name: dsar-desk
        Version: 0.1.0
        License-Expression: LicenseRef-Proprietary
        Requires-Dist: SQLAlchemy>=2.0
        Requires-Dist: extract-msg>=0.45
        Requires-Dist: pytest>=8; extra == "test"
        """,
    "sqlalchemy": """
        Metadata-Version: 2.4
        Name: SQLAlchemy
        Version: 2.1.9
        License-Expression: MIT
        """,
    "extract-msg": """
        Metadata-Version: 2.1
        Name: extract-msg
        Version: 0.57.0
        License: GPL
        Requires-Dist: olefile==0.47
        Requires-Dist: oletools<0.61,>=0.60.1
        """,
    "olefile": """
        Metadata-Version: 2.1
        Name: olefile
        Version: 0.47
        License: BSD
        Classifier: License :: OSI Approved :: BSD License
        """,
    "oletools": """
        Metadata-Version: 2.1
        Name: oletools
        Version: 0.60.2
        License: BSD
        Requires-Dist: pcodedmp>=1.2.5
        """,
    "pcodedmp": """
        Metadata-Version: 2.1
        Name: pcodedmp
        Version: 1.2.6
        License: GPL
        Classifier: License :: OSI Approved :: GNU General Public License v3 (GPLv3)
        """,
}


def _lookup(name: str) -> metadata.Distribution:
    key = name.lower().replace("_", "-")
    if key not in _TREE:
        raise metadata.PackageNotFoundError(name)
    return _Installed(_TREE[key])


def test_extract_msg_coming_back_is_caught_with_what_it_pulls_in() -> None:
    components = runtime_components("dsar-desk", distribution=_lookup)
    assert [c.name for c in components] == [
        "SQLAlchemy",
        "extract-msg",
        "olefile",
        "oletools",
        "pcodedmp",
    ]  # the test extra (pytest) is not a runtime dependency
    caught = {c.name: c.required_by for c in components if c.gpl_only}
    assert caught == {"extract-msg": "dsar-desk", "pcodedmp": "oletools"}


def test_a_requirement_that_is_not_installed_is_an_error() -> None:
    with pytest.raises(MissingDependency, match="extract-msg"):
        runtime_components(
            "dsar-desk", distribution=lambda n: _lookup(n) if "extract" not in n else _missing(n)
        )


def _missing(name: str) -> metadata.Distribution:
    raise metadata.PackageNotFoundError(name)


def _meta(**fields: str | list[str]) -> Message:
    message = Message()
    for key, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            message[key.replace("_", "-")] = one
    return message


@pytest.mark.parametrize(
    ("fields", "gpl_only"),
    [
        ({"License_Expression": "MIT"}, False),
        ({"License_Expression": "Apache-2.0 OR BSD-3-Clause"}, False),
        ({"License_Expression": "AGPL-3.0-only"}, True),
        ({"License_Expression": "GPL-3.0-or-later"}, True),
        # PySide6 / shiboken6: we take the LGPL.
        ({"License": "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"}, False),
        ({"License": "GPL"}, True),
        ({"License": "GPLv2-or-later with a special exception"}, True),
        ({"License": "MIT", "Classifier": ["License :: OSI Approved :: MIT License"]}, False),
        (
            {"Classifier": ["License :: OSI Approved :: GNU Affero General Public License v3"]},
            True,
        ),
        (
            {
                "Classifier": [
                    "License :: OSI Approved :: GNU Library or Lesser General Public License (LGPL)"
                ]
            },
            False,
        ),
        (
            {"Classifier": ["License :: OSI Approved :: GNU Lesser General Public License v3"]},
            False,
        ),
        (
            {"Classifier": ["License :: OSI Approved :: GNU General Public License v3 (GPLv3)"]},
            True,
        ),
        # An SPDX expression is the authority over older classifiers.
        (
            {
                "License_Expression": "MIT",
                "Classifier": ["License :: OSI Approved :: GNU General Public License (GPL)"],
            },
            False,
        ),
    ],
)
def test_licence_statements(fields: dict[str, str | list[str]], gpl_only: bool) -> None:
    assert is_strong_copyleft(_meta(**fields)) is gpl_only

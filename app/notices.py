"""THIRD-PARTY-NOTICES: every component that ships with DSAR Desk, its licence text, and the
source offer the LGPL asks for (Qt/PySide6, python-bidi, LGPL system libraries).

The list is made, never typed: Python packages from the installed dependency tree
(`app.licences`), plus what is not a Python package — the Python runtime, the fonts, Qt's
own licence texts, and in a bundle the PyInstaller bootloader and the operating-system
libraries PyInstaller copied in (their Debian package's copyright file). A bundled file
whose licence cannot be found stops the build rather than shipping without a notice.
"""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from importlib.resources import files
from pathlib import Path

from packaging.utils import canonicalize_name

from app.licences import (
    APP_DISTRIBUTION,
    Component,
    is_weak_copyleft_text,
    runtime_components,
)

NOTICES_NAME = "THIRD-PARTY-NOTICES.txt"
QT_DOWNLOADS = "https://download.qt.io/official_releases/QtForPython/pyside6/"
_QT_DISTRIBUTIONS = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"}
# The sqlcipher3 wheels carry only the binding's zlib licence; inside are SQLCipher (BSD) and,
# on Linux, OpenSSL's libcrypto (Apache-2.0).
_SQLCIPHER_DISTRIBUTIONS = {"sqlcipher3-binary", "sqlcipher3-wheels"}
_HEADINGS = {
    "Python runtime": "Python runtime:",
    "Python package": "Python packages:",
    "Font": "Fonts:",
    "Bootloader": "Bootloader:",
    "System library": "Operating-system libraries (Debian packages):",
}
_COMMON_LICENCE = re.compile(r"/usr/share/common-licenses/([A-Za-z0-9.+\-]+)")


@dataclass(frozen=True, slots=True)
class Notice:
    """One shipped component and the licence texts that go with it."""

    name: str
    version: str
    licence: str
    kind: str  # "Python package", "Python runtime", "Font", "Bootloader", "System library"
    texts: tuple[tuple[str, str], ...]  # (title, full text)


class NoticeMissing(LookupError):
    """A file is to be shipped whose licence could not be found: do not ship it like that."""


# ---------------------------------------------------------------------------------------
# What the app runs on (the same in a bundle and in a development install)


def app_notices() -> list[Notice]:
    """Python packages, Python itself and the fonts: what any installed copy carries."""
    notices = [_package_notice(component) for component in runtime_components()]
    notices.append(_python_notice())
    notices.extend(_font_notices())
    return notices


def _package_notice(component: Component) -> Notice:
    dist = metadata.distribution(component.name)
    texts = _licence_files(dist)
    if canonicalize_name(component.name) in _QT_DISTRIBUTIONS:
        # The Qt wheels carry no licence file; Qt is LGPL-3.0 (which builds on the GPL-3.0
        # text), and it ships ICU inside.
        texts += [
            (name, _resource_text(name)) for name in ("LGPL-3.0.txt", "GPL-3.0.txt", "ICU.txt")
        ]
    if canonicalize_name(component.name) in _SQLCIPHER_DISTRIBUTIONS:
        texts += [(name, _resource_text(name)) for name in ("SQLCipher.txt", "Apache-2.0.txt")]
    if not texts:
        raise NoticeMissing(f"{component.name} {component.version} has no licence file")
    licence = component.licence
    if canonicalize_name(component.name) in _QT_DISTRIBUTIONS:
        licence = f"used under LGPL-3.0-only (offered as: {licence})"
    return Notice(component.name, component.version, licence, "Python package", tuple(texts))


def _licence_files(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """The licence files the package installed (PEP 639 `License-File`, or the dist-info
    files that old-style wheels name LICENSE/COPYING/NOTICE)."""
    declared = set(dist.metadata.get_all("License-File") or [])
    texts = []
    for path in dist.files or []:
        parts = path.parts
        in_dist_info = parts and parts[0].endswith(".dist-info")
        # PEP 639 names each file relative to the dist-info's licenses/ folder, and may
        # keep it in sub-folders (pypdfium2: LICENSES/Apache-2.0.txt).
        inside = "/".join(parts[1:]).removeprefix("licenses/")
        named = (
            path.name in declared
            or inside in declared
            or re.match(r"(LICEN[CS]E|COPYING|NOTICE)", path.name, re.I)
        )
        if in_dist_info and named:
            located = Path(str(dist.locate_file(path)))
            text = located.read_text(encoding="utf-8", errors="replace")
            texts.append((inside, text))
    return sorted(texts)


def _python_notice() -> Notice:
    candidates = [
        Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt",
        Path(sys.base_prefix) / "LICENSE.txt",
        Path(f"/usr/share/doc/python{sys.version_info.major}.{sys.version_info.minor}/copyright"),
    ]
    for path in candidates:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            return Notice(
                "Python",
                platform.python_version(),
                "PSF-2.0",
                "Python runtime",
                ((path.name, text),),
            )
    raise NoticeMissing("the Python licence (LICENSE.txt) was not found beside the stdlib")


def _font_notices() -> list[Notice]:
    notices = []
    for entry in sorted(files("resources.fonts").iterdir(), key=lambda e: e.name):
        if entry.name.startswith("LICENSE-"):
            text = entry.read_text(encoding="utf-8")
            family = entry.name.removeprefix("LICENSE-").removesuffix(".txt")
            licence = "OFL-1.1" if "Open Font License" in text else _first_licence(text)
            notices.append(Notice(family, "", licence, "Font", ((entry.name, text),)))
    return notices


def _first_licence(text: str) -> str:
    for name in ("Apache License, Version 2.0", "Bitstream Vera", "public domain"):
        if name.lower() in text.lower():
            return name
    return "see text"


def _resource_text(name: str) -> str:
    return files("resources.licences").joinpath(name).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# What a bundle adds: the bootloader and the system libraries PyInstaller copied in


def bundle_notices(bundled_files: Iterable[str | Path]) -> list[Notice]:
    notices = app_notices()
    notices.append(_bootloader_notice())
    notices.extend(system_library_notices(bundled_files))
    return notices


# What builds the bundle and puts a little of itself in it (runtime hooks, the bootloader's
# helpers): named in the notices as the bootloader.
_BUILD_TOOLS = frozenset({"pyinstaller", "pyinstaller-hooks-contrib"})


def check_bundled_packages(bundled: Iterable[str | Path]) -> None:
    """Every bundled file from an installed Python distribution must come from a runtime
    dependency of the app: only those are licence-checked (`app.licences`) and listed in
    the notices. A freezer also follows optional imports (mako's Pygments plugin brought
    in Pygments, a test tool here), and that would ship a package nobody checked. build.spec
    runs this on everything the analysis collected, before anything is written."""
    wanted = {canonicalize_name(c.name) for c in runtime_components()}
    wanted |= {canonicalize_name(APP_DISTRIBUTION), *_BUILD_TOOLS}
    owners = _owners_of_installed_files()
    strays: dict[str, list[str]] = {}
    for item in bundled:
        path = Path(item).resolve()
        owner, relative = owners.get(path, (None, ""))
        if owner is not None and canonicalize_name(owner) not in wanted:
            strays.setdefault(owner, []).append(relative)
    if strays:
        listed = "; ".join(
            f"{owner} ({', '.join(sorted(names)[:3])}{', …' if len(names) > 3 else ''})"
            for owner, names in sorted(strays.items())
        )
        raise NoticeMissing(
            f"bundled but not a runtime dependency of {APP_DISTRIBUTION}: {listed}. "
            "Exclude it in build.spec, or add it to pyproject.toml's dependencies "
            "(where the licence test checks it)."
        )


def _owners_of_installed_files() -> dict[Path, tuple[str, str]]:
    """Each installed file: the distribution that installed it, and its path as recorded."""
    owners: dict[Path, tuple[str, str]] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        for file in dist.files or []:
            owners.setdefault(Path(str(dist.locate_file(file))).resolve(), (name, str(file)))
    return owners


def _bootloader_notice() -> Notice:
    dist = metadata.distribution("pyinstaller")
    return Notice(
        "PyInstaller bootloader",
        dist.version,
        "GPL-2.0-or-later WITH Bootloader-exception (allows shipping it with any program)",
        "Bootloader",
        tuple(_licence_files(dist)),
    )


def system_library_notices(bundled_files: Iterable[str | Path]) -> list[Notice]:
    """Group the bundled files that belong to no Python package (and are not Python's own)
    by the Debian package that installed them, with its copyright file."""
    owned = _files_of_python_packages()
    python_home = Path(sys.base_prefix).resolve()
    packages: dict[str, list[str]] = {}
    for item in bundled_files:
        path = Path(item).resolve()
        if path in owned or path.is_relative_to(python_home):
            continue
        package = _debian_package(path)
        if package is None:
            raise NoticeMissing(f"no licence found for {path} (not from a known package)")
        packages.setdefault(package, []).append(path.name)
    return [_debian_notice(package, sorted(names)) for package, names in sorted(packages.items())]


def _files_of_python_packages() -> set[Path]:
    owned: set[Path] = set()
    for component in runtime_components():
        dist = metadata.distribution(component.name)
        owned.update(Path(str(dist.locate_file(f))).resolve() for f in dist.files or [])
    return owned


def _debian_package(path: Path) -> str | None:
    if shutil.which("dpkg-query") is None:
        return None
    text = str(path)
    candidates = [text]
    for merged, unmerged in (("/usr/lib/", "/lib/"), ("/usr/lib64/", "/lib64/")):
        if text.startswith(merged):
            candidates.append(unmerged + text.removeprefix(merged))
        elif text.startswith(unmerged):
            candidates.append(merged + text.removeprefix(unmerged))
    for candidate in candidates:
        found = subprocess.run(
            ["dpkg-query", "-S", candidate], capture_output=True, text=True, check=False
        )
        if found.returncode == 0 and ":" in found.stdout:
            return found.stdout.split(":", 1)[0].strip()
    return None


def _debian_notice(package: str, library_names: list[str]) -> Notice:
    base = package.split(":")[0]
    version = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", package],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    copyright_file = Path("/usr/share/doc") / base / "copyright"
    if not copyright_file.is_file():
        raise NoticeMissing(f"{base} has no copyright file ({copyright_file})")
    text = copyright_file.read_text(encoding="utf-8", errors="replace")
    texts = [(f"{base} copyright ({', '.join(library_names)})", text)]
    for name in dict.fromkeys(_COMMON_LICENCE.findall(text)):
        common = Path("/usr/share/common-licenses") / name
        if common.is_file():
            texts.append((f"{name} (referred to by {base})", common.read_text(encoding="utf-8")))
    # Debian's copyright file gives each part of the source its own licence (a library is
    # often LGPL where its package's tools are GPL): the file itself is the statement.
    licence = "as stated in its Debian copyright file, below"
    return Notice(base, version, licence, "System library", tuple(texts))


# ---------------------------------------------------------------------------------------
# The text


def notices_text(notices: list[Notice], *, app_version: str, bundle: bool) -> str:
    lines = [
        f"DSAR Desk {app_version}: third-party notices",
        "",
        "DSAR Desk is proprietary software. It is built with and ships the components below,",
        "each under its own licence, whose full text follows the list.",
    ]
    if not bundle:
        lines += [
            "(This list is of a development install. The installable bundle's notices also",
            "name the PyInstaller bootloader and the operating-system libraries it carries.)",
        ]
    lines += ["", "COMPONENTS", ""]
    for kind, heading in _HEADINGS.items():
        group = [n for n in notices if n.kind == kind]
        if not group:
            continue
        lines.append(heading)
        for notice in group:
            version = f" {notice.version}" if notice.version else ""
            lines.append(f"  - {notice.name}{version}: {notice.licence}")
        lines.append("")
    lines += _source_offer(notices)
    lines += ["", "LICENCE TEXTS", ""]
    first_seen: dict[str, str] = {}  # the Qt wheels share one LGPL text: print it once
    for notice in notices:
        version = f" {notice.version}" if notice.version else ""
        for title, text in notice.texts:
            label = f"{notice.name}{version}: {title}"
            lines += ["=" * 78, label, "=" * 78]
            if text in first_seen:
                lines += [f"(The same text as under “{first_seen[text]}” above.)", ""]
                continue
            first_seen[text] = label
            lines += [text.rstrip(), ""]
    return "\n".join(lines) + "\n"


def _source_offer(notices: list[Notice]) -> list[str]:
    lgpl = [n for n in notices if is_weak_copyleft_text(n.licence)]
    qt = next((n for n in notices if n.name.lower() == "pyside6"), None)
    lines = [
        "SOURCE CODE OFFER (GNU LESSER GENERAL PUBLIC LICENSE)",
        "",
        "These components are used under the GNU LGPL. Each is shipped as a separate shared",
        "library (for Qt and PySide6: the libQt6*, pyside6, shiboken6 and Qt* module files; for",
        "python-bidi: the bidi extension module), so you may replace it with a modified",
        "version of your own; DSAR Desk uses it only through its public interface.",
        "",
    ]
    for notice in lgpl:
        lines.append(f"  - {notice.name} {notice.version}: {notice.licence}")
    lines += [
        "",
        "The complete corresponding source code of these exact versions is published by their",
        "authors: Qt for Python (PySide6, shiboken6) and the Qt libraries it contains at",
        f"{QT_DOWNLOADS}PySide6-{qt.version if qt else ''}-src/;",
        "python-bidi as the source distribution of its version on the Python Package Index;",
        "operating-system libraries as the Debian source package of the version named.",
        "For three years from the day you received this copy of DSAR Desk, its supplier will",
        "also send you that source code on request, on a medium customarily used for",
        "software interchange, for no more than the cost of physically making the copy.",
    ]
    return lines


def write_bundle_notices(path: Path, *, bundled_files: Iterable[str | Path]) -> Path:
    """Write the bundle's THIRD-PARTY-NOTICES.txt (run by build.spec after COLLECT)."""
    version = metadata.version("dsar-desk")
    path.write_text(
        notices_text(bundle_notices(bundled_files), app_version=version, bundle=True),
        encoding="utf-8",
    )
    return path


def shipped_notices_path() -> Path | None:
    """The notices file beside the executable, when running from a bundle."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent / NOTICES_NAME


def read_notices() -> str:
    """What Help ▸ About shows: the bundle's own file, else the same list made now."""
    shipped = shipped_notices_path()
    if shipped is not None:
        return shipped.read_text(encoding="utf-8")
    version = metadata.version("dsar-desk")
    return notices_text(app_notices(), app_version=version, bundle=False)

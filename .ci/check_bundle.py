"""Check a built one-folder bundle before it is run: `python .ci/check_bundle.py dist/dsar-desk`.

- nothing that must not ship is in it (GNU readline, Qt Virtual Keyboard, QML, Quick,
  Qt Charts);
- every shared library in it finds every library it links against (ldd, with the bundle's
  own folder first, as the bootloader sets it up), so dropping those parts lost nothing;
- every data file the app reads is there (migrations, fonts, letter templates, licence texts,
  the self-test's samples);
- THIRD-PARTY-NOTICES.txt is beside the executable, with the LGPL source offer.
Prints what it found; exits 1 with the reasons when anything is wrong.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = re.compile(
    r"readline|VirtualKeyboard|Qt6Qml|Qt6Quick|libqgtk3|Qt6Charts|QtCharts", re.IGNORECASE
)
# Part of every Wayland desktop session and not installed on a build machine without one:
# the Wayland platform plugin finds them on the user's system (as it finds libc and libGL).
FROM_THE_DESKTOP = re.compile(r"^libwayland-(client|cursor|egl)\.so")
DATA_FOLDERS = [
    "app/migrations",
    "resources/fonts",
    "resources/letters",
    "resources/licences",
    "resources/selftest",
]


def main(bundle: Path) -> int:
    internal = bundle / "_internal"
    problems: list[str] = []
    files = [p for p in bundle.rglob("*") if p.is_file() or p.is_symlink()]

    problems += [
        f"must not ship: {p.relative_to(bundle)}" for p in files if FORBIDDEN.search(p.name)
    ]
    problems += [f"dangling link: {p.relative_to(bundle)}" for p in files if not p.exists()]

    elves = [p for p in files if p.exists() and not p.is_symlink() and _is_elf(p)]
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    unresolved: dict[str, set[str]] = {}
    for elf in elves:
        out = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env).stdout
        for line in out.splitlines():
            if "not found" in line:
                unresolved.setdefault(line.split()[0], set()).add(str(elf.relative_to(bundle)))
    for library, needers in sorted(unresolved.items()):
        if FROM_THE_DESKTOP.match(library):
            print(f"bundle: {library} comes from the desktop session ({len(needers)} plugins)")
            continue
        problems.append(f"{library} not found, needed by {', '.join(sorted(needers))}")

    for folder in DATA_FOLDERS:
        for source in (ROOT / folder).rglob("*"):
            if source.is_file() and "__pycache__" not in source.parts:
                relative = source.relative_to(ROOT)
                if not (internal / relative).is_file():
                    problems.append(f"data file missing: {relative}")

    notices = bundle / "THIRD-PARTY-NOTICES.txt"
    if not notices.is_file():
        problems.append("THIRD-PARTY-NOTICES.txt is missing")
    else:
        text = notices.read_text(encoding="utf-8")
        for needed in ("PySide6", "shiboken6", "python-bidi", "SOURCE CODE OFFER", "LGPL-3.0"):
            if needed not in text:
                problems.append(f"THIRD-PARTY-NOTICES.txt does not mention {needed}")

    size = sum(p.stat().st_size for p in files if p.exists() and not p.is_symlink())
    print(
        f"bundle: {size / 1e6:.0f} MB in {len(files)} files; {len(elves)} ELF files checked "
        f"with ldd; data folders: {', '.join(DATA_FOLDERS)}"
    )
    for problem in problems:
        print(f"bundle problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _is_elf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"\x7fELF"


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))

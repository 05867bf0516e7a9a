"""The app's own fonts, registered with Qt so every name displays on any workstation.

A machine with only Latin fonts would show Chinese, Japanese, Korean or Arabic names as
empty boxes; the letters already carry these fonts (resources/fonts), so the window uses them
too. Qt falls back to application fonts for characters the default font lacks.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from PySide6.QtGui import QFontDatabase


@cache
def register_bundled_fonts() -> tuple[str, ...]:
    """Register every shipped TTF once; return the family names Qt now knows from them."""
    families: list[str] = []
    for entry in sorted(files("resources.fonts").iterdir(), key=lambda e: e.name):
        if not entry.name.lower().endswith((".ttf", ".otf")):
            continue
        font_id = QFontDatabase.addApplicationFontFromData(entry.read_bytes())
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return tuple(dict.fromkeys(families))

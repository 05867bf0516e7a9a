"""Turning plain text into reportlab paragraph markup, safely.

Everything that reaches a reportlab Paragraph passes through `markup()`: the text is
XML-escaped first, so a name such as `<b>Ann</b> & Co` prints exactly as typed, and
`<img src="...">` or `<font ...>` in a name or an address is text, never a tag (unescaped,
reportlab would read a local file into the letter). Only this module writes tags, and only
`<br/>` and `<font name="...">` with our own font names.

Fonts: DejaVu Sans (shipped in resources/fonts) covers Latin, Greek, Cyrillic and Hebrew
glyphs. Characters it lacks but Droid Sans Fallback has (Chinese, Japanese, Korean) are
wrapped in a `<font>` run of that font, so a CJK name prints legibly and is embedded (a
subset) in the PDF, not left to the reader's viewer. Arabic script goes to Noto Sans Arabic,
which has every presentation form arabic-reshaper produces (DejaVu lacks some, such as the
Urdu letters and the Allah ligature).

Right-to-left text: Arabic is shaped here, on the logical text before escaping
(app.letters.bidi.shape); the reordering into visual order happens per printed line in
app.letters.layout, which re-escapes each line through `font_runs`.
"""

from __future__ import annotations

import itertools
import threading
from functools import lru_cache
from importlib import resources
from string import Template
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.domain import DomainError
from app.letters.bidi import is_arabic, shape
from app.letters.placeholders import REQUIRED_MESSAGES

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "DroidSansFallback"
ARABIC = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"
_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    FALLBACK: "DroidSansFallback.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
}
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    register_fonts()
    regular = pdfmetrics.getFont(REGULAR)
    fallback = pdfmetrics.getFont(FALLBACK)
    return frozenset(regular.face.charToGlyph), frozenset(fallback.face.charToGlyph)  # type: ignore[attr-defined]


_registered = False


def register_fonts() -> None:
    """Register the shipped fonts with reportlab once per process."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = resources.files("resources.fonts")
        for name, filename in _FILES.items():
            with resources.as_file(folder.joinpath(filename)) as path:
                font = TTFont(name, str(path))
            _remember_subsets(font)
            pdfmetrics.registerFont(font)
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
        addMapping(BOLD, 0, 0, BOLD)
        addMapping(BOLD, 1, 0, BOLD)
        addMapping(BOLD, 0, 1, BOLD)
        addMapping(BOLD, 1, 1, BOLD)
        addMapping(FALLBACK, 0, 0, FALLBACK)
        addMapping(FALLBACK, 1, 0, FALLBACK)
        addMapping(FALLBACK, 0, 1, FALLBACK)
        addMapping(FALLBACK, 1, 1, FALLBACK)
        # A <font name> tag sets the face outright, bold or not (bold_runs picks the bold
        # face for a bold style); reportlab needs each face's family mapped all the same.
        for face in (ARABIC, ARABIC_BOLD):
            addMapping(face, 0, 0, face)
            addMapping(face, 1, 0, ARABIC_BOLD)
            addMapping(face, 0, 1, face)
            addMapping(face, 1, 1, ARABIC_BOLD)
        _registered = True


def _remember_subsets(font: TTFont) -> None:
    """Keep the font programs reportlab cuts from this face for the last few sets of
    characters. reportlab cuts one for every PDF, about a tenth of a letter's time, yet a
    DPO's letters share their characters: 300 acknowledgements used 22 sets of the regular
    face and one of the bold. The program depends on nothing but the characters, in their
    order, so a kept one is the same bytes."""
    face = font.face
    cut = face.makeSubset

    @lru_cache(maxsize=32)  # ~35 KB each
    def kept(subset: tuple[int, ...]) -> bytes:
        return cut(list(subset))  # type: ignore[no-any-return]

    face.makeSubset = lambda subset: kept(tuple(subset))


def _font_of(ch: str, regular: frozenset[int], fallback: frozenset[int]) -> str | None:
    if is_arabic(ch):
        return ARABIC
    code = ord(ch)
    if code in regular or ch.isspace() or code not in fallback:
        return None
    return FALLBACK


def markup(text: str) -> str:
    """Paragraph markup that prints `text` exactly: escaped, newlines as line breaks,
    Arabic shaped and set in the Arabic font, characters DejaVu lacks in the fallback font."""
    if text.isascii():
        return escape(text).replace("\n", "<br/>")
    return font_runs(shape(text))


def font_runs(text: str) -> str:
    """`text` escaped, in `<font>` runs of the font that has its glyphs; no shaping (the
    visual lines of app.letters.bidi are shaped already)."""
    if text.isascii():
        return escape(text).replace("\n", "<br/>")
    regular, fallback = _coverage()
    parts: list[str] = []
    for font, run in itertools.groupby(text, key=lambda ch: _font_of(ch, regular, fallback)):
        chunk = escape("".join(run)).replace("\n", "<br/>")
        parts.append(chunk if font is None else f'<font name="{font}">{chunk}</font>')
    return "".join(parts)


def bold_runs(markup: str) -> str:
    """`markup` for a bold style: its Arabic runs in the bold Arabic face. A `<font name>`
    tag sets the face outright, so the style's boldness does not reach the runs inside it.
    Only our own tags can match: user text reaches here escaped."""
    return markup.replace(f'<font name="{ARABIC}">', f'<font name="{ARABIC_BOLD}">')


def fill(text: str, values: dict[str, str]) -> str:
    """Template text with its placeholders filled, as paragraph markup. The template's own
    words are escaped too: the DPO typed them."""
    out: list[str] = []
    position = 0
    for match in Template.pattern.finditer(text):
        out.append(markup(text[position : match.start()]))
        position = match.end()
        if match.group("escaped") is not None:
            out.append("$")
            continue
        name = match.group("named") or match.group("braced")
        if name is None:  # validated earlier; defensive
            raise DomainError("A '$' in the template does not start a placeholder.")
        if name not in values:
            raise DomainError(f"Unknown placeholder ${name} in the template.")
        value = values[name]
        if not value.strip() and name in REQUIRED_MESSAGES:
            raise DomainError(REQUIRED_MESSAGES[name])
        out.append(markup(value))
    out.append(markup(text[position:]))
    return "".join(out)

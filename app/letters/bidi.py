"""Right-to-left text (Arabic, Hebrew) on the letters: shaped, and in reading order per line.

reportlab draws the characters of a line left to right, one glyph per character, with no
shaping, and its own bidi support needs `rlbidi` (not on PyPI) plus `uharfbuzz`. So we do
the two steps ourselves, in the order that keeps a wrapped paragraph readable:

1. Shaping, on the logical text (app.letters.markup, before escaping): arabic-reshaper
   replaces each Arabic letter with the presentation form for its position in the word
   (initial, medial, final, isolated) and the lam-alef ligatures, so the letters join.
2. Reordering, per printed line, after reportlab has wrapped the logical paragraph
   (`BidiParagraph`): python-bidi's `get_display` puts each line in visual order, with the
   base direction of the whole paragraph. Reordering the paragraph before wrapping would
   print a long Arabic address with its lines bottom-to-top.

Only the text moves: each visual line is escaped again and split into font runs by
app.letters.markup, so user data never becomes markup on the way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import arabic_reshaper
from bidi import get_base_level, get_display
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

# Hebrew, Arabic (with Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic Extended), and the
# Hebrew and Arabic presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")
_STRONG_RTL = {"R", "AL"}
# Zero-width marks standing in for the strong character just before or after a line.
_MARK = {"L": "\u200e", "R": "\u200f", "AL": "\u061c"}  # LRM, RLM, ALM
_MARKS = str.maketrans("", "", "".join(_MARK.values()))


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def is_arabic(ch: str) -> bool:
    return _ARABIC.match(ch) is not None


def shape(text: str) -> str:
    """Arabic letters in their joined presentation forms, still in logical order. Harakat
    (short-vowel marks) are dropped, as arabic-reshaper does by default: drawn one glyph at a
    time they would land on the wrong letter."""
    if _ARABIC.search(text) is None:
        return text
    return arabic_reshaper.reshape(text)


def visual_line(
    line: str, rtl_base: bool, before: str | None = None, after: str | None = None
) -> str:
    """One printed line in display order (left to right as drawn).

    `before` and `after` are the bidi classes (L, R, AL) of the nearest strong characters
    on the lines before and after, in the same paragraph. A zero-width mark of that class
    at each end makes python-bidi resolve the line's edge punctuation and numbers as it
    would in the whole paragraph (a comma ending a wrapped Arabic line inside an English
    paragraph stays with its word), while the reordering itself stays per line.
    """
    if not rtl_base and not has_rtl(line):
        return line
    context = _MARK.get(before or "", "") + line + _MARK.get(after or "", "")
    shown = get_display(context, base_dir="R" if rtl_base else "L").translate(_MARKS)
    return _marks_after_base(shown)


def _strong(text: str) -> list[str]:
    return [c for c in map(unicodedata.bidirectional, text) if c in _MARK]


def _marks_after_base(text: str) -> str:
    """Reversing a right-to-left run puts each combining mark (Hebrew points) before its
    letter; drawn that way it would sit on the neighbour. Move it back after its letter."""
    if not any(unicodedata.combining(ch) for ch in text):
        return text
    chars = list(text)
    out: list[str] = []
    index = 0
    while index < len(chars):
        end = index
        while end < len(chars) and unicodedata.combining(chars[end]):
            end += 1
        marks = chars[index:end]
        follows_rtl = end < len(chars) and unicodedata.bidirectional(chars[end]) in _STRONG_RTL
        after_ltr = bool(out) and unicodedata.bidirectional(out[-1]) == "L"
        if marks and follows_rtl and not after_ltr:
            out.append(chars[end])
            out += reversed(marks)  # back in their logical order too
            index = end + 1
        elif marks:
            out += marks
            index = end
        else:
            out.append(chars[index])
            index += 1
    return "".join(out)


def _line_texts(paragraph: Paragraph) -> list[tuple[str, bool]]:
    """(logical text, ends with a forced break) of each line reportlab has wrapped."""
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        return [(" ".join(words), False) for _extra, words in lines]
    return [
        ("".join(getattr(frag, "text", "") for frag in line.words), bool(line.lineBreak))
        for line in lines
    ]


def visual_lines(paragraph: Paragraph) -> list[str]:
    """The wrapped lines of `paragraph` in display order. Each run of lines up to a forced
    break is one bidi paragraph: its first strong character sets the base direction."""
    out: list[str] = []
    segment: list[str] = []
    for text, forced_break in _line_texts(paragraph):
        segment.append(text.strip())
        if forced_break:
            out += reorder_lines(segment)
            segment = []
    if segment:
        out += reorder_lines(segment)
    return out


def reorder_lines(lines: list[str]) -> list[str]:
    """The lines of one bidi paragraph (wrapped, logical order) in display order."""
    rtl_base = get_base_level(" ".join(lines)) == 1
    strong = [_strong(line) for line in lines]
    before: list[str | None] = []
    last: str | None = None
    for classes in strong:
        before.append(last)
        last = classes[-1] if classes else last
    after: list[str | None] = []
    first: str | None = None
    for classes in reversed(strong):
        after.append(first)
        first = classes[0] if classes else first
    after.reverse()
    return [
        visual_line(line, rtl_base, b, a) for line, b, a in zip(lines, before, after, strict=True)
    ]


class BidiParagraph(Flowable):
    """A paragraph with right-to-left text: wrapped in logical order, printed in visual order.

    At each width it is wrapped at, it wraps the logical paragraph, reorders every line,
    and lays those lines out as a plain Paragraph with a forced break after each (so the
    line breaks are the logical ones). Splitting across pages hands over that plain
    Paragraph's parts, already in visual order. Inline styles (`<b>`) are not kept: give the
    style the font instead.
    """

    def __init__(
        self,
        text: str,
        style: ParagraphStyle,
        runs: Callable[[str], str],
        bulletText: str | None = None,
    ) -> None:
        super().__init__()
        self.text, self.style, self.bulletText = text, style, bulletText
        self._runs = runs  # plain text -> escaped markup in font runs, no reshaping
        self._visual: Paragraph | None = None
        self._visual_width: float | None = None

    def _visual_at(self, width: float) -> Paragraph:
        if self._visual is None or self._visual_width != width:
            logical = Paragraph(self.text, self.style, bulletText=self.bulletText)
            logical.wrap(width, 1e9)
            markup = "<br/>".join(self._runs(line) for line in visual_lines(logical))
            self._visual = Paragraph(markup, self.style, bulletText=self.bulletText)
            self._visual_width = width
        return self._visual

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self._visual_at(availWidth).wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return self._visual_at(availWidth).split(availWidth, availHeight)

    def minWidth(self) -> float:
        return Paragraph(self.text, self.style, bulletText=self.bulletText).minWidth()

    def draw(self) -> None:
        canvas: Canvas = self.canv
        assert self._visual is not None, "wrap() comes before draw()"
        self._visual.drawOn(canvas, 0, 0)

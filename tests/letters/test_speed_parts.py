"""The parts that make letters faster, each checked to change no byte of a letter.

reportlab's C accelerator (the rl-accel package): reportlab falls back to pure Python without
a word when `_rl_accel` cannot be imported, so a missing install (or a bundle that left the
module out) would only show as slower letters.

Kept font subsets (app.letters.markup): the font program cut for a set of characters is
kept and given again for the same set, and it is the program reportlab itself cuts.
"""

from __future__ import annotations

import importlib.metadata
import types

from reportlab.lib import rl_accel
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile

from app.letters.markup import BOLD, REGULAR, register_fonts


def test_reportlab_uses_the_c_accelerator() -> None:
    assert importlib.metadata.version("rl-accel")
    for name in ("fp_str", "asciiBase85Encode", "instanceStringWidthTTF", "escapePDF"):
        function = getattr(rl_accel, name)
        assert isinstance(function, types.BuiltinFunctionType), f"{name} is the Python fallback"


def test_a_kept_font_subset_is_the_one_reportlab_cuts_and_is_cut_once() -> None:
    register_fonts()
    for name, text in ((REGULAR, "Dear Zoë Adeyemi, 12 High Street"), (BOLD, "Priya Shah")):
        face = pdfmetrics.getFont(name).face
        subset = [ord(ch) for ch in dict.fromkeys(text)]
        first = face.makeSubset(subset)
        assert first == TTFontFile.makeSubset(face, subset)  # reportlab's own cut
        assert face.makeSubset(list(subset)) is first  # kept, not cut again
        assert face.makeSubset(subset[::-1]) != first  # another order is another program

"""reportlab's C accelerator (the rl-accel package) is installed and used.

reportlab falls back to pure Python without a word when `_rl_accel` cannot be imported, so a
missing install (or a bundle that left the module out) would only show as slower letters.
The accelerator changes no byte of a letter: only how fast the numbers and widths are made.
"""

from __future__ import annotations

import importlib.metadata
import types

from reportlab.lib import rl_accel


def test_reportlab_uses_the_c_accelerator() -> None:
    assert importlib.metadata.version("rl-accel")
    for name in ("fp_str", "asciiBase85Encode", "instanceStringWidthTTF", "escapePDF"):
        function = getattr(rl_accel, name)
        assert isinstance(function, types.BuiltinFunctionType), f"{name} is the Python fallback"

"""Checking a letterhead logo before it is kept: PNG or JPEG that reportlab can draw, of a
sensible size. The message is for the DPO choosing the file."""

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader

MAX_LOGO_BYTES = 2 * 1024 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"


def logo_problem(data: bytes) -> str | None:
    """None when `data` is a usable PNG or JPEG logo, else what is wrong with it."""
    if not data:
        return "The file is empty."
    if not (data.startswith(_PNG) or data.startswith(_JPEG)):
        return "The logo must be a PNG or JPEG image; this file is neither."
    if len(data) > MAX_LOGO_BYTES:
        return (
            f"The logo is {len(data) / 1024 / 1024:.1f} MB; use an image under 2 MB "
            "(a few hundred pixels wide is plenty for a letterhead)."
        )
    try:
        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # any decoder failure means the same thing to the DPO
        return "The image could not be read; it may be damaged. Try saving it again as PNG."
    if width < 1 or height < 1:
        return "The image has no pixels."
    return None

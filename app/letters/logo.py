"""Checking a letterhead logo before it is kept: PNG or JPEG that reportlab can draw, of a
sensible size. The message is for the DPO choosing the file.

The image is decoded in full, not only its header: a truncated PNG has a valid header and
size, and used to be accepted, after which every letter failed to draw it. Letters check
the stored logo the same way, so one kept by an older version is named, not crashed on.
"""

from __future__ import annotations

import io
import warnings
from functools import lru_cache

from PIL import Image

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 25_000_000  # a 5000 x 5000 letterhead is already far more than needed
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
    return _decoding_problem(data)


@lru_cache(maxsize=4)  # letters check the same stored logo again and again
def _decoding_problem(data: bytes) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_LOGO_PIXELS:
                    return (
                        f"The image is {width:,} x {height:,} pixels; use one under "
                        "5,000 x 5,000 (a few hundred pixels wide is plenty)."
                    )
                image.load()  # every pixel: a truncated or corrupt file fails here
    except Exception:  # any decoder failure means the same thing to the DPO
        return "The image could not be read in full; it may be damaged. Try saving it again as PNG."
    if width < 1 or height < 1:
        return "The image has no pixels."
    return None

"""Text folding for search: one key that ignores case and accents in every script.

SQLite's LIKE folds ASCII only, so we store a folded copy of the searchable text and fold
the query the same way; a plain substring match on the two then finds "Jürgen Müller" for
"MÜLLER" and "muller", and "Zoë" for "zoe".
"""

from __future__ import annotations

import unicodedata

# Letters that carry their "accent" in the base character, so NFKD cannot split it off.
_EXTRA = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
    }
)


def fold(text: str) -> str:
    """Return `text` lower-cased, without diacritics, with runs of white space made one."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", stripped.casefold()).split())


def like_pattern(query: str) -> str:
    """A LIKE pattern (escape character backslash) that finds `query` anywhere in a folded key."""
    folded = fold(query)
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

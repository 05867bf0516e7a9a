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


def _fold_once(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_EXTRA)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.casefold())


def fold(text: str) -> str:
    """Return `text` case-folded, without diacritics, with runs of white space made one.

    Case-folding comes first (the Greek ypogegrammeni folds to an iota) and the pass repeats
    until nothing changes, because a compatibility letter can decompose into one that folds
    further (U+A7F8 becomes "ħ", then "h"): a key folded twice must equal a key folded once.
    """
    if text.isascii():  # the common case, and what fold() below does to it, without Unicode
        return " ".join(text.lower().split())
    folded = _fold_once(text)
    for _ in range(3):
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return " ".join(folded.split())


def like_pattern(query: str) -> str:
    """A LIKE pattern (escape character backslash) that finds `query` anywhere in a folded key."""
    folded = fold(query)
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

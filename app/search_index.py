"""The search index on SQLite: FTS5 with the trigram tokenizer over each case's folded search
key and folded description (migration 0003 builds it; triggers on `cases` keep it in step).

Everything here is SQLite's own; a PostgreSQL store would answer the same four questions from
a pg_trgm index (`expression`, `ids`, `first_ids`, `count`), and nothing above this module
needs to know which.

A query of three characters or more is one FTS5 phrase: its trigrams at consecutive positions,
which is exactly "the folded text contains the folded query". A trigram index has no entry for
one or two characters, so for those the query becomes the trigrams that *begin* with them,
read from the index's own vocabulary (`case_search_terms`): the indexed text of every column
ends with two U+001F characters, so each one- or two-character piece of it begins at least one
trigram. fold() never leaves U+001F in a key or a query, so no query can match the padding.
"""

from __future__ import annotations

from sqlalchemy import Integer, Select, Text, column, func, literal_column, select, table
from sqlalchemy.orm import Session

TRIGRAM = 3
_INDEX = table("case_search", column("rowid", Integer))
_TERMS = table("case_search_terms", column("term", Text))
_MATCH = literal_column("case_search").op("MATCH")


def phrase(text: str) -> str:
    """An FTS5 string literal: any character may appear inside, quotes are doubled."""
    return '"' + text.replace('"', '""') + '"'


def expression(session: Session, folded: str) -> str | None:
    """The MATCH expression for cases whose folded text contains `folded` (already folded,
    not empty), or None when no case can.

    For one or two characters this reads the vocabulary: cheap when few trigrams begin with
    them, but a common letter begins thousands of trigrams, each with a long list of cases.
    The caller decides (app.queries) whether a scan is the better way for such a query.
    """
    if len(folded) >= TRIGRAM:
        return phrase(folded)
    terms = session.scalars(
        select(_TERMS.c.term).where(*_prefix_range(folded)).order_by(_TERMS.c.term)
    ).all()
    terms = [term for term in terms if term.startswith(folded)]
    if not terms:
        return None
    return " OR ".join(phrase(term) for term in terms)


def ids(match: str) -> Select[tuple[int]]:
    """The ids of the cases matching `match` (in id order, as the index keeps them)."""
    return select(_INDEX.c.rowid).where(_MATCH(match))


def first_ids(session: Session, match: str, limit: int) -> list[int]:
    """The lowest `limit` ids matching: enough to tell a rare text from a common one."""
    return list(session.scalars(ids(match).order_by(_INDEX.c.rowid).limit(limit)))


def count(session: Session, match: str) -> int:
    """How many cases match, counted inside the index without reading a case."""
    return int(
        session.execute(select(func.count()).select_from(_INDEX).where(_MATCH(match))).scalar_one()
    )


def _prefix_range(prefix: str) -> list:  # type: ignore[type-arg]
    """Terms that begin with `prefix`: at least it, and below it with its last character
    raised by one (code point order is the index's byte order in UTF-8)."""
    conditions = [_TERMS.c.term >= prefix]
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:  # surrogates are not characters; skip them
        following = 0xE000
    if following <= 0x10FFFF:
        conditions.append(_TERMS.c.term < prefix[:-1] + chr(following))
    return conditions

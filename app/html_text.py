"""HTML → plain text for the intake description, in one forward pass.

Python's html.parser is quadratic on unclosed constructs (a run of `<!--`, `<![CDATA[` or
`<!` took minutes for a megabyte), so this scanner never looks back: each search starts
where the last one ended, and an unclosed tag or comment ends the text there. It only reads
markup, so nothing is fetched (no images, no styles, no links followed). Entities are
decoded by `html.unescape`, which is linear.
"""

from __future__ import annotations

import html
import re

SKIPPED = frozenset({"script", "style", "head", "title", "template", "noscript", "svg"})
BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "tr",
        "li",
        "ul",
        "ol",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "hr",
        "section",
        "article",
        "header",
        "footer",
    }
)
_NAME_END = " \t\n\r\f/>"


def html_to_text(markup: str) -> str:
    chunks: list[str] = []
    position, length = 0, len(markup)
    while position < length:
        start = markup.find("<", position)
        if start < 0:
            chunks.append(markup[position:])
            break
        chunks.append(markup[position:start])
        if markup.startswith("<!--", start):
            end = markup.find("-->", start + 4)
            if end < 0:
                break  # an unclosed comment: the rest is comment
            position = end + 3
            continue
        end = markup.find(">", start + 1)
        if end < 0:
            break  # an unclosed tag ends the text
        name, closing = _tag_name(markup, start + 1, end)
        position = end + 1
        if name in SKIPPED and not closing:
            position = _after_closing_tag(markup, name, position)
        elif name in BLOCKS:
            chunks.append("\n")
            if name == "li" and not closing:
                chunks.append("- ")
    text = html.unescape("".join(chunks)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _tag_name(markup: str, start: int, end: int) -> tuple[str, bool]:
    """The lower-case name of the tag between `start` and `end`, and whether it closes."""
    closing = markup.startswith("/", start)
    first = start + 1 if closing else start
    stop = first
    while stop < end and markup[stop] not in _NAME_END:
        stop += 1
    return markup[first:stop].lower(), closing


def _after_closing_tag(markup: str, name: str, position: int) -> int:
    """Where the text resumes after the end of a skipped element (its content is not text)."""
    lowered_name = f"</{name}"
    search = position
    while True:
        found = markup.find("</", search)
        if found < 0:
            return len(markup)
        if markup[found : found + len(lowered_name)].lower() == lowered_name:
            end = markup.find(">", found)
            return len(markup) if end < 0 else end + 1
        search = found + 2

"""CORE: the limits a narrative section's Markdown must keep to be laid out as Markdown.

Python-Markdown's parsers retry on runs of brackets, backticks and backslashes (quadratic or
worse: 4,000 ``[`` take 3 s, 50,000 never finish), spend ~80 µs on every paragraph, and
recurse once per nesting level (a list nested 1,000 deep raises RecursionError). A section past one of these limits is laid out as
plain paragraphs instead, with a warning naming the limit; the text itself is kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SECTION_CHARS = 50_000  # characters in one section (a section runs to a few thousand)
MAX_PARAGRAPHS = 1_000  # blocks separated by blank lines (each costs Python-Markdown ~80 µs and more)
MAX_MARKUP_CHARS = 1_000  # characters that open or close inline markup: [ ] < ` * _ \
MAX_NESTING = 16  # lists and quotes inside each other, on one line's prefix

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_MARKUP = re.compile(r"[\[\]<`*_\\]")
# a line's container prefix: indentation, quote markers, list markers
_PREFIX = re.compile(r"^(?:[ \t]|>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t]))*", re.MULTILINE)
_MARKER = re.compile(r"(?:>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?")  # and the space after it


@dataclass(frozen=True)
class MarkdownLimit:
    """Which limit a section passes: ``kind`` (``length``, ``paragraphs``, ``markup``,
    ``nesting``), the limit and the section's own count."""

    kind: str
    limit: int
    count: int


def markdown_limit(text: str) -> MarkdownLimit | None:
    """Returns the first limit ``text`` passes (length, paragraphs, markup, nesting), or None."""
    if len(text) > MAX_SECTION_CHARS:
        return MarkdownLimit("length", MAX_SECTION_CHARS, len(text))
    paragraphs = len(_BLANK_LINE.findall(text)) + 1
    if paragraphs > MAX_PARAGRAPHS:
        return MarkdownLimit("paragraphs", MAX_PARAGRAPHS, paragraphs)
    markup = len(_MARKUP.findall(text))
    if markup > MAX_MARKUP_CHARS:
        return MarkdownLimit("markup", MAX_MARKUP_CHARS, markup)
    depth = max((_depth(m.group(0)) for m in _PREFIX.finditer(text)), default=0)
    if depth > MAX_NESTING:
        return MarkdownLimit("nesting", MAX_NESTING, depth)
    return None


def _depth(prefix: str) -> int:
    """Returns how many containers a line's prefix opens: each marker, and each 4 columns of
    indentation besides the markers' own spaces (a nested list item is indented by 2 to 4)."""
    spaces = len(_MARKER.sub("", prefix).expandtabs(4))
    return len(_MARKER.findall(prefix)) + spaces // 4

"""CORE-ish: Markdown text → a small block model (headings, paragraphs, lists, tables, runs).

The ``markdown`` package (tables extension) turns the text into HTML; a tolerant HTML walker
turns that into blocks that the Word writer (``docgen.docx_xml``) writes as WordprocessingML.
Raw HTML the user typed is treated as text structure only: no attribute is ever used.
"""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import markdown

from docgen.model.blocks import Block, Run
from docgen.narrative.limits import markdown_limit

if TYPE_CHECKING:
    from markdown.extensions import Extension

_INLINE = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "code": "code"}


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.marks = {"bold": 0, "italic": 0, "code": 0}
        self.lists: list[str] = []
        self.table: Block | None = None
        self.row: list[list[Run]] | None = None
        self.cell: list[Run] | None = None
        self.in_head = False

    def _open(self, kind: str, level: int = 0) -> None:
        self.current = Block(kind, level=level)
        self.blocks.append(self.current)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INLINE:
            self.marks[_INLINE[tag]] += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._open("heading", int(tag[1]))
        elif tag == "p":
            if self.cell is None and not (
                self.lists
                and self.current
                and self.current.kind in ("bullet", "number")
                and not self.current.runs
            ):
                self._open("quote" if self._in_quote else "paragraph")
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            self._open("bullet" if self.lists and self.lists[-1] == "ul" else "number", len(self.lists))
        elif tag == "blockquote":
            self._in_quote = True
        elif tag == "table":
            self.table = Block("table")
            self.blocks.append(self.table)
            self.current = None
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and self.table is not None:
            self.row = []
            self.table.rows.append(self.row)
            if self.in_head:
                self.table.header_rows += 1
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            self.row.append(self.cell)
        elif tag == "br":
            self._text("\n")

    _in_quote = False

    def handle_endtag(self, tag: str) -> None:
        if tag in _INLINE:
            self.marks[_INLINE[tag]] = max(0, self.marks[_INLINE[tag]] - 1)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.current = None
        elif tag in ("td", "th"):
            self.cell = None
        elif tag == "tr":
            self.row = None
        elif tag == "thead":
            self.in_head = False
        elif tag == "table":
            self.table = None
        elif tag == "blockquote":
            self._in_quote = False
        elif tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li") and (tag != "li" or not self.lists):
            self.current = None

    def handle_data(self, data: str) -> None:
        self._text(data)

    def _text(self, data: str) -> None:
        target: list[Run]
        if self.cell is not None:
            target = self.cell
        else:
            if not data.strip() and (self.current is None or not self.current.runs):
                return
            if self.current is None:
                self._open("paragraph")
            assert self.current is not None
            target = self.current.runs
        if self.cell is None and self.current and not self.current.runs:
            data = data.lstrip()
        target.append(Run(data, self.marks["bold"] > 0, self.marks["italic"] > 0, self.marks["code"] > 0))


def _extensions() -> list[Extension]:
    """Returns the extensions as instances: named ones make markdown scan every installed
    package's entry points (importlib.metadata, ~35 ms on the first call)."""
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    return [TableExtension(), SaneListExtension()]


_converters = threading.local()


def _converter() -> markdown.Markdown:
    """Returns this thread's Markdown converter, reset (making one builds its parser: ~0.5 ms,
    a third of converting a section; a reset one converts exactly as a new one)."""
    md: markdown.Markdown | None = getattr(_converters, "md", None)
    if md is None:
        md = _converters.md = markdown.Markdown(extensions=_extensions(), output_format="html")
    return md.reset()


def plain_blocks(text: str) -> list[Block]:
    """Returns ``text`` as plain paragraphs (split at blank lines, line breaks kept), no markup read."""
    blocks = []
    for paragraph in re.split(r"\n[ \t]*\n", text):
        if paragraph.strip():
            block = Block("paragraph")
            block.runs.append(Run(paragraph.strip()))
            blocks.append(block)
    return blocks


def markdown_to_blocks(text: str) -> list[Block]:
    """Returns the blocks of a Markdown text (tables extension, sane lists); plain paragraphs
    when the text passes a limit of ``docgen.narrative.limits`` (the check warns about it)."""
    if markdown_limit(text) is not None:
        return plain_blocks(text)
    html = _converter().convert(text)
    walker = _Walker()
    walker.feed(html)
    walker.close()
    blocks = []
    for block in walker.blocks:
        if block.kind == "table" or any(run.text.strip() for run in block.runs):
            for run in block.runs[-1:]:
                run.text = run.text.rstrip()
            blocks.append(block)
    return blocks

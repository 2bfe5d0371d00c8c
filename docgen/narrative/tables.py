"""CORE: the Markdown (pipe) tables a narrative writes, with where each row is in the text.

Only the structure is read here: a header line, a separator line (``|---|:--:|``) and the body
lines that follow it. Cells are plain text without Markdown emphasis; ``offset`` is where the row's
line starts in the section text, so a finding can name the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_EMPHASIS = re.compile(r"[*_`]+")


@dataclass(frozen=True)
class TableRow:
    """A body row: its cells and where its line starts in the text."""

    cells: tuple[str, ...]
    offset: int


@dataclass(frozen=True)
class Table:
    """A pipe table: the header cells and the body rows."""

    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    offset: int


def _cells(line: str) -> tuple[str, ...]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return tuple(_EMPHASIS.sub("", cell).strip() for cell in body.split("|"))


def find_tables(text: str) -> list[Table]:
    """Returns the pipe tables of a Markdown text, in order."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    out: list[Table] = []
    i = 0
    while i + 1 < len(lines):
        head, rule = lines[i].strip(), lines[i + 1].strip()
        if "|" in head and _SEPARATOR.match(rule):
            rows = []
            j = i + 2
            while j < len(lines) and "|" in lines[j]:
                rows.append(TableRow(_cells(lines[j]), starts[j]))
                j += 1
            out.append(Table(_cells(head), tuple(rows), starts[i]))
            i = j
        else:
            i += 1
    return out


def table_spans(text: str) -> list[tuple[int, int]]:
    """Returns the (start, end) offsets of every table's lines, header to last row."""
    spans = []
    for table in find_tables(text):
        last = table.rows[-1].offset if table.rows else table.offset
        end = text.find("\n", last)
        spans.append((table.offset, len(text) if end < 0 else end))
    return spans

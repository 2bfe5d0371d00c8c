"""A small block model of rich text (headings, paragraphs, lists, tables, runs)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Run:
    """A span of text with emphasis."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass
class Block:
    """A block: kind is heading, paragraph, bullet, number, table or quote."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    rows: list[list[list[Run]]] = field(default_factory=list)
    header_rows: int = 0

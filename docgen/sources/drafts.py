"""CORE: a Word draft of the narrative as read (``docgen.sources.worddraft``): its paragraphs and
tables in order, each with its paragraph number, heading level, automatic number and Markdown."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DraftBlock:
    """One paragraph or table of a draft."""

    paragraph: int
    kind: str  # "paragraph" or "table"
    text: str  # plain text, the automatic number included
    markdown: str  # the text as Markdown (without the automatic number of a list item)
    number: str = ""  # the automatic number Word draws (一、 （一） 1.), rebuilt
    heading_level: int | None = None  # from a heading style or an outline level (1 = top)
    list_kind: str = ""  # "bullet" or "number": an automatic list item
    list_level: int = 0
    title: bool = False  # styled as the document's title (Title, 标题, Subtitle)
    contents: bool = False  # an entry of the draft's own table of contents (TOC 1, 目录 1)


@dataclass(frozen=True)
class WordDraft:
    """The blocks of a draft, or the problem that kept it unread (``missing``, ``outside``,
    ``not_docx``, ``too_large``, ``too_many``, ``bad_xml``)."""

    file: str
    blocks: tuple[DraftBlock, ...] = ()
    problem: str | None = None

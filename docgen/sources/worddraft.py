"""EDGE: a Word draft of the narrative (``narrative: {file: 申请报告草稿.docx}``, SPEC §9) read
into blocks with their paragraph numbers.

The file is confined to its submission folder like an evidence file (``files.resolve_inside``)
and read as a zip archive through ``sources.zipped.read_member`` (members inflated in chunks
under ``MAX_XML_BYTES``); document.xml is parsed incrementally (each body-level paragraph or table
is handled and dropped), a DOCTYPE is refused (no entities), and nothing recurses on the XML's
depth. A block carries what the matcher (``docgen.narrative.draft``) needs: the paragraph's
heading level (Heading 1–9 / 标题 1–9, the outline level of the paragraph or its style), the
automatic number Word draws before it (rebuilt from numbering.xml: ``lvlText`` and ``numFmt``),
and its text as Markdown (bold and italic runs, lists, tables as pipe tables).

A paragraph number is the paragraph's place among the body's paragraphs, empty ones included and
those inside tables not counted (python-docx's ``Document.paragraphs[n - 1]``); a table carries
the number of the paragraph before it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docgen.files import resolve_inside
from docgen.sources.drafts import DraftBlock, WordDraft
from docgen.sources.wordnumbering import MAX_LIST_LEVEL, Numbering, Refused, W, on, parse, read_int, val
from docgen.sources.zipped import MAX_XML_BYTES, ZIP_ERRORS, read_member
from docgen.text.labels import DRAFT_STYLE_NAMES
from docgen.text.sources_text import SOURCES_TEXT

MAX_PART_BYTES = 4 * 1024 * 1024  # styles.xml, numbering.xml inflated (Word's run to a few hundred KB)
MAX_BLOCKS = 20_000  # paragraphs and tables of a draft (a report of nine sections has a few hundred)
MAX_STYLE_CHAIN = 16  # basedOn links followed (a loop in styles.xml ends here)


def read_word_draft(folder: Path, name: str) -> WordDraft:
    """Returns the draft ``name`` (a path relative to the submission ``folder``) read into blocks."""
    path = resolve_inside(folder, name)
    if path is None:
        return WordDraft(name, problem="outside")
    if not path.is_file():
        return WordDraft(name, problem="missing")
    try:
        with zipfile.ZipFile(path) as archive:
            document = read_member(archive, "word/document.xml", MAX_XML_BYTES)
            styles = _optional(archive, "word/styles.xml")
            numbering = _optional(archive, "word/numbering.xml")
    except ZIP_ERRORS:
        return WordDraft(name, problem="not_docx")
    if document is None or styles is None or numbering is None:
        return WordDraft(name, problem="too_large")
    try:
        reader = _Reader(_Styles(styles), Numbering(numbering))
        blocks = tuple(reader.read(document))
    except (ET.ParseError, Refused):
        return WordDraft(name, problem="bad_xml")
    except _TooMany:
        return WordDraft(name, problem="too_many")
    return WordDraft(name, blocks)


class _TooMany(Exception):
    """The draft has more than ``MAX_BLOCKS`` paragraphs and tables."""


def _optional(archive: zipfile.ZipFile, member: str) -> bytes | None:
    """Returns a part that may be absent (empty bytes then), or None when it passes the limit."""
    try:
        return read_member(archive, member, MAX_PART_BYTES)
    except KeyError:
        return b""


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    num_level: int | None
    bold: bool | None = None  # the style's own w:b / w:i (a character style such as Strong)
    italic: bool | None = None


class _Styles:
    """Paragraph styles by id: heading levels, title styles, the numbering a style carries."""

    def __init__(self, data: bytes) -> None:
        self.styles: dict[str, _Style] = {}
        if not data:
            return
        for style in parse(data).iter(W + "style"):
            style_id = val(style, "styleId")
            if style_id is None:
                continue
            names = [val(style.find(W + "name")) or ""]
            names += (val(style.find(W + "aliases")) or "").split(",")
            ppr = style.find(W + "pPr")
            outline = val(ppr.find(W + "outlineLvl")) if ppr is not None else None
            numpr = ppr.find(W + "numPr") if ppr is not None else None
            level = val(numpr.find(W + "ilvl")) if numpr is not None else None
            self.styles[style_id] = _Style(
                ",".join(n.strip() for n in names if n.strip()),
                val(style.find(W + "basedOn")),
                int(outline) if outline and outline.isdigit() else None,
                val(numpr.find(W + "numId")) if numpr is not None else None,
                int(level) if level and level.isdigit() else None,
                *_toggles(style.find(W + "rPr")),
            )

    def chain(self, style_id: str | None) -> Iterator[tuple[str, _Style]]:
        """Yields the style and those it is based on (at most ``MAX_STYLE_CHAIN``)."""
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen and len(seen) < MAX_STYLE_CHAIN:
            seen.add(style_id)
            yield style_id, self.styles[style_id]
            style_id = self.styles[style_id].based_on

    def heading_level(self, style_id: str | None) -> int | None:
        """Returns the heading level a style gives (by its name or outline level), or None."""
        for sid, style in self.chain(style_id):
            for name in (*style.name.split(","), sid):
                level = _named_level(name)
                if level is not None:
                    return level
            if style.outline is not None:
                return style.outline + 1 if style.outline < 9 else None
        return None

    def marks(self, style_id: str | None) -> tuple[bool, bool]:
        """Returns (bold, italic) a character style gives its runs."""
        bold = italic = None
        for _, style in self.chain(style_id):
            bold = style.bold if bold is None else bold
            italic = style.italic if italic is None else italic
        return bool(bold), bool(italic)

    def is_contents(self, style_id: str | None) -> bool:
        """Returns True for a table of contents' styles (TOC 1, 目录 1, Contents 1, TOC Heading)."""
        for sid, style in self.chain(style_id):
            for name in (*style.name.split(","), sid):
                bare = re.sub(r"\s+", "", name).lower()
                for prefix in DRAFT_STYLE_NAMES["contents"]:
                    if bare == prefix or (bare.startswith(prefix) and bare[len(prefix) :].isdigit()):
                        return True
        return False

    def is_title(self, style_id: str | None) -> bool:
        """Returns True for the document's title style (Title, 标题, Subtitle)."""
        for sid, style in self.chain(style_id):
            names = {re.sub(r"\s+", "", n).lower() for n in (*style.name.split(","), sid)}
            if names & set(DRAFT_STYLE_NAMES["title"]):
                return True
        return False

    def numbering(self, style_id: str | None) -> tuple[str, int | None, str] | None:
        """Returns (numId, level or None, the style carrying it) a style's numbering gives."""
        for sid, style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.num_level, sid
        return None


def _named_level(name: str) -> int | None:
    """Returns 2 for «heading 2», «Heading2», «标题 2»; None for other names."""
    bare = re.sub(r"\s+", "", name).lower()
    for prefix in DRAFT_STYLE_NAMES["heading"]:
        if bare.startswith(prefix) and bare[len(prefix) :].isdigit():
            level = int(bare[len(prefix) :])
            return level if 1 <= level <= 9 else None
    return None


_CONTAINERS = frozenset(
    W + t
    for t in (
        "hyperlink",
        "ins",
        "smartTag",
        "sdt",
        "sdtContent",
        "fldSimple",
        "customXml",
        "moveTo",
        "dir",
        "bdo",
    )
)
_BLOCK_PARENTS = frozenset(("sdt", "sdtContent"))  # body-level content controls hold paragraphs too
_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^([#=+]|-{3,}|\d+\)\s)", re.MULTILINE)
_LEADING = re.compile(r"^[ \t\u3000]+", re.MULTILINE)
_DECIMAL_LIST = re.compile(
    SOURCES_TEXT["worddraft.decimal_list"]
)  # a plain 1. 2. 3. list: a Markdown ordered list


def escape(text: str) -> str:
    """Returns ``text`` with the characters Markdown would read as markup escaped."""
    return _ESCAPE.sub(r"\\\1", text)


class _Reader:
    """document.xml → blocks, one body-level paragraph or table at a time."""

    def __init__(self, styles: _Styles, numbering: Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.paragraphs = 0
        self.blocks = 0

    def read(self, data: bytes) -> Iterator[DraftBlock]:
        if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
            raise Refused
        parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
        stack: list[bool] = []  # per open element: whether it holds body-level paragraphs
        view = memoryview(data)
        for offset in range(0, len(data), 1 << 16):
            parser.feed(bytes(view[offset : offset + (1 << 16)]))
            yield from self._events(parser, stack)
        parser.close()
        yield from self._events(parser, stack)

    def _events(self, parser: ET.XMLPullParser[ET.Element], stack: list[bool]) -> Iterator[DraftBlock]:
        for item in parser.read_events():
            event, element = item[0], item[-1]  # (event, element): start and end events only
            assert isinstance(element, ET.Element)
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                holds = tag == "body" or (tag in _BLOCK_PARENTS and bool(stack) and stack[-1])
                stack.append(holds)
                continue
            stack.pop()
            if tag not in ("p", "tbl") or not stack or not stack[-1]:
                continue
            self.blocks += 1
            if self.blocks > MAX_BLOCKS:
                raise _TooMany
            if tag == "p":
                self.paragraphs += 1
                yield self._paragraph(element)
            else:
                yield self._table(element)
            element.clear()

    def _paragraph(self, p: ET.Element) -> DraftBlock:
        ppr = p.find(W + "pPr")
        style = val(ppr.find(W + "pStyle")) if ppr is not None else None
        outline = val(ppr.find(W + "outlineLvl")) if ppr is not None else None
        level = self.styles.heading_level(style)
        if outline is not None and outline.isdigit():
            level = int(outline) + 1 if int(outline) < 9 else None
        number, fmt, ilvl = self._number(ppr, style)
        markdown, plain = runs_markdown(p, self.styles)
        list_kind = ""
        if number or fmt == "bullet":
            list_kind = "bullet" if fmt == "bullet" else "number"
        if level is None and list_kind == "bullet":
            markdown = "    " * ilvl + "- " + markdown
        elif (
            level is None
            and list_kind == "number"
            and _DECIMAL_LIST.match(self._level_text(ppr, style, ilvl))
        ):
            markdown = "    " * ilvl + "1. " + markdown
        elif number:
            markdown = escape(number) + markdown
        text = (number if fmt != "bullet" else "") + plain
        return DraftBlock(
            self.paragraphs,
            "paragraph",
            text,
            markdown,
            number if fmt != "bullet" else "",
            level,
            list_kind if level is None else "",
            ilvl,
            self.styles.is_title(style),
            self.styles.is_contents(style),
        )

    def _numbering_of(self, ppr: ET.Element | None, style: str | None) -> tuple[str, int] | None:
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        if numpr is not None:
            num_id = val(numpr.find(W + "numId"))
            if num_id is not None:
                return (num_id, read_int(val(numpr.find(W + "ilvl")), 0)) if num_id != "0" else None
        from_style = self.styles.numbering(style)
        if from_style is None or from_style[0] == "0":
            return None
        num_id, ilvl, style_id = from_style
        return num_id, ilvl if ilvl is not None else self.numbering.level_of_style(num_id, style_id)

    def _number(self, ppr: ET.Element | None, style: str | None) -> tuple[str, str, int]:
        found = self._numbering_of(ppr, style)
        if found is None or not 0 <= found[1] <= MAX_LIST_LEVEL:
            return "", "", 0
        drawn = self.numbering.next(*found)
        if drawn is None:
            return "", "", 0
        return drawn[0], drawn[1], found[1]

    def _level_text(self, ppr: ET.Element | None, style: str | None, ilvl: int) -> str:
        found = self._numbering_of(ppr, style)
        if found is None:
            return ""
        levels = self.numbering.levels.get(self.numbering.abstract_of.get(found[0], ""), {})
        return levels[ilvl].text if ilvl in levels else ""

    def _table(self, table: ET.Element) -> DraftBlock:
        rows: list[list[tuple[str, str]]] = []
        for tr in table.iter(W + "tr"):
            if tr not in table.findall(W + "tr"):
                continue  # a nested table's row: its text is in its cell
            row: list[tuple[str, str]] = []
            for tc in tr.findall(W + "tc"):
                tcpr = tc.find(W + "tcPr")
                span = read_int(val(tcpr.find(W + "gridSpan")), 1) if tcpr is not None else 1
                merge = tcpr.find(W + "vMerge") if tcpr is not None else None
                cell_md, cell_text = [], []
                if merge is None or val(merge) == "restart":
                    for p in tc.iter(W + "p"):
                        md, text = runs_markdown(p, self.styles)
                        if text.strip():
                            cell_md.append(md.replace("\n", " "))
                            cell_text.append(text)
                row.append((" ".join(cell_md), " ".join(cell_text)))
                row += [("", "")] * (min(max(span, 1), 64) - 1)
            rows.append(row)
        width = max((len(r) for r in rows), default=0)
        if not width:
            return DraftBlock(max(self.paragraphs, 1), "table", "", "")
        lines = []
        for index, row in enumerate(rows):
            cells = [md for md, _ in row] + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                lines.append("|" + " --- |" * width)
        text = "\n".join(" ".join(t for _, t in row) for row in rows)
        return DraftBlock(max(self.paragraphs, 1), "table", text, "\n".join(lines))


def _toggles(rpr: ET.Element | None) -> tuple[bool | None, bool | None]:
    """Returns the w:b and w:i of run properties: True, False (switched off) or None (not set)."""
    if rpr is None:
        return None, None
    bold, italic = rpr.find(W + "b"), rpr.find(W + "i")
    return (None if bold is None else on(bold)), (None if italic is None else on(italic))


def runs_markdown(p: ET.Element, styles: _Styles) -> tuple[str, str]:
    """Returns a paragraph's runs as Markdown (bold, italic: the run's own, else its character
    style's) and as plain text."""
    segments: list[tuple[str, bool, bool]] = []
    pending = [c for c in reversed(list(p)) if c.tag != W + "pPr"]
    while pending:
        element = pending.pop()
        if element.tag == W + "r":
            rpr = element.find(W + "rPr")
            own_bold, own_italic = _toggles(rpr)
            styled = styles.marks(val(rpr.find(W + "rStyle")) if rpr is not None else None)
            bold = styled[0] if own_bold is None else own_bold
            italic = styled[1] if own_italic is None else own_italic
            for child in element:
                text = _run_text(child)
                if text:
                    if segments and segments[-1][1:] == (bold, italic):
                        segments[-1] = (segments[-1][0] + text, bold, italic)
                    else:
                        segments.append((text, bold, italic))
        elif element.tag in _CONTAINERS:
            pending.extend(reversed(list(element)))
    plain = "".join(text for text, _, _ in segments)
    out = []
    for text, bold, italic in segments:
        marks = ("**" if bold else "") + ("*" if italic else "")
        pieces = []
        for line in text.split("\n"):
            core = line.strip()
            if marks and core:
                start, end = line.index(core[0]), line.rindex(core[-1]) + 1
                line = escape(line[:start]) + marks + escape(core) + marks[::-1] + escape(line[end:])
            else:
                line = escape(line)
            pieces.append(line)
        out.append("\n".join(pieces))  # a line break as in a YAML text: the same layout
    markdown = _LEADING.sub("", "".join(out).strip())
    return _LINE_START.sub(r"\\\1", markdown), plain.strip()


def _run_text(child: ET.Element) -> str:
    tag = child.tag
    if tag == W + "t":
        return child.text or ""
    if tag in (W + "tab", W + "ptab"):
        return " "
    if tag in (W + "br", W + "cr"):
        return "" if val(child, "type") in ("page", "column") else "\n"
    if tag == W + "noBreakHyphen":
        return "-"
    return ""

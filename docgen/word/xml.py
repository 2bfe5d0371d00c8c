"""WordprocessingML as text: paragraphs, runs, tables and fields for the report's subdocuments.

The narrative and the contents are written straight as XML (escaped) instead of through
python-docx objects: the same markup, a fraction of the cost. ``RawXml`` carries the result into
a docxtpl ``{{p var }}`` tag unescaped.
"""

from __future__ import annotations

import re

from lxml import etree

from docgen.model.blocks import Block, Run
from docgen.text.word_text import WORD_TEXT
from docgen.word.namespaces import W_NS, W

__all__ = [
    "BORDER",
    "EDGES",
    "W_NS",
    "RawXml",
    "XmlWriter",
    "borders_xml",
    "escape",
    "list_number",
    "style_ids",
]

TWIPS_PER_MM = 1440 / 25.4
# the border of every docgen table: single 0.5 pt black lines (docgen.word.tables draws the same)
EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")
BORDER = {"val": "single", "sz": "4", "space": "0", "color": "000000"}


def borders_xml() -> str:
    """Returns the ``w:tblBorders`` element of a docgen table as markup."""
    attributes = " ".join(f'w:{name}="{value}"' for name, value in BORDER.items())
    return f"<w:tblBorders>{''.join(f'<w:{edge} {attributes}/>' for edge in EDGES)}</w:tblBorders>"


def escape(text: str) -> str:
    """Returns ``text`` escaped for XML character data (``xml.sax.saxutils`` costs 35 ms to import)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class RawXml(str):
    """Ready-made WordprocessingML that Jinja's autoescape leaves untouched."""

    def __html__(self) -> str:
        return str(self)


def style_ids(styles_xml: bytes) -> dict[str, str]:
    """Returns style name (lower case) → style id from a styles.xml part."""
    root = etree.fromstring(styles_xml)
    out: dict[str, str] = {}
    for style in root.iter(f"{W}style"):
        name = style.find(f"{W}name")
        if name is not None:
            out[name.get(f"{W}val", "").lower()] = style.get(f"{W}styleId", "")
    return out


# a hyphen inside a code or a span of figures («DB51/T 2915-2022», «2023-2027»): Word and LibreOffice
# may break a line after a hyphen, so there it is a non-breaking one (read back as «-»)
CODE_HYPHEN = re.compile(r"(?<=[0-9A-Za-z])-(?=[0-9])")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def list_number(kind: str, level: int, n: int) -> str:
    """Returns the number of list item ``n``: 1. or （1） at the first level, then （1） or ①."""
    if kind == "number" and level == 1:
        return f"{n}."
    if kind == "bullet" and level > 1:
        return CIRCLED[n - 1] if n <= len(CIRCLED) else f"{n})"
    return WORD_TEXT["xml.list_number"].format(n=n)


class XmlWriter:
    """Writes paragraphs and tables with the styles of one template (by name, falling back to none)."""

    def __init__(self, ids: dict[str, str]) -> None:
        self.ids = ids

    def _ppr(self, style: str, extra: str = "") -> str:
        style_id = self.ids.get(style.lower())
        inner = (f'<w:pStyle w:val="{style_id}"/>' if style_id else "") + extra
        return f"<w:pPr>{inner}</w:pPr>" if inner else ""

    @staticmethod
    def run(text: str, bold: bool = False, italic: bool = False, code: bool = False) -> str:
        """Returns one run; text is escaped."""
        props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
        if code:
            props = '<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/>' + props
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        parts = (f'<w:t xml:space="preserve">{escape(part)}</w:t>' for part in CODE_HYPHEN.split(text))
        return f"<w:r>{rpr}{'<w:noBreakHyphen/>'.join(parts)}</w:r>"

    def runs(self, runs: list[Run]) -> str:
        """Returns the runs of a block."""
        return "".join(self.run(r.text, r.bold, r.italic, r.code) for r in runs if r.text)

    def paragraph(self, style: str, content: str = "", extra_ppr: str = "") -> str:
        """Returns a paragraph in ``style`` holding ``content`` (runs)."""
        return f"<w:p>{self._ppr(style, extra_ppr)}{content}</w:p>"

    def text(self, style: str, text: str) -> str:
        """Returns a paragraph of plain text."""
        return self.paragraph(style, self.run(text))

    def table(self, rows: list[list[list[Run]]], header_rows: int, width_mm: float) -> str:
        """Returns a bordered table, equal columns, bold repeated header rows."""
        columns = max(len(r) for r in rows)
        col = int(width_mm / columns * TWIPS_PER_MM)
        out = [
            "<w:tbl><w:tblPr>",
            f'<w:tblW w:w="{col * columns}" w:type="dxa"/><w:jc w:val="center"/>',
            f'{borders_xml()}<w:tblLayout w:type="fixed"/>',
            "</w:tblPr><w:tblGrid>",
            "".join(f'<w:gridCol w:w="{col}"/>' for _ in range(columns)),
            "</w:tblGrid>",
        ]
        for index, row in enumerate(rows):
            header = index < max(header_rows, 1)
            trpr = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if header else ""
            cells = []
            for c in range(columns):
                runs = row[c] if c < len(row) else []
                if header:
                    runs = [Run(r.text, True, r.italic, r.code) for r in runs]
                tcpr = f'<w:tcPr><w:tcW w:w="{col}" w:type="dxa"/></w:tcPr>'
                cells.append(f"<w:tc>{tcpr}{self.paragraph('Table Text', self.runs(runs))}</w:tc>")
            out.append(f"<w:tr>{trpr}{''.join(cells)}</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)

    def blocks(self, blocks: list[Block], heading_style: str = "Heading 3", width_mm: float = 156) -> str:
        """Returns Markdown blocks as paragraphs and tables.

        List items are body paragraphs in official-document style, numbered, no bullet glyph:
        ordered 1. 2. (nested （1）（2）), unordered （1）（2） (nested ①②); nested items are
        indented two characters per level, first line indented as body text.
        """
        out = []
        counters: dict[int, tuple[str, int]] = {}  # list level → (kind, last number)
        for block in blocks:
            if block.kind not in ("bullet", "number"):
                counters.clear()
            if block.kind == "heading":
                out.append(self.paragraph(heading_style, self.runs(block.runs)))
            elif block.kind in ("bullet", "number"):
                kind, last = counters.get(block.level, (block.kind, 0))
                n = last + 1 if kind == block.kind else 1
                counters[block.level] = (block.kind, n)
                for deeper in [k for k in counters if k > block.level]:
                    del counters[deeper]
                depth = block.level - 1
                indent = (
                    f'<w:ind w:leftChars="{200 * depth}" w:left="{640 * depth}" '
                    'w:firstLineChars="200" w:firstLine="640"/>'
                    if depth
                    else ""
                )
                prefix = self.run(list_number(block.kind, block.level, n))
                out.append(self.paragraph("Body Text", prefix + self.runs(block.runs), indent))
            elif block.kind == "table":
                if block.rows:
                    out.append(self.table(block.rows, block.header_rows, width_mm))
                    out.append(self.paragraph("Note"))
            else:
                runs = (
                    [Run(r.text, r.bold, True, r.code) for r in block.runs]
                    if block.kind == "quote"
                    else block.runs
                )
                out.append(self.paragraph("Body Text", self.runs(runs)))
        return "".join(out)

    def toc(self, entries: list[tuple[int, str]], instruction: str = 'TOC \\o "1-2" \\h \\z \\u') -> str:
        """Returns a contents field whose cached result lists ``entries`` (level, text)."""
        out = []
        for index, (level, text) in enumerate(entries):
            content = ""
            if index == 0:
                content += (
                    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                )
            content += self.run(text)
            if index == len(entries) - 1:
                content += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            out.append(self.paragraph(f"toc {level}", content))
        return "".join(out)

"""EDGE: place Markdown blocks into a python-docx container as real Word structure."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from docgen.markdown_blocks import Block, Run
from docgen.wordxml import repeat_header, set_cell_borders, set_column_widths

CONTENT_WIDTH_MM = 156


def add_paragraph(container, style: str, text: str = ""):
    """Adds a paragraph in ``style``, or in the default style when a user template lacks it.

    The style id is looked up once per name and written directly: python-docx's own lookup by
    name scans every style for each paragraph, which dominated report rendering.
    """
    paragraph = container.add_paragraph(text)
    style_id = _style_id(container, style)
    if style_id:
        paragraph._p.style = style_id
    return paragraph


_STYLE_IDS: dict[tuple[int, str], str | None] = {}


def _style_id(container, name: str) -> str | None:
    styles = container.styles
    key = (id(styles.element), name)
    if key not in _STYLE_IDS:
        try:
            _STYLE_IDS[key] = styles[name].style_id
        except KeyError:
            _STYLE_IDS[key] = None
    return _STYLE_IDS[key]


def _runs(paragraph, runs: list[Run]) -> None:
    for run in runs:
        if not run.text:
            continue
        r = paragraph.add_run(run.text)
        if run.bold:
            r.bold = True
        if run.italic:
            r.italic = True
        if run.code:
            r.font.name = "Consolas"


def _numbering_prefix(block: Block, counters: dict[int, int]) -> str:
    counters[block.level] = counters.get(block.level, 0) + 1
    for deeper in [k for k in counters if k > block.level]:
        del counters[deeper]
    n = counters[block.level]
    return f"{n}. " if block.level == 1 else f"（{n}）"


def add_blocks(container, blocks: list[Block], heading_style: str = "Heading 3") -> None:
    """Appends ``blocks`` to ``container`` (a Document or Subdoc) using the template's styles.

    Paragraphs use «Body Text» (two-character first-line indent), Markdown headings become
    ``heading_style``, bullets «List Bullet», numbered items «List Number» with their number,
    tables get a bold repeated header row and borders.
    """
    counters: dict[int, int] = {}
    for block in blocks:
        if block.kind != "number":
            counters.clear()
        if block.kind == "heading":
            p = add_paragraph(container, heading_style)
            _runs(p, block.runs)
        elif block.kind == "bullet":
            p = add_paragraph(container, "List Bullet")
            _indent(p, block.level)
            _runs(p, block.runs)
        elif block.kind == "number":
            p = add_paragraph(container, "List Number")
            _indent(p, block.level)
            _runs(p, [Run(_numbering_prefix(block, counters)), *block.runs])
        elif block.kind == "table":
            _table(container, block)
        else:
            p = add_paragraph(container, "Body Text")
            if block.kind == "quote":
                for run in block.runs:
                    run.italic = True
            _runs(p, block.runs)


def _indent(paragraph, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ind = OxmlElement("w:ind")
    ind.set(qn("w:leftChars"), str(200 * level))
    ind.set(qn("w:left"), str(640 * level))
    ind.set(qn("w:hangingChars"), "100")
    ind.set(qn("w:hanging"), "320")
    ppr.append(ind)


def _table(container, block: Block) -> None:
    columns = max((len(row) for row in block.rows), default=0)
    if not columns:
        return
    table = container.add_table(rows=len(block.rows), cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_cell_borders(table)
    set_column_widths(table, [CONTENT_WIDTH_MM / columns] * columns)
    width = Mm(CONTENT_WIDTH_MM / columns)
    header_rows = block.header_rows or 1
    for r_index, row in enumerate(block.rows):
        if r_index < header_rows:
            repeat_header(table.rows[r_index])
        for c_index in range(columns):
            cell = table.rows[r_index].cells[c_index]
            cell.width = width
            p = cell.paragraphs[0]
            style_id = _style_id(container, "Table Text")
            if style_id:
                p._p.style = style_id
            runs = row[c_index] if c_index < len(row) else []
            if r_index < header_rows:
                runs = [Run(r.text, True, r.italic, r.code) for r in runs]
            _runs(p, runs)
    add_paragraph(container, "Note")

"""EDGE: the 汇总表 as a landscape A4 Word table that fits between the margins."""

from __future__ import annotations

import io
import re
from copy import deepcopy
from typing import TYPE_CHECKING, Any

from docgen.model.review import Review
from docgen.outputs.summary import (
    Column,
    cell_text,
    header_lines,
    numbered,
    summary_columns,
    summary_notes,
    summary_rows,
    summary_title,
)
from docgen.text.labels import TEXT
from docgen.text.punctuation import ENUM_COMMA
from docgen.word.layout import fit_widths, line_count, widest_line
from docgen.word.namespaces import W

if TYPE_CHECKING:
    from docx.table import _Cell

TABLE_FONT_PT = 9  # 小五: twelve columns fit the landscape text width without breaking titles
LEAST_PT = 9  # no text of the 汇总表 is smaller, not even in a style it does not use (SPEC §7)
HEADER_PT = 10.5  # 五号: the sender lines above the table
A3_LANDSCAPE_MM = (420, 297)  # for a table too wide for A4 landscape (the margins stay)
LINE_PT = 13  # exact line height of the table text
CELL_MARGIN = 57  # twips (1 mm) left and right in every cell
TWIPS_PER_MM = 1440 / 25.4
SLACK = 40  # twips each column keeps beyond its estimated text (bold titles, rounding)
UNIT = TABLE_FONT_PT * 10  # twips per display unit: half an em (a CJK character is 2 units)
BREAK_OPPORTUNITY = "\u200b"  # zero-width space: LibreOffice does not break «…876.3、2021…» at the «、»
BEFORE_NUMBER = re.compile(ENUM_COMMA + "(?=[0-9A-Za-z])")  # the «、» of a list of numbers
ROW_PADDING_PT = 2  # a row's height beyond its lines (borders, cell spacing)
TALL_SHARE = 1 / 3  # a row taller than this share of the text height may break over two pages,
# so that it starts under the rows before it instead of leaving most of a page empty


def _column_bounds(
    columns: list[Column], titles: list[str], rows: list[list[str]]
) -> tuple[list[float], list[float], list[float]]:
    """Returns each column's least and preferred width in twips, and its share of any space left.

    A column that does not wrap is as wide as its widest title line or cell. A column that
    wraps is at least as wide as its widest title line and would like to be as wide as its
    widest cell, up to its ``flex``.
    """
    minimums: list[float] = []
    preferred: list[float] = []
    weights: list[float] = []
    for index, column in enumerate(columns):
        title = widest_line(titles[index])
        content = max((widest_line(row[index]) for row in rows), default=0)
        if column.flex:
            least = max(title, column.least)
            wanted = max(least, min(content, column.flex))
        else:
            least = wanted = max(title, content)
        minimums.append(least * UNIT + 2 * CELL_MARGIN + SLACK)
        preferred.append(wanted * UNIT + 2 * CELL_MARGIN + SLACK)
        weights.append(column.flex)
    return minimums, preferred, weights


def column_twips(columns: list[Column], titles: list[str], rows: list[list[str]], total: int) -> list[int]:
    """Returns column widths in twips that add up to ``total`` (see _column_bounds)."""
    widths = [int(w) for w in fit_widths(*_column_bounds(columns, titles, rows), total)]
    widths[-1] += total - sum(widths)
    return widths


def row_points(row: list[str], twips: list[int]) -> float:
    """Returns the estimated height in points of a table row of these cells in columns ``twips``
    wide (its tallest cell's lines at LINE_PT, and the cell margins)."""
    lines = max(
        line_count(text, (width - 2 * CELL_MARGIN - SLACK) / UNIT)
        for text, width in zip(row, twips, strict=True)
    )
    return lines * LINE_PT + ROW_PADDING_PT


def needs_a3(columns: list[Column], titles: list[str], rows: list[list[str]], a4_width: int) -> bool:
    """Returns True when the table cannot fit the landscape A4 text width without breaking a
    title line or a figure: it is then printed on A3 landscape."""
    return sum(_column_bounds(columns, titles, rows)[0]) > a4_width


def _least_sizes(doc: Any) -> None:
    """Raises every style's font size below LEAST_PT to it (the style template has a few)."""
    from docx.shared import Pt

    for style in doc.styles:
        font = getattr(style, "font", None)
        if font is not None and font.size is not None and font.size < Pt(LEAST_PT):
            font.size = Pt(LEAST_PT)


def _sender_lines(doc: Any, review: Review, width: int) -> None:
    """Adds the sender lines under the title: 填报单位（盖章） at the left, 经办人及联系电话 in the
    middle, 填报日期 at the right (tab stops across the text width)."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt, Twips

    paragraph = doc.add_paragraph("\t".join(header_lines(review)), style="Note")
    tabs = paragraph.paragraph_format.tab_stops
    tabs.add_tab_stop(Twips(width // 2), WD_TAB_ALIGNMENT.CENTER)
    tabs.add_tab_stop(Twips(width), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.first_line_indent = paragraph.paragraph_format.left_indent = Pt(0)
    for run in paragraph.runs:
        run.font.size = Pt(HEADER_PT)


def render_docx(review: Review) -> bytes:
    """Returns the 汇总表 as a landscape A4 Word table in official layout: title, sender lines,
    the table (its title row repeated on every page), its 说明 below."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    from docgen.outputs.form_layout import FORMS_TEMPLATE
    from docgen.word.oxml import blank_document, page_setup, text_width_twips
    from docgen.word.package import normalise_zip
    from docgen.word.render import template_path
    from docgen.word.tables import (
        add_row,
        keep_together,
        repeat_header,
        set_borders,
        set_cell_margins,
        set_column_twips,
    )

    doc = blank_document(template_path(FORMS_TEMPLATE))  # its styles: fonts, language, page numbers
    page_setup(doc.sections[0], landscape=True)
    _least_sizes(doc)
    heading = doc.add_paragraph(summary_title(review), style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    columns = summary_columns(review)
    titles = [c.title for c in columns]
    rows = [[cell_text(c, v) for c, v in zip(columns, row, strict=True)] for row in summary_rows(review)]
    section = doc.sections[0]
    if needs_a3(columns, titles, rows, text_width_twips(section)):
        section.page_width, section.page_height = (Mm(side) for side in A3_LANDSCAPE_MM)
    width = text_width_twips(section)
    _sender_lines(doc, review, width)
    table = doc.add_table(rows=1, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_borders(table)
    set_cell_margins(table, CELL_MARGIN / TWIPS_PER_MM)

    # style ids looked up once: python-docx's style setter scans every style on each call
    style_ids = {name: doc.styles[name].style_id for name in ("Table Text", "Table Text Left")}
    prototypes: dict[tuple[str, bool], Any] = {}

    def fill(cell: _Cell, text: str, style: str, bold: bool = False) -> None:
        """Writes one cell's paragraph: built through python-docx once per look, then copied (a
        300-row table takes 1 s through python-docx's API, a tenth of that copied)."""
        paragraph = cell.paragraphs[0]
        key = (style, bold)
        plain = bool(text) and not any(ch in text for ch in "\t\n\r") and text == text.strip()
        if key not in prototypes or not plain:
            paragraph._p.style = style_ids[style]
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            paragraph.paragraph_format.line_spacing = Pt(LINE_PT)
            run = paragraph.add_run(text)
            run.bold = bold
            run.font.size = Pt(TABLE_FONT_PT)
            if plain:  # one w:t without xml:space: a text like any other plain one
                prototypes[key] = paragraph._p
            return
        copy = deepcopy(prototypes[key])
        copy.find(f"{W}r/{W}t").text = text
        paragraph._p.addnext(copy)
        cell._tc.remove(paragraph._p)

    for cell, text in zip(table.rows[0].cells, titles, strict=True):
        fill(cell, text, "Table Text", bold=True)
    repeat_header(table.rows[0])
    twips = column_twips(columns, titles, rows, width)
    margins = (section.top_margin or 0) + (section.bottom_margin or 0)
    text_height = ((section.page_height or Mm(A3_LANDSCAPE_MM[1])) - margins) / 635  # EMU to twips
    for row in rows:
        added = add_row(table)
        if row_points(row, twips) <= TALL_SHARE * text_height / 20:
            keep_together(added)  # a short row never breaks over two pages; a tall one flows on
        for column, cell, text in zip(columns, added.cells, row, strict=True):
            if column.key == "missing":  # a list of numbers breaks after a «、», never inside one
                text = BEFORE_NUMBER.sub(ENUM_COMMA + BREAK_OPPORTUNITY, text)
            fill(cell, text, "Table Text Left" if column.align == "left" else "Table Text")
    set_column_twips(table, twips)
    notes = numbered(summary_notes(review))
    heading = doc.add_paragraph(TEXT["notes_heading"], style="Note")
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.keep_with_next = True  # «说明：» never alone at a page foot
    for number, note in enumerate(notes, 1):
        paragraph = doc.add_paragraph(note, style="Note")
        paragraph.paragraph_format.space_before = Pt(3)
        paragraph.paragraph_format.keep_together = True
        paragraph.paragraph_format.keep_with_next = number < len(notes)  # the notes kept together
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue())

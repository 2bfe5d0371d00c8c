"""EDGE: python-docx building blocks of the official-document layout used by docgen.forms.

The styles come from templates/styles/forms.docx (tools/make_templates.py); the Word primitives
(tables, fonts, fields, the zip) from ``docgen.word``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt
from docx.table import Table, _Row

from docgen.numbers import fmt, fmt_fixed
from docgen.outputs.form_figures import FIGURE_KEYS, figure_lines, figure_widths
from docgen.text.labels import TEXT
from docgen.text.outputs_text import OUTPUTS_TEXT
from docgen.text.punctuation import IDEOGRAPHIC_SPACE
from docgen.word.layout import widen_for_figures
from docgen.word.merge import merge_repeated
from docgen.word.namespaces import qn
from docgen.word.oxml import add_field, blank_document, page_setup, set_fonts
from docgen.word.package import normalise_zip
from docgen.word.render import template_path
from docgen.word.tables import (
    add_row,
    keep_together,
    merge_across,
    repeat_header,
    set_borders,
    set_cell_margins,
    set_column_widths,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import _Footer

    from docgen.definitions.catalog import Catalog
    from docgen.model.answers import AnswerSet
    from docgen.model.attachments import HeaderCell
    from docgen.model.definitions import CoefficientTable, Outline, Program

FORMS_TEMPLATE = "styles/forms.docx"  # the styles of the forms and the 汇总表

LABEL_FONT = OUTPUTS_TEXT["form_layout.label_font"]
NUMBER_FONT = OUTPUTS_TEXT["form_layout.number_font"]
# Left/right cell padding of form tables: 1 mm (Word's default 1.9 mm costs a character in the
# narrow 一级/二级指标 columns).
CELL_MARGIN_MM = 1.0
# Exact line height in form tables: 15 pt for 5号 type, a little more than single spacing, so a
# form filled in by hand is not cramped; cells have 1 mm above and below their text.
TABLE_LINE_PT = 15
CELL_MARGIN_TOP_MM = 1.0
# Rows to be filled in (a blank 得分 or 数据值 cell) are at least 0.8 cm high: room for a pen.
FILL_ROW_MM = 8.0
SIGN_OFF_LINE_PT = 24
SUBHEADING_FONT = OUTPUTS_TEXT["form_layout.subheading_font"]
CAPTION_FONT = OUTPUTS_TEXT["form_layout.label_font"]
# Groups a line must not break inside: a short half-width bracket group («(9分)», «(含外聘)») and a
# code with a slash («GB/T4754-2011»), after which Word and LibreOffice may break. No character is
# inserted to hold them (a word joiner breaks copying and text search of the published wording):
# where the estimate says such a group would not fit on the line where it starts, a line break is
# set before it (before the opening bracket it follows), so the group starts the next line whole.
_KEPT = re.compile(r"\([^()]{1,8}\)|[A-Za-z]+/[A-Za-z0-9][A-Za-z0-9.\-]*")
_OPENING = OUTPUTS_TEXT["form_layout.opening"]
_INDENT = IDEOGRAPHIC_SPACE  # stands for one character of first-line indent in the estimate


def kept_groups(text: str, capacity: float, indent: int = 0) -> str:
    """Returns ``text`` with a line break before each kept group (``_KEPT``) that would not fit
    on the line where it starts, in a line ``capacity`` half-width characters wide whose first
    line is indented by ``indent`` characters. The estimate either cuts such a group (a bracket
    group) or moves it whole to the next line (a code, one token to the estimate): the renderer
    would cut it there."""
    from docgen.word.layout import display_width, wrap_lines

    position = 0
    while True:
        match = _KEPT.search(text, position)
        if match is None:
            return text
        start, group = match.start(), match.group(0)
        position = match.end()
        while start > 0 and text[start - 1] in _OPENING:
            start -= 1
        if start == 0 or text[start - 1] == "\n" or display_width(text[start : match.end()]) > capacity:
            continue
        lines = wrap_lines(_INDENT * indent + text[: match.end()], capacity)
        last = lines[-1]
        cut = not last.endswith(group)
        moved = len(lines) > 1 and last == text[start : match.end()]
        if cut or moved:
            text = f"{text[:start]}\n{text[start:]}"
            position += 1


def kept_brackets(text: str, width_mm: float) -> str:
    """Returns a 5号 table cell's ``text`` with its kept groups whole (``kept_groups``):
    LibreOffice breaks inside «(3分)» («(3» / «分)») in a narrow 一级/二级 column otherwise."""
    return kept_groups(text, (width_mm - 2 * CELL_MARGIN_MM) * 72 / 25.4 / 5.25)


def base_document(landscape: bool = False) -> Document:
    """Returns an empty document with docgen's styles, A4 GB/T 9704 margins, outside page numbers."""
    doc = blank_document(template_path(FORMS_TEMPLATE))
    section = doc.sections[0]
    page_setup(section, landscape=landscape)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    return doc


def _page_number(footer: _Footer, alignment: WD_ALIGN_PARAGRAPH) -> None:
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    for run in list(paragraph.runs):
        paragraph._p.remove(run._r)
    for field in paragraph._p.findall(qn("w:fldSimple")):
        paragraph._p.remove(field)
    paragraph.alignment = alignment
    paragraph.add_run("— ")
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")
    for run in paragraph.runs:
        run.font.size = Pt(14)
        set_fonts(run._element, NUMBER_FONT)


def label(doc: Document, text: str) -> None:
    """Adds the «附件N» label: top left, 3号黑体."""
    paragraph = doc.add_paragraph(style="Normal")
    run = paragraph.add_run(text)
    run.font.size = Pt(16)
    set_fonts(run._element, LABEL_FONT)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT


def title(doc: Document, text: str) -> None:
    """Adds the title: 2号小标宋, centred."""
    doc.add_paragraph(text, style="Title")


def heading(doc: Document, text: str, level: int = 1) -> None:
    """Adds a first-level heading (一、…) in 3号黑体, or a second-level one («（一）…») in 3号楷体
    on the body's indent."""
    if level == 1:
        doc.add_paragraph(text, style="Heading 1").paragraph_format.keep_with_next = True
        return
    line = doc.add_paragraph(style="Body Text")
    line.paragraph_format.keep_with_next = True
    set_fonts(line.add_run(text)._element, SUBHEADING_FONT)


def caption(doc: Document, text: str) -> None:
    """Adds a table's caption («附表 各项指标基本要求和满分要求»): centred, 4号黑体, kept with its table."""
    line = doc.add_paragraph(style="Normal")
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.paragraph_format.space_before = Pt(12)
    line.paragraph_format.space_after = Pt(6)
    line.paragraph_format.keep_with_next = True
    run = line.add_run(text)
    run.font.size = Pt(14)
    set_fonts(run._element, CAPTION_FONT)


BODY_PT = 16  # 3号
BODY_INDENT = 2  # characters of first-line indent (Body Text: firstLineChars 200)


def paragraph(doc: Document, text: str) -> None:
    """Adds a body paragraph in 3号仿宋 with a two-character first-line indent, a code such as
    «GB/T4754-2011» kept whole on one line (``kept_groups``)."""
    section = doc.sections[-1]
    width_pt = ((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)) / 12700
    doc.add_paragraph(kept_groups(text, width_pt / (BODY_PT / 2), BODY_INDENT), style="Body Text")


def outline(doc: Document, outline: Outline) -> None:
    """Adds an outline: chapters as headings, sections with the notice's guidance."""
    if outline.preface:
        paragraph(doc, outline.preface)
    from docgen.outputs.contexts import chinese_number

    # a section's guidance is its item as the notice prints it after the number (its title
    # included where the notice gives one: «企业基本情况。包括…», «企业技术创新体系建设情况，包括…»)
    if outline.chapters:
        for c_index, chapter in enumerate(outline.chapters, 1):
            heading(
                doc,
                OUTPUTS_TEXT["form_layout.chapter_heading"].format(
                    number=chinese_number(c_index), title=chapter.title
                ),
            )
            for s_index, section in enumerate(chapter.sections, 1):
                paragraph(doc, f"{s_index}.{section.guidance}")
    else:
        for s_index, section in enumerate(outline.sections, 1):
            paragraph(doc, f"{s_index}.{section.guidance}")


def table(
    doc: Document,
    columns: Sequence[tuple[str, str, float]],
    rows: list[list[str]],
    merge: int = 0,
    total: str | None = None,
    totals: Sequence[tuple[int, list[str]]] = (),
    fill_rows: bool = True,
) -> Table:
    """Adds a form table: bold repeated header, borders, rows that do not break, merged groups.

    ``totals`` are closing rows (label span, cells): the label is bold and spans its columns.
    ``fill_rows``: the body rows are to be filled in by hand, at least ``FILL_ROW_MM`` high. The
    rows of a merged group are kept on one page (keep-with-next), and so are the last two rows
    with what follows them (a seal line never stands alone).
    """
    columns = figure_widths(columns, [*rows, *(values for _, values in totals)], _WIDE_KEYS, CELL_MARGIN_MM)
    result: Table = doc.add_table(rows=1, cols=len(columns))
    result.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_borders(result)
    set_cell_margins(result, CELL_MARGIN_MM)
    _cell_margins_top_bottom(result)
    for cell, (_, header, _) in zip(result.rows[0].cells, columns, strict=True):
        cell.paragraphs[0].style = doc.styles["Table Text"]
        cell.paragraphs[0].add_run(header).bold = True
    repeat_header(result.rows[0])
    wide = {i for i, (key, _, _) in enumerate(columns) if key in _WIDE_KEYS}
    for values in rows:
        row = add_row(result)
        keep_together(row)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.paragraphs[0].style = doc.styles["Table Text Left" if index in wide else "Table Text"]
            key, _, width = columns[index]
            text = (
                figure_lines(value, width, CELL_MARGIN_MM)
                if key in FIGURE_KEYS
                else kept_brackets(value, width)
            )
            cell.paragraphs[0].add_run(text)
    for _, values in totals:
        row = add_row(result)
        keep_together(row)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.paragraphs[0].style = doc.styles["Table Text"]
            cell.paragraphs[0].add_run(value).bold = index == 0
    _tighten(result)
    if fill_rows:
        for row in result.rows[1:]:
            min_height(row, FILL_ROW_MM)
    every = [*rows, *(values for _, values in totals)]
    kept = _keep_groups(result, every, merge, len(totals))
    set_column_widths(result, [w for _, _, w in columns])
    if merge:
        merge_repeated(result, merge)
        _repeat_group_labels(doc, result, columns, every, kept, merge, fill_rows)
    for offset, (span, _) in enumerate(totals):
        merge_across(result.rows[len(result.rows) - len(totals) + offset], span)
    if total:
        doc.add_paragraph(total, style="Note")
    return result


_WIDE_KEYS = ("indicator", "indicator_criteria", "criteria", "indicator_weight")


def _repeat_group_labels(
    doc: Document,
    result: Table,
    columns: Sequence[tuple[str, str, float]],
    rows: list[list[str]],
    kept: list[bool],
    merge: int,
    fill_rows: bool,
) -> None:
    """Repeats a merged group's label on the page where the group continues (estimated breaks)."""
    from docgen.outputs import form_pages as pages

    page = pages.page_height(doc)
    widths = [w for _, _, w in columns]
    minimum = FILL_ROW_MM if fill_rows else 0
    header = pages.row_heights(
        [[title for _, title, _ in columns]], widths, TABLE_LINE_PT, CELL_MARGIN_TOP_MM, minimum
    )
    heights = pages.row_heights(rows, widths, TABLE_LINE_PT, CELL_MARGIN_TOP_MM, minimum)
    breaks = pages.page_breaks(page, pages.table_start(doc, result), header[0], heights, kept)
    pages.repeat_labels(result, breaks, merge, rows)


def _keep_groups(table: Table, rows: list[list[str]], merge: int, closing: int = 0) -> list[bool]:
    """Keeps a row with the next one when the next continues its innermost merged group (the same
    group cells: 二级指标 where there are two), and the last two lines with the ``closing`` rows
    (基本分, 加分, 合计), with each other and with the paragraph after the table (the seal): a page
    never holds the closing rows alone. A long 一级 group may so break between its 二级 groups."""
    body = table.rows[1:]
    kept: list[bool] = []
    for index, row in enumerate(body):
        last = index >= len(body) - 2 - closing
        depth = max((k for k in range(1, merge + 1) if rows[index][k - 1]), default=0)
        same_group = depth > 0 and index + 1 < len(rows) and rows[index + 1][:depth] == rows[index][:depth]
        if last or same_group:
            for cell in row.cells:
                for line in cell.paragraphs:
                    line.paragraph_format.keep_with_next = True
        kept.append(same_group or (last and index < len(body) - 1))
    return kept


def min_height(row: _Row, mm: float) -> None:
    """Makes ``row`` at least ``mm`` high (``w:trHeight`` with ``hRule="atLeast"``)."""
    tr_pr = row._tr.get_or_add_trPr()
    height = tr_pr.find(qn("w:trHeight"))
    if height is None:
        height = OxmlElement("w:trHeight")
        tr_pr.append(height)
    height.set(qn("w:val"), str(int(Mm(mm).twips)))
    height.set(qn("w:hRule"), "atLeast")


def _cell_margins_top_bottom(table: Table) -> None:
    """Gives the table's cells ``CELL_MARGIN_TOP_MM`` above and below their text."""
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    for edge in ("top", "bottom"):
        element = margins.find(qn(f"w:{edge}"))
        if element is None:
            element = OxmlElement(f"w:{edge}")
            margins.append(element)
        element.set(qn("w:w"), str(int(Mm(CELL_MARGIN_TOP_MM).twips)))
        element.set(qn("w:type"), "dxa")
    order = ("top", "left", "start", "bottom", "right", "end")  # the schema's sequence
    for element in sorted(margins, key=lambda e: order.index(e.tag.split("}")[1])):
        margins.append(element)


def _tighten(table: Table) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.line_spacing = Pt(TABLE_LINE_PT)


def notes(doc: Document, heading: str, texts: Sequence[str], space_before: float = 0) -> None:
    """Adds numbered notes in 5号仿宋 (small type), headed ``heading`` (a one-line note: no texts),
    ``space_before`` points below what precedes them; the heading keeps with the first note."""
    if not heading and not texts:
        return
    numbered = [f"{index}.{text}" for index, text in enumerate(texts, 1)] if len(texts) > 1 else texts
    lines = (heading, *numbered)  # a single note is not numbered («附注：1.…» with no 2.)
    for index, text in enumerate(lines):
        line = doc.add_paragraph(style="Note")
        line.paragraph_format.space_before = Pt(space_before if index == 0 else 0)
        line.paragraph_format.keep_with_next = index == 0 and len(lines) > 1
        indent = OxmlElement("w:ind")
        indent.set(qn("w:firstLineChars"), "0")
        indent.set(qn("w:firstLine"), "0")
        line._p.get_or_add_pPr().append(indent)
        line.paragraph_format.line_spacing = Pt(16)
        line.add_run(text).font.size = Pt(10.5)


def data_table(
    doc: Document,
    program: Program,
    catalog: Catalog,
    answers: AnswerSet | None,
    header: Sequence[Sequence[HeaderCell]] = (),
) -> None:
    """Adds the data table: the header block, then 序号/指标名称/单位/数据值 (filled if answers).

    The header block is laid out as the attachment's ``header`` gives it (a row of one pair spans
    the table: «企业名称»), else the program's ``data_header`` two pairs a row. A blank form leaves
    out the rows docgen added to the notice's table (``added``), and so does a filled one: their
    figures are in the report's 附表1 and in the answers.
    """
    labels = {k: f.label for k, f in catalog.profile_fields.items()}

    def pair(key: str, label: str = "") -> tuple[str, str]:
        if not key:
            return label, ""
        return label or labels.get(key, key), str(answers.profile.get(key, "")) if answers else ""

    if header:
        layout = [[pair(cell.key, cell.label) for cell in row] for row in header]
    else:
        pairs = [pair(k) for k in program.data_header]
        layout = [pairs[index : index + 2] for index in range(0, len(pairs), 2)]
    block = doc.add_table(rows=0, cols=4)
    block.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_borders(block)
    set_cell_margins(block, CELL_MARGIN_MM)
    _cell_margins_top_bottom(block)
    for pairs in layout:
        cells = [text for label_value in pairs for text in label_value]
        cells += [""] * (4 - len(cells))
        row = add_row(block)
        keep_together(row)
        min_height(row, FILL_ROW_MM)
        for index, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            cell.paragraphs[0].style = doc.styles["Table Text" if index % 2 == 0 else "Table Text Left"]
            cell.paragraphs[0].add_run(text)
    _tighten(block)
    set_column_widths(block, [34, 48, 30, 44])
    for row, pairs in zip(block.rows, layout, strict=True):
        if len(pairs) == 1:  # one pair spans the table: its value takes the other three cells
            merged = row.cells[1].merge(row.cells[3])
            for extra in merged.paragraphs[1:]:
                merged._tc.remove(extra._p)
    _separator(doc)
    figures: dict[str, Fraction] = answers.figures if answers else {}
    values: list[list[str]] = []
    for data_row in program.data_rows:
        if data_row.added:  # docgen's own row, for scoring: not on the published table, blank or filled
            continue
        value: Fraction | None
        if data_row.key:
            value = figures.get(data_row.key)
        else:
            parts = [figures.get(k) for k in data_row.sum]
            value = None if None in parts else sum((p for p in parts if p is not None), Fraction(0))
        shown = fmt(value) if value is not None and answers else ""
        values.append([data_row.no, data_row.label, data_row.unit, shown])
    # the 数据值 column as wide as its widest figure (never broken mid-number), taken from 指标名称
    widths = widen_for_figures([14, 104, 16, 22], 3, [row[3] for row in values], 1)
    keys = ("no", "label", "unit", "value")
    titles = [
        OUTPUTS_TEXT["form_layout.data_table.index"],
        OUTPUTS_TEXT["form_layout.data_table.label"],
        OUTPUTS_TEXT["form_layout.data_table.unit"],
        OUTPUTS_TEXT["form_layout.data_table.value"],
    ]
    table(doc, list(zip(keys, titles, widths, strict=True)), values)


def _separator(doc: Document) -> None:
    """Adds a 1 pt paragraph between two tables that print as one, so that neither Word nor
    LibreOffice joins them (a joined table would not repeat the second one's header row)."""
    line = doc.add_paragraph(style="Normal")
    line.paragraph_format.line_spacing = Pt(1)
    line.paragraph_format.keep_with_next = True
    line.add_run("").font.size = Pt(1)


def coefficient_table(doc: Document, coefficients: CoefficientTable, decimals: int | None = None) -> None:
    """Adds the 行业系数 table, its values with ``decimals`` places where the notice prints them
    so («2.0»), else as few as they need."""
    # 国民经济分类代码 on one line; the three long coefficient headings share what is left.
    share = (156 - 50 - 32) / len(coefficients.columns)
    columns = [
        ("name", OUTPUTS_TEXT["form_layout.coefficient_table.industry"], 50),
        ("code", OUTPUTS_TEXT["form_layout.coefficient_table.code"], 32),
    ] + [(key, title, share) for key, title in coefficients.columns.items()]

    def shown(value: Fraction) -> str:
        return fmt(value) if decimals is None else fmt_fixed(value, decimals)

    rows = [
        [row.name, row.code, *[shown(row.values[key]) for key in coefficients.columns]]
        for row in coefficients.rows.values()
    ]
    table(doc, columns, rows, fill_rows=False)


def summary_table(doc: Document, columns: list[tuple[str, float]], count: int, note: str = "") -> None:
    """Adds an empty summary-table template (汇总表) with ``count`` numbered rows, and under it
    ``note`` (whose columns these are: the notice names the table without a template)."""
    spec = [(str(index), name, width) for index, (name, width) in enumerate(columns)]
    rows = [[str(n)] + [""] * (len(spec) - 1) for n in range(1, count + 1)]
    table(doc, spec, rows)
    if note:
        notes(doc, note, ())
    sign_off(doc, TEXT["form_sign_off"].format(company=""))


def sign_off(doc: Document, seal: str, day: str = "") -> None:
    """Adds the signed-off fields left for the seal: ``seal`` (填报单位（盖章）：…, the applicant or
    the unit that seals for it) and the date (the answers' report date when filled
    from a submission that gives one, else left to be written by hand)."""
    date = TEXT["form_date_filled"].format(date=day) if day else TEXT["form_date"]
    for index, text in enumerate((seal, date)):
        line = doc.add_paragraph(text, style="Normal")
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.paragraph_format.line_spacing = Pt(SIGN_OFF_LINE_PT)
        line.paragraph_format.space_before = Pt(SIGN_OFF_LINE_PT if index == 0 else 0)
        line.paragraph_format.keep_with_next = index == 0  # the seal and the date on one page


def save(doc: Document) -> bytes:
    """Returns the document's bytes with fixed zip timestamps."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue())

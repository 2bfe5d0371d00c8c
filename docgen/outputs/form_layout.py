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
from docx.shared import Pt
from docx.table import Table

from docgen.numbers import fmt
from docgen.text.labels import TEXT
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
    from docgen.model.definitions import AnswerSet, CoefficientTable, Outline, Program

FORMS_TEMPLATE = "styles/forms.docx"  # the styles of the forms and the 汇总表

LABEL_FONT = "黑体"
NUMBER_FONT = "宋体"
# Left/right cell padding of form tables: 1 mm (Word's default 1.9 mm costs a character in the
# narrow 一级/二级指标 columns).
CELL_MARGIN_MM = 1.0
# Exact line height in form tables: single spacing for 5号 type (the report style's 16 pt pushes
# a one-page form such as the Gansu ETC self-evaluation onto a second page).
TABLE_LINE_PT = 13
SIGN_OFF_LINE_PT = 24
# A slash between Latin letters (GB/T) is not a line-break opportunity: U+2060 WORD JOINER.
_SLASH = re.compile(r"(?<=[A-Za-z])/(?=[A-Za-z0-9])")


def unbroken(text: str) -> str:
    """Returns ``text`` with a word joiner after every slash inside a code such as GB/T."""
    return _SLASH.sub("/\u2060", text)


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


def heading(doc: Document, text: str) -> None:
    """Adds a first-level heading (一、…) in 3号黑体."""
    doc.add_paragraph(text, style="Heading 1")


def paragraph(doc: Document, text: str) -> None:
    """Adds a body paragraph in 3号仿宋 with a two-character first-line indent."""
    doc.add_paragraph(unbroken(text), style="Body Text")


def outline(doc: Document, outline: Outline) -> None:
    """Adds an outline: chapters as headings, sections with the notice's guidance."""
    if outline.preface:
        paragraph(doc, outline.preface)
    from docgen.outputs.contexts import chinese_number

    if outline.chapters:
        for c_index, chapter in enumerate(outline.chapters, 1):
            heading(doc, f"{chinese_number(c_index)}、{chapter.title}")
            for s_index, section in enumerate(chapter.sections, 1):
                paragraph(doc, f"{s_index}.{section.title}。{section.guidance}")
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
) -> Table:
    """Adds a form table: bold repeated header, borders, rows that do not break, merged groups.

    ``totals`` are closing rows (label span, cells): the label is bold and spans its columns.
    """
    result: Table = doc.add_table(rows=1, cols=len(columns))
    result.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_borders(result)
    set_cell_margins(result, CELL_MARGIN_MM)
    for cell, (_, header, _) in zip(result.rows[0].cells, columns, strict=True):
        cell.paragraphs[0].style = doc.styles["Table Text"]
        cell.paragraphs[0].add_run(header).bold = True
    repeat_header(result.rows[0])
    wide = {
        i
        for i, (key, _, _) in enumerate(columns)
        if key in ("indicator", "indicator_criteria", "criteria", "indicator_weight")
    }
    for values in rows:
        row = add_row(result)
        keep_together(row)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.paragraphs[0].style = doc.styles["Table Text Left" if index in wide else "Table Text"]
            cell.paragraphs[0].add_run(unbroken(value))
    for _, values in totals:
        row = add_row(result)
        keep_together(row)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.paragraphs[0].style = doc.styles["Table Text"]
            cell.paragraphs[0].add_run(value).bold = index == 0
    _tighten(result)
    set_column_widths(result, [w for _, _, w in columns])
    if merge:
        merge_repeated(result, merge)
    for offset, (span, _) in enumerate(totals):
        merge_across(result.rows[len(result.rows) - len(totals) + offset], span)
    if total:
        doc.add_paragraph(total, style="Note")
    return result


def _tighten(table: Table) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.line_spacing = Pt(TABLE_LINE_PT)


def notes(doc: Document, heading: str, texts: Sequence[str]) -> None:
    """Adds numbered notes under a table in 5号仿宋 (small type), headed ``heading``."""
    if not texts:
        return
    for text in (heading, *(f"{index}.{text}" for index, text in enumerate(texts, 1))):
        line = doc.add_paragraph(style="Note")
        indent = OxmlElement("w:ind")
        indent.set(qn("w:firstLineChars"), "0")
        indent.set(qn("w:firstLine"), "0")
        line._p.get_or_add_pPr().append(indent)
        line.paragraph_format.line_spacing = Pt(16)
        line.add_run(text).font.size = Pt(10.5)


def data_table(doc: Document, program: Program, catalog: Catalog, answers: AnswerSet | None) -> None:
    """Adds the data table: the profile block, then 序号/指标名称/单位/数据值 (filled if answers)."""
    labels = {k: f.label for k, f in catalog.profile_fields.items()}
    pairs = [
        (labels.get(k, k), str(answers.profile.get(k, "")) if answers else "") for k in program.data_header
    ]
    rows: list[list[str]] = []
    for index in range(0, len(pairs), 2):
        first = pairs[index]
        second = pairs[index + 1] if index + 1 < len(pairs) else ("", "")
        rows.append([first[0], first[1], second[0], second[1]])
    block = doc.add_table(rows=0, cols=4)
    block.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_borders(block)
    set_cell_margins(block, CELL_MARGIN_MM)
    for cells in rows:
        row = add_row(block)
        keep_together(row)
        for index, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            cell.paragraphs[0].style = doc.styles["Table Text" if index % 2 == 0 else "Table Text Left"]
            cell.paragraphs[0].add_run(text)
    _tighten(block)
    set_column_widths(block, [34, 48, 30, 44])
    figures: dict[str, Fraction] = answers.figures if answers else {}
    values: list[list[str]] = []
    for data_row in program.data_rows:
        value: Fraction | None
        if data_row.key:
            value = figures.get(data_row.key)
        else:
            parts = [figures.get(k) for k in data_row.sum]
            value = None if None in parts else sum((p for p in parts if p is not None), Fraction(0))
        shown = fmt(value) if value is not None and answers else ""
        values.append([data_row.no, data_row.label, data_row.unit, shown])
    table(
        doc,
        [("no", "序号", 14), ("label", "指标名称", 104), ("unit", "单位", 16), ("value", "数据值", 22)],
        values,
    )


def coefficient_table(doc: Document, coefficients: CoefficientTable) -> None:
    """Adds the 行业系数 table."""
    # 国民经济分类代码 on one line; the three long coefficient headings share what is left.
    share = (156 - 50 - 32) / len(coefficients.columns)
    columns = [("name", "行业名称", 50), ("code", "国民经济分类代码", 32)] + [
        (key, title, share) for key, title in coefficients.columns.items()
    ]
    rows = [
        [row.name, row.code, *[fmt(row.values[key]) for key in coefficients.columns]]
        for row in coefficients.rows.values()
    ]
    table(doc, columns, rows)


def summary_table(doc: Document, columns: list[tuple[str, float]], count: int) -> None:
    """Adds an empty summary-table template (汇总表) with ``count`` numbered rows."""
    spec = [(str(index), name, width) for index, (name, width) in enumerate(columns)]
    rows = [[str(n)] + [""] * (len(spec) - 1) for n in range(1, count + 1)]
    table(doc, spec, rows)
    sign_off(doc, "")


def sign_off(doc: Document, company: str, day: str = "") -> None:
    """Adds the signed-off fields left for the seal: 填报单位（盖章） and the date (the answers'
    report date when filled from a submission that gives one, else left to be written by hand)."""
    date = TEXT["form_date_filled"].format(date=day) if day else TEXT["form_date"]
    for index, text in enumerate((TEXT["form_sign_off"].format(company=company), date)):
        line = doc.add_paragraph(text, style="Normal")
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.paragraph_format.line_spacing = Pt(SIGN_OFF_LINE_PT)
        line.paragraph_format.space_before = Pt(SIGN_OFF_LINE_PT if index == 0 else 0)


def save(doc: Document) -> bytes:
    """Returns the document's bytes with fixed zip timestamps."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue())

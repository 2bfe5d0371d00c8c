"""EDGE: the 汇总表 workbook — a styled 汇总表 sheet and a 完整性核对 sheet.

openpyxl cannot measure text, so row heights are estimated (docgen.table_layout): each row is as
tall as its cell that takes most lines at its column's width. Titles are broken into lines here,
at places chosen by the same estimate, so Excel and LibreOffice break them alike.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from docgen.model.review import Review
from docgen.outputs.summary import (
    COLUMNS,
    Column,
    completeness_rows,
    formula_like,
    numbered,
    summary_notes,
    working_rows,
)
from docgen.text.labels import TEXT
from docgen.word.layout import line_count, row_height, widest_line, wrap_lines

FONT_PT = 10
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
PADDING = 2  # width units a column keeps beyond its text (cell padding, bold titles, rounding)
MARGIN = 1  # width units of a column that text cannot use (cell padding), when counting lines
UNITS_PER_DISPLAY = 1.0  # Excel width units per display unit at 10 pt (a CJK character is 2)
MATRIX_COLUMN = 14  # width of a document or section column of the 完整性核对 sheet (6 CJK characters)
MATRIX_NAME = 32  # display units at most of the 企业名称 column before names wrap
FIXED_DATE = dt.datetime(2000, 1, 1)  # the workbook's created and modified dates (reproducible)
MATRIX_VALUES = 8  # display units the widest matrix value takes (齐全, 缺失, 未评审, 无法使用)


def capacity(width: float) -> float:
    """Returns how many display units fit on one line of a column ``width`` Excel units wide."""
    return max((width - MARGIN) / UNITS_PER_DISPLAY, 1)


def shown(value: Any, number_format: str | None) -> str:
    """Returns a cell value as the sheet shows it (for measuring)."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool) and number_format:
        return f"{value:,.2f}" if number_format.startswith("#,##0") else f"{value:.2f}"
    return str(value)


def _summary_widths(titles: list[str], rows: list[list[Any]]) -> list[float]:
    widths = []
    for index, column in enumerate((*COLUMNS, Column("folder"))):  # the working copy's last column
        if column.flex:
            units = max(widest_line(titles[index]), column.flex)
        else:
            cells = (widest_line(shown(row[index], column.number_format)) for row in rows)
            units = max([widest_line(titles[index]), *cells])
        widths.append(units * UNITS_PER_DISPLAY + PADDING)
    return widths


def _matrix_titles(review: Review, headers: list[str], names: list[str]) -> tuple[list[str], list[float]]:
    """Returns the matrix titles broken into lines, and the column widths.

    Each title takes as many lines as it needs at the standard column width, and its column is
    then narrowed to the least width that keeps that many lines, so the lines come out even
    (企业资产/负债表, not 企业资产负债/表).
    """
    titles, widths = [], []
    name_width = min(max(map(widest_line, names), default=0), MATRIX_NAME) + MARGIN
    for index, title in enumerate(headers):
        standard = max(name_width, widest_line(title) + MARGIN) if index == 0 else MATRIX_COLUMN
        number, _, name = title.partition(" ")
        if name and number in review.sections and widest_line(title) > capacity(standard):
            title = f"{number}\n{name}"  # a section number on its own line, then its title
        lines = line_count(title, capacity(standard))
        least = MATRIX_VALUES if index else int(capacity(standard))
        fit = next(
            (c for c in range(least, int(capacity(standard)) + 1) if line_count(title, c) <= lines),
            capacity(standard),
        )
        titles.append("\n".join(wrap_lines(title, fit)))
        widths.append(max(fit + PADDING, least + PADDING))
    return titles, widths


def write_row(ws: Any, values: Sequence[Any], style_names: Sequence[str] | None = None) -> None:
    """Appends a row of values to sheet ``ws``, each cell in its named style if given.

    Text a spreadsheet would take for a formula is written as a string with Excel's quote prefix:
    shown as typed, never evaluated, and still text when a reviewer edits the cell (openpyxl would
    store a str starting with ``=`` as a formula). Numbers are written as numbers.
    """
    ws.append(values)
    for index, cell in enumerate(ws[ws.max_row]):
        if style_names is not None:
            cell.style = style_names[index]
        if formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True  # after the style: assigning a named style resets it


def _write_notes(ws: Any, notes: list[str], widths: list[float], font: Any) -> None:
    """Writes the 说明 under the table: a blank row, 说明：, then one row per note across all columns."""
    from openpyxl.styles import Alignment

    first = ws.max_row + 2
    ws.row_dimensions[first - 1].height = row_height(1, FONT_PT)
    span = sum(widths)
    for offset, text in enumerate([TEXT["notes_heading"], *notes]):
        number = first + offset
        cell = ws.cell(row=number, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(widths))
        ws.row_dimensions[number].height = row_height(line_count(text, capacity(span)), FONT_PT)


def render_xlsx(review: Review) -> bytes:
    """Returns the .xlsx: 汇总表 and 完整性核对 sheets, frozen titles, fitted widths and heights."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from docgen.word.package import CoreProperties, normalise_zip

    workbook = Workbook()
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    title_font = Font(name=TITLE_FONT, size=FONT_PT, bold=True)
    body_font = Font(name=BODY_FONT, size=FONT_PT)
    fill = PatternFill("solid", fgColor="D9D9D9")
    styles: dict[tuple[str, str | None], str] = {}

    def style(align: str, number_format: str | None) -> str:
        """Returns the name of a registered cell style (one per alignment and number format:
        assigning a style object per cell costs openpyxl a hash of every part, each time)."""
        key = (align, number_format)
        if key not in styles:
            name = f"body-{len(styles)}"
            named = NamedStyle(name=name, font=body_font, border=border)
            named.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
            if number_format:
                named.number_format = number_format
            workbook.add_named_style(named)
            styles[key] = name
        return styles[key]

    def sheet(
        ws: Any,
        name: str,
        titles: list[str],
        rows: list[list[Any]],
        widths: list[float],
        formats: Sequence[tuple[str, str | None]],
    ) -> None:
        ws.title = name
        write_row(ws, titles)
        for cell in ws[1]:
            cell.font, cell.fill, cell.border = title_font, fill, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        names = [style(align, number_format) for align, number_format in formats]
        for row in rows:
            write_row(ws, row, names)
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = round(width, 1)
        for number, values in enumerate([titles, *rows], 1):
            lines = max(
                line_count(shown(value, number_format), capacity(width))
                for value, width, (_, number_format) in zip(values, widths, formats, strict=True)
            )
            ws.row_dimensions[number].height = row_height(lines, FONT_PT)
        ws.freeze_panes = "B2"
        # printed: landscape A4, all columns on one page width, the title row repeated on each page
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"

    titles, rows = working_rows(review)
    formats = [*((c.align, c.number_format) for c in COLUMNS), ("left", None)]
    widths = _summary_widths(titles, rows)
    sheet(workbook.active, "汇总表", titles, rows, widths, formats)
    _write_notes(workbook["汇总表"], numbered(summary_notes(review)), widths, body_font)
    headers, matrix = completeness_rows(review)
    matrix_titles, widths = _matrix_titles(review, headers, [row[0] for row in matrix])
    matrix_formats = [("left", None)] + [("center", None)] * (len(headers) - 1)
    sheet(workbook.create_sheet(), "完整性核对", matrix_titles, matrix, widths, matrix_formats)
    workbook.properties.creator = "docgen"
    workbook.properties.created = workbook.properties.modified = FIXED_DATE
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl stamps the save time as dcterms:modified whatever the properties say: the stamper
    # puts the fixed date back, so two runs give the same bytes
    return normalise_zip(buffer.getvalue(), CoreProperties(created=FIXED_DATE))

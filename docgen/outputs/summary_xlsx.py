"""EDGE: the 汇总表 workbook — a styled 汇总表 sheet and a 完整性核对 sheet.

openpyxl cannot measure text, so row heights are estimated (docgen.table_layout): each row is as
tall as its cell that takes most lines at its column's width. Titles are broken into lines here,
at places chosen by the same estimate, so Excel and LibreOffice break them alike.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from typing import Any

from docgen.model.review import Review
from docgen.outputs.summary import (
    Column,
    completeness_rows,
    header_lines,
    numbered,
    summary_columns,
    summary_notes,
    summary_title,
)
from docgen.outputs.summary_csv import formula_like, working_rows
from docgen.text.labels import TEXT
from docgen.text.outputs_text import OUTPUTS_TEXT
from docgen.word.layout import line_count, row_height, widest_line, wrap_lines

FONT_PT = 10
BODY_FONT = OUTPUTS_TEXT["summary_xlsx.body_font"]
TITLE_FONT = OUTPUTS_TEXT["summary_xlsx.title_font"]
PADDING = 2  # width units a column keeps beyond its text (cell padding, bold titles, rounding)
MARGIN = 1  # width units of a column that text cannot use (cell padding), when counting lines
UNITS_PER_DISPLAY = 1.0  # Excel width units per display unit at 10 pt (a CJK character is 2)
MATRIX_COLUMN = 14  # width of a document or section column of the 完整性核对 sheet (6 CJK characters)
MATRIX_NAME = 32  # display units at most of the 企业名称 column before names wrap
FIXED_DATE = dt.datetime(2000, 1, 1)  # the workbook's created and modified dates (reproducible)
MATRIX_VALUES = 8  # display units the widest matrix value takes (齐全, 缺失, 未评审, 无法使用)
TITLE_PT = 16  # the 汇总表's title row
MARGIN_IN = 0.4  # left and right print margins (inches)
MM_PER_UNIT = 2.0  # one Excel width unit with the workbook's default font 宋体 10 pt (measured, rounded up)
LEAST_SCALE = 0.9  # printed fitted to the page width, 10 pt text shrinks at most to 9 pt (SPEC §7)
PAPERS = (("9", 297), ("8", 420))  # openpyxl paper codes (A4, A3) and their landscape widths in mm
# the printed width of one A3 page at the least scale, in width units, less one for the widths'
# rounding to a tenth when written
ONE_PAGE_UNITS = (PAPERS[-1][1] - 2 * MARGIN_IN * 25.4) / LEAST_SCALE / MM_PER_UNIT - 1


def paper_for(widths: Sequence[float]) -> tuple[str, float | None]:
    """Returns the landscape paper on which columns ``widths`` wide print fitted to the page width
    with the text at 9 pt or more — A4, else A3 — and the scale; a scale of None when even A3
    would shrink the text more: the sheet then prints at full size on A3, its columns split over
    pages with the titles and the first columns repeated."""
    total = sum(widths) * MM_PER_UNIT
    for code, width in PAPERS:
        scale = min(1.0, (width - 2 * MARGIN_IN * 25.4) / total)
        if scale >= LEAST_SCALE:
            return code, scale
    return PAPERS[-1][0], None


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


def _summary_widths(columns: list[Column], titles: list[str], rows: list[list[Any]]) -> list[float]:
    """Returns the 汇总表's column widths: each as wide as its text (a wrapping column up to its
    flex), then — where the printed columns would need more than one A3 width at 9 pt — the
    wrapping columns narrowed toward their least width in proportion to what each can give, so
    that the table prints on one page width (its rows taller) rather than split over pages; the
    working copy's last column (材料文件夹, not printed) is left as it is."""
    widths, floors = [], []
    for index, column in enumerate((*columns, Column("folder"))):  # the working copy's last column
        content = max((widest_line(shown(row[index], column.number_format)) for row in rows), default=0)
        if column.flex:  # as wide as its text up to its flex, never narrower than its title or least
            least = max(widest_line(titles[index]), column.least)
            units = max(least, min(content, column.flex))
        else:
            least = units = max(widest_line(titles[index]), content)
        widths.append(units * UNITS_PER_DISPLAY + PADDING)
        floors.append(least * UNITS_PER_DISPLAY + PADDING)
    printed = widths[:-1]
    excess = sum(printed) - ONE_PAGE_UNITS
    slack = [width - floor for width, floor in zip(printed, floors, strict=False)]
    if excess <= 0 or sum(slack) < excess:
        return widths  # fits as it is, or cannot be made to fit: printed split over pages
    share = excess / sum(slack)
    texts = [[shown(row[i], c.number_format) for row in rows] for i, c in enumerate(columns)]
    narrowed = [width - give * share for width, give in zip(printed, slack, strict=True)]
    for index, width in enumerate(narrowed):  # each narrowed column's lines made even
        if width < printed[index]:
            narrowed[index] = _least_width(texts[index], floors[index], width, width)
    while True:  # the room left given back where it spares a line, the cheapest first
        offers = []
        for index, width in enumerate(narrowed):
            lines = max((line_count(t, capacity(width)) for t in texts[index]), default=1)
            if width < printed[index] and lines > 1:
                wider = _least_width(texts[index], width, printed[index], capacity_of=lines - 1)
                if wider is not None and sum(narrowed) - width + wider <= ONE_PAGE_UNITS:
                    offers.append((wider - width, index, wider))
        if not offers:
            return narrowed + widths[-1:]
        _, index, wider = min(offers)
        narrowed[index] = wider


def _least_width(
    texts: list[str], low: float, high: float, at: float | None = None, capacity_of: int = 0
) -> float:
    """Returns the least whole width from ``low`` up to ``high`` at which no text takes more
    lines than at width ``at`` (its lines then come out even: «甘肃农业大学、|甘肃中医药大学», not
    a last character alone), or than ``capacity_of`` lines; ``high`` when no lesser one does."""
    limits = [capacity_of or line_count(t, capacity(at or high)) for t in texts]
    for candidate in range(math.ceil(low), math.floor(high) + 1):
        if all(line_count(t, capacity(candidate)) <= n for t, n in zip(texts, limits, strict=True)):
            return float(candidate)
    return high


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


def _write_notes(ws: Any, notes: list[str], widths: list[float], font: Any, split: bool = False) -> None:
    """Writes the 说明 under the table: a blank row, 说明：, then one row per note, merged across
    the printed width, wrapped, its height set for its lines. On a sheet ``split`` over pages
    (its columns too wide for one A3 width), every page prints the repeated first columns and a
    cell merged beyond them shows on a continuation page only as far as they reach: the notes
    are then merged over those columns (序号, 企业名称) and wrapped at their width, so that
    every page prints them whole."""
    from openpyxl.styles import Alignment

    first = ws.max_row + 2
    ws.row_dimensions[first - 1].height = row_height(1, FONT_PT)
    count = len(TITLE_COLUMNS) if split else len(widths)
    span = sum(widths[:count])
    for offset, text in enumerate([TEXT["notes_heading"], *notes]):
        number = first + offset
        cell = ws.cell(row=number, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=count)
        ws.row_dimensions[number].height = row_height(line_count(text, capacity(span)), FONT_PT)


TITLE_COLUMNS = "AB"  # the 汇总表's columns repeated on every page of a split sheet (序号, 企业名称)
SUMMARY_TOP = 2  # rows above the 汇总表's column titles: the title, the sender lines


def _write_head(ws: Any, review: Review, widths: list[float], title_font: Any, font: Any) -> None:
    """Writes the title (row 1, across all columns) and the sender lines (row 2: 填报单位（盖章）
    at the left, 经办人及联系电话 in the middle, 填报日期 at the right, each over a third of the
    columns)."""
    from openpyxl.styles import Alignment

    count = len(widths)
    cell = ws.cell(row=1, column=1, value=summary_title(review))
    cell.font = title_font
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=count)
    ws.row_dimensions[1].height = row_height(1, TITLE_PT)
    cuts = [0, count // 3, count - count // 3, count]
    lines = 1
    for index, text in enumerate(header_lines(review)):
        first, last = cuts[index] + 1, cuts[index + 1]
        cell = ws.cell(row=2, column=first, value=text)
        cell.font = font
        align = ("left", "center", "right")[index]
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if last > first:
            ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=last)
        lines = max(lines, line_count(text, capacity(sum(widths[first - 1 : last]))))
    ws.row_dimensions[2].height = row_height(lines, FONT_PT)


def render_xlsx(review: Review) -> bytes:
    """Returns the .xlsx: 汇总表 and 完整性核对 sheets, frozen titles, fitted widths and heights."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.indexed_list import IndexedList

    from docgen.word.package import CoreProperties, normalise_zip

    workbook = Workbook()
    # the default font sets Excel's width unit (its digit width): 宋体 10 pt, the text's own, so
    # the widths estimated in display units come out as printed (with Calibri 11 LibreOffice
    # draws every column 40 % wider, and fits the page by shrinking the text below 9 pt)
    default_font = Font(name=BODY_FONT, size=FONT_PT)
    workbook._fonts = IndexedList([default_font])
    workbook._named_styles["Normal"].font = default_font
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
        top: int = 0,
        printed: int | None = None,
    ) -> None:
        """Writes a sheet: its column titles on row ``top`` + 1 (rows above hold the title and
        sender lines), then the rows; widths, heights and print setup (the first ``printed``
        columns, all when None)."""
        ws.title = name
        for _ in range(top):
            ws.append([])
        write_row(ws, titles)
        for cell in ws[top + 1]:
            cell.font, cell.fill, cell.border = title_font, fill, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        names = [style(align, number_format) for align, number_format in formats]
        for row in rows:
            write_row(ws, row, names)
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = round(width, 1)
        for number, values in enumerate([titles, *rows], top + 1):
            lines = max(
                line_count(shown(value, number_format), capacity(width))
                for value, width, (_, number_format) in zip(values, widths, formats, strict=True)
            )
            ws.row_dimensions[number].height = row_height(lines, FONT_PT)
        ws.freeze_panes = f"B{top + 2}"
        # printed landscape, all columns on one page width (A3 when A4 would shrink the text below
        # 9 pt), the column titles repeated on each page
        shown_widths = widths[:printed] if printed is not None else widths
        if printed is not None:
            ws.print_area = f"A1:{get_column_letter(printed)}{ws.max_row}"
        paper, scale = paper_for(shown_widths)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = paper
        ws.page_margins.left = ws.page_margins.right = MARGIN_IN
        ws.print_title_rows = f"{top + 1}:{top + 1}"
        if scale is None:  # too wide for one A3 width at 9 pt: split, the names repeated
            ws.page_setup.scale = 100
            last = TITLE_COLUMNS[-1] if top else "A"  # 序号 and 企业名称; the matrix's 企业名称
            ws.print_title_cols = f"A:{last}"
        else:
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True

    titles, rows = working_rows(review)
    columns = summary_columns(review)
    formats = [*((c.align, c.number_format) for c in columns), ("left", None)]
    widths = _summary_widths(columns, titles, rows)
    # printed without the working copy's last column (材料文件夹): the bureau's copy names enterprises
    printed = len(widths) - 1
    sheet(
        workbook.active,
        OUTPUTS_TEXT["summary_xlsx.summary_sheet"],
        titles,
        rows,
        widths,
        formats,
        top=SUMMARY_TOP,
        printed=printed,
    )
    summary = workbook[OUTPUTS_TEXT["summary_xlsx.summary_sheet"]]
    _write_head(summary, review, widths[:printed], Font(name=TITLE_FONT, size=TITLE_PT), body_font)
    split = paper_for(widths[:printed])[1] is None  # printed over pages, the first columns repeated
    _write_notes(summary, numbered(summary_notes(review)), widths[:printed], body_font, split)
    summary.print_area = f"A1:{get_column_letter(printed)}{summary.max_row}"
    headers, matrix = completeness_rows(review)
    matrix_titles, widths = _matrix_titles(review, headers, [row[0] for row in matrix])
    matrix_formats = [("left", None)] + [("center", None)] * (len(headers) - 1)
    sheet(
        workbook.create_sheet(),
        OUTPUTS_TEXT["summary_xlsx.completeness_sheet"],
        matrix_titles,
        matrix,
        widths,
        matrix_formats,
    )
    workbook.properties.creator = "docgen"
    workbook.properties.created = workbook.properties.modified = FIXED_DATE
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl stamps the save time as dcterms:modified whatever the properties say: the stamper
    # puts the fixed date back, so two runs give the same bytes
    return normalise_zip(buffer.getvalue(), CoreProperties(created=FIXED_DATE))

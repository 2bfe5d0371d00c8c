"""EDGE: the styled sheets of answers.xlsx — cells written safely, input cells unlocked and
tinted, data validations with Chinese input messages, sheets protected and printed on A4.
Used by ``answers_xlsx.py``, which decides what goes where."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from docgen.outputs.summary_xlsx import BODY_FONT, FIXED_DATE, TITLE_FONT
from docgen.sources import sheets
from docgen.sources.workbook import column_letter
from docgen.text.labels import WORKBOOK
from docgen.word.package import CoreProperties, normalise_zip

FONT_PT = 10
MAX_CELL_CHARS = 32767  # Excel's limit of one cell
MAX_ROW_PT = 409  # Excel's tallest row
INPUT_FILL = "FFFDF3D0"  # the cells to fill in: pale yellow
LOCKED_FILL = "FFEDEDED"  # a row not to fill in (computed, derived)


class UnwritableValue(ValueError):
    """A value of the answers has no cell to go into (a list where a figure belongs)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


@dataclass
class _Check:
    """One data validation: its kind and the cells it covers."""

    kind: str | None
    prompt: str
    title: str
    formula1: str | None = None
    formula2: str | None = None
    operator: str | None = None
    error: str = ""
    cells: list[str] = field(default_factory=list)


def _cell_value(value: Any, path: str) -> Any:
    """Returns an answers value as a cell holds it (a Decimal as a float when exact, else text)."""
    if isinstance(value, bool) or value is None or isinstance(value, str | dt.date):
        return value
    if isinstance(value, int):
        return value if abs(value) < 10**15 else str(value)
    if isinstance(value, Decimal):
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else format(value, "f")
    if isinstance(value, float):
        return value
    raise UnwritableValue(path)


class Book:
    """The workbook being written, with its styles."""

    def __init__(self, title: str) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.book = Workbook()
        self.book.remove(self.book.active)
        self.title = title
        thin = Side(style="thin", color="FF808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=BODY_FONT, size=FONT_PT)
        self.bold = Font(name=TITLE_FONT, size=FONT_PT, bold=True)
        self.big = Font(name=TITLE_FONT, size=12, bold=True)
        self.input_fill = PatternFill("solid", fgColor=INPUT_FILL)
        self.locked_fill = PatternFill("solid", fgColor=LOCKED_FILL)
        self.head_fill = PatternFill("solid", fgColor="FFD9E1F2")
        self.wrap = Alignment(vertical="top", wrap_text=True)
        self.top = Alignment(vertical="top")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.checks: dict[str, list[_Check]] = {}

    def sheet(self, name: str, headings: list[str], widths: list[float], key_column: int | None) -> Any:
        """Returns a new sheet with its title (row 1) and headings (row 2), printed on A4."""
        ws = self.book.create_sheet(name)
        last = len(headings)
        ws.cell(1, 1, WORKBOOK["title"].format(program=self.title, sheet=name)).font = self.big
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
        ws.row_dimensions[1].height = 24
        for column, (heading, width) in enumerate(zip(headings, widths, strict=True), 1):
            cell = ws.cell(sheets.HEADER_ROW, column, heading)
            cell.font, cell.fill, cell.border, cell.alignment = (
                self.bold,
                self.head_fill,
                self.border,
                self.center,
            )
            ws.column_dimensions[column_letter(column)].width = width
        if key_column:
            ws.cell(sheets.HEADER_ROW, key_column, sheets.HEADER_KEY)
            ws.column_dimensions[column_letter(key_column)].hidden = True
        ws.freeze_panes = ws.cell(sheets.FIRST_ROW, 1)
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "portrait" if last <= 5 else "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"1:{sheets.HEADER_ROW}"
        ws.protection.sheet = True  # no password: the structure is kept, not secret
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        self.checks[name] = []
        return ws

    def put(
        self,
        ws: Any,
        row: int,
        column: int,
        value: Any,
        *,
        path: str = "",
        entry: bool = False,
        text: bool = False,
        wrap: bool = False,
    ) -> Any:
        """Writes one cell: text as text, an input cell unlocked and tinted."""
        from openpyxl.styles import Protection

        cell = ws.cell(row, column)
        written = _cell_value(value, path)
        if isinstance(written, str) and len(written) > MAX_CELL_CHARS:
            raise UnwritableValue(path)
        cell.value = written
        if isinstance(written, str):
            cell.data_type = "s"  # never a formula, whatever the first character
        if isinstance(written, dt.date):
            cell.number_format = "yyyy-mm-dd"
        elif text:
            cell.number_format = "@"  # typed digits stay text (行业代码 07, 专利号, 电话)
        cell.font, cell.border = self.font, self.border
        cell.alignment = self.wrap if wrap else self.top
        if column == 1 and isinstance(written, int):  # a 序号
            cell.alignment = self.center
        if entry:
            cell.protection = Protection(locked=False)
            cell.fill = self.input_fill
        return cell

    def check(self, sheet: str, cell: str, kind: str | None, prompt: str, **more: Any) -> None:
        """Adds ``cell`` to the data validation of that kind and prompt (one per distinct rule)."""
        for found in self.checks[sheet]:
            if (found.kind, found.prompt, found.formula1) == (kind, prompt, more.get("formula1")):
                found.cells.append(cell)
                return
        title = more.pop("title", WORKBOOK["choice_title"] if kind == "list" else WORKBOOK["number_title"])
        self.checks[sheet].append(_Check(kind, prompt[:255], title[:32], cells=[cell], **more))

    def comment(self, cell: Any, text: str) -> None:
        from openpyxl.comments import Comment

        if text:
            cell.comment = Comment(text[:2000], "docgen", height=160, width=320)

    def finish(self) -> bytes:
        from openpyxl.worksheet.datavalidation import DataValidation

        for name, checks in self.checks.items():
            ws = self.book[name]
            for c in checks:
                dv = DataValidation(
                    type=c.kind,
                    operator=c.operator,
                    formula1=c.formula1,
                    formula2=c.formula2,
                    allow_blank=True,
                    showInputMessage=True,
                    showErrorMessage=c.kind is not None,
                    promptTitle=c.title,
                    prompt=c.prompt,
                    errorTitle=c.title,
                    error=c.error[:255] or None,
                )
                for cell in c.cells:
                    dv.add(cell)
                ws.add_data_validation(dv)
        self.book.properties.creator = "docgen"
        self.book.properties.created = self.book.properties.modified = FIXED_DATE
        buffer = io.BytesIO()
        self.book.save(buffer)
        return normalise_zip(buffer.getvalue(), CoreProperties(created=FIXED_DATE))

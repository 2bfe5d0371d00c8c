"""EDGE: the 汇总表 as the reviewer's working copies read it — the CSV (UTF-8 with BOM, Excel opens
it) and the cells a spreadsheet must never take for a formula (also used by the .xlsx)."""

from __future__ import annotations

import csv
import io
from typing import Any

from docgen.model.review import Review
from docgen.outputs.summary import (
    Column,
    cell_text,
    column_titles,
    ordered_rows,
    summary_columns,
    summary_rows,
)
from docgen.text.labels import COLUMN_TITLES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula


def formula_like(value: object) -> bool:
    """Returns whether ``value`` is text that a spreadsheet would take for a formula (OWASP CSV
    injection: a first character ``= + - @``, tab or carriage return). Numbers never are: a negative
    number stays a number."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any, column: Column | None = None) -> Any:
    """Returns a 汇总表 value as written to the CSV: floats with two decimals, a ``column``'s
    numbers as the .docx prints them (scores with two decimals, 万元 figures as the notice prints
    them), None blank, and text that a spreadsheet would take for a formula behind a single quote
    (shown, never evaluated)."""
    if value is None:
        return ""
    if column is not None and isinstance(value, float | int) and not isinstance(value, bool):
        return cell_text(column, value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return "'" + value if formula_like(value) else value


def working_rows(review: Review) -> tuple[list[str], list[list[Any]]]:
    """Returns the titles and rows of the reviewer's working copies (.csv, .xlsx): the 汇总表's
    columns and, last, the folder each submission was read from (to find it again; the .docx
    sent upward names enterprises, not folders)."""
    titles = [*column_titles(review), COLUMN_TITLES["folder"]]
    rows = [
        [*row, reviewed.prepared.folder]
        for row, reviewed in zip(summary_rows(review), ordered_rows(review), strict=True)
    ]
    return titles, rows


def render_csv(review: Review) -> bytes:
    """Returns the 汇总表 as CSV, UTF-8 with BOM so Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    titles, rows = working_rows(review)
    writer.writerow([csv_cell(title.replace("\n", "")) for title in titles])
    columns = [*summary_columns(review), None]  # the last: the folder
    for row in rows:
        writer.writerow([csv_cell(cell, column) for cell, column in zip(row, columns, strict=True)])
    return buffer.getvalue().encode("utf-8-sig")

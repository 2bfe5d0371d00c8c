"""EDGE: read answers.xlsx into the plain values and side table the YAML reader gives (SPEC §9).

The workbook's layout (sheets, columns, the hidden key column) is ``sheets.py``'s, shared with
the writer; this module turns cells into the same ``LoadedDocument`` ``yamlio`` makes, its
``cells`` naming each key path's cell (``评价数据表!D7``), so every check of answers runs
unchanged and its findings name the cell.

Hostile input is bounded before openpyxl sees it: the file's size, the number of zip members,
each member streamed with a limit (``zipped.stream_member``: a zip bomb stops at the limit, a lying
header does not help), then openpyxl reads in read-only mode a bounded number of rows and
columns of each sheet (a sheet declaring a million rows costs nothing). A formula cell is read
through its cached value; one without a value is an error on its cell.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.diagnostics import Diagnostic, KeyPath, Location
from docgen.sources import sheets
from docgen.sources.characters import clean_tree
from docgen.sources.yamlio import LoadedDocument
from docgen.sources.zipped import TooLarge, stream_member
from docgen.text.labels import WORKBOOK
from docgen.text.messages import diagnostic
from docgen.text.punctuation import ENUM_COMMA
from docgen.text.sources_text import SOURCES_TEXT

MAX_FILE_BYTES = 10 * 1024 * 1024
"""The largest answers.xlsx read (a workbook of a few hundred rows is some 50 KB)."""
MAX_MEMBER_BYTES = 32 * 1024 * 1024
"""The most bytes one zip member may inflate to."""
MAX_TOTAL_BYTES = 64 * 1024 * 1024
"""The most bytes all members together may inflate to."""
MAX_MEMBERS = 500
MAX_ROWS = 5000
"""Rows read of one sheet (a row beyond them that holds anything is an error)."""
MAX_COLUMNS = 64
MAX_SHEETS = 64

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


class _Refused(Exception):
    def __init__(self, finding: Diagnostic) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _failed(file: str, finding: Diagnostic) -> LoadedDocument:
    """Returns the document of a workbook that could not be read: no data, one finding about the
    file as a whole (no line: a workbook has none)."""
    return LoadedDocument(
        file=file, data=None, diagnostics=[finding.with_location(Location(file=file))], workbook=True
    )


def load_workbook_document(path: Path, display: str | None = None) -> LoadedDocument:
    """Returns the answers read from the workbook at ``path`` with findings; never raises on bad
    input (a file that is not a workbook, too large, a zip bomb: one finding, no data)."""
    shown = display or path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            finding = diagnostic("file.too_large", file=shown, name=shown, size=size, limit=MAX_FILE_BYTES)
            return _failed(shown, finding)
        raw = path.read_bytes()
    except OSError as exc:
        name = (
            shown
            if isinstance(exc, FileNotFoundError)
            else SOURCES_TEXT["workbook.unreadable"].format(shown=shown, strerror=exc.strerror)
        )
        return _failed(shown, diagnostic("file.not_found", file=shown, name=name))
    return parse_workbook(raw, shown)


def parse_workbook(raw: bytes, file: str) -> LoadedDocument:
    """Returns the answers read from the bytes of a workbook (see ``load_workbook_document``)."""
    try:
        formulas = _check_archive(raw, file)
        values = _read_cells(raw, formulas=False)
        formula_cells = _read_cells(raw, formulas=True) if formulas else {}
    except _Refused as refused:
        return _failed(file, refused.finding)
    except (zipfile.BadZipFile, zlib.error, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        problem = type(exc).__name__
        return _failed(file, diagnostic("xlsx.unreadable", file=file, name=file, problem=problem))
    reader = _Reader(file, values, formula_cells)
    data = reader.read()
    doc = LoadedDocument(file=file, data=data, diagnostics=reader.findings, cells=reader.cells, workbook=True)
    if not data and not reader.findings:
        expected = ENUM_COMMA.join(
            WORKBOOK[s] for s in ("profile", "data", "ratings", "evidence", "narrative")
        )
        doc.diagnostics = doc.locate([diagnostic("xlsx.no_sheets", file=file, sheets=expected)])
        doc.data = None
        return doc
    doc.data, _, cleaned = clean_tree(data, {}, file)
    doc.diagnostics += doc.locate(cleaned)
    return doc


def _check_archive(raw: bytes, file: str) -> bool:
    """Checks every member's real inflated size, streamed (nothing is kept but one chunk and the
    end of the one before); returns True when a sheet holds a formula.

    Raises:
        _Refused: too many members, a member or the whole beyond its limit.
        zipfile.BadZipFile, zlib.error, ValueError: not a sound archive.
    """
    formulas = False
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _Refused(diagnostic("xlsx.too_large", file=file, name=file, part="zip", limit=MAX_MEMBERS))
        total = 0
        for info in members:
            sheet = info.filename.startswith("xl/worksheets/")
            tail = b""
            try:
                for chunk in stream_member(archive, info.filename, MAX_MEMBER_BYTES):
                    total += len(chunk)
                    if total > MAX_TOTAL_BYTES:
                        raise _Refused(
                            diagnostic(
                                "xlsx.too_large", file=file, name=file, part="*", limit=MAX_TOTAL_BYTES
                            )
                        )
                    if sheet and not formulas:
                        formulas = _FORMULA.search(tail + chunk) is not None
                        tail = chunk[-8:]
            except TooLarge:
                raise _Refused(
                    diagnostic(
                        "xlsx.too_large", file=file, name=file, part=info.filename, limit=MAX_MEMBER_BYTES
                    )
                ) from None
            except NotImplementedError as exc:
                raise ValueError(str(exc)) from None
    return formulas


Cells = dict[str, list[tuple[int, list[Any]]]]
"""Sheet title → its non-empty rows as (1-based row number, values of columns 1…)."""


def _read_cells(raw: bytes, *, formulas: bool) -> Cells:
    """Returns each sheet's rows, bounded (``formulas``: the formula texts, not the values)."""
    import openpyxl  # only when a workbook is read

    book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=not formulas)
    try:
        out: Cells = {}
        for sheet in book.worksheets[:MAX_SHEETS]:
            rows: list[tuple[int, list[Any]]] = []
            for number, row in enumerate(
                sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True), 1
            ):
                values = list(row)
                if any(v is not None and v != "" for v in values):
                    rows.append((number, values))
            out[sheet.title] = rows
        return out
    finally:
        book.close()


def column_letter(column: int) -> str:
    """Returns the letters of a 1-based column number (1 → A, 27 → AA)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(sheet: str, row: int, column: int) -> str:
    """Returns a cell's address as a finding names it: ``评价数据表!D7``."""
    return f"{sheet}!{column_letter(column)}{row}"


def plain(value: Any) -> Any:
    """Returns a cell value as the YAML reader would give it: a whole float as an int, another
    float as the exact Decimal of its shortest text, a midnight datetime as a date, text as it is."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return Decimal(repr(value))
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


class _Reader:
    """Turns the rows of the sheets into answers and the cells of their key paths."""

    def __init__(self, file: str, values: Cells, formula_cells: Cells) -> None:
        self.file = file
        self.values = values
        self.formulas = {
            (title, number, index): v
            for title, rows in formula_cells.items()
            for number, row in rows
            for index, v in enumerate(row, 1)
            if isinstance(v, str) and v.startswith("=")
        }
        self.findings: list[Diagnostic] = []
        self.cells: dict[KeyPath, str] = {}
        self.first: dict[KeyPath, str] = {}

    def read(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for title, rows in self.values.items():
            if len(rows) and rows[-1][0] > MAX_ROWS:
                self.add(
                    "xlsx.too_many_rows", (), cell_name(title, MAX_ROWS + 1, 1), sheet=title, limit=MAX_ROWS
                )
                rows = [r for r in rows if r[0] <= MAX_ROWS]
            layout = sheets.KEYED.get(title)
            if layout is not None:
                self._keyed(data, title, rows, layout)
            else:
                self._items(data, title, rows)
        return data

    def add(self, code: str, path: KeyPath, cell: str, **params: Any) -> None:
        found = diagnostic(code, file=self.file, path=path, **params)
        self.findings.append(found.with_location(Location(file=self.file, key_path=path, cell=cell)))

    def value(self, title: str, number: int, row: list[Any], column: int, path: KeyPath) -> Any:
        """Returns the value of a cell (its cached value for a formula; None, with an error, when
        a formula has none)."""
        value = row[column - 1] if column <= len(row) else None
        formula = self.formulas.get((title, number, column))
        if formula is not None and value is None:
            self.add("xlsx.formula", path, cell_name(title, number, column), formula=formula[:60])
        if isinstance(value, str) and not value.strip():
            return None
        return plain(value)

    def _claim(self, path: KeyPath, cell: str, key: str) -> bool:
        first = self.first.get(path)
        if first is not None:
            self.add("xlsx.duplicate_key", path, cell, key=key, first=first)
            return False
        self.first[path] = cell
        return True

    def _keyed(
        self, data: dict[str, Any], title: str, rows: list[tuple[int, list[Any]]], layout: sheets.Keyed
    ) -> None:
        """A sheet of one key per row: 基本信息, 评价数据表, 自评, 正文, 证明材料."""
        section = layout.section
        out: dict[str, Any] = {}
        self.cells[(section,)] = cell_name(title, 1, 1)
        for number, row in rows:
            if number <= sheets.HEADER_ROW:
                continue
            key = _text(row, layout.key)
            label = _text(row, layout.label)
            if key == sheets.HEADER_KEY:
                continue
            key = key or label
            if not key:
                continue
            top = section == "profile" and key == sheets.PROGRAM_KEY
            path: KeyPath = (key,) if top else (section, key)
            value_cell = cell_name(title, number, layout.value)
            if layout.count:
                self._evidence_row(out, title, number, row, layout, key)
                continue
            value = self.value(title, number, row, layout.value, path)
            if value is None:  # left empty: a finding that it is missing points at its cell
                self.cells.setdefault(path, value_cell)
                continue
            if not self._claim(path, value_cell, key):
                continue
            self.cells[path] = value_cell
            if top:
                data[key] = value
            else:
                out[key] = value
        if layout.count:
            out = {key: evidence_shape(entries) for key, entries in out.items()}
        if out:
            data.setdefault(section, {}).update(out)

    def _evidence_row(
        self, out: dict[str, Any], title: str, number: int, row: list[Any], layout: sheets.Keyed, key: str
    ) -> None:
        """One row of 证明材料: a file (and a count) of the document ``key``."""
        path: KeyPath = ("evidence", key)
        entries = out.setdefault(key, [])
        index = len(entries)
        file = self.value(title, number, row, layout.value, (*path, index, "file"))
        count = self.value(title, number, row, layout.count, (*path, index, "count"))
        if file is None and count is None:
            if not entries:
                del out[key]
            self.cells.setdefault(path, cell_name(title, number, layout.value))
            return
        self.cells.setdefault(path, cell_name(title, number, layout.value))
        self.cells[(*path, index)] = cell_name(title, number, layout.value)
        self.cells[(*path, index, "file")] = cell_name(title, number, layout.value)
        self.cells[(*path, index, "count")] = cell_name(title, number, layout.count)
        entries.append({"file": file, "count": count})

    def _items(self, data: dict[str, Any], title: str, rows: list[tuple[int, list[Any]]]) -> None:
        """A sheet of one item per row: row 1 the headings, row 2 the (hidden) field keys."""
        keys_row = next((row for number, row in rows if number == sheets.ITEM_KEY_ROW), None)
        if keys_row is None:
            return  # a sheet docgen did not write (a note, a chart): not part of the answers
        kind = _text(keys_row, 1) or title
        columns = {
            column: str(key).strip()
            for column, key in enumerate(keys_row, 1)
            if column > 1 and key is not None and str(key).strip()
        }
        path: KeyPath = ("items", kind)
        if not self._claim(path, cell_name(title, 1, 1), kind):
            return
        self.cells[path] = cell_name(title, 1, 1)
        entries: list[dict[str, Any]] = []
        for number, row in rows:
            if number <= sheets.ITEM_KEY_ROW:
                continue
            index = len(entries)
            entry: dict[str, Any] = {}
            for column, key in columns.items():
                value = self.value(title, number, row, column, (*path, index, key))
                if value is None:
                    continue
                entry[key] = sheets.YES_NO.get(value, value) if isinstance(value, str) else value
                self.cells[(*path, index, key)] = cell_name(title, number, column)
            if entry:
                self.cells[(*path, index)] = cell_name(title, number, 1)
                entries.append(entry)
        if entries:  # a sheet without items gives none: a count may be given as a figure instead
            data.setdefault("items", {})[kind] = entries


def _text(row: list[Any], column: int) -> str:
    value = row[column - 1] if 0 < column <= len(row) else None
    return "" if value is None else str(plain(value)).strip()


def evidence_shape(entries: list[dict[str, Any]]) -> Any:
    """Returns the evidence of one document as YAML writes it: one file without a count as its
    path, else a list of paths and {file, count} entries."""
    if len(entries) == 1 and entries[0]["count"] is None:
        return entries[0]["file"]
    return [e["file"] if e["count"] is None else e for e in entries]


WORKBOOK_SUFFIXES = (".xlsx",)


def load_answers_file(path: Path, display: str | None = None) -> LoadedDocument:
    """Returns an answers document read by its suffix: a workbook (.xlsx), JSON or YAML."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return load_workbook_document(path, display)
    from docgen.sources.yamlio import load_document

    return load_document(path, display)


_CELL = re.compile(r"^(?P<sheet>.+)!(?P<column>[A-Z]{1,3})(?P<row>[0-9]+)$")


def cell_texts(path: Path, cells: set[str]) -> dict[str, str]:
    """Returns the content of each named cell (``评价数据表!D7``) of the workbook at ``path`` as
    text, for a terminal showing a finding beside its cell; nothing when it cannot be read."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return {}
        raw = path.read_bytes()
        _check_archive(raw, path.name)
        rows = _read_cells(raw, formulas=False)
    except (_Refused, zipfile.BadZipFile, zlib.error, KeyError, OSError, ValueError, TypeError, EOFError):
        return {}
    out: dict[str, str] = {}
    for name in cells:
        match = _CELL.match(name)
        if match is None:
            continue
        column = _column_number(match["column"])
        number = int(match["row"])
        for row_number, values in rows.get(match["sheet"], []):
            if row_number == number and column <= len(values) and values[column - 1] is not None:
                out[name] = str(plain(values[column - 1]))
    return out


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number

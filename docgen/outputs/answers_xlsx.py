"""EDGE: answers.xlsx written — the fill-in workbook of ``docgen init --xlsx`` and the workbook
``docgen convert`` makes of an answers.yaml/.json (SPEC §9).

The layout is ``sources/sheets.py``'s (the reader's). Each sheet is a form a clerk fills in: the
labels, units and 指标解释 (also as a comment on the label) locked, the input cells unlocked, with
data validation and a Chinese input message (non-negative numbers, drop-downs for vocabularies
and ratings), the sheet protected without a password, printed on A4 with its headings repeated.
Text is always written as text (a name starting with ``=`` is never a formula); a number Excel
cannot hold exactly (more than 15 digits) is written as its text, which the reader reads back
exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docgen.answers import rating_rules, used_keys
from docgen.answers.read import TOP_ALIASES
from docgen.definitions.catalog import Catalog
from docgen.model.definitions import ChoiceField, ItemKind, Outline, Program
from docgen.outputs.answers_sheet import FONT_PT, MAX_ROW_PT, Book, UnwritableValue
from docgen.sources import sheets
from docgen.sources.workbook import column_letter
from docgen.text.labels import TEXT, WORKBOOK
from docgen.text.outputs_text import OUTPUTS_TEXT
from docgen.text.punctuation import COMMA, ENUM_COMMA, SEMICOLON
from docgen.word.layout import line_count, row_height

BLANK_ITEM_ROWS = 30  # unlocked rows below the items given
MAX_LIST_CHARS = 255  # the longest drop-down list written inline


def _list_formula(words: list[str]) -> str | None:
    """Returns an inline drop-down list, or None when it would pass Excel's 255 characters."""
    text = ",".join(w.replace(",", COMMA).replace('"', "“") for w in words)
    return f'"{text}"' if len(text) <= MAX_LIST_CHARS else None


def _choice_check(book: Book, sheet: str, cell: str, spec: ChoiceField, year: int) -> None:
    """The validation of a profile or item field by its type."""
    if spec.choices:
        formula = _list_formula(list(spec.choices.values()))
        book.check(
            sheet,
            cell,
            "list" if formula else None,
            WORKBOOK["choice_prompt"],
            formula1=formula,
            error=WORKBOOK["choice_error"],
        )
    elif spec.type == "bool":
        book.check(
            sheet,
            cell,
            "list",
            WORKBOOK["choice_prompt"],
            formula1=_list_formula([WORKBOOK["yes"], WORKBOOK["no"]]),
            error=WORKBOOK["choice_error"],
        )
    elif spec.type == "year":
        book.check(
            sheet,
            cell,
            "whole",
            WORKBOOK["year_prompt"].format(example=year),
            formula1="1900",
            formula2="2100",
            operator="between",
            error=WORKBOOK["year_prompt"].format(example=year),
        )
    elif spec.type == "date":
        book.check(
            sheet,
            cell,
            None,
            WORKBOOK["date_prompt"].format(example=f"{year}-03-01"),
            title=WORKBOOK["choice_title"],
        )
    elif spec.type == "file":
        book.check(sheet, cell, None, WORKBOOK["file_prompt"], title=WORKBOOK["choice_title"])


def _shown_choice(spec: ChoiceField | None, value: Any) -> Any:
    """Returns a choice as its Chinese name (what the drop-down offers), a yes/no as 是/否."""
    if spec is not None and isinstance(value, str) and value in spec.choices:
        return spec.choices[value]
    if isinstance(value, bool) and spec is not None and spec.type == "bool":
        return WORKBOOK["yes"] if value else WORKBOOK["no"]
    return value


def _headings(name: str) -> list[str]:
    return WORKBOOK[f"{name}_columns"].split("|")


def _canonical(answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Returns the answers with the Chinese section names read as their keys."""
    if answers is None:
        return {}
    return {TOP_ALIASES.get(k, k): v for k, v in answers.items()}


def _section(answers: dict[str, Any], key: str) -> Mapping[str, Any]:
    value = answers.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise UnwritableValue(key)
    return value


def answers_workbook(
    program: Program, catalog: Catalog, outline: Outline | None, answers: Mapping[str, Any] | None = None
) -> bytes:
    """Returns answers.xlsx for ``program``: blank (``init --xlsx``) or holding ``answers``
    (plain values as read from answers.yaml/.json, ``convert``).

    Raises:
        UnwritableValue: a value has no cell to go into (its key path is named).
    """
    data = _canonical(answers)
    book = Book(program.title)
    year = program.year - 1
    _profile(book, program, catalog, data)
    _data(book, program, catalog, _section(data, "data"))
    kinds = _item_kinds(program, catalog, _section(data, "items"))
    for kind_key in kinds:
        _items(book, catalog.item_kinds.get(kind_key), kind_key, _section(data, "items").get(kind_key), year)
    _ratings(book, program, catalog, _section(data, "ratings"))
    _evidence(book, program, catalog, _section(data, "evidence"))
    _narrative(book, outline, _section(data, "narrative"))
    return book.finish()


def _profile(book: Book, program: Program, catalog: Catalog, data: dict[str, Any]) -> None:
    name = WORKBOOK["profile"]
    layout = sheets.KEYED_LAYOUTS["profile"]
    ws = book.sheet(name, _headings("profile"), [22, 40, 30], layout.key)
    given = dict(_section(data, "profile"))
    program_id = data.get("program", program.id)
    rows: list[tuple[str, str, Any, ChoiceField | None]] = [
        (sheets.PROGRAM_KEY, WORKBOOK["program_label"], program_id, None)
    ]
    for field_key, field_spec in catalog.profile_fields.items():
        rows.append((field_key, field_spec.label, given.pop(field_key, None), field_spec))
    rows += [(key, key, value, None) for key, value in given.items()]
    for row, (key, label, value, spec) in enumerate(rows, sheets.FIRST_ROW):
        book.put(ws, row, layout.label, label)
        where = f"profile.{key}"
        entry = key != sheets.PROGRAM_KEY
        text = spec is not None and spec.type in ("text", "credit_code", "industry_code")
        cell = book.put(ws, row, layout.value, _shown_choice(spec, value), path=where, entry=entry, text=text)
        notes = []
        if spec is not None:
            if spec.required:
                notes.append(WORKBOOK["required"])
            if spec.choices:
                notes.append("/".join(spec.choices.values()))
            _choice_check(book, name, cell.coordinate, spec, year=program.year - 1)
        book.put(ws, row, 3, SEMICOLON.join(notes))
        ws.cell(row, layout.key, key).data_type = "s"


def _data(book: Book, program: Program, catalog: Catalog, given: Mapping[str, Any]) -> None:
    name = WORKBOOK["data"]
    layout = sheets.KEYED_LAYOUTS["data"]
    ws = book.sheet(name, _headings("data"), [6, 36, 8, 14, 60], layout.key)
    rest = dict(given)
    rows: list[tuple[str, str, str, str | None, str]] = []
    for data_row in program.data_rows:
        rows.append((data_row.no, data_row.label, data_row.unit, data_row.key, data_row.explanation))
    listed = {r[3] for r in rows}
    for used in used_keys(program, catalog):
        f = catalog.fields[used]
        if used not in listed:  # a count of items too: its row says which sheet counts it
            rows.append(("", f.label, f.unit, used, ""))
            listed.add(used)
    rows += [("", key, "", key, "") for key in given if key not in listed]
    for row, (no, label, unit, key, explanation) in enumerate(rows, sheets.FIRST_ROW):
        book.put(ws, row, 1, int(no) if no.isdigit() else no)
        label_cell = book.put(ws, row, layout.label, label, wrap=True)
        book.put(ws, row, 3, unit)
        book.put(ws, row, 5, explanation, wrap=True)
        book.comment(label_cell, explanation)
        spec = catalog.fields.get(key or "")
        value = rest.pop(key, None) if key else None
        derived = spec is not None and spec.derive is not None
        cell = book.put(ws, row, layout.value, value, path=f"data.{key}", entry=key is not None)
        lines = max(line_count(explanation, 58), line_count(label, 34))
        ws.row_dimensions[row].height = min(row_height(lines, FONT_PT), MAX_ROW_PT)
        if key is None:
            cell.fill = book.locked_fill
            continue
        ws.cell(row, layout.key, key).data_type = "s"
        if derived and spec is not None and spec.derive is not None and value is None:
            cell.fill = book.locked_fill
            kind = catalog.item_kinds.get(spec.derive.items)
            prompt = WORKBOOK["derived"].format(sheet=kind.label if kind else spec.derive.items)
            book.check(name, cell.coordinate, None, prompt)
            continue
        u = unit or (spec.unit if spec else "")
        if spec is not None and spec.signed:
            book.check(name, cell.coordinate, None, WORKBOOK["signed_prompt"].format(unit=u))
        else:
            whole = spec is not None and spec.type == "count"
            book.check(
                name,
                cell.coordinate,
                "whole" if whole else "decimal",
                WORKBOOK["number_prompt"].format(unit=u),
                formula1="0",
                operator="greaterThanOrEqual",
                error=WORKBOOK["number_error"],
            )


def _item_kinds(program: Program, catalog: Catalog, given: Mapping[str, Any]) -> list[str]:
    """Returns the item kinds the program counts (as the skeleton lists them), then those given."""
    kinds: list[str] = []
    for indicator in (*program.indicators, *program.bonus):
        kinds += [use.kind for use in catalog.rules.inputs(indicator.rule).items]
    for key in used_keys(program, catalog):
        derive = catalog.fields[key].derive
        if derive:
            kinds.append(derive.items)
    ordered = [k for k in catalog.item_kinds if k in kinds]
    return list(dict.fromkeys([*ordered, *given]))


def _items(book: Book, kind: ItemKind | None, kind_key: str, entries: Any, year: int) -> None:
    if entries is None:
        entries = []
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        raise UnwritableValue(f"items.{kind_key}")
    fields = dict(kind.fields) if kind else {}
    keys = list(fields)
    for entry in entries:
        keys += [k for k in entry if k not in keys]
    headings = [WORKBOOK["item_index"]]
    widths = [6.0]
    for key in keys:
        spec = fields.get(key)
        label = spec.label if spec else key
        headings.append(
            OUTPUTS_TEXT["answers_xlsx.required_field"].format(label=label, required=WORKBOOK["required"])
            if spec and spec.required
            else label
        )
        wide = spec is None or spec.type in ("text", "file")
        widths.append(30.0 if wide else 14.0)
    name = kind.label if kind else kind_key
    ws = book.sheet(name, headings, widths, None)
    # row 1: the headings (printed), row 2: the hidden keys; the title goes into the sheet's header
    ws.unmerge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    for column, heading in enumerate(headings, 1):
        cell = ws.cell(1, column, heading)
        cell.font, cell.fill, cell.border, cell.alignment = (
            book.bold,
            book.head_fill,
            book.border,
            book.center,
        )
    ws.cell(sheets.ITEM_KEY_ROW, 1, kind_key).data_type = "s"
    for column, key in enumerate(keys, 2):
        ws.cell(sheets.ITEM_KEY_ROW, column, key).data_type = "s"
    ws.row_dimensions[sheets.ITEM_KEY_ROW].hidden = True
    ws.row_dimensions[1].height = 30
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = WORKBOOK["title"].format(program=book.title, sheet=name)
    ws.protection.insertRows = False
    ws.protection.deleteRows = False
    total = len(entries) + BLANK_ITEM_ROWS
    for index in range(total):
        row = sheets.ITEM_FIRST_ROW + index
        entry = entries[index] if index < len(entries) else {}
        book.put(ws, row, 1, index + 1 if entry else None)
        lines = 1
        for column, key in enumerate(keys, 2):
            spec = fields.get(key)
            text = spec is not None and spec.type in ("text", "patent_number", "file")
            value = _shown_choice(spec, entry.get(key))
            where = f"items.{kind_key}[{index}].{key}"
            book.put(ws, row, column, value, path=where, entry=True, text=text, wrap=True)
            if isinstance(value, str):  # a long name wraps in its cell: the row grows to show it
                lines = max(lines, line_count(value, widths[column - 1] - 2))
        if lines > 1:
            ws.row_dimensions[row].height = min(row_height(lines, FONT_PT), MAX_ROW_PT)
    for column, key in enumerate(keys, 2):
        spec = fields.get(key)
        if spec is not None:
            letter = column_letter(column)
            span = f"{letter}{sheets.ITEM_FIRST_ROW}:{letter}{sheets.ITEM_FIRST_ROW + total - 1}"
            _choice_check(book, name, span, spec, year)


def _ratings(book: Book, program: Program, catalog: Catalog, given: Mapping[str, Any]) -> None:
    rules = rating_rules(program, catalog)
    if not rules and not given:
        return
    name = WORKBOOK["ratings"]
    layout = sheets.KEYED_LAYOUTS["ratings"]
    ws = book.sheet(name, _headings("ratings"), [6, 36, 16, 36], layout.key)
    rows = [(key, title, words) for key, (title, words) in rules.items()]
    rows += [(key, key, []) for key in given if key not in rules]
    for number, (key, title, words) in enumerate(rows, 1):
        row = sheets.FIRST_ROW + number - 1
        book.put(ws, row, 1, number)
        book.put(ws, row, layout.label, title, wrap=True)
        cell = book.put(ws, row, layout.value, given.get(key), path=f"ratings.{key}", entry=True)
        book.put(ws, row, 4, "/".join(words), wrap=True)
        ws.cell(row, layout.key, key).data_type = "s"
        formula = _list_formula(words) if words else None
        book.check(
            name,
            cell.coordinate,
            "list" if formula else None,
            WORKBOOK["rating_prompt"],
            formula1=formula,
            error=WORKBOOK["choice_error"],
            title=WORKBOOK["choice_title"],
        )


def _evidence(book: Book, program: Program, catalog: Catalog, given: Mapping[str, Any]) -> None:
    name = WORKBOOK["evidence"]
    layout = sheets.KEYED_LAYOUTS["evidence"]
    ws = book.sheet(name, _headings("evidence"), [6, 40, 44, 10], layout.key)
    checklist = catalog.checklists.get(program.checklist or "")
    documents = list(checklist.documents) if checklist else []
    rows: list[tuple[str, str, Any, Any, bool, str]] = []
    known = set()
    for doc in documents:
        known.add(doc.key)
        unit = catalog.fields[doc.proves[0]].unit if len(doc.proves) == 1 else ""
        title = (
            OUTPUTS_TEXT["answers_xlsx.required_document"].format(
                title=doc.title, evidence_required=WORKBOOK["evidence_required"]
            )
            if doc.required
            else doc.title
        )
        entries = _evidence_entries(given.get(doc.key), doc.key)
        spare = 3 if unit else 1  # a document proving a count may take several files
        for file, count in entries or [(None, None)] * spare:
            rows.append((doc.key, title, file, count, bool(unit), unit))
    for key, value in given.items():
        if key not in known:
            for file, count in _evidence_entries(value, key):
                rows.append((key, key, file, count, True, ""))
    for number, (key, title, file, count, counted, unit) in enumerate(rows, 1):
        row = sheets.FIRST_ROW + number - 1
        book.put(ws, row, 1, number)
        book.put(ws, row, layout.label, title, wrap=True)
        ws.row_dimensions[row].height = row_height(line_count(title, 38), FONT_PT)
        cell = book.put(ws, row, layout.value, file, path=f"evidence.{key}", entry=True, text=True)
        book.check(name, cell.coordinate, None, WORKBOOK["file_prompt"], title=WORKBOOK["choice_title"])
        count_cell = book.put(ws, row, layout.count, count, path=f"evidence.{key}.count", entry=counted)
        if counted:
            book.check(
                name,
                count_cell.coordinate,
                "decimal",
                WORKBOOK["number_prompt"].format(unit=unit or TEXT["evidence_count_unit"]),
                formula1="0",
                operator="greaterThanOrEqual",
                error=WORKBOOK["number_error"],
            )
        else:
            count_cell.fill = book.locked_fill
        ws.cell(row, layout.key, key).data_type = "s"


def _evidence_entries(value: Any, key: str) -> list[tuple[Any, Any]]:
    """Returns one document's files as (file, count) rows."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [(value, None)]
    if not isinstance(value, list):
        raise UnwritableValue(f"evidence.{key}")
    out: list[tuple[Any, Any]] = []
    for entry in value:
        if isinstance(entry, str):
            out.append((entry, None))
        elif isinstance(entry, Mapping) and set(entry) <= {"file", "count"}:
            out.append((entry.get("file"), entry.get("count")))
        else:
            raise UnwritableValue(f"evidence.{key}")
    return out


def _narrative(book: Book, outline: Outline | None, given: Mapping[str, Any]) -> None:
    name = WORKBOOK["narrative"]
    layout = sheets.KEYED_LAYOUTS["narrative"]
    ws = book.sheet(name, _headings("narrative"), [8, 28, 90], layout.key)
    sections = list(outline.sections) if outline else []
    draft_key = "file"  # narrative: {file: 申请报告草稿.docx} — the sections then come from the draft
    rows: list[tuple[str, str, Any, str]] = [
        (draft_key, WORKBOOK["draft_row"], given.get(draft_key), WORKBOOK["draft_note"])
    ]
    for section in sections:
        note = WORKBOOK["min_chars"].format(
            count=section.min_chars, points=ENUM_COMMA.join(p.title for p in section.points) or "—"
        )
        rows.append((section.id, section.title, given.get(section.id), note))
    known = {s.id for s in sections} | {draft_key}
    rows += [(str(key), str(key), value, "") for key, value in given.items() if str(key) not in known]
    for row, (key, title, text, note) in enumerate(rows, sheets.FIRST_ROW):
        if text is not None and not isinstance(text, str):
            raise UnwritableValue(f"narrative.{key}")
        book.put(ws, row, layout.label, key, text=True)
        shown = OUTPUTS_TEXT["answers_xlsx.noted_section"].format(title=title, note=note) if note else title
        book.put(ws, row, 2, shown, wrap=True)
        book.put(ws, row, layout.value, text, path=f"narrative.{key}", entry=True, wrap=True)
        ws.cell(row, layout.key, key).data_type = "s"
        lines = max(line_count(text or "", 88), line_count(shown, 26), 3)
        ws.row_dimensions[row].height = min(row_height(lines, FONT_PT), MAX_ROW_PT)
        book.check(name, f"C{row}", None, note, title=title[:32])

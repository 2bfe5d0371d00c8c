"""CORE: a program's attachments (附件N): their part, sections with placeholders (``@table`` …),
the ``columns`` mini-language, parsed once into ``Column`` objects, and the display data that
prints a form as the notice publishes it (``cells``, ``header``, ``coefficient_decimals``,
``filled``).

An indicator form's column is written ``"<key> <title> <width>"`` (``"group1 一级指标 18"``), a
summary table's ``"<title> <width>"`` (``"企业名称 48"``): items separated by spaces, so a title
has none; the width is in millimetres.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from docgen.definitions._reader import Reader
from docgen.definitions.catalog import Catalog
from docgen.diagnostics import KeyPath
from docgen.model.attachments import (
    COEFFICIENTS,
    INDICATOR_COLUMN_KEYS,
    SENTINEL_PREFIX,
    SENTINELS,
    TABLE,
    Attachment,
    AttachmentSection,
    Column,
    HeaderCell,
)
from docgen.text.definitions_text import DEFINITIONS_TEXT
from docgen.text.punctuation import ENUM_COMMA

PARTS = ("outline", "data_table", "indicators", "summary_table")
# the parts whose form has columns, and the items a column entry of that part has
_COLUMN_ITEMS = {"indicators": 3, "summary_table": 2}
# the parts that print ``sections`` (the others print an outline or a blank summary table)
_SECTION_PARTS = ("data_table", "indicators")
_WIDTH = re.compile(r"\d+(\.\d+)?")
_OPTIONAL = {
    "ref",
    "columns",
    "landscape",
    "sections",
    "coefficients",
    "limiting",
    "rows",
    "total_row",
    "bonus_row",
    "sealed",
    "filled",
    "cells",
    "header",
    "coefficient_decimals",
}
_SECTION_KEYS = {"heading", "paragraphs", "level", "caption"}


def parse_column(entry: str, part: str) -> tuple[Column | None, tuple[str, dict[str, str]] | None]:
    """Returns the column an entry of ``columns`` describes, or None and the problem as a message
    code with its parameters."""
    items = entry.split()
    expected = _COLUMN_ITEMS[part]
    if len(items) > expected and _WIDTH.fullmatch(items[-1]):
        return None, ("definition.column_title_space", {"entry": entry})
    if len(items) != expected:
        code = "definition.column_format" if part == "indicators" else "definition.summary_column_format"
        return None, (code, {"entry": entry})
    width = items[-1]
    if not _WIDTH.fullmatch(width) or float(width) <= 0:
        return None, ("definition.column_width", {"entry": entry, "width": width})
    if part == "summary_table":
        return Column("", items[0], float(width)), None
    key = items[0]
    if key not in INDICATOR_COLUMN_KEYS:
        return None, (
            "definition.unknown_column",
            {"key": key, "allowed": ENUM_COMMA.join(INDICATOR_COLUMN_KEYS)},
        )
    return Column(key, items[1], float(width)), None


def _columns(r: Reader, raw: Any, path: KeyPath, part: str) -> tuple[Column, ...]:
    if part not in _COLUMN_ITEMS:
        if raw is not None:
            r.fail("definition.attachment_key_unused", path, key="columns", part=part)
        return ()
    if raw is None:
        r.fail("definition.missing_key", path[:-1], key="columns")
    out = []
    for index, entry in enumerate(r.seq(raw, path)):
        if not isinstance(entry, str):
            r.fail("definition.not_text", (*path, index), key=f"columns[{index}]")
            continue
        column, problem = parse_column(entry, part)
        if problem is not None:
            code, params = problem
            r.fail(code, (*path, index), **params)
        elif column is not None:
            out.append(column)
    return tuple(out)


def _sentinel(r: Reader, text: str, path: KeyPath, part: str, coefficients: str | None) -> None:
    """Checks a heading or paragraph that starts with ``@``: a known placeholder that the part
    and the program can fill."""
    if not text.startswith(SENTINEL_PREFIX):
        return
    if text not in SENTINELS:
        r.fail("definition.unknown_sentinel", path, name=text, allowed=ENUM_COMMA.join(SENTINELS))
    elif text == TABLE and part not in _SECTION_PARTS:
        r.fail("definition.sentinel_part", path, name=text, part=part)
    elif text == COEFFICIENTS and not coefficients:
        r.fail("definition.sentinel_coefficients", path, name=text)


def _sections(
    r: Reader, raw: Any, path: KeyPath, part: str, coefficients: str | None
) -> tuple[AttachmentSection, ...]:
    if part not in _SECTION_PARTS:
        if raw is not None:
            r.fail("definition.attachment_key_unused", path, key="sections", part=part)
        return ()
    sections = []
    for index, section in enumerate(r.seq(raw, path)):
        at = (*path, index)
        body = r.mapping(section, at, {"paragraphs"}, _SECTION_KEYS)
        heading = str(body.get("heading") or "")
        paragraphs = r.texts(body.get("paragraphs"), (*at, "paragraphs"))
        if heading.startswith(SENTINEL_PREFIX) and heading != TABLE:
            r.fail("definition.sentinel_heading", (*at, "heading"), name=heading, table=TABLE)
        elif heading == TABLE and paragraphs:  # the table stands for the whole section
            r.fail("definition.sentinel_heading_paragraphs", (*at, "paragraphs"), table=TABLE)
        for pi, paragraph in enumerate(paragraphs):
            _sentinel(r, paragraph, (*at, "paragraphs", pi), part, coefficients)
        level = r.integer(body.get("level", 1), (*at, "level"))
        if level not in (1, 2):
            r.fail("definition.invalid", (*at, "level"), problem=DEFINITIONS_TEXT["attachments.bad_level"])
        caption = str(body.get("caption") or "")
        sections.append(AttachmentSection(heading, paragraphs, level, caption))
    return tuple(sections)


def _cells(r: Reader, raw: Any, path: KeyPath) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Returns the published cell texts: indicator id → column key → text."""
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        r.fail("definition.invalid", path, problem=DEFINITIONS_TEXT["attachments.cells_not_mapping"])
        return ()
    out = []
    for indicator, texts in raw.items():
        at = (*path, indicator)
        if not isinstance(texts, Mapping):
            r.fail(
                "definition.invalid",
                at,
                problem=DEFINITIONS_TEXT["attachments.row_cells_not_mapping"].format(indicator=indicator),
            )
            continue
        row = []
        for key, text in texts.items():
            if key not in INDICATOR_COLUMN_KEYS:
                r.fail(
                    "definition.unknown_column",
                    (*at, key),
                    key=key,
                    allowed=ENUM_COMMA.join(INDICATOR_COLUMN_KEYS),
                )
            elif not isinstance(text, str):  # "" is allowed: the notice leaves the cell empty
                r.fail("definition.not_text", (*at, key), key=f"cells.{indicator}.{key}")
            else:
                row.append((str(key), text))
        out.append((str(indicator), tuple(row)))
    return tuple(out)


def header_rows(
    r: Reader, raw: Any, path: KeyPath, part: str, catalog: Catalog
) -> tuple[tuple[HeaderCell, ...], ...]:
    """Returns the header block of a data table, row by row: a profile key, {key: …, label: …}
    for a profile field under the form's own label (each person's «联系电话»), or {label: …} for a
    printed label whose value is written by hand."""
    if raw is None:
        return ()
    if part != "data_table":
        r.fail("definition.attachment_key_unused", path, key="header", part=part)
        return ()
    rows = []
    for index, entries in enumerate(r.seq(raw, path)):
        row = []
        for ci, entry in enumerate(r.seq(entries, (*path, index))):
            at = (*path, index, ci)
            if isinstance(entry, Mapping):
                cell = r.mapping(entry, at, {"label"}, {"key"})
                key = cell.get("key")
                if key is not None and key not in catalog.profile_fields:
                    r.fail("definition.unknown_field", (*at, "key"), key=key)
                    key = None
                row.append(HeaderCell(str(key or ""), str(cell.get("label") or "")))
            elif isinstance(entry, str) and entry in catalog.profile_fields:
                row.append(HeaderCell(entry))
            else:
                r.fail("definition.unknown_field", at, key=entry)
        if not 1 <= len(row) <= 2:
            r.fail("definition.invalid", (*path, index), problem=DEFINITIONS_TEXT["attachments.header_items"])
        rows.append(tuple(row))
    return tuple(rows)


def _filled(r: Reader, raw: Any, path: KeyPath, part: str) -> tuple[tuple[Column, ...], str, str, str]:
    """Returns what a filled form adds: score columns and the closing 合计 / 加分小计 / 基本分 rows."""
    if raw is None:
        return (), "", "", ""
    if part != "indicators":
        r.fail("definition.attachment_key_unused", path, key="filled", part=part)
        return (), "", "", ""
    spec = r.mapping(raw, path, set(), {"columns", "total_row", "bonus_row", "base_row"})
    columns = _columns(r, spec.get("columns"), (*path, "columns"), part) if "columns" in spec else ()
    total, bonus, base = (str(spec.get(key) or "") for key in ("total_row", "bonus_row", "base_row"))
    return columns, total, bonus, base


def build_attachment(
    r: Reader, raw: Any, path: KeyPath, catalog: Catalog, coefficients: str | None
) -> Attachment:
    """Returns one attachment of a program whose coefficient table is ``coefficients``."""
    spec: Mapping[str, Any] = r.mapping(raw, path, {"number", "title", "part"}, _OPTIONAL)
    part = str(spec.get("part"))
    known = part in PARTS
    if not known:
        r.fail(
            "definition.invalid",
            (*path, "part"),
            problem=DEFINITIONS_TEXT["attachments.unknown_part"],
        )
    ref = spec.get("ref")
    if part == "outline" and ref not in catalog.outlines:
        r.fail("definition.unknown_outline", (*path, "ref"), name=ref)
    number = spec.get("number")
    filled_columns, filled_total, filled_bonus, filled_base = _filled(
        r, spec.get("filled"), (*path, "filled"), part
    )
    decimals = spec.get("coefficient_decimals")
    return Attachment(
        number=None if number is None else r.integer(number, (*path, "number")),
        title=str(spec.get("title")),
        part=part,
        ref=None if ref is None else str(ref),
        columns=_columns(r, spec.get("columns"), (*path, "columns"), part) if known else (),
        landscape=r.flag(spec.get("landscape"), (*path, "landscape")),
        sections=_sections(r, spec.get("sections"), (*path, "sections"), part, coefficients) if known else (),
        coefficients=r.flag(spec.get("coefficients"), (*path, "coefficients")),
        limiting=r.flag(spec.get("limiting"), (*path, "limiting")),
        rows=r.integer(spec.get("rows", 0), (*path, "rows")),
        total_row=str(spec.get("total_row") or ""),
        bonus_row=str(spec.get("bonus_row") or ""),
        sealed=r.flag(spec.get("sealed"), (*path, "sealed")),
        filled_columns=filled_columns,
        filled_total_row=filled_total,
        filled_bonus_row=filled_bonus,
        filled_base_row=filled_base,
        cells=_cells(r, spec.get("cells"), (*path, "cells")),
        header=header_rows(r, spec.get("header"), (*path, "header"), part, catalog),
        coefficient_decimals=None
        if decimals is None
        else r.integer(decimals, (*path, "coefficient_decimals")),
    )

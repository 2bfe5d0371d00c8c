"""CORE: a program's attachments (附件N): their part, sections with placeholders (``@table`` …)
and the ``columns`` mini-language, parsed once into ``Column`` objects.

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
    Column,
)

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
}


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
        return None, ("definition.unknown_column", {"key": key, "allowed": "、".join(INDICATOR_COLUMN_KEYS)})
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
        r.fail("definition.unknown_sentinel", path, name=text, allowed="、".join(SENTINELS))
    elif text == TABLE and part not in _SECTION_PARTS:
        r.fail("definition.sentinel_part", path, name=text, part=part)
    elif text == COEFFICIENTS and not coefficients:
        r.fail("definition.sentinel_coefficients", path, name=text)


def _sections(
    r: Reader, raw: Any, path: KeyPath, part: str, coefficients: str | None
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if part not in _SECTION_PARTS:
        if raw is not None:
            r.fail("definition.attachment_key_unused", path, key="sections", part=part)
        return ()
    sections = []
    for index, section in enumerate(r.seq(raw, path)):
        at = (*path, index)
        body = r.mapping(section, at, {"heading", "paragraphs"})
        heading = str(body.get("heading"))
        paragraphs = r.texts(body.get("paragraphs"), (*at, "paragraphs"))
        if heading.startswith(SENTINEL_PREFIX) and heading != TABLE:
            r.fail("definition.sentinel_heading", (*at, "heading"), name=heading, table=TABLE)
        elif heading == TABLE and paragraphs:  # the table stands for the whole section
            r.fail("definition.sentinel_heading_paragraphs", (*at, "paragraphs"), table=TABLE)
        for pi, paragraph in enumerate(paragraphs):
            _sentinel(r, paragraph, (*at, "paragraphs", pi), part, coefficients)
        sections.append((heading, paragraphs))
    return tuple(sections)


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
            problem="part 应为 outline、data_table、indicators 或 summary_table",
        )
    ref = spec.get("ref")
    if part == "outline" and ref not in catalog.outlines:
        r.fail("definition.unknown_outline", (*path, "ref"), name=ref)
    return Attachment(
        number=r.integer(spec.get("number"), (*path, "number")),
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
    )

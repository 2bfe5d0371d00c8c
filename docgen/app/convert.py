"""EDGE: answers between formats — the fill-in workbook of ``init --xlsx`` and ``convert``.

``convert`` reads SRC by its suffix (.yaml/.yml, .json, .xlsx) into plain values, and writes
them in DEST's format: the values are the same (exact numbers, dates, text), so a round trip
gives the same ``check`` and the same ``score``. A choice written in a workbook by its Chinese
name (国家) goes back into YAML/JSON as its canonical word (national). DEST is never written
over without ``force``; it is written atomically (files.write_atomic).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docgen.answers import program_of
from docgen.answers.read import TOP_ALIASES
from docgen.app.submission import ANSWERS_NAMES, require_program
from docgen.definitions.catalog import Catalog
from docgen.diagnostics import has_errors, sort_key
from docgen.errors import AnswersError, DocgenError, UsageError
from docgen.files import write_atomic
from docgen.model.definitions import Outline, Program
from docgen.outputs.answers_sheet import UnwritableValue
from docgen.outputs.answers_text import answers_json, answers_yaml
from docgen.outputs.answers_xlsx import answers_workbook
from docgen.sources.workbook import load_answers_file
from docgen.text.commands import SAY

WORKBOOK_NAME = "answers.xlsx"
SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


def _outline(catalog: Catalog, program: Program) -> Outline | None:
    outline_id = program.outlines.get(program.kinds[0]) if program.kinds else None
    outline_id = outline_id or next(iter(program.outlines.values()), None)
    return catalog.outlines.get(outline_id) if outline_id else None


def write_workbook_skeleton(catalog: Catalog, program_id: str, directory: Path) -> Path:
    """Writes the fill-in answers.xlsx of a program into ``directory`` (and an empty
    ``evidence/`` folder); returns the file written.

    Raises:
        UsageError: no such program.
        DocgenError: ``directory`` already holds an answers file (none is ever written over, and
            two answers files in one folder are an error).
    """
    program = require_program(catalog, program_id)
    for name in ANSWERS_NAMES:
        if os.path.lexists(directory / name):
            raise DocgenError(
                SAY["answers_exists"].format(path=directory, name=name), hint=SAY["exists.hint"]
            )
    catalog = catalog.for_program(program)
    data = answers_workbook(program, catalog, _outline(catalog, program))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "evidence").mkdir(exist_ok=True)
    target = directory / WORKBOOK_NAME
    write_atomic(target, data)
    return target


def convert_answers(
    catalog: Catalog, source: Path, target: Path, *, force: bool = False, program_id: str | None = None
) -> Path:
    """Converts the answers file ``source`` into ``target`` (formats by suffix); returns it.

    Raises:
        UsageError: a suffix that is not an answers format, the same file twice, an unknown
            program, or a value a workbook cannot hold.
        DocgenError: ``target`` exists and ``force`` is not given.
        AnswersError: ``source`` cannot be read (its findings with their lines or cells).
    """
    for path in (source, target):
        if path.suffix.lower() not in SUFFIXES:
            raise UsageError(SAY["convert_suffix"].format(path=path))
    if not source.is_file():
        raise UsageError(SAY["not_found"].format(path=source))
    if os.path.lexists(target) and target.resolve() == source.resolve():
        raise UsageError(SAY["convert_same"].format(path=target))
    if os.path.lexists(target) and not force:
        raise DocgenError(SAY["exists"].format(path=target), hint=SAY["convert_exists.hint"])
    doc = load_answers_file(source, display=source.name)
    if has_errors(doc.diagnostics) or not isinstance(doc.data, Mapping):
        found = doc.locate(doc.diagnostics)
        raise AnswersError(
            SAY["unreadable"].format(name=source.name), sorted(found, key=sort_key), source=source
        )
    data = dict(doc.data)
    chosen = program_id or program_of(doc)
    if chosen is None:
        raise UsageError(SAY["program_missing"])
    program = require_program(catalog, chosen)
    catalog = catalog.for_program(program)
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        try:
            output = answers_workbook(program, catalog, _outline(catalog, program), data)
        except UnwritableValue as exc:
            raise UsageError(SAY["convert_value"].format(path=exc.path)) from None
    else:
        plain = _canonical_choices(data, catalog)
        output = answers_json(plain) if suffix == ".json" else answers_yaml(plain)
    write_atomic(target, output)
    return target


def _canonical_choices(data: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """Returns the answers with each item choice given by its Chinese name as its canonical word
    (a workbook's drop-down writes 国家; answers.yaml writes national)."""
    out = dict(data)
    key = next((k for k in out if TOP_ALIASES.get(k, k) == "items"), None)
    items = out.get(key) if key else None
    if not isinstance(items, Mapping):
        return out
    converted: dict[str, Any] = {}
    for kind_key, entries in items.items():
        kind = catalog.item_kinds.get(kind_key)
        if kind is None or not isinstance(entries, list):
            converted[kind_key] = entries
            continue
        rows = []
        for entry in entries:
            if isinstance(entry, Mapping):
                entry = {
                    name: _choice(kind.fields[name].choices, value) if name in kind.fields else value
                    for name, value in entry.items()
                }
            rows.append(entry)
        converted[kind_key] = rows
    out[key] = converted  # type: ignore[index]
    return out


def _choice(choices: Mapping[str, str], value: Any) -> Any:
    """Returns a choice's canonical word for its Chinese name; anything else as it is."""
    if isinstance(value, str):
        for word, name in choices.items():
            if value == name:
                return word
    return value


def other_answers(target: Path) -> list[str]:
    """Returns the answers files beside ``target`` in its folder (two would be an error)."""
    if target.name not in ANSWERS_NAMES:
        return []
    folder = target.parent
    return [n for n in ANSWERS_NAMES if n != target.name and (folder / n).is_file()]

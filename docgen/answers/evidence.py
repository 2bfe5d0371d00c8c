"""The ``evidence`` section: the files (and counts) given for each document of the checklist."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from docgen.answers.context import Context, mapping_section, suggest
from docgen.definitions.catalog import Catalog
from docgen.diagnostics import KeyPath
from docgen.model.answers import EvidenceRef
from docgen.model.definitions import Program, RequiredDocument
from docgen.model.field_types import read_file_path
from docgen.numbers import NotANumber, to_fraction
from docgen.text.labels import TEXT
from docgen.text.punctuation import ENUM_COMMA


def read_evidence(
    ctx: Context, data: Mapping[str, Any], program: Program, catalog: Catalog
) -> dict[str, tuple[EvidenceRef, ...]]:
    """Returns the evidence references by checklist document key (a path, or a list of paths and
    {file, count} entries); reports unknown documents and entries of the wrong shape."""
    raw = mapping_section(ctx, data, "evidence")
    checklist = catalog.checklists.get(program.checklist or "")
    documents = {d.key: d for d in checklist.documents} if checklist else {}
    out: dict[str, tuple[EvidenceRef, ...]] = {}
    for key, value in raw.items():
        path = ("evidence", key)
        line = ctx.line_at(path)
        if documents and key not in documents:  # read all the same: bound and listed under 其他材料
            ctx.add("answers.unknown_document", path, key=key, suggestion=suggest(key, list(documents)))
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, str):
            out[key] = (EvidenceRef(key, _path(ctx, value.strip(), path), None, line),)
            continue
        refs: list[EvidenceRef] = []
        if isinstance(value, list):
            for index, entry in enumerate(value):
                if isinstance(entry, str):
                    refs.append(EvidenceRef(key, _path(ctx, entry, (*path, index)), None, line))
                elif isinstance(entry, Mapping) and isinstance(entry.get("file"), str):
                    count = None
                    if entry.get("count") is not None:
                        count = _evidence_count(
                            ctx, entry["count"], (*path, index, "count"), documents.get(key), catalog
                        )
                        if count is None:
                            continue
                    file = _path(ctx, entry["file"], (*path, index, "file"))
                    refs.append(EvidenceRef(key, file, count, ctx.line_at((*path, index))))
                else:
                    ctx.add("answers.evidence_list", (*path, index), key=key)
            out[key] = tuple(refs)
            continue
        ctx.add("answers.evidence_list", path, key=key)
    return out


def _path(ctx: Context, text: str, path: KeyPath) -> str:
    """Returns a file path as read (``\\`` as ``/``), its findings placed at ``path``."""
    read = read_file_path(text)
    ctx.place(read.diagnostics, path)
    return str(read.value)


def _evidence_count(
    ctx: Context, value: Any, path: KeyPath, document: RequiredDocument | None, catalog: Catalog
) -> Fraction | None:
    """Returns a {file, count} entry's count, or None (with an error) when it is not a number ≥ 0."""
    proves = document.proves if document else ()
    title = document.title if document else str(path[1])
    if len(proves) > 1:  # one count cannot say how much of each figure a file proves
        labels = ENUM_COMMA.join(catalog.fields[k].label for k in proves)
        ctx.add("answers.evidence_count_several", path, title=title, labels=labels)
        return None
    unit = catalog.fields[proves[0]].unit if proves else TEXT["evidence_count_unit"]
    number = None
    if not isinstance(value, bool):
        try:
            number = to_fraction(value)
        except NotANumber:
            number = None
    if number is None or number < 0:
        ctx.add("answers.evidence_count", path, title=title, number=int(path[2]) + 1, unit=unit, value=value)
        return None
    return number

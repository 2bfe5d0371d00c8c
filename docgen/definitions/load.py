"""EDGE: read every definition file from the definition folders into a checked ``Catalog``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from docgen.definitions.catalog import Catalog
from docgen.definitions.checklists import build_checklist
from docgen.definitions.outlines import build_outline
from docgen.definitions.programs import build_program
from docgen.definitions.references import check_references
from docgen.definitions.shared import (
    build_coefficients,
    build_company_suffixes,
    build_fields,
    build_items,
)
from docgen.diagnostics import Diagnostic
from docgen.errors import DefinitionError
from docgen.resources import folder
from docgen.sources.yamlio import LoadedDocument, load_document


def _load(path: Path) -> LoadedDocument:
    root = path.parent.parent
    return load_document(path, display=str(path.relative_to(root)) if root in path.parents else path.name)


def load_catalog_from(programs: Path, outlines: Path, checklists: Path) -> Catalog:
    """Returns the catalog built from the given folders.

    Raises:
        DefinitionError: any definition file has an error (all findings attached).
    """
    catalog = Catalog()
    findings: list[Diagnostic] = []
    shared = programs / "shared"
    fields_doc = _load(shared / "fields.yaml")
    fields, profile, units, f = build_fields(fields_doc)
    catalog.fields, catalog.profile_fields, catalog.units = fields, profile, units
    findings += f
    catalog.company_suffixes, f = build_company_suffixes(fields_doc)
    findings += f
    catalog.item_kinds, f = build_items(_load(shared / "items.yaml"))
    findings += f
    for path in sorted(shared.glob("*coefficients*.yaml")):
        table, f = build_coefficients(_load(path))
        findings += f
        if table:
            catalog.coefficients[table.id] = table
    for path in sorted(outlines.glob("*.yaml")):
        outline, f = build_outline(_load(path))
        findings += f
        if outline:
            catalog.outlines[outline.id] = outline
    for path in sorted(checklists.glob("*.yaml")):
        checklist, f = build_checklist(_load(path), catalog)
        findings += f
        if checklist:
            catalog.checklists[checklist.id] = checklist
    if not findings:
        for path in sorted(programs.glob("*.yaml")):
            program, f = build_program(_load(path), catalog)
            findings += f
            if program:
                if program.id != path.stem:
                    findings.append(_mismatch(path, program.id))
                catalog.programs[program.id] = program
        findings += check_references(catalog)
    if findings:
        raise DefinitionError("定义文件有错误", findings)
    return catalog


def _mismatch(path: Path, ident: str) -> Diagnostic:
    from docgen.text.messages import diagnostic

    return diagnostic(
        "definition.invalid",
        file=path.name,
        path=("id",),
        problem=f"id “{ident}” 应与文件名 {path.stem} 一致",
    )


@cache
def load_catalog() -> Catalog:
    """Returns the catalog of the installed (or checked-out) definition folders, loaded once per
    process.

    The checked catalog is not cached on disk: parsing and checking every definition file takes
    about 50 ms, the same as reading a stored copy back and hashing the files to key it.
    """
    return load_catalog_from(folder("programs"), folder("outlines"), folder("checklists"))

"""EDGE: read every definition file from the definition folders into a checked ``Catalog``."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from pathlib import Path

from docgen import cache as stored_results
from docgen.cache import cache_root
from docgen.codec import CodecError
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
from docgen.model import attachments as model_attachments
from docgen.model import definitions as model_definitions
from docgen.model.definitions import (
    Checklist,
    ChoiceField,
    CoefficientTable,
    FieldDef,
    ItemKind,
    Outline,
    Program,
)
from docgen.resources import definitions_fingerprint, folder
from docgen.sources.yamlio import LoadedDocument, load_document
from docgen.text.definitions_text import DEFINITIONS_TEXT


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
        raise DefinitionError(DEFINITIONS_TEXT["load.catalog_invalid"], findings)
    return catalog


def _mismatch(path: Path, ident: str) -> Diagnostic:
    from docgen.text.messages import diagnostic

    return diagnostic(
        "definition.invalid",
        file=path.name,
        path=("id",),
        problem=DEFINITIONS_TEXT["load.id_not_file_name"].format(ident=ident, stem=path.stem),
    )


@functools.cache
def load_catalog() -> Catalog:
    """Returns the catalog of the installed (or checked-out) definition folders, loaded once per
    process.

    The checked catalog is kept in the user cache as data (docgen.codec: JSON decoded only into the
    definition classes) under a hash of docgen's code and every definition file: reading it back
    takes about 10 ms, parsing and checking the YAML about 55 ms of a 250 ms cold command.
    """
    stored = _cache_file()
    catalog = _read_stored(stored)
    if catalog is None:
        catalog = load_catalog_from(folder("programs"), folder("outlines"), folder("checklists"))
        fields = {f.name: getattr(catalog, f.name) for f in dataclasses.fields(catalog) if f.name != "rules"}
        with contextlib.suppress(CodecError):  # a value the codec cannot hold: no cache, same catalog
            stored_results.store(stored, fields)
    return catalog


# what a stored catalog is built from (the rule set is not stored: it is docgen's own registry)
_DEFINITION_CLASSES = tuple(
    value
    for module in (model_definitions, model_attachments)
    for value in vars(module).values()
    if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__
)
_STORED_FIELDS = {
    "fields": FieldDef,
    "profile_fields": ChoiceField,
    "item_kinds": ItemKind,
    "coefficients": CoefficientTable,
    "programs": Program,
    "outlines": Outline,
    "checklists": Checklist,
}


def _read_stored(path: Path | None) -> Catalog | None:
    """Returns the stored catalog, or None when absent, damaged or not shaped like a catalog."""
    fields = stored_results.load(path, dict, _DEFINITION_CLASSES)
    if fields is None or set(fields) != {*_STORED_FIELDS, "units", "company_suffixes"}:
        return None
    for name, kind in _STORED_FIELDS.items():
        table = fields[name]
        if not isinstance(table, dict) or not all(isinstance(v, kind) for v in table.values()):
            return None
    if not isinstance(fields["company_suffixes"], tuple) or not isinstance(fields["units"], dict):
        return None
    return Catalog(**fields)


def _cache_file() -> Path | None:
    """Returns the cache file of the installed definitions, or None when caching is off."""
    root = cache_root()
    return root / "catalog" / f"{definitions_fingerprint()}.json" if root is not None else None

"""CORE: checks across definition files: item fields named by derived counts and item-scored
lines, and the outlines and checklists programs refer to."""

from __future__ import annotations

from collections.abc import Mapping

from docgen.definitions.catalog import Catalog
from docgen.diagnostics import Diagnostic
from docgen.model.definitions import Program
from docgen.text.definitions_text import DEFINITIONS_TEXT
from docgen.text.labels import TEXT
from docgen.text.messages import diagnostic
from docgen.text.punctuation import ENUM_COMMA


def _item_field_problems(catalog: Catalog, kind_key: str, names: Mapping[str, str | None]) -> list[str]:
    """Returns problems with item field names (``names``: role → field name) of item kind ``kind_key``."""
    kind = catalog.item_kinds.get(kind_key)
    if kind is None:
        return [DEFINITIONS_TEXT["references.unknown_item_kind"].format(kind_key=kind_key)]
    return [
        DEFINITIONS_TEXT["references.unknown_item_field"].format(
            role=role, name=name, kind_key=kind_key, fields=ENUM_COMMA.join(kind.fields)
        )
        for role, name in names.items()
        if name is not None and name not in kind.fields
    ]


def check_item_fields(catalog: Catalog) -> list[Diagnostic]:
    """Returns findings for derived counts and item-scored lines that name an item field the item
    kind does not have (a typo in a window field would otherwise count every item or crash)."""
    out: list[Diagnostic] = []
    for key, f in catalog.fields.items():
        if f.derive is None:
            continue
        d = f.derive
        names = {"window.field": d.window_field, "unique": d.unique, "valid_at_year_end": d.valid_at_year_end}
        names |= {f"where.{name}": name for name in d.where}
        names |= {f"any.{name}": name for condition in d.any for name in condition}
        for problem in _item_field_problems(catalog, d.items, names):
            out.append(
                diagnostic(
                    "definition.invalid", file="fields.yaml", path=("fields", key, "derive"), problem=problem
                )
            )
    for program in catalog.programs.values():
        for indicator in (*program.indicators, *program.bonus):
            for use in catalog.rules.inputs(indicator.rule).items:
                for problem in _item_field_problems(catalog, use.kind, use.named_fields()):
                    out.append(
                        diagnostic(
                            "definition.invalid",
                            file=program.source,
                            path=("indicators", indicator.id, "rule"),
                            problem=problem,
                        )
                    )
    return out


def check_references(catalog: Catalog) -> list[Diagnostic]:
    """Returns findings for programs that reference undefined outlines or checklists."""
    out: list[Diagnostic] = check_item_fields(catalog)
    for program in catalog.programs.values():
        for kind, outline in program.outlines.items():
            if outline not in catalog.outlines:
                out.append(
                    diagnostic(
                        "definition.invalid",
                        file=program.source,
                        path=("outlines", kind),
                        problem=DEFINITIONS_TEXT["references.unknown_outline"].format(outline=outline),
                    )
                )
        if program.checklist and program.checklist not in catalog.checklists:
            out.append(
                diagnostic(
                    "definition.invalid",
                    file=program.source,
                    path=("checklist",),
                    problem=DEFINITIONS_TEXT["references.unknown_checklist"].format(
                        checklist=program.checklist
                    ),
                )
            )
        out += _check_rated_documents(catalog, program)
    return out


def _check_rated_documents(catalog: Catalog, program: Program) -> list[Diagnostic]:
    """Returns findings for checklist documents that back a self-rating the program does not score."""
    checklist = catalog.checklists.get(program.checklist or "")
    if checklist is None:
        return []
    ratings = {
        rating.key
        for indicator in (*program.indicators, *program.bonus)
        for rating in catalog.rules.inputs(indicator.rule).ratings
    }
    out = []
    for gi, group in enumerate(checklist.groups):
        for di, document in enumerate(group.documents):
            for key in document.rates:
                if key not in ratings:
                    allowed = ENUM_COMMA.join(sorted(ratings)) or TEXT["none_word"]
                    out.append(
                        diagnostic(
                            "definition.invalid",
                            file=f"{checklist.id}.yaml",
                            path=("groups", gi, "documents", di, "rates"),
                            problem=TEXT["rates_unknown"].format(
                                program=program.id, key=key, allowed=allowed
                            ),
                        )
                    )
    return out

"""CORE: the shared catalogues of ``programs/shared/``: figures, profile fields and narrative
units (``fields.yaml``), company suffixes, item kinds (``items.yaml``) and coefficient tables."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from docgen.definitions._reader import Reader
from docgen.diagnostics import Diagnostic, KeyPath
from docgen.model.definitions import (
    ChoiceField,
    CoefficientRow,
    CoefficientTable,
    DeriveSpec,
    FieldDef,
    ItemKind,
)
from docgen.model.field_types import FIELD_TYPE_NAMES
from docgen.sources.yamlio import LoadedDocument
from docgen.text.definitions_text import DEFINITIONS_TEXT
from docgen.text.punctuation import ENUM_COMMA

# the types a figure of the data table may have: it is a number
FIGURE_TYPES = ("amount", "count", "half")


def _field_type(r: Reader, value: Any, path: KeyPath, allowed: tuple[str, ...]) -> str:
    """Returns the declared type, reporting one that is not among ``allowed``."""
    if value not in allowed:
        r.fail("definition.unknown_type", path, type=value, allowed=ENUM_COMMA.join(allowed))
    return str(value)


def _text_mapping(r: Reader, value: Any, path: KeyPath) -> dict[str, str]:
    return {str(k): str(v) for k, v in r.table(value, path).items()}


def choice_field(r: Reader, name: str, raw: Any, path: KeyPath, *, labels: bool) -> ChoiceField:
    """Returns a profile field (``labels``: it may have ``label_aliases``) or an item field.

    ``aliases`` are value aliases (alias → choice); alternative labels are ``label_aliases``.
    """
    optional = {"required", "choices", "aliases", *(("label_aliases", "expected") if labels else ())}
    spec = r.mapping(raw, path, {"type", "label"}, optional)
    kind = _field_type(r, spec.get("type", "text"), (*path, "type"), tuple(sorted(FIELD_TYPE_NAMES)))
    raw_aliases = spec.get("aliases")
    if raw_aliases is not None and not isinstance(raw_aliases, Mapping):
        code = "definition.aliases_are_labels" if labels else "definition.value_aliases"
        r.fail(code, (*path, "aliases"))
        raw_aliases = None
    choices = _text_mapping(r, spec.get("choices"), (*path, "choices"))
    aliases = _text_mapping(r, raw_aliases, (*path, "aliases"))
    if kind == "choice" and not choices:
        r.fail("definition.missing_key", path, key="choices")
    unused = [
        key for key, given in (("choices", "choices" in spec), ("aliases", raw_aliases is not None)) if given
    ]
    for key in unused if kind != "choice" else ():
        r.fail("definition.choice_key", (*path, key), key=key, type=kind)
    for alias, target in aliases.items():
        if choices and target not in choices:
            r.fail(
                "definition.alias_target",
                (*path, "aliases", alias),
                alias=alias,
                target=target,
                allowed=ENUM_COMMA.join(choices),
            )
    return ChoiceField(
        name=name,
        type=kind,
        label=str(spec.get("label", name)),
        required=r.flag(spec.get("required"), (*path, "required")),
        choices=choices,
        aliases=aliases,
        label_aliases=r.texts(spec.get("label_aliases"), (*path, "label_aliases")),
        expected=r.flag(spec.get("expected"), (*path, "expected")),
    )


def _derive(r: Reader, raw: Any, path: KeyPath) -> DeriveSpec:
    d = r.mapping(raw, path, {"items"}, {"where", "any", "window", "unique", "valid_at_year_end"})

    def condition(value: Any, at: KeyPath) -> dict[str, tuple[Any, ...]]:
        return {str(k): tuple(r.seq(v, (*at, k))) for k, v in r.table(value, at).items()}

    window = r.mapping(d.get("window") or {}, (*path, "window"), set(), {"field", "years"})
    if d.get("window") is not None and "field" not in window:
        r.fail("definition.missing_key", (*path, "window"), key="field")
    years = window.get("years")
    return DeriveSpec(
        items=str(d.get("items")),
        where=condition(d.get("where"), (*path, "where")),
        any=tuple(condition(c, (*path, "any", i)) for i, c in enumerate(r.seq(d.get("any"), (*path, "any")))),
        window_field=window.get("field"),
        window_years=None if years is None else r.integer(years, (*path, "window", "years")),
        unique=d.get("unique"),
        valid_at_year_end=d.get("valid_at_year_end"),
    )


def _figure(r: Reader, key: str, raw: Any) -> FieldDef:
    path = ("fields", key)
    spec = r.mapping(
        raw,
        path,
        {"label", "unit", "type"},
        {"signed", "part_of", "usually_below", "derive", "aliases", "label_aliases", "fallback", "mentions"},
    )
    if "aliases" in spec:  # one meaning per key: ``aliases`` are value aliases, and a figure has none
        r.fail("definition.aliases_are_labels", (*path, "aliases"))
    return FieldDef(
        key=key,
        label=str(spec.get("label")),
        unit=str(spec.get("unit")),
        type=_field_type(r, spec.get("type"), (*path, "type"), FIGURE_TYPES),
        signed=r.flag(spec.get("signed"), (*path, "signed")),
        part_of=spec.get("part_of"),
        derive=_derive(r, spec["derive"], (*path, "derive")) if "derive" in spec else None,
        aliases=r.texts(spec.get("label_aliases"), (*path, "label_aliases")),
        fallback=spec.get("fallback"),
        mentions=r.texts(spec.get("mentions"), (*path, "mentions")),
        usually_below=spec.get("usually_below"),
    )


def build_fields(
    doc: LoadedDocument,
) -> tuple[dict[str, FieldDef], dict[str, ChoiceField], dict[str, dict[str, Fraction]], list[Diagnostic]]:
    """Returns the field catalogue, the profile fields and the narrative units from ``fields.yaml``."""
    r = Reader(doc)
    top = r.mapping(doc.data, (), {"id", "fields", "profile"}, {"units", "company_suffixes"})
    units = {
        str(base): {
            str(word): r.number(factor, ("units", base, word))
            for word, factor in r.table(table, ("units", base)).items()
        }
        for base, table in r.table(top.get("units"), ("units",)).items()
    }
    fields = {
        str(key): _figure(r, str(key), raw) for key, raw in r.table(top.get("fields"), ("fields",)).items()
    }
    for key, f in fields.items():
        for ref, name in (
            (f.part_of, "part_of"),
            (f.fallback, "fallback"),
            (f.usually_below, "usually_below"),
        ):
            if ref and ref not in fields:
                r.fail("definition.unknown_field", ("fields", key, name), key=ref)
    profile = {
        str(key): choice_field(r, str(key), raw, ("profile", key), labels=True)
        for key, raw in r.table(top.get("profile"), ("profile",)).items()
    }
    return fields, profile, units, r.findings


def build_company_suffixes(doc: LoadedDocument) -> tuple[tuple[str, ...], list[Diagnostic]]:
    """Returns the words a company name ends with (``company_suffixes`` in ``fields.yaml``)."""
    r = Reader(doc)
    r.findings = []
    raw = doc.data.get("company_suffixes") if isinstance(doc.data, Mapping) else None
    words = r.seq(raw, ("company_suffixes",))
    for i, word in enumerate(words):
        if not isinstance(word, str) or not word.strip():
            r.fail(
                "definition.invalid",
                ("company_suffixes", i),
                problem=DEFINITIONS_TEXT["shared.empty_company_suffix"],
            )
    return tuple(str(w).strip() for w in words if isinstance(w, str) and w.strip()), r.findings


def build_items(doc: LoadedDocument) -> tuple[dict[str, ItemKind], list[Diagnostic]]:
    """Returns the item kinds from ``items.yaml``."""
    r = Reader(doc)
    top = r.mapping(doc.data, (), {"id", "kinds"})
    kinds: dict[str, ItemKind] = {}
    for key, raw in r.table(top.get("kinds"), ("kinds",)).items():
        path = ("kinds", key)
        spec = r.mapping(raw, path, {"label", "identifier", "fields"}, {"counter", "repeats", "named"})
        fields = {
            str(name): choice_field(r, str(name), f, (*path, "fields", name), labels=False)
            for name, f in r.table(spec.get("fields"), (*path, "fields")).items()
        }
        identifier = str(spec.get("identifier"))
        if fields and identifier not in fields:
            r.fail("definition.unknown_field", (*path, "identifier"), key=identifier)
        kinds[str(key)] = ItemKind(
            str(key),
            str(spec.get("label")),
            identifier,
            fields,
            str(spec.get("counter") or ""),
            r.flag(spec.get("repeats"), (*path, "repeats")),
            r.integer(spec.get("named", 0), (*path, "named")),
        )
    return kinds, r.findings


def build_coefficients(doc: LoadedDocument) -> tuple[CoefficientTable | None, list[Diagnostic]]:
    """Returns the industry coefficient table."""
    r = Reader(doc)
    top = r.mapping(doc.data, (), {"id", "title", "columns", "rows"}, {"source", "note"})
    columns = _text_mapping(r, top.get("columns"), ("columns",))
    rows: dict[str, CoefficientRow] = {}
    fallback = ""
    for index, raw in enumerate(r.seq(top.get("rows"), ("rows",))):
        path = ("rows", index)
        spec = r.mapping(raw, path, {"code", "name", *columns}, {"fallback"})
        code = str(spec.get("code", ""))
        if code in rows:
            r.fail("definition.duplicate_id", path, id=code)
        rows[code] = CoefficientRow(
            code, str(spec.get("name")), {c: r.number(spec.get(c), (*path, c)) for c in columns}
        )
        if r.flag(spec.get("fallback"), (*path, "fallback")):
            fallback = code
    if not fallback:
        r.fail("definition.invalid", ("rows",), problem=DEFINITIONS_TEXT["shared.no_fallback_row"])
    if r.findings:
        return None, r.findings
    return CoefficientTable(
        str(top["id"]), str(top["title"]), columns, rows, fallback, str(top.get("note", ""))
    ), []

"""The ``data`` section: figures of the data table, by key or label, each read as an exact number."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from docgen.answers.context import Context, label_index, mapping_section, resolve_key
from docgen.answers.usage import used_keys
from docgen.definitions.catalog import Catalog
from docgen.model.definitions import Program
from docgen.model.field_types import field_type
from docgen.numbers import fmt


def read_data(
    ctx: Context, data: Mapping[str, Any], program: Program, catalog: Catalog
) -> dict[str, Fraction]:
    """Returns the figures given, by canonical key; a figure given twice is dropped with an error."""
    raw = mapping_section(ctx, data, "data")
    labels: dict[str, list[str]] = {k: [f.label, *f.aliases] for k, f in catalog.fields.items()}
    for row in program.data_rows:
        if row.key:
            labels[row.key].append(row.label)
    index = label_index(labels)
    given: dict[str, Fraction] = {}
    for raw_key, value in raw.items():
        key = resolve_key(ctx, raw_key, catalog.fields, index, ("data", raw_key))
        if key is None:
            continue
        path = ("data", key)  # diagnostics name the canonical key, on the line as written
        if not ctx.claim(path, ("data", raw_key), "answers.figure_twice", label=catalog.fields[key].label):
            ctx.invalid.add(key)  # neither value is read: which one is right cannot be told
            given.pop(key, None)
            continue
        if value is None:
            continue
        spec = catalog.fields[key]
        converted = field_type(spec.type).convert_figure(value, spec)
        ctx.place(converted.diagnostics, path)
        if converted.accepted:
            given[key] = converted.value
        else:
            ctx.invalid.add(key)
    return given


def apply_fallbacks(ctx: Context, program: Program, catalog: Catalog, figures: dict[str, Fraction]) -> None:
    """Uses a field's declared fallback (产品销售收入 → 主营业务收入) when it is missing, with a warning."""
    for key in used_keys(program, catalog):
        f = catalog.fields[key]
        if key not in figures and f.fallback and f.fallback in figures:
            figures[key] = figures[f.fallback]
            ctx.add(
                "answers.fallback_used",
                ("data", key),
                line_path=("data",),
                label=f.label,
                fallback=catalog.fields[f.fallback].label,
                value=fmt(figures[key]),
            )

"""Figures counted from items, and the items a time window leaves out of a count or a line.

A derived figure (``derive:`` in fields.yaml) counts the items of one kind; a line that scores
items one by one (a rule declaring ``Inputs.items``) reads them with its own window. Items left
out are warned about once each; a count given without its items is warned about when a line
needs the items themselves.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from docgen.answers.context import Context
from docgen.answers.usage import used_keys
from docgen.definitions.catalog import Catalog
from docgen.model.answers import Item
from docgen.model.counting import counted_items, excluded_by_window, expired, in_window, item_name
from docgen.model.definitions import ItemKind, Program
from docgen.numbers import fmt
from docgen.text.labels import TEXT
from docgen.text.punctuation import ENUM_COMMA


def derive(
    ctx: Context,
    program: Program,
    catalog: Catalog,
    items: dict[str, tuple[Item, ...]],
    given: dict[str, Fraction],
    report_year: int,
) -> dict[str, Fraction]:
    """Returns the figures counted from items, warning when one disagrees with the figure given
    and about the items a used count leaves out (outside its window, expired)."""
    derived: dict[str, Fraction] = {}
    used = used_keys(program, catalog)
    for key, f in catalog.fields.items():
        spec = f.derive
        if spec is None or spec.items not in items:
            continue
        kind_items = items[spec.items]
        counted = counted_items(kind_items, spec, report_year)
        count = Fraction(len(counted))
        derived[key] = count
        if key in given and given[key] != count and report_year:
            ctx.add(
                "answers.derived_mismatch",
                ("data", key),
                label=f.label,
                given=fmt(given[key]),
                kind=spec.items,
                derived=len(counted),
            )
        if key not in used or not report_year:
            continue
        kind = catalog.item_kinds[spec.items]
        excluded = excluded_by_window(kind_items, spec, report_year)
        warn_outside_window(
            ctx, kind, excluded, spec.window_field or "", spec.window_years, report_year, f.label
        )
        for item in expired(kind_items, spec, report_year):
            ctx.add(
                "answers.item_expired",
                ("items", spec.items, item.index),
                kind=kind.label,
                name=item_name(item, kind.identifier),
                until=item.values.get(spec.valid_at_year_end or ""),
                label=f.label,
            )
    return derived


def warn_outside_window(
    ctx: Context,
    kind: ItemKind,
    excluded: list[Item],
    field: str,
    years: int | None,
    report_year: int,
    label: str,
) -> None:
    """Warns once per item left out of a count or a line by its time window."""
    for item in excluded:
        path = ("items", kind.key, item.index)
        if path in ctx.outside_window:
            continue
        ctx.outside_window.add(path)
        value = item.values.get(field)
        common: dict[str, Any] = {
            "kind": kind.label,
            "name": item_name(item, kind.identifier),
            "label": label,
            "last": report_year,
        }
        if value is None:
            ctx.add("answers.item_undated", path, field=kind.fields[field].label, **common)
        elif years is None:
            ctx.add("answers.item_after_report_year", path, year=_year_text(value), **common)
        else:
            first = report_year - years + 1
            period = TEXT["period_year" if first == report_year else "period_years"].format(
                first=first, last=report_year
            )
            ctx.add("answers.item_outside_window", path, year=_year_text(value), period=period, **common)


def _year_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return str(value.year)
    return str(value)


def check_item_lines(
    ctx: Context,
    program: Program,
    catalog: Catalog,
    given: dict[str, Fraction],
    items: dict[str, tuple[Item, ...]],
    report_year: int | None,
) -> None:
    """Warns when a line scores items by their fields but only their total count is given, and
    about the items such a line leaves out by its time window."""
    for indicator in (*program.indicators, *program.bonus):
        for use in catalog.rules.inputs(indicator.rule).items:
            kind = use.kind
            window = use.window
            if items.get(kind) and window and report_year:
                excluded = [
                    item
                    for item in items[kind]
                    if not in_window(item.values.get(window.field), window.years, report_year)
                ]
                warn_outside_window(
                    ctx,
                    catalog.item_kinds[kind],
                    excluded,
                    window.field,
                    window.years,
                    report_year,
                    indicator.title,
                )
            if items.get(kind):
                continue
            fields = ENUM_COMMA.join(catalog.item_kinds[kind].fields[name].label for name in use.by)
            for key, f in catalog.fields.items():
                if f.derive is not None and f.derive.items == kind and given.get(key, 0) > 0:
                    ctx.add(
                        "answers.unitemised",
                        ("data", key),
                        label=f.label,
                        given=fmt(given[key]),
                        indicator=indicator.title,
                        kind=kind,
                        fields=fields,
                    )

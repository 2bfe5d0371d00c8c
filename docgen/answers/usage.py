"""What a program reads from the answers: the figures its lines use and the self-ratings it scores.

Asked of the rule types' declarations (``RuleSet.inputs``), never of rule names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docgen.definitions.catalog import Catalog
from docgen.model.definitions import Program


def used_keys(program: Program, catalog: Catalog) -> list[str]:
    """Returns every field key the program's indicators, eligibility, tiers and data table use,
    in the order they first appear."""
    keys: list[str] = []

    def add(key: str) -> None:
        if key in catalog.fields and key not in keys:
            keys.append(key)

    def from_value(value: Any) -> None:
        if isinstance(value, Mapping):
            for kind, arg in value.items():
                if kind == "field":
                    add(arg)
                elif kind in ("sum", "ratio", "percent"):
                    for key in arg:
                        add(key)
                else:
                    from_value(arg)
        elif isinstance(value, list):
            for entry in value:
                from_value(entry)

    for row in program.data_rows:
        if row.key:
            add(row.key)
        for key in row.sum:
            add(key)
    for indicator in (*program.indicators, *program.bonus):
        from_value(indicator.value)
        for value in catalog.rules.inputs(indicator.rule).values:
            from_value(value)
    for rule in program.eligibility:
        from_value(rule.value)
    for tier in program.tiers.values():
        add(tier.by)
    return keys


def rating_rules(program: Program, catalog: Catalog) -> dict[str, tuple[str, list[str]]]:
    """Returns each rating key the program scores with its indicator title and allowed words."""
    out: dict[str, tuple[str, list[str]]] = {}
    for indicator in (*program.indicators, *program.bonus):
        for rating in catalog.rules.inputs(indicator.rule).ratings:
            out[rating.key] = (indicator.title, list(rating.words))
    return out


def item_uses(program: Program, catalog: Catalog) -> dict[str, list[str]]:
    """Returns each item kind the program counts, with what it is counted for (the indicators
    that read the items and the data table labels of the figures derived from them), in the
    order they first appear."""
    out: dict[str, list[str]] = {}
    for indicator in (*program.indicators, *program.bonus):
        for use in catalog.rules.inputs(indicator.rule).items:
            out.setdefault(use.kind, []).append(indicator.title)
    labels = {row.key: row.label for row in program.data_rows if row.key}
    for key in used_keys(program, catalog):
        f = catalog.fields[key]
        if f.derive:
            out.setdefault(f.derive.items, []).append(labels.get(key, f.label))
    return out

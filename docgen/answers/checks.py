"""Checks across figures: a part not above its whole, figures the program needs, denominators > 0."""

from __future__ import annotations

from fractions import Fraction

from docgen.answers.context import Context
from docgen.answers.usage import used_keys
from docgen.definitions.catalog import Catalog
from docgen.model.definitions import Program
from docgen.numbers import fmt


def check_parts(ctx: Context, catalog: Catalog, figures: dict[str, Fraction]) -> None:
    """Reports a figure larger than the figure it is part of (``part_of:`` in fields.yaml, an
    error), or than one it seldom exceeds (``usually_below:``, a warning: R&D expense above main
    revenue, new-product profit above total profit, a margin above 100%)."""
    for key, f in catalog.fields.items():
        for whole, code in (
            (f.part_of, "answers.part_exceeds_whole"),
            (f.usually_below, "answers.implausible"),
        ):
            if whole and key in figures and whole in figures and figures[key] > figures[whole]:
                ctx.add(
                    code,
                    ("data", key),
                    part_label=f.label,
                    part=fmt(figures[key]),
                    whole_label=catalog.fields[whole].label,
                    whole=fmt(figures[whole]),
                )


def check_required(ctx: Context, program: Program, catalog: Catalog, figures: dict[str, Fraction]) -> None:
    """Reports each figure the program uses that is neither given, derived nor reported invalid."""
    for key in used_keys(program, catalog):
        if key not in figures and key not in ctx.invalid:
            f = catalog.fields[key]
            ctx.add("answers.missing_figure", ("data", key), line_path=("data",), label=f.label, key=key)


def check_denominators(
    ctx: Context, program: Program, catalog: Catalog, figures: dict[str, Fraction]
) -> None:
    """Reports once each denominator of a line's ratio or percentage that is zero or negative."""
    reported: set[str] = set()
    for indicator in program.indicators:
        value = indicator.value or {}
        for kind in ("ratio", "percent"):
            if kind in value:
                den = value[kind][1]
                if den in figures and figures[den] <= 0 and den not in reported:
                    reported.add(den)
                    ctx.add(
                        "answers.zero_denominator",
                        ("data", den),
                        label=catalog.fields[den].label,
                        value=fmt(figures[den]),
                    )

"""Qualitative rules: rating words → points, and «basic requirement met → full weight»."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from docgen.numbers import fmt, fmt_against
from docgen.rules import (
    BaseRuleType,
    Inputs,
    NestedInputs,
    Outcome,
    RatingUse,
    Requirement,
    RuleContext,
    register,
)
from docgen.rules._params import is_number, need, only
from docgen.rules._params import number as _number
from docgen.text.labels import EXPLAIN, OPERATORS
from docgen.text.rules_text import RULES_TEXT

COMPARE = {
    ">=": lambda x, b: x >= b,
    ">": lambda x, b: x > b,
    "<=": lambda x, b: x <= b,
    "<": lambda x, b: x < b,
}


@register("rating")
class Rating(BaseRuleType):
    """Points for a qualitative self-rating word (很完善 3、比较完善 2 …).

    The word is read from ``ratings.<key>`` of the answers.

    Parameters:
        key: the key under ``ratings``.
        points: {word: points}.
    """

    name = "rating"
    uses_value = False

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from only(params, {"key", "points"})
        if not isinstance(params.get("key"), str):
            yield RULES_TEXT["qualitative.missing_key"]
        points = params.get("points")
        if not isinstance(points, Mapping) or not points or not all(is_number(v) for v in points.values()):
            yield RULES_TEXT["qualitative.points_not_mapping"]

    def inputs(self, params: Mapping[str, Any], nested: NestedInputs) -> Inputs:
        return Inputs(ratings=(RatingUse(params["key"], tuple(params["points"])),))

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        word = ctx.rating(params["key"])
        if word is None:
            return Outcome(Fraction(0), EXPLAIN["rating.missing"], "missing")
        points = _number(params["points"][word]) if word in params["points"] else Fraction(0)
        return Outcome(
            points, EXPLAIN["rating"].format(word=word, points=fmt(points)), "rating", {"rating": word}
        )


@register("basic_met")
class BasicMet(BaseRuleType):
    """The full weight when the basic requirement is met, else 0 («基本要求 ≥ 2»; `>` and `≥` as printed).

    Parameters:
        op: one of >=, >, <=, <.
        bound: the basic requirement.
    """

    name = "basic_met"
    uses_value = True

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from only(params, {"op", "bound"})
        if params.get("op") not in COMPARE:
            yield RULES_TEXT["qualitative.unknown_op"]
        yield from need(params, "bound")

    def requirements(self, params: Mapping[str, Any]) -> Mapping[str, Requirement]:
        return {"basic": Requirement(params["bound"], OPERATORS[params["op"]])}

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        bound, _ = ctx.param(params["bound"])
        op = params["op"]
        words = {"op": OPERATORS[op], "bound": fmt(bound), "unit": ctx.unit, "weight": fmt(ctx.weight)}
        if x is None:
            return Outcome(
                Fraction(0), EXPLAIN["basic_met.undefined"].format(**words), "undefined", {"met": False}
            )
        if COMPARE[op](x, bound):
            return Outcome(
                ctx.weight,
                EXPLAIN["basic_met.met"].format(x=fmt_against(x, bound), **words),
                "met",
                {"met": True, "bounds": (bound,)},
            )
        return Outcome(
            Fraction(0),
            EXPLAIN["basic_met.not_met"].format(x=fmt_against(x, bound), **words),
            "not_met",
            {"met": False, "bounds": (bound,)},
        )

"""Relative rules: the national 60/40 rule and Luzhou's cohort-relative variant."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from docgen.numbers import fmt, fmt_against, fmt_fixed
from docgen.rules import BaseRuleType, Outcome, Requirement, RuleContext, register
from docgen.rules._params import is_number as _is_number
from docgen.rules._params import need as _need
from docgen.rules._params import number as _number
from docgen.rules._params import only as _only
from docgen.text.labels import EXPLAIN
from docgen.text.rules_text import RULES_TEXT

_SIXTY = Fraction(3, 5)
_FORTY = Fraction(2, 5)


def sixty_forty_score(
    x: Fraction | None,
    weight: Fraction,
    basic: Fraction,
    full: Fraction,
    unit: str,
    term: str = "sixty_forty.term",
) -> Outcome:
    """Returns the national 60/40 score (SPEC §4.1) of evaluated value ``x``.

    x ≥ F → W; B ≤ x < F → W × (0.6 + 0.4 × (x − B)/(F − B)); 0 < x < B → W × 0.6 × x/B; x ≤ 0 → 0.
    When F ≤ B, any x ≥ B scores W. ``term`` names F in the explanation (满分要求, or 满分值 for
    the cohort's best).
    """
    if x is None:
        return Outcome(Fraction(0), EXPLAIN["sixty_forty.undefined"], "undefined")
    bounds = (basic, full)
    words = {
        "x": fmt_against(x, *bounds),
        "basic": fmt(basic),
        "full": fmt(full),
        "weight": fmt(weight),
        "unit": unit,
        "term": EXPLAIN[term],
    }
    if x <= 0:
        return Outcome(Fraction(0), EXPLAIN["sixty_forty.zero"].format(**words), "zero", {"bounds": bounds})
    if x < basic:
        score = weight * _SIXTY * x / basic
        text = EXPLAIN["sixty_forty.below"].format(score=fmt_fixed(score), **words)
        return Outcome(score, text, "below", {"bounds": bounds})
    if full <= basic:
        return Outcome(weight, EXPLAIN["cohort.full_le_basic"].format(**words), "full", {"bounds": bounds})
    if x >= full:
        return Outcome(weight, EXPLAIN["sixty_forty.full"].format(**words), "full", {"bounds": bounds})
    score = weight * (_SIXTY + _FORTY * (x - basic) / (full - basic))
    text = EXPLAIN["sixty_forty.between"].format(score=fmt_fixed(score), **words)
    return Outcome(score, text, "between", {"bounds": bounds})


@register("sixty_forty")
class SixtyForty(BaseRuleType):
    """National 60/40 rule with fixed basic and full requirements.

    Parameters:
        basic: 基本要求 (number or {tier, column}).
        full: 满分要求 (number or {tier, column}).
    """

    name = "sixty_forty"
    uses_value = True

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"basic", "full"})
        yield from _need(params, "basic", "full")
        basic, full = params.get("basic"), params.get("full")
        if _is_number(basic) and _is_number(full) and _number(full) <= _number(basic):
            yield RULES_TEXT["relative.full_not_above_basic"]

    def requirements(self, params: Mapping[str, Any]) -> Mapping[str, Requirement]:
        return {"basic": Requirement(params["basic"]), "full": Requirement(params["full"])}

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        basic, _ = ctx.param(params["basic"])
        full, _ = ctx.param(params["full"])
        return sixty_forty_score(x, ctx.weight, basic, full, ctx.unit)


@register("cohort_relative")
class CohortRelative(BaseRuleType):
    """Luzhou «整体对比计量»: the 60/40 shape with F = the cohort's highest evaluated value.

    Scored alone, F is ``reference_full`` and the total is a 参考分 (SPEC §4.2).

    Parameters:
        basic: 基本要求 (number or {tier, column}).
        reference_full: 单独计算时的参考满分值 (number or {tier, column}).
    """

    name = "cohort_relative"
    uses_value = True

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"basic", "reference_full"})
        yield from _need(params, "basic", "reference_full")

    def requirements(self, params: Mapping[str, Any]) -> Mapping[str, Requirement]:
        # the full requirement is the cohort's best, unknown when the form is printed
        return {"basic": Requirement(params["basic"], "≥")}

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        basic, _ = ctx.param(params["basic"])
        cohort = ctx.cohort_max()
        if cohort is None:  # the 满分值 is in the arithmetic; the report says once it is a 参考分
            full, _ = ctx.param(params["reference_full"])
            note = ""
        else:
            full = cohort
            note = EXPLAIN["cohort.cohort"].format(full=fmt(full), unit=ctx.unit)
        outcome = sixty_forty_score(x, ctx.weight, basic, full, ctx.unit, "cohort.term")
        return Outcome(outcome.score, outcome.text + note, outcome.reason, {**outcome.details, "full": full})

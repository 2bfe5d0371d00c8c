"""Built-in rule types. Each documents its YAML parameters in its docstring."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any

from docgen.derive import in_window
from docgen.messages import EXPLAIN
from docgen.numbers import fmt, fmt_fixed
from docgen.rules import Outcome, RuleContext, register

_SIXTY = Fraction(3, 5)
_FORTY = Fraction(2, 5)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal | float | Fraction) and not isinstance(value, bool)


def _is_param(value: Any) -> bool:
    return _is_number(value) or (isinstance(value, Mapping) and set(value) == {"tier", "column"})


def _need(params: Mapping[str, Any], *names: str) -> Iterator[str]:
    for name in names:
        if name not in params:
            yield f"缺少参数 {name}"
        elif not _is_param(params[name]):
            yield f"参数 {name} 应为数值或 {{tier, column}}"


def _only(params: Mapping[str, Any], allowed: set[str]) -> Iterator[str]:
    for name in params:
        if name not in allowed and name != "type":
            yield f"未知参数 {name}（可用：{'、'.join(sorted(allowed))}）"


def sixty_forty_score(
    x: Fraction | None, weight: Fraction, basic: Fraction, full: Fraction, unit: str
) -> Outcome:
    """Returns the national 60/40 score (SPEC §4.1) of evaluated value ``x``.

    x ≥ F → W; B ≤ x < F → W × (0.6 + 0.4 × (x − B)/(F − B)); 0 < x < B → W × 0.6 × x/B; x ≤ 0 → 0.
    When F ≤ B, any x ≥ B scores W.
    """
    u = "" if unit in ("项", "个", "人", "人月", "万元") else unit
    if x is None:
        return Outcome(Fraction(0), EXPLAIN["sixty_forty.undefined"], "undefined")
    words = {"x": fmt(x), "basic": fmt(basic), "full": fmt(full), "weight": fmt(weight), "unit": u}
    if x <= 0:
        return Outcome(Fraction(0), EXPLAIN["sixty_forty.zero"], "zero")
    if x < basic:
        score = weight * _SIXTY * x / basic
        return Outcome(score, EXPLAIN["sixty_forty.below"].format(score=fmt_fixed(score), **words), "below")
    if full <= basic:
        return Outcome(weight, EXPLAIN["cohort.full_le_basic"].format(**words), "full")
    if x >= full:
        return Outcome(weight, EXPLAIN["sixty_forty.full"].format(**words), "full")
    score = weight * (_SIXTY + _FORTY * (x - basic) / (full - basic))
    return Outcome(score, EXPLAIN["sixty_forty.between"].format(score=fmt_fixed(score), **words), "between")


@register("sixty_forty")
class SixtyForty:
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
        if _is_number(basic) and _is_number(full) and Fraction(str(full)) <= Fraction(str(basic)):
            yield "满分要求 full 应大于基本要求 basic"

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        basic, _ = ctx.param(params["basic"])
        full, _ = ctx.param(params["full"])
        return sixty_forty_score(x, ctx.weight, basic, full, ctx.unit)


@register("cohort_relative")
class CohortRelative:
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

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        basic, _ = ctx.param(params["basic"])
        cohort = ctx.cohort_max()
        if cohort is None:
            full, _ = ctx.param(params["reference_full"])
            source = "cohort.reference"
        else:
            full, source = cohort, "cohort.cohort"
        outcome = sixty_forty_score(x, ctx.weight, basic, full, ctx.unit)
        u = "" if ctx.unit in ("项", "个", "人", "人月", "万元") else ctx.unit
        note = EXPLAIN[source].format(full=fmt(full), unit=u)
        return Outcome(outcome.score, outcome.text + note, outcome.reason, {"full": full})


@register("per_unit_above")
class PerUnitAbove:
    """Points for each whole step above a threshold, capped.

    Parameters:
        threshold: the value above which steps count (number or {tier, column}).
        step: size of one step (default 1).
        points: points per whole step.
        cap: the most points the line can give.
    """

    name = "per_unit_above"
    uses_value = True

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"threshold", "step", "points", "cap"})
        yield from _need(params, "threshold", "points", "cap")
        if "step" in params and not (_is_number(params["step"]) and params["step"] > 0):
            yield "参数 step 应为正数"

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        threshold, _ = ctx.param(params["threshold"])
        step, _ = ctx.param(params.get("step", 1))
        points, _ = ctx.param(params["points"])
        cap, _ = ctx.param(params["cap"])
        words = {"threshold": fmt(threshold), "unit": ctx.unit if ctx.unit == "%" else ""}
        if x is None or x <= threshold:
            return Outcome(Fraction(0), EXPLAIN["per_unit_above.none"].format(**words), "none")
        units = floor((x - threshold) / step)
        raw = units * points
        score = min(raw, cap)
        text = EXPLAIN["per_unit_above.some"].format(
            units=units, points=fmt(points), raw=fmt(Fraction(raw)), **words
        )
        text += EXPLAIN["cap"].format(cap=fmt(cap), score=fmt(score))
        return Outcome(score, text, "capped" if raw > cap else "points")


@register("step_points")
class StepPoints:
    """Points of the highest step reached (not cumulative).

    Parameters:
        steps: list of {min, points}; a value ≥ min reaches the step (lower bound inclusive).
    """

    name = "step_points"
    uses_value = True

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"steps"})
        steps = params.get("steps")
        if not isinstance(steps, list) or not steps:
            yield "参数 steps 应为非空列表"
            return
        for index, step in enumerate(steps):
            if not (
                isinstance(step, Mapping) and _is_number(step.get("min")) and _is_number(step.get("points"))
            ):
                yield f"steps[{index}] 应为 {{min, points}}"

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        unit = ctx.unit
        steps = sorted(
            ((Fraction(str(s["min"])), Fraction(str(s["points"]))) for s in params["steps"]),
            reverse=True,
        )
        for minimum, points in steps:
            if x is not None and x >= minimum:
                text = EXPLAIN["step_points.hit"].format(
                    x=fmt(x), min=fmt(minimum), points=fmt(points), unit=unit
                )
                return Outcome(points, text, "step")
        lowest = steps[-1][0]
        return Outcome(Fraction(0), EXPLAIN["step_points.none"].format(min=fmt(lowest), unit=unit), "none")


@register("item_points")
class ItemPoints:
    """Points per item by level (and grade), within a time window, one per unique key, capped.

    Parameters:
        items: item kind (e.g. awards).
        by: the item fields that select points, e.g. [level, grade].
        points: {level: number} or {level: {grade: number}}.
        window: {field, years} — only items of the last ``years`` years (report year included).
        unique: item field; items sharing it count once, at their highest points.
        cap: the most points the line can give.
    """

    name = "item_points"
    uses_value = False

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"items", "by", "points", "window", "unique", "cap"})
        for name in ("items", "by", "points", "cap"):
            if name not in params:
                yield f"缺少参数 {name}"
        by = params.get("by")
        if by is not None and (not isinstance(by, list) or not 1 <= len(by) <= 2):
            yield "参数 by 应为一到两个字段名的列表"
        if not isinstance(params.get("points", {}), Mapping):
            yield "参数 points 应为映射"

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        kind = params["items"]
        by = list(params["by"])
        window = params.get("window")
        best: dict[str, tuple[Fraction, str]] = {}
        for item in ctx.items(kind):
            if window and not in_window(
                item.values.get(window["field"]), int(window["years"]), ctx.report_year
            ):
                continue
            points = _lookup(params["points"], [item.values.get(f) for f in by])
            if points is None:
                continue
            name = str(item.values.get(params.get("unique") or "name") or item.index)
            key = str(item.values.get(params["unique"])) if params.get("unique") else str(item.index)
            term = EXPLAIN["item_points.item"].format(
                level=ctx.display(kind, by[0], item.values.get(by[0])),
                grade=ctx.display(kind, by[1], item.values.get(by[1])) if len(by) > 1 else "",
                name=name,
                points=fmt(points),
            )
            if key not in best or points > best[key][0]:
                best[key] = (points, term)
        cap, _ = ctx.param(params["cap"])
        if not best:
            return Outcome(Fraction(0), EXPLAIN["item_points.none"], "none")
        raw = sum((p for p, _ in best.values()), Fraction(0))
        score = min(raw, cap)
        terms = " + ".join(term for _, term in best.values())
        text = EXPLAIN["item_points.sum"].format(terms=terms, raw=fmt(raw))
        text += EXPLAIN["cap"].format(cap=fmt(cap), score=fmt(score))
        return Outcome(score, text, "capped" if raw > cap else "points", {"items": len(best)})


def _lookup(table: Any, keys: list[Any]) -> Fraction | None:
    node = table
    for key in keys:
        if _is_number(node):
            break
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return Fraction(str(node)) if _is_number(node) else None


@register("best_of")
class BestOf:
    """The larger of several alternative scorings («以上两项只统计最高加分项»), capped.

    Parameters:
        options: list of {title, unit, value, coefficient?, rule}.
        cap: the most points the line can give.
    """

    name = "best_of"
    uses_value = False

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"options", "cap"})
        options = params.get("options")
        if not isinstance(options, list) or len(options) < 2:
            yield "参数 options 应为至少两项的列表"
        if "cap" in params and not _is_param(params["cap"]):
            yield "参数 cap 应为数值"

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        results = [ctx.evaluate_option(option) for option in params["options"]]
        best = max(outcome.score for outcome, _ in results)
        cap, _ = ctx.param(params.get("cap", best))
        score = min(best, cap)
        parts = "；".join(text for _, text in results)
        return Outcome(score, EXPLAIN["best_of"].format(options=parts, score=fmt(score)), "best")

"""Step rules: points per unit, per step above a threshold, floor steps and brackets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from math import floor
from typing import Any

from docgen.numbers import fmt, fmt_against
from docgen.rules import BaseRuleType, Outcome, RuleContext, register
from docgen.rules._params import is_number as _is_number
from docgen.rules._params import need as _need
from docgen.rules._params import number as _number
from docgen.rules._params import only as _only
from docgen.text.labels import EXPLAIN


@register("per_unit_above")
class PerUnitAbove(BaseRuleType):
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


@register("per_unit")
class PerUnit(BaseRuleType):
    """Points for each unit of the value, capped («每1项得1分，5分满分»).

    Parameters:
        points: points per unit.
        unit: size of one unit (default 1; «每500万得1分» is unit 500); only whole units count.
        cap: the most points the line can give.
    """

    name = "per_unit"
    uses_value = True

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"points", "unit", "cap"})
        yield from _need(params, "points", "cap")

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        points, _ = ctx.param(params["points"])
        size, _ = ctx.param(params.get("unit", 1))
        cap, _ = ctx.param(params["cap"])
        if x is None or x <= 0:
            return Outcome(Fraction(0), EXPLAIN["per_unit.none"], "none")
        units = floor(x / size)
        raw = units * points
        score = min(raw, cap)
        key = "per_unit.some" if size == 1 else "per_unit.sized"
        text = EXPLAIN[key].format(
            x=fmt(x), size=fmt(size), unit=ctx.unit, units=units, points=fmt(points), raw=fmt(Fraction(raw))
        )
        text += EXPLAIN["cap"].format(cap=fmt(cap), score=fmt(score))
        return Outcome(score, text, "capped" if raw > cap else "points")


@register("floor_steps")
class FloorSteps(BaseRuleType):
    """A start value, then whole steps above it, capped («达到2%得1分，每增加0.5%加1分，10分满分»).

    x < start → 0; otherwise start_points + floor((x − start)/step) × step_points, at most cap.

    Parameters:
        start: the value that earns the first points (lower bound inclusive).
        start_points: points at the start value.
        step: size of one further step.
        step_points: points per whole further step (default 1).
        cap: the most points the line can give.
    """

    name = "floor_steps"
    uses_value = True

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"start", "start_points", "step", "step_points", "cap"})
        yield from _need(params, "start", "start_points", "step", "cap")
        if _is_number(params.get("step")) and params["step"] <= 0:
            yield "参数 step 应为正数"

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        start, _ = ctx.param(params["start"])
        first, _ = ctx.param(params["start_points"])
        step, _ = ctx.param(params["step"])
        per, _ = ctx.param(params.get("step_points", 1))
        cap, _ = ctx.param(params["cap"])
        u = ctx.unit
        if x is None or x < start:
            shown = "—" if x is None else fmt_against(x, start)
            return Outcome(
                Fraction(0), EXPLAIN["floor_steps.below"].format(x=shown, start=fmt(start), unit=u), "below"
            )
        steps = floor((x - start) / step)
        raw = first + steps * per
        score = min(raw, cap)
        text = EXPLAIN["floor_steps.some"].format(
            x=fmt_against(x, start + steps * step, start + (steps + 1) * step),
            start=fmt(start),
            unit=u,
            first=fmt(first),
            step=fmt(step),
            steps=steps,
            per=fmt(per),
            raw=fmt(raw),
        )
        text += EXPLAIN["cap"].format(cap=fmt(cap), score=fmt(score))
        return Outcome(score, text, "capped" if raw > cap else "points")


@register("brackets")
class Brackets(BaseRuleType):
    """Points of the bracket the value falls in, exactly as printed (gaps kept).

    Brackets are lower-bound inclusive: «1100-1300万得4分» is 1100 ≤ x < 1300.

    Parameters:
        steps: list of {min, points}.
        below: points below the lowest bracket (default 0).
    """

    name = "brackets"
    uses_value = True

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"steps", "below"})
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
        steps = sorted(((_number(s["min"]), _number(s["points"])) for s in params["steps"]), reverse=True)
        below = _number(params.get("below", 0))
        for index, (minimum, points) in enumerate(steps):
            if x is not None and x >= minimum:
                upper = steps[index - 1][0] if index else None
                key = "brackets.top" if upper is None else "brackets.between"
                text = EXPLAIN[key].format(
                    x=fmt_against(x, minimum, *([upper] if upper else [])),
                    min=fmt(minimum),
                    max=fmt(upper) if upper else "",
                    points=fmt(points),
                    unit=ctx.unit,
                )
                return Outcome(points, text, "bracket")
        shown = "—" if x is None else fmt_against(x, steps[-1][0])
        text = EXPLAIN["brackets.below"].format(
            x=shown, min=fmt(steps[-1][0]), points=fmt(below), unit=ctx.unit
        )
        return Outcome(below, text, "below")

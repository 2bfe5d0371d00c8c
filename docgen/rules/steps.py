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
from docgen.rules._words import capped, measure
from docgen.text.labels import EXPLAIN
from docgen.text.rules_text import RULES_TEXT


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
            yield RULES_TEXT["steps.step_not_positive"]

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        threshold, _ = ctx.param(params["threshold"])
        step, _ = ctx.param(params.get("step", 1))
        points, _ = ctx.param(params["points"])
        cap, _ = ctx.param(params["cap"])
        unit = ctx.unit
        if x is None or x <= threshold:
            text = EXPLAIN["per_unit_above.none"].format(threshold=fmt(threshold), unit=unit)
            return Outcome(Fraction(0), text, "none", {"bounds": (threshold,)})
        units = floor((x - threshold) / step)
        raw = units * points
        score = min(raw, cap)
        excess = x - threshold
        whole = units * step
        words = {
            "threshold": fmt(threshold),
            "unit": unit,
            "excess": fmt_against(excess, whole, whole + step),
            "counted": fmt(whole),
            "measure": measure(unit),
            "step": fmt(step),
            "points": fmt(points),
        }
        key = "per_unit_above.some" if excess == whole else "per_unit_above.floored"
        text = EXPLAIN[key].format(**words) + capped(Fraction(raw), cap, score)
        bounds = (threshold + whole, threshold + whole + step)
        return Outcome(score, text, "capped" if raw > cap else "points", {"bounds": bounds})


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
        raw = Fraction(units * points)
        score = min(raw, cap)
        if size == 1:
            text = EXPLAIN["per_unit.some"].format(measure=measure(ctx.unit), points=fmt(points))
            return Outcome(score, text + capped(raw, cap, score), "capped" if raw > cap else "points")
        bounds = (units * size, (units + 1) * size)
        if units == 0:
            text = EXPLAIN["per_unit.sized_none"].format(size=fmt(size), unit=ctx.unit)
            return Outcome(Fraction(0), text, "none", {"bounds": bounds})
        text = EXPLAIN["per_unit.sized"].format(
            size=fmt(size), unit=ctx.unit, units=units, points=fmt(points)
        )
        text += capped(raw, cap, score)
        return Outcome(score, text, "capped" if raw > cap else "points", {"bounds": bounds})


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
            yield RULES_TEXT["steps.step_not_positive"]

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        start, _ = ctx.param(params["start"])
        first, _ = ctx.param(params["start_points"])
        step, _ = ctx.param(params["step"])
        per, _ = ctx.param(params.get("step_points", 1))
        cap, _ = ctx.param(params["cap"])
        u = ctx.unit
        if x is None or x < start:
            text = EXPLAIN["floor_steps.below"].format(start=fmt(start), unit=u)
            return Outcome(Fraction(0), text, "below", {"bounds": (start,)})
        steps = floor((x - start) / step)
        raw = first + steps * per
        score = min(raw, cap)
        low, high = start + steps * step, start + (steps + 1) * step
        words = {
            "start": fmt(start),
            "unit": u,
            "first": fmt(first),
            "step": fmt(step),
            "measure": measure(u),
        }
        if steps == 0:
            text = EXPLAIN["floor_steps.start"].format(**words)
        else:
            excess = fmt_against(x - start, low - start, high - start)
            text = EXPLAIN["floor_steps.some"].format(
                excess=excess, per=fmt(per), added=fmt(steps * per), **words
            )
        text += capped(raw, cap, score)
        return Outcome(score, text, "capped" if raw > cap else "points", {"bounds": (low, high)})


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
            yield RULES_TEXT["steps.steps_empty"]
            return
        for index, step in enumerate(steps):
            if not (
                isinstance(step, Mapping) and _is_number(step.get("min")) and _is_number(step.get("points"))
            ):
                yield RULES_TEXT["steps.step_not_mapping"].format(index=index)

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        steps = sorted(((_number(s["min"]), _number(s["points"])) for s in params["steps"]), reverse=True)
        below = _number(params.get("below", 0))
        for index, (minimum, points) in enumerate(steps):
            if x is not None and x >= minimum:
                upper = steps[index - 1][0] if index else None
                key = "brackets.top" if upper is None else "brackets.between"
                text = EXPLAIN[key].format(
                    min=fmt(minimum), max=fmt(upper) if upper else "", points=fmt(points), unit=ctx.unit
                )
                bounds = (minimum,) if upper is None else (minimum, upper)
                return Outcome(points, text, "bracket", {"bounds": bounds})
        lowest = steps[-1][0]
        if x is not None and x == 0 and not below:
            key = "brackets.zero"  # «拥有院士人数0人，不得分», not «0人，不足1人»
        else:
            key = "brackets.below" if below else "brackets.below_none"
        text = EXPLAIN[key].format(min=fmt(lowest), points=fmt(below), unit=ctx.unit)
        return Outcome(below, text, "below", {"bounds": (lowest,)})

"""Combining rules: the best of several alternatives, or their capped sum."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from docgen.numbers import fmt
from docgen.rules import BaseRuleType, Inputs, NestedInputs, Outcome, RuleContext, register
from docgen.rules._params import is_param as _is_param
from docgen.rules._params import need as _need
from docgen.rules._params import only as _only
from docgen.text.labels import EXPLAIN
from docgen.text.punctuation import SEMICOLON
from docgen.text.rules_text import RULES_TEXT


def _options_inputs(params: Mapping[str, Any], nested: NestedInputs) -> Inputs:
    """Returns what the options read: each option's value, then what its nested rule reads."""
    inputs = Inputs()
    for option in params["options"]:
        if option.get("value") is not None:
            inputs += Inputs(values=(option["value"],))
        inputs += nested(option["rule"])
    return inputs


@register("best_of")
class BestOf(BaseRuleType):
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
            yield RULES_TEXT["combine.options_too_few"]
        if "cap" in params and not _is_param(params["cap"]):
            yield RULES_TEXT["combine.cap_not_number"]

    def inputs(self, params: Mapping[str, Any], nested: NestedInputs) -> Inputs:
        return _options_inputs(params, nested)

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        results = [ctx.evaluate_option(option) for option in params["options"]]
        best = max(outcome.score for outcome, _ in results)
        cap, _ = ctx.param(params.get("cap", best))
        score = min(best, cap)
        parts = SEMICOLON.join(text for _, text in results)
        chosen = next(outcome for outcome, _ in results if outcome.score == best)
        details = {"choice": chosen.details.get("choice", ())}  # the figure that decided the line
        return Outcome(score, EXPLAIN["best_of"].format(options=parts, score=fmt(score)), "best", details)


@register("sum_of")
class SumOf(BaseRuleType):
    """Several scorings added up, capped («拥有院士得5分……省领军人才加1分，满分5分»).

    Parameters:
        options: list of {title, unit, value, coefficient?, rule}.
        cap: the most points the line can give.
    """

    name = "sum_of"
    uses_value = False

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"options", "cap"})
        options = params.get("options")
        if not isinstance(options, list) or len(options) < 2:
            yield RULES_TEXT["combine.options_too_few"]
        yield from _need(params, "cap")

    def inputs(self, params: Mapping[str, Any], nested: NestedInputs) -> Inputs:
        return _options_inputs(params, nested)

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        results = [ctx.evaluate_option(option) for option in params["options"]]
        raw = sum((outcome.score for outcome, _ in results), Fraction(0))
        cap, _ = ctx.param(params["cap"])
        score = min(raw, cap)
        parts = EXPLAIN["sum_of.join"].join(text for _, text in results)
        close = EXPLAIN["sum_of.over" if raw > cap else "sum_of.within"]
        text = parts + close.format(raw=fmt(raw), cap=fmt(cap), score=fmt(score))
        scored = [outcome for outcome, _ in results if outcome.score > 0] or [results[0][0]]
        details = {"choice": tuple(c for outcome in scored for c in outcome.details.get("choice", ()))}
        return Outcome(score, text, "capped" if raw > cap else "sum", details)

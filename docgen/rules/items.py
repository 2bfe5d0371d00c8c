"""Item rules: points per item by level and grade or role, within a time window."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from docgen.model.counting import in_window
from docgen.numbers import fmt
from docgen.rules import BaseRuleType, Inputs, ItemUse, NestedInputs, Outcome, RuleContext, Window, register
from docgen.rules._params import is_number as _is_number
from docgen.rules._params import need as _need
from docgen.rules._params import number as _number
from docgen.rules._params import only as _only
from docgen.rules._words import capped
from docgen.text.labels import EXPLAIN
from docgen.text.punctuation import ENUM_COMMA, SEMICOLON
from docgen.text.rules_text import RULES_TEXT


@register("item_points")
class ItemPoints(BaseRuleType):
    """Points per item by level (and grade), within a time window, one per unique key, capped.

    Parameters:
        items: item kind (e.g. awards).
        by: the item fields that select points, e.g. [level, grade].
        points: {level: number} or {level: {grade: number}}.
        window: {field, years} — only items of the last ``years`` years (report year included);
            without ``years``, items up to the report year.
        unique: item field; items sharing it count once, at their highest points.
        cap: the most points the line can give.
        term: how an explanation names the items of one level and grade, a template over the
            ``by`` fields' Chinese names (default: the names run together, «{level}{grade}» →
            «市级二等奖»; standards: «{role}{level}标准» → «主持行业标准»).
    """

    name = "item_points"
    uses_value = False

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"items", "by", "points", "window", "unique", "cap", "term"})
        for name in ("items", "by", "points", "cap"):
            if name not in params:
                yield RULES_TEXT["items.missing_param"].format(name=name)
        by = params.get("by")
        if by is not None and (not isinstance(by, list) or not 1 <= len(by) <= 2):
            yield RULES_TEXT["items.by_not_fields"]
        if not isinstance(params.get("points", {}), Mapping):
            yield RULES_TEXT["items.points_not_mapping"]
        window = params.get("window")
        if window is not None:
            if not isinstance(window, Mapping) or "field" not in window or set(window) - {"field", "years"}:
                yield RULES_TEXT["items.window_not_mapping"]
            elif "years" in window and not (isinstance(window["years"], int) and window["years"] >= 1):
                yield RULES_TEXT["items.window_years_not_positive"]
        term = params.get("term")
        if term is not None and isinstance(by, list):
            try:
                str(term).format(**{str(f): "" for f in by})
            except (KeyError, IndexError, ValueError):
                yield RULES_TEXT["items.term_outside_by"].format(fields=ENUM_COMMA.join(map(str, by)))

    def inputs(self, params: Mapping[str, Any], nested: NestedInputs) -> Inputs:
        window = params.get("window")
        use = ItemUse(
            kind=params["items"],
            by=tuple(params["by"]),
            window=Window(window["field"], window.get("years")) if window else None,
            unique=params.get("unique"),
        )
        return Inputs(items=(use,))

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        kind = params["items"]
        by = list(params["by"])
        window = params.get("window")
        template = str(params.get("term") or "".join("{" + f + "}" for f in by))
        best: dict[str, tuple[Fraction, str, str]] = {}  # key → points, term, name
        if not ctx.listed(kind):
            text = EXPLAIN["item_points.unitemised"].format(label=ctx.kind_label(kind))
            return Outcome(Fraction(0), text, "none")
        for item in ctx.items(kind):
            if window and not in_window(
                item.values.get(window["field"]), window.get("years"), ctx.report_year
            ):
                continue
            points = _lookup(params["points"], [item.values.get(f) for f in by])
            if points is None:
                continue
            if params.get("unique"):
                key = str(item.values.get(params["unique"]))
            else:
                key = item.identity or str(item.index)  # an identifier listed twice counts once
            term = template.format(**{f: ctx.display(kind, f, item.values.get(f)) for f in by})
            if key not in best or points > best[key][0]:
                best[key] = (points, term, ctx.identify(kind, item))
        cap, _ = ctx.param(params["cap"])
        if not best:
            text = EXPLAIN["item_points.none"].format(label=ctx.kind_label(kind))
            return Outcome(Fraction(0), text, "none", {"value": Fraction(0)})
        raw = sum((p for p, _, _ in best.values()), Fraction(0))
        score = min(raw, cap)
        groups: dict[tuple[str, Fraction], list[str]] = {}  # one phrase per term and points, in order
        for points, term, name in best.values():
            groups.setdefault((term, points), []).append(name)
        counter = ctx.counter(kind)
        phrases = []
        for (term, points), names in groups.items():
            words = {
                "term": term,
                "count": len(names),
                "counter": counter,
                "names": ENUM_COMMA.join(EXPLAIN["item_points.name"].format(name=n) for n in names),
                "each": fmt(points),
                "points": fmt(points * len(names)),
            }
            phrases.append(
                EXPLAIN["item_points.group" if len(names) == 1 else "item_points.group_many"].format(**words)
            )
        text = SEMICOLON.join(phrases) + capped(raw, cap, score, parts=len(phrases), stated=True)
        scoring = Fraction(sum(1 for points, _, _ in best.values() if points > 0))
        details = {"items": len(best), "value": scoring}  # the line's value: the items that score
        return Outcome(score, text, "capped" if raw > cap else "points", details)


def _lookup(table: Any, keys: list[Any]) -> Fraction | None:
    node = table
    for key in keys:
        if _is_number(node):
            break
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return _number(node) if _is_number(node) else None


@register("weighted_sum")
class WeightedSum(BaseRuleType):
    """Points per unit of several figures added up, capped (发明 2、实用新型 1、软著 2、外观 0.5).

    Parameters:
        terms: list of {field, points}.
        cap: the most points the line can give.
    """

    name = "weighted_sum"
    uses_value = False

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        yield from _only(params, {"terms", "cap"})
        yield from _need(params, "cap")
        terms = params.get("terms")
        if not isinstance(terms, list) or not terms:
            yield RULES_TEXT["items.terms_empty"]
            return
        for index, term in enumerate(terms):
            if not (
                isinstance(term, Mapping)
                and isinstance(term.get("field"), str)
                and _is_number(term.get("points"))
            ):
                yield RULES_TEXT["items.term_not_mapping"].format(index=index)

    def inputs(self, params: Mapping[str, Any], nested: NestedInputs) -> Inputs:
        return Inputs(values=tuple({"field": term["field"]} for term in params["terms"]))

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        raw = Fraction(0)
        total = Fraction(0)
        parts = []
        for term in params["terms"]:
            value = ctx.figure(term["field"]) or Fraction(0)
            points = _number(term["points"])
            raw += value * points
            total += value
            unit = ctx.field_unit(term["field"])
            words = {
                "label": ctx.label(term["field"]),
                "value": fmt(value),
                "unit": unit,
                "measure": unit or RULES_TEXT["items.default_measure"],
                "points": fmt(points),
                "sub": fmt(value * points),
            }
            parts.append(EXPLAIN["weighted_sum.term" if value else "weighted_sum.zero"].format(**words))
        cap, _ = ctx.param(params["cap"])
        score = min(raw, cap)
        text = SEMICOLON.join(parts) + capped(raw, cap, score, parts=len(parts), stated=True)
        return Outcome(score, text, "capped" if raw > cap else "points", {"value": total})

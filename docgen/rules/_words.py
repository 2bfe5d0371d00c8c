"""Shared wording of the rule types: measure words and the closing «累计不超过…，计…分»."""

from __future__ import annotations

from fractions import Fraction

from docgen.numbers import fmt
from docgen.text.labels import DIFFERENCE_UNITS, EXPLAIN


def measure(unit: str) -> str:
    """Returns the word an excess or a step of ``unit`` is counted in: «个百分点» for a
    percentage, else the unit itself (项, 人, 万元 …)."""
    return DIFFERENCE_UNITS.get(unit, unit)


def capped(raw: Fraction, cap: Fraction, score: Fraction, *, parts: int = 0, stated: bool = False) -> str:
    """Returns the close of an explanation: the score, and the cap where it applies.

    Args:
        raw: the points before the cap.
        cap: the most points the line can give.
        score: the points given (``min(raw, cap)``).
        parts: how many separately scored parts the body lists (item groups, figures); two or
            more close with «；共计…分».
        stated: the body already ends with its own «计…分» (one part that states its points).
    """
    if parts >= 2:
        key = "cap.parts_over" if raw > cap else "cap.parts_within"
    elif stated:
        return EXPLAIN["cap.one_over"].format(cap=fmt(cap), score=fmt(score)) if raw > cap else ""
    else:
        key = "cap.over" if raw > cap else "cap.within"
    return EXPLAIN[key].format(raw=fmt(raw), cap=fmt(cap), score=fmt(score))

"""Boundary tests for the rule types: just below, exactly on and just above every step."""

from __future__ import annotations

from fractions import Fraction as Q

import pytest

from docgen.rules import RuleSet
from docgen.rules.builtin import sixty_forty_score


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (None, Q(0)),
        (Q(-1), Q(0)),
        (Q(0), Q(0)),
        (Q(3, 2), Q(12) * Q(3, 5) * Q(1, 2)),  # half of B: 12 × 0.6 × 0.5 = 3.6
        (Q(299, 100), Q(12) * Q(3, 5) * Q(299, 300)),  # just below B
        (Q(250, 10000) * 100 + Q(1, 2), Q(36, 5)),  # 250/10000 = 2.5% exactly, +0.5 = 3.0 = B → 7.2
        (Q(3), Q(36, 5)),  # exactly B → 60% of W
        (Q(15), Q(12)),  # exactly F → W
        (Q(1499, 100), Q(12) * (Q(3, 5) + Q(2, 5) * Q(1199, 1200))),  # just below F
        (Q(100), Q(12)),  # above F → W
    ],
)
def test_sixty_forty_boundaries(x, expected):
    """ensures that the 60/40 rule puts values on B and F on the right side (W=12, B=3, F=15)."""
    assert sixty_forty_score(x, Q(12), Q(3), Q(15), "%").score == expected


def test_sixty_forty_full_not_above_basic():
    """ensures that when F ≤ B (cohort), any x ≥ B scores the weight."""
    assert sixty_forty_score(Q(3), Q(7), Q(3), Q(2), "%").score == 7
    assert sixty_forty_score(Q(2), Q(7), Q(3), Q(2), "%").score == Q(7) * Q(3, 5) * Q(2, 3)


class _Ctx:
    weight = Q(5)
    unit = "万元"
    report_year = 2022

    def param(self, value):
        return Q(str(value)), ""


@pytest.mark.parametrize(
    ("x", "expected"),
    [(Q(999), 0), (Q(1000), 2), (Q(1999), 2), (Q(2000), 4), (Q(2999), 4), (Q(3000), 5), (Q(10**6), 5)],
)
def test_step_points_lower_bound_inclusive(x, expected):
    """ensures that 1000/2000/3000万 land on their own step (not cumulative)."""
    rule = RuleSet().get("step_points")
    params = {"steps": [{"min": 1000, "points": 2}, {"min": 2000, "points": 4}, {"min": 3000, "points": 5}]}
    assert rule.evaluate(x, params, _Ctx()).score == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [(Q(1), 0), (Q(199, 100), 0), (Q(2), 2), (Q(299, 100), 2), (Q(3), 4), (Q(4), 5), (None, 0)],
)
def test_per_unit_above_whole_steps(x, expected):
    """ensures that only whole steps above the threshold count, capped (threshold 1, 2 per step, cap 5)."""
    rule = RuleSet().get("per_unit_above")
    params = {"threshold": 1, "step": 1, "points": 2, "cap": 5}
    assert rule.evaluate(x, params, _Ctx()).score == expected


def test_registry_refuses_duplicates():
    """ensures that a rule type name cannot be registered twice."""
    from docgen.rules import register

    with pytest.raises(ValueError, match="registered twice"):
        register("sixty_forty")(type("Again", (), {}))

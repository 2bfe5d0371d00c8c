"""Boundary tests for the rule types: just below, exactly on and just above every step."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction as Q
from typing import Any

import pytest

from docgen.definitions.catalog import Catalog
from docgen.model.definitions import Indicator, RuleSpec
from docgen.rules import Inputs, ItemUse, RatingUse, Requirement, RuleSet, Window
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
def test_money_steps_lower_bound_inclusive(x, expected):
    """ensures that 1000/2000/3000万 land on their own step (not cumulative), as brackets."""
    rule = RuleSet().get("brackets")
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


class _Ctx2(_Ctx):
    unit = "%"
    weight = Q(15)

    def __init__(self, rating=None):
        self._rating = rating

    def rating(self, key):
        return self._rating


def _eval(name, x, params, ctx=None):
    return RuleSet().get(name).evaluate(x, params, ctx or _Ctx2())


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (Q(199, 100), 0),  # just below 2%
        (Q(2), 1),  # exactly 2% → 1
        (Q(249, 100), 1),  # 2.49% → still 1
        (Q(250, 10000) * 100, 2),  # 250/10000 = 2.5% exactly → 2
        (Q(251, 100), 2),
        (Q(6), 9),
        (Q(65, 10), 10),  # 6.5% → 1 + 9 = 10
        (Q(20), 10),  # capped
        (None, 0),
    ],
)
def test_floor_steps_gansu_ratio(x, expected):
    """ensures «低于2%不得分，达到2%得1分，每增加0.5%加1分，10分满分» at every boundary."""
    params = {"start": 2, "start_points": 1, "step": Decimal("0.5"), "cap": 10}
    assert _eval("floor_steps", x, params).score == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (Q(1400), 5),
        (Q(1300), 5),
        (Q(12999, 10), 4),
        (Q(1100), 4),
        (Q(1099), 3),
        (Q(900), 3),
        (Q(899), 1),
        (Q(700), 1),
        (Q(699), 0),
        (None, 0),
    ],
)
def test_brackets_keep_the_printed_gap(x, expected):
    """ensures the ITC equipment brackets: lower bound inclusive, and no 2-point bracket."""
    params = {
        "steps": [
            {"min": 1300, "points": 5},
            {"min": 1100, "points": 4},
            {"min": 900, "points": 3},
            {"min": 700, "points": 1},
        ]
    }
    assert _eval("brackets", x, params).score == expected


def test_brackets_below_value():
    """ensures «300万以下1分» via the `below` parameter."""
    params = {"steps": [{"min": 300, "points": 2}], "below": 1}
    assert _eval("brackets", Q(299), params).score == 1
    assert _eval("brackets", Q(300), params).score == 2


@pytest.mark.parametrize(
    ("x", "unit", "expected"),
    [(Q(3), 1, 3), (Q(7), 1, 5), (Q(0), 1, 0), (Q(2499), 500, 4), (Q(2500), 500, 5)],
)
def test_per_unit(x, unit, expected):
    """ensures points per whole unit, capped at 5."""
    assert _eval("per_unit", x, {"points": 1, "unit": unit, "cap": 5}).score == expected


@pytest.mark.parametrize(
    ("op", "x", "met"),
    [
        (">=", Q(2), True),
        (">=", Q(199, 100), False),
        (">", Q(2), False),
        (">", Q(201, 100), True),
        (">", None, False),
    ],
)
def test_basic_met_strict_and_inclusive(op, x, met):
    """ensures `>` and `≥` exactly as printed: the weight when met, else 0."""
    outcome = _eval("basic_met", x, {"op": op, "bound": 2})
    assert outcome.score == (15 if met else 0)
    assert outcome.details["met"] is met


def test_rating_words():
    """ensures rating words map to points and a missing rating scores 0."""
    params = {"key": "organization", "points": {"很完善": 3, "比较完善": 2}}
    assert _eval("rating", None, params, _Ctx2("比较完善")).score == 2
    assert _eval("rating", None, params, _Ctx2(None)).score == 0


def test_values_a_hair_off_a_bound_show_the_digits_that_matter():
    """ensures an explanation never prints «2.00% 低于 2%»: 1.999998 against 2 gets its digits,
    while values that are clearly apart keep 2 decimals."""
    from fractions import Fraction as F

    from docgen.numbers import fmt_against

    assert fmt_against(F(200, 1000001) * 10000, F(2)) == "1.999998"
    assert fmt_against(F(201, 100), F(2)) == "2.01"
    assert fmt_against(F(2), F(2)) == "2"
    assert fmt_against(F(2) - F(1, 10**12), F(2)) == "1.999999999999"  # as many as decide


def test_step_explanations_read_as_chinese_text():
    """ensures floor steps and sized units show every term of the arithmetic, units beside their
    numbers and no space between a number and a Chinese word."""
    steps = {"start": 10, "start_points": 1, "step": 10, "cap": 5}
    text = RuleSet().get("floor_steps").evaluate(Q(12), steps, _Ctx()).text
    assert text == "达到10万元得1分；超出10万元的部分不足10万元，不加分，计1分"
    text = RuleSet().get("floor_steps").evaluate(Q(37), steps, _Ctx()).text
    assert text == "达到10万元得1分；超出10万元的部分为27万元，每增加10万元加1分，加2分，计3分"
    sized = RuleSet().get("per_unit").evaluate(Q(3800), {"points": 1, "unit": 500, "cap": 10}, _Ctx())
    assert sized.text == "每满500万元得1分，共7个500万元，计7分"


# -- declarations: what a rule reads and prints, answered by its type --------------------------

# valid parameters of every built-in type, as a program would give them
EXAMPLES: dict[str, dict[str, Any]] = {
    "sixty_forty": {"basic": 3, "full": 15},
    "cohort_relative": {"basic": 3, "reference_full": 15},
    "per_unit_above": {"threshold": 1, "points": 2, "cap": 5},
    "per_unit": {"points": 1, "cap": 5},
    "floor_steps": {"start": 2, "start_points": 1, "step": 1, "cap": 10},
    "brackets": {"steps": [{"min": 1, "points": 4}]},
    "item_points": {"items": "standards", "by": ["level"], "points": {"national": 2}, "cap": 4},
    "weighted_sum": {"terms": [{"field": "invention_patents", "points": 2}], "cap": 6},
    "best_of": {
        "options": [
            {"value": {"field": "rd_expense"}, "rule": {"type": "per_unit", "points": 1, "cap": 2}},
            {"value": {"field": "rd_staff"}, "rule": {"type": "rating", "key": "plan", "points": {"好": 1}}},
        ],
        "cap": 2,
    },
    "sum_of": {
        "options": [
            {"value": {"field": "rd_expense"}, "rule": {"type": "per_unit", "points": 1, "cap": 2}},
            {"rule": {"type": "item_points", "items": "awards", "by": ["level"], "points": {}, "cap": 1}},
        ],
        "cap": 2,
    },
    "rating": {"key": "organization", "points": {"很完善": 3, "比较完善": 2}},
    "basic_met": {"op": ">", "bound": 2},
}


def _spec(name: str) -> RuleSpec:
    return RuleSpec(name, {"type": name, **EXAMPLES[name]})


def test_every_type_has_valid_example_params() -> None:
    """ensures that the examples cover every built-in type and pass its own parameter check."""
    rules = RuleSet()
    assert set(EXAMPLES) == set(rules.names())
    for name in rules.names():
        assert list(rules.types[name].check_params(_spec(name).params)) == [], name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sixty_forty", Inputs()),
        ("cohort_relative", Inputs()),
        ("per_unit_above", Inputs()),
        ("per_unit", Inputs()),
        ("floor_steps", Inputs()),
        ("brackets", Inputs()),
        ("basic_met", Inputs()),
        ("item_points", Inputs(items=(ItemUse("standards", ("level",)),))),
        ("weighted_sum", Inputs(values=({"field": "invention_patents"},))),
        ("rating", Inputs(ratings=(RatingUse("organization", ("很完善", "比较完善")),))),
        (
            "best_of",
            Inputs(
                values=({"field": "rd_expense"}, {"field": "rd_staff"}),
                ratings=(RatingUse("plan", ("好",)),),
            ),
        ),
        (
            "sum_of",
            Inputs(values=({"field": "rd_expense"},), items=(ItemUse("awards", ("level",)),)),
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_inputs_of_every_type(name: str, expected: Inputs) -> None:
    """ensures that each type declares what it reads besides its value; combinators declare
    their options' values and what their nested rules read, in order."""
    assert RuleSet().inputs(_spec(name)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sixty_forty", {"basic": Requirement(3), "full": Requirement(15)}),
        ("cohort_relative", {"basic": Requirement(3, "≥")}),
        ("basic_met", {"basic": Requirement(2, ">")}),
        *[
            (name, {})
            for name in (
                "per_unit_above",
                "per_unit",
                "floor_steps",
                "brackets",
                "item_points",
                "weighted_sum",
                "best_of",
                "sum_of",
                "rating",
            )
        ],
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_requirements_of_every_type(name: str, expected: dict[str, Requirement]) -> None:
    """ensures the 基本要求/满分要求 a form prints for each type (basic_met: its operator and
    bound; cohort_relative: ≥ basic and no fixed full requirement)."""
    assert dict(RuleSet().requirements(_spec(name))) == expected


def _indicator(catalog: Catalog, program: str, ident: str) -> Indicator:
    p = catalog.programs[program]
    return next(i for i in (*p.indicators, *p.bonus) if i.id == ident)


def test_luzhou_award_rule_declares_its_item_fields(catalog: Catalog) -> None:
    """ensures that the Luzhou award line declares awards by level and grade, over two years,
    one per project, and names those fields by their parameters."""
    rule = _indicator(catalog, "luzhou-etc-2023", "bonus_awards").rule
    (use,) = catalog.rules.inputs(rule).items
    assert use == ItemUse("awards", ("level", "grade"), Window("year", 2), "project")
    assert use.named_fields() == {
        "window.field": "year",
        "unique": "project",
        "by[0]": "level",
        "by[1]": "grade",
    }


def test_gansu_itc_rating_keys(catalog: Catalog) -> None:
    """ensures that the Gansu ITC program's ratings are the keys and words its rating lines declare."""
    program = catalog.programs["gansu-itc-2022"]
    ratings = [r for i in program.indicators for r in catalog.rules.inputs(i.rule).ratings]
    assert ratings == [
        RatingUse("organization", ("很完善", "比较完善", "基本完善", "不完善")),
        RatingUse("management", ("很完善", "比较完善", "基本完善", "不完善")),
        RatingUse("planning", ("良好", "比较良好", "基本完成", "未完成")),
        RatingUse("industry_report", ("优秀", "良好", "合格", "不合格", "未发布")),
    ]


def test_nested_combinators_declare_values_in_order(catalog: Catalog) -> None:
    """ensures that a best_of inside a sum_of (Gansu ITC talents) declares every option's value,
    depth first, in the order written."""
    rule = _indicator(catalog, "gansu-itc-2022", "bonus_talents").rule
    assert catalog.rules.inputs(rule).values == (
        {"field": "academicians"},
        {"field": "national_talents"},
        {"field": "provincial_leading_talents"},
    )


def test_item_fields_a_rule_names_are_checked(catalog: Catalog) -> None:
    """ensures that a definition check names an item field a rule declares but the item kind lacks,
    nested in a combinator too, by the parameter that names it."""
    from dataclasses import replace

    from docgen.definitions.references import check_item_fields

    program = catalog.programs["luzhou-etc-2023"]
    awards = _indicator(catalog, "luzhou-etc-2023", "bonus_awards")
    params = {**awards.rule.params, "window": {"field": "yaer", "years": 2}, "by": ["level", "grde"]}
    nested = RuleSpec("best_of", {"type": "best_of", "options": [{"rule": params}, {"rule": params}]})
    bonus = tuple(replace(i, rule=nested) if i is awards else i for i in program.bonus)
    broken = replace(catalog, programs={program.id: replace(program, bonus=bonus)})
    found = [(d.code, d.location.file, d.location.path, d.message) for d in check_item_fields(broken)]
    fields = "、".join(catalog.item_kinds["awards"].fields)
    expected = [
        f"定义文件错误：window.field 所指的字段 yaer 不是 awards 的字段（可用：{fields}）",
        f"定义文件错误：by[1] 所指的字段 grde 不是 awards 的字段（可用：{fields}）",
    ]
    assert [message for *_, message in found] == expected * 2  # once per option
    assert {where[:3] for where in found} == {
        ("definition.invalid", program.source, "indicators.bonus_awards.rule")
    }

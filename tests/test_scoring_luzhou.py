"""Luzhou scores computed by hand from seed 003 附件4 and SPEC §4.2 (reference full values).

The 60/40 rule with weight W, basic B, full F and evaluated value x:
x ≥ F → W; B ≤ x < F → W × (0.6 + 0.4 × (x − B)/(F − B)); 0 < x < B → W × 0.6 × x/B; x ≤ 0 → 0.
Scored alone, F is the reference full value of the definition (the national full requirement).
"""

from __future__ import annotations

from fractions import Fraction as Q

import pytest

from docgen.app.submission import open_submission, score_submission
from docgen.scoring.engine import cohort_maxima, score_answers


def sixty_forty(x, w, b, f):
    return w * (Q(3, 5) + Q(2, 5) * (x - b) / (f - b))


# tests/data/luzhou-basic: revenue 52000万, R&D 1800万, R&D staff 120 of 900, industry 35 (all
# coefficients 1.0), tier ≥5亿 → R&D-ratio basic 1.0%, national tier <10亿 → reference full 15%.
EXPECTED = {
    "rd_per_capita": sixty_forty(Q(1800, 120), 8, 3, 120),  # 15万元/人 → 5.13
    "rd_ratio": sixty_forty(Q(1800, 52000) * 100, 12, 1, 15),  # 3.4615% → 8.04
    "rd_staff_share": sixty_forty(Q(120, 900) * 100, 7, 3, 30),  # 13.33% → 5.27
    "senior_and_masters": sixty_forty(Q(8 + 12), 4, 3, 35),  # 20人 → 3.25
    "external_experts": sixty_forty(Q(37, 2), 4, 4, 120),  # 18.5人月 → 2.60
    "invention_patents": sixty_forty(Q(5), 8, 2, 100),  # 5项 → 4.90
    "rd_projects": sixty_forty(Q(24), 4, 2, 120),  # 24项 → 2.70
    "research_share": sixty_forty(Q(3, 24) * 100, 2, 1, 15),  # 12.5% → 1.86
    "equipment": sixty_forty(Q(3200), 5, 150, 30000),  # 3200万 → 3.20
    "platforms": sixty_forty(Q(0 + 1 + 1), 3, 1, 4),  # 2个 → 2.20
    "labs": Q(3) * Q(3, 5),  # 1个 = B → 1.80
    "patent_applications": sixty_forty(Q(4), 5, 2, 50),  # 2022年 3发明+1实用新型 → 3.08
    "invention_applications": sixty_forty(Q(3), 6, 1, 30),  # 3项 → 3.77
    "standards": Q(4) * Q(3, 5),  # 1项 (行业2021; 地方与2019年不计) → 2.40
    "new_product_revenue_share": Q(10),  # 40.38% ≥ 40 → 10
    "new_product_profit_share": Q(10),  # 54.17% ≥ 30 → 10
    "profit_margin": sixty_forty(Q(4800, 52000) * 100, 5, 3, 12),  # 9.23% → 4.38
    # bonus: awards 市级二等奖 2 + 省级 4 = 6 → cap 5
    "bonus_awards": Q(5),
    # invention applications 3 − basic 1 = 2 above → 2 × 2 = 4
    "bonus_invention_applications": Q(4),
    # 1800万 ≥ 1000 → 2; ratio 3.46% − 1.0% → 2 whole points × 2 = 4; larger = 4
    "bonus_rd": Q(4),
}


@pytest.fixture
def card(luzhou_basic):
    return score_submission(open_submission(luzhou_basic))


def test_every_line_matches_the_hand_computation(card):
    """ensures that each indicator equals the seed's rule computed by hand, exactly."""
    got = {r.id: r.score for r in (*card.indicators, *card.bonus)}
    assert got == EXPECTED


def test_totals_are_sums_of_unrounded_lines(card):
    """ensures that base, bonus and total are exact sums, and the total is a 参考分."""
    base = sum(v for k, v in EXPECTED.items() if not k.startswith("bonus"))
    assert card.base_score == base
    assert card.bonus_score == 13
    assert card.total == base + 13
    assert round(float(card.total), 2) == 87.58
    assert card.reference is True
    assert card.eligible is True


def test_explanation_shows_the_arithmetic(card):
    """ensures that an explanation shows value, coefficient, tier basic, reference full and score."""
    line = next(r for r in card.indicators if r.id == "rd_ratio")
    assert line.explanation == (
        "研究与试验发展经费支出1800万元 ÷ 主营业务收入52000万元 = 3.46%，乘以行业系数1.0，评价值为3.46%；"
        "达到基本要求1%、未达到满分值15%，得分 = 12 × [0.6 + 0.4 × (3.46 − 1) ÷ (15 − 1)] = 8.04分"
    )  # the coefficient as the notice prints it; «单独计算» is said once, in the 参考分 note


def test_coefficient_and_tier_change_the_ratio(luzhou_basic):
    """ensures that industry 39 (coefficient 0.8) and a smaller revenue tier are applied."""
    path = luzhou_basic / "answers.yaml"
    text = path.read_text(encoding="utf-8").replace('industry_code: "35"', 'industry_code: "39"')
    text = text.replace("主营业务收入: 52000", "主营业务收入: 12000").replace(
        "new_product_revenue: 21000", "new_product_revenue: 6000"
    )
    path.write_text(text, encoding="utf-8")
    card = score_submission(open_submission(luzhou_basic))
    line = next(r for r in card.indicators if r.id == "rd_ratio")
    # 1800/12000 = 15% × 0.8 = 12%; tier <1.5亿 basic 2.0%, reference full 15% (<10亿)
    assert line.evaluated == Q(12)
    assert line.score == sixty_forty(Q(12), 12, 2, 15)
    bonus = next(r for r in card.bonus if r.id == "bonus_rd")
    # ratio bonus: 12 − 2 = 10 whole points × 2 = 20 → cap 5; money bonus 2 → best 5
    assert bonus.score == 5


def test_limiting_indicator_failure_is_reported(luzhou_basic):
    """ensures that R&D staff below 15 makes the submission ineligible, with the gap."""
    path = luzhou_basic / "answers.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("rd_staff: 120", "rd_staff: 12"), encoding="utf-8"
    )
    card = score_submission(open_submission(luzhou_basic))
    assert not card.eligible
    failed = [e for e in card.eligibility if not e.passed]
    assert [e.id for e in failed] == ["min_rd_staff"]
    assert "相差3人" in failed[0].detail


def test_cohort_full_values(luzhou_basic, catalog):
    """ensures that with a cohort F is the highest evaluated value, and F ≤ B gives W at x ≥ B."""
    sub = open_submission(luzhou_basic)
    alone = score_submission(sub)
    cohort = cohort_maxima([alone])
    card = score_answers(sub.program, sub.answers, catalog, cohort=cohort)
    assert card.reference is False
    # alone in its cohort every positive value is the maximum → full weight, labs (x = B = F) too
    assert all(r.score == r.weight for r in card.indicators)
    half = {k: v * 2 for k, v in cohort.items()}
    card = score_answers(sub.program, sub.answers, catalog, cohort=half)
    line = next(r for r in card.indicators if r.id == "rd_projects")
    assert line.score == sixty_forty(Q(24), 4, 2, 48)


def test_a_submission_failing_a_limiting_indicator_sets_no_full_value(luzhou_basic, catalog):
    """ensures that a cohort's full values come from submissions that meet the limiting indicators:
    a firm with rd_expense < 150万 and 50% R&D staff does not lower everyone's staff-share score."""
    from dataclasses import replace

    sub = open_submission(luzhou_basic)
    good = score_submission(sub)
    figures = {**sub.answers.figures, "rd_expense": Q(100), "rd_staff": Q(10), "total_staff": Q(20)}
    weak_answers = replace(sub.answers, figures=figures)
    weak = score_answers(sub.program, weak_answers, catalog)
    assert not weak.eligible
    maxima = cohort_maxima([good, weak])
    good_staff = next(r for r in good.indicators if r.id == "rd_staff_share").evaluated
    assert maxima["rd_staff_share"] == good_staff  # not the weak firm's 50%
    # with no eligible submission at all, everyone is compared
    assert cohort_maxima([weak])["rd_staff_share"] == Q(50)


def test_explanation_leaves_off_the_sub_row_prefix(card):
    """ensures an explanation names a «其中：» data-table figure by its own name (no dangling 其中)."""
    line = next(r for r in card.indicators if r.id == "invention_applications")
    assert line.explanation.startswith("被受理的发明专利申请数")
    assert all("其中：" not in r.explanation for r in (*card.indicators, *card.bonus))


def test_cohort_figures_are_those_of_the_card_scored_alone(luzhou_basic, catalog):
    """ensures that what a submission brings to its cohort's maxima, computed without scoring it
    alone, equals what the card scored alone gives: for complete answers, answers failing a
    limiting indicator and answers missing a figure (an undefined ratio)."""
    from dataclasses import replace

    from docgen.scoring.engine import card_figures, cohort_figures

    sub = open_submission(luzhou_basic)
    weak = {**sub.answers.figures, "rd_expense": Q(100), "rd_staff": Q(10), "total_staff": Q(20)}
    partial = {k: v for k, v in sub.answers.figures.items() if k != "total_staff"}
    cases = [sub.answers, replace(sub.answers, figures=weak), replace(sub.answers, figures=partial)]
    for answers in cases:
        alone = score_answers(sub.program, answers, catalog)
        assert cohort_figures(sub.program, answers, catalog) == card_figures(alone)
    assert not cohort_figures(sub.program, cases[1], catalog).meets_limits
    assert "rd_staff_share" not in cohort_figures(sub.program, cases[2], catalog).evaluated

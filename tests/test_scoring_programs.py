"""Hand-computed scores for the national method and the four Gansu forms (SPEC §4.1, §4.3, §4.4).

Every expected value is worked out in the comments from the seed's rule text.
"""

from __future__ import annotations

from fractions import Fraction as Q
from pathlib import Path

import pytest

from docgen.app.submission import open_submission, score_submission
from tests.conftest import write_answers


def card_of(folder: Path, text: str):
    sub = open_submission(write_answers(folder, text))
    return sub, score_submission(sub)


def lines(card) -> dict[str, Q]:
    return {r.id: r.score for r in (*card.indicators, *card.bonus)}


def sf(x, w, b, f):
    """The 60/40 rule between basic and full."""
    return w * (Q(3, 5) + Q(2, 5) * (x - b) / (f - b))


NATIONAL = """program: national-etc-2021
profile: {company_name: 国家测试, industry_code: "39", report_year: 2020}
data:
  main_revenue: 800000        # 80亿 → tier 10–100亿: basic 2.0%, full 12.0%
  rd_expense: 24000
  rd_staff: 1200
  total_staff: 8000
  center_experts_phds: 40
  external_expert_months: 18
  valid_invention_patents: 150
  rd_projects: 120
  research_projects: 12
  equipment_value: 30000
  rd_platforms_national: 1
  rd_platforms_provincial: 0
  labs_national: 2
  patent_applications: 60
  invention_patent_applications: 30
  standards_3y: 3
  new_product_revenue: 400000
  new_product_profit: 12000
  total_profit: 40000
  national_award_projects: 2
"""


def test_national_by_hand(tmp_path: Path):
    """ensures that the national method matches SPEC §4.1 line by line (industry 39: coefficients 0.8)."""
    _, card = card_of(tmp_path, NATIONAL)
    expected = {
        "rd_per_capita": sf(Q(20), 8, 5, 120),  # 24000/1200 = 20万元
        "rd_ratio": sf(Q(3) * Q(4, 5), 12, 2, 12),  # 3.0% × 0.8 = 2.4% → 7.392
        "rd_staff_share": sf(Q(15), 7, 3, 30),  # 1200/8000 = 15%
        "experts_phds": Q(4),  # 40 ≥ 35
        "external_experts": Q(4) * Q(3, 5) * Q(18, 20),  # 18 < 20 → 4 × 0.6 × 18/20 = 2.16
        "invention_patents": Q(5),  # 150 ≥ 100
        "rd_projects": Q(4),  # 120 = full
        "research_share": sf(Q(10), 4, 3, 15),  # 12/120 = 10%
        "equipment": Q(4),  # 30000 = full
        "platforms_national": Q(3) * Q(3, 5),  # 1 = basic → 1.8
        "platforms_provincial": Q(0),  # 0 → 0
        "labs_national": Q(3),  # 2 = full
        "patent_applications": Q(5),  # 60 ≥ 50
        "invention_applications": Q(6),  # 30 = full
        "standards": sf(Q(3), 4, 1, 10),
        "new_product_revenue_share": Q(10),  # 50% × 0.8 = 40% = full
        "new_product_profit_share": sf(Q(30) * Q(4, 5), 10, 15, 30),  # 30% × 0.8 = 24% → 8.4
        "profit_margin": Q(5) * Q(3, 5),  # 5% = basic → 3
        "bonus_national_awards": Q(5),  # 2 × 5 = 10 → cap 5
    }
    assert lines(card) == expected
    assert card.total == sum(expected.values())
    assert round(float(card.total), 2) == 85.50  # 80.50 base + 5 bonus
    assert card.eligible  # ≥ 70
    assert card.reference is False


def test_national_negative_profit_and_threshold(tmp_path: Path):
    """ensures that total_profit ≤ 0 makes the profit share undefined (0, warning), below 70 is not eligible."""
    text = (
        NATIONAL.replace("total_profit: 40000", "total_profit: -500")
        .replace("new_product_profit: 12000", "new_product_profit: -100")
        .replace("national_award_projects: 2", "national_award_projects: 0")
    )
    sub, card = card_of(tmp_path, text)
    got = lines(card)
    assert got["new_product_profit_share"] == 0
    assert got["profit_margin"] == 0
    assert any(
        d.code == "answers.zero_denominator" and d.location.path == "data.total_profit"
        for d in sub.diagnostics
    )
    assert round(float(card.total), 2) == 69.10  # 85.50 − 8.4 − 3 − 5 bonus
    # below the 推荐线, which is not a limiting indicator: still eligible, not recommendable
    assert card.threshold is not None
    assert (card.threshold.title, card.threshold.passed) == ("推荐线：初评得分70分（含）以上", False)
    assert card.eligible


NATIONAL_70 = """program: national-etc-2021
profile: {company_name: 七十分, industry_code: "35", report_year: 2022}
data:
  main_revenue: 100000        # exactly 10亿: tier 10–100亿, full 12%
  rd_expense: 12000           # 120万元 per person → 8; 12% × 1 → 12
  rd_staff: 100
  total_staff: 300            # 33% → 7
  center_experts_phds: 35     # → 4
  external_expert_months: 120 # → 4
  valid_invention_patents: 100  # → 5
  rd_projects: 120            # → 4
  research_projects: 18       # 15% → 4
  equipment_value: 30000      # → 4
  rd_platforms_national: 0
  rd_platforms_provincial: 0
  labs_national: 2            # → 3
  patent_applications: 50     # → 5
  invention_patent_applications: 30  # → 6
  standards_3y: 10            # → 4
  new_product_revenue: 0
  new_product_profit: 0
  total_profit: 0             # undefined shares and margin → 0
  national_award_projects: 0
"""


def test_national_threshold_exactly_70_and_a_hair_below(tmp_path: Path):
    """ensures that exactly 70 passes ≥ 70 (inclusive) and 70 − 0.00000059 fails, with a detail
    that shows the digits that make it fail, not «70.00 未达到 ≥ 70，相差 0.00»."""
    _, card = card_of(tmp_path / "a", NATIONAL_70)
    assert card.total == 70  # 8 + 12 + 7 + 4 + 4 + 5 + 4 + 4 + 4 + 0 + 0 + 3 + 5 + 6 + 4
    assert card.threshold is not None
    assert card.threshold.passed
    # equipment 29999.99: 4 × (0.6 + 0.4 × 26999.99/27000) = 4 − 0.016/27000
    _, card = card_of(
        tmp_path / "b", NATIONAL_70.replace("equipment_value: 30000", "equipment_value: 29999.99")
    )
    assert card.total == 70 - Q(16, 1000) / 27000
    threshold = card.threshold
    assert threshold is not None
    assert (threshold.id, threshold.passed) == ("threshold", False)
    assert threshold.detail == "69.999999分，未达到70分，相差0.000001分"


def test_national_tier_boundary(tmp_path: Path):
    """ensures that main revenue of exactly 100亿 lands in the 100–500亿 tier (basic 1.5%, full 10%)."""
    text = NATIONAL.replace("main_revenue: 800000", "main_revenue: 1000000")
    _, card = card_of(tmp_path, text)
    # 24000/1000000 = 2.4% × 0.8 = 1.92% → between 1.5 and 10
    assert lines(card)["rd_ratio"] == sf(Q(192, 100), 12, Q(3, 2), 10)


def test_national_code_not_in_table_uses_other_row(tmp_path: Path):
    """ensures that a two-digit code missing from the table (05) scores with the 其他 row
    (1.5 / 1.5 / 1.0), warns once, and shows the code the answers give."""
    from docgen.outputs.objects import score_json

    sub, card = card_of(tmp_path, NATIONAL.replace('industry_code: "39"', 'industry_code: "05"'))
    got = lines(card)
    assert got["rd_ratio"] == sf(Q(3) * Q(3, 2), 12, 2, 12)  # 3.0% × 1.5 = 4.5%
    assert got["new_product_revenue_share"] == 10  # 50% × 1.5 = 75% ≥ 40
    assert got["new_product_profit_share"] == 10  # 30% × 1.0 = 30% ≥ 30
    fallback = [d for d in sub.diagnostics if d.code == "answers.industry_fallback"]
    assert len(fallback) == 1
    assert fallback[0].location.path == "profile.industry_code"
    assert "“05”" in fallback[0].message
    assert score_json(card)["industry"] == {"code": "05", "name": "其他", "fallback": True}


GANSU_ETC = """program: gansu-etc-2022
profile: {company_name: 甘肃测试, industry_code: "35", report_year: 2021}
data:
  main_revenue: 20000
  rd_expense: 500             # 2.5% exactly
  rd_staff: 40
  total_staff: 400
  center_titles_phds: 3
  valid_invention_patents: 7
  achievements_3y: 4
  equipment_value: 300
  rd_platforms_national: 0
  rd_platforms_provincial: 2
  labs_national: 1
  invention_patent_applications: 1
  utility_patent_applications: 2
  design_patent_applications: 1
  software_copyrights: 1
  new_tech_projects: 3
  new_product_revenue: 2100
  total_profit: 1000
items:
  standards:
    - {code: "GB/T 1-2021", level: national, role: lead, year: 2021}
    - {code: "JB/T 2-2020", level: industry, role: participate, year: 2020}
    - {code: "T/GS 3-2019", level: group, role: lead, year: 2019}
    - {code: "DB62/T 4-2021", level: local, role: lead, year: 2021}
    - {code: "GB/T 5-2018", level: national, role: lead, year: 2018}
  awards:
    - {name: 国家科技进步奖, project: 甲, level: national, grade: second, year: 2019}
    - {name: 甘肃省科技进步奖, project: 乙, level: provincial, grade: first, year: 2020}
    - {name: 兰州市科技进步奖, project: 丙, level: city, grade: special, year: 2021}
"""


def test_gansu_etc_by_hand(tmp_path: Path):
    """ensures that the Gansu ETC form scores whole steps, caps and level × role points (SPEC §4.3)."""
    _, card = card_of(tmp_path, GANSU_ETC)
    expected = {
        "rd_per_capita": Q(1),  # 500/40 = 12.5万 → floor(12.5/10) = 1
        "rd_ratio": Q(2),  # 2.5% = 2% + one whole 0.5% step → 1 + 1
        "rd_staff_share": Q(5),  # 10% → 1 + 9 = 10 → cap 5
        "titles_phds": Q(3),
        "invention_patents": Q(5),  # 7 → cap 5
        "achievements": Q(4),
        "equipment": Q(1),  # exactly 300万 → 1
        "platforms": Q(2),
        "labs_national": Q(1),
        "applications": Q(5),  # 1×2 + 2×1 + 1×2 + 1×0.5 = 6.5 → cap 5
        "new_tech_projects": Q(3),
        "standards": Q(
            7
        ),  # national lead 5 + industry participate 1 + group lead 1; local 0; 2018 outside 2019–2021
        "new_product_revenue_share": Q(2),  # 10.5% → 1 + 1
        "profit_margin": Q(3),  # 5% → 1 + 2
        "bonus_awards": Q(4),  # national second 1 + provincial first 3; city not counted
    }
    assert lines(card) == expected
    assert card.total == 48
    assert card.eligible
    # lines scored from items or several figures carry a value too: what they count
    values = {r.id: r.value for r in (*card.indicators, *card.bonus)}
    assert values["applications"] == 5  # 1 + 2 + 1 + 1 applications and copyrights
    assert values["standards"] == 3  # the three that score (local 0; 2018 outside the window)
    assert values["bonus_awards"] == 2  # national and provincial; the city award scores nothing


def test_gansu_etc_eligibility_edges(tmp_path: Path):
    """ensures R&D 200万 and 2% exactly are eligible, just below is not."""
    text = GANSU_ETC.replace("main_revenue: 20000", "main_revenue: 10000").replace(
        "rd_expense: 500", "rd_expense: 200"
    )
    _, card = card_of(tmp_path / "a", text)
    assert card.eligible  # 200万, 200/10000 = 2.0%
    _, card = card_of(tmp_path / "b", text.replace("rd_expense: 200", "rd_expense: 199.99"))
    assert [e.id for e in card.eligibility if not e.passed] == ["min_rd_expense", "min_rd_ratio"]
    assert lines(card)["rd_ratio"] == 0  # 1.9999% < 2%


GANSU_ITC = """program: gansu-itc-2022
profile: {company_name: 行业中心测试, industry_code: "35", report_year: 2021}
data:
  equipment_value: 1100
  fulltime_rd_staff: 60
  senior_professors: 6
  rd_expense: 300
  rd_expense_3y: 1000
  provincial_projects: 1
  bureau_projects: 3
  provincial_awards: 1
  social_awards: 1
  invention_grants: 1
  utility_grants: 2
  other_ip: 0
  periodicals: 6
  trainings: 3
  solved_problems: 4
  service_revenue: 250
  promoted_new_product_revenue: 2600
  breakthroughs: 1
  academicians: 0
  national_talents: 1
  provincial_leading_talents: 3
  assigned_tasks: 2
  national_award_projects: 0
items:
  standards:
    - {code: "DB62/T 1-2021", level: local, role: lead, year: 2021}
    - {code: "JB/T 2-2021", level: industry, role: participate, year: 2021}
ratings:
  organization: 比较完善
  management: 很完善
  planning: 基本完成
  industry_report: 良好
"""


def test_gansu_itc_by_hand(tmp_path: Path):
    """ensures ratings, brackets exactly on their lower bounds, caps and the bonus items (SPEC §4.4)."""
    _, card = card_of(tmp_path, GANSU_ITC)
    expected = {
        "organization": Q(2),
        "management": Q(3),
        "planning": Q(1),
        "equipment": Q(4),  # exactly 1100万 → 1100–1300 bracket → 4
        "fulltime_rd_staff": Q(2),  # exactly 60 → 60–70 → 2
        "senior_professors": Q(5),  # 6 → cap 5
        "rd_expense": Q(1),  # exactly 300万 → 300–400 → 1
        "rd_expense_3y": Q(1),  # exactly 1000万 → 1000–1300 → 1
        "projects": Q(4),  # 1×2 + 3×1 = 5 → cap 4
        "awards": Q(3),  # 1×2 + 1×1
        "ip": Q(5),  # invention 3 + utility 2×1
        "standards": Q(6),  # local lead 4 + industry participate 2
        "industry_report": Q(5),  # 良好
        "periodicals": Q(4),  # 6 → cap 4
        "trainings": Q(3),
        "solved_problems": Q(8),  # 4 × 2
        "service_revenue": Q(1),  # 250万 < 300 → 1
        "promoted_revenue": Q(5),  # floor(2600/500) = 5
        "bonus_breakthroughs": Q(10),
        "bonus_talents": Q(5),  # national talent 3 + 3 provincial × 1 = 6 → cap 5
        "bonus_tasks": Q(4),
        "bonus_national_award": Q(0),
    }
    assert lines(card) == expected
    assert card.base_score == 63
    assert card.bonus_score == 19


def test_gansu_itc_equipment_gap(tmp_path: Path):
    """ensures that the ITC equipment brackets keep the printed gap: 700–900万 gives 1, not 2."""
    _, card = card_of(tmp_path, GANSU_ITC.replace("equipment_value: 1100", "equipment_value: 899.99"))
    assert lines(card)["equipment"] == 1
    _, card = card_of(tmp_path / "b", GANSU_ITC.replace("equipment_value: 1100", "equipment_value: 699"))
    assert lines(card)["equipment"] == 0


GANSU_ALLIANCE = """program: gansu-alliance-2022
profile: {company_name: 联盟测试, industry_code: "35", report_year: 2021}
data:
  invention_grants_3y: 2
  utility_grants_3y: 3
  other_ip_3y: 0
  solved_problems: 2
  national_gaps_filled: 0
  promoted_new_product_revenue: 10000
  academicians: 1
  national_talents: 0
  provincial_leading_talents: 1
  promotion_events: 3
items:
  standards:
    - {code: "GB/T 1-2020", level: national, role: lead, year: 2020}
    - {code: "T/GS 2-2021", level: group, role: participate, year: 2021}
ratings:
  management: 比较完善
  planning: 基本规划
"""


def test_gansu_alliance_by_hand(tmp_path: Path):
    """ensures the alliance form, with the IP line capped at 10 as its text says (not its weight 20)."""
    _, card = card_of(tmp_path, GANSU_ALLIANCE)
    expected = {
        "management": Q(3),
        "planning": Q(2),
        "ip": Q(10),  # 2×5 + 3×2 = 16 → «累计不超过10分»
        "standards": Q(11),  # national lead 10 + group participate 1
        "problems": Q(10),  # 2 × 5
        "promoted_revenue": Q(20),  # 10000/500 = 20
        "talents": Q(5),  # academician 5 + provincial 1 = 6 → cap 5
        "promotion_events": Q(5),  # 3 × 2 = 6 → cap 5
    }
    assert lines(card) == expected
    assert card.total == 66
    ip = next(r for r in card.indicators if r.id == "ip")
    assert any("累计不超过10分" in note for note in ip.notes)


GANSU_DEMO = """program: gansu-demo-2022
profile: {company_name: 示范测试, industry_code: "35", report_year: 2021}
data:
  product_sales_revenue: 30000
  rd_expense: 600
  rd_ratio_growth: 0
  rd_staff_avg_income: 12
  staff_avg_income: 10
  rd_training_expense: 25
  center_staff_income: 1000
  external_expert_months: 10
  rd_projects: 20
  cooperation_projects: 3
  long_cycle_projects: 1
  rd_staff: 30
  total_staff: 1000
  center_experts_phds: 1
  equipment_value: 600
  labs_national: 1
  valid_invention_patents: 3
  famous_brands: 0
  new_tech_projects: 6
  patent_applications: 3
  invention_patent_applications: 1
  standards_all: 1
  new_product_revenue: 6000
  new_product_profit: 600
  product_sales_profit: 3000
  export_earnings: 0
  national_award_projects: 0
  cash_flow_surplus: 100
"""


def test_gansu_demo_by_hand(tmp_path: Path):
    """ensures «达到基本要求得权重分» with `>` and `≥` exactly as printed (SPEC §4.4)."""
    _, card = card_of(tmp_path, GANSU_DEMO)
    expected = {
        "rd_ratio": Q(15),  # 600/30000 = 2% ≥ 2 → met
        "rd_ratio_growth": Q(3),  # 0 ≥ 0 → met
        "income_ratio": Q(0),  # 12/10 = 1.2, not > 1.2
        "training_share": Q(3),  # 2.5% > 2
        "external_experts": Q(0),  # 10, not > 10
        "cooperation_share": Q(3),  # 15% > 10
        "rd_staff_share": Q(7),  # 3% > 1
        "experts_phds": Q(0),  # 1, not > 1
        "equipment": Q(5),  # 600 > 500
        "labs_national": Q(3),  # 1 ≥ 1
        "long_cycle_share": Q(4),  # 5% > 3
        "invention_patents": Q(4),  # 3 ≥ 3
        "famous_brands": Q(0),
        "new_tech_projects": Q(4),  # 6 > 5
        "patent_applications": Q(0),  # 3, not > 3
        "invention_applications": Q(3),  # 1 ≥ 1
        "standards": Q(4),  # 1 ≥ 1
        "new_product_revenue_share": Q(0),  # 20%, not > 20
        "new_product_profit_share": Q(11),  # 20% > 15
        "export_earnings": Q(0),  # 0, not > 0
        "bonus_national_awards": Q(0),
        "bonus_cash_flow": Q(3),  # 100 > 0
    }
    assert lines(card) == expected
    assert card.total == 72
    income = next(r for r in card.indicators if r.id == "income_ratio")
    assert income.met is False
    assert "未达标" in income.explanation


def test_gansu_demo_product_sales_fallback(tmp_path: Path):
    """ensures that without product_sales_revenue the main revenue is used, with a warning."""
    text = GANSU_DEMO.replace("  product_sales_revenue: 30000\n", "  main_revenue: 30000\n")
    sub, card = card_of(tmp_path, text)
    assert lines(card)["rd_ratio"] == 15
    (warning,) = [d for d in sub.diagnostics if d.code == "answers.fallback_used"]
    assert "主营业务收入" in warning.message
    assert not warning.is_error


def test_partial_scoring_marks_missing_figures_and_scores_them_zero(tmp_path: Path):
    """ensures that with --partial a missing figure scores 0 whatever its rule (the ITC service
    revenue bracket «300万以下1分» is for a stated revenue), a missing term of a summed line or a
    missing rating makes the total incomplete, and each missing input is a warning."""
    import re
    import shutil

    from tests.conftest import ROOT

    folder = shutil.copytree(ROOT / "examples" / "gansu-itc-2022", tmp_path / "itc")
    path = folder / "answers.yaml"
    full = score_submission(open_submission(folder))
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n  service_revenue: [^\n]*", "", text)
    text = re.sub(r"\n  provincial_projects: [^\n]*", "", text)
    path.write_text(text, encoding="utf-8")
    card = score_submission(open_submission(folder), partial=True)
    got, before = lines(card), lines(full)
    assert got["service_revenue"] == 0
    assert before["service_revenue"] > 0
    assert not card.complete
    assert any("service_revenue" in w for w in card.warnings)
    assert any("provincial_projects" in w for w in card.warnings)
    explanation = next(r.explanation for r in card.indicators if r.id == "service_revenue")
    assert explanation == "未填报“年服务收入”；不得分"


BASIC_CASES = {
    "rd_expense": (
        "rd_expense: 12000",
        "rd_expense: 1499.99",
        "rd_expense_min",
        "1499.99万元，未达到1500万元，相差0.01万元",
    ),
    "rd_staff": ("rd_staff: 400", "rd_staff: 149", "rd_staff_min", "149人，未达到150人，相差1人"),
    "equipment": (
        "equipment_value: 30000",
        "equipment_value: 1999",
        "equipment_min",
        "1999万元，未达到2000万元，相差1万元",
    ),
}


@pytest.mark.parametrize("case", sorted(BASIC_CASES))
def test_national_basic_conditions_of_recognition(tmp_path: Path, case: str):
    """ensures the basic conditions of 认定 (管理办法 第十条: R&D expense ≥ 1500万元, R&D staff
    ≥ 150, equipment ≥ 2000万元) are limiting indicators naming the gap, and do not apply to 评价."""
    base = NATIONAL_70.replace("rd_staff: 100", "rd_staff: 400").replace(
        "total_staff: 300", "total_staff: 1200"
    )
    _, card = card_of(tmp_path / "ok", base)
    assert [(e.id, e.passed) for e in card.eligibility] == [
        ("rd_expense_min", True),
        ("rd_staff_min", True),
        ("equipment_min", True),
    ]
    old, new, failed, detail = BASIC_CASES[case]
    text = base.replace(old, new)
    _, card = card_of(tmp_path / "low", text)
    assert [e.id for e in card.eligibility if not e.passed] == [failed]
    assert next(e.detail for e in card.eligibility if e.id == failed) == detail
    assert not card.eligible
    evaluation = text.replace("report_year: 2022}", "report_year: 2022, application_type: 评价}")
    _, card = card_of(tmp_path / "evaluation", evaluation)
    assert card.eligibility == []
    assert card.eligible

"""Issue #17 «Reports»: the 计分过程 reads as an official's, and a value near its bound prints
the digits that decide it.

The expected explanations are written by hand from the seeds' rule texts (seed 000 甘工信发〔2022〕
53号 附件2/3, seed 003 泸州市指南 加分项说明 2–4, seed 004 评价方法); every number in them is the
notice's or the example's own.
"""

from __future__ import annotations

import json
import re
import shutil
from fractions import Fraction as Q
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from docgen.app.submission import open_submission, score_submission
from docgen.cli.main import cli
from docgen.model.results import ScoreCard
from docgen.numbers import fmt, fmt_against, fmt_fixed
from docgen.rules import RuleSet
from tests.conftest import ROOT

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "answers.yaml").exists())


def _card(example: str) -> ScoreCard:
    return score_submission(open_submission(ROOT / "examples" / example))


def _line(card: ScoreCard, ident: str) -> str:
    return next(r.explanation for r in (*card.indicators, *card.bonus) if r.id == ident)


class _Ctx:
    """A rule context of a 万元 line (what the brackets and steps rules ask)."""

    weight = Q(6)
    unit = "万元"
    report_year = 2022

    def param(self, value: object) -> tuple[Q, str]:
        return Q(str(value)), ""


# -- each rule type, written as the notice writes it ---------------------------------------------

# seed 000 附件2: «1300万以上得5分,1100-1300万得4分,900-1100万得3分,700-900万得1分,700万以下得0分»
EQUIPMENT = {
    "steps": [
        {"min": 1300, "points": 5},
        {"min": 1100, "points": 4},
        {"min": 900, "points": 3},
        {"min": 700, "points": 1},
    ]
}


@pytest.mark.parametrize(
    ("x", "text", "score"),
    [
        (Q(1300), "属1300万元（含）以上档，得5分", 5),
        (Q(1100), "属1100万元（含）至1300万元档，得4分", 4),
        (Q(1299), "属1100万元（含）至1300万元档，得4分", 4),
        (Q(700), "属700万元（含）至900万元档，得1分", 1),
        (Q(650), "不足700万元，不得分", 0),
    ],
)
def test_a_banded_rule_names_its_interval(x: Q, text: str, score: int) -> None:
    """ensures a bracket reads «1100万元（含）至1300万元», «1300万元（含）以上», «不足700万元»."""
    outcome = RuleSet().types["brackets"].evaluate(x, EQUIPMENT, _Ctx())
    assert (outcome.text, outcome.score) == (text, score)


def test_a_bracket_below_the_lowest_that_still_scores_says_so() -> None:
    """ensures «300万以下1分» (年服务收入) reads «不足300万元，得1分»."""
    params = {"steps": [{"min": 1000, "points": 6}, {"min": 300, "points": 2}], "below": 1}
    outcome = RuleSet().types["brackets"].evaluate(Q(250), params, _Ctx())
    assert (outcome.text, outcome.score) == ("不足300万元，得1分", 1)


def test_the_itc_example_prints_its_bands_as_the_form_does() -> None:
    """ensures the ITC example's 本年度科技研发投入 650万元 is in «600-700万得4分»."""
    card = _card("gansu-itc-2022")
    # the ITC data table's own labels (本年度科技研发投入, 研发设备原值), not the shared ones (#17)
    assert _line(card, "rd_expense") == "本年度科技研发投入650万元；属600万元（含）至700万元档，得4分"
    assert _line(card, "equipment") == "研发设备原值1300万元；属1300万元（含）以上档，得5分"
    assert _line(card, "service_revenue") == "年服务收入820万元；属700万元（含）至900万元档，得4分"


def test_a_per_unit_bonus_with_its_cap() -> None:
    """ensures seed 003 加分项说明3 («超过基本要求的，每超过1项加2分，累计不超过5分») reads as
    such for the example's 4 applications over a basic requirement of 1."""
    card = _card("luzhou-etc-2023")
    assert _line(card, "bonus_invention_applications") == (
        "被受理的发明专利申请数4项；超过基本要求（1项）3项，每超过1项加2分，共6分，累计不超过5分，计5分"
    )


def test_a_percentage_bonus_counts_whole_points() -> None:
    """ensures «每超过1个百分点加2分» on 3.49% over 1% says 2.49个百分点, counted as 2."""
    text = _line(_card("luzhou-etc-2023"), "bonus_rd")
    assert "研发经费支出：研究与试验发展经费支出1980万元，属1000万元（含）至2000万元档，得2分" in text
    assert "评价值为3.49%，超过基本要求（1%）2.49个百分点，按2个百分点计，每超过1个百分点加2分，计4分" in text
    assert text.endswith("；取其中得分最高的一项，计4分")


def test_a_tiered_award_names_each_tier_in_full() -> None:
    """ensures seed 003 加分项说明2 (市级二等奖每项加2分，省级1项加4分，累计不超过5分) reads
    «市级二等奖1项（“…”），计2分», never «市级/二等奖»."""
    text = _line(_card("luzhou-etc-2023"), "bonus_awards")
    assert text == (
        "市级二等奖1项（“隧道凿岩台车智能钻孔定位关键技术研究及应用”），计2分；"
        "省级三等奖1项（“大断面隧道混凝土湿喷成套装备研制与产业化”），计4分；"
        "共计6分，累计不超过5分，计5分"
    )


def test_standards_read_as_led_or_joined_standards() -> None:
    """ensures a standard reads «主持行业标准1项» (the rule's term), not «行业/主持»."""
    text = _line(_card("gansu-etc-2022"), "standards")
    assert text == (
        "主持行业标准1项（“YB/T 4932-2021”），计3分；参加团体标准1项（“T/GSCS 012-2021”），计0.5分；共计3.5分"
    )


def test_a_count_below_its_minimum_reads_without_a_comparison_of_nothing() -> None:
    """ensures «拥有院士得5分» with no academician reads «0人，不得分», never «0人低于1人»; an
    option whose figure's name holds its title says the title once («拥有院士人数（含外聘）0人»,
    not «院士：拥有院士人数…»), an option of options keeps its own («院士或国家级人才：»); a
    count under a basic requirement reads «未达到基本要求（>5项），未达标»."""
    alliance = _line(_card("gansu-alliance-2022"), "talents")
    assert alliance.startswith(
        "院士或国家级人才：拥有院士人数（含外聘）0人，不得分；国家千人计划等国家级人才人数0人"
    )
    assert "0人低于1人" not in alliance
    assert alliance.endswith("。省领军人才人数2人，每人得1分，计2分。共计2分")
    demo = _line(_card("gansu-demo-2022"), "new_tech_projects")
    assert demo == (
        "当年完成的新产品新技术新工艺开发项目数（经备案）5项；未达到基本要求（>5项），未达标，不得分"
    )


def test_a_ratio_with_its_coefficient() -> None:
    """ensures the national rd ratio (4% × 行业系数0.8 = 3.2%, basic 1.5%, full 10%, weight 12)
    shows each figure with its unit and the 60/40 formula of 评价方法."""
    text = _line(_card("national-etc-2021"), "rd_ratio")
    assert text == (
        "研究与试验发展经费支出48000万元 ÷ 主营业务收入1200000万元 = 4%，乘以行业系数0.8，评价值为3.2%；"
        "达到基本要求1.5%、未达到满分要求10%，得分 = 12 × [0.6 + 0.4 × (3.2 − 1.5) ÷ (10 − 1.5)] = 8.16分"
    )


def test_floor_steps_read_as_the_form() -> None:
    """ensures «达到10%得1分，每增加0.5%，加1分，10分满分» on 15% reads with the excess in 个百分点."""
    text = _line(_card("gansu-etc-2022"), "new_product_revenue_share")
    assert text == (
        "新产品销售收入5400万元 ÷ 主营业务收入36000万元 = 15%；达到10%得1分；超出10%的部分为5个百分点，"
        "每增加0.5个百分点加1分，加10分，共11分，累计不超过10分，计10分"
    )


# -- no tool wording anywhere ---------------------------------------------------------------------

TOOL_WORDING = [
    re.compile(r"[xX]"),  # «1100万≤x‹1300万»
    re.compile(r"[≤<‹][xX]|‹"),
    re.compile("原文|默认|参考值|整数部分"),
    re.compile(
        "(国家级|省级|市级|国际|国家|行业|省级地方|团体|企业)/(特等奖|一等奖|二等奖|三等奖|主持|参加)"
    ),
]


@pytest.mark.parametrize("example", EXAMPLES)
def test_no_explanation_or_note_speaks_like_a_tool(example: str) -> None:
    """ensures no explanation, eligibility detail or note of the example contains «x», «≤x», «‹»,
    «原文», «默认», «参考值», «整数部分», «上限» or «/» between tier names, and every «本办法/本指南/
    本通知/本评价方法» names the program's own kind of document."""
    card = _card(example)
    texts = [r.explanation for r in (*card.indicators, *card.bonus)]
    texts += [e.detail for e in card.eligibility] + list(card.notes)
    texts += [n for r in (*card.indicators, *card.bonus) for n in r.notes]
    assert texts
    for text in texts[: len(card.indicators) + len(card.bonus)]:
        assert "上限" not in text, text  # a cap reads «累计不超过5分，计5分»
    for text in texts:
        for pattern in TOOL_WORDING:
            assert not pattern.search(text), (pattern.pattern, text)
        for kind in re.findall("本(办法|指南|通知|评价方法)", text):
            assert kind == card.program.document_kind, text


def test_each_program_names_its_document() -> None:
    """ensures the definitions say what each notice calls itself: the Luzhou 指南, the national
    评价方法, the Gansu 通知 — and the Luzhou note says «本指南»."""
    kinds = {example: _card(example).program.document_kind for example in EXAMPLES}
    assert kinds["luzhou-etc-2023"] == "指南"
    assert kinds["national-etc-2021"] == "评价方法"
    assert {kinds[e] for e in EXAMPLES if e.startswith("gansu-")} == {"通知"}
    notes = _card("luzhou-etc-2023").notes
    assert any(note.startswith("本指南按“整体对比计量”计分") for note in notes)


def test_a_defective_seed_is_explained_as_how_the_table_scores() -> None:
    """ensures the national bonus note states what the notice gives and how this table scores it."""
    notes = _card("national-etc-2021").notes
    assert any(
        note.startswith(
            "评价方法对该加分项只规定上限5分；本表按每个获国家自然科学奖、技术发明奖、科技进步奖的项目加5分计"
        )
        for note in notes
    )


# -- the digits that decide ------------------------------------------------------------------------


def test_just_below_a_bound_never_prints_as_the_bound() -> None:
    """ensures 1.999976 against 2 prints «1.99998», in running text and in a table column."""
    assert fmt_against(Q("1.999976"), Q(2)) == "1.99998"
    assert fmt_against(Q("1.999976"), Q(2), fixed=True) == "1.99998"
    assert fmt_against(Q("1.999976"), Q(2), places=4) == "1.99998"


def test_at_the_bound_prints_the_bound() -> None:
    """ensures a value equal to its bound prints as the bound («2.00» in a column, «2» in text)."""
    assert fmt_against(Q("2.0"), Q(2), fixed=True) == "2.00"
    assert fmt_against(Q("2.0"), Q(2)) == "2"


def test_just_above_a_bound_shows_it_is_above() -> None:
    """ensures 2.004 against 2 prints «2.004» (above), not «2.00»."""
    assert fmt_against(Q("2.004"), Q(2)) == "2.004"
    assert fmt_against(Q("2.004"), Q(2), fixed=True) == "2.004"
    assert fmt_against(Q("2.5"), Q(2), fixed=True) == "2.50"  # clearly apart: the usual 2 decimals


@pytest.mark.parametrize("op", [">=", "<="])
@pytest.mark.parametrize(
    "value",
    [Q("1.999976"), Q("1.995"), Q("1.9999999"), Q(2), Q("2.0000001"), Q("2.004"), Q(1999, 1000), Q(2, 3)],
)
def test_the_printed_value_is_on_the_same_side_of_every_bound(op: str, value: Q) -> None:
    """ensures for ≥ 2 and ≤ 2 that the comparison on the printed figure has the exact value's
    answer, also with a second bound (a bracket's upper end at 2.005)."""
    bounds = (Q(2), Q("2.005"))
    for fixed in (False, True):
        printed = Q(fmt_against(value, *bounds, fixed=fixed))
        holds = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b}[op]
        for bound in bounds:
            assert holds(printed, bound) == holds(value, bound), (value, bound, printed)
            assert (printed == bound) == (value == bound), (value, bound, printed)


def _demo_near_the_bound(tmp_path: Path) -> Path:
    """The demo example with 研发经费 999.988万元 of 产品销售收入 50000万元: 1.999976% < 2%."""
    folder = tmp_path / "demo"
    shutil.copytree(ROOT / "examples" / "gansu-demo-2022", folder)
    answers = folder / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    text = text.replace("  product_sales_revenue: 42000\n", "  product_sales_revenue: 50000\n")
    text = text.replace("  rd_expense: 1050\n", "  rd_expense: 999.988\n")
    answers.write_text(text, encoding="utf-8")
    return folder


def test_the_demo_line_just_below_its_basic_requirement(tmp_path: Path) -> None:
    """ensures the demo's 1.999976% beside 未达标 prints «1.99998%» in the explanation, the JSON
    value and the terminal table, never «2.00%» or «2%»."""
    folder = _demo_near_the_bound(tmp_path)
    card = score_submission(open_submission(folder))
    line = next(r for r in card.indicators if r.id == "rd_ratio")
    assert line.met is False
    assert line.bounds == (Q(2),)
    assert line.explanation == (
        "研究与试验发展经费支出999.988万元 ÷ 产品销售收入50000万元 = 1.99998%；"
        "未达到基本要求（≥2%），未达标，不得分"
    )
    result = CliRunner().invoke(cli, ["score", str(folder), "--json"])
    data = json.loads(result.output)
    row = next(i for i in data["indicators"] if i["id"] == "rd_ratio")
    assert (row["value"], row["evaluated_value"], row["result"]) == (1.99998, 1.99998, "未达标")
    table = CliRunner().invoke(cli, ["score", str(folder)], env={"COLUMNS": "250"})
    assert "1.99998%" in table.output
    assert "2.00%" not in table.output


def test_an_eligibility_detail_a_hair_below(tmp_path: Path) -> None:
    """ensures a limiting indicator a hair below its bound shows the digits that fail it and the
    gap in 个百分点 (Gansu ETC: 研发经费占比不低于2%)."""
    folder = tmp_path / "etc"
    shutil.copytree(ROOT / "examples" / "gansu-etc-2022", folder)
    answers = folder / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    assert "  main_revenue: 36000\n" in text
    assert "  rd_expense: 1080\n" in text
    text = text.replace("  main_revenue: 36000\n", "  main_revenue: 54000\n")
    text = text.replace("  rd_expense: 1080\n", "  rd_expense: 1079.99\n")
    answers.write_text(text, encoding="utf-8")
    card = score_submission(open_submission(folder))
    detail = next(e.detail for e in card.eligibility if e.id == "min_rd_ratio")
    assert detail == "1.99998%，未达到2%，相差0.00002个百分点"


# -- what the report prints --------------------------------------------------------------------------


def _report_texts(example: str, out: Path) -> list[str]:
    from docx import Document

    result = CliRunner().invoke(cli, ["build", str(ROOT / "examples" / example), "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document(str(out / "report.docx"))
    texts = [p.text for p in doc.paragraphs]
    texts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return texts


@pytest.mark.parametrize("example", ["luzhou-etc-2023", "gansu-demo-2022", "national-etc-2021"])
def test_the_report_prints_the_new_wording(example: str, tmp_path: Path) -> None:
    """ensures the report's 计分过程 and notes (附表2) carry no tool wording, and print the
    explanations as scored."""
    texts = _report_texts(example, tmp_path / "out")
    joined = "\n".join(texts)
    for word in ("参考值", "原文", "默认", "整数部分", "上限5分，计", "≤x", "‹"):
        assert word not in joined, word
    assert not re.search("(市级|省级|国家级|行业|团体)/(二等奖|三等奖|主持|参加)", joined)
    card = _card(example)
    for result in (*card.indicators, *card.bonus):
        assert result.explanation in texts, result.explanation


def test_the_luzhou_report_shows_the_tiered_award_and_the_cap(tmp_path: Path) -> None:
    """ensures the Luzhou 附表2 prints «市级二等奖1项…计2分» and «累计不超过5分，计5分», and its
    note says «本指南», never «本办法»."""
    joined = "\n".join(_report_texts("luzhou-etc-2023", tmp_path / "out"))
    assert "市级二等奖1项（“隧道凿岩台车智能钻孔定位关键技术研究及应用”），计2分" in joined
    assert "超过基本要求（1项）3项，每超过1项加2分，共6分，累计不超过5分，计5分" in joined
    assert "本指南按“整体对比计量”计分" in joined
    assert "本办法" not in joined


@given(
    bound=st.fractions(min_value=0, max_value=10**6, max_denominator=1000),
    offset=st.fractions(min_value=-1, max_value=1, max_denominator=10**7),
    fixed=st.booleans(),
)
def test_the_printed_value_is_on_the_side_of_its_bound(bound: Q, offset: Q, fixed: bool) -> None:
    """ensures that whatever the value and its bound, the figure fmt_against prints is below, at
    or above the bound exactly as the value is (the quick path for values far from the bound
    included)."""
    value = bound + offset
    if value == bound:  # printed as the bound is printed (1/3 beside 1/3: «0.33»)
        assert fmt_against(value, bound, fixed=fixed) == (fmt_fixed if fixed else fmt)(bound)
        return
    printed = Q(fmt_against(value, bound, fixed=fixed))
    assert (printed > bound) - (printed < bound) == (value > bound) - (value < bound)

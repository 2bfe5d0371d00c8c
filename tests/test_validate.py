"""Tests for answers validation (SPEC §3): each finding with its code, key path and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.app.submission import open_submission
from docgen.errors import AnswersError, UsageError
from tests.conftest import DATA, write_answers

BASE = """program: luzhou-etc-2023
profile:
  company_name: 测试公司
  industry_code: "35"
  report_year: 2022
data:
  main_revenue: 52000
  rd_expense: 1800
  rd_staff: 120
  total_staff: 900
  center_senior_staff: 8
  center_masters_plus: 12
  external_expert_months: 18.5
  rd_projects: 24
  research_projects: 3
  rd_platforms_national: 0
  rd_platforms_provincial: 1
  rd_platforms_city: 1
  labs_national: 1
  labs_local: 0
  equipment_value: 3200
  valid_invention_patents: 5
  patent_applications: 4
  invention_patent_applications: 3
  standards_3y: 1
  standards_3y_with_local: 2
  award_projects: 0
  new_product_revenue: 21000
  new_product_profit: 2600
  total_profit: 4800
"""


def findings(folder: Path, text: str):
    sub = open_submission(write_answers(folder, text))
    return [(d.code, d.location.path, d.location.line) for d in sub.scoring_diagnostics]


def test_clean_figures_have_no_findings(tmp_path: Path):
    """ensures that a complete, consistent data section gives no finding."""
    assert findings(tmp_path, BASE) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("rd_staff: 120", "rd_staff: -5", ("answers.negative", "data.rd_staff", 9)),
        ("rd_staff: 120", "rd_staff: 1200", ("answers.part_exceeds_whole", "data.rd_staff", 9)),
        ("rd_staff: 120", "rd_staff: 12.5", ("answers.not_integer", "data.rd_staff", 9)),
        ("rd_staff: 120", 'rd_staff: "十二"', ("answers.not_a_number", "data.rd_staff", 9)),
        ("main_revenue: 52000", 'main_revenue: "12万"', ("answers.not_a_number", "data.main_revenue", 7)),
        ("rd_expense: 1800", 'rd_expense: "2.5%"', ("answers.not_a_number", "data.rd_expense", 8)),
        ("rd_staff: 120", "rd_staff: [1, 2]", ("answers.wrong_type", "data.rd_staff", 9)),
        ("rd_staff: 120", "rd_staff: 1.0e+30", ("answers.too_large", "data.rd_staff", 9)),
        ("rd_staff: 120", "rd_staff: .nan", ("answers.not_finite", "data.rd_staff", 9)),
        (
            "external_expert_months: 18.5",
            "external_expert_months: 18.3",
            ("answers.not_half", "data.external_expert_months", 13),
        ),
        (
            "invention_patent_applications: 3",
            "invention_patent_applications: 5",
            ("answers.part_exceeds_whole", "data.invention_patent_applications", 24),
        ),
        (
            "new_product_revenue: 21000",
            "new_product_revenue: 60000",
            ("answers.part_exceeds_whole", "data.new_product_revenue", 28),
        ),
        ('industry_code: "35"', 'industry_code: "3"', ("answers.industry_code", "profile.industry_code", 4)),
        (
            'industry_code: "35"',
            "industry_code: 5",
            ("answers.industry_code_unquoted", "profile.industry_code", 4),
        ),
        ("report_year: 2022", "report_year: 22", ("answers.year", "profile.report_year", 5)),
        (
            "  equipment_value: 3200\n",
            "  equipment_valu: 3200\n",
            ("answers.unknown_key", "data.equipment_valu", 21),
        ),
        ("main_revenue: 52000", "main_revenue: 0", ("answers.zero_denominator", "data.main_revenue", 7)),
    ],
)
def test_bad_figure(tmp_path: Path, old: str, new: str, expected):
    """ensures that each SPEC §3 problem is reported with its code, key path and line."""
    assert old in BASE
    assert expected in findings(tmp_path, BASE.replace(old, new))


def test_missing_figure_names_field_and_label(tmp_path: Path):
    """ensures that a figure the form needs but the answers lack is an error naming both."""
    sub = open_submission(write_answers(tmp_path, BASE.replace("  equipment_value: 3200\n", "")))
    (finding,) = [d for d in sub.diagnostics if d.code == "answers.missing_figure"]
    assert finding.location.path == "data.equipment_value"
    assert "企业技术开发仪器设备原值" in finding.message
    assert finding.is_error


def test_award_count_without_items_warns_and_scores_zero(tmp_path: Path):
    """ensures that an award count without itemised awards is a warning naming the key and what to
    list (the bonus is scored per award level and grade), and the line explains its 0."""
    from docgen.app.submission import score_submission

    sub = open_submission(write_answers(tmp_path, BASE.replace("award_projects: 0", "award_projects: 2")))
    [warning] = [d for d in sub.scoring_diagnostics if d.code == "answers.unitemised"]
    assert (warning.location.path, warning.location.line, warning.severity.value) == (
        "data.award_projects",
        27,
        "warning",
    )
    assert "只填写了总数 2" in warning.message
    assert "items.awards" in warning.hint
    assert "奖励级别、奖励等级" in warning.hint
    card = score_submission(sub)
    [awards] = [r for r in card.bonus if r.id == "bonus_awards"]
    assert awards.score == 0
    assert awards.explanation == "未逐项列出科技奖励，无法逐项计分，不得分"


def test_unknown_key_suggests_the_right_one(tmp_path: Path):
    """ensures that a misspelt key is a warning suggesting the closest known key."""
    sub = open_submission(write_answers(tmp_path, BASE.replace("rd_projects: 24", "rd_project: 24")))
    finding = next(d for d in sub.diagnostics if d.code == "answers.unknown_key")
    assert not finding.is_error
    assert "rd_projects" in (finding.hint or "")


def test_chinese_labels_are_accepted_as_keys(tmp_path: Path):
    """ensures that data-table labels copied from the form work as keys."""
    text = BASE.replace("main_revenue: 52000", "主营业务收入: 52000").replace(
        "rd_staff: 120", "研究与试验发展人员数: 120"
    )
    sub = open_submission(write_answers(tmp_path, text))
    assert sub.answers.figures["main_revenue"] == 52000
    assert sub.answers.figures["rd_staff"] == 120
    assert sub.scoring_diagnostics == []


def test_findings_on_label_keys_name_the_canonical_key_on_the_written_line(tmp_path: Path):
    """ensures that a problem with a figure written under its Chinese label is reported at the
    canonical path (data.rd_staff) and on the line where the label is written."""
    text = BASE.replace("rd_staff: 120", "研究与试验发展人员数: 5000")  # line 9, more than total_staff
    got = findings(tmp_path / "a", text)
    assert got == [("answers.part_exceeds_whole", "data.rd_staff", 9)]
    text = BASE.replace("main_revenue: 52000", "主营业务收入: -5")  # line 7
    assert ("answers.negative", "data.main_revenue", 7) in findings(tmp_path / "b", text)


def test_figure_given_under_key_and_label_is_an_error(tmp_path: Path):
    """ensures that the same figure under its English key and its Chinese label is an error on
    the second one, not a silent choice of one value."""
    text = BASE.replace("  rd_expense: 1800\n", "  rd_expense: 1800\n  主营业务收入: 50000\n")  # line 9
    assert ("answers.figure_twice", "data.main_revenue", 9) in findings(tmp_path / "a", text)
    # the other order: the label first (line 7), the key second (line 9)
    text = BASE.replace("main_revenue: 52000", "主营业务收入: 52000").replace(
        "  rd_expense: 1800\n", "  rd_expense: 1800\n  main_revenue: 50000\n"
    )
    assert ("answers.figure_twice", "data.main_revenue", 9) in findings(tmp_path / "b", text)


@pytest.mark.parametrize("value", ["many", "[1, 2]", "true", ".nan", "-5", "12.5", "120人"])
def test_an_unreadable_figure_is_one_error_not_also_missing(tmp_path: Path, value: str):
    """ensures that a figure with a bad value gets its own error only, not also «缺少…数据»."""
    got = findings(tmp_path, BASE.replace("rd_staff: 120", f"rd_staff: {value}"))
    assert [path for _, path, _ in got] == ["data.rd_staff"], got
    assert [line for _, _, line in got] == [9]


def test_derived_count_disagreeing_with_scalar_is_an_error(tmp_path: Path):
    """ensures that items and a scalar that disagree are an error naming both figures."""
    text = (
        BASE
        + """items:
  patent_applications:
    - {number: "202210000001.X", type: invention, filed: 2022-03-01}
    - {number: "202110000002.X", type: invention, filed: 2021-03-01}
"""
    )
    sub = open_submission(write_answers(tmp_path, text))
    mismatch = [d for d in sub.diagnostics if d.code == "answers.derived_mismatch"]
    assert {d.location.path for d in mismatch} == {
        "data.patent_applications",
        "data.invention_patent_applications",
    }
    assert "填写为 4" in mismatch[0].message
    assert "统计为 1" in mismatch[0].message
    window = [d for d in sub.diagnostics if d.code == "answers.item_outside_window"]
    assert window[0].location.path == "items.patent_applications[1]"
    assert window[0].location.line == 34
    assert "2021年" in window[0].message


def test_item_aliases_and_bad_choice(tmp_path: Path):
    """ensures that Chinese aliases are accepted and an unknown level is an error on its line."""
    text = (
        BASE.replace("  standards_3y: 1\n  standards_3y_with_local: 2\n", "")
        + """items:
  standards:
    - {code: "GB/T 1-2021", level: 国家标准, role: 主持, year: 2021}
    - {code: "X-1", level: 世界, role: lead, year: 2021}
"""
    )
    sub = open_submission(write_answers(tmp_path, text))
    assert sub.answers.items["standards"][0].values["level"] == "national"
    bad = next(d for d in sub.diagnostics if d.code == "answers.choice")
    assert (bad.location.path, bad.location.line) == ("items.standards[1].level", 32)


def test_program_errors(tmp_path: Path):
    """ensures that an unknown program is an input error and an unknown --program a usage error."""
    with pytest.raises(AnswersError) as info:
        open_submission(write_answers(tmp_path, BASE.replace("luzhou-etc-2023", "nowhere-2023")))
    assert info.value.diagnostics[0].code == "answers.program_unknown"
    with pytest.raises(UsageError):
        open_submission(tmp_path, program_id="nowhere-2023")


def test_numbers_typed_as_text(tmp_path: Path):
    """ensures full-width digits and thousands separators are read, with a warning saying what was read."""
    text = BASE.replace("main_revenue: 52000", 'main_revenue: "５２，０００"').replace(
        "rd_expense: 1800", 'rd_expense: "1,800.5"'
    )
    sub = open_submission(write_answers(tmp_path, text))
    assert sub.answers.figures["main_revenue"] == 52000
    assert str(sub.answers.figures["rd_expense"]) == "3601/2"
    notes = [d for d in sub.diagnostics if d.code == "answers.number_text"]
    assert [d.location.path for d in notes] == ["data.main_revenue", "data.rd_expense"]
    assert "已按 52000 读取" in notes[0].message
    assert not any(d.is_error for d in sub.scoring_diagnostics)


@pytest.mark.parametrize(
    "year_line", ["", "  report_year: 0\n", "  report_year: 2022-12-31\n", "  report_year: 二〇二二\n"]
)
def test_missing_or_bad_report_year_is_one_diagnostic(tmp_path: Path, year_line: str):
    """ensures that a missing or invalid report year (with a lab whose validity needs it) is a
    diagnostic on profile.report_year, not a crash, and no window warning buries it."""
    text = (
        BASE.replace("  report_year: 2022\n", year_line)
        + """items:
  labs:
    - {name: 检测中心, level: national, accreditation: CNAS, valid_until: 2024-05-01}
  patent_applications:
    - {number: "202210000001.X", type: invention, filed: 2022-03-01}
"""
    )
    text = text.replace("  labs_national: 1\n", "").replace("  patent_applications: 4\n", "")
    text = text.replace("  invention_patent_applications: 3\n", "")
    sub = open_submission(write_answers(tmp_path, text))
    codes = [(d.code, d.location.path) for d in sub.diagnostics]
    assert any(path == "profile.report_year" for _, path in codes), codes
    assert not [c for c, _ in codes if c.startswith("answers.item_")], codes
    assert not [c for c, _ in codes if c in ("answers.derived_mismatch", "answers.missing_figure")], codes


def test_items_after_the_report_year_are_left_out_with_a_warning(tmp_path: Path):
    """ensures that a national award of a later year adds no bonus (national form: no lower limit)
    and is named in a warning; an undated one counts."""
    from docgen.app.submission import score_submission

    text = """program: national-etc-2021
profile: {company_name: 测试, industry_code: "35", report_year: 2020}
data: {main_revenue: 100000, rd_expense: 2000, rd_staff: 400, total_staff: 4000, center_experts_phds: 5,
  external_expert_months: 20, valid_invention_patents: 5, rd_projects: 10, research_projects: 1,
  equipment_value: 3000, rd_platforms_national: 1, rd_platforms_provincial: 1, labs_national: 1,
  patent_applications: 10, invention_patent_applications: 5, standards_3y: 1, new_product_revenue: 20000,
  new_product_profit: 150, total_profit: 1000}
items:
  awards:
    - {name: 国家科技进步奖, project: 甲, level: national, grade: second, year: 2023}
"""
    sub = open_submission(write_answers(tmp_path / "late", text))
    [late] = [d for d in sub.diagnostics if d.code == "answers.item_after_report_year"]
    assert late.location.path == "items.awards[0]"
    assert "（2023年）晚于报告年度 2020 年" in late.message
    assert score_submission(sub).bonus_score == 0
    sub = open_submission(write_answers(tmp_path / "ok", text.replace("year: 2023", "year: 2019")))
    assert score_submission(sub).bonus_score == 5


def test_item_line_window_warns_about_left_out_standards(tmp_path: Path):
    """ensures that a line scoring standards by level within 近三年 (Gansu ITC) names a standard
    it leaves out, as the derived counts do."""
    import shutil

    from tests.conftest import ROOT

    folder = shutil.copytree(ROOT / "examples" / "gansu-itc-2022", tmp_path / "itc")
    path = folder / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  standards:\n" in text
    text = text.replace(
        "  standards:\n",
        '  standards:\n  - {name: 旧标准, code: "JB/T 1-2015", level: industry, role: lead, year: 2015}\n',
        1,
    )
    path.write_text(text, encoding="utf-8")
    sub = open_submission(folder)
    old = [
        d for d in sub.diagnostics if d.code == "answers.item_outside_window" and "JB/T 1-2015" in d.message
    ]
    assert len(old) == 1
    assert old[0].location.path == "items.standards[0]"


def test_evidence_section_keys_and_counts(tmp_path: Path):
    """ensures that an evidence key the checklist does not know is a warning with a suggestion
    (the file is kept, listed under 其他材料),
    and a negative or non-numeric {file, count} count is an error naming the document and unit."""
    text = (
        BASE
        + """evidence:
  comitment_letter: evidence/承诺书.pdf
  external_experts: [{file: evidence/a.pdf, count: -1}, {file: evidence/b.pdf, count: lots}]
"""
    )
    sub = open_submission(write_answers(tmp_path, text))
    by_code = {}
    for d in sub.diagnostics:
        by_code.setdefault(d.code, []).append(d)
    [unknown] = by_code["answers.unknown_document"]
    assert (unknown.location.path, unknown.location.line) == ("evidence.comitment_letter", 32)
    assert "commitment_letter" in unknown.hint
    assert "将列入“其他材料”" in unknown.message  # read all the same, never dropped silently
    counts = by_code["answers.evidence_count"]
    assert [d.location.path for d in counts] == [
        "evidence.external_experts[0].count",
        "evidence.external_experts[1].count",
    ]
    assert all(d.is_error for d in counts)
    assert "“外部专家聘用协议或工作证明”第 1 份材料" in counts[0].message
    assert "单位：人月" in counts[0].message
    assert "“lots”" in counts[1].message


def test_two_answers_files_are_an_error(tmp_path: Path):
    """ensures that answers.yaml beside answers.json is an error naming both (SPEC §9: exactly
    one answers file)."""
    folder = write_answers(tmp_path, BASE)
    (folder / "answers.json").write_text("{}", encoding="utf-8")
    with pytest.raises(AnswersError) as caught:
        open_submission(folder)
    [two] = caught.value.diagnostics
    assert two.code == "answers.two_files"
    assert two.is_error
    assert "answers.yaml 和 answers.json，只能有一份答卷" in two.message


@pytest.mark.parametrize(
    ("old", "new", "code", "words"),
    [
        ("  report_year: 2022\n", "  report_year: 2022\n  ownership: no\n", "answers.bool_as_text", "加引号"),
        (
            "  report_year: 2022\n",
            "  report_year: 2022\n  subsidiaries: -3\n",
            "answers.negative",
            "不能为负数",
        ),
        ('industry_code: "35"', "industry_code: 07", "answers.industry_code_unquoted", '"07"'),
    ],
)
def test_profile_values_get_the_message_that_fits(tmp_path: Path, old: str, new: str, code: str, words: str):
    """ensures an unquoted no (read as false), a negative count and an unquoted 07 each get a
    message that says what is wrong and what to write."""
    sub = open_submission(write_answers(tmp_path, BASE.replace(old, new)))
    [finding] = [d for d in sub.diagnostics if d.code == code]
    assert finding.location.path.startswith("profile.")
    assert words in finding.message + (finding.hint or "")


def test_empty_answers_file_says_so(tmp_path: Path):
    """ensures an empty (or comment-only) answers file is reported as empty, not as a missing program."""
    with pytest.raises(AnswersError) as raised:
        open_submission(write_answers(tmp_path, "# 待填写\n"))
    assert [d.code for d in raised.value.diagnostics] == ["answers.empty"]


def test_narrative_keyed_by_title_suggests_the_id(tmp_path: Path):
    """ensures a narrative section keyed by its title or «1.1 标题» suggests the section id."""
    text = BASE + 'narrative:\n  企业基本情况: 正文。\n  "1.2 企业的行业地位和竞争力": 正文。\n'
    sub = open_submission(write_answers(tmp_path, text))
    unknown = {d.location.path: d.hint for d in sub.diagnostics if d.code == "narrative.unknown_section"}
    assert "是否应为“1.1”？" in unknown["narrative.企业基本情况"]
    assert "是否应为“1.2”？" in unknown["narrative.1.2 企业的行业地位和竞争力"]


def test_a_standard_listed_twice_counts_once(tmp_path: Path):
    """ensures a repeated standard code (written differently) is a warning and counts once, while
    one project with two awards is legitimate (awards may repeat their project)."""
    text = (
        BASE.replace("  standards_3y: 1\n  standards_3y_with_local: 2\n", "")
        + """items:
  standards:
    - {code: "GB/T 1-2021", level: national, role: lead, year: 2021}
    - {code: "GB/T 1—2021", level: national, role: lead, year: 2021}
  awards:
    - {name: 市科技进步奖, project: 甲, level: city, grade: first, year: 2022}
    - {name: 省科技进步奖, project: 甲, level: provincial, grade: second, year: 2022}
"""
    )
    text = text.replace("  award_projects: 0\n", "")
    sub = open_submission(write_answers(tmp_path, text))
    [repeat] = [d for d in sub.diagnostics if d.code == "answers.duplicate_item"]
    assert repeat.location.path == "items.standards[1]"
    assert "第 1 项和第 2 项" in repeat.message
    assert sub.answers.figures["standards_3y"] == 1
    assert sub.answers.figures["award_projects"] == 1
    assert len(sub.answers.items["awards"]) == 2


def test_a_repeat_outside_the_window_does_not_hide_the_one_inside(tmp_path: Path):
    """ensures that when a standard is listed twice and the first listing falls outside 近三年, the
    one inside still counts and scores (Gansu ETC scores standards item by item)."""
    import shutil

    from docgen.app.submission import score_submission
    from tests.conftest import ROOT

    folder = shutil.copytree(ROOT / "examples" / "gansu-etc-2022", tmp_path / "etc")
    before = score_submission(open_submission(folder))
    path = folder / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    code = re.search(r"code: (.+?-20\d\d)\n", text).group(1).strip('"')
    text = text.replace(
        "  standards:\n",
        f'  standards:\n  - {{code: "{code}", level: national, role: lead, year: 2010}}\n',
        1,
    )
    path.write_text(text, encoding="utf-8")
    sub = open_submission(folder)
    assert [d.code for d in sub.diagnostics if d.code == "answers.duplicate_item"] == [
        "answers.duplicate_item"
    ]
    after = score_submission(sub)
    assert after.total == before.total


@pytest.mark.parametrize(
    ("old", "new", "code", "path", "words"),
    [
        (
            "new_product_profit: 2600",
            "new_product_profit: 5000",
            "answers.implausible",
            "data.new_product_profit",
            ("5000", "4800"),
        ),
        (
            "total_profit: 4800",
            "total_profit: 60000",
            "answers.implausible",
            "data.total_profit",
            ("60000", "52000"),
        ),
        (
            "rd_expense: 1800",
            "rd_expense: 53000",
            "answers.implausible",
            "data.rd_expense",
            ("53000", "52000"),
        ),
    ],
    ids=["new-product-profit-above-total", "margin-above-100", "rd-ratio-above-100"],
)
def test_implausible_figures_warn_with_both_figures(tmp_path: Path, old, new, code, path, words):
    """ensures that a figure above one it seldom exceeds (usually_below in fields.yaml) is a
    warning naming both figures: new-product profit above total profit, a profit margin or an R&D
    ratio above 100%."""
    text = (DATA / "luzhou-basic" / "answers.yaml").read_text(encoding="utf-8").replace(old, new)
    assert text != (DATA / "luzhou-basic" / "answers.yaml").read_text(encoding="utf-8")
    sub = open_submission(write_answers(tmp_path, text))
    [found] = [d for d in sub.diagnostics if d.code == code]
    assert (found.location.path, found.severity.value) == (path, "warning")
    assert all(w in found.message for w in words)


def test_this_years_rd_expense_within_the_three_year_total(tmp_path: Path):
    """ensures that the Gansu ITC form's 本年度科技研发投入 above 近三年累计科技研发投入 is an error
    naming both (the year is part of the three)."""
    from tests.conftest import ROOT

    text = (ROOT / "examples" / "gansu-itc-2022" / "answers.yaml").read_text(encoding="utf-8")
    import re

    text = re.sub(r"(\n  rd_expense_3y: )\d+", r"\g<1>100", text, count=1)
    folder = tmp_path / "itc"
    folder.mkdir()
    (folder / "answers.yaml").write_text(text, encoding="utf-8")
    sub = open_submission(folder)
    [found] = [d for d in sub.diagnostics if d.code == "answers.part_exceeds_whole"]
    assert found.location.path == "data.rd_expense"
    assert "近三年累计科技研发投入" in found.message
    assert "（100）" in found.message

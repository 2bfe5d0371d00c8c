"""The shipped examples: every program's example checks clean, scores, and its total adds up."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.app.submission import open_submission, score_submission
from docgen.cli.main import cli
from docgen.definitions.load import load_catalog

ROOT = Path(__file__).parent.parent
PROGRAMS = [
    "luzhou-etc-2023",
    "national-etc-2021",
    "gansu-etc-2022",
    "gansu-itc-2022",
    "gansu-alliance-2022",
    "gansu-demo-2022",
]


@pytest.mark.parametrize("program", PROGRAMS)
def test_example_checks_and_scores(program: str):
    """ensures each example has no error, one deliberately missing document, and a total = sum of its lines."""
    folder = ROOT / "examples" / program
    result = CliRunner().invoke(cli, ["check", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["diagnostics"]
    assert [d["code"] for d in findings] == ["evidence.missing_file"]
    card = score_submission(open_submission(folder))
    assert card.program.id == program
    assert card.total == sum((r.score for r in (*card.indicators, *card.bonus)), Fraction(0))
    assert all(r.explanation for r in (*card.indicators, *card.bonus))
    assert card.eligible


def test_example_boundaries_land_right():
    """ensures the boundary cases built into the examples: 3.0% exactly, 1300万 exactly, 5 not > 5."""
    gansu = {
        r.id: r for r in score_submission(open_submission(ROOT / "examples" / "gansu-etc-2022")).indicators
    }
    assert gansu["rd_ratio"].value == 3  # 1080/36000 = 3.0% exactly
    assert gansu["rd_ratio"].score == 3  # 1 at 2% + two whole 0.5% steps
    itc = {
        r.id: r for r in score_submission(open_submission(ROOT / "examples" / "gansu-itc-2022")).indicators
    }
    assert itc["equipment"].score == 5  # exactly 1300万 → the top bracket
    demo = {
        r.id: r for r in score_submission(open_submission(ROOT / "examples" / "gansu-demo-2022")).indicators
    }
    assert demo["new_tech_projects"].met is False  # 5 is not > 5


REPORT_TITLES = {
    "luzhou-etc-2023": "泸州市企业技术中心申请报告",
    "national-etc-2021": "国家企业技术中心申请报告",
    "gansu-etc-2022": "甘肃省企业技术中心申请报告",
    "gansu-itc-2022": "甘肃省行业技术中心申请报告",
    "gansu-alliance-2022": "甘肃省产业技术创新联盟申报材料",  # the notice's word (report_names)
    "gansu-demo-2022": "甘肃省技术创新示范企业申请报告",
}


@pytest.mark.parametrize("program", PROGRAMS)
def test_example_report_has_its_own_title_and_no_reading_notes(program: str, tmp_path: Path):
    """ensures that a program borrowing the Luzhou outline still gets its own report title (cover,
    body, document properties), and that notes about how docgen reads the notice stay out of the
    report while the JSON keeps every note."""
    from docx import Document

    result = CliRunner().invoke(cli, ["build", str(ROOT / "examples" / program), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    doc = Document(tmp_path / "report.docx")
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert titles[0] == REPORT_TITLES[program]  # the cover
    assert REPORT_TITLES[program] in titles[2:]  # the body, after 目录
    assert doc.core_properties.title == REPORT_TITLES[program]
    cover = [p.text for p in doc.paragraphs[: [p.text for p in doc.paragraphs].index(titles[0]) + 1]]
    assert [t for t in cover if t.strip()] == [REPORT_TITLES[program]]  # nothing repeated above it
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "泸州市指南" not in text
    card = score_submission(open_submission(ROOT / "examples" / program))
    borrowed = card.program.notes.get("outline-borrowed")
    if program != "luzhou-etc-2023":
        assert borrowed is not None
        assert not borrowed.in_report
        assert borrowed.text in json.loads((tmp_path / "score.json").read_text(encoding="utf-8"))["notes"]


def test_report_of_a_program_without_limiting_indicators(tmp_path: Path):
    """ensures a program without limiting indicators (Gansu ITC) says so under 附表3 with no empty
    table, and its missing-evidence report says nothing about them; Luzhou's says 参考分."""
    from docx import Document

    result = CliRunner().invoke(
        cli, ["build", str(ROOT / "examples" / "gansu-itc-2022"), "-o", str(tmp_path / "itc")]
    )
    assert result.exit_code == 0, result.output
    doc = Document(tmp_path / "itc" / "report.docx")
    texts = [p.text for p in doc.paragraphs]
    assert "本通知未设限定性指标。" in texts
    assert not [t for t in doc.tables if t.rows[0].cells[0].text == "限定性指标"]
    missing = (tmp_path / "itc" / "missing-evidence.md").read_text(encoding="utf-8")
    assert "限定性指标" not in missing.split("## 二")[0]
    result = CliRunner().invoke(
        cli, ["build", str(ROOT / "examples" / "luzhou-etc-2023"), "-o", str(tmp_path / "lz")]
    )
    assert "按申报数据计算的自评分（参考分）为88.52分" in (tmp_path / "lz" / "missing-evidence.md").read_text(
        encoding="utf-8"
    )


def test_rounding_difference_is_explained_only_when_there_is_one(tmp_path: Path):
    """ensures the score summary explains a total that differs from the sum of the printed line
    scores (national: lines print to 91.14, the unrounded total is 91.13), and says nothing when
    they agree (Luzhou 88.52)."""
    from docx import Document

    def summary(program: str) -> str:
        out = tmp_path / program
        assert (
            CliRunner().invoke(cli, ["build", str(ROOT / "examples" / program), "-o", str(out)]).exit_code
            == 0
        )
        return next(
            p.text for p in Document(out / "report.docx").paragraphs if p.text.startswith("按证明材料核定")
        )

    national = summary("national-etc-2021")
    card = score_submission(open_submission(ROOT / "examples" / "national-etc-2021"))
    printed = sum(round(float(r.score), 2) for r in (*card.indicators, *card.bonus))
    assert f"合计为{printed:.2f}分" in national
    assert f"总分{float(card.total):.2f}分按未舍入" in national
    assert "舍入" not in summary("luzhou-etc-2023")


def test_the_alliance_example_has_a_narrative_of_its_own():
    """ensures the alliance example speaks of its alliance and lead unit, in its own outline's
    sections, sharing no text (and none of the ITC example's company figures) with the ITC
    example (#16, #17)."""
    import yaml

    def sections(name: str) -> dict[str, str]:
        text = (Path(__file__).parent.parent / "examples" / name / "answers.yaml").read_text(encoding="utf-8")
        return yaml.safe_load(text)["narrative"]

    alliance, itc = sections("gansu-alliance-2022"), sections("gansu-itc-2022")
    outline = load_catalog().outlines["gansu-alliance-application"]
    assert sorted(alliance) == sorted(s.id for s in outline.sections)
    assert not set(alliance.values()) & set(itc.values())
    assert "联盟" in alliance["1.1"]
    assert "甘肃陇药科技集团有限公司" in alliance["1.1"]
    for figure in ("职工总数310人", "1.2亿元", "1860万元"):  # the institute's figures the ITC text quotes
        assert figure not in alliance["1.1"]

"""CLI tests through click's CliRunner: exit codes, JSON contracts, messages."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from docgen.cli.main import cli
from tests.conftest import ROOT, write_answers


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_programs_lists_luzhou():
    """ensures that `docgen programs --json` lists the defined programs with their meta."""
    result = run("programs", "--json")
    assert result.exit_code == 0
    rows = {row["id"]: row for row in json.loads(result.output)}
    assert rows["luzhou-etc-2023"]["seed"] == "003"
    assert rows["luzhou-etc-2023"]["kind"] == "认定/评价"


def test_score_json_contract(luzhou_basic: Path):
    """ensures that `docgen score --json` prints the SPEC §8 object."""
    result = run("score", luzhou_basic / "answers.yaml", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {
        "program",
        "company",
        "report_year",
        "reference",
        "eligible",
        "eligibility",
        "base_score",
        "bonus_score",
        "total",
        "indicators",
        "warnings",
    } <= set(data)
    assert data["program"] == "luzhou-etc-2023"
    assert data["reference"] is True
    assert data["total"] == 87.58
    assert data["bonus_score"] == 13
    # scores are JSON floats even when whole (SPEC §8 writes "bonus_score": 3.0); weights stay ints
    assert isinstance(data["bonus_score"], float)
    assert all(isinstance(i["score"], float) for i in data["indicators"])
    first = data["indicators"][0]
    assert first["group"] == ["创新投入", "创新经费"]
    assert first["score"] == 5.13
    assert first["weight"] == 8
    assert round(sum(i["score"] for i in data["indicators"]), 1) == round(data["total"], 1)
    assert any("2019" in w for w in data["warnings"])


def test_score_with_errors_exits_1_without_traceback(luzhou_basic: Path):
    """ensures that an input error exits 1 with the diagnostic (file, line, key) on stderr."""
    path = luzhou_basic / "answers.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("rd_staff: 120", "rd_staff: 1200"), encoding="utf-8"
    )
    result = run("score", path)
    assert result.exit_code == 1
    assert "answers.yaml:11: error answers.part_exceeds_whole data.rd_staff" in result.output
    assert "Traceback" not in result.output


def test_check_json_lists_narrative_and_evidence(luzhou_basic: Path):
    """ensures that `docgen check --json` covers missing narrative sections and evidence, exit 1."""
    result = run("check", luzhou_basic, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False
    paths = {(d["code"], d["path"]) for d in data["diagnostics"]}
    assert ("narrative.missing", "narrative.1.1") in paths
    assert ("evidence.required_missing", "evidence.commitment_letter") in paths
    severities = {d["code"]: d["severity"] for d in data["diagnostics"]}
    assert severities["evidence.required_missing"] == "warning"
    # every diagnostic carries the SPEC §8 keys, and its line is a number (file-level ones: 1)
    for d in data["diagnostics"]:
        assert {"severity", "code", "path", "file", "line", "message"} <= set(d), d
        assert isinstance(d["line"], int), d


def test_check_json_without_program_gives_a_line(tmp_path: Path):
    """ensures that an answers file naming no program is one error on line 1, path «program»."""
    write_answers(tmp_path, "profile: {company_name: 甲}\n")
    result = run("check", tmp_path, "--json")
    assert result.exit_code == 1
    [d] = json.loads(result.output)["diagnostics"]
    assert (d["code"], d["path"], d["line"]) == ("answers.program_missing", "program", 1)


def test_unparseable_answers_exit_1(tmp_path: Path):
    """ensures that a YAML syntax error exits 1 naming the line."""
    write_answers(tmp_path, "program: luzhou-etc-2023\ndata:\n  a: [1, 2\n")
    result = run("score", tmp_path)
    assert result.exit_code == 1
    assert "yaml.syntax" in result.output
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(tmp_path: Path, luzhou_basic: Path):
    """ensures that a missing folder, an unknown --program and an output inside the input exit 2."""
    assert run("score", tmp_path / "nothing").exit_code == 2
    assert run("score", luzhou_basic, "--program", "nowhere").exit_code == 2
    assert run("init", "nowhere", tmp_path / "x").exit_code == 2
    assert run("build", luzhou_basic, "-o", luzhou_basic / "out").exit_code == 2
    assert not (luzhou_basic / "out").exists()


def test_init_writes_a_skeleton_that_loads(tmp_path: Path):
    """ensures that `docgen init` writes a commented skeleton that parses and never overwrites."""
    target = tmp_path / "new"
    result = run("init", "luzhou-etc-2023", target)
    assert result.exit_code == 0, result.output
    text = (target / "answers.yaml").read_text(encoding="utf-8")
    assert "main_revenue: 0   # 主营业务收入（万元）" in text
    assert '"1.1": |   # 企业基本情况' in text
    assert "所有制性质" in text
    assert "指报告年度内企业确认的销售商品" in text
    check = run("check", target, "--json")
    codes = {d["code"] for d in json.loads(check.output)["diagnostics"]}
    assert "yaml.syntax" not in codes
    assert "answers.required" in codes
    again = run("init", "luzhou-etc-2023", target)
    assert again.exit_code == 1
    assert "已存在" in again.output


def test_example_checks_clean_but_for_the_missing_statement(example: Path):
    """ensures that the shipped example has no error and one warning: the missing 现金流量表."""
    result = run("check", example, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ok"] is True
    assert [(d["code"], d["path"]) for d in data["diagnostics"]] == [
        ("evidence.missing_file", "evidence.cash_flow_statement")
    ]
    assert data["diagnostics"][0]["line"] is not None


def test_evidence_json_contract(example: Path):
    """ensures that `docgen evidence --json` prints documents, shortfalls and both totals."""
    result = run("evidence", example, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"documents", "shortfalls", "claimed_total", "evidenced_total"}
    statuses = {d["key"]: d["status"] for d in data["documents"]}
    assert statuses["cash_flow_statement"] == "missing"
    assert statuses["commitment_letter"] == "ok"
    assert all(set(d) >= {"key", "file", "status", "pages"} for d in data["documents"])
    assert data["shortfalls"] == []
    assert data["claimed_total"] == data["evidenced_total"]


def test_bundle_command(example: Path, tmp_path: Path):
    """ensures that `docgen bundle` writes the bookmarked PDF to the given file."""
    from pypdf import PdfReader

    target = tmp_path / "b.pdf"
    result = run("bundle", example, "-o", target)
    assert result.exit_code == 0, result.output
    pdfs = sorted((example / "evidence").glob("*.pdf"))  # the missing statement is not among them
    # the cover, one contents page, every evidence page; none for the missing 现金流量表 («（缺）»)
    assert len(PdfReader(target).pages) == 2 + sum(len(PdfReader(p).pages) for p in pdfs)
    assert len(pdfs) == 24


def test_work_summary_for_evaluation(luzhou_basic: Path, tmp_path: Path):
    """ensures that 评价 renders the work summary (附件2) with its five items as headings."""
    path = luzhou_basic / "answers.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  report_year: 2022\n", "  report_year: 2022\n  application_type: 评价\n"
    )
    text += "narrative:\n" + "".join(f'  "{i}": |\n    第{i}项工作总结正文。\n' for i in range(1, 6))
    path.write_text(text, encoding="utf-8")
    result = run("build", luzhou_basic, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    from docx import Document

    doc = Document(tmp_path / "out" / "report.docx")
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert titles[0] == "泸州市企业技术中心工作总结"
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1[:5] == [
        "一、行业创新趋势和企业地位",
        "二、企业技术创新体系建设情况",
        "三、企业技术创新活动开展情况",
        "四、企业技术中心取得的主要创新成果",
        "五、其他有特色的工作情况",
    ]
    assert "第3项工作总结正文。" in [p.text for p in doc.paragraphs]


def test_build_line_judges_the_threshold_on_the_evidenced_score(tmp_path: Path) -> None:
    """ensures that the line `docgen build` prints judges the 推荐线 on the 核定分, as the report's
    附表3 does (the national example claims 91.13 but proves 40.49: it does not reach 70)."""
    result = CliRunner().invoke(
        cli, ["build", str(ROOT / "examples" / "national-etc-2021"), "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert "自评分 91.13，核定分 40.49" in first
    assert first.endswith("核定分未达到推荐线 70 分")

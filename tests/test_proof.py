"""Ensures that every scored figure needs proof (SPEC §6): without evidence nothing is evidenced
but what a value of 0 earns, a bare count is 核减, and `check` never calls an incomplete
submission complete."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.app.submission import check_and_assess, evaluate_submission, open_submission
from docgen.cli.main import cli
from tests.conftest import ROOT

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "answers.yaml").is_file())

# lines whose rule gives points to an evidenced value of 0, by the notices' own text:
# Gansu demo «企业研发经费支出比例比上次评价增长 … 基本要求 ≥ 0» (weight 3, met by 0);
# Gansu ITC «年服务收入 … 300万以下1分».
ZERO_EARNS = {
    "gansu-demo-2022": {"rd_ratio_growth": Fraction(3)},
    "gansu-itc-2022": {"service_revenue": Fraction(1)},
}


def _without_evidence(example: str, tmp_path: Path) -> Path:
    folder = tmp_path / example
    shutil.copytree(ROOT / "examples" / example, folder)
    shutil.rmtree(folder / "evidence")
    return folder


@pytest.mark.parametrize("example", EXAMPLES)
def test_without_evidence_only_what_zero_earns_is_evidenced(example: str, tmp_path: Path) -> None:
    """ensures that with the evidence folder removed every line scores what a value of 0 earns
    (nothing, except the lines named in ZERO_EARNS) and the submission is not complete."""
    sub = open_submission(_without_evidence(example, tmp_path))
    evaluation = evaluate_submission(sub)
    kept = {r.id: r.score for r in (*evaluation.evidenced.indicators, *evaluation.evidenced.bonus) if r.score}
    assert kept == ZERO_EARNS.get(example, {})
    assert evaluation.evidenced.total == sum(kept.values(), Fraction(0))
    _, completeness = check_and_assess(sub)
    assert not completeness.complete
    assert completeness.missing_documents  # the required statements and letters
    assert len(completeness.unproved_lines) >= 5


def test_a_bare_count_is_reduced_to_what_its_items_prove(tmp_path: Path) -> None:
    """ensures that the national example's 有效发明专利 (160), given as a number without one
    certificate, is evidenced as 0 and named in the shortfalls with its score effect: the line
    scores its full weight 5 claimed (160 ≥ 100) and 0 evidenced."""
    result = CliRunner().invoke(cli, ["evidence", str(ROOT / "examples" / "national-etc-2021"), "--json"])
    assert result.exit_code == 0, result.output
    shortfalls = {s["indicator"]: s for s in json.loads(result.output)["shortfalls"]}
    patents = shortfalls["invention_patents"]
    assert (patents["claimed"], patents["evidenced"]) == (160, 0)
    assert (patents["claimed_score"], patents["evidenced_score"], patents["score_effect"]) == (5.0, 0.0, -5.0)


def test_check_says_what_is_missing_and_never_complete_too_early(tmp_path: Path) -> None:
    """ensures the two verdicts of `check`: ok (no error) and complete (false while a required
    document is missing or a scored figure unproved), in the JSON and in the closing line."""
    folder = _without_evidence("luzhou-etc-2023", tmp_path)
    result = CliRunner().invoke(cli, ["check", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["ok"], data["complete"]) == (True, False)
    assert "企业对报送资料的真实性、完整性承诺书" in data["missing_documents"]
    assert "研发人员人均研发经费支出" in data["unproved_lines"]
    result = CliRunner().invoke(cli, ["check", str(folder)])
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("答卷无错误")
    assert (
        f"材料不完整：缺必需材料 {len(data['missing_documents'])} 项，无证明的指标 {len(data['unproved_lines'])} 项"
        in last
    )
    assert "通过" not in result.output


def test_a_rating_without_its_document_is_not_evidenced(tmp_path: Path) -> None:
    """ensures that a Gansu ITC self-rating (组织机构建设 很完善 → 3) without its document
    (组织机构设置及技术专家委员会文件) scores 0 evidenced, while the claimed line keeps 3."""
    folder = tmp_path / "itc"
    shutil.copytree(ROOT / "examples" / "gansu-itc-2022", folder)
    sub = open_submission(folder)
    assert "organization_documents" in sub.answers.evidence
    evaluation = evaluate_submission(sub)
    line = next(r for r in evaluation.evidenced.indicators if r.id == "organization")
    assert line.score > 0  # proved in the example
    text = (folder / "answers.yaml").read_text(encoding="utf-8")
    kept = [ln for ln in text.splitlines() if not ln.strip().startswith("organization_documents:")]
    (folder / "answers.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    evaluation = evaluate_submission(open_submission(folder))
    claimed = next(r for r in evaluation.claimed.indicators if r.id == "organization")
    evidenced = next(r for r in evaluation.evidenced.indicators if r.id == "organization")
    assert (claimed.score, evidenced.score) == (line.score, 0)


def test_explanations_name_who_was_counted() -> None:
    """ensures that a count derived from staff items names the people counted, three of them and
    «等N人» (the Luzhou example: 7 with senior titles, 10 masters or above), claimed and evidenced."""
    sub = open_submission(ROOT / "examples" / "luzhou-etc-2023")
    staff = sub.answers.items["staff"]
    evaluation = evaluate_submission(sub)
    for card in (evaluation.claimed, evaluation.evidenced):
        line = next(r for r in card.indicators if r.id == "senior_and_masters")
        senior = [i.values["name"] for i in staff if i.values.get("title") == "senior"]
        assert f"人数7人（{'、'.join(senior[:3])}等7人）" in line.explanation


def test_the_luzhou_example_is_complete_but_for_its_cash_flow_statement(tmp_path: Path) -> None:
    """ensures the shipped Luzhou example omits only what it omits on purpose: with a 现金流量表
    added it is complete (every required document usable, every scored figure proved)."""
    folder = tmp_path / "luzhou"
    shutil.copytree(ROOT / "examples" / "luzhou-etc-2023", folder)
    _, completeness = check_and_assess(open_submission(folder))
    assert completeness.missing_documents == ("企业现金流量表",)
    assert completeness.unproved_lines == ()
    shutil.copy(folder / "evidence" / "利润表.pdf", folder / "evidence" / "现金流量表.pdf")
    _, completeness = check_and_assess(open_submission(folder))
    assert completeness.complete


def test_an_undefined_evidenced_ratio_shows_as_a_dash_on_the_terminal() -> None:
    """ensures that a ratio whose proved denominator is 0 (the national example has no audited
    report, so main revenue is unproved) reads — in the terminal's 核减 table, never «None»."""
    result = CliRunner().invoke(cli, ["evidence", str(ROOT / "examples" / "national-etc-2021")])
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if "研发经费支出占主营业务收入" in ln)
    assert "—" in line
    assert "None" not in result.output


def test_nothing_named_is_dropped_silently(tmp_path: Path) -> None:
    """ensures that a file named under a key the checklist does not ask for, and the proof of an
    item kind the checklist does not prove item by item (Luzhou has no software-copyright line),
    are listed with their status and bound into the bundle under 其他材料."""
    from pypdf import PdfReader

    folder = tmp_path / "luzhou"
    shutil.copytree(ROOT / "examples" / "luzhou-etc-2023", folder)
    shutil.copy(folder / "evidence" / "利润表.pdf", folder / "evidence" / "质量管理体系认证.pdf")
    shutil.copy(folder / "evidence" / "利润表.pdf", folder / "evidence" / "软著.pdf")
    text = (folder / "answers.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "\nevidence:\n",
        "\nevidence:\n  quality_certificate: evidence/质量管理体系认证.pdf\n",
        1,
    ).replace(
        "\nitems:\n",
        '\nitems:\n  software_copyrights:\n    - {number: "2022SR0000001", title: 控制软件, registered: 2022-05-01, evidence: evidence/软著.pdf}\n',
        1,
    )
    (folder / "answers.yaml").write_text(text, encoding="utf-8")
    evaluation = evaluate_submission(open_submission(folder))
    other = {d.file: d for d in evaluation.evidence.documents if d.group == "其他材料"}
    assert sorted(other) == ["evidence/质量管理体系认证.pdf", "evidence/软著.pdf"]
    assert {d.status for d in other.values()} == {"ok"}
    result = CliRunner().invoke(cli, ["bundle", str(folder), "-o", str(tmp_path / "bundle.pdf")])
    assert result.exit_code == 0, result.output
    outline = [
        str(getattr(o, "title", ""))
        for o in PdfReader(tmp_path / "bundle.pdf").outline
        if not isinstance(o, list)
    ]
    assert "其他材料" in outline


def test_what_was_not_found_is_named_by_what_it_is(tmp_path: Path) -> None:
    """ensures «找不到该编号» only for identifiers: a person's name missing from a certificate
    reads 姓名, a patent number reads 专利号, in the finding and in the report's status."""
    from docgen.outputs.contexts import status_text

    folder = tmp_path / "luzhou"
    shutil.copytree(ROOT / "examples" / "luzhou-etc-2023", folder)
    text = (folder / "answers.yaml").read_text(encoding="utf-8")
    (folder / "answers.yaml").write_text(
        text.replace("{name: 陈志远,", "{name: 陈不在,", 1), encoding="utf-8"
    )
    findings, _ = check_and_assess(open_submission(folder))
    [found] = [d for d in findings if d.code == "evidence.id_not_found"]
    assert "中找不到该姓名" in found.message
    assert "编号" not in found.message
    evaluation = evaluate_submission(open_submission(folder))
    [status] = [d for d in evaluation.evidence.documents if d.status == "id-not-found"]
    assert status_text(status) == "未找到所列姓名"


def test_missing_evidence_report_lists_every_unproved_figure(tmp_path: Path) -> None:
    """ensures the national example's missing-evidence report (.docx) lists each 核减 line with
    «无证明材料» for a bare count and «无法计算» for a ratio whose proved denominator is 0."""
    from docx import Document

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(ROOT / "examples" / "national-etc-2021"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = {}
    for table in Document(out / "missing-evidence.docx").tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            if len(cells) == 6:
                rows[cells[0].split("\n")[0]] = cells  # the documents it lacks follow the name
    assert rows["企业拥有的全部有效发明专利数"][1:] == ["160项", "无证明材料", "5.00", "0.00", "-5.00"]
    assert rows["利润率"][2] == "无法计算"
    assert "所有填报数据均有证明材料支持" not in (out / "missing-evidence.md").read_text(encoding="utf-8")

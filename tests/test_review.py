"""Batch review: cohort scores by hand, broken submissions, ranking edges, summary files read back."""

from __future__ import annotations

import csv
import io
import json
import shutil
from fractions import Fraction as Q
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from docgen.cli import cli
from docgen.ranking import Candidate, rank_candidates
from tests.conftest import DATA


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def sf(x, w, b, f):
    return w * (Q(3, 5) + Q(2, 5) * (x - b) / (f - b))


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    """Four copies of tests/data/luzhou-basic that differ only in rd_projects, plus two broken ones."""
    root = tmp_path / "cohort"
    for name, projects in (("a", 24), ("b", 48), ("c", 12), ("d", 30)):
        shutil.copytree(DATA / "luzhou-basic", root / name)
        path = root / name / "answers.yaml"
        text = path.read_text(encoding="utf-8").replace("rd_projects: 24", f"rd_projects: {projects}")
        text = text.replace("company_name: 测试公司", f"company_name: 测试公司{name.upper()}")
        path.write_text(text, encoding="utf-8")
    (root / "broken").mkdir()
    (root / "broken" / "answers.yaml").write_text("program: [\n", encoding="utf-8")
    shutil.copytree(DATA / "luzhou-basic", root / "errors")
    bad = root / "errors" / "answers.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("rd_staff: 120", "rd_staff: 9000"), encoding="utf-8"
    )
    (root / "not-a-submission").mkdir()
    return root


def test_luzhou_cohort_scores_by_hand(cohort: Path):
    """ensures F = the cohort's highest evaluated value for each indicator (SPEC §4.2)."""
    result = run("review", cohort, "--program", "luzhou-etc-2023", "--json", "--jobs", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {s["path"]: s for s in data["submissions"]}
    assert sorted(rows) == ["a", "b", "broken", "c", "d", "errors"]
    assert data["cohort"] is True

    # Every figure but rd_projects is the same in all four, so each indicator that does not use it
    # is at the cohort maximum (x = F) and scores its weight; labs has x = F = B = 1 → F ≤ B → W.
    # Two indicators move: rd_projects (B 2, W 4, F = max(24, 48, 12, 30) = 48) and the research
    # share 3/rd_projects (B 1%, W 2, F = max(12.5, 6.25, 25, 10) = 25%): 100 − 4 − 2 = 94 fixed.
    # Bonus (not cohort-relative): awards 5 + invention applications 4 + R&D 4 = 13.
    def share(p):
        x = Q(300, p)
        return Q(2) if x >= 25 else sf(x, 2, 1, 25)

    expected = {
        name: 94 + sf(Q(p), 4, 2, 48) + share(p) + 13
        for name, p in (("a", 24), ("b", 48), ("c", 12), ("d", 30))
    }
    # a: 94 + 3.1652 + 1.5833 + 13 = 111.75; b: 94 + 4 + 1.375 + 13 = 112.38
    # c: 94 + 2.7478 + 2 + 13 = 111.75 (0.0007 below a); d: 94 + 3.3739 + 1.5 + 13 = 111.87
    for name, total in expected.items():
        assert rows[name]["total"] == round(float(total), 2), name
    projects = next(i for i in rows["a"]["indicators"] if i["id"] == "rd_projects")
    assert "同批最高值48" in projects["explanation"]
    # Evidenced: no item and no expert contract has proof, so external experts, patent
    # applications, invention applications and standards fall to 0 for everyone (4 + 5 + 6 + 4
    # lost) and the awards and invention bonuses vanish (5 + 4 lost): evidenced = claimed − 28.
    for name, total in expected.items():
        assert rows[name]["evidenced_total"] == round(float(total - 28), 2), name
    # ranking by evidenced total (unrounded): b > d > a > c
    assert [rows[n]["rank"] for n in ("b", "d", "a", "c")] == [1, 2, 3, 4]
    assert rows["broken"]["errors"][0]["code"] == "yaml.syntax"
    assert rows["errors"]["errors"][0]["code"] == "answers.part_exceeds_whole"
    assert rows["errors"]["rank"] is None


def test_summary_files(cohort: Path, tmp_path: Path):
    """ensures the three 汇总表 files: 6 rows, flagged broken ones, ranks that follow totals."""
    out = tmp_path / "out"
    result = run("review", cohort, "--program", "luzhou-etc-2023", "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    raw = (out / "汇总表.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "企业名称", "行业"]
    assert len(rows) == 7
    broken = [r for r in rows[1:] if r[7] == "无法评审"]
    assert len(broken) == 2
    workbook = load_workbook(out / "汇总表.xlsx")
    assert workbook.sheetnames == ["汇总表", "完整性核对"]
    sheet = workbook["汇总表"]
    assert sheet.freeze_panes == "B2"
    assert sheet["G1"].value == "核定分"
    ranks = {r[1].value: r[8].value for r in sheet.iter_rows(min_row=2) if r[8].value}
    assert ranks == {"测试公司B": 1, "测试公司D": 2, "测试公司A": 3, "测试公司C": 4}
    assert sheet["G2"].number_format == "0.00"
    matrix = workbook["完整性核对"]
    headers = [c.value for c in matrix[1]]
    assert "企业对报送资料的真实性、完整性承诺书" in headers
    assert "正文 1.1" in headers
    doc = Document(out / "汇总表.docx")
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][-1] == "推荐意见"
    assert len(table.rows) == 7


def test_threshold_and_quota_edges():
    """ensures ties, a total exactly on the threshold and the quota cut-off."""
    candidates = [
        Candidate(0, "甲", Q(70), Q(80), True, []),  # exactly on the threshold
        Candidate(
            1, "乙", Q(70), Q(80), True, []
        ),  # same totals: Unicode name order, 乙 (U+4E59) < 甲 (U+7532)
        Candidate(2, "丙", Q(6999, 100), Q(90), True, []),  # just below 70 → not recommended
        Candidate(3, "丁", Q(95), Q(95), False, ["研发人员数不少于15人"]),  # ineligible, unranked
        Candidate(4, "戊", Q(85), Q(85), True, []),
    ]
    decisions = {d.index: d for d in rank_candidates(candidates, Q(70), 2)}
    assert [decisions[i].rank for i in (4, 1, 0, 2)] == [1, 2, 3, 4]
    assert [decisions[i].recommended for i in (4, 1, 0, 2)] == [True, True, False, False]
    assert "超出推荐名额 2" in decisions[0].reason
    assert "低于推荐线 70" in decisions[2].reason
    assert decisions[3].rank is None
    assert "不符合申报条件" in decisions[3].reason
    # without a quota, the one exactly on 70 is recommended
    decisions = {d.index: d for d in rank_candidates(candidates, Q(70), None)}
    assert decisions[0].recommended


def test_rereview_uses_the_inspection_cache(example: Path, tmp_path: Path, monkeypatch):
    """ensures that a second review of unchanged files reads inspection results from the cache."""
    root = tmp_path / "batch"
    shutil.copytree(example, root / "one")
    monkeypatch.setenv("DOCGEN_CACHE", str(tmp_path / "cache"))
    assert run("review", root, "--program", "luzhou-etc-2023", "--jobs", "1").exit_code == 0
    entries = list((tmp_path / "cache" / "inspect").rglob("*.json"))
    assert len(entries) == 24
    assert len(list((tmp_path / "cache" / "prepared").rglob("*.pickle"))) == 1
    calls = []
    import docgen.review as review

    original = review._prepare
    monkeypatch.setattr(review, "_prepare", lambda *a: calls.append(a) or original(*a))
    first = run("review", root, "--program", "luzhou-etc-2023", "--jobs", "1", "--json")
    assert calls == []  # unchanged submission: read back from the cache
    answers = root / "one" / "answers.yaml"
    answers.write_text(
        answers.read_text(encoding="utf-8").replace("rd_expense: 1980", "rd_expense: 3000"), encoding="utf-8"
    )
    second = run("review", root, "--program", "luzhou-etc-2023", "--jobs", "1", "--json")
    assert len(calls) == 1  # changed answers: prepared again
    assert (
        json.loads(first.output)["submissions"][0]["total"]
        != json.loads(second.output)["submissions"][0]["total"]
    )


@pytest.fixture
def example_cohort(example: Path, tmp_path: Path) -> Path:
    """Two copies of the shipped example with different R&D money, plus a broken one."""
    root = tmp_path / "examples"
    for name, money in (("a", 1980), ("b", 2600)):
        shutil.copytree(example, root / name)
        path = root / name / "answers.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("rd_expense: 1980", f"rd_expense: {money}"),
            encoding="utf-8",
        )
    (root / "broken").mkdir()
    (root / "broken" / "answers.yaml").write_text("program: [\n", encoding="utf-8")
    return root


def test_review_writes_reports_with_cohort_scores(example_cohort: Path, tmp_path: Path):
    """ensures --reports writes each scorable submission's outputs with its cohort score."""
    out = tmp_path / "out"
    result = run(
        "review", example_cohort, "--program", "luzhou-etc-2023", "-o", out, "--reports", "--jobs", "2"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["a", "b"]
    score = json.loads((out / "a" / "score.json").read_text(encoding="utf-8"))
    assert score["reference"] is False  # a cohort score, not a 参考分
    summary = json.loads(run("review", example_cohort, "--program", "luzhou-etc-2023", "--json").output)
    a = next(s for s in summary["submissions"] if s["path"] == "a")
    assert score["total"] == a["total"]
    assert (out / "a" / "report.docx").is_file()
    assert (out / "a" / "附件4-泸州市企业技术中心评价指标体系.docx").is_file()


def test_build_several_submissions(example_cohort: Path, tmp_path: Path):
    """ensures `docgen build A B -o OUT` writes OUT/A and OUT/B and reports a broken one with exit 1."""
    out = tmp_path / "many"
    result = run("build", example_cohort / "a", example_cohort / "b", example_cohort / "broken", "-o", out)
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["a", "b"]
    assert (out / "a" / "report.docx").is_file()

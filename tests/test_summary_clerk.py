"""The 汇总表 as a clerk would send it (#17): 缺失材料 separated by «；», 万元 figures as the notice
prints them, a limit failed for want of its proof worded so, a weak 推荐 with its caveat, the 备注
naming enterprises, and the .docx paginated as a table that flows (tall rows may break, the 说明
kept together)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from docgen.cli.main import cli
from docgen.outputs.summary_docx import BREAK_OPPORTUNITY, TALL_SHARE, row_points
from tests.conftest import EXAMPLE, ROOT

GANSU_DEMO = ROOT / "examples" / "gansu-demo-2022"
NATIONAL = ROOT / "examples" / "national-etc-2021"


def _copy(source: Path, target: Path, replacements: dict[str, str], remove: tuple[str, ...] = ()) -> None:
    shutil.copytree(source, target)
    path = target / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    for name in remove:
        (target / "evidence" / name).unlink()


def _review(batch: Path, program: str, out: Path) -> Path:
    result = CliRunner().invoke(
        cli, ["review", str(batch), "--program", program, "-o", str(out), "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    return out


def _csv(out: Path) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO((out / "汇总表.csv").read_text(encoding="utf-8-sig")))
    return {r["企业名称"]: r for r in rows}


@pytest.fixture
def luzhou(tmp_path: Path) -> Path:
    """The Luzhou example (a) and a copy without its 107-2表 (b: the proof of all three limits),
    renamed but with a's 统一社会信用代码 (重复申报)."""
    root = tmp_path / "luzhou"
    _copy(EXAMPLE, root / "a", {})
    _copy(
        EXAMPLE,
        root / "b",
        {
            "company_name: 泸州川锐智能装备股份有限公司": "company_name: 泸州蓝江装备有限公司",
        },
        remove=("107-2表.pdf",),
    )
    return _review(root, "luzhou-etc-2023", tmp_path / "out")


def test_limit_failed_for_want_of_proof_says_so(luzhou: Path):
    """ensures a submission whose declared 1980万元 passes the limit but whose proof is missing
    reads «…经费支出额：证明材料缺失，核定为0», not as if the declared figure failed."""
    opinion = _csv(luzhou)["泸州蓝江装备有限公司"]["推荐意见"]
    assert opinion.startswith("不推荐：不符合申报条件（年度研究与试验发展经费支出额：证明材料缺失，核定为0；")
    assert "不低于150万元" not in opinion
    assert "年度研究与试验发展人员数：证明材料缺失，核定为0" in opinion


def test_figures_print_as_the_notice_prints_them(luzhou: Path):
    """ensures whole 万元 figures carry no «.00» in any of the three files, scores keep two."""
    row = _csv(luzhou)["泸州川锐智能装备股份有限公司"]
    assert row["主营业务收入（万元）"] == "56800"
    assert row["研发经费（万元）"] == "1980"
    assert re.fullmatch(r"\d+\.\d\d", row["核定分"]), row["核定分"]
    doc = Document(str(luzhou / "汇总表.docx"))
    cells = [c.text for c in doc.tables[0].rows[1].cells]
    assert "56800" in cells
    assert "56800.00" not in cells
    sheet = load_workbook(luzhou / "汇总表.xlsx")["汇总表"]
    figure = next(c for row in sheet.iter_rows() for c in row if c.value == 56800)
    assert figure.number_format == "General"


def test_other_enterprises_named_in_the_remarks(luzhou: Path):
    """ensures «重复申报（同 …）» names the other enterprise, not its folder."""
    remarks = _csv(luzhou)["泸州川锐智能装备股份有限公司"]["备注"]
    assert remarks.endswith("重复申报（同 泸州蓝江装备有限公司）")
    doc = Document(str(luzhou / "汇总表.docx"))
    assert all("（同 a）" not in c.text and "（同 b）" not in c.text for c in doc.tables[0]._cells)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The Gansu demo example (a) and a copy without most of its evidence (b: 核定分 far down)."""
    root = tmp_path / "demo"
    _copy(GANSU_DEMO, root / "a", {})
    _copy(
        GANSU_DEMO,
        root / "b",
        {
            "company_name: 天水华辰机械制造股份有限公司": "company_name: 兰州恒远石化装备有限公司",
            "credit_code: 91620500MA71HC6K8P": "credit_code: 91620100MA72KY61XM",
        },
        remove=("107-2表.pdf", "CNAS认可证书.pdf", "专利受理通知书.pdf", "审计报告.pdf"),
    )
    return _review(root, "gansu-demo-2022", tmp_path / "out")


def test_missing_documents_separated_by_semicolons(demo: Path):
    """ensures the documents of 缺失材料 are separated by «；» (their names hold «、») and the two
    groups by «。»."""
    cell = _csv(demo)["天水华辰机械制造股份有限公司"]["缺失材料"]
    assert (
        "。其他材料：职工和研发人员收入、培训费统计（财务部门盖章）；上次评价时的研发经费支出比例证明；"
        in cell
    )


def test_weak_recommendation_carries_a_caveat(demo: Path):
    """ensures a submission recommended within the quota (no 推荐线) with a 核定分 under six
    tenths of the full marks says so in its 推荐意见; a strong one does not."""
    rows = _csv(demo)
    weak, strong = rows["兰州恒远石化装备有限公司"], rows["天水华辰机械制造股份有限公司"]
    assert float(weak["核定分"]) < 60
    assert weak["推荐意见"].startswith("推荐（排名第 2）")
    assert f"核定分仅 {weak['核定分']} 分，不足满分 100 分的六成，建议核实证明材料后再定" in weak["推荐意见"]
    assert strong["推荐意见"].startswith("推荐（排名第 1）")
    assert "六成" not in strong["推荐意见"]


def test_numbers_break_between_not_inside(demo: Path):
    """ensures a list of numbers in 缺失材料 (.docx) may break after each «、» (a zero-width space),
    so that a patent number is never split over two lines."""
    doc = Document(str(demo / "汇总表.docx"))
    cell = next(c.text for c in doc.tables[0]._cells if "专利申请受理通知书（" in c.text)
    assert f"、{BREAK_OPPORTUNITY}2021" in cell
    assert f"、{BREAK_OPPORTUNITY}上次" not in cell  # names break as they are


def test_docx_rows_flow_and_notes_stay_together(tmp_path: Path):
    """ensures a tall row (the national copy with its 107 tables and financial report removed) may
    break over a page instead of leaving the page before it empty, a short one may not, «说明：»
    keeps with the notes and the notes keep together."""
    root = tmp_path / "national"
    _copy(NATIONAL, root / "a", {})
    _copy(
        NATIONAL,
        root / "b",
        {"company_name: 江苏恒锐电气股份有限公司": "company_name: 丁戊己实业集团有限公司"},
        remove=("107-1表.pdf", "107-2表.pdf", "国家科技进步奖证书.pdf"),
    )
    out = _review(root, "national-etc-2021", tmp_path / "out")
    doc = Document(str(out / "汇总表.docx"))
    rows = doc.tables[0].rows[1:]
    kept = {
        r.cells[1].text: r._tr.find(qn("w:trPr")) is not None
        and r._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
        for r in rows
    }
    assert kept == {"江苏恒锐电气股份有限公司": True, "丁戊己实业集团有限公司": False}
    body = list(doc.paragraphs)
    start = next(i for i, p in enumerate(body) if p.text == "说明：")
    notes = body[start:]
    assert len(notes) >= 3
    assert all(p.paragraph_format.keep_with_next for p in notes[:-1])
    assert not notes[-1].paragraph_format.keep_with_next
    assert all(p.paragraph_format.keep_together for p in notes[1:])


def test_row_height_estimate():
    """ensures the row estimate grows with the lines of the tallest cell: 40 lines of a narrow
    column are more than a third of a landscape A4 text height, one line is not."""
    narrow = [1200, 1200]
    assert row_points(["一", "二"], narrow) < TALL_SHARE * 440
    assert row_points(["一" * 200, "二"], narrow) > TALL_SHARE * 440

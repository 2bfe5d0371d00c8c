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
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from docgen.cli.main import cli
from docgen.scoring.ranking import Candidate, rank_candidates
from docgen.word.layout import display_width
from tests.conftest import DATA, EXAMPLE


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def sf(x, w, b, f):
    return w * (Q(3, 5) + Q(2, 5) * (x - b) / (f - b))


# the statistical and financial statements that prove the money, staff and project figures
_STATEMENTS = """evidence:
  stat_107_1: evidence/107-1表.pdf
  stat_107_2: evidence/107-2表.pdf
  income_statement: evidence/利润表.pdf
"""


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    """Four copies of tests/data/luzhou-basic that differ only in rd_projects, plus two broken ones."""
    root = tmp_path / "cohort"
    for name, projects in (("a", 24), ("b", 48), ("c", 12), ("d", 30)):
        shutil.copytree(DATA / "luzhou-basic", root / name)
        path = root / name / "answers.yaml"
        text = path.read_text(encoding="utf-8").replace("rd_projects: 24", f"rd_projects: {projects}")
        text = text.replace("company_name: 测试公司", f"company_name: 测试公司{name.upper()}")
        path.write_text(text + _STATEMENTS, encoding="utf-8")
        (root / name / "evidence").mkdir()
        for file in ("107-1表.pdf", "107-2表.pdf", "利润表.pdf"):
            shutil.copy(EXAMPLE / "evidence" / file, root / name / "evidence" / file)
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
    assert "未达到满分值48项" in projects["explanation"]
    assert "（满分值为同批参评企业最高评价值48项）" in projects["explanation"]
    # Evidenced: the statements (107-1, 107-2, 利润表) prove the money, staff and project figures;
    # no item and no expert contract has proof, so external experts, patent applications,
    # invention applications and standards fall to 0 for everyone (4 + 5 + 6 + 4 lost), the bare
    # counts given without items or documents — senior staff and masters, invention patents,
    # platforms, labs — fall to 0 too (4 + 8 + 3 + 3 lost; with F = 0 ≤ B an x of 0 scores 0),
    # and the awards and invention bonuses vanish (5 + 4 lost): evidenced = claimed − 46.
    for name, total in expected.items():
        assert rows[name]["evidenced_total"] == round(float(total - 46), 2), name
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
    broken = [r for r in rows[1:] if r[7] == "未评审"]
    assert len(broken) == 2
    workbook = load_workbook(out / "汇总表.xlsx")
    assert workbook.sheetnames == ["汇总表", "完整性核对"]
    sheet = workbook["汇总表"]
    assert sheet.freeze_panes == "B4"  # under the title, the sender lines and the column titles
    assert sheet["G3"].value == "核定分"
    ranks = {r[1].value: r[8].value for r in sheet.iter_rows(min_row=4) if isinstance(r[8].value, int)}
    assert ranks == {"测试公司B": 1, "测试公司D": 2, "测试公司A": 3, "测试公司C": 4}
    assert sheet["G4"].number_format == "0.00"
    matrix = workbook["完整性核对"]
    headers = [c.value.replace("\n", "") for c in matrix[1]]
    assert "企业对报送资料的真实性、完整性承诺书" in headers
    assert "1.1\n企业基本情况" in [c.value for c in matrix[1]]  # the section number on its own line
    doc = Document(out / "汇总表.docx")
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][-2:] == ["推荐意见", "备注"]
    assert len(table.rows) == 7


def test_broken_submissions_are_not_reviewed(cohort: Path, tmp_path: Path):
    """ensures a submission with input errors gets a bureau's opinion, its errors in 备注 (not in
    缺失材料), and 未评审 in every column of the completeness matrix."""
    out = tmp_path / "out"
    assert run("review", cohort, "--program", "luzhou-etc-2023", "-o", out, "--jobs", "1").exit_code == 0
    sheet = load_workbook(out / "汇总表.xlsx")["汇总表"]
    titles = [c.value.replace("\n", "") for c in sheet[3]]
    rows = {
        r[1]: dict(zip(titles, r, strict=True)) for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]
    }
    errors = rows["测试公司"]  # the one whose rd_staff (9000) exceeds total staff
    assert errors["推荐意见"] == "材料数据有误，未予评审"
    assert errors["是否符合条件"] == "未评审"
    assert errors["缺失材料"] == "未核查"
    assert "不能大于" in errors["备注"]
    assert "9000" in errors["备注"]
    assert errors["自评分（整体对比计量）"] is None
    assert errors["排名"] == "未排名"
    unreadable = rows["broken"]  # YAML syntax error: no company name, the folder shows
    assert unreadable["推荐意见"] == "申报材料无法读取，未予评审"
    assert unreadable["备注"].startswith("YAML 语法错误")
    scored = rows["测试公司A"]
    assert scored["缺失材料"] != "未核查"
    assert "不能大于" not in (scored["备注"] or "")
    doc = Document(out / "汇总表.docx")
    docx_rows = {r.cells[1].text: [c.text for c in r.cells] for r in doc.tables[0].rows[1:]}
    assert docx_rows["测试公司"][-2:] == ["材料数据有误，未予评审", errors["备注"]]
    matrix = load_workbook(out / "汇总表.xlsx")["完整性核对"]
    by_company = {r[0]: r[1:] for r in matrix.iter_rows(min_row=2, values_only=True)}
    assert set(by_company["测试公司"]) == {"未评审"}
    assert set(by_company["broken"]) == {"未评审"}
    assert "未评审" not in by_company["测试公司A"]
    assert "答卷" not in json.dumps(
        json.loads(run("review", cohort, "--program", "luzhou-etc-2023", "--json").output), ensure_ascii=False
    )


def _grid_twips(table) -> list[int]:
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def test_summary_docx_fits_the_text_width(cohort: Path, tmp_path: Path):
    """ensures the 汇总表 table is exactly as wide as the landscape text area, in 小五, and every
    title line fits its column (no title breaks mid-word)."""
    out = tmp_path / "out"
    assert run("review", cohort, "--program", "luzhou-etc-2023", "-o", out, "--jobs", "1").exit_code == 0
    doc = Document(out / "汇总表.docx")
    section = doc.sections[0]
    text_width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    assert text_width == 12756  # A4 landscape, GB/T 9704 margins turned sideways
    table = doc.tables[0]
    widths = _grid_twips(table)
    assert sum(widths) == text_width
    assert int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == text_width
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    padding = sum(int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("left", "right"))
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        runs = cell.paragraphs[0].runs
        assert all(r.font.size == Pt(9) and r.bold for r in runs)
        for line in cell.text.split("\n"):  # a CJK character is 9 pt = 180 twips wide
            assert display_width(line) * 90 <= width - padding, line
    assert [c.text for c in table.rows[0].cells][3] == "主营业务收入\n（万元）"
    assert all(r.font.size == Pt(9) for cell in table.rows[1].cells for r in cell.paragraphs[0].runs)


def test_summary_xlsx_rows_fit_their_text(cohort: Path, tmp_path: Path):
    """ensures every row of both sheets has a height that grows with its text, fonts are explicit,
    and titles break into lines that fit their columns, never before a closing parenthesis."""
    out = tmp_path / "out"
    assert run("review", cohort, "--program", "luzhou-etc-2023", "-o", out, "--jobs", "1").exit_code == 0
    workbook = load_workbook(out / "汇总表.xlsx")
    for sheet in workbook:
        heights = [sheet.row_dimensions[r].height for r in range(1, sheet.max_row + 1)]
        assert all(h is not None and h >= 18 for h in heights), sheet.title
        top = 3 if sheet.title == "汇总表" else 1  # the 汇总表's title and sender lines come first
        for cell in sheet[top]:
            assert (cell.font.name, cell.font.sz, cell.font.b) == ("黑体", 10, True)
            width = sheet.column_dimensions[cell.column_letter].width
            for line in cell.value.split("\n"):
                assert display_width(line) <= width - 1, (sheet.title, line)
                assert not line.startswith("）"), (sheet.title, cell.value)
        fonts = {
            (c.font.name, c.font.sz)
            for row in sheet.iter_rows(min_row=top + 1)
            for c in row
            if c.value is not None
        }
        assert fonts == {("宋体", 10)}
    summary = workbook["汇总表"]
    assert summary["D3"].value == "主营业务收入\n（万元）"
    assert summary["E3"].value == "研发经费\n（万元）"
    # the more a row's fullest cell holds for its column's width, the taller the row
    cohort_rows = [p for p in cohort.iterdir() if (p / "answers.yaml").is_file()]
    widths = [summary.column_dimensions[c.column_letter].width for c in summary[3]]
    fullness = [
        (max(display_width(str(c.value or "")) / w for c, w in zip(row, widths, strict=True)), row[0].row)
        for row in summary.iter_rows(min_row=4, max_row=len(cohort_rows) + 3, max_col=len(widths))
    ]
    heights = [summary.row_dimensions[r].height for _, r in sorted(fullness)]
    assert heights == sorted(heights)
    assert heights[0] < heights[-1]
    matrix = workbook["完整性核对"]
    assert matrix.row_dimensions[1].height > 32  # long document titles take several lines
    lines = max(c.value.count("\n") + 1 for c in matrix[1])
    assert matrix.row_dimensions[1].height >= lines * 10 * 1.4
    assert "企业资产\n负债表" in [c.value for c in matrix[1]]  # even lines, no single 表 below


def test_matrix_titles_are_the_outline_sections(cohort: Path, tmp_path: Path):
    """ensures the 完整性核对 sheet names each narrative column by its outline section (number and
    title from outlines/luzhou-application.yaml), in outline order."""
    from docgen.definitions.load import load_catalog

    out = tmp_path / "out"
    assert run("review", cohort, "--program", "luzhou-etc-2023", "-o", out, "--jobs", "1").exit_code == 0
    outline = load_catalog().outlines["luzhou-application"]
    expected = [f"{s.id} {s.title}" for s in outline.sections]
    assert expected[0] == "1.1 企业基本情况"
    matrix = load_workbook(out / "汇总表.xlsx")["完整性核对"]
    titles = [c.value for c in matrix[1]]
    sections = [t for t in titles if t[:1].isdigit()]
    # a title too wide for its column puts the section number on a line of its own
    assert [t.replace("\n", " ", 1).replace("\n", "") for t in sections] == expected
    assert not any(t.startswith("正文") for t in titles)


def _docx_notes(path: Path) -> list[str]:
    doc = Document(path)
    texts = [p.text for p in doc.paragraphs]
    return texts[texts.index("说明：") + 1 :]


def _xlsx_notes(path: Path) -> list[str]:
    sheet = load_workbook(path)["汇总表"]
    texts = [row[0] for row in sheet.iter_rows(values_only=True)]
    return [t for t in texts[texts.index("说明：") + 1 :] if t]


def test_cohort_scores_are_labelled_and_explained(cohort: Path, tmp_path: Path):
    """ensures a Luzhou review titles the claimed score 整体对比计量得分 and explains under the
    table (docx and xlsx) that scores are relative to the batch and include 加分."""
    out = tmp_path / "out"
    assert run("review", cohort, "--program", "luzhou-etc-2023", "-o", out, "--jobs", "1").exit_code == 0
    doc = Document(out / "汇总表.docx")
    assert doc.tables[0].rows[0].cells[5].text == "自评分\n（整体对比\n计量）"
    assert load_workbook(out / "汇总表.xlsx")["汇总表"]["F3"].value == "自评分\n（整体对比\n计量）"
    csv_titles = next(csv.reader(io.StringIO((out / "汇总表.csv").read_text(encoding="utf-8-sig"))))
    assert csv_titles[5] == "自评分（整体对比计量）"
    for notes in (_docx_notes(out / "汇总表.docx"), _xlsx_notes(out / "汇总表.xlsx")):
        text = "".join(notes)
        assert "本批企业之间可比" in text
        assert "均含加分（加分最高 15 分），合计最高 115 分" in text
        assert "核定分相同的按自评分（整体对比计量）" in text
        assert notes[0].startswith("1．排名规则")


def test_program_notes_under_the_table(tmp_path: Path):
    """ensures the program's notes that its summary_table names (Gansu alliance: the IP line capped
    at 10 although its weight is 20, so totals reach 90) appear under the 汇总表 in the .docx and
    the .xlsx, its other notes (how single lines score) do not, and that a program that is not
    cohort-relative keeps its claimed title (the 培育组建汇总表's 自评得分, not 整体对比)."""
    from docgen.definitions.load import load_catalog

    root = tmp_path / "gansu"
    shutil.copytree(EXAMPLE.parent / "gansu-alliance-2022", root / "one")
    out = tmp_path / "out"
    result = run("review", root, "--program", "gansu-alliance-2022", "-o", out, "--threshold", "50")
    assert result.exit_code == 0, result.output
    assert "累计不超过10分" in result.output  # the terminal summary shows them too
    assert "推荐线：50 分" in _docx_notes(out / "汇总表.docx")[1]
    program = load_catalog().programs["gansu-alliance-2022"]
    expected = [program.notes[key].text for key in program.summary_notes]
    assert any("累计不超过10分" in n for n in expected)
    others = [n.text for key, n in program.notes.items() if key not in program.summary_notes]
    assert any("规划完善可行性高" in n for n in others)
    for notes in (_docx_notes(out / "汇总表.docx"), _xlsx_notes(out / "汇总表.xlsx")):
        for note in expected:
            assert any(line.endswith(note) for line in notes), note
        for note in others:
            assert not any(line.endswith(note) for line in notes), note
        assert not any("整体对比" in line for line in notes)
    assert Document(out / "汇总表.docx").tables[0].rows[0].cells[6].text == "自评得分"
    sheet = load_workbook(out / "汇总表.xlsx")["汇总表"]
    note_row = next(r for r in range(1, sheet.max_row + 1) if "累计不超过10分" in str(sheet.cell(r, 1).value))
    # across the printed columns (the sheet fits one A3 width, its wrapping columns narrowed): the
    # working copy's last one (材料文件夹, N) is not printed
    assert sheet.print_title_cols is None
    assert f"A{note_row}:M{note_row}" in {str(m) for m in sheet.merged_cells.ranges}
    assert sheet.row_dimensions[note_row].height >= 18


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
    assert len(list((tmp_path / "cache" / "prepared").rglob("*.json"))) == 1
    calls = []
    import docgen.app.review as review

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


def test_review_of_a_single_submission_or_an_empty_folder_is_a_usage_error(tmp_path: Path, example: Path):
    """ensures that `docgen review` on one submission's folder (or on a folder without any) exits 2
    saying what to do, and that hidden folders are not submissions."""
    from click.testing import CliRunner

    from docgen.app.review import discover
    from docgen.cli.main import cli

    result = CliRunner().invoke(cli, ["review", str(example), "--program", "luzhou-etc-2023"])
    assert result.exit_code == 2
    assert "本身是一份申报材料" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["review", str(empty), "--program", "luzhou-etc-2023"])
    assert result.exit_code == 2
    assert "中没有申报材料" in result.output
    (empty / ".hidden").mkdir()
    (empty / ".hidden" / "answers.yaml").write_text("program: luzhou-etc-2023\n", encoding="utf-8")
    assert discover(empty) == []


def test_mixed_recognition_and_evaluation_batch(cohort: Path, tmp_path: Path):
    """ensures a batch mixing 认定 and 评价 submissions writes all three files, and the matrix marks
    the other outline's sections 不适用 (the 评价 copy has the work summary's five sections)."""
    summary = cohort / "e"
    shutil.copytree(cohort / "a", summary)
    path = summary / "answers.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  report_year: 2022\n", "  report_year: 2022\n  application_type: 评价\n"
    )
    text = text.replace("company_name: 测试公司A", "company_name: 测试公司E")
    text += "narrative:\n" + "".join(f'  "{i}": |\n    第{i}项工作总结正文。\n' for i in range(1, 6))
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run("review", cohort, "--program", "luzhou-etc-2023", "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"汇总表.docx", "汇总表.csv", "汇总表.xlsx"}
    matrix = load_workbook(out / "汇总表.xlsx")["完整性核对"]
    rows = {r[0].value: [c.value for c in r] for r in matrix.iter_rows(min_row=2) if r[0].value}
    titles = [c.value.replace("\n", "") if c.value else "" for c in matrix[1]]
    first_section = next(i for i, t in enumerate(titles) if t.startswith("1.1"))
    e_row = next(v for k, v in rows.items() if "E" in str(v))
    assert e_row[first_section] == "不适用"


def test_remarks_flag_what_a_reviewer_must_see(example: Path, tmp_path: Path):
    """ensures the 汇总表 tells a recommended submission that lacks a required document (the
    example's 现金流量表) to complete it, and flags a narrative that contradicts its data or
    introduces another company (a copy renamed, with a different main revenue)."""
    root = tmp_path / "batch"
    shutil.copytree(example, root / "a")
    shutil.copytree(example, root / "b")
    path = root / "b" / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("company_name: 泸州川锐智能装备股份有限公司", "company_name: 泸州蓝江装备有限公司")
    text = text.replace("main_revenue: 56800", "main_revenue: 32000")
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run("review", root, "--program", "luzhou-etc-2023", "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    with (out / "汇总表.csv").open(encoding="utf-8-sig") as handle:
        rows = {r["企业名称"]: r for r in csv.DictReader(handle)}
    a, b = rows["泸州川锐智能装备股份有限公司"], rows["泸州蓝江装备有限公司"]
    opinion = next(k for k in a if k.startswith("推荐意见"))
    remarks = next(k for k in a if k.startswith("备注"))
    assert a[opinion].startswith("推荐（排名第")
    assert a[opinion].endswith("须补齐必需材料 1 项")
    assert "正文介绍的企业与申报单位不符" in b[remarks]
    assert "正文与数据表不一致" in b[remarks]
    # the renamed copy kept the example's 统一社会信用代码: the same enterprise twice
    # the 备注 names the other enterprise, never its folder (a bureau never sees the folders)
    assert a[remarks] == "重复申报（同 泸州蓝江装备有限公司）"
    assert b[remarks].endswith("重复申报（同 泸州川锐智能装备股份有限公司）")


def test_review_warns_about_the_batch(tmp_path: Path):
    """ensures the batch warnings (#16): an entry that is not a submission (a .zip, a folder
    without answers) named with its reason, answers naming another program, the same enterprise
    twice (重复申报, by credit code and by name), report years that differ within one cohort."""
    root = tmp_path / "batch"
    shutil.copytree(EXAMPLE, root / "a")
    shutil.copytree(EXAMPLE, root / "b")  # the same enterprise again
    shutil.copytree(EXAMPLE, root / "c")
    answers = root / "c" / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    answers.write_text(
        text.replace("program: luzhou-etc-2023", "program: national-etc-2021")
        .replace("company_name: 泸州川锐智能装备股份有限公司", "company_name: 泸州另一家股份有限公司")
        .replace("credit_code: 9151050479184265X8", "credit_code: 91350100M000100Y43")
        .replace("report_year: 2022", "report_year: 2021"),
        encoding="utf-8",
    )
    (root / "申报材料.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (root / "empty").mkdir()
    result = run("review", root, "--program", "luzhou-etc-2023", "--json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.output)["warnings"]
    assert "未评审“empty”：文件夹中没有 answers.yaml、answers.yml 或 answers.json" in warnings
    assert any(w.startswith("未评审“申报材料.zip”：不是文件夹") for w in warnings)
    assert "“c”的答卷注明的评价办法是 national-etc-2021，本次按 luzhou-etc-2023 评审" in warnings
    assert "重复申报：统一社会信用代码 9151050479184265X8 出现在 a、b" in warnings
    assert not any("企业名称" in w for w in warnings)  # the same pair is named once
    assert any(w.startswith("同批申报材料的报告年度不一致（2021年：c；2022年：a、b）") for w in warnings)
    remarks = {s["path"]: s for s in json.loads(result.output)["submissions"]}
    assert sorted(remarks) == ["a", "b", "c"]
    # the 汇总表's 备注 names the duplicate and the other program on the rows concerned
    out = tmp_path / "out"
    assert run("review", root, "--program", "luzhou-etc-2023", "-o", out, "--jobs", "1").exit_code == 0
    rows = list(csv.reader(io.StringIO((out / "汇总表.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][-2:] == ["备注", "材料文件夹"]  # the working copy names where each came from
    assert sorted(r[-1] for r in rows[1:]) == ["a", "b", "c"]
    notes = {r[1]: r[-2] for r in rows[1:]}
    assert "重复申报（同 泸州川锐智能装备股份有限公司）" in notes["泸州川锐智能装备股份有限公司"]
    assert "答卷注明的评价办法为 national-etc-2021" in notes["泸州另一家股份有限公司"]
    terminal = run("review", root, "--program", "luzhou-etc-2023", "--jobs", "1").output
    assert "提请注意：" in terminal
    assert "重复申报：统一社会信用代码 9151050479184265X8 出现在 a、b" in terminal.replace("\n", "")


def test_an_unreadable_folder_is_skipped_with_its_reason(tmp_path: Path, monkeypatch):
    """ensures that a sub-folder that cannot be looked into (PermissionError, as chmod 000 gives
    a non-root user) neither crashes the review nor passes silently: it is listed as skipped."""
    root = tmp_path / "batch"
    shutil.copytree(EXAMPLE, root / "a")
    (root / "locked").mkdir()
    original = Path.is_file

    def is_file(self: Path) -> bool:
        if self.parent.name == "locked":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    result = run("review", root, "--program", "luzhou-etc-2023", "--json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["path"] for s in data["submissions"]] == ["a"]
    assert "未评审“locked”：无法读取" in data["warnings"]

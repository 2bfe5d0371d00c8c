"""The missing-evidence report as a clerk would send it (#17, summary17b): section 四 follows what
precedes it instead of leaving a page mostly empty, a figure with its unit never broken
(«16人月»), the «所列编号或名称» column only where a document has one, the alliance's 牵头单位
sealing the 落款."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from docgen.cli.main import cli
from docgen.outputs.missing import CELL_MARGIN, SHORTFALL_COLUMNS, UNIT, column_twips, script_changes
from docgen.outputs.missing_pages import PAGE_PT, Flow, starts_page
from docgen.text.labels import TEXT

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for name in ("gansu-itc-2022", "gansu-alliance-2022", "gansu-demo-2022"):
        folder = tmp_path_factory.mktemp(name)
        result = CliRunner().invoke(cli, ["build", str(ROOT / "examples" / name), "-o", str(folder)])
        assert result.exit_code == 0, result.output
        out[name] = folder
    return out


def _material_tables(doc):
    return [t for t in doc.tables if t.rows[0].cells[0].text == TEXT["me_col_title"]]


@pytest.mark.parametrize("program", ["gansu-itc-2022", "gansu-alliance-2022", "gansu-demo-2022"])
def test_section_four_has_no_page_break(built: dict[str, Path], program: str) -> None:
    """ensures no page break precedes «四、材料清单核对» (it left the ITC's p.3 with a 3-line note
    alone): its heading follows what precedes it and keeps with its first rows."""
    doc = Document(str(built[program] / "missing-evidence.docx"))
    body = list(doc.element.body)
    heading = next(p for p in doc.paragraphs if p.text == TEXT["me_heading_documents"])
    assert not heading.paragraph_format.page_break_before
    assert heading.style.paragraph_format.keep_with_next  # Heading 1
    before = body[body.index(heading._p) - 1]
    assert before.find(f".//{qn('w:pageBreakBefore')}") is None
    assert before.find(f".//{qn('w:br')}") is None


def test_flow_keeps_two_lines_on_each_side() -> None:
    """ensures the page estimate moves a three-line note whole to the next page when only two of
    its lines fit (LibreOffice's widow and orphan control), and splits a long one 2 + rest."""
    flow = Flow()
    flow.used = PAGE_PT - 50
    flow.lines(3, 20.0)
    assert (flow.page, flow.used) == (1, 60.0)
    flow = Flow()
    flow.used = PAGE_PT - 50
    flow.lines(6, 20.0)
    assert (flow.page, flow.used) == (1, 80.0)


def test_starts_page_only_without_room() -> None:
    """ensures section 四 is estimated on the next page only when its heading, the first group's
    headings and rows (and, for a short group, the next one's start) do not fit."""
    row = {"title_lines": [{"lead": "材料", "repeat": ""}], "identifier_lines": []}
    groups = [{"name": "申报材料", "rows": [row, row]}, {"name": "统计和财务报表", "rows": [row] * 5}]
    assert not starts_page(300.0, groups, 80)
    assert starts_page(PAGE_PT - 100, groups, 80)


def test_a_figure_keeps_its_unit() -> None:
    """ensures a fixed column is wide enough for «16人月» with the gap LibreOffice sets between
    «16» and «人月» (it printed «16人/月»)."""
    assert script_changes("16人月") == 1
    assert script_changes("3.00") == 0
    rows = [["来企业从事技术开发工作的外部专家数", "16人月", "无证明材料", "3.00", "0.00", "-3.00"]]
    width = column_twips(SHORTFALL_COLUMNS, rows)[1]
    assert width >= (6 + 1) * UNIT + 2 * CELL_MARGIN


def test_demo_shortfall_figure_column(built: dict[str, Path]) -> None:
    """ensures the demo report's 填报值 column of 三 is at least as wide as «16人月» needs."""
    doc = Document(str(built["gansu-demo-2022"] / "missing-evidence.docx"))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == TEXT["me_col_indicator"])
    assert any(r.cells[1].text == "16人月" for r in table.rows)
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[1] >= 7 * UNIT + 2 * CELL_MARGIN


def test_identifier_column_only_where_a_document_has_one(built: dict[str, Path]) -> None:
    """ensures the alliance's section 二 (no missing document has a number or name) prints no
    «所列编号或名称» column, its 类别 row spanning the two left, while section 四 keeps it filled."""
    doc = Document(str(built["gansu-alliance-2022"] / "missing-evidence.docx"))
    body = list(doc.element.body)
    four = body.index(next(p for p in doc.paragraphs if p.text == TEXT["me_heading_documents"])._p)
    problems = [t for t in _material_tables(doc) if body.index(t._tbl) < four]
    documents = [t for t in _material_tables(doc) if body.index(t._tbl) > four]
    assert problems
    for table in problems:
        headings = [c.text for c in table.rows[0].cells]
        assert headings == [TEXT["me_col_title"], TEXT["me_col_problem"]]
        assert len(table._tbl.tblGrid.findall(qn("w:gridCol"))) == 2
        span = table._tbl.tr_lst[1].findall(qn("w:tc"))[0].tcPr.find(qn("w:gridSpan"))
        assert span.get(qn("w:val")) == "2"
    identifiers = [r.cells[1].text for t in documents for r in t.rows[2:]]
    assert TEXT["me_col_identifier"] == documents[0].rows[0].cells[1].text
    assert "ZL201910833762.5" in identifiers


def test_alliance_lead_unit_seals(built: dict[str, Path]) -> None:
    """ensures the alliance's report names the alliance under 申报单位 and its 落款 is
    «牵头单位（盖章）：…», as the report's cover says it."""
    doc = Document(str(built["gansu-alliance-2022"] / "missing-evidence.docx"))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[1] == "申报单位：甘肃陇药中药材产业技术创新联盟"
    assert texts[-2] == "牵头单位（盖章）：甘肃陇药科技集团有限公司"

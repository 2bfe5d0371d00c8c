"""Issue #17, the reviewer's reading of report.docx (round 3): what the application report prints.

附表3 judges the 推荐线 on the evidenced score (the notice scores 初评 on «核定数据»); 附表2 prints
基本要求 as the program's form prints it (the attachment's ``cells``); a line scored from several
options shows the figure that decided it; 附表1's header block follows the data table's
attachment (``header``); 附表1 and 附表4 are cut where the pages end, every page with its header
and its 类别 labels and the last page never a couple of rows alone; the 计分过程 says «单独计算»
once and prints the coefficient as the notice's table does («1.0»).
"""

from __future__ import annotations

import io
import json
import re

import docx
import pytest
from docx.table import Table

from docgen.app.build import render_outputs
from docgen.app.submission import open_submission
from docgen.outputs.score_table import (
    CELL_PADDING_MM,
    EVIDENCE_WIDTHS,
    MM_PER_UNIT,
    evidence_table_xml,
    folded_pt,
)
from docgen.text.labels import TEXT
from docgen.text.word_text import WORD_TEXT
from docgen.word.grid import Grid, GridCell, GridRow, paginate
from docgen.word.layout import display_width, label_lines, line_count
from docgen.word.namespaces import W
from docgen.word.xml import TWIPS_PER_MM
from tests.conftest import ROOT

PROGRAMS = ("national-etc-2021", "luzhou-etc-2023", "gansu-alliance-2022")


@pytest.fixture(scope="module")
def built() -> dict[str, tuple[docx.document.Document, dict[str, object]]]:
    out = {}
    for name in PROGRAMS:
        outputs, _ = render_outputs(open_submission(ROOT / "examples" / name))
        score = json.loads(outputs["score.json"])
        out[name] = (docx.Document(io.BytesIO(outputs["report.docx"])), score)
    return out


def _rows(table: Table) -> list[list[str]]:
    return [[c.text.replace("\n", "") for c in row.cells] for row in table.rows]


def _tables(document: docx.document.Document, first: str, second: str) -> list[Table]:
    """Returns the tables whose header row starts with ``first``, ``second`` (a table's parts)."""
    return [t for t in document.tables if _rows(t)[0][:2] == [first, second]]


def _score_line(document: docx.document.Document, title: str) -> dict[str, str]:
    for table in document.tables:
        header = _rows(table)[0]
        if "评价值" in header:
            for row in _rows(table)[1:]:
                if title in row:
                    return dict(zip(header, row, strict=False))
    raise AssertionError(title)


def _paragraphs(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs]


# -- 1. the 推荐线 judges the 核定分 --


def test_threshold_judges_the_evidenced_score(built):
    """ensures that 附表3 says the evidenced score misses the 推荐线, the claimed one beside it."""
    document, score = built["national-etc-2021"]
    claimed, evidenced = f"{score['total']:.2f}", f"{score['evidenced_total']:.2f}"
    assert (claimed, evidenced) == ("91.13", "40.49")
    line = next(p for p in _paragraphs(document) if "推荐线" in p and "限定性指标" in p)
    assert "自评得分91.13分；按证明材料核定的得分40.49分，未达到推荐线70分（相差29.51分）。" in line
    assert "初评得分91.13分，达到推荐线" not in "".join(_paragraphs(document))
    assert score["evidenced_threshold_passed"] is False


# -- 2. 基本要求 as the form prints it --


def test_basic_requirements_as_published(built):
    """ensures that the national 附表2 prints «≥5 … ≥3000» as the notice's 附表 does."""
    document, _ = built["national-etc-2021"]
    expected = {
        "研发人员人均研发经费支出": "≥5",
        "研发人员占企业职工总数的比重": "≥3",
        "来技术中心从事研发工作的外部专家人数": "≥20",
        "企业技术开发仪器设备原值": "≥3000",
        "新产品销售收入占主营业务收入的比重": "≥20",
        "研发经费支出占主营业务收入的比重": "≥1.5",  # 分档 on the form: the tier it was scored on
    }
    for title, basic in expected.items():
        assert _score_line(document, title)["基本要求"] == basic
    award = _score_line(document, "获国家自然科学、技术发明、科技进步奖项目数")
    assert (award["基本要求"], award["满分值"]) == ("—", "—")


def test_basic_requirements_agree_with_the_form(built):
    """ensures that every published 基本要求 cell of the national form is the report's."""
    document, _ = built["national-etc-2021"]
    sub = open_submission(ROOT / "examples" / "national-etc-2021")
    attachment = next(a for a in sub.program.attachments if a.part == "indicators")
    checked = 0
    for indicator in (*sub.program.indicators, *sub.program.bonus):
        published = attachment.cell(indicator.id, "basic")
        if published:
            assert _score_line(document, indicator.title)["基本要求"] == published, indicator.id
            checked += 1
    assert checked >= 17


# -- 3. the figure that decided a line scored from several options --


def test_sum_of_line_shows_the_deciding_option(built):
    """ensures that the alliance's 高层次人才 line shows «省领军人才2人» (the option and its
    unit, as a clerk writes it), not «—» nor «2（省领军人才）»."""
    document, _ = built["gansu-alliance-2022"]
    line = _score_line(document, "高层次人才")
    assert line["数据值"] == "省领军人才2人"
    assert line["评价值"] == "2"
    assert line["得分"] == "2.00"


def test_best_of_line_shows_the_deciding_option(built):
    """ensures that Luzhou's R&D bonus line shows the 3.49% that gave its 4 points."""
    document, _ = built["luzhou-etc-2023"]
    line = _score_line(document, "研发经费支出达到1000万元或研发经费支出占主营业务收入的比重超过基本要求")
    assert line["数据值"] == "研发经费支出占主营业务收入的比重3.49%"
    assert line["评价值"] == "3.49%"
    assert line["得分"] == "4.00"


# -- 4. 附表1's header block as the notice lays it out --


def test_luzhou_data_table_header_block(built):
    """ensures 企业名称 on its own row, the notice's pairs and three 联系电话 fields."""
    document, _ = built["luzhou-etc-2023"]
    block = next(t for t in document.tables if _rows(t)[0][0] == "企业名称")
    rows = _rows(block)
    assert rows[0] == ["企业名称"] + ["泸州川锐智能装备股份有限公司"] * 3  # one cell spanning three
    span = block._tbl.tr_lst[0].tc_lst[1].tcPr.find(f"{W}gridSpan")
    assert span is not None
    assert span.get(f"{W}val") == "3"
    labels = [(row[0], row[2]) for row in rows[1:]]
    assert labels[:4] == [
        ("通讯地址", "下属企业数量"),
        ("主营业务", "统计行业代码"),
        ("企业负责人", "联系电话"),
        ("技术中心负责人", "联系电话"),
    ]
    assert sum(row.count("联系电话") for row in rows) == 3
    assert rows[-1][2] == "报告年度"
    assert rows[-1][3] == "2022"


def test_other_programs_keep_two_pairs_a_row(built):
    """ensures that a data table without a header layout prints two pairs a row."""
    document, _ = built["national-etc-2021"]
    rows = _rows(next(t for t in document.tables if _rows(t)[0][0] == "企业名称"))
    assert rows[0][:3] == ["企业名称", "江苏恒锐电气股份有限公司", "通讯地址"]


# -- 5. page breaks --


def _breaks_between(document: docx.document.Document, tables: list[Table]) -> int:
    """Returns how many of the tables are followed by a page-break paragraph and the next one."""
    count = 0
    for table in tables[:-1]:
        after = table._tbl.getnext()
        ppr = after.find(f"{W}pPr")
        if ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None:
            count += 1
    return count


def test_evidence_list_repeats_its_labels(built):
    """ensures 附表4 is cut where the pages end, each part with the header and its 类别 label in
    its first row, the last part with several rows above the summary sentence."""
    document, _ = built["luzhou-etc-2023"]
    parts = _tables(document, "类别", "材料")
    assert len(parts) >= 2
    assert _breaks_between(document, parts) == len(parts) - 1
    for part in parts:
        assert _rows(part)[1][0], "a part's first row shows its 类别"
    assert len(parts[-1].rows) - 1 >= 6
    rows = [row for part in parts for row in _rows(part)[1:]]
    assert any(row[0] == "评价指标的必要证明材料" for row in _rows(parts[-1])[1:])
    summary = "".join(parts[-1]._tbl.getnext().itertext())
    assert summary.startswith(f"应提供材料{len(rows)}项")


def test_paginate_fills_the_last_page():
    """ensures that paginate moves rows to a last page holding fewer than min_last, keeping a
    row marked keep_next with the one after it."""
    grid = Grid([10.0])
    grid.rows.append(GridRow((GridCell("h"),), header=True))
    for index in range(12):
        grid.rows.append(GridRow((GridCell(str(index)),), keep_next=index == 6))
    heights = [10.0] * len(grid.rows)
    plain = paginate(grid, heights, 110, 110, 0, 0)
    assert [len(p.rows) - 1 for p in plain] == [10, 2]
    filled = paginate(grid, heights, 110, 110, 0, 0, min_last=5)
    assert [len(p.rows) - 1 for p in filled] == [6, 6]  # 6 moved with 7, not 7 alone
    assert [r.cells[0].text for r in filled[1].rows[1:3]] == ["6", "7"]


# -- 6. the 计分过程 --


def test_scoring_process_says_reference_once(built):
    """ensures «单独计算，满分值按…计» is not repeated on every line and the coefficient prints
    as the notice's table («1.0»)."""
    document, _ = built["luzhou-etc-2023"]
    parts = [t for t in document.tables if _rows(t)[0] == ["序号", "指标", "计算过程"]]
    lines = [row[2] for t in parts for row in _rows(t)[1:]]
    assert len(lines) >= 20
    assert not any("单独计算，满分值按" in line for line in lines)
    assert sum("乘以行业系数1.0，" in line for line in lines) >= 3
    assert not any("乘以行业系数1，" in line for line in lines)
    notes = [p for p in _paragraphs(document) if p.startswith("1. 参考分：单独计算")]
    assert len(notes) == 1


SHORT_UNITS = 48  # display units of a short cell: a figure with its option's name, a short title


@pytest.mark.parametrize("name", PROGRAMS)
def test_score_table_cells_take_three_lines_at_most(built, name):
    """ensures that in 附表2, at the column widths the .docx sets, no short cell (up to 24
    characters, outside the notice's 评价标准) takes more than three lines as the page estimate
    breaks them (Luzhou's «3.49%（研发经费支出占主营业务收入的比重）» took five in a 23 mm 数据值
    column)."""
    document, _ = built[name]
    tables = [t for t in document.tables if "评价值" in _rows(t)[0]]
    assert tables
    for table in tables:
        grid = [int(c.get(f"{W}w")) / TWIPS_PER_MM for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
        header = _rows(table)[0]
        for tr in table._tbl.tr_lst[1:]:
            column = 0
            for tc in tr.findall(f"{W}tc"):
                span = tc.tcPr.find(f"{W}gridSpan") if tc.tcPr is not None else None
                count = int(span.get(f"{W}val")) if span is not None else 1
                width = sum(grid[column : column + count])
                title = header[column]
                column += count
                text = "".join(t.text or "" for t in tc.iter(f"{W}t"))
                if title == TEXT["score_col_criteria"] or not text or display_width(text) > SHORT_UNITS:
                    continue
                lines = line_count(text, (width - CELL_PADDING_MM) / MM_PER_UNIT)
                assert lines <= 3, (title, text, lines)


@pytest.mark.parametrize("name", PROGRAMS)
def test_short_eligibility_annex_shares_the_evidence_page(built, name):
    """ensures a short 附表3 (Luzhou's and the national method's three limiting indicators; the
    alliance's one sentence, its notice setting none) is followed on its page by 附表4, whose
    heading then has no page break; 附表4's first part, estimated under the folded 附表3, holds
    fewer rows than a page of its own would."""
    document, _ = built[name]
    paragraphs = document.paragraphs
    texts = _paragraphs(document)
    eligibility = len(texts) - 1 - texts[::-1].index(TEXT["annex_eligibility"])  # not the contents'
    evidence = len(texts) - 1 - texts[::-1].index(TEXT["annex_evidence"])
    tables = [t for t in document.tables if _rows(t)[0][0] == TEXT["eligibility_col_title"]]
    assert len(tables) == (0 if name == "gansu-alliance-2022" else 1)
    assert not paragraphs[evidence].paragraph_format.page_break_before
    between = [t for t in texts[eligibility + 1 : evidence] if t]
    assert len(between) == 1  # the summary sentence
    if not tables:
        assert between[0] == TEXT["eligibility_none"].format(document="通知")
    rows = [{"title": r[0], "detail": r[1], "result": r[2]} for t in tables for r in _rows(t)[1:]]
    context = {"rows": rows, "summary": between[0]}
    first = _tables(document, "类别", "材料")[0]
    listed = [{"group": r[0], "title": r[1], "pages": r[2], "status": r[3]} for r in _rows(first)[1:]]
    alone = evidence_table_xml(listed * 3, {})
    folded = evidence_table_xml(listed * 3, {}, folded_pt(context))
    assert folded_pt(context) > 0
    count = str(folded).split("pageBreakBefore")[0].count("<w:tr")
    assert count < str(alone).split("pageBreakBefore")[0].count("<w:tr")


def test_long_eligibility_annex_leaves_the_evidence_list_its_own_page():
    """ensures a 附表3 taking more than half a page (here twelve limiting indicators of two lines)
    is not folded: 附表4 then starts a page, and a 附表3 of one sentence always folds."""
    row = {
        "title": "年度研究与试验发展经费支出额不低于150万元",
        "detail": "1980万元，达到150万元",
        "result": "符合",
    }
    assert folded_pt({"rows": [row] * 3, "summary": TEXT["eligibility_ok"]}) > 0
    assert folded_pt({"rows": [row] * 12, "summary": TEXT["eligibility_ok"]}) == 0
    assert folded_pt({"rows": [], "summary": TEXT["eligibility_none"].format(document="通知")}) > 0


@pytest.mark.parametrize("name", PROGRAMS)
def test_evidence_categories_break_between_words(built, name):
    """ensures 附表4's 类别 labels are set as lines broken after a pause or a particle only
    («相关统计和|财务报表», «评价指标的|必要证明材料»), never mid-word («财务报|表»), where the
    label has such a place; a label that fits its column stays on one line."""
    document, _ = built[name]
    room = (EVIDENCE_WIDTHS[0] - CELL_PADDING_MM) / MM_PER_UNIT
    ends = WORD_TEXT["layout.pauses"] + WORD_TEXT["layout.joins"]
    labels = {r.cells[0].text for t in _tables(document, "类别", "材料") for r in t.rows[1:]}
    assert labels
    for label in labels:
        lines = label.split("\n")
        assert lines == label_lines("".join(lines), room)
        assert all(display_width(line) <= room for line in lines)
        assert all(line[-1] in ends for line in lines[:-1] if any(c in ends for c in "".join(lines)[:-1]))


CODE = re.compile(r"[A-Z]+/T \d+(?:\.\d+)?-\d{4}|ZL\d{9,12}\.[\dX]|CNAS L\d+")  # a standard, patent, lab


@pytest.mark.parametrize("name", PROGRAMS)
def test_evidence_titles_keep_codes_whole(built, name):
    """ensures every 材料 cell of 附表4 is set as lines that fit its column, broken between
    phrases, and an item's code (a standard «DL/T 2045-2019», a patent, a CNAS number) stands
    whole on one line, after its title's colon or on a line of its own (it broke «2045-|2019»)."""
    document, _ = built[name]
    room = (EVIDENCE_WIDTHS[1] - CELL_PADDING_MM) / MM_PER_UNIT
    cells = [r.cells[1].text for t in _tables(document, "类别", "材料") for r in t.rows[1:]]
    codes = 0
    for cell in cells:
        lines = cell.split("\n")
        assert all(display_width(line) <= room for line in lines), lines
        for code in CODE.findall("".join(lines)):
            assert any(code in line for line in lines), (code, lines)
            codes += 1
    assert codes


def test_alliance_total_and_its_cap_note_agree(built):
    """ensures the alliance's 附表2 合计 row prints the notice's 分值 total (100: the IP line is
    marked 20) and the note under the table explains the same 100 with the 90 that can be
    reached (that line «累计不超过10分»: 100 − 20 + 10 = 90), never «全表合计最高90分» beside a
    合计 of 100."""
    document, _ = built["gansu-alliance-2022"]
    rows = [r for t in _tables(document, "一级指标", "二级指标") for r in _rows(t)]
    total = next(r for r in rows if r[0] == "合计")
    assert "100" in total
    notes = [t for t in _paragraphs(document) if "累计不超过10分" in t]
    assert len(notes) == 1
    assert "分值100分中实际可得最高90分" in notes[0]
    assert "全表合计最高90分" not in notes[0]


def test_code_hyphens_do_not_break(built):
    """ensures a standard's code in the narrative («DB51/T 2915-2022») keeps its hyphen with the
    figures after it (a non-breaking hyphen), and the text still reads «2915-2022»."""
    document, _ = built["luzhou-etc-2023"]
    paragraphs = [p for p in document.paragraphs if "2915-2022" in p.text]
    assert paragraphs
    xml = paragraphs[0]._p.xml
    assert "<w:noBreakHyphen/>" in xml
    assert "2915-2022" not in xml  # no plain hyphen left in the code

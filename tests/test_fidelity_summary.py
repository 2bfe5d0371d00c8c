"""The 汇总表 a bureau stamps and sends upward (#17): title and sender lines, rank order with the
unranked rows after and marked, 自评分 beside 核定分, every missing document named, print fit
(no text under 9 pt, repeated titles, A3/A4 landscape), no internal keys, only batch notes, and
the Gansu 申报企业情况汇总表's own columns in the notice's order."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from docgen.cli.main import cli
from docgen.definitions.load import load_catalog, load_catalog_from
from docgen.errors import DefinitionError
from docgen.outputs.summary_xlsx import paper_for
from docgen.word.layout import widest_line
from tests.conftest import EXAMPLE, ROOT

GANSU_DEMO = ROOT / "examples" / "gansu-demo-2022"
INTERNAL_KEY = re.compile(r"（[a-z][a-z0-9_.]*）")  # «（main_revenue）»


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _copy(source: Path, target: Path, replacements: dict[str, str]) -> Path:
    shutil.copytree(source, target)
    path = target / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return target


LUZHOU_NAME = "company_name: 泸州川锐智能装备股份有限公司"
LUZHOU_CODE = "credit_code: 9151050479184265X8"


@pytest.fixture
def luzhou_batch(tmp_path: Path) -> Path:
    """Copies of the Luzhou example: a (as shipped), b (more R&D money: ranks first), c (three
    required documents removed), f (R&D money below the limit: not eligible), e (unreadable)."""
    root = tmp_path / "luzhou"
    _copy(EXAMPLE, root / "a", {})
    _copy(
        EXAMPLE,
        root / "b",
        {
            LUZHOU_NAME: "company_name: 泸州蓝江装备有限公司",
            LUZHOU_CODE: "credit_code: 91510500MA62X5417J",
            "rd_expense: 1980": "rd_expense: 2600",
        },
    )
    c = _copy(
        EXAMPLE,
        root / "c",
        {
            LUZHOU_NAME: "company_name: 泸州江阳精密机械有限公司",
            LUZHOU_CODE: "credit_code: 91510500MA62X5425D",
        },
    )
    for name in ("107-1表.pdf", "利润表.pdf", "承诺书.pdf"):
        (c / "evidence" / name).unlink()
    _copy(
        EXAMPLE,
        root / "f",
        {
            LUZHOU_NAME: "company_name: 泸州合江食品有限公司",
            LUZHOU_CODE: "credit_code: 91510500MA62X54413",
            "rd_expense: 1980": "rd_expense: 100",
        },
    )
    (root / "e").mkdir()
    (root / "e" / "answers.yaml").write_text("program: [\n", encoding="utf-8")
    return root


DEMO_NAME = "company_name: 天水华辰机械制造股份有限公司"
DEMO_CODE = "credit_code: 91620500MA71HC6K8P"


@pytest.fixture
def demo_batch(tmp_path: Path) -> Path:
    """Copies of the Gansu 技术创新示范企业 example: a (as shipped), b (more sales and R&D money),
    c (产品销售收入 not given: its main revenue stands in), d (figures missing: not reviewed)."""
    root = tmp_path / "demo"
    _copy(GANSU_DEMO, root / "a", {})
    _copy(
        GANSU_DEMO,
        root / "b",
        {
            DEMO_NAME: "company_name: 兰州恒远石化装备有限公司",
            DEMO_CODE: "credit_code: 91620100MA72KY61XM",
            "product_sales_revenue: 42000": "product_sales_revenue: 51000",
        },
    )
    _copy(
        GANSU_DEMO,
        root / "c",
        {
            DEMO_NAME: "company_name: 白银新材料科技有限公司",
            DEMO_CODE: "credit_code: 91620100MA72KY628M",
            "  product_sales_revenue: 42000\n": "",
            "main_revenue: 42000": "main_revenue: 39000",
        },
    )
    (root / "d").mkdir()
    (root / "d" / "answers.yaml").write_text(
        "program: gansu-demo-2022\nprofile:\n  company_name: 酒泉风电设备有限公司\n"
        '  industry_code: "38"\n  report_year: 2021\ndata:\n  rd_staff: 10\n',
        encoding="utf-8",
    )
    return root


def _review(batch: Path, program: str, out: Path, *extra: str) -> Path:
    result = run("review", batch, "--program", program, "-o", out, "--jobs", "1", *extra)
    assert result.exit_code == 0, result.output
    return out


def _docx_rows(path: Path) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in Document(path).tables[0].rows]


def _xlsx_rows(path: Path) -> list[list[object]]:
    """The 汇总表 sheet's column titles and rows (row 3 on; rows 1–2 are the title and senders)."""
    sheet = load_workbook(path)["汇总表"]
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    return [r for r in rows[: rows.index([None] * len(rows[0]))]]


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _flat(title: object) -> str:
    return str(title).replace("\n", "")


# -- title and sender lines -----------------------------------------------------------------------


def test_title_and_blank_sender_lines(luzhou_batch: Path, tmp_path: Path):
    """ensures the .docx and the .xlsx open with the title, then 填报单位（盖章）, 经办人及联系电话 and
    填报日期 left blank to fill in by hand («＿＿＿＿» lines) when the bureau is not named."""
    out = _review(luzhou_batch, "luzhou-etc-2023", tmp_path / "out")
    doc = Document(out / "汇总表.docx")
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "泸州市企业技术中心申报企业汇总表"
    assert doc.paragraphs[0].style.name == "Title"
    senders = texts[1].split("\t")
    assert [s.split("：")[0] for s in senders] == ["填报单位（盖章）", "经办人及联系电话", "填报日期"]
    assert senders[0].startswith("填报单位（盖章）：＿＿＿＿")
    assert senders[1].startswith("经办人及联系电话：＿＿＿＿")
    assert senders[2] == "填报日期：＿＿＿＿年＿＿月＿＿日"
    assert doc.element.body.index(doc.paragraphs[1]._p) < doc.element.body.index(doc.tables[0]._tbl)
    sheet = load_workbook(out / "汇总表.xlsx")["汇总表"]
    assert sheet["A1"].value == "泸州市企业技术中心申报企业汇总表"
    assert sheet["A1"].font.sz == 16
    merged = {str(m) for m in sheet.merged_cells.ranges}
    assert "A1:L1" in merged  # across the printed columns
    row2 = [c.value for c in sheet[2] if c.value]
    assert row2 == senders
    assert sheet["A3"].value == "序号"


def test_sender_lines_filled_from_the_options(luzhou_batch: Path, tmp_path: Path):
    """ensures review --unit/--contact/--date fill the three lines in both files."""
    out = _review(
        luzhou_batch,
        "luzhou-etc-2023",
        tmp_path / "out",
        "--unit",
        "泸州市经济和信息化局",
        "--contact",
        "王明 0830-3196123",
        "--date",
        "2023-05-10",
    )
    expected = [
        "填报单位（盖章）：泸州市经济和信息化局",
        "经办人及联系电话：王明 0830-3196123",
        "填报日期：2023年5月10日",
    ]
    assert Document(out / "汇总表.docx").paragraphs[1].text.split("\t") == expected
    sheet = load_workbook(out / "汇总表.xlsx")["汇总表"]
    assert [c.value for c in sheet[2] if c.value] == expected
    assert run("review", luzhou_batch, "--program", "luzhou-etc-2023", "--date", "10.5.2023").exit_code == 2


# -- order and scores -----------------------------------------------------------------------------


def test_rows_in_rank_order_then_the_unranked_marked(luzhou_batch: Path, tmp_path: Path):
    """ensures the rows follow the ranks (b first: more R&D money), then the one not eligible, then
    the one not reviewed, both marked 未排名 and numbered on; the same order in .docx, .xlsx and
    .csv, and a note saying where the unranked rows stand."""
    out = _review(luzhou_batch, "luzhou-etc-2023", tmp_path / "out")
    data = json.loads(run("review", luzhou_batch, "--program", "luzhou-etc-2023", "--json").output)
    ranks = {s["company"] or s["path"]: s["rank"] for s in data["submissions"]}
    ranked = sorted((n for n, r in ranks.items() if r), key=lambda n: ranks[n])
    assert ranked[0] == "泸州蓝江装备有限公司"
    expected = [*ranked, "泸州合江食品有限公司", "e"]
    assert [s["path"] for s in data["submissions"]] == ["a", "b", "c", "e", "f"]  # JSON: folder order
    for rows in (
        _docx_rows(out / "汇总表.docx"),
        _xlsx_rows(out / "汇总表.xlsx"),
        _csv_rows(out / "汇总表.csv"),
    ):
        titles = [_flat(t) for t in rows[0]]
        body = rows[1:]
        assert [r[titles.index("企业名称")] for r in body] == expected
        assert [str(r[0]) for r in body] == ["1", "2", "3", "4", "5"]
        assert [str(r[titles.index("排名")]) for r in body] == ["1", "2", "3", "未排名", "未排名"]
        assert str(body[3][titles.index("是否符合条件")]) == "不符合"
        assert str(body[4][titles.index("是否符合条件")]) == "未评审"
    notes = [p.text for p in Document(out / "汇总表.docx").paragraphs]
    assert any("排名栏填“未排名”的（不符合申报条件或未予评审），列在排名企业之后" in n for n in notes)


def test_claimed_and_evidenced_side_by_side(luzhou_batch: Path, demo_batch: Path, tmp_path: Path):
    """ensures 自评分 and 核定分 are neighbouring columns, Luzhou's claimed score titled as the
    cohort-relative score it is (自评分（整体对比计量）), Gansu's as its form names it (自评得分)."""
    luzhou = _review(luzhou_batch, "luzhou-etc-2023", tmp_path / "luzhou")
    demo = _review(demo_batch, "gansu-demo-2022", tmp_path / "demo")
    for out, claimed in ((luzhou, "自评分（整体对比计量）"), (demo, "自评得分")):
        for rows in (
            _docx_rows(out / "汇总表.docx"),
            _xlsx_rows(out / "汇总表.xlsx"),
            _csv_rows(out / "汇总表.csv"),
        ):
            titles = [_flat(t) for t in rows[0]]
            assert titles[titles.index(claimed) + 1] == "核定分", out
    c = next(r for r in _docx_rows(luzhou / "汇总表.docx") if r[1] == "泸州江阳精密机械有限公司")
    titles = [_flat(t) for t in _docx_rows(luzhou / "汇总表.docx")[0]]
    claimed, evidenced = (float(c[titles.index(k)]) for k in ("自评分（整体对比计量）", "核定分"))
    assert evidenced < claimed  # three documents missing: figures cut


def test_every_missing_document_named(luzhou_batch: Path, tmp_path: Path):
    """ensures the submission with three required documents removed (besides the example's own
    missing 现金流量表) names all four in 缺失材料 of every file, by their checklist titles."""
    out = _review(luzhou_batch, "luzhou-etc-2023", tmp_path / "out")
    evidence = json.loads(run("evidence", luzhou_batch / "c", "--json").output)
    missing = [d["title"] for d in evidence["documents"] if d["status"] != "ok"]
    assert len(missing) == 4
    assert "企业损益表（利润表）" in missing
    assert "企业对报送资料的真实性、完整性承诺书" in missing
    for rows in (
        _docx_rows(out / "汇总表.docx"),
        _xlsx_rows(out / "汇总表.xlsx"),
        _csv_rows(out / "汇总表.csv"),
    ):
        titles = [_flat(t) for t in rows[0]]
        row = next(r for r in rows if r[1] == "泸州江阳精密机械有限公司")
        cell = str(row[titles.index("缺失材料")])
        for title in missing:
            assert title in cell, (title, cell)
        assert "evidence/" not in cell
    assert "须补齐必需材料 4 项" in str(row[titles.index("推荐意见")])


def test_optional_and_item_proofs_are_named_too(demo_batch: Path, tmp_path: Path):
    """ensures 缺失材料 also names the optional documents and item proofs missing (the Gansu demo
    example lacks four optional ones; a copy without 专利受理通知书 lacks every application's
    proof), each kind once, 必需材料/其他材料 telling them apart."""
    (demo_batch / "b" / "evidence" / "专利受理通知书.pdf").unlink()
    out = _review(demo_batch, "gansu-demo-2022", tmp_path / "out")
    rows = _csv_rows(out / "汇总表.csv")
    titles = rows[0]
    cell = next(r for r in rows if r[1] == "兰州恒远石化装备有限公司")[titles.index("缺失材料")]
    assert cell.startswith("必需材料：申报材料真实性承诺书。其他材料：")
    assert "外部专家聘用协议或工作证明" in cell
    assert cell.count("专利申请受理通知书") == 1
    assert re.search(r"专利申请受理通知书（\d{9,}\.\d、\d{9,}", cell), cell


# -- print ----------------------------------------------------------------------------------------


def _docx_sizes(path: Path) -> list[float]:
    doc = Document(path)
    sizes = [s.font.size.pt for s in doc.styles if getattr(s, "font", None) is not None and s.font.size]
    for element in (doc.element.body, *(s.footer._element for s in doc.sections)):
        for size in element.iter(qn("w:sz")):
            sizes.append(int(size.get(qn("w:val"))) / 2)
    return sizes


def test_docx_prints_readably(luzhou_batch: Path, demo_batch: Path, tmp_path: Path):
    """ensures no text of the .docx is under 9 pt (runs, styles, the footer), the pages are
    landscape (A3 when the table cannot fit A4: the Gansu table has more columns), the title row
    repeats on every page (w:tblHeader) and no submission's row breaks over a page."""
    luzhou = _review(luzhou_batch, "luzhou-etc-2023", tmp_path / "luzhou")
    demo = _review(demo_batch, "gansu-demo-2022", tmp_path / "demo")
    for out, paper in ((luzhou, (297, 210)), (demo, (420, 297))):
        path = out / "汇总表.docx"
        sizes = _docx_sizes(path)
        assert sizes
        assert min(sizes) >= 9, (path, min(sizes))
        doc = Document(path)
        section = doc.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == paper
        table = doc.tables[0]
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows[1:])
        runs = [r for row in table.rows for cell in row.cells for p in cell.paragraphs for r in p.runs]
        assert all(r.font.size == Pt(9) for r in runs)


def test_xlsx_prints_readably(luzhou_batch: Path, demo_batch: Path, tmp_path: Path):
    """ensures the .xlsx prints landscape with the column titles repeated (print titles), its
    columns fitted to their text (each at least as wide as its widest title line, figures and
    scores as wide as their widest value), the default font the text's own (宋体 10 pt, Excel's
    width unit), and a paper on which the columns fit at 9 pt or more."""
    splits = []
    for batch, program in ((luzhou_batch, "luzhou-etc-2023"), (demo_batch, "gansu-demo-2022")):
        out = _review(batch, program, tmp_path / program)
        workbook = load_workbook(out / "汇总表.xlsx")
        assert (workbook._fonts[0].name, workbook._fonts[0].sz) == ("宋体", 10)
        sheet = workbook["汇总表"]
        setup = sheet.page_setup
        assert setup.orientation == "landscape"
        assert sheet.print_title_rows == "$3:$3"
        assert sheet.freeze_panes == "B4"
        titles = [c.value for c in sheet[3]]
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[3]]
        for title, width in zip(titles, widths, strict=True):
            assert widest_line(title) <= width - 1, title
        for index, title in enumerate(titles):
            if _flat(title) in ("核定分", "排名", "序号") or "万元" in title:
                last = 3 + len(_xlsx_rows(out / "汇总表.xlsx")) - 1  # the table's last row
                cells = [sheet.cell(row=r, column=index + 1) for r in range(4, last + 1)]
                shown = [
                    f"{c.value:,.2f}" if isinstance(c.value, float) else str(c.value)
                    for c in cells
                    if c.value
                ]
                assert all(widest_line(v) <= widths[index] for v in shown), (title, shown)
        printed = widths[:-1]  # the 材料文件夹 column is the reviewer's, not printed
        assert (
            sheet.print_area
            == f"'汇总表'!$A$1:${sheet.cell(row=3, column=len(printed)).column_letter}${sheet.max_row}"
        )
        paper, scale = paper_for(printed)
        assert str(setup.paperSize) == paper
        assert paper in ("9", "8")  # A4 or A3
        assert scale is not None
        assert 10 * scale >= 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert setup.fitToWidth == 1
        fonts = {c.font.sz for row in sheet.iter_rows() for c in row if c.value is not None}
        assert min(fonts) >= 10
        # the 完整性核对 sheet (one column per document and section) fits one page width at 9 pt
        # or more, or prints at full size over several pages with the 企业名称 column repeated
        matrix = workbook["完整性核对"]
        widths = [matrix.column_dimensions[c.column_letter].width for c in matrix[1]]
        paper, scale = paper_for(widths)
        assert str(matrix.page_setup.paperSize) == paper
        assert matrix.print_title_rows == "$1:$1"
        if scale is None:
            assert matrix.print_title_cols == "$A:$A"
            assert matrix.page_setup.scale == 100
            assert not matrix.sheet_properties.pageSetUpPr.fitToPage
        else:
            assert 10 * scale >= 9
            assert matrix.sheet_properties.pageSetUpPr.fitToPage
        splits.append(scale is None)
    assert splits == [True, False]  # Luzhou's checklist and outline give more columns than Gansu's


# -- wording and notes ----------------------------------------------------------------------------


def test_no_internal_keys_anywhere(demo_batch: Path, tmp_path: Path):
    """ensures the 备注 of a submission not reviewed quotes its errors by the fields' Chinese
    labels, never their keys («（product_sales_revenue）»), in every file."""
    out = _review(demo_batch, "gansu-demo-2022", tmp_path / "out")
    rows = _csv_rows(out / "汇总表.csv")
    remarks = next(r for r in rows if r[1] == "酒泉风电设备有限公司")[rows[0].index("备注")]
    assert "缺少计分所需的数据“产品销售收入”" in remarks
    doc = Document(out / "汇总表.docx")
    texts = [p.text for p in doc.paragraphs] + [c.text for row in doc.tables[0].rows for c in row.cells]
    workbook = load_workbook(out / "汇总表.xlsx")
    texts += [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value]
    texts += [cell for row in rows for cell in row]
    assert not [t for t in texts if INTERNAL_KEY.search(t)]
    assert any("产品销售收入" in t for t in texts)


def test_only_batch_notes_under_the_table(tmp_path: Path):
    """ensures the 说明 under a Gansu ETC 汇总表 holds what concerns the batch (ranking rule,
    threshold and quota, 加分) and none of the notes on how single lines score or how docgen
    reads the notice."""
    root = tmp_path / "etc"
    _copy(ROOT / "examples" / "gansu-etc-2022", root / "a", {})
    out = _review(root, "gansu-etc-2022", tmp_path / "out")
    paragraphs = [p.text for p in Document(out / "汇总表.docx").paragraphs]
    notes = paragraphs[paragraphs.index("说明：") + 1 :]
    assert notes[0].startswith("1．排名规则")
    assert any("推荐名额：5 个" in n for n in notes)
    program = load_catalog().programs["gansu-etc-2022"]
    assert program.summary_notes == ()
    for note in program.notes.values():
        assert not any(note.text in line for line in notes), note.id
    assert len(notes) == 4  # 排名规则, 推荐线/名额, 未排名, 加分


# -- the notice's own 汇总表 ------------------------------------------------------------------------


def test_gansu_demo_columns_are_the_notices(demo_batch: Path, tmp_path: Path):
    """ensures the Gansu 技术创新示范企业 汇总表 carries the columns of the notice's 申报企业情况
    汇总表 (the blank template docgen forms prints) in their order — 所属行业, 产品销售收入,
    联系人及电话 among them — with the review's columns added between (核定分 beside 自评得分),
    its title, and the figures: 产品销售收入 as given, else the main revenue (the program's note)."""
    program = load_catalog().programs["gansu-demo-2022"]
    template = next(a for a in program.attachments if a.title == "申报企业情况汇总表")
    published = [c.title for c in template.columns]
    assert published == [
        "序号",
        "企业名称",
        "所属行业",
        "产品销售收入（万元）",
        "研发经费支出（万元）",
        "自评得分",
        "联系人及电话",
        "备注",
    ]
    out = _review(demo_batch, "gansu-demo-2022", tmp_path / "out")
    assert Document(out / "汇总表.docx").paragraphs[0].text == "甘肃省技术创新示范企业申报企业情况汇总表"
    for rows in (
        _docx_rows(out / "汇总表.docx"),
        _xlsx_rows(out / "汇总表.xlsx"),
        _csv_rows(out / "汇总表.csv"),
    ):
        titles = [_flat(t) for t in rows[0]]
        positions = [titles.index(t) for t in published]
        assert positions == sorted(positions), titles
        assert titles[titles.index("自评得分") + 1] == "核定分"
        by_name = {r[1]: dict(zip(titles, r, strict=False)) for r in rows[1:]}
        a = by_name["天水华辰机械制造股份有限公司"]
        assert str(a["所属行业"]) == "34 通用设备制造业"
        assert str(a["联系人及电话"]) == "周婷 0938-6612890"
        assert str(a["产品销售收入（万元）"]).replace(",", "") in ("42000", "42000.00")
        c = by_name["白银新材料科技有限公司"]
        assert str(c["产品销售收入（万元）"]).replace(",", "") in ("39000", "39000.00")
    notes = [p.text for p in Document(out / "汇总表.docx").paragraphs]
    assert any(
        n.endswith("比重的分母为“产品销售收入”；未填报产品销售收入的，以主营业务收入计算。") for n in notes
    )


def test_generic_programs_keep_the_generic_columns(luzhou_batch: Path, tmp_path: Path):
    """ensures a program without its own 汇总表 (Luzhou) keeps docgen's columns and title."""
    out = _review(luzhou_batch, "luzhou-etc-2023", tmp_path / "out")
    titles = _csv_rows(out / "汇总表.csv")[0]
    assert titles[:5] == ["序号", "企业名称", "行业", "主营业务收入（万元）", "研发经费（万元）"]
    assert "联系人及电话" not in titles


@pytest.mark.parametrize(
    ("columns", "problem"),
    [
        ("[{column: index}, {column: claimed}, {column: rank}, {column: evidenced}]", "紧接 evidenced"),
        ("[{column: index}, {column: total}, {column: claimed}, {column: evidenced}]", "column 应为"),
        ("[{column: figure}, {column: claimed}, {column: evidenced}]", "figure、profile 列须有 field"),
        ("[{column: figure, field: no_such}, {column: claimed}, {column: evidenced}]", None),
    ],
)
def test_summary_table_definitions_are_checked(tmp_path: Path, columns: str, problem: str | None):
    """ensures a program's summary_table is checked at load: known column kinds, figures with a
    defined field, 自评分 immediately followed by 核定分."""
    for name in ("programs", "outlines", "checklists"):
        shutil.copytree(ROOT / name, tmp_path / name)
    path = tmp_path / "programs" / "gansu-etc-2022.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("summary_table:")
    end = text.index("\nmax_score:")
    path.write_text(text[:start] + f"summary_table:\n  columns: {columns}" + text[end:], encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_catalog_from(tmp_path / "programs", tmp_path / "outlines", tmp_path / "checklists")
    found = [(d.code, d.message) for d in info.value.diagnostics]
    if problem is None:
        assert ("definition.unknown_field", "引用了未定义的数据项“no_such”") in found
    else:
        assert any(problem in message for _, message in found), found

"""Notice attachments: blank and filled forms, checked with python-docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from docgen.cli.main import cli
from docgen.outputs.form_layout import FORMS_TEMPLATE
from docgen.word.render import template_path

ROOT = Path(__file__).parent.parent
SEAL = "填报单位（盖章）："
DATE = "填报日期：　　　　年　　月　　日"
SEALED = [
    ("gansu-etc-2022", "附件1-甘肃省企业技术中心自评表.docx"),
    ("gansu-itc-2022", "附件2-甘肃省行业技术中心自评表.docx"),
    ("gansu-alliance-2022", "附件3-甘肃省产业技术创新产业联盟自评表.docx"),
    ("gansu-demo-2022", "附件4-技术创新示范企业申报自评表.docx"),
    ("luzhou-etc-2023", "附件3-泸州市企业技术中心评价数据表.docx"),
]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def first_table_texts(doc, column: int) -> list[str]:
    table = doc.tables[-1] if len(doc.tables) == 1 else doc.tables[0]
    return [row.cells[column].text for row in table.rows]


@pytest.fixture(scope="module")
def all_forms(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("forms")
    result = run("forms", "--all", "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_every_program_has_its_attachments(all_forms: Path):
    """ensures the file names 附件N-<title>.docx for the six programs."""
    names = {p.parent.name: sorted(x.name for x in p.parent.iterdir()) for p in all_forms.rglob("*.docx")}
    assert names["luzhou-etc-2023"] == [
        "附件1-《泸州市企业技术中心申请报告》编写提纲.docx",
        "附件2-《泸州市企业技术中心工作总结》编写提纲.docx",
        "附件3-泸州市企业技术中心评价数据表.docx",
        "附件4-泸州市企业技术中心评价指标体系.docx",
    ]
    assert names["gansu-etc-2022"] == ["附件1-甘肃省企业技术中心自评表.docx"]
    assert names["gansu-itc-2022"] == ["附件2-甘肃省行业技术中心自评表.docx"]
    assert names["gansu-alliance-2022"] == [
        "培育组建汇总表.docx",
        "附件3-甘肃省产业技术创新产业联盟自评表.docx",
    ]
    assert names["gansu-demo-2022"] == [
        "申报企业情况汇总表.docx",
        "附件4-技术创新示范企业申报自评表.docx",
    ]
    assert names["national-etc-2021"] == ["附件1-国家企业技术中心评价方法.docx"]


def test_layout_label_title_page(all_forms: Path):
    """ensures the 附件 label in 黑体, the title style, A4 with GB/T 9704 margins, East Asian fonts."""
    doc = Document(all_forms / "gansu-etc-2022" / "附件1-甘肃省企业技术中心自评表.docx")
    label, title = doc.paragraphs[0], doc.paragraphs[1]
    assert label.text == "附件1"
    assert label.runs[0].font.size.pt == 16
    assert label.runs[0]._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert title.text == "甘肃省企业技术中心自评表"
    assert title.style.name == "Title"
    assert doc.styles["Title"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [
        round(m.mm)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ]
    assert margins == [37, 35, 28, 26]
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ")
    assert footer.text.endswith(" —")
    assert doc.settings.odd_and_even_pages_header_footer


def test_gansu_etc_rows_in_order_with_merged_groups(all_forms: Path):
    """ensures every row label of the Gansu ETC form in order, 一级/二级 cells merged, 得分 empty."""
    doc = Document(all_forms / "gansu-etc-2022" / "附件1-甘肃省企业技术中心自评表.docx")
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["一级指标", "二级指标", "权重(分)", "三级指标", "得分"]  # as published
    third = [row.cells[3].text.split("。")[0] for row in table.rows[1:]]
    assert third[:3] == [
        "研发人员人均研发经费支出",
        "研发经费支出占主营业务收入的比重",
        "研发人员占企业职工总数的比重",
    ]
    assert third[-1] == "获国家、甘肃省优秀新产品、技术发明、科技进步奖"
    assert len(third) == 15
    assert all(row.cells[4].text == "" for row in table.rows[1:])
    restarts = [
        tc
        for tc in table._tbl.iter(qn("w:tc"))
        if tc.tcPr is not None
        and tc.tcPr.find(qn("w:vMerge")) is not None
        and tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"
    ]
    assert len(restarts) >= 6
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_luzhou_indicator_system_parts(all_forms: Path):
    """ensures 附件4 has the table with basic requirements, the 38+1 coefficient rows and the limits."""
    doc = Document(all_forms / "luzhou-etc-2023" / "附件4-泸州市企业技术中心评价指标体系.docx")
    indicators, coefficients = doc.tables
    basics = {row.cells[3].text: row.cells[6].text for row in indicators.rows[1:]}
    assert basics["研发人员人均研发经费支出"] == "≥3"
    assert basics["研发经费支出占主营业务收入的比重"] == "分档"
    assert basics["企业技术开发仪器设备原值"] == "≥150"
    assert len(coefficients.rows) == 1 + 39
    texts = [p.text for p in doc.paragraphs]
    assert "四、限定性指标的最低标准" in texts
    assert "3.年度技术开发仪器设备原值不低于150万元。" in texts


def test_demo_form_has_result_column(all_forms: Path):
    """ensures the demo form's 基本要求 keep `>` and `≥` as printed and 评价结果 is empty."""
    doc = Document(all_forms / "gansu-demo-2022" / "附件4-技术创新示范企业申报自评表.docx")
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][-1] == "评价结果"
    basics = {row.cells[2].text: row.cells[5].text for row in table.rows[1:]}
    assert basics["研发人员年人均收入与企业年人均收入之比"] == ">1.2"
    assert basics["企业研发经费支出额占产品销售收入的比重"] == "≥2"


def test_filled_forms(example: Path, tmp_path: Path):
    """ensures --fill writes the values, the scores and the signed-off fields."""
    out = tmp_path / "filled"
    result = run("forms", "luzhou-etc-2023", "--fill", example, "-o", out)
    assert result.exit_code == 0, result.output
    data = Document(out / "附件3-泸州市企业技术中心评价数据表.docx")
    values = {row.cells[1].text: row.cells[3].text for row in data.tables[1].rows[1:]}
    assert values["主营业务收入"] == "56800"
    assert values["市级及以上研发平台数"] == "2"
    texts = [p.text for p in data.paragraphs]
    assert any(t.startswith("填报单位（盖章）：泸州川锐智能装备股份有限公司") for t in texts)
    form = Document(out / "附件4-泸州市企业技术中心评价指标体系.docx")
    assert form.tables[0].rows[-3].cells[0].text == "基本分"  # the totals close the table
    assert not any(p.text.startswith("基本分 ") for p in form.paragraphs)


def closing_rows(table, count: int = 2) -> list[list[str]]:
    """Returns the texts of the last ``count`` rows, one entry per grid cell (spans repeat)."""
    return [[c.text for c in row.cells] for row in table.rows[-count:]]


def grid_span(row) -> int:
    span = row._tr.tc_lst[0].tcPr.find(qn("w:gridSpan"))
    return int(span.get(qn("w:val"))) if span is not None else 1


def body_after(doc, table) -> list[str]:
    """Returns the texts of the paragraphs that directly follow ``table`` in the body."""
    out = []
    for element in table._tbl.itersiblings():
        if element.tag != qn("w:p"):
            break
        out.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
    return out


def test_blank_demo_form_closes_with_its_published_total_row(all_forms: Path):
    """ensures the demo form's own 总分 row (the notice prints it): label across the group and
    indicator columns, every other cell left blank, no 加分小计 the notice does not print."""
    table = Document(all_forms / "gansu-demo-2022" / "附件4-技术创新示范企业申报自评表.docx").tables[0]
    before, total = closing_rows(table)
    assert total == ["总分", "总分", "总分", "", "", "", ""]
    assert grid_span(table.rows[-1]) == 3
    assert before[2] == "年末现金净流量与可供分配利润的差额"
    assert table.rows[-1]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_filled_alliance_total_without_bonus(tmp_path: Path):
    """ensures a filled form without bonus items ends with one 合计 row and no 加分小计."""
    out = tmp_path / "alliance"
    example = ROOT / "examples" / "gansu-alliance-2022"
    assert run("forms", "gansu-alliance-2022", "--fill", example, "-o", out).exit_code == 0
    table = Document(out / "附件3-甘肃省产业技术创新产业联盟自评表.docx").tables[0]
    before, total = closing_rows(table)
    assert total[:3] == ["合计", "合计", "合计"]
    assert before[0].replace("\n", "").replace("\u2060", "") == "特色工作(5分)"


def score_json(program: str) -> dict:
    import json

    result = run("score", ROOT / "examples" / program, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize(
    ("program", "name", "cell"),
    [
        ("gansu-etc-2022", "附件1-甘肃省企业技术中心自评表.docx", "{:.2f}"),
        ("gansu-demo-2022", "附件4-技术创新示范企业申报自评表.docx", "{:.2f}分"),
        ("gansu-itc-2022", "附件2-甘肃省行业技术中心自评表.docx", "{:.2f}"),
    ],
    ids=["gansu-etc", "gansu-demo", "gansu-itc"],
)
def test_filled_totals_are_the_scores(tmp_path: Path, program, name, cell):
    """ensures --fill writes the bonus subtotal and the total of `docgen score` into the last rows."""
    out = tmp_path / program
    result = run("forms", program, "--fill", ROOT / "examples" / program, "-o", out)
    assert result.exit_code == 0, result.output
    score = score_json(program)
    bonus, total = closing_rows(Document(out / name).tables[0])
    assert bonus[-1] == cell.format(score["bonus_score"])
    assert total[-1] == cell.format(score["total"])


@pytest.mark.parametrize(("program", "name"), SEALED, ids=[p for p, _ in SEALED])
def test_sealed_forms_have_seal_and_date_under_the_table_when_filled(
    all_forms: Path, tmp_path: Path, program, name
):
    """ensures a blank form the enterprise files prints no seal block (the notices print none),
    and its filled copy has 填报单位（盖章）：<company> and 填报日期： right under its table."""
    blank = Document(all_forms / program / name)
    assert not [p for p in blank.paragraphs if p.text.startswith((SEAL, "填报日期"))]
    out = tmp_path / program
    assert run("forms", program, "--fill", ROOT / "examples" / program, "-o", out).exit_code == 0
    doc = Document(out / name)
    after = [text for text in body_after(doc, doc.tables[-1]) if text]
    assert after[0].startswith(SEAL)
    assert len(after[0]) > len(SEAL)
    assert after[1].startswith("填报日期：")
    assert ":" not in SEAL + DATE


def test_forms_not_filed_by_the_enterprise_have_no_seal(all_forms: Path, example: Path, tmp_path: Path):
    """ensures the indicator system and the national method (read, not filed) carry no seal line
    when blank, a filled outline never does, and a filled indicator system (the enterprise's
    self-evaluation) has one."""
    for path in (
        all_forms / "luzhou-etc-2023" / "附件4-泸州市企业技术中心评价指标体系.docx",
        all_forms / "national-etc-2021" / "附件1-国家企业技术中心评价方法.docx",
    ):
        assert not [p for p in Document(path).paragraphs if p.text.startswith(SEAL)]
    out = tmp_path / "filled"
    assert run("forms", "luzhou-etc-2023", "--fill", example, "-o", out).exit_code == 0
    outline = Document(out / "附件1-《泸州市企业技术中心申请报告》编写提纲.docx")
    assert not [p for p in outline.paragraphs if p.text.startswith(SEAL)]
    indicators = Document(out / "附件4-泸州市企业技术中心评价指标体系.docx")
    assert [p.text for p in indicators.paragraphs if p.text.startswith(SEAL)] == [
        SEAL + "泸州川锐智能装备股份有限公司"
    ]


def test_filled_data_table_sealed_once_under_the_table(example: Path, tmp_path: Path):
    """ensures the filled Luzhou 附件3 names the company in its seal line under the table, once."""
    out = tmp_path / "filled"
    assert run("forms", "luzhou-etc-2023", "--fill", example, "-o", out).exit_code == 0
    doc = Document(out / "附件3-泸州市企业技术中心评价数据表.docx")
    after = [text for text in body_after(doc, doc.tables[-1]) if text]
    assert after[:3] == [
        SEAL + "泸州川锐智能装备股份有限公司",
        "填报日期：2023年4月28日",
        "一、填写说明",
    ]  # the report date
    assert sum(p.text.startswith(SEAL) for p in doc.paragraphs) == 1


def test_filled_summary_table_keeps_one_blank_seal(tmp_path: Path):
    """ensures a filled summary table (filed by the 主管部门) has one blank seal line, not the company's."""
    out = tmp_path / "demo"
    assert (
        run("forms", "gansu-demo-2022", "--fill", ROOT / "examples" / "gansu-demo-2022", "-o", out).exit_code
        == 0
    )
    texts = [p.text for p in Document(out / "申报企业情况汇总表.docx").paragraphs]
    assert [t for t in texts if t.startswith(SEAL)] == [SEAL]


def test_filled_alliance_form_carries_no_scoring_notes(tmp_path: Path, catalog):
    """ensures the filled alliance form is the published form plus the scores: no 说明 block of the
    program's notes (they are in the report's 计分过程), the seal and date right under the table."""
    out = tmp_path / "alliance"
    example = ROOT / "examples" / "gansu-alliance-2022"
    assert run("forms", "gansu-alliance-2022", "--fill", example, "-o", out).exit_code == 0
    doc = Document(out / "附件3-甘肃省产业技术创新产业联盟自评表.docx")
    after = [text for text in body_after(doc, doc.tables[0]) if text]
    body = "".join(p.text for p in doc.paragraphs)
    for note in catalog.programs["gansu-alliance-2022"].notes.values():
        assert note.text not in body
    assert "说明：" not in after
    lead_unit = "甘肃陇药科技集团有限公司"  # it seals for the alliance (sealed_by)
    assert after == [SEAL + lead_unit, "填报日期：2022年7月15日"]  # the answers' report date


def test_blank_forms_show_no_scoring_notes(all_forms: Path):
    """ensures the blank alliance form stays as the notice prints it: no 说明 block of docgen's notes."""
    doc = Document(all_forms / "gansu-alliance-2022" / "附件3-甘肃省产业技术创新产业联盟自评表.docx")
    assert "说明：" not in [p.text for p in doc.paragraphs]


def test_bounds_have_no_space_after_the_sign(all_forms: Path):
    """ensures no space after ≥ > ≤ in any table cell (headers keep the notice's own brackets:
    «权重(分)» in the Gansu forms, see tests/test_fidelity_forms.py)."""
    import re

    for path in all_forms.rglob("*.docx"):
        for table in Document(path).tables:
            spaced = [c.text for row in table.rows for c in row.cells if re.search(r"[≥≤><] ", c.text)]
            assert not spaced, (path.name, spaced)


CHAR_MM = 10.5 * 25.4 / 72  # one CJK character of 5号 type
NARROW_MM = 30


def _units(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2000 else 1 for ch in text if ch != "\u2060")


def _parts(text: str) -> list[str]:
    """Splits at brackets: «权重（分）» / «权重(分)» may break before the bracket, not inside «权重»."""
    import re

    return [p for p in re.split(r"([（(][^）)]*[）)])", text) if p]


def _line_problems(path: Path) -> list[str]:
    problems = []
    for table in Document(path).tables:
        grid = [int(c.get(qn("w:w"))) / 56.7 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        margin = table._tbl.tblPr.find(qn("w:tblCellMar"))
        pad = (
            sum(int(margin.find(qn(f"w:{e}")).get(qn("w:w"))) / 56.7 for e in ("left", "right"))
            if margin is not None
            else 3.8  # Word's default 1.9 mm on either side
        )
        for row_index, tr in enumerate(table._tbl.tr_lst):
            column = 0
            for tc in tr.tc_lst:
                span = tc.grid_span
                width = sum(grid[column : column + span])
                column += span
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                capacity = (width - pad) / CHAR_MM
                for part in _parts(text):
                    units = _units(part)
                    if row_index == 0 and units <= 8 and units > capacity + 1e-6:
                        problems.append(f"{path.name}: header «{text}» in {width:.1f} mm")
                    if width >= NARROW_MM or row_index == 0:
                        continue
                    if units <= 4 and units > capacity + 1e-6:
                        problems.append(f"{path.name}: «{text}» in {width:.1f} mm")
                    per_line = int(capacity + 1e-6)
                    chinese = part == part.strip() and all(ord(ch) > 0x2000 for ch in part)
                    if chinese and len(part) > per_line and len(part) % per_line == 1:
                        problems.append(f"{path.name}: «{text}» leaves one character alone")
    return problems


def test_narrow_columns_keep_short_words_on_one_line(all_forms: Path, tmp_path: Path):
    """ensures headings and group names up to four characters fit their column and none breaks one character off."""
    out = tmp_path / "filled"
    for program in ("gansu-etc-2022", "gansu-demo-2022", "gansu-alliance-2022", "luzhou-etc-2023"):
        result = run("forms", program, "--fill", ROOT / "examples" / program, "-o", out / program)
        assert result.exit_code == 0, result.output
    paths = [*all_forms.rglob("*.docx"), *out.rglob("*.docx")]
    problems = [problem for path in paths for problem in _line_problems(path)]
    assert problems == []


def test_column_widths_fill_the_text_block(all_forms: Path):
    """ensures every form table is as wide as the GB/T 9704 text block (156 mm portrait) or narrower."""
    for path in all_forms.rglob("*.docx"):
        doc = Document(path)
        section = doc.sections[0]
        block = (section.page_width - section.left_margin - section.right_margin) / 36000
        for table in doc.tables:
            grid = [int(c.get(qn("w:w"))) / 56.7 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
            assert sum(grid) <= block + 0.5, (path.name, sum(grid), block)


def test_gansu_etc_widths(all_forms: Path):
    """ensures the Gansu ETC form gives 一级指标 room for «产出与效益», 得分 room for «10.00»
    written in (#17: the published 12 mm left 9 mm of text), and the criteria the rest."""
    table = Document(all_forms / "gansu-etc-2022" / "附件1-甘肃省企业技术中心自评表.docx").tables[0]
    grid = [round(int(c.get(qn("w:w"))) / 56.7) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == [21, 18, 14, 90, 13]


def test_codes_read_as_published(all_forms: Path):
    """ensures «GB/T4754-2011» is printed as published, found by a plain text search (no joiner)."""
    doc = Document(all_forms / "luzhou-etc-2023" / "附件3-泸州市企业技术中心评价数据表.docx")
    texts = [p.text for p in doc.paragraphs if "4754" in p.text]
    assert len(texts) == 1
    assert "（GB/T4754-2011）》" in texts[0]
    assert "《国民经济行业分类与代码（GB/T4754-2011）》" in texts[0].replace(
        "\n", ""
    )  # a break may lead the code


def test_forms_take_their_styles_from_their_own_template():
    """ensures that the forms' and 汇总表's styles template (templates/styles/forms.docx) is an A4
    document with an empty body whose styles carry the official East Asian fonts and zh-CN, asks
    Word for no field update on opening, and is not a docxtpl template (no sidecar, not exported)."""
    import zipfile

    path = template_path(FORMS_TEMPLATE)
    doc = Document(str(path))
    assert [child.tag for child in doc.element.body] == [qn("w:sectPr")]
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = {
        "Normal": "仿宋_GB2312",
        "Body Text": "仿宋_GB2312",
        "Note": "仿宋_GB2312",
        "Title": "方正小标宋简体",
        "Heading 1": "黑体",
        "Table Text": "宋体",
        "Table Text Left": "宋体",
    }
    for name, font in fonts.items():
        rpr = doc.styles[name].element.rPr
        assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == font, name
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN", name
    with zipfile.ZipFile(path) as archive:
        assert b"updateFields" not in archive.read("word/settings.xml")
    assert not path.with_name(path.stem + ".prepared.json").exists()
    assert path.parent != template_path("missing-evidence.docx").parent  # `templates export` skips it

"""Issue #17 «Blank attachments change or drop published text»: the blank forms of the six programs
checked against the seed notices (seeds 000, 003, 004), verbatim, with python-docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from docgen.cli.main import cli

ROOT = Path(__file__).parent.parent
LUZHOU = "luzhou-etc-2023"
NATIONAL = "national-etc-2021"
DATA_TABLE = "附件3-泸州市企业技术中心评价数据表.docx"
INDICATORS = "附件4-泸州市企业技术中心评价指标体系.docx"
METHOD = "附件1-国家企业技术中心评价方法.docx"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def forms(blank_forms: Path) -> Path:
    return blank_forms


@pytest.fixture(scope="module")
def filled(filled_forms: Path) -> Path:
    return filled_forms


def texts(path: Path) -> list[str]:
    return [p.text.replace("\u2060", "") for p in Document(path).paragraphs]


def rows(table) -> list[list[str]]:
    """Returns the table's rows, one text per cell as Word shows it (a merged cell once)."""
    out = []
    for tr in table._tbl.tr_lst:
        out.append(
            [
                "".join(t.text or "" for t in tc.iter(qn("w:t"))).replace("\u2060", "").replace("\n", "")
                for tc in tr.tc_lst
            ]
        )
    return out


# -- Luzhou 附件1 / 附件2: the outlines' items as printed ----------------------------------------


def test_luzhou_work_summary_items_keep_their_titles(forms: Path):
    """ensures 附件2 items 2–4 read as the notice prints them, title first («2.企业技术创新体系建设情况，包括…»)."""
    lines = texts(forms / LUZHOU / "附件2-《泸州市企业技术中心工作总结》编写提纲.docx")
    items = [t for t in lines if t[:2] in {f"{n}." for n in range(1, 6)}]
    starts = [
        "1.简要分析企业所在行业创新趋势和特点，",
        "2.企业技术创新体系建设情况，包括企业技术创新体系基本情况",
        "3.企业技术创新活动开展情况，包括重点创新项目的组织实施",
        "4.企业技术中心取得的主要创新成果，形成的核心技术",
        "5.其他有特色的工作情况。",
    ]
    assert len(items) == len(starts)
    assert all(item.startswith(start) for item, start in zip(items, starts, strict=True))
    assert "2.包括" not in "".join(lines)


def test_luzhou_application_outline_invents_no_titles(forms: Path):
    """ensures 附件1 三.1 and 三.2 print the notice's text alone, without the titles docgen's outline gives them."""
    lines = texts(forms / LUZHOU / "附件1-《泸州市企业技术中心申请报告》编写提纲.docx")
    chapter = lines[lines.index("三、企业技术创新战略和规划") + 1 :]
    assert chapter == [
        "1.企业制定未来3~5年技术创新发展战略情况，及该战略对企业总体发展目标的支撑情况。",
        "2.企业近期在技术创新方面拟实施的重点举措，包括创新条件建设、创新人才集聚、重点研发项目部署等。",
    ]
    assert "企业技术创新发展战略。" not in "".join(lines)
    assert "1.企业基本情况。包括所有制性质" in "".join(lines)  # where the notice gives a title, it stays


def test_report_headings_still_use_the_outline_titles(catalog):
    """ensures the outline's titles (the report's headings) are unchanged by the printed items."""
    sections = catalog.outlines["luzhou-application"].sections
    assert [s.title for s in sections][-2:] == ["企业技术创新发展战略", "企业近期拟实施的重点举措"]
    summary = catalog.outlines["luzhou-summary"].sections
    assert summary[1].title == "企业技术创新体系建设情况"


# -- Luzhou 附件3: header block and 指标解释 ---------------------------------------------------


def test_luzhou_data_table_header_block_as_published(forms: Path):
    """ensures the header block of 附件3: 企业名称 on its own row, the notice's pairs, three 联系电话."""
    block = Document(forms / LUZHOU / DATA_TABLE).tables[0]
    labels = [[cell for index, cell in enumerate(row) if index % 2 == 0] for row in rows(block)]
    assert labels == [
        ["企业名称"],
        ["通讯地址", "下属企业数量"],
        ["主营业务", "统计行业代码"],
        ["企业负责人", "联系电话"],
        ["技术中心负责人", "联系电话"],
        ["联系人", "联系电话"],
        ["电子邮件", "联系传真"],
        ["企业网址", "报告年度"],
    ]
    first = block.rows[0]._tr.tc_lst
    assert len(first) == 2
    assert first[1].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "3"


def test_luzhou_data_table_rows_as_published(forms: Path):
    """ensures the blank 附件3 table has the notice's 18 numbered rows and its one «其中» row,
    not the row docgen adds for scoring."""
    table = rows(Document(forms / LUZHOU / DATA_TABLE).tables[1])
    assert [r[0] for r in table[1:]] == [str(n) for n in range(1, 14)] + [""] + [
        str(n) for n in range(14, 19)
    ]
    assert table[14][1] == "其中：被受理的发明专利申请数"
    assert "其中：基础研究和应用研究项目数" not in [r[1] for r in table]


def test_filled_data_table_leaves_out_the_added_row(filled: Path):
    """ensures the filled 附件3 is the published table too: no «其中：基础研究和应用研究项目数» row
    (docgen's, for scoring; its figure is in the report's 附表1), the notice's rows all filled."""
    table = rows(Document(filled / LUZHOU / DATA_TABLE).tables[1])
    assert "其中：基础研究和应用研究项目数" not in [r[1] for r in table]
    assert [r[0] for r in table[1:]] == [str(n) for n in range(1, 14)] + [""] + [
        str(n) for n in range(14, 19)
    ]
    assert table[8][1:] == ["企业全部研发项目数", "项", "26"]
    block = rows(Document(filled / LUZHOU / DATA_TABLE).tables[0])
    assert block[0] == ["企业名称", "泸州川锐智能装备股份有限公司"]


def test_luzhou_explanations_numbered_and_worded_as_published(forms: Path):
    """ensures the 指标解释 follow the table's numbering (row 14 is explanation 14) and keep the
    notice's words: «（简称“研发”）», 8's last sentence, 15's 制造业/建筑业/服务业 text."""
    lines = texts(forms / LUZHOU / DATA_TABLE)
    start = lines.index("三、指标解释和填报说明") + 1
    items = lines[start:]
    assert [t.split(".", 1)[0] for t in items] == [str(n) for n in range(1, 19)]
    assert items[1].startswith("2.研究与试验发展（简称“研发”）经费支出：指报告年度内")
    assert items[7].endswith(
        "从研发项目类型看，包括新产品开发项目数、新技术开发项目数、新工艺开发项目数、新服务开发项目数与基础研究项目数之和。"
    )
    assert items[12] == (
        "13.当年被受理的专利申请数：指报告年度内企业向专利行政部门提出专利申请并被受理的专利件数。"
        "当年被受理的发明专利申请数：指报告年度内企业向专利行政部门提出发明专利申请并被受理的专利件数。"
    )
    assert items[13].startswith("14.最近三年主持和参加制定的国际、国家、省级地方和行业标准数：")
    assert items[14].startswith("15.新产品销售收入：对于制造业企业，新产品销售收入指")
    assert (
        "对于建筑业企业，新产品销售收入指报告年度内企业采用新技术、新工艺、新结构、新材料等实现的营业收入。"
        in items[14]
    )
    assert items[14].endswith("服务技术手段等方面全新的、或者作出明显改进的服务实现的营业收入。")
    assert items[9].startswith("10.通过市级及以上（国际组织）认证的实验室和检测机构数：")
    assert "“自然科学奖”、“技术发明奖”和“科学技术进步奖”" in items[17]
    assert not [t for t in items if "增列项" in t]


# -- Luzhou 附件4 ----------------------------------------------------------------------------


def test_luzhou_indicator_system_keeps_its_fifth_part(forms: Path):
    """ensures 附件4 ends with «五、新业态企业指…» as the notice does."""
    lines = [t for t in texts(forms / LUZHOU / INDICATORS) if t]
    assert (
        lines[-1]
        == "五、新业态企业指：区别于实体企业，主要从事技术开发、服务，互联网+应用，新兴产业发展企业。"
    )


def test_luzhou_coefficients_printed_with_one_decimal(forms: Path):
    """ensures the coefficient table prints «2.0», «3.0», «1.0» as the notice does."""
    table = rows(Document(forms / LUZHOU / INDICATORS).tables[1])
    by_name = {r[0]: r[1:] for r in table[1:]}
    assert by_name["煤炭开采和洗选业"] == ["06", "2.0", "3.0", "3.0"]
    assert by_name["食品制造业"] == ["14", "1.5", "1.0", "1.0"]
    assert by_name["软件和信息技术服务业"] == ["65", "0.6", "1.0", "1.0"]
    assert all(len(value) == 3 for r in table[1:] for value in r[2:])


def test_luzhou_indicator_table_as_published(forms: Path):
    """ensures the bonus lines read as printed, no 加分小计/合计 rows, and the 三级 column is the notice's."""
    table = rows(Document(forms / LUZHOU / INDICATORS).tables[0])
    flat = [cell for row in table for cell in row]
    assert "加分小计" not in flat
    assert "合计" not in flat
    assert table[-1][-4:] == [
        "研发经费支出达到1000万元或研发经费支出占主营业务收入的比重超过基本要求",
        "万元/%",
        "≤5",
        "",
    ]
    assert table[-2][-4:] == ["当年被受理的发明专利申请数", "项", "≤5", ""]
    assert "企业全部研发项目数项" in flat  # sic, as the notice's table prints it
    assert "（超过基本要求部分）" not in "".join(flat)


def test_filled_luzhou_indicator_table_adds_the_totals(filled: Path):
    """ensures a filled 附件4 adds a 得分 column and closes with 基本分, 加分 and 合计 holding the
    maxima under 权重 and the scores under 得分 (the self-evaluation's scores)."""
    table = rows(Document(filled / LUZHOU / INDICATORS).tables[0])
    assert table[0][-1] == "得分"
    assert table[-3:] == [
        ["基本分", "100", "", "74.52"],
        ["加分", "≤15", "", "14.00"],
        ["合计", "115", "", "88.52"],
    ]


# -- national 附件1 --------------------------------------------------------------------------


def test_national_method_is_the_whole_text(forms: Path):
    """ensures 附件1 is the whole 评价方法: 核减, the seven rules, the score method, the 附表, the tiers."""
    lines = texts(forms / NATIONAL / METHOD)
    for heading in (
        "一、基础数据处理",
        "二、指标数值计算",
        "三、得分计算方法",
        "（一）关于各项指标的基本要求和满分要求",
    ):
        assert heading in lines
    body = "".join(lines)
    assert "对证明材料缺失或无效的数据，按量予以核减" in body
    assert [t[:3] for t in lines if t[:1] == "（" and t[2:3] == "）" and t[1] in "一二三四五六七"][:7] == [
        f"（{n}）" for n in "一二三四五六七"
    ]
    assert "（七）“利润率”数值，由“利润总额”核定数据除以“主营业务收入”核定数据得到。" in lines
    assert "附表　各项指标基本要求和满分要求" in lines
    assert "1.主营业务收入500亿元以上的企业，基本要求为1.0%，满分要求为7.0%；" in lines
    assert "4.主营业务收入10亿元以下的企业，基本要求为3.0%，满分要求为15.0%。" in lines
    assert "500亿元及以上" not in body
    assert "初评得分" not in body  # the notice's body, not its 附件1


def test_national_table_as_published(forms: Path):
    """ensures the 附表: no 一级指标 column, no 得分 column, basic requirements «≥5», the bonus line with «—»."""
    doc = Document(forms / NATIONAL / METHOD)
    table = rows(doc.tables[0])
    assert table[0] == ["二级指标", "三级指标", "单位", "权重", "基本要求", "满分要求"]
    by_title = {r[-5]: r[-4:] for r in table[1:]}
    assert by_title["研发人员人均研发经费支出"] == ["万元", "8", "≥5", "120"]
    assert by_title["研发经费支出占主营业务收入的比重"] == ["%", "12", "分档", "分档"]
    assert by_title["企业技术开发仪器设备原值"] == ["万元", "4", "≥3000", "30000"]
    assert table[-1] == ["加分", "获国家自然科学、技术发明、科技进步奖项目数", "项", "≤5", "—", "—"]
    flat = [cell for row in table for cell in row]
    assert "创新投入" not in flat
    assert "加分小计" not in flat
    assert "合计" not in flat
    # the caption stands right above the table
    caption = doc.tables[0]._tbl.getprevious()
    assert "".join(t.text for t in caption.iter(qn("w:t"))) == "附表　各项指标基本要求和满分要求"


def test_filled_national_table_adds_the_score_column(filled: Path):
    """ensures the filled 附件1 adds 得分 and the closing rows, within the text block."""
    doc = Document(filled / NATIONAL / METHOD)
    table = doc.tables[0]
    assert rows(table)[0][-1] == "得分"
    assert [row[0] for row in rows(table)[-3:]] == ["基本分", "加分", "合计"]
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    section = doc.sections[0]
    block = section.page_width - section.left_margin - section.right_margin  # EMU
    assert abs(sum(grid) * 635 - block) < 60 * 635


# -- Gansu -----------------------------------------------------------------------------------


def test_gansu_has_no_attachment_6(forms: Path):
    """ensures no file is «附件6-…» and the 汇总表 are named as the notice names them, without a number."""
    names = sorted(p.name for p in forms.glob("gansu-*/*.docx"))
    assert not [n for n in names if n.startswith("附件6")]
    assert "申报企业情况汇总表.docx" in names
    assert "培育组建汇总表.docx" in names
    lines = texts(forms / "gansu-demo-2022" / "申报企业情况汇总表.docx")
    assert lines[0] == "申报企业情况汇总表"
    assert not [t for t in lines if t.startswith("附件")]


def test_gansu_itc_form_keeps_the_published_grouping(forms: Path):
    """ensures the ITC form groups 知识产权 and 标准 under 服务业绩 as printed, with the notice's
    half-width brackets and «(27)»; the scoring's regrouping stays in its note."""
    table = rows(Document(forms / "gansu-itc-2022" / "附件2-甘肃省行业技术中心自评表.docx").tables[0])
    starts = [row[0] for row in table[1:] if row[0]]  # a merged group's continuation cells are empty
    assert starts == [
        "运行机制(9分)",
        "研发设施(5分)",
        "研发人员(8分)",
        "科研投入(9分)",
        "创新成效(26分)",
        "服务业绩(27)",
        "经济效益(16)",
        "加分项",
    ]
    service = next(i for i, row in enumerate(table) if row[0] == "服务业绩(27)")
    assert table[service][1] == "年获专利等知识产权数量(6分)"
    assert table[service + 1][:2] == ["", "近三年主持或参与制定标准数量(12分)"]
    second = [row[-3] for row in table[1:]]
    assert "特色工作(10分)" in second
    assert "国家级奖励(4分)" in second
    assert not [t for t in second if "（" in t]


def test_gansu_itc_scoring_keeps_its_groups(catalog):
    """ensures the scoring data still put 知识产权 under 创新成效 (only the form is regrouped)."""
    program = catalog.programs["gansu-itc-2022"]
    ip = next(i for i in program.indicators if i.id == "ip")
    assert ip.group[0] == "创新成效"


def test_gansu_forms_punctuation_as_published(forms: Path):
    """ensures the Gansu forms' headers and cells keep the notice's half-width brackets."""
    etc = rows(Document(forms / "gansu-etc-2022" / "附件1-甘肃省企业技术中心自评表.docx").tables[0])
    assert etc[0] == ["一级指标", "二级指标", "权重(分)", "三级指标", "得分"]
    demo = rows(Document(forms / "gansu-demo-2022" / "附件4-技术创新示范企业申报自评表.docx").tables[0])
    assert demo[0][3] == "权重(分)"
    assert "——其中当年受理的发明专利申请数" in [cell for row in demo for cell in row]
    alliance = rows(
        Document(forms / "gansu-alliance-2022" / "附件3-甘肃省产业技术创新产业联盟自评表.docx").tables[0]
    )
    cells = [cell for row in alliance for cell in row]
    assert "集聚创新资源,解决行业发展关键和共性技术难题(20分)" in cells
    assert "近3年年主持或参与制定标准数量(20分)" in cells  # sic


@pytest.mark.parametrize(
    ("program", "name"),
    [
        ("gansu-etc-2022", "附件1-甘肃省企业技术中心自评表.docx"),
        ("gansu-itc-2022", "附件2-甘肃省行业技术中心自评表.docx"),
        ("gansu-alliance-2022", "附件3-甘肃省产业技术创新产业联盟自评表.docx"),
        (LUZHOU, INDICATORS),
        (NATIONAL, METHOD),
    ],
)
def test_blank_forms_have_no_invented_total_rows(forms: Path, program, name):
    """ensures no 加分小计 / 合计 row on a blank form whose notice prints none."""
    table = rows(Document(forms / program / name).tables[0])
    assert not [row for row in table if row[0] in ("加分小计", "合计", "总分")]


def test_filled_itc_form_adds_totals(filled: Path):
    """ensures the filled ITC form closes with 基本分, 加分 and 合计."""
    table = rows(Document(filled / "gansu-itc-2022" / "附件2-甘肃省行业技术中心自评表.docx").tables[0])
    assert [row[0] for row in table[-3:]] == ["基本分", "加分", "合计"]


# -- room to write and page breaks -----------------------------------------------------------


def _row_heights(table) -> list[tuple[int, str]]:
    out = []
    for tr in table._tbl.tr_lst[1:]:
        height = tr.trPr.find(qn("w:trHeight")) if tr.trPr is not None else None
        out.append((0, "") if height is None else (int(height.get(qn("w:val"))), height.get(qn("w:hRule"))))
    return out


@pytest.mark.parametrize(
    ("program", "name", "index"),
    [
        (LUZHOU, DATA_TABLE, 0),
        (LUZHOU, DATA_TABLE, 1),
        ("gansu-etc-2022", "附件1-甘肃省企业技术中心自评表.docx", 0),
        ("gansu-demo-2022", "申报企业情况汇总表.docx", 0),
        (NATIONAL, METHOD, 0),
    ],
)
def test_fill_in_rows_have_room_to_write(forms: Path, program, name, index):
    """ensures fill-in rows are at least 0.8 cm high, cells have padding, lines are not 13 pt exact."""
    table = Document(forms / program / name).tables[index]
    heights = _row_heights(table)
    assert heights
    assert all(rule == "atLeast" and value >= Mm(8).twips - 1 for value, rule in heights)
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert [child.tag.split("}")[1] for child in margins] == ["top", "left", "bottom", "right"]
    assert all(int(margins.find(qn(f"w:{e}")).get(qn("w:w"))) >= Mm(1).twips - 1 for e in ("top", "bottom"))
    spacing = table.rows[-1].cells[-1].paragraphs[0].paragraph_format.line_spacing
    assert spacing is not None
    assert spacing.pt >= 15


def _keeps(paragraph) -> bool:
    return bool(paragraph.paragraph_format.keep_with_next)


@pytest.mark.parametrize(
    ("program", "name"),
    [
        (LUZHOU, DATA_TABLE),
        ("gansu-etc-2022", "附件1-甘肃省企业技术中心自评表.docx"),
        ("gansu-itc-2022", "附件2-甘肃省行业技术中心自评表.docx"),
        ("gansu-demo-2022", "附件4-技术创新示范企业申报自评表.docx"),
        ("gansu-alliance-2022", "培育组建汇总表.docx"),
    ],
)
def test_seal_lines_never_stand_alone(forms: Path, filled: Path, program, name):
    """ensures the last two rows keep with the seal line, and the seal line with the date (on the
    filled forms: a blank one prints no seal line where the notice prints none)."""
    doc = Document((forms if "汇总表" in name else filled) / program / name)
    table = doc.tables[-1]
    for row in table.rows[-2:]:
        assert all(_keeps(p) for cell in row.cells for p in cell.paragraphs)
    seal = next(p for p in doc.paragraphs if p.text.startswith("填报单位（盖章）"))
    assert _keeps(seal)


def test_groups_keep_together(forms: Path):
    """ensures each row of a merged group keeps with the next row of that group (the bonus rows too),
    and the last row of a group does not keep with the next group's first."""
    table = Document(forms / LUZHOU / INDICATORS).tables[0]
    texts_ = [[c.text for c in row.cells] for row in table.rows]
    keeps = [all(_keeps(p) for p in row.cells[3].paragraphs) for row in table.rows]
    bonus = [i for i, t in enumerate(texts_) if t[0] == "加分项"]
    assert bonus
    assert all(keeps[i] for i in bonus)
    last_investment = max(i for i, t in enumerate(texts_) if t[0] == "创新投入")
    assert keeps[last_investment - 1]
    assert not keeps[last_investment]


def test_every_cells_entry_names_an_indicator(catalog):
    """ensures each attachment's ``cells`` names an indicator or bonus line of its program."""
    for program in catalog.programs.values():
        ids = {i.id for i in (*program.indicators, *program.bonus)}
        for attachment in program.attachments:
            assert {name for name, _ in attachment.cells} <= ids, (program.id, attachment.number)


def test_group_label_repeats_after_a_page_break(forms: Path):
    """ensures the Gansu ETC form's 产出与效益, cut by the page break before 创新效益, shows its label
    again on the second page (a second merge restart with the label), and no other group does."""
    table = Document(forms / "gansu-etc-2022" / "附件1-甘肃省企业技术中心自评表.docx").tables[0]
    starts = []
    for tr in table._tbl.tr_lst[1:]:
        tc = tr.tc_lst[0]
        merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
        text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
        if merge is None or merge.get(qn("w:val")) == "restart":
            starts.append(text)
    assert starts == ["创新投入", "创新条件", "产出与效益", "产出与效益", "加分"]
    second = next(i for i, row in enumerate(table.rows) if row.cells[1].text == "创新效益")
    first_cell = table._tbl.tr_lst[second].tc_lst[0]
    assert first_cell.tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"


def test_half_width_brackets_move_whole(forms: Path):
    """ensures a «(3分)» that does not fit after its name starts a new line, whole (never «(3» / «分)»)."""
    table = Document(forms / "gansu-itc-2022" / "附件2-甘肃省行业技术中心自评表.docx").tables[0]
    cell = table.rows[1].cells[1]
    assert cell.text == "组织机构建设\n(3分)"  # a line break before the group, no joiner inside it


def test_gansu_forms_titled_as_their_pages_print_them(forms: Path):
    """ensures each Gansu self-evaluation form carries the title its attachment page prints."""
    titles = {p.name: texts(p)[1] for p in forms.glob("gansu-*/附件*.docx")}
    assert sorted(titles.values()) == sorted(
        [
            "甘肃省企业技术中心自评表",
            "甘肃省行业技术中心自评表",
            "甘肃省产业技术创新产业联盟自评表",
            "技术创新示范企业申报自评表",
        ]
    )

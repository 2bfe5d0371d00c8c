"""Issue #17, the reviewer's second reading of `docgen forms` (blank and filled): every sentence of
the Luzhou attachments is printed; a filled form is the published form plus the enterprise's
figures (得分 column, 基本分/加分/合计 inside the table, no program notes, no added data row); no
seal block on a blank form the notice prints without one; no invisible joiners in any text; the
汇总表 templates docgen proposes say so. Checked with python-docx against the seed's text."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from docgen.cli.main import cli
from docgen.text.labels import TEXT

ROOT = Path(__file__).parent.parent
LUZHOU = "luzhou-etc-2023"
PROGRAMS = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "answers.yaml").exists())
INVISIBLE = ("\u2060", "\ufeff", "\u200b", "\u200c", "\u200d")  # joiners and zero-width spaces

# Seed 003 (泸经信创服〔2023〕96号), 附件1–4 as the notice prints them after each title, line by line
# (tabs separate table cells; the 行业系数 rows are left out: tests/test_fidelity_forms.py checks them).
SEED_003 = {
    "附件1-《泸州市企业技术中心申请报告》编写提纲.docx": """\
《泸州市企业技术中心申请报告》编写提纲
一、企业的地位和作用
1.企业基本情况。包括所有制性质、主要下属企业，职工人数、企业总资产、资产负债率、银行信用等级、销售收入、利润、主导产品及市场占有率等。
2.企业的行业地位和竞争力。结合行业集中度和企业在行业中的综合排序，分析企业在本行业的领先地位和竞争优势，与同行业企业相比所具有的规模和技术优势。
3.企业对本行业技术创新的引领作用。包括企业对行业技术进步、结构调整、促进区域产业发展以及节能减排、资源节约综合利用等方面的示范和带动作用。
二、企业技术创新的现状和成绩
1.企业技术中心基本情况。包括企业技术中心的建设与发展历程、组织架构；创新体系建设和运行机制，包括组织管理体系建设、规章制度建立、研发项目组织管理机制、研发经费管理机制、人才激励机制、内外部合作机制等。
2.企业技术中心创新资源整合情况。包括企业技术中心技术带头人及创新团队建设情况、研发经费投入情况、研究开发和试验基础条件建设情况、信息化建设情况等。
3.企业技术中心研究开发工作开展情况。包括重大产品创新、工艺创新、商业模式创新、产学研合作、企业间合作、
国际化研发活动等。
4.企业技术中心取得的主要创新成果。形成的核心技术及自主知识产权情况，重点介绍相关技术成果对企业核心产品研发、核心竞争力提升的支撑作用，以及取得的经济社会效益。
三、企业技术创新战略和规划
1.企业制定未来3~5年技术创新发展战略情况，及该战略对企业总体发展目标的支撑情况。
2.企业近期在技术创新方面拟实施的重点举措，包括创新条件建设、创新人才集聚、重点研发项目部署等。
""",
    "附件2-《泸州市企业技术中心工作总结》编写提纲.docx": """\
《泸州市企业技术中心工作总结》编写提纲
已认定的市企业技术中心需在评价年度提交工作总结，以全面总结报告年度企业技术创新与技术中心工作情况。主要包括如下内容：
1.简要分析企业所在行业创新趋势和特点，以及企业在该行业中的地位和竞争优势。
2.企业技术创新体系建设情况，包括企业技术创新体系基本情况、技术中心组织建设、技术中心创新机制建设、产学研合作创新机制建设、国际、国内协同创新网络平台建设、企业技术创新基础设施建设等。
3.企业技术创新活动开展情况，包括重点创新项目的组织实施、关键核心技术和产品开发及市场前景等。
4.企业技术中心取得的主要创新成果，形成的核心技术及自主知识产权情况，重点介绍相关技术成果对企业核心产品研发、核心竞争力提升的支撑作用，以及取得的经济社会效益。
5.其他有特色的工作情况。
""",
    "附件3-泸州市企业技术中心评价数据表.docx": """\
泸州市企业技术中心评价数据表
企业名称
通讯地址		下属企业数量
主营业务		统计行业代码
企业负责人		联系电话
技术中心负责人		联系电话
联系人		联系电话
电子邮件		联系传真
企业网址		报告年度
序号	指标名称	单位	数据值
1	主营业务收入	万元
2	研究与试验发展经费支出	万元
3	研究与试验发展人员数	人
4	企业职工总数	人
5	技术中心高级职称（高级专家）人数	人
6	技术中心硕士及以上学位人数	人
7	来技术中心从事研发工作的外部专家人数	人月
8	企业全部研发项目数	项
9	市级及以上研发平台数	个
10	通过市级以上（国际组织）认证的实验室和检测机构数	个
11	企业技术开发仪器设备原值	万元
12	企业拥有的全部有效发明专利数	项
13	当年被受理的专利申请数	项
	其中：被受理的发明专利申请数	项
14	最近三年主持和参加制定的国际、国家、省级地方和行业 标准数	项
15	新产品销售收入	万元
16	新产品销售利润	万元
17	利润总额	万元
18	获市及以上自然科学、技术发明、科技进步奖项目数	项
一、填写说明
1.企业名称：参评企业需在此表上加盖公章，填写企业名称需与企业公章一致。
2.统计行业代码：对照《国民经济行业分类与代码（GB/T4754-2011）》，填写企业主营业务对应的统计“大类”（二位码）编号，如主营业务为“农副食品加工业”的企业，填写“13”。
3.报告年度：指表中指标统计年度，时间范围从填写评价表的上一年1月1日至12月31日；所有指标的填报时间范围，如无特殊说明，均为报告年度。
二、需提供的附件及证明材料
1.企业对报送资料的真实性、完整性承诺。
2.相关统计和财务报表。相关统计报表主要包括：规模以上工业法人单位研发项目情况（107-1表，国统字〔2015〕95号）、规模以上工业法人单位研发活动及相关情况（107-2表，国统字〔2015〕95号）。未列入国家统计局规模以上工业法人单位研发活动情况统计范围的企业，应参照上述表格格式填报后提交。相关财务报表主要包括：企业资产负债表、损益表、现金流量表。大型企业集团应将与企业主营业务相关下属企业（包括分公司、子公司和控股公司）的107-1表、107-2表、资产负债表、损益表、现金流量表等进行合并填报。
3.评价指标的必要证明材料。主要包括：技术中心具有高级职称人员、高级专家、硕士及以上学位人员和外部专家、
专利信息、主持和参加制定的标准、国省市级研发平台、实验室和检测机构、新产品鉴定、科技奖励等方面的内容。
三、指标解释和填报说明
1.主营业务收入：指报告年度内企业确认的销售商品、提供劳务等主营业务的收入。根据会计“主营业务收入”科目的期末贷方余额填报。若会计报告和会计报表中未设置该科目，以“营业收入”代替填报。
2.研究与试验发展（简称“研发”）经费支出：指报告年度内企业研发活动的经费支出合计，包括企业内部的日常研发经费支出，当年形成用于研发的固定资产支出和委托外单位开展研发的经费支出。
3.研究与试验发展人员数：指报告年度内企业内部直接参加研发项目人员，不包括全年累计从事研发活动时间占制度工作时间 10%以下的人员。
4.企业职工总数：指企业在报告年度内平均拥有的从业人员数，按照统计指标“从业人员平均人数”计算。
5.技术中心高级职称（高级专家）人数：高级职称是指全职在技术中心工作、获得国家相关部门认可的高级技术职称人数；高级专家指全职在技术中心工作、获得国家、省、部和计划单列市等政府部门认定的有突出贡献的专家或者享受国家、省、部和计划单列市专项津贴的专家数。
6.技术中心硕士及以上学位人数：指全职在技术中心工作、获得硕士及以上学位的人员数。
7.来技术中心从事研发工作的外部专家人数：指来技术中心从事研究、技术开发工作的具有较高科技开发能力的海内外专家累计人月。最小统计单位为：0.5人月。
8.企业全部研发项目数：指企业在报告年度当年立项并开展研发（制）工作、以前年份立项仍继续进行研发（制）的研究开发项目或课题，包括当年完成和年内研发工作已告失败的项目，不包括委托外单位进行研发的项目。从研发项目类型看，包括新产品开发项目数、新技术开发项目数、新工艺开发项目数、新服务开发项目数与基础研究项目数之和。
9.市级及以上研发平台数：指企业作为项目法人承担建设、市级以上有关部门归口管理且已获得批复的科技类、研究开发类平台数。
10.通过市级及以上（国际组织）认证的实验室和检测机构数：指通过市级及以上部门和国际组织认证认可的、仍在有效期内的实验室、检验检测机构数。
11.企业技术开发仪器设备原值：指报告年度末企业用于研发的固定资产中的仪器和设备原价。其中，设备包括用于研发活动的各类机器和设备、试验测量仪器、运输工具、工装工具等。
12.企业拥有的全部有效发明专利数：指报告年度末企业作为专利权人拥有的有效发明专利件数（含外国授权专利）。
13.当年被受理的专利申请数：指报告年度内企业向专利行政部门提出专利申请并被受理的专利件数。当年被受理的
发明专利申请数：指报告年度内企业向专利行政部门提出发明专利申请并被受理的专利件数。
14.最近三年主持和参加制定的国际、国家、省级地方和行业标准数：指企业在报告年度、报告年度前一年、报告年度前二年主持或参加制定，目前仍有效执行的国际、国家、行业标准的数量。
15.新产品销售收入：对于制造业企业，新产品销售收入指报告年度内企业销售采用新技术原理、新设计构思研制、生产的全新产品，或在结构、材质、工艺等某一方面比原有产品有明显改进，从而显著提高了产品性能或扩大了使用功能的产品实现的销售收入。新产品既包括经政府有关部门认定并在有效期内的新产品，也包括企业自行研制开发，未经政府有关部门认定，从投产之日起一年之内的新产品。对于建筑业企业，新产品销售收入指报告年度内企业采用新技术、新工艺、新结构、新材料等实现的营业收入。对于服务业企业，新产品销售收入指报告年度内企业通过提供在服务内容、服务方式、服务传递系统、服务技术手段等方面全新的、或者作出明显改进的服务实现的营业收入。
16.新产品销售利润：指报告年度内企业通过销售新产品实现的销售（营业）利润。
17.利润总额：指报告年度企业生产经营过程中各种收入扣除各种耗费后的盈余，反映企业在报告期内实现的盈亏总额。
18.获市级及以上自然科学、技术发明、科技进步奖项目数：指企业在报告年度、报告年度前一年度获得的由市政府及以上政府部门设立并颁发的“自然科学奖”、“技术发明奖”和“科学技术进步奖”的项目总数，同一项目只统计最高奖项。
""",
    "附件4-泸州市企业技术中心评价指标体系.docx": """\
泸州市企业技术中心评价指标体系
一、评价原则
1.全面客观反映企业技术中心建设发展状况，突出企业在技术创新方面的投入力度、产出效果和技术中心运行机制的有效性。
2.按“行业系数修正，整体对比计量”原则计分。
二、评价指标体系
一级指标	二级指标	权重	三级指标	单位	权重	基本要求
创新投入	创新经费	20	研发人员人均研发经费支出	万元	8	≥3
			研发经费支出占主营业务收入的比重	%	12	分档
	创新人才	15	研发人员占企业职工总数的比重	%	7	≥3
			技术中心拥有的高级职称（高级专家）和硕士及以上学历人数	人	4	≥3
			来技术中心从事研发工作的外部专家人数	人月	4	≥4
创新条件	技术积累	14	企业拥有的全部有效发明专利数	项	8	≥2
			企业全部研发项目数项	项	4	≥2
			研究与试验发展项目数占全部研发项目数的比重	%	2	≥1
	创新平台	11	企业技术开发仪器设备原值	万元	5	≥150
			市级及以上研发平台数	个	3	≥1
			通过市及以上（国际组织）认证的实验室和检测机构数	个	3	≥1
创新 绩效	技术 产出	15	当年被受理的专利申请数	项	5	≥2
			当年被受理的发明专利申请数	项	6	≥1
			最近三年主持和参加制定的国际、国家和行业标准数	项	4	≥1
	创新 效益	25	新产品销售收入占主营业务收入的比重	%	10	≥10
			新产品销售利润占利润总额的比重	%	10	≥5
			利润率	%	5	≥3
加分 项	加分项		获市及以上自然科学、技术发明、科技进步奖项目数	项	≤5
			当年被受理的发明专利申请数	项	≤5
			研发经费支出达到 1000 万元或研发经费支出占主营业务收入的比重超过基本要求	万元 /%	≤5
说明：
1.考虑到不同规模企业在研发投入强度上存在显著差异，对“研发经费支出占主营业务收入的比重”这一指标的基本要求按照企业规模划分为 3 档：主营业务收入 5 亿元及以上的企业为 1.0%，主营业务收入 1.5 ~ 5 亿元的企业为 1.5%，主营业务收入 1.5 亿元以下的企业为 2.0%。
2.企业作为主要完成单位或企业员工作为主要完成人获市级以上自然科学、技术发明、科技进步奖项目，市级一等奖每项加 3 分，二等奖每项加 2 分，三等奖每项加 1 分，获省级奖项 1 项加 4 分，国家级奖项 1 项加 5 分，累计不超过 5 分。同一项目只统计最高奖项。
3.当年被受理的发明专利申请数超过基本要求的，每超
过 1 项加 2 分，累计不超过 5 分。
4.研发经费支出达到 1000 万元的加 2 分，达到 2000 万元加 4 分，达到 3000 万元及以上的加 5 分，不累计计分；研发经费支出占主营业务收入的比重超过基本要求的，每超过 1 个百分点加 2 分，累计不超过 5 分。以上两项只统计最高加分项。
三、行业系数
行业名称	国民经济分类代码	研发经费支出占主营业务收入的比重	新产品销售收入占主营业务收入的比重	新产品销售利润占利润总额的比重
说明：
1.由于不同行业在研发投入与产出方面存在较大差异，技术中心评估时，对不同行业企业“研发经费支出占主营业务收入的比重”“新产品销售收入占主营业务收入的比重”“新产品销售利润占利润总额的比重”三个指标引入行业系数加以调节。
2.行业系数采用国家技术中心评价标准设立的行业系数。
3.行业系数只作为第三方评估机构评价时使用，企业填报时无需考虑行业系数，按实际数据填报。评价时，根据企业填报的实际数据计算得出上述指标的比重，再乘以行业系
数，得出指标的评价值。
4.行业系数表中的“其他”行业包括“交通运输、仓储和邮政业”、“文化、体育和娱乐业”等行业。
四、限定性指标的最低标准
1.年度研究与试验发展经费支出额不低于 150 万元。
2.年度研究与试验发展人员数不少于 15 人。
3.年度技术开发仪器设备原值不低于 150 万元。
五、新业态企业指：区别于实体企业，主要从事技术开发、服务，互联网+应用，新兴产业发展企业。
""",
}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def blank(blank_forms: Path) -> Path:
    return blank_forms


@pytest.fixture(scope="module")
def filled(filled_forms: Path) -> Path:
    return filled_forms


def body(path: Path) -> list[str]:
    """Returns the document's body in order: a paragraph's text, a table row's cells joined by tabs
    (a merged cell once)."""
    doc = Document(path)
    out = []
    for element in doc.element.body.iterchildren():
        if element.tag == qn("w:p"):
            out.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
        elif element.tag == qn("w:tbl"):
            for tr in element.iter(qn("w:tr")):
                out.append("\t".join("".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.tc_lst))
    return out


def _norm(text: str) -> str:
    """Returns ``text`` without white space and with the web copy's half-width punctuation
    full-width, so that a seed line compares with the form's text."""
    return re.sub(r"\s+", "", text).translate(str.maketrans("(),;:~", "（），；：～"))


def sentences(text: str) -> list[str]:
    """Returns the seed's pieces to look for: each table cell and each sentence (ending in 。；：)."""
    out = []
    for line in text.splitlines():
        for cell in line.split("\t"):
            out += [p for p in (_norm(s) for s in re.split(r"(?<=[。；：！？])", cell)) if len(p) >= 2]
    return out


def score_json(program: str) -> dict:
    result = run("score", ROOT / "examples" / program, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# -- point 1: no sentence of the notice dropped -------------------------------------------------


@pytest.mark.parametrize("kind", ["blank", "filled"])
@pytest.mark.parametrize("name", sorted(SEED_003), ids=lambda n: n.split("-")[0])
def test_every_seed_sentence_is_on_the_luzhou_form(blank: Path, filled: Path, kind: str, name: str):
    """ensures each sentence and table cell of seed 003's 附件1–4 is printed on the form, blank
    and filled (the coefficient rows are checked in tests/test_fidelity_forms.py)."""
    path = (blank if kind == "blank" else filled) / LUZHOU / name
    printed = _norm("".join(body(path)))
    missing = [piece for piece in sentences(SEED_003[name]) if piece not in printed]
    assert missing == []


@pytest.mark.parametrize("kind", ["blank", "filled"])
def test_work_summary_keeps_its_lead_in(blank: Path, filled: Path, kind: str):
    """ensures 附件2's first paragraph is the notice's whole sentence pair, «主要包括如下内容：» included."""
    path = (
        (blank if kind == "blank" else filled) / LUZHOU / "附件2-《泸州市企业技术中心工作总结》编写提纲.docx"
    )
    assert body(path)[2] == (
        "已认定的市企业技术中心需在评价年度提交工作总结，以全面总结报告年度企业技术创新与技术中心工作情况。"
        "主要包括如下内容："
    )


def test_the_sentence_check_can_fail():
    """ensures the comparison finds a dropped sentence (the defect the reviewer saw)."""
    printed = _norm(
        "已认定的市企业技术中心需在评价年度提交工作总结，以全面总结报告年度企业技术创新与技术中心工作情况。"
    )
    seed = SEED_003["附件2-《泸州市企业技术中心工作总结》编写提纲.docx"]
    assert "主要包括如下内容：" in [p for p in sentences(seed) if p not in printed]


# -- point 2: a filled indicator form is the published form plus the figures --------------------


def test_filled_luzhou_indicator_table_holds_the_scores(filled: Path):
    """ensures the filled 附件4 adds 得分 and closes with 基本分 / 加分 / 合计 holding `docgen score`'s
    scores inside the table (maxima under the indicator 权重), and no total sentence under it."""
    doc = Document(filled / LUZHOU / "附件4-泸州市企业技术中心评价指标体系.docx")
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["一级指标", "二级指标", "权重", "三级指标", "单位", "权重", "基本要求", "得分"]
    score = score_json(LUZHOU)
    closing = [(r[0], r[5], r[6], r[7]) for r in rows[-3:]]
    assert closing == [
        ("基本分", "100", "", f"{score['base_score']:.2f}"),
        ("加分", "≤15", "", f"{score['bonus_score']:.2f}"),
        ("合计", "115", "", f"{score['total']:.2f}"),
    ]
    assert all(r[0] == r[4] for r in rows[-3:])  # the label spans 一级指标 … 单位
    assert not [p.text for p in doc.paragraphs if p.text.startswith("基本分")]


def test_filled_forms_carry_no_program_notes(filled: Path, catalog):
    """ensures no note of the program (the report's 计分过程 has them) is printed on any filled
    form, nor a «说明：» the notice does not print: Luzhou 附件4 keeps its own two, 1–4 each."""
    for program in PROGRAMS:
        notes = [n.text for n in catalog.programs[program].notes.values()]
        for path in (filled / program).glob("*.docx"):
            text = "".join(body(path))
            assert [n for n in notes if n in text] == [], path.name
    lines = body(filled / LUZHOU / "附件4-泸州市企业技术中心评价指标体系.docx")
    starts = [i for i, t in enumerate(lines) if t == "说明："]
    assert len(starts) == 2
    assert [lines[i + 1][:2] for i in starts] == ["1.", "1."]
    assert lines[starts[0] + 1].startswith("1.考虑到不同规模企业")
    assert lines[starts[1] + 1].startswith("1.由于不同行业")


def test_reference_note_after_the_attachment_titled_apart(filled: Path):
    """ensures the one docgen note of the filled Luzhou 附件4 (a reference score) follows the
    attachment's own last text under its own title, before the seal; where the score is not a
    reference (national) the only note says why the printed line scores add up to 0.01 more than
    the printed totals (86.13 基本分 from unrounded scores)."""
    lines = [t for t in body(filled / LUZHOU / "附件4-泸州市企业技术中心评价指标体系.docx") if t]
    title = lines.index(TEXT["form_docgen_notes"])
    assert lines[title - 1].startswith("五、新业态企业指")
    assert lines[title + 1] == TEXT["form_reference_score"]  # a single note: no «1.»
    assert lines[title + 2].startswith("填报单位（盖章）：")
    national = [t for t in body(filled / "national-etc-2021" / "附件1-国家企业技术中心评价方法.docx") if t]
    title = national.index(TEXT["form_docgen_notes"])
    assert national[title + 1] == TEXT["score_rounding"].format(printed="91.14", total="91.13")
    assert national[title + 2].startswith("填报单位（盖章）：")
    assert TEXT["form_reference_score"] not in national


# -- point 3: the filled data table is the published table ---------------------------------------


def test_filled_data_table_rows_are_the_notices(filled: Path):
    """ensures the filled 附件3 has the notice's 19 rows (no «其中：基础研究和应用研究项目数»), and
    each person's 联系电话 on their own row (tests/test_fidelity_profile.py checks them in full)."""
    doc = Document(filled / LUZHOU / "附件3-泸州市企业技术中心评价数据表.docx")
    labels = [row.cells[1].text for row in doc.tables[1].rows[1:]]
    assert len(labels) == 19
    assert "其中：基础研究和应用研究项目数" not in labels
    header = {row.cells[0].text: [c.text for c in row.cells] for row in doc.tables[0].rows}
    assert header["联系人"] == ["联系人", "王丽娟", "联系电话", "0830-2596318"]
    assert header["企业负责人"] == ["企业负责人", "张振华", "联系电话", "0830-2596301"]
    assert header["技术中心负责人"] == ["技术中心负责人", "李建国", "联系电话", "0830-2596326"]


# -- point 4: no seal block on a blank form -------------------------------------------------------


SEALED = [
    ("gansu-etc-2022", "附件1-甘肃省企业技术中心自评表.docx"),
    ("gansu-itc-2022", "附件2-甘肃省行业技术中心自评表.docx"),
    ("gansu-alliance-2022", "附件3-甘肃省产业技术创新产业联盟自评表.docx"),
    ("gansu-demo-2022", "附件4-技术创新示范企业申报自评表.docx"),
    (LUZHOU, "附件3-泸州市企业技术中心评价数据表.docx"),
]


@pytest.mark.parametrize(("program", "name"), SEALED, ids=[p for p, _ in SEALED])
def test_blank_forms_print_no_seal_block(blank: Path, filled: Path, program: str, name: str):
    """ensures a blank form prints no «填报单位（盖章）» / «填报日期» the notice does not print (Luzhou
    附件3 keeps its own «参评企业需在此表上加盖公章»), and the filled copy has one, under the table."""
    lines = body(blank / program / name)
    assert not [t for t in lines if t.startswith(("填报单位", "填报日期"))]
    if program == LUZHOU:
        assert "1.企业名称：参评企业需在此表上加盖公章，填写企业名称需与企业公章一致。" in lines
    assert sum(t.startswith("填报单位（盖章）：") for t in body(filled / program / name)) == 1


# -- point 5: no invisible characters; codes and brackets whole -----------------------------------


def test_no_form_contains_invisible_characters(blank: Path, filled: Path):
    """ensures no generated form (blank or filled, every program) holds a word joiner or another
    zero-width character anywhere in its package."""
    paths = [*blank.rglob("*.docx"), *filled.rglob("*.docx")]
    assert len(paths) >= 20
    for path in paths:
        with zipfile.ZipFile(path) as package:
            for member in package.namelist():
                if member.endswith(".xml"):
                    text = package.read(member).decode("utf-8")
                    assert not [c for c in INVISIBLE if c in text], (path.name, member)


def test_published_phrases_found_by_plain_search(blank: Path):
    """ensures «GB/T4754-2011» and the Gansu bracket groups («(5分)», «(含外聘)») are found as
    typed; the code starts a line whole (a line break before «（GB/T…», where the line ends anyway)."""
    data = Document(blank / LUZHOU / "附件3-泸州市企业技术中心评价数据表.docx")
    line = next(p.text for p in data.paragraphs if "4754" in p.text)
    assert "（GB/T4754-2011）" in line
    assert line.replace("\n", "") == (
        "2.统计行业代码：对照《国民经济行业分类与代码（GB/T4754-2011）》，填写企业主营业务对应的统计“大类”"
        "（二位码）编号，如主营业务为“农副食品加工业”的企业，填写“13”。"
    )
    assert "/\n" not in line
    alliance = "".join(body(blank / "gansu-alliance-2022" / "附件3-甘肃省产业技术创新产业联盟自评表.docx"))
    for phrase in ("高层次人才(5分)", "拥有院士(含外聘)得5分", "产业联盟管理制度建设(5分)"):
        assert phrase in alliance


@pytest.mark.parametrize(
    ("program", "name"),
    [
        ("gansu-itc-2022", "附件2-甘肃省行业技术中心自评表.docx"),
        ("gansu-alliance-2022", "附件3-甘肃省产业技术创新产业联盟自评表.docx"),
    ],
)
def test_bracket_groups_never_cut_by_a_set_break(blank: Path, program: str, name: str):
    """ensures no line break docgen sets falls inside a half-width bracket group: «(3分)» moves whole."""
    for row in Document(blank / program / name).tables[0].rows:
        for cell in row.cells:
            assert not re.search(r"\([^()]*\n[^()]*\)", cell.text), cell.text


def test_kept_groups_move_a_code_and_a_bracket_group_whole():
    """ensures the estimate moves a code (one token) and a bracket group (cut by the estimate) to
    the next line whole, and leaves a text that fits alone."""
    from docgen.outputs.form_layout import kept_groups

    assert kept_groups("对照《国民经济（GB/T4754-2011）》", 20) == "对照《国民经济\n（GB/T4754-2011）》"
    assert kept_groups("组织机构建设(3分)", 14) == "组织机构建设\n(3分)"
    assert kept_groups("组织机构建设(3分)", 40) == "组织机构建设(3分)"
    assert kept_groups("(3分)组织", 4) == "(3分)组织"  # at the start: nothing to move


# -- point 6: the 汇总表 docgen proposes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "name"),
    [("gansu-alliance-2022", "培育组建汇总表.docx"), ("gansu-demo-2022", "申报企业情况汇总表.docx")],
)
def test_summary_templates_print_no_remark(blank: Path, program: str, name: str):
    """ensures a 汇总表 the notice names without a template prints no remark about its columns on
    the form a bureau sends upward («注：通知只列出本表名称…» belongs to the program's file and
    docs): under the table comes the seal line; and no «附件N» label."""
    doc = Document(blank / program / name)
    text = "".join(t.text or "" for t in doc.element.body.iter(qn("w:t")))
    assert "通知只列出本表名称" not in text
    assert "参考格式" not in text
    after = doc.tables[0]._tbl.getnext()
    assert "".join(t.text or "" for t in after.iter(qn("w:t"))).startswith("填报单位（盖章）")
    assert not [p.text for p in doc.paragraphs if p.text.startswith("附件")]


@pytest.mark.parametrize("kind", ["blank", "filled"])
def test_no_form_names_the_tool(blank: Path, filled: Path, kind: str):
    """ensures no blank or filled attachment of any program prints the tool's name (a bureau
    reads «docgen» as a stray word: the added notes are titled «附注：», the 汇总表 columns
    «参考格式»)."""
    folder = blank if kind == "blank" else filled
    documents = sorted(folder.rglob("*.docx"))
    assert len(documents) >= len(PROGRAMS)
    for path in documents:
        text = "".join(body(path)).lower()
        assert "docgen" not in text, path.name

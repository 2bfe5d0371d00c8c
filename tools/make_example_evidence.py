#!/usr/bin/env python3
"""Generates the evidence PDFs of the shipped example submission ``examples/luzhou-etc-2023/``.

Usage: ``python tools/make_example_evidence.py``

Every file named in the example's ``answers.yaml`` (item ``evidence`` fields and the
``evidence:`` section) is written into ``examples/luzhou-etc-2023/evidence/`` as a small A4 PDF
with a text layer, except the cash-flow statement, which the example leaves missing on purpose
so that the missing-evidence report has something to report.

The figures and identifiers come from ``answers.yaml`` itself, so the two never disagree.
Chinese text uses reportlab's built-in CID font STSong-Light (no font files); identifiers
(patent numbers, standard codes, the CNAS number, the credit code) are drawn in Helvetica so
that they extract as plain ASCII. The canvas is created with ``invariant=1``: re-running the
script gives byte-identical files.

After writing, each PDF is read back with pypdf and every identifier it must prove (and the
company name) is looked for in the extracted text. A table of the checks is printed; the exit
status is 1 when anything is missing, 0 otherwise.

All companies, people, numbers and documents in these PDFs are fictional.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from pypdf import PdfReader
from reportlab.lib.colors import Color, black, grey
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "luzhou-etc-2023"
ANSWERS = EXAMPLE / "answers.yaml"

# Left out on purpose: the example demonstrates a missing required document.
INTENTIONALLY_MISSING = {"evidence/现金流量表.pdf"}

CN = "STSong-Light"
EN = "Helvetica"
EN_BOLD = "Helvetica-Bold"
RED = Color(0.80, 0.10, 0.10)
PAGE_W, PAGE_H = A4
MARGIN_X = 64.0
MARGIN_TOP = 72.0
MARGIN_BOTTOM = 64.0
FOOTER = "本材料为 docgen 示例用虚构材料，企业、人员、编号和数据均为虚构，不具任何证明效力"

pdfmetrics.registerFont(UnicodeCIDFont(CN))

# Which field of an item must appear in its evidence (mirrors checklists/luzhou-etc-2023.yaml).
IDENTIFIER = {
    "staff": "name",
    "invention_patents": "number",
    "patent_applications": "number",
    "standards": "code",
    "platforms": "name",
    "labs": "accreditation",
    "awards": "project",
}

LEVEL_CN = {
    "international": "国际",
    "national": "国家",
    "industry": "行业",
    "local": "省级地方",
    "group": "团体",
    "enterprise": "企业",
    "provincial": "省级",
    "city": "市级",
}
GRADE_CN = {"special": "特等奖", "first": "一等奖", "second": "二等奖", "third": "三等奖"}
PATENT_TYPE_CN = {"invention": "发明", "utility": "实用新型", "design": "外观设计"}
DEGREE_CN = {"phd": "博士", "master": "硕士", "bachelor": "学士", "other": "其他"}


# --------------------------------------------------------------------------- drawing


def is_ascii(text: str) -> bool:
    return all(ord(ch) < 128 for ch in text)


def font_for(text: str) -> str:
    return EN if is_ascii(text) else CN


def width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def cn_date(value: dt.date | str | int) -> str:
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def num(value: object) -> str:
    """Formats a figure without a spurious ``.0`` (18.5 stays 18.5, 56800.0 becomes 56800)."""
    d = Decimal(str(value))
    return format(d.quantize(Decimal(1)) if d == d.to_integral() else d.normalize(), "f")


@dataclass
class Pdf:
    """A tiny top-to-bottom page writer on a reportlab canvas."""

    path: Path
    title: str
    c: canvas.Canvas = field(init=False)
    y: float = field(init=False)
    page: int = field(init=False, default=1)

    def __post_init__(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.c = canvas.Canvas(str(self.path), pagesize=A4, invariant=1)
        self.c.setTitle(self.title)
        self.c.setAuthor("docgen example (fictional)")
        self.c.setCreator("tools/make_example_evidence.py")
        self.c.setSubject("泸州市企业技术中心认定 示例证明材料")
        self.y = PAGE_H - MARGIN_TOP

    # page handling
    def _footer(self) -> None:
        self.c.setFillColor(grey)
        self.c.setFont(CN, 7.5)
        self.c.drawCentredString(PAGE_W / 2, 36, FOOTER)
        self.c.setFont(EN, 7.5)
        self.c.drawRightString(PAGE_W - MARGIN_X, 36, f"- {self.page} -")
        self.c.setFillColor(black)

    def new_page(self) -> None:
        self._footer()
        self.c.showPage()
        self.page += 1
        self.y = PAGE_H - MARGIN_TOP

    def need(self, height: float) -> None:
        if self.y - height < MARGIN_BOTTOM:
            self.new_page()

    def save(self) -> None:
        self._footer()
        self.c.showPage()
        self.c.save()

    # blocks
    def space(self, height: float = 8) -> None:
        self.y -= height

    def heading(self, text: str, size: float = 18, color: Color = black) -> None:
        self.need(size * 2)
        self.c.setFillColor(color)
        self.c.setFont(font_for(text), size)
        self.c.drawCentredString(PAGE_W / 2, self.y - size, text)
        self.c.setFillColor(black)
        self.y -= size * 1.9

    def caption(self, text: str, size: float = 9.5) -> None:
        """A centred line under a heading (table year, unit)."""
        self.need(size * 2)
        self.c.setFont(CN, size)
        self.c.drawCentredString(PAGE_W / 2, self.y - size * 0.4, text)
        self.y -= size * 1.8

    def subheading(self, text: str, size: float = 12.5) -> None:
        self.need(size * 2.2)
        self.y -= size * 0.5
        self.c.setFont(font_for(text), size)
        self.c.drawString(MARGIN_X, self.y - size, text)
        self.y -= size * 1.7

    def para(self, text: str, size: float = 11, indent: bool = True) -> None:
        """A paragraph of (Chinese) text, wrapped by character width."""
        lead = "\u3000\u3000" if indent else ""
        available = PAGE_W - 2 * MARGIN_X
        line = ""
        lines: list[str] = []
        for ch in lead + text:
            if line and width(line + ch, CN, size) > available:
                lines.append(line)
                line = ""
            line += ch
        if line:
            lines.append(line)
        for item in lines:
            self.need(size * 1.8)
            self.c.setFont(CN, size)
            self.c.drawString(MARGIN_X, self.y - size, item)
            self.y -= size * 1.75
        self.y -= size * 0.3

    def field(self, label: str, value: str, size: float = 11, x: float | None = None) -> None:
        """``label：value`` on one line; an ASCII value is drawn in Helvetica (never wrapped)."""
        self.need(size * 1.9)
        left = MARGIN_X if x is None else x
        label_text = f"{label}："
        self.c.setFont(CN, size)
        self.c.drawString(left, self.y - size, label_text)
        self.c.setFont(font_for(value), size)
        self.c.drawString(left + width(label_text, CN, size), self.y - size, value)
        self.y -= size * 1.85

    def table(self, header: list[str], rows: list[list[str]], widths: list[float], size: float = 10) -> None:
        """A ruled table; each cell is one line (the font shrinks to fit, never wraps)."""
        total = sum(widths)
        scale = (PAGE_W - 2 * MARGIN_X) / total
        cols = [w * scale for w in widths]
        row_h = size * 2.0

        def draw_row(cells: list[str], shade: bool) -> None:
            self.need(row_h)
            top = self.y
            if shade:
                self.c.setFillColor(Color(0.92, 0.92, 0.92))
                self.c.rect(MARGIN_X, top - row_h, sum(cols), row_h, stroke=0, fill=1)
                self.c.setFillColor(black)
            x = MARGIN_X
            for text, col in zip(cells, cols, strict=True):
                font = font_for(text)
                fs = size
                while fs > 5 and width(text, font, fs) > col - 6:
                    fs -= 0.5
                self.c.setFont(font, fs)
                self.c.drawString(x + 3, top - row_h + (row_h - fs) / 2 + fs * 0.18, text)
                x += col
            self.c.setLineWidth(0.5)
            self.c.rect(MARGIN_X, top - row_h, sum(cols), row_h, stroke=1, fill=0)
            x = MARGIN_X
            for col in cols[:-1]:
                x += col
                self.c.line(x, top, x, top - row_h)
            self.y -= row_h

        draw_row(header, True)
        for row in rows:
            if self.y - row_h < MARGIN_BOTTOM:
                self.new_page()
                draw_row(header, True)
            draw_row(row, False)
        self.y -= 8

    def seal(self, company: str, date_text: str) -> None:
        """Signature block with a drawn red company seal (the seal text is the company name)."""
        self.need(120)
        right = PAGE_W - MARGIN_X
        self.c.setFont(CN, 11)
        self.c.drawRightString(right, self.y - 40, f"{company}（盖章）")
        self.c.drawRightString(right, self.y - 60, date_text)
        cx, cy, r = right - 70, self.y - 48, 42
        self.c.setStrokeColor(RED)
        self.c.setFillColor(RED)
        self.c.setLineWidth(2)
        self.c.circle(cx, cy, r, stroke=1, fill=0)
        # five-pointed star
        points = []
        for i in range(10):
            radius = 12 if i % 2 == 0 else 5
            angle = math.pi / 2 + i * math.pi / 5
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
        path = self.c.beginPath()
        path.moveTo(*points[0])
        for p in points[1:]:
            path.lineTo(*p)
        path.close()
        self.c.drawPath(path, stroke=0, fill=1)
        self.c.setFont(CN, 7)
        self.c.drawCentredString(cx, cy - 24, "技术中心申报专用")
        self.c.setStrokeColor(black)
        self.c.setFillColor(black)
        self.c.setLineWidth(1)
        self.y -= 110


# --------------------------------------------------------------------------- answers


def load_answers() -> dict:
    with ANSWERS.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def year_end(answers: dict) -> dt.date:
    return dt.date(int(answers["profile"]["report_year"]), 12, 31)


def derived_counts(answers: dict) -> dict[str, int]:
    """The item counts of the data table, by the rules of SPEC §3 and programs/shared/fields.yaml."""
    y = int(answers["profile"]["report_year"])
    items = answers.get("items", {})
    staff = items.get("staff", [])
    apps = [a for a in items.get("patent_applications", []) if a["filed"].year == y]
    standards = [s for s in items.get("standards", []) if y - 2 <= int(s["year"]) <= y]
    awards = [a for a in items.get("awards", []) if y - 1 <= int(a["year"]) <= y]
    labs = [
        lab
        for lab in items.get("labs", [])
        if lab.get("valid_until") is None or lab["valid_until"] >= year_end(answers)
    ]
    return {
        "center_senior_staff": sum(1 for s in staff if s.get("title") == "senior" or s.get("expert") is True),
        "center_masters_plus": sum(1 for s in staff if s.get("degree") in ("master", "phd")),
        "platforms": len(items.get("platforms", [])),
        "labs": len(labs),
        "valid_invention_patents": len(items.get("invention_patents", [])),
        "patent_applications": len(apps),
        "invention_patent_applications": sum(1 for a in apps if a["type"] == "invention"),
        "standards_3y_with_local": sum(
            1 for s in standards if s["level"] in ("international", "national", "industry", "local")
        ),
        "award_projects": len({a["project"] for a in awards}),
    }


# --------------------------------------------------------------------------- documents
#
# Each builder draws one PDF and returns the strings that must be extractable from it (besides
# the company name, which every document carries).

# Fictional R&D projects of the 107-1 table: (name, 项目来源, 活动类型, 人员, 经费万元).
RD_PROJECTS = [
    ("隧道超欠挖点云检测方法研究", "本企业自选", "应用研究", 8, 96),
    ("凿岩钻进岩体识别机理研究", "与高校合作", "应用研究", 6, 72),
    ("湿喷混凝土回弹机理与抑制研究", "本企业自选", "应用研究", 5, 64),
    ("三臂智能凿岩台车研制", "本企业自选", "试验发展", 18, 236),
    ("纯电动湿喷台车研制", "本企业自选", "试验发展", 14, 188),
    ("纯电动凿岩台车能量管理系统开发", "本企业自选", "试验发展", 9, 112),
    ("多臂协同防碰撞控制系统开发", "本企业自选", "试验发展", 8, 98),
    ("拱架安装台车智能拼装系统升级", "本企业自选", "试验发展", 7, 86),
    ("湿喷台车回弹率在线监测系统开发", "本企业自选", "试验发展", 6, 74),
    ("远程运维平台2.0开发", "本企业自选", "试验发展", 7, 82),
    ("钻臂液压系统负载敏感控制优化", "国际合作", "试验发展", 5, 68),
    ("凿岩台车钻臂防尘降噪技术开发", "本企业自选", "试验发展", 4, 46),
    ("湿喷机械手快换喷头开发", "本企业自选", "试验发展", 3, 32),
    ("拱架安装台车伸缩臂轻量化设计", "本企业自选", "试验发展", 4, 44),
    ("CRS30型湿喷台车外观及人机工程设计", "本企业自选", "试验发展", 3, 28),
    ("大型结构件机器人焊接工艺开发", "本企业自选", "试验发展", 5, 78),
    ("臂架类零件数控加工工艺优化", "本企业自选", "试验发展", 3, 36),
    ("整机涂装VOCs减排工艺改进", "本企业自选", "试验发展", 3, 42),
    ("液压元件再制造工艺开发", "本企业自选", "试验发展", 4, 48),
    ("凿岩台车电控系统国产化替代", "与企业合作", "试验发展", 6, 92),
    ("隧道施工装备CAN总线诊断系统开发", "本企业自选", "试验发展", 4, 52),
    ("高原型凿岩台车动力系统适应性开发", "本企业自选", "试验发展", 5, 70),
    ("矿用湿喷台车防爆改型设计", "本企业自选", "试验发展", 4, 58),
    ("隧道施工装备数字孪生仿真平台开发", "本企业自选", "试验发展", 5, 86),
    ("整机综合试验场测试规范研究", "本企业自选", "试验发展", 3, 30),
    ("海外项目产品适应性改进", "本企业自选", "试验发展", 4, 62),
]

EXTERNAL_EXPERTS = [  # (姓名, 单位, 研究内容, 人月) — fictional
    ("高远", "某交通大学机械工程学院（教授）", "凿岩钻进岩体识别", "6.0"),
    ("钱立平", "某理工大学自动化学院（教授）", "多臂协同控制算法", "5.5"),
    ("宋建华", "某工程机械研究院（研究员）", "液压系统节能控制", "4.0"),
    ("谢晓峰", "某隧道工程局技术中心（教授级高工）", "湿喷工艺与工业性试验", "3.0"),
]

NEW_PRODUCTS = [  # (产品名称, 型号, 鉴定日期, 结论) — fictional
    ("三臂智能凿岩台车", "CRZ3", "2022年9月16日", "产品主要技术指标达到国内领先水平"),
    ("纯电动混凝土湿喷台车", "CRS30E", "2022年11月25日", "产品主要技术指标达到国内先进水平"),
]


def doc_commitment(pdf: Pdf, a: dict) -> list[str]:
    p = a["profile"]
    pdf.heading("承　诺　书")
    pdf.space(6)
    pdf.para("泸州市经济和信息化局：", indent=False)
    pdf.para(
        f"本单位{p['company_name']}申请泸州市企业技术中心认定，现郑重承诺：本次报送的《泸州市企业技术中心申请报告》"
        f"《泸州市企业技术中心评价数据表》及全部证明材料均真实、完整、有效，所填报的{p['report_year']}年度各项数据与"
        "统计报表、财务报表一致，不存在弄虚作假、隐瞒或夸大的情况。"
    )
    pdf.para(
        "如有不实，本单位愿意承担由此产生的一切后果和法律责任，并接受主管部门依据《泸州市企业技术中心认定管理办法》作出的处理。"
    )
    pdf.space(6)
    pdf.field("企业名称", p["company_name"])
    pdf.field("统一社会信用代码", str(p["credit_code"]))
    pdf.field("法定代表人（签字）", p["legal_representative"])
    pdf.seal(p["company_name"], cn_date(p["report_date"]))
    return [str(p["credit_code"])]


def doc_stat_107_1(pdf: Pdf, a: dict) -> list[str]:
    p, d = a["profile"], a["data"]
    if len(RD_PROJECTS) != int(d["rd_projects"]):
        raise SystemExit(
            f"107-1 lists {len(RD_PROJECTS)} projects but data.rd_projects is {d['rd_projects']}"
        )
    research = sum(1 for row in RD_PROJECTS if row[2] in ("基础研究", "应用研究"))
    if research != int(d["research_projects"]):
        raise SystemExit(
            f"107-1 lists {research} research projects but data.research_projects is {d['research_projects']}"
        )
    pdf.heading("规模以上工业法人单位研发项目情况", 15)
    pdf.caption(f"（107-1表）　{p['report_year']}年")
    pdf.space(4)
    pdf.field("统一社会信用代码", str(p["credit_code"]), 9.5)
    pdf.field("单位详细名称", p["company_name"], 9.5)
    rows = []
    for i, (name, source, kind, people, money) in enumerate(RD_PROJECTS, 1):
        rows.append([f"{i:02d}", name, source, kind, str(people), str(money)])
    total = sum(row[4] for row in RD_PROJECTS)
    rows.append(["", "合计", "", "", str(sum(row[3] for row in RD_PROJECTS)), str(total)])
    pdf.table(
        ["序号", "项目名称", "项目来源", "活动类型", "参加人员（人）", "当年经费支出（万元）"],
        rows,
        [26, 190, 62, 54, 70, 70],
        size=8.5,
    )
    pdf.para(
        f"注：本表所列项目经费合计{total}万元，与107-2表研究开发费用中的项目经费一致；"
        f"项目总数{len(RD_PROJECTS)}项，其中应用研究项目{research}项。",
        8.5,
        indent=False,
    )
    return ["107-1"]


def doc_stat_107_2(pdf: Pdf, a: dict) -> list[str]:
    p, d = a["profile"], a["data"]
    n = derived_counts(a)
    rd = Decimal(str(d["rd_expense"]))
    labour = (rd * Decimal("0.46")).quantize(Decimal(1))
    direct = (rd * Decimal("0.31")).quantize(Decimal(1))
    depreciation = (rd * Decimal("0.12")).quantize(Decimal(1))
    other = rd - labour - direct - depreciation
    pdf.heading("规模以上工业法人单位研发活动及相关情况", 15)
    pdf.caption(f"（107-2表）　{p['report_year']}年")
    pdf.space(4)
    pdf.field("统一社会信用代码", str(p["credit_code"]), 9.5)
    pdf.field("单位详细名称", p["company_name"], 9.5)
    rows = [
        ["一、研究开发人员情况", "", "", ""],
        ["研究开发人员合计", "人", "01", num(d["rd_staff"])],
        ["其中：管理和服务人员", "人", "02", "14"],
        ["其中：博士毕业", "人", "03", "3"],
        ["　　　硕士毕业", "人", "04", "17"],
        ["二、研究开发费用情况", "", "", ""],
        ["研究开发费用合计", "万元", "05", num(rd)],
        ["　1.人员人工费用", "万元", "06", num(labour)],
        ["　2.直接投入费用", "万元", "07", num(direct)],
        ["　3.折旧费用与长期待摊费用", "万元", "08", num(depreciation)],
        ["　4.其他费用", "万元", "09", num(other)],
        ["三、研究开发项目情况", "", "", ""],
        ["研究开发项目数", "项", "10", num(d["rd_projects"])],
        ["四、自主知识产权情况", "", "", ""],
        ["当年专利申请数", "件", "11", str(n["patent_applications"])],
        ["其中：发明专利", "件", "12", str(n["invention_patent_applications"])],
        ["期末有效发明专利数", "件", "13", str(n["valid_invention_patents"])],
        ["五、新产品情况", "", "", ""],
        ["新产品销售收入", "万元", "14", num(d["new_product_revenue"])],
        ["六、研究开发机构情况", "", "", ""],
        ["期末机构数", "个", "15", "1"],
        ["机构研究开发人员", "人", "16", "98"],
        ["期末仪器和设备原价", "万元", "17", num(d["equipment_value"])],
    ]
    pdf.table(["指标名称", "计量单位", "代码", "本年实际"], rows, [230, 60, 45, 90], size=9.5)
    pdf.para("单位负责人：张振华　　统计负责人：王丽娟　　填表人：何静", 9.5, indent=False)
    return ["107-2", num(d["rd_staff"]), num(d["rd_expense"])]


BALANCE_SHEET = [  # (项目, 期末余额 万元) — totals checked below
    ("流动资产：", None),
    ("货币资金", 9860),
    ("应收票据及应收账款", 18420),
    ("存货", 15630),
    ("其他流动资产", 2170),
    ("流动资产合计", 46080),
    ("非流动资产：", None),
    ("固定资产", 21460),
    ("在建工程", 3250),
    ("无形资产", 5860),
    ("开发支出", 920),
    ("其他非流动资产", 1030),
    ("非流动资产合计", 32520),
    ("资产总计", 78600),
    ("流动负债：", None),
    ("短期借款", 8500),
    ("应付票据及应付账款", 13620),
    ("合同负债", 3180),
    ("应付职工薪酬", 1460),
    ("应交税费", 702),
    ("流动负债合计", 27462),
    ("非流动负债：", None),
    ("长期借款", 5000),
    ("非流动负债合计", 5000),
    ("负债合计", 32462),
    ("所有者权益：", None),
    ("股本", 12000),
    ("资本公积", 9860),
    ("盈余公积", 3620),
    ("未分配利润", 20658),
    ("所有者权益合计", 46138),
    ("负债和所有者权益总计", 78600),
]


def doc_balance_sheet(pdf: Pdf, a: dict) -> list[str]:
    p = a["profile"]
    v = dict((k, x) for k, x in BALANCE_SHEET if x is not None)
    assert v["流动资产合计"] + v["非流动资产合计"] == v["资产总计"]
    assert v["流动负债合计"] + v["非流动负债合计"] == v["负债合计"]
    assert v["负债合计"] + v["所有者权益合计"] == v["负债和所有者权益总计"] == v["资产总计"]
    pdf.heading("资产负债表", 16)
    pdf.caption(f"{p['report_year']}年12月31日　　　　单位：万元")
    pdf.space(4)
    pdf.field("编制单位", p["company_name"], 10)
    rows = [[k, "" if x is None else str(x)] for k, x in BALANCE_SHEET]
    pdf.table(["项　目", "期末余额"], rows, [300, 120], size=8)
    ratio = Decimal(v["负债合计"]) / Decimal(v["资产总计"]) * 100
    pdf.para(f"资产负债率：{ratio.quantize(Decimal('0.1'))}%", 9.5, indent=False)
    pdf.para("单位负责人：张振华　　主管会计工作负责人：刘芳　　会计机构负责人：刘芳", 9.5, indent=False)
    return [str(v["资产总计"])]


def doc_income_statement(pdf: Pdf, a: dict) -> list[str]:
    p, d = a["profile"], a["data"]
    main = int(d["main_revenue"])
    rd = int(d["rd_expense"])
    other_income = 840
    revenue = main + other_income
    lines = [
        ("一、营业收入", revenue),
        ("　其中：主营业务收入", main),
        ("减：营业成本", 43450),
        ("　　税金及附加", 410),
        ("　　销售费用", 3260),
        ("　　管理费用", 3950),
        ("　　研发费用", rd),
        ("　　财务费用", 520),
        ("加：其他收益", 610),
    ]
    operating = revenue - 43450 - 410 - 3260 - 3950 - rd - 520 + 610
    non_op_in, non_op_out = 35, 95
    total = operating + non_op_in - non_op_out
    if total != int(d["total_profit"]):
        raise SystemExit(
            f"利润表 gives 利润总额 {total} but data.total_profit is {d['total_profit']}: adjust the statement"
        )
    tax = 660
    lines += [
        ("二、营业利润", operating),
        ("加：营业外收入", non_op_in),
        ("减：营业外支出", non_op_out),
        ("三、利润总额", total),
        ("减：所得税费用", tax),
        ("四、净利润", total - tax),
    ]
    pdf.heading("利润表（损益表）", 16)
    pdf.caption(f"{p['report_year']}年度　　　　单位：万元")
    pdf.space(4)
    pdf.field("编制单位", p["company_name"], 10)
    pdf.table(["项　目", "本期金额"], [[k, str(x)] for k, x in lines], [300, 120], size=9.5)
    pdf.para("单位负责人：张振华　　主管会计工作负责人：刘芳　　会计机构负责人：刘芳", 9.5, indent=False)
    return [str(main), str(total)]


def doc_data_table(pdf: Pdf, a: dict) -> list[str]:
    p, d = a["profile"], a["data"]
    n = derived_counts(a)
    pdf.heading("泸州市企业技术中心评价数据表", 15)
    info = [
        ["企业名称", p["company_name"], "报告年度", str(p["report_year"])],
        ["通讯地址", p["address"], "下属企业数量", str(p["subsidiaries"])],
        ["主营业务", p["main_business"], "统计行业代码", str(p["industry_code"])],
        ["企业负责人", p["legal_representative"], "联系电话", p["legal_representative_phone"]],
        ["技术中心负责人", p["center_director"], "联系电话", p["center_director_phone"]],
        ["联系人", p["contact"], "联系电话", p["phone"]],
        ["电子邮件", p["email"], "联系传真", p["fax"]],
        ["企业网址", p["website"], "统一社会信用代码", str(p["credit_code"])],
    ]
    pdf.table(["项目", "内容", "项目", "内容"], info, [70, 200, 70, 95], size=8)
    rows = [
        ["1", "主营业务收入", "万元", num(d["main_revenue"])],
        ["2", "研究与试验发展经费支出", "万元", num(d["rd_expense"])],
        ["3", "研究与试验发展人员数", "人", num(d["rd_staff"])],
        ["4", "企业职工总数", "人", num(d["total_staff"])],
        ["5", "技术中心高级职称（高级专家）人数", "人", str(n["center_senior_staff"])],
        ["6", "技术中心硕士及以上学位人数", "人", str(n["center_masters_plus"])],
        ["7", "来技术中心从事研发工作的外部专家人数", "人月", num(d["external_expert_months"])],
        ["8", "企业全部研发项目数", "项", num(d["rd_projects"])],
        ["", "其中：基础研究和应用研究项目数", "项", num(d["research_projects"])],
        ["9", "市级及以上研发平台数", "个", str(n["platforms"])],
        ["10", "通过市级以上（国际组织）认证的实验室和检测机构数", "个", str(n["labs"])],
        ["11", "企业技术开发仪器设备原值", "万元", num(d["equipment_value"])],
        ["12", "企业拥有的全部有效发明专利数", "项", str(n["valid_invention_patents"])],
        ["13", "当年被受理的专利申请数", "项", str(n["patent_applications"])],
        ["", "其中：被受理的发明专利申请数", "项", str(n["invention_patent_applications"])],
        [
            "14",
            "最近三年主持和参加制定的国际、国家、省级地方和行业标准数",
            "项",
            str(n["standards_3y_with_local"]),
        ],
        ["15", "新产品销售收入", "万元", num(d["new_product_revenue"])],
        ["16", "新产品销售利润", "万元", num(d["new_product_profit"])],
        ["17", "利润总额", "万元", num(d["total_profit"])],
        ["18", "获市及以上自然科学、技术发明、科技进步奖项目数", "项", str(n["award_projects"])],
    ]
    pdf.table(["序号", "指标名称", "单位", "数据值"], rows, [34, 300, 40, 70], size=8)
    pdf.para(
        "注：第8项下增列“其中：基础研究和应用研究项目数”，为计算评价指标“研究与试验发展项目数占全部研发项目数的比重”所需。",
        8.5,
        indent=False,
    )
    pdf.seal(p["company_name"], cn_date(p["report_date"]))
    return [str(p["credit_code"]), num(d["main_revenue"]), num(d["rd_expense"])]


def doc_external_experts(pdf: Pdf, a: dict, count: object) -> list[str]:
    p = a["profile"]
    months = sum(Decimal(m) for *_, m in EXTERNAL_EXPERTS)
    if months != Decimal(str(count)):
        raise SystemExit(f"外部专家聘用协议 totals {months} 人月 but answers claim {count}")
    pdf.heading("外部专家聘用协议及工作量确认汇编", 15)
    pdf.para(
        f"根据技术中心研发工作需要，{p['company_name']}（甲方）于{p['report_year']}年聘请下列外部专家（乙方）"
        "来技术中心从事研究和技术开发工作。双方签订了聘用协议，约定工作内容、工作时间、报酬及知识产权归属；"
        "工作时间按实际在中心工作天数折算人月（最小单位0.5人月），经技术中心办公室考勤确认如下。"
    )
    rows = [[str(i), name, org, topic, m] for i, (name, org, topic, m) in enumerate(EXTERNAL_EXPERTS, 1)]
    rows.append(["", "合计", "", "", num(months)])
    pdf.table(
        ["序号", "专家姓名", "工作单位及职称", "研究内容", "人月"], rows, [30, 60, 170, 110, 45], size=9.5
    )
    pdf.para(
        f"以上外部专家{p['report_year']}年在技术中心累计工作{num(months)}人月，协议原件及考勤记录存档备查。"
    )
    pdf.seal(p["company_name"], cn_date(p["report_date"]))
    return [num(months)]


def doc_new_products(pdf: Pdf, a: dict, count: object) -> list[str]:
    p = a["profile"]
    if len(NEW_PRODUCTS) != int(count):
        raise SystemExit(f"新产品鉴定证书 lists {len(NEW_PRODUCTS)} products but answers claim {count}")
    pdf.heading("四川省新产品（新技术）鉴定验收证书", 15)
    pdf.para(
        f"下列产品由{p['company_name']}研制，经组织专家对其技术资料、检测报告和用户使用报告进行审查和现场考核，"
        "鉴定委员会认为产品设计合理、性能稳定，同意通过新产品鉴定。"
    )
    rows = [
        [str(i), name, model, when, verdict] for i, (name, model, when, verdict) in enumerate(NEW_PRODUCTS, 1)
    ]
    pdf.table(["序号", "产品名称", "型号", "鉴定日期", "鉴定结论"], rows, [30, 110, 50, 85, 170], size=9.5)
    for _, model, *_ in NEW_PRODUCTS:
        pdf.field("鉴定产品型号", model)
    return [model for _, model, *_ in NEW_PRODUCTS]


def doc_staff(pdf: Pdf, a: dict, people: list[dict]) -> list[str]:
    p = a["profile"]
    pdf.heading("技术中心高级职称、高级专家及硕士以上学位人员证书汇编", 14)
    pdf.para(
        f"以下人员均为全职在{p['company_name']}技术中心工作的人员，职称证书、学位证书及专家津贴证书复印件附后，"
        "原件可供核查。"
    )
    rows = []
    for i, s in enumerate(people, 1):
        title = "正高级工程师" if s.get("expert") else ("高级工程师" if s.get("title") == "senior" else "—")
        expert = "享受省政府特殊津贴" if s.get("expert") else "—"
        serial = f"{51 + i % 3:02d}{2015 + i % 7}{1000 + i * 37:04d}"
        rows.append([str(i), s["name"], title, expert, DEGREE_CN.get(s.get("degree", ""), "—"), serial])
    pdf.table(
        ["序号", "姓名", "职称", "高级专家", "学位", "证书编号"], rows, [30, 60, 90, 110, 45, 90], size=9.5
    )
    return [s["name"] for s in people]


def doc_invention_patent(pdf: Pdf, a: dict, patents: list[dict]) -> list[str]:
    p = a["profile"]
    for k, pat in enumerate(patents):
        if k:
            pdf.new_page()
        pdf.heading("发明专利证书", 20)
        pdf.space(10)
        pdf.field("发明名称", pat.get("title", ""))
        pdf.field("发明人", "李建国；陈志远；刘海涛")
        pdf.field("专利号", pat["number"])
        pdf.field("专利权人", p["company_name"])
        pdf.field("授权公告日", cn_date(pat.get("granted", "")))
        pdf.space(6)
        pdf.para(
            "本发明经过本局依照中华人民共和国专利法进行审查，决定授予专利权，颁发发明专利证书并在专利登记簿上予以登记。"
            "专利权自授权公告之日起生效。专利权期限为二十年，自申请日起算。"
        )
        pdf.para(f"截至{p['report_year']}年12月31日，本专利年费已按期缴纳，专利权有效。")
    return [pat["number"] for pat in patents]


def doc_patent_applications(pdf: Pdf, a: dict, apps: list[dict]) -> list[str]:
    p = a["profile"]
    pdf.heading("专利申请受理通知书汇编", 16)
    pdf.para(
        f"{p['company_name']}{p['report_year']}年向国家知识产权局提出并被受理的专利申请如下，"
        "各申请的《专利申请受理通知书》复印件附后。"
    )
    rows = [
        [str(i), x["number"], x.get("title", ""), PATENT_TYPE_CN[x["type"]], cn_date(x["filed"])]
        for i, x in enumerate(apps, 1)
    ]
    pdf.table(["序号", "申请号", "发明创造名称", "专利类型", "申请日"], rows, [28, 95, 200, 55, 85], size=9)
    by_type = {t: sum(1 for x in apps if x["type"] == t) for t in PATENT_TYPE_CN}
    pdf.para(
        "合计{}件，其中发明专利{}件、实用新型专利{}件、外观设计专利{}件。".format(
            len(apps), by_type["invention"], by_type["utility"], by_type["design"]
        ),
        10,
        indent=False,
    )
    pdf.field("申请人", p["company_name"], 10)
    return [x["number"] for x in apps]


STANDARD_HEAD = {
    "national": ("中华人民共和国国家标准", "国家市场监督管理总局　国家标准化管理委员会　发布"),
    "industry": ("中华人民共和国机械行业标准", "中华人民共和国工业和信息化部　发布"),
    "local": ("四川省地方标准", "四川省市场监督管理局　发布"),
}


def doc_standard(pdf: Pdf, a: dict, standards: list[dict]) -> list[str]:
    p = a["profile"]
    for k, s in enumerate(standards):
        if k:
            pdf.new_page()
        head, publisher = STANDARD_HEAD.get(s["level"], (f"{LEVEL_CN[s['level']]}标准", "发布单位"))
        pdf.heading(head, 17)
        pdf.c.setFont(EN_BOLD, 13)
        pdf.c.drawRightString(PAGE_W - MARGIN_X, pdf.y - 13, s["code"])
        pdf.y -= 40
        pdf.heading(s.get("name", ""), 18)
        pdf.space(8)
        pdf.field("标准编号", s["code"])
        pdf.field("发布年份", f"{s['year']}")
        pdf.field("发布单位", publisher)
        pdf.subheading("前　言")
        if s["role"] == "lead":
            drafters = f"{p['company_name']}、四川省机械研究设计院（集团）有限公司、某交通大学"
            pdf.para(f"本文件由{p['company_name']}提出并主持起草。")
        else:
            drafters = f"某工程机械研究院有限公司、某装备集团股份有限公司、{p['company_name']}、某交通大学"
        pdf.para(f"本文件起草单位：{drafters}。")
        pdf.para("本文件主要起草人：李建国、刘海涛、孙立新、赵文博。")
        pdf.field("本单位", p["company_name"])
        pdf.field("本单位参与方式", "主持起草" if s["role"] == "lead" else "参加起草")
    return [s["code"] for s in standards]


def doc_award(pdf: Pdf, a: dict, awards: list[dict]) -> list[str]:
    p = a["profile"]
    for k, aw in enumerate(awards):
        if k:
            pdf.new_page()
        pdf.heading(aw["name"], 20, RED)
        pdf.heading("证　书", 22, RED)
        pdf.space(10)
        pdf.para(f"为表彰{aw['year']}年度{aw['name']}获得者，特颁发此证书。")
        pdf.field("项目名称", aw["project"])
        pdf.field("奖励等级", GRADE_CN[aw["grade"]])
        pdf.field("获奖单位", p["company_name"])
        pdf.field("奖励年度", str(aw["year"]))
        issuer = {
            "city": "泸州市人民政府",
            "provincial": "四川省人民政府",
            "national": "中华人民共和国国务院",
        }[aw["level"]]
        pdf.field("颁奖单位", issuer)
        prefix = {"city": "LZ", "provincial": "SC", "national": "GJ"}[aw["level"]]
        pdf.field("证书编号", f"{prefix}{aw['year']}-J-{list(GRADE_CN).index(aw['grade'])}-{k + 17:03d}")
    return [aw["project"] for aw in awards]


def doc_platform(pdf: Pdf, a: dict, platforms: list[dict]) -> list[str]:
    p = a["profile"]
    for k, pl in enumerate(platforms):
        if k:
            pdf.new_page()
        approved = pl.get("approved")
        year = approved.year if isinstance(approved, dt.date) else p["report_year"]
        if pl["level"] == "provincial":
            office, title = (
                "四川省科学技术厅",
                f"四川省科学技术厅关于认定{year}年度四川省工程技术研究中心的通知",
            )
        elif pl["level"] == "city":
            office, title = (
                "泸州市科学技术局",
                f"泸州市科学技术局关于批准建设{year}年度泸州市重点实验室的通知",
            )
        else:
            office, title = "国家主管部门", f"关于{year}年度国家级研发平台认定的通知"
        pdf.heading(office, 18, RED)
        pdf.c.setStrokeColor(RED)
        pdf.c.line(MARGIN_X, pdf.y, PAGE_W - MARGIN_X, pdf.y)
        pdf.c.setStrokeColor(black)
        pdf.space(14)
        pdf.heading(title, 12.5)
        pdf.para("各有关单位：", indent=False)
        pdf.para(
            f"经单位申报、主管部门推荐、专家评审和网上公示，同意认定（批准建设）{pl['name']}，"
            f"依托单位为{p['company_name']}。请依托单位按照有关管理办法加强建设和运行管理，"
            "完善研发条件，集聚创新人才，提升自主创新能力。"
        )
        pdf.field("平台名称", pl["name"])
        pdf.field("依托单位", p["company_name"])
        pdf.field("平台级别", LEVEL_CN[pl["level"]])
        pdf.field("批准日期", cn_date(approved) if approved else "")
    return [pl["name"] for pl in platforms]


def doc_lab(pdf: Pdf, a: dict, labs: list[dict]) -> list[str]:
    p = a["profile"]
    for k, lab in enumerate(labs):
        if k:
            pdf.new_page()
        pdf.heading("中国合格评定国家认可委员会", 17)
        pdf.heading("实验室认可证书", 20)
        pdf.c.setFont(EN_BOLD, 12)
        pdf.c.drawCentredString(PAGE_W / 2, pdf.y - 12, "CERTIFICATE OF ACCREDITATION")
        pdf.y -= 30
        pdf.field("注册号", lab.get("accreditation", ""))
        pdf.field("实验室名称", lab["name"])
        pdf.field("法人单位", p["company_name"])
        pdf.field("地址", p["address"])
        pdf.para(
            "经评审，该实验室符合 ISO/IEC 17025:2017《检测和校准实验室能力的通用要求》（CNAS-CL01）的要求，"
            "具备承担本证书附件所列检测服务的能力，予以认可。"
        )
        pdf.field("首次认可日期", "2019年7月8日")
        pdf.field("有效期至", cn_date(lab.get("valid_until", "")))
    return [lab.get("accreditation", "") for lab in labs]


ITEM_BUILDERS = {
    "staff": doc_staff,
    "invention_patents": doc_invention_patent,
    "patent_applications": doc_patent_applications,
    "standards": doc_standard,
    "awards": doc_award,
    "platforms": doc_platform,
    "labs": doc_lab,
}
ITEM_TITLES = {
    "staff": "技术中心人员证书汇编",
    "invention_patents": "发明专利证书",
    "patent_applications": "专利申请受理通知书汇编",
    "standards": "标准文本（封面及前言）",
    "awards": "科技奖励证书",
    "platforms": "研发平台批复文件",
    "labs": "实验室认可证书",
}
DOC_BUILDERS = {
    "commitment_letter": (doc_commitment, "承诺书"),
    "stat_107_1": (doc_stat_107_1, "107-1表"),
    "stat_107_2": (doc_stat_107_2, "107-2表"),
    "balance_sheet": (doc_balance_sheet, "资产负债表"),
    "income_statement": (doc_income_statement, "利润表"),
    "data_table_sealed": (doc_data_table, "评价数据表（盖章）"),
}
COUNTED_BUILDERS = {
    "external_experts": (doc_external_experts, "外部专家聘用协议"),
    "new_product_appraisals": (doc_new_products, "新产品鉴定证书"),
}


# --------------------------------------------------------------------------- main


@dataclass
class Job:
    file: str  # path relative to the example folder
    title: str
    draw: object  # callable(pdf) -> list[str]
    expect: list[str] = field(default_factory=list)


def plan(a: dict) -> list[Job]:
    """One job per evidence file named in answers.yaml (in order of first mention)."""
    jobs: dict[str, Job] = {}
    by_file: dict[str, dict[str, list[dict]]] = {}
    for kind, items in (a.get("items") or {}).items():
        if kind not in ITEM_BUILDERS:
            raise SystemExit(f"no evidence builder for item kind {kind!r}")
        for item in items:
            f = item.get("evidence")
            if f:
                by_file.setdefault(f, {}).setdefault(kind, []).append(item)
    for f, kinds in by_file.items():

        def draw(pdf: Pdf, kinds: dict[str, list[dict]] = kinds) -> list[str]:
            out: list[str] = []
            for n, (kind, items) in enumerate(kinds.items()):
                if n:
                    pdf.new_page()
                out += ITEM_BUILDERS[kind](pdf, a, items)
            return out

        title = "、".join(ITEM_TITLES[k] for k in kinds)
        expect = [str(item[IDENTIFIER[k]]) for k, items in kinds.items() for item in items]
        jobs[f] = Job(f, title, draw, expect)
    for key, value in (a.get("evidence") or {}).items():
        if isinstance(value, str) and value in INTENTIONALLY_MISSING:
            jobs.setdefault(value, Job(value, key, None))
        elif isinstance(value, str):
            if key not in DOC_BUILDERS:
                raise SystemExit(f"no evidence builder for evidence.{key}")
            builder, title = DOC_BUILDERS[key]
            jobs.setdefault(value, Job(value, title, lambda pdf, b=builder: b(pdf, a)))
        elif isinstance(value, list):
            if key not in COUNTED_BUILDERS:
                raise SystemExit(f"no evidence builder for evidence.{key}")
            builder, title = COUNTED_BUILDERS[key]
            for entry in value:
                f, count = entry["file"], entry.get("count")
                jobs.setdefault(f, Job(f, title, lambda pdf, b=builder, c=count: b(pdf, a, c)))
        else:
            raise SystemExit(f"evidence.{key}: expected a path or a list of {{file, count}}")
    for f in jobs:
        if f.startswith("/") or ".." in Path(f).parts or not f.startswith("evidence/"):
            raise SystemExit(f"evidence path {f!r} must lie under evidence/")
    return list(jobs.values())


def extracted_text(path: Path) -> tuple[str, int]:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


def main(argv: Iterable[str] = ()) -> int:
    a = load_answers()
    company = a["profile"]["company_name"]
    jobs = plan(a)
    written = []
    for job in jobs:
        if job.file in INTENTIONALLY_MISSING:
            target = EXAMPLE / job.file
            if target.exists():
                target.unlink()  # keep the demonstration of a missing document intact
            continue
        pdf = Pdf(EXAMPLE / job.file, job.title)
        extra = job.draw(pdf)
        pdf.save()
        job.expect = [company, *job.expect, *[e for e in extra if e not in job.expect]]
        written.append(job)

    failures = 0
    rows = []
    for job in written:
        text, pages = extracted_text(EXAMPLE / job.file)
        for ident in dict.fromkeys(job.expect):
            ok = ident in text
            failures += not ok
            rows.append((job.file, pages, ident, ok))
        if pages > 2:
            print(f"note: {job.file} has {pages} pages")

    w_file = max(len(r[0]) for r in rows)
    print(f"{'file'.ljust(w_file)}  pages  found  identifier")
    for f, pages, ident, ok in rows:
        print(f"{f.ljust(w_file)}  {pages:5d}  {'yes' if ok else 'NO':5s}  {ident}")
    skipped = sorted(f for f in INTENTIONALLY_MISSING if any(j.file == f for j in jobs))
    print(
        f"\n{len(written)} PDFs written to {EXAMPLE.relative_to(ROOT)}/evidence; "
        f"{len(rows)} checks, {failures} missing; left out on purpose: {', '.join(skipped) or 'none'}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

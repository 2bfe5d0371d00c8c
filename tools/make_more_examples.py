"""Writes the example submissions of the national and Gansu programs with their evidence PDFs.

Run: python tools/make_more_examples.py   (deterministic: reportlab invariant mode)
Every company, person, number and certificate is fictional. The narrative follows each program's
application outline (附件1 of the Luzhou guide, which most of these programs borrow; the alliance's
own outline, outlines/gansu-alliance-application.yaml) and quotes the data.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import yaml
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


def pdf(path: Path, title: str, lines: list[str], ids: list[str]) -> None:
    """Writes a one-page A4 PDF: a Chinese title and body, identifiers in Helvetica (extractable)."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1)
    c.setFont("STSong-Light", 18)
    c.drawCentredString(297, 760, title)
    y = 720
    for line in lines:
        c.setFont("STSong-Light", 11)
        c.drawString(60, y, line)
        y -= 20
    for identifier in ids:
        c.setFont("Helvetica", 11)
        c.drawString(60, y, identifier)
        y -= 18
    c.setFont("STSong-Light", 8)
    c.drawCentredString(297, 40, "本材料为 docgen 示例用虚构材料，不具任何证明效力")
    c.showPage()
    c.save()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def narrative(c: dict) -> dict[str, str]:
    """Returns the nine sections of the application outline for company facts ``c``."""
    y = c["year"]
    return {
        "1.1": (
            f"{c['name']}成立于{c['founded']}年，所有制性质为{c['ownership']}，注册地位于{c['city']}。公司主要下属企业有"
            f"{c['subsidiaries_text']}。\n\n{y}年，公司职工总数{c['staff']}人，其中研发人员{c['rd_staff']}人。截至{y}年末，"
            f"企业总资产{c['assets']}，资产负债率{c['debt']}，银行信用等级为AAA级。{y}年实现销售收入{c['revenue_text']}，"
            f"利润总额{c['profit_text']}。\n\n公司主导产品为{c['products']}，国内市场占有率约{c['share']}，"
            "产品销往全国二十余个省区并出口东南亚、中亚市场。"
        ),
        "1.2": (
            f"{c['industry']}行业集中度逐年提高，前十家企业的市场份额已超过一半。公司在行业综合排序中位列{c['rank']}，"
            "在细分领域处于**领先地位**。\n\n与同行业企业相比，公司的竞争优势体现在三个方面：一是规模优势，生产基地和服务网络"
            "覆盖主要市场；二是技术优势，核心部件自主设计，关键工艺自主掌握；三是质量优势，产品可靠性指标达到国际同类产品水平。"
            "公司持续加大研发投入，形成了从基础研究、应用开发到工程化的完整能力，规模和技术优势相互支撑。"
        ),
        "1.3": (
            "公司牵头和参与行业标准制定，推动行业技术进步；带动上下游配套企业开展技术改造，促进产业结构调整和转型升级。"
            f"公司在{c['city']}建设的产业园集聚配套企业三十余家，促进区域产业发展，形成了较为完整的产业链。\n\n"
            "公司在节能减排方面示范作用明显，单位产值能耗三年下降15%；推行废料回收和综合利用，资源节约综合利用率达到95%以上，"
            "多项绿色制造技术在行业内推广应用。公司每年举办技术交流会，向行业开放试验平台，带动中小企业共同提升技术水平。"
        ),
        "2.1": (
            f"技术中心组建于{c['center_year']}年，经过多年的建设与发展历程，已形成“决策层—管理层—研发执行层”三级组织架构，"
            "下设研究所、工艺所、试验检测中心和信息中心。\n\n公司建立了完善的规章制度，制定了研发项目立项、评审、验收的项目管理"
            "办法，实行研发经费专账管理和预算控制，建立了以项目奖励、成果分红和职称晋升为主要内容的人才激励机制，并与高校、"
            "科研院所和上下游企业建立了稳定的内外部合作机制，保障技术创新体系有效运行。技术中心每年开展制度评估，"
            "持续优化创新管理流程。"
        ),
        "2.2": (
            f"技术中心拥有一支结构合理的创新团队，由{c['leader']}担任技术带头人，核心研发人员均具有十年以上研发经验。\n\n"
            f"公司研发投入持续增长，{y}年研发经费支出{c['rd_text']}，占营业收入的{c['rd_ratio']}。\n\n"
            "| 年度 | 研发经费（万元） |\n|---|---|\n"
            f"| {y - 2} | {c['rd_history'][0]} |\n| {y - 1} | {c['rd_history'][1]} |\n| {y} | {c['rd_expense']} |\n\n"
            f"研究开发和试验基础条件不断完善，研发仪器设备原值{c['equipment_text']}，建有中试线和综合性能试验台。"
            "公司推进信息化建设，部署PLM、ERP和MES系统，实现研发数据的统一管理。"
        ),
        "2.3": (
            f"报告年度，技术中心围绕{c['focus']}开展重大产品创新，完成新产品开发{c['new_products']}项；推进工艺创新，"
            "关键工序自动化率提高到85%；探索商业模式创新，由单一产品销售向“产品+服务”的服务型制造转型。\n\n"
            "公司坚持产学研合作，与两所高校共建联合实验室；与上下游企业间合作开展联合开发；积极开展国际化研发活动，"
            "与国外同行开展技术交流和联合测试。通过多种形式的合作，公司整合了外部创新资源，缩短了新产品开发周期，"
            "提高了研发成功率。报告年度，公司与合作单位联合申报省部级科技项目，联合培养研究生，合作成效逐步显现。"
        ),
        "2.4": (
            f"技术中心形成了{c['core_tech']}等核心技术，拥有自主知识产权的有效发明专利{c['patents']}项。"
            "相关技术成果支撑了核心产品的迭代升级，显著提升了公司核心竞争力。\n\n"
            f"{y}年新产品销售收入{c['np_text']}，新产品毛利率高于传统产品约8个百分点，取得了良好的经济效益；"
            "新产品在重点工程中应用，降低了施工能耗和安全风险，社会效益显著。技术中心的成果还通过技术许可和标准制定"
            "在行业内推广，扩大了公司的影响力。公司建立了成果转化激励办法，研发人员按转化收益获得奖励，成果转化率明显提高。"
        ),
        "3.1": (
            f"公司制定了未来3~5年技术创新发展战略：以{c['strategy']}为方向，建设国内一流的研发平台，"
            "形成一批具有自主知识产权的核心技术。\n\n该战略与公司“十四五”总体发展目标紧密衔接，技术创新对总体发展目标的支撑作用"
            "体现在：新产品收入占比持续提高，关键零部件自主配套率达到90%，为公司规模扩张和转型升级提供技术支撑。"
            "公司将按年度分解战略目标，纳入各部门绩效考核，确保战略落地，并根据市场和技术变化每年对战略进行评估和调整。"
        ),
        "3.2": (
            "公司近期拟实施以下重点举措：\n\n"
            "- **创新条件建设**：新建综合试验中心，购置高端检测设备，完善中试条件；\n"
            "- **创新人才集聚**：引进博士和高级工程师，实施青年科技人才培养计划，完善人才激励；\n"
            f"- **重点研发项目部署**：围绕{c['focus']}部署重点研发项目六项，开展关键核心技术攻关。\n\n"
            "公司将保障研发投入强度，确保各项举措按期落实，持续提升技术中心的创新能力，力争三年内建成国内一流的"
            "企业技术中心。公司将定期向董事会报告举措进展，及时协调解决实施中的困难，确保投入到位、人员到位、责任到位。"
        ),
    }


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as YAML literal blocks, the way a person would type it."""


def _text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def write(program: str, answers: dict, documents: dict[str, tuple[str, list[str], list[str]]]) -> None:
    folder = ROOT / "examples" / program
    text = yaml.dump(answers, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    header = "# docgen 示例申报材料：企业、人员、编号和数据均为虚构。\n"
    (folder).mkdir(parents=True, exist_ok=True)
    (folder / "answers.yaml").write_text(header + text, encoding="utf-8")
    for name, (title, lines, ids) in documents.items():
        pdf(folder / name, title, lines, ids)


def base_documents(company: str, keys: list[tuple[str, str]], missing: str) -> tuple[dict, dict]:
    """Returns the evidence mapping and the PDFs of the required documents (one left out)."""
    evidence, docs = {}, {}
    for key, title in keys:
        path = f"evidence/{title}.pdf"
        evidence[key] = path
        if key != missing:
            docs[path] = (title, [f"单位：{company}", f"材料：{title}"], [])
    return evidence, docs


def main() -> None:
    from examples_data import EXAMPLES

    for program, build in EXAMPLES.items():
        answers, documents = build(narrative, base_documents, pdf)
        write(program, answers, documents)
        print("wrote", program)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()

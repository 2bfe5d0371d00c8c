"""Narrative: outline contract, contradictions with the data, Markdown into Word, safe templates."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from lxml import etree

from docgen.app.submission import open_submission
from docgen.cli.main import cli
from docgen.narrative.markdown import markdown_to_blocks
from docgen.narrative.outline import strip_typed_heading
from docgen.word.xml import W_NS, XmlWriter


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def edit(example: Path, old: str, new: str) -> None:
    path = example / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(example: Path, needle: str) -> int:
    lines = (example / "answers.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_contradicting_staff_figure_names_both_values_and_line(example: Path):
    """ensures that «职工总数850人» against total_staff 936 is reported on the sentence's line."""
    edit(example, "公司职工总数936人", "公司职工总数850人")
    sub = open_submission(example)
    (finding,) = [d for d in sub.diagnostics if d.code == "narrative.contradiction"]
    assert finding.location.path == "narrative.1.1"
    assert finding.location.line == line_of(example, "公司职工总数850人")
    assert "职工总数850人" in finding.message
    assert "936人" in finding.message


def test_revenue_in_yi_yuan_within_rounding(example: Path):
    """ensures unit conversion and rounding: 5.68亿元 matches 56800万元, 5.7亿元 does too, 5.6亿元 does not."""
    edit(example, "5.68亿元", "5.7亿元")
    assert not [d for d in open_submission(example).diagnostics if d.code == "narrative.contradiction"]
    edit(example, "5.7亿元", "5.6亿元")
    (finding,) = [d for d in open_submission(example).diagnostics if d.code == "narrative.contradiction"]
    assert "56800万元" in finding.message


def contradictions(example: Path, section: str | None = None) -> list:
    found = [d for d in open_submission(example).diagnostics if d.code == "narrative.contradiction"]
    return [d for d in found if section is None or d.location.path == f"narrative.{section}"]


def test_every_contradiction_of_a_section_is_reported_once(example: Path):
    """ensures two wrong figures on one line are both reported, and a repeated sentence only once."""
    edit(example, "main_revenue: 56800 ", "main_revenue: 42000 ")
    edit(example, "rd_staff: 126 ", "rd_staff: 110 ")
    edit(example, "公司主导产品为凿岩台车", "2022年公司研发人员126人。公司主导产品为凿岩台车")
    findings = contradictions(example, "1.1")
    line = line_of(example, "5.68亿元")
    assert sorted((d.location.line, d.hint) for d in findings) == [
        (line, "请核对正文或 data.main_revenue"),
        (line, "请核对正文或 data.rd_staff"),
    ]
    revenue, staff = sorted(findings, key=lambda d: d.hint or "")
    assert "5.68亿元" in revenue.message
    assert "42000万元" in revenue.message
    assert "研发人员126人" in staff.message
    assert "110人" in staff.message
    result = run("check", example, "--json")
    rows = [d for d in json.loads(result.output)["diagnostics"] if d["path"] == "narrative.1.1"]
    assert sorted((d["code"], d["line"]) for d in rows) == [("narrative.contradiction", line)] * 2


def test_table_cells_of_the_report_year_are_compared(example: Path):
    """ensures the 2.2 table's 2022 row is checked under its headers' units, 2020 and 2021 are not."""
    assert not contradictions(example)
    edit(example, "rd_expense: 1980 ", "rd_expense: 1736 ")
    (finding,) = contradictions(example)
    assert finding.location.path == "narrative.2.2"
    assert finding.location.line == line_of(example, "| 2022 | 1980 | 56800 | 3.49 |")
    assert "研发经费支出（万元）：1980" in finding.message
    assert "1736万元" in finding.message
    assert finding.hint == "请核对正文或 data.rd_expense"
    edit(example, "| 2022 | 1980 | 56800 | 3.49 |", "| 2022 | 1736 | 56,800 | 3.06 |")
    assert not contradictions(example)


def test_table_with_year_columns_and_units_in_labels_or_cells(example: Path):
    """ensures a table with 2021年/2022年 columns is read by its row labels, the 2021 column left out."""
    edit(
        example,
        "    在研究开发和试验基础条件方面",
        "    | 指标 | 2021年 | 2022年 |\n"
        "    |:---|---:|---:|\n"
        "    | 主营业务收入（亿元） | 5.13 | **5.6** |\n"
        "    | 研发人员 | 110人 | 126人 |\n"
        "    | 新产品销售收入（万元） | 18000 | 约21000 |\n\n"
        "    在研究开发和试验基础条件方面",
    )
    (finding,) = contradictions(example)
    assert finding.location.path == "narrative.2.2"
    assert finding.location.line == line_of(example, "| 主营业务收入（亿元） | 5.13 |")
    assert "主营业务收入（亿元）：5.6" in finding.message
    assert "56800万元" in finding.message


def test_missing_section_and_unknown_section(example: Path):
    """ensures a removed section is an error at narrative.<id> and an extra one a warning."""
    path = example / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'  "3\.2": \|\n(?:    .*\n|\n)+', '  "9.9": |\n    多余的章节。\n', text, count=1)
    path.write_text(text, encoding="utf-8")
    sub = open_submission(example)
    codes = {(d.code, d.location.path, d.severity.value) for d in sub.diagnostics}
    assert ("narrative.missing", "narrative.3.2", "error") in codes
    assert ("narrative.unknown_section", "narrative.9.9", "warning") in codes
    result = run("build", example, "-o", example.parent / "out")
    assert result.exit_code == 1
    assert not (example.parent / "out" / "report.docx").exists()


def test_uncovered_point_is_named(example: Path):
    """ensures that dropping 资产负债率 from 1.1 warns about that point."""
    edit(example, "资产负债率41.3%，", "")
    sub = open_submission(example)
    points = [d for d in sub.diagnostics if d.code == "narrative.point_missing"]
    assert [d.location.path for d in points] == ["narrative.1.1"]
    assert "资产负债率" in points[0].message


def test_every_uncovered_point_of_a_section_is_named(example: Path):
    """ensures two uncovered points of 1.1 give two warnings on the same line, one per point."""
    edit(example, "资产负债率41.3%，", "")
    edit(example, "连续五年被合作银行评定为AAA级银行信用等级。", "")
    points = [d for d in open_submission(example).diagnostics if d.code == "narrative.point_missing"]
    assert [d.location.path for d in points] == ["narrative.1.1"] * 2
    assert len({d.location.line for d in points}) == 1
    assert sorted("资产负债率" in d.message for d in points) == [False, True]
    assert sorted("银行信用等级" in d.message for d in points) == [False, True]


def test_typed_heading_is_removed():
    """ensures a heading the user typed again at the top of a section is dropped."""
    assert strip_typed_heading("一、企业基本情况\n正文", "企业基本情况") == "正文"
    assert strip_typed_heading("（一）企业基本情况。\n正文", "企业基本情况") == "正文"
    assert strip_typed_heading("1.企业基本情况\n正文", "企业基本情况") == "正文"
    assert strip_typed_heading("公司成立于2006年。", "企业基本情况") == "公司成立于2006年。"


def test_typed_sub_headings_become_headings():
    """ensures «（一）研发投入» typed on its own line becomes a sub-heading, sentences stay text."""
    from docgen.narrative.outline import normalise_typed_headings

    text = "（一）研发投入\n公司研发投入逐年增长。\n一、这是一句完整的话，不是标题。"
    assert normalise_typed_headings(text).split("\n") == [
        "### （一）研发投入",
        "公司研发投入逐年增长。",
        "一、这是一句完整的话，不是标题。",
    ]


def test_markdown_blocks():
    """ensures paragraphs, bold/italic runs, lists and tables are recognised."""
    blocks = markdown_to_blocks(
        "一段**加粗**和*斜体*。\n\n- 甲\n- 乙\n\n1. 一\n2. 二\n\n| 年 | 值 |\n|---|---|\n| 2021 | 1 |\n"
    )
    kinds = [b.kind for b in blocks]
    assert kinds == ["paragraph", "bullet", "bullet", "number", "number", "table"]
    assert [(r.text, r.bold, r.italic) for r in blocks[0].runs] == [
        ("一段", False, False),
        ("加粗", True, False),
        ("和", False, False),
        ("斜体", False, True),
        ("。", False, False),
    ]
    assert blocks[-1].header_rows == 1
    assert [[c[0].text for c in row] for row in blocks[-1].rows] == [["年", "值"], ["2021", "1"]]


def test_list_items_are_numbered_body_paragraphs():
    """ensures «- 甲» becomes （1）甲 and «1. 一» becomes 1.一 in Body Text, nested items indented
    with their own numbering (①, （1）), and a list after a paragraph starts again at 1."""
    blocks = markdown_to_blocks("- 甲\n- 乙\n    - 丙\n    - 丁\n- 戊\n\n段落。\n\n1. 一\n2. 二\n    1. 三\n")
    xml = XmlWriter({"body text": "BodyText"}).blocks(blocks)
    paragraphs = etree.fromstring(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>').findall(f"{{{W_NS}}}p")
    texts = ["".join(p.itertext()) for p in paragraphs]
    assert texts == ["（1）甲", "（2）乙", "①丙", "②丁", "（3）戊", "段落。", "1.一", "2.二", "（1）三"]
    styles = {p.find(f"{{{W_NS}}}pPr/{{{W_NS}}}pStyle").get(f"{{{W_NS}}}val") for p in paragraphs}
    assert styles == {"BodyText"}
    nested = paragraphs[2].find(f"{{{W_NS}}}pPr/{{{W_NS}}}ind")
    assert nested.get(f"{{{W_NS}}}leftChars") == "200"
    assert nested.get(f"{{{W_NS}}}firstLineChars") == "200"
    assert paragraphs[0].find(f"{{{W_NS}}}pPr/{{{W_NS}}}ind") is None  # the style's first-line indent


def test_markdown_becomes_word_structure(example: Path, tmp_path: Path):
    """ensures the report has the example's table (header row, borders), list items as numbered body
    paragraphs (（1）（2）…, no bullet glyph, no list style) and bold runs."""
    assert run("build", example, "-o", tmp_path / "out").exit_code == 0
    doc = Document(tmp_path / "out" / "report.docx")
    assert not [p for p in doc.paragraphs if p.style.name.startswith("List")]
    assert not [p for p in doc.paragraphs if "•" in p.text]
    assert not [p for p in doc.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    items = [p.text for p in doc.paragraphs if p.style.name == "Body Text" and p.text.startswith("（")]
    assert items[0].startswith("（1）")
    assert items[1].startswith("（2）")
    bold = [r.text for p in doc.paragraphs if p.style.name == "Body Text" for r in p.runs if r.bold]
    assert bold
    body = [p for p in doc.paragraphs if p.style.name == "Body Text"]
    indent = doc.styles["Body Text"].element.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ind"
    )
    assert indent.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}firstLineChars") == "200"
    assert body
    narrative_tables = [t for t in doc.tables if t.rows and t.rows[0].cells[0].text == "年度"]
    (table,) = narrative_tables
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)
    assert (
        table._tbl.tblPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders")
        is not None
    )


def test_template_cannot_escape_the_sandbox(example: Path, tmp_path: Path):
    """ensures `{{ ''.__class__.__mro__ }}` in a user template is refused, not evaluated."""
    template = tmp_path / "evil.docx"
    doc = Document()
    doc.add_paragraph("{{ company.name }}{{ ''.__class__.__mro__ }}")
    doc.save(template)
    result = run("build", example, "-o", tmp_path / "out", "--template", template)
    assert result.exit_code == 1
    assert "不安全" in result.output
    assert "<class" not in result.output
    assert not (tmp_path / "out" / "report.docx").exists()


def test_templates_export_and_reuse(example: Path, tmp_path: Path):
    """ensures `docgen templates export` writes the defaults and a build with one of them works."""
    result = run("templates", "export", tmp_path / "tpl")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "tpl").iterdir())
    assert names == [
        "application-report.docx",
        "correction-notice.docx",
        "missing-evidence.docx",
        "work-summary.docx",
    ]
    result = run(
        "build", example, "-o", tmp_path / "out", "--template", tmp_path / "tpl" / "application-report.docx"
    )
    assert result.exit_code == 0, result.output
    again = run("templates", "export", tmp_path / "tpl")
    assert "已存在" in again.output


def test_figure_patterns_are_built_once_a_submission(example: Path, monkeypatch):
    """ensures that the figure patterns are built once for all the sections of a submission, and
    that every section's figures are those found with patterns built for it alone."""
    from docgen.narrative import consistency

    built = []
    real = consistency.figure_patterns

    def counting(*args):
        built.append(args)
        return real(*args)

    monkeypatch.setattr(consistency, "figure_patterns", counting)
    edit(example, "公司职工总数936人", "公司职工总数850人")
    sub = open_submission(example)
    assert len(sub.answers.narrative) > 3
    assert len(built) == 1
    assert [d for d in sub.diagnostics if d.code == "narrative.contradiction"]
    patterns = real(sub.catalog.fields, sub.catalog.units)
    found = 0
    for section in sub.answers.narrative.values():
        args = (section.text, sub.answers.report_year, sub.catalog.fields, sub.catalog.units)
        mentions = consistency.find_mentions(*args, patterns)
        assert mentions == consistency.find_mentions(*args)
        found += len(mentions)
    assert found > 3

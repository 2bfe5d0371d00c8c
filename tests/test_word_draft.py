"""The narrative read from a Word draft (``narrative: {file: 申请报告草稿.docx}``, SPEC §9, #19.3).

Drafts are written with python-docx (Word's styles), with automatic numbering in numbering.xml,
and through LibreOffice (its own styles and outline numbering); the report built from one keeps
the draft's paragraphs, bold runs, lists and tables, and every narrative check of §5 applies,
placed at the draft's paragraph.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx import Document

from docgen.app.submission import check_submission, open_submission
from docgen.cli.main import cli
from docgen.diagnostics import Diagnostic, Location, Severity
from docgen.sources.worddraft import MAX_PART_BYTES, read_word_draft
from docgen.sources.wordnumbering import format_number
from docgen.sources.zipped import MAX_XML_BYTES
from tests.word_drafts import (
    BULLETS,
    DRAFT,
    EXAMPLE,
    FODT,
    ROOT,
    add_numbering,
    draft_example,
    fodt_body,
    libreoffice_docx,
    number_paragraph,
    soffice,
    write_draft,
)

OUTLINE = yaml.safe_load((ROOT / "outlines" / "luzhou-application.yaml").read_text(encoding="utf-8"))
NARRATIVE = yaml.safe_load((EXAMPLE / "answers.yaml").read_text(encoding="utf-8"))["narrative"]
SECTION_IDS = [s["id"] for c in OUTLINE["chapters"] for s in c["sections"]]


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def findings(folder: Path, prefix: str = "narrative.") -> list[Diagnostic]:
    return [d for d in check_submission(open_submission(folder)) if d.code.startswith(prefix)]


def with_draft(tmp_path: Path, build) -> Path:
    """Returns a copy of the example whose draft is the document ``build(document)`` fills."""
    folder = draft_example(tmp_path / "sub")
    document = docx.Document()
    build(document)
    document.save(folder / DRAFT)
    return folder


def sections_as_headings(document, skip: tuple[str, ...] = (), styled: bool = True) -> None:
    """Writes every chapter and section heading (一、/（一）) and the example's text."""
    for c_index, chapter in enumerate(OUTLINE["chapters"]):
        heading = f"{'一二三'[c_index]}、{chapter['title']}"
        document.add_heading(heading, 1) if styled else document.add_paragraph(heading)
        for s_index, section in enumerate(chapter["sections"]):
            if section["id"] in skip:
                continue
            heading = f"（{'一二三四'[s_index]}）{section['title']}"
            document.add_heading(heading, 2) if styled else document.add_paragraph(heading)
            for block in NARRATIVE[section["id"]].strip().split("\n\n"):
                if not block.startswith("|"):
                    document.add_paragraph(block.replace("**", ""))


# -- the example built from a draft, end to end ---------------------------------------------------


def test_build_from_a_draft_keeps_its_paragraphs_bold_runs_lists_and_table(tmp_path):
    folder = draft_example(tmp_path / "sub")
    assert "file: 申请报告草稿.docx" in (folder / "answers.yaml").read_text(encoding="utf-8")
    result = run("build", folder, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    report = Document(str(tmp_path / "out" / "report.docx"))
    texts = [p.text for p in report.paragraphs]
    assert "（一）企业基本情况" in texts
    first = next(
        p for p in report.paragraphs if p.text.startswith("泸州川锐智能装备股份有限公司成立于2006年")
    )
    assert [r.text for r in first.runs if r.bold] == ["民营"]  # the draft's bold run
    assert any(t.startswith("公司现有3家主要下属企业") for t in texts)
    assert any(t.endswith(BULLETS[0]) for t in texts)
    assert any(t.endswith(BULLETS[1]) for t in texts)
    tables = [t for t in report.tables if t.rows[0].cells[0].text == "年度"]
    assert len(tables) == 1
    rows = [[c.text for c in row.cells] for row in tables[0].rows]
    assert rows[0] == ["年度", "研发经费支出（万元）", "主营业务收入（万元）", "占比（%）"]
    assert rows[-1] == ["2022", "1980", "56800", "3.49"]
    # the draft's headings are the report's own, not repeated as text; its title stays out
    sections = [p.text for p in report.paragraphs if p.style.name == "Heading 2"]
    assert len(sections) == len(SECTION_IDS)
    assert sections[1] == "（二）企业的行业地位和竞争力"
    body = [p.text for p in report.paragraphs if p.style.name == "Body Text"]
    assert "（一）企业基本情况" not in body
    assert "一、企业的地位和作用" not in body


def test_a_draft_reads_as_the_yaml_narrative_it_was_made_from(tmp_path):
    folder = draft_example(tmp_path / "sub")
    sub = open_submission(folder)
    assert list(sub.answers.narrative) == SECTION_IDS
    assert sub.answers.narrative_file == DRAFT
    assert not [d for d in sub.diagnostics if d.code.startswith("narrative.")]
    section = sub.answers.narrative["1.1"]
    assert section.file == DRAFT
    assert section.line is None
    assert "公司所有制性质为**民营**" in section.text
    assert section.paragraph_at(None) == 3  # 1 title, 2 一、…, 3 （一）企业基本情况
    assert "| 2022 | 1980 | 56800 | 3.49 |" in sub.answers.narrative["2.2"].text


# -- headings: by style, by typed numbers, by automatic numbering, by outline level ---------------


def test_headings_typed_with_the_outlines_numbers_in_body_text_style(tmp_path):
    folder = with_draft(tmp_path, lambda d: sections_as_headings(d, styled=False))
    sub = open_submission(folder)
    assert list(sub.answers.narrative) == SECTION_IDS
    assert not [d for d in sub.diagnostics if d.code.startswith("narrative.")]


def test_dotted_numbers_and_a_section_synonym(tmp_path):
    def build(document):
        for chapter in OUTLINE["chapters"]:
            for section in chapter["sections"]:
                title = "公司概况" if section["id"] == "1.1" else section["title"]
                document.add_paragraph(f"{section['id']} {title}")
                document.add_paragraph(NARRATIVE[section["id"]].split("\n\n")[0].replace("**", ""))

    sub = open_submission(with_draft(tmp_path, build))
    assert list(sub.answers.narrative) == SECTION_IDS
    assert not [d for d in sub.diagnostics if d.code.startswith("narrative.draft")]


def test_automatic_numbering_carries_the_numbers_in_numbering_xml(tmp_path):
    def build(document):
        num = add_numbering(document, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
        for chapter in OUTLINE["chapters"]:
            number_paragraph(document.add_paragraph(chapter["title"][:4] + "……"), num, 0)
            for section in chapter["sections"]:
                number_paragraph(document.add_paragraph("概述" if section["id"] == "2.3" else "x"), num, 1)
                document.add_paragraph(NARRATIVE[section["id"]].split("\n\n")[0].replace("**", ""))

    folder = with_draft(tmp_path, build)
    blocks = read_word_draft(folder, DRAFT).blocks
    assert [b.number for b in blocks[:3]] == ["一、", "（一）", ""]
    assert blocks[0].text == "一、企业的地……"
    assert [b.text for b in blocks if b.number.startswith("（")][3:5] == ["（一）x", "（二）x"]  # restarts
    sub = open_submission(folder)
    assert list(sub.answers.narrative) == SECTION_IDS  # placed by their numbers
    differs = [d for d in sub.diagnostics if d.code == "narrative.draft_title_differs"]
    assert {d.location.key_path for d in differs} == {("narrative",)}
    assert "（三）概述" in " ".join(d.message for d in differs)
    assert "2.3“企业技术中心研究开发工作开展情况”" in " ".join(d.message for d in differs)


def test_outline_level_without_a_heading_style(tmp_path):
    from docx.oxml import parse_xml

    def build(document):
        for _c_index, chapter in enumerate(OUTLINE["chapters"]):
            for section in chapter["sections"]:
                p = document.add_paragraph(section["title"])
                p._p.get_or_add_pPr().append(
                    parse_xml(
                        '<w:outlineLvl xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
                        ' w:val="1"/>'
                    )
                )
                document.add_paragraph(NARRATIVE[section["id"]].split("\n\n")[0])

    blocks = read_word_draft(with_draft(tmp_path, build), DRAFT).blocks
    assert blocks[0].heading_level == 2
    assert blocks[1].heading_level is None
    sub = open_submission(tmp_path / "sub")
    assert list(sub.answers.narrative) == SECTION_IDS


def test_sub_headings_lists_and_italics_stay_in_their_section(tmp_path):
    def build(document):
        sections_as_headings(document)
        document.add_heading("1. 近期举措", 3)
        p = document.add_paragraph("重点研发项目部署：")
        p.add_run("智能凿岩台车").italic = True
        p.add_run("，")
        p.add_run("重点", style="Strong")  # bold by its character style
        p.add_run("不加粗", style="Strong").bold = False  # the run's own w:b wins
        document.add_paragraph("第一项", style="List Number")
        document.add_paragraph("第二项", style="List Number")
        document.add_paragraph("要点", style="List Bullet")

    sub = open_submission(with_draft(tmp_path, build))
    text = sub.answers.narrative["3.2"].text
    assert "### 1. 近期举措" in text
    assert "重点研发项目部署：*智能凿岩台车*，**重点**不加粗" in text
    assert "1. 第一项\n1. 第二项\n\n- 要点" in text
    result = run("build", tmp_path / "sub", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    report = Document(str(tmp_path / "out" / "report.docx"))
    styles = {p.text: p.style.name for p in report.paragraphs}
    assert styles["1. 近期举措"] == "Heading 3"
    italic = next(p for p in report.paragraphs if p.text.startswith("重点研发项目部署"))
    assert [r.text for r in italic.runs if r.italic] == ["智能凿岩台车"]
    assert [r.text for r in italic.runs if r.bold] == ["重点"]
    assert "2.第二项" in styles
    assert any(t.endswith("要点") for t in styles)


# -- findings: unmatched and missing headings, text outside sections, checks of §5 ----------------


def test_unmatched_and_missing_headings_name_the_text_and_paragraph(tmp_path):
    def build(document):
        document.add_paragraph("前言：本报告依据泸州市有关通知编写。")  # 1: before any heading
        sections_as_headings(document, skip=("1.2",))
        document.add_heading("（五）其他需要说明的事项", 2)
        document.add_paragraph("这段话不在提纲中。")

    folder = with_draft(tmp_path, build)
    paragraphs = Document(str(folder / DRAFT)).paragraphs
    found = {d.code: d for d in findings(folder)}
    unmatched = found["narrative.draft_unmatched"]
    number = next(i for i, p in enumerate(paragraphs, 1) if p.text == "（五）其他需要说明的事项")
    assert unmatched.location.file == DRAFT
    assert unmatched.location.paragraph == number
    assert unmatched.location.line is None
    assert f"草稿第 {number} 段的标题“（五）其他需要说明的事项”" in unmatched.message
    assert unmatched.severity is Severity.WARNING
    missing = found["narrative.draft_missing"]
    next_heading = next(
        i for i, p in enumerate(paragraphs, 1) if p.text == "（三）企业对本行业技术创新的引领作用"
    )
    assert missing.is_error
    assert missing.location.paragraph == next_heading
    assert "草稿中没有提纲要求的章节 1.2“企业的行业地位和竞争力”" in missing.message
    assert f"第 {next_heading} 段之前" in (missing.hint or "")
    assert "narrative.missing" not in found  # not the YAML wording («在 narrative 下添加»)
    outside = found["narrative.draft_outside"]
    assert outside.location.paragraph == 1
    assert "前言：本报告" in outside.message
    sub = open_submission(folder)
    assert "这段话不在提纲中" not in "".join(s.text for s in sub.answers.narrative.values())
    # the terminal and the JSON name the draft and the paragraph
    assert f"{DRAFT}:¶{number}: warning narrative.draft_unmatched" in unmatched.display()
    assert unmatched.as_json()["paragraph"] == number
    assert unmatched.as_json()["line"] is None
    result = run("check", folder, "--json")
    payload = json.loads(result.output)
    entries = [d for d in payload["diagnostics"] if d["code"] == "narrative.draft_missing"]
    assert entries
    assert entries[0]["file"] == DRAFT
    assert entries[0]["paragraph"] == next_heading


def test_narrative_checks_apply_at_the_drafts_paragraphs(tmp_path):
    def build(document):
        sections_as_headings(document, skip=("1.1",))
        document.add_heading("（一）企业基本情况", 2)  # out of order: still 1.1
        document.add_paragraph("成都某某机械有限公司是我们的客户。")
        document.add_paragraph("公司职工人数 850 人，所有制为民营。")

    folder = with_draft(tmp_path, build)
    paragraphs = [p.text for p in Document(str(folder / DRAFT)).paragraphs]
    found = {d.code: d for d in findings(folder)}
    contradiction = found["narrative.contradiction"]
    assert contradiction.location.file == DRAFT
    assert contradiction.location.paragraph == paragraphs.index("公司职工人数 850 人，所有制为民营。") + 1
    assert "850" in contradiction.message
    other = found["narrative.other_company"]
    assert other.location.paragraph == paragraphs.index("成都某某机械有限公司是我们的客户。") + 1
    short = found["narrative.too_short"]
    assert short.location.paragraph == paragraphs.index("（一）企业基本情况") + 1
    assert any(d.code == "narrative.point_missing" and "银行信用等级" in d.message for d in findings(folder))


def test_a_section_given_twice_and_beside_the_yaml(tmp_path):
    def build(document):
        sections_as_headings(document)
        document.add_heading("（二）企业近期拟实施的重点举措", 2)
        document.add_paragraph("补充：人才引进。")

    folder = with_draft(tmp_path, build)
    answers = folder / "answers.yaml"
    answers.write_text(
        answers.read_text(encoding="utf-8").replace(
            f"  file: {DRAFT}\n", f'  file: {DRAFT}\n  "1.3": |\n    在 YAML 中写的正文。\n'
        ),
        encoding="utf-8",
    )
    sub = open_submission(folder)
    twice = [d for d in sub.diagnostics if d.code == "narrative.draft_twice"]
    assert len(twice) == 1
    assert "3.2" in twice[0].message
    assert sub.answers.narrative["3.2"].text.endswith("补充：人才引进。")
    assert sub.answers.narrative["1.3"].text.startswith("在 YAML 中写的正文")
    assert [d.code for d in sub.diagnostics if d.code == "narrative.draft_and_text"] == [
        "narrative.draft_and_text"
    ]


# -- LibreOffice: its own styles and outline numbering --------------------------------------------

needs_soffice = pytest.mark.skipif(
    soffice() is None, reason="LibreOffice (soffice) is not installed: drafts saved by it cannot be made"
)


@needs_soffice
def test_a_draft_written_in_libreoffice_with_outline_numbering(tmp_path):
    folder = draft_example(tmp_path / "sub")
    texts = {k: v.replace("\n\n", " ").split("|")[0] for k, v in NARRATIVE.items()}
    texts["1.1"] = texts["1.1"].replace("**民营**", "**民营**，*职工人数*")
    source = tmp_path / "lo" / "草稿.fodt"
    source.parent.mkdir()
    source.write_text(FODT.replace("{body}", fodt_body(OUTLINE, texts)), encoding="utf-8")
    converted = libreoffice_docx(source, tmp_path / "lo" / "out")
    (folder / DRAFT).write_bytes(converted.read_bytes())
    blocks = read_word_draft(folder, DRAFT).blocks
    assert [b.text for b in blocks[:2]] == [
        "一、企业的地位和作用",
        "（一）企业基本情况",
    ]  # numbers drawn by LO
    assert "**民营**，*职工人数*" in blocks[2].markdown
    sub = open_submission(folder)
    assert list(sub.answers.narrative) == SECTION_IDS
    assert not [d for d in sub.diagnostics if d.code.startswith("narrative.draft")]


@needs_soffice
def test_a_word_draft_saved_again_by_libreoffice(tmp_path):
    folder = draft_example(tmp_path / "sub")
    converted = libreoffice_docx(folder / DRAFT, tmp_path / "lo")
    (folder / DRAFT).write_bytes(converted.read_bytes())
    sub = open_submission(folder)
    assert list(sub.answers.narrative) == SECTION_IDS
    assert "| 2022 | 1980 | 56800 | 3.49 |" in sub.answers.narrative["2.2"].text
    assert "**民营**" in sub.answers.narrative["1.1"].text


# -- confinement and hostile files -----------------------------------------------------------------


def set_draft(folder: Path, name: str) -> None:
    answers = folder / "answers.yaml"
    answers.write_text(
        answers.read_text(encoding="utf-8").replace(f"file: {DRAFT}", f"file: {name}"), "utf-8"
    )


def unreadable(folder: Path) -> Diagnostic:
    found = [d for d in findings(folder) if d.code == "narrative.draft_unreadable"]
    assert len(found) == 1
    assert found[0].location.file == "answers.yaml"
    assert found[0].location.line is not None
    return found[0]


def test_a_draft_outside_the_submission_is_refused_unread(tmp_path):
    folder = draft_example(tmp_path / "sub")
    (tmp_path / "elsewhere.docx").write_bytes((folder / DRAFT).read_bytes())
    set_draft(folder, "../elsewhere.docx")
    assert "提交文件夹之外" in unreadable(folder).message
    os.symlink(tmp_path / "elsewhere.docx", folder / "link.docx")
    set_draft(folder, "link.docx")
    assert "提交文件夹之外" in unreadable(folder).message
    set_draft(folder, str(tmp_path / "elsewhere.docx"))
    assert "提交文件夹之外" in unreadable(folder).message


def test_a_missing_or_broken_draft_is_an_error_on_its_answers_line(tmp_path):
    folder = draft_example(tmp_path / "sub")
    set_draft(folder, "草稿.docx")
    assert "文件不存在" in unreadable(folder).message
    assert not [d for d in findings(folder) if d.code in ("narrative.missing", "narrative.draft_missing")]
    (folder / "草稿.docx").write_bytes(b"\xd0\xcf\x11\xe0 an old .doc")
    assert "不是 Word 文档" in unreadable(folder).message
    result = run("check", folder)
    assert result.exit_code == 1
    assert "正文草稿“草稿.docx”无法读取" in result.output


def hostile(folder: Path, document: bytes, method: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(folder / "hostile.docx", "w", method) as archive:
        archive.writestr("word/document.xml", document)
    set_draft(folder, "hostile.docx")


def test_a_zip_bomb_is_stopped_at_the_member_limit(tmp_path):
    folder = draft_example(tmp_path / "sub")
    hostile(folder, b"<w:document>" + b" " * (MAX_XML_BYTES + 1) + b"</w:document>")
    assert (folder / "hostile.docx").stat().st_size < 100_000
    assert "32 MB" in unreadable(folder).message
    with zipfile.ZipFile(folder / "hostile.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/styles.xml", b"<w:styles>" + b" " * MAX_PART_BYTES + b"</w:styles>")
    assert "4 MB" in unreadable(folder).message


def test_entities_and_deep_nesting_are_bounded(tmp_path):
    folder = draft_example(tmp_path / "sub")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        f"<w:document {w}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    hostile(folder, bomb.encode())
    assert "无法解析" in unreadable(folder).message
    deep = 200_000
    nested = (
        f"<w:document {w}><w:body>"
        + "<w:sdt><w:sdtContent>" * deep
        + "<w:p><w:r><w:t>深处的段落</w:t></w:r></w:p>"
        + "</w:sdtContent></w:sdt>" * deep
        + "<w:p>" * deep
        + "</w:p>" * deep
        + "</w:body></w:document>"
    )
    hostile(folder, nested.encode())
    blocks = read_word_draft(folder, "hostile.docx").blocks
    assert [b.text for b in blocks] == ["深处的段落", ""]
    many = f"<w:document {w}><w:body>" + "<w:p/>" * 20_001 + "</w:body></w:document>"
    hostile(folder, many.encode())
    assert "20000 段" in unreadable(folder).message


# -- numbering formats and the location of a finding ----------------------------------------------


@pytest.mark.parametrize(
    ("number", "fmt", "written"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (12, "chineseCountingThousand", "十二"),
        (21, "taiwaneseCountingThousand", "二十一"),
        (3, "ideographTraditional", "丙"),
        (2, "decimalEnclosedCircle", "②"),
        (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"),
        (7, "decimal", "7"),
        (3, "chineseLegalSimplified", "叁"),
    ],
)
def test_word_numbering_formats(number, fmt, written):
    assert format_number(number, fmt) == written


def test_a_location_in_a_draft_shows_its_paragraph():
    finding = Diagnostic("x", Severity.ERROR, "m", Location(file=DRAFT, paragraph=12))
    assert finding.display() == f"{DRAFT}:¶12: error x: m"
    assert finding.as_json()["paragraph"] == 12
    assert "paragraph" not in Diagnostic("x", Severity.ERROR, "m", Location(file="a.yaml", line=3)).as_json()


def test_write_draft_follows_the_outline(tmp_path):
    write_draft(tmp_path / DRAFT, NARRATIVE, OUTLINE, extras=False)
    headings = [
        p.text for p in Document(str(tmp_path / DRAFT)).paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings[:2] == ["一、企业的地位和作用", "（一）企业基本情况"]
    assert len(headings) == 3 + len(SECTION_IDS)


def narrative_paragraphs(report: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """Returns the narrative's paragraphs (style, text, bold runs), from its first chapter to 附表1."""
    paragraphs = Document(str(report)).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1")
    end = next(i for i, p in enumerate(paragraphs) if i > start and p.text.startswith("附表1"))
    return [
        (p.style.name, p.text, tuple(r.text for r in p.runs if r.bold))
        for p in paragraphs[start:end]
        if p.text
    ]


def test_the_report_from_the_draft_is_the_report_from_the_yaml(tmp_path):
    yaml_out, draft_out = tmp_path / "yaml", tmp_path / "draft"
    assert run("build", EXAMPLE, "-o", yaml_out).exit_code == 0
    folder = draft_example(tmp_path / "sub")
    write_draft(folder / DRAFT, NARRATIVE, OUTLINE, extras=False)  # the YAML's text, nothing added
    assert run("build", folder, "-o", draft_out).exit_code == 0
    from_yaml = narrative_paragraphs(yaml_out / "report.docx")
    assert len(from_yaml) > 40
    assert narrative_paragraphs(draft_out / "report.docx") == from_yaml


def test_a_draft_with_wps_style_ids_and_chinese_style_names(tmp_path):
    """WPS writes its heading styles with numeric ids (w:styleId="2") and Chinese Word writes
    «标题 1»: the style's name or alias decides, not its id."""
    from docx.oxml.ns import qn

    def build(document):
        sections_as_headings(document)
        for level, style_id in ((1, "2"), (2, "3")):
            style = document.styles[f"Heading {level}"].element
            old = style.get(qn("w:styleId"))
            style.set(qn("w:styleId"), style_id)
            style.find(qn("w:name")).set(qn("w:val"), f"标题 {level}")
            for p in document.element.body.iter(qn("w:pStyle")):
                if p.get(qn("w:val")) == old:
                    p.set(qn("w:val"), style_id)

    folder = with_draft(tmp_path, build)
    xml = zipfile.ZipFile(folder / DRAFT).read("word/document.xml").decode()
    assert '<w:pStyle w:val="3"/>' in xml
    blocks = read_word_draft(folder, DRAFT).blocks
    assert [b.heading_level for b in blocks[:2]] == [1, 2]
    sub = open_submission(folder)
    assert list(sub.answers.narrative) == SECTION_IDS


def test_a_work_summary_draft_follows_the_summary_outline(tmp_path):
    """评价 → 附件2 (five sections, no chapters): 一、 numbers the sections themselves."""
    summary = yaml.safe_load((ROOT / "outlines" / "luzhou-summary.yaml").read_text(encoding="utf-8"))

    def build(document):
        for index, section in enumerate(summary["sections"]):
            document.add_paragraph(f"{'一二三四五'[index]}、{section['title'][:5]}")  # typed, short
            document.add_paragraph("正文" + section["guidance"])

    folder = with_draft(tmp_path, build)
    answers = folder / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    answers.write_text(text.replace("application_type: 认定", "application_type: 评价"), "utf-8")
    sub = open_submission(folder)
    assert sub.outline is not None
    assert sub.outline.id == "luzhou-summary"
    assert list(sub.answers.narrative) == [s["id"] for s in summary["sections"]]
    assert sub.answers.narrative["3"].text.startswith("正文企业技术创新活动开展情况")


def test_a_draft_without_headings_is_one_error(tmp_path):
    folder = with_draft(tmp_path, lambda d: d.add_paragraph("我公司是一家民营企业。"))
    codes = [d.code for d in findings(folder) if d.is_error]
    assert codes == ["narrative.draft_no_headings"]


def test_heading_styles_linked_to_a_multilevel_list(tmp_path):
    """Word's 多级列表 linked to 标题 1/标题 2: the number is in the style's w:numPr and the
    level's w:pStyle, neither in the paragraph nor in its text."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    from tests.word_drafts import W_NS

    def build(document):
        num = add_numbering(document, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
        numbering = document.part.numbering_part.element
        abstract = numbering.find(qn("w:abstractNum"))
        for level, lvl in enumerate(abstract.findall(qn("w:lvl")), 1):
            lvl.append(parse_xml(f'<w:pStyle xmlns:w="{W_NS}" w:val="Heading{level}"/>'))
            style = document.styles[f"Heading {level}"].element
            style.get_or_add_pPr().append(
                parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:numId w:val="{num}"/></w:numPr>')
            )
        for chapter in OUTLINE["chapters"]:
            document.add_heading(chapter["title"], 1)
            for section in chapter["sections"]:
                document.add_heading(section["title"], 2)
                document.add_paragraph(NARRATIVE[section["id"]].split("\n\n")[0])

    folder = with_draft(tmp_path, build)
    blocks = read_word_draft(folder, DRAFT).blocks
    headings = [b.text for b in blocks if b.heading_level]
    assert headings[:2] == ["一、企业的地位和作用", "（一）企业基本情况"]
    assert headings[4:6] == ["二、企业技术创新的现状和成绩", "（一）企业技术中心基本情况"]
    sub = open_submission(folder)
    assert list(sub.answers.narrative) == SECTION_IDS


def test_chapters_and_sections_written_as_di_yi_zhang_and_di_yi_jie(tmp_path):
    def build(document):
        for c_index, chapter in enumerate(OUTLINE["chapters"]):
            document.add_heading(f"第{'一二三'[c_index]}章 {chapter['title']}", 1)
            for s_index, section in enumerate(chapter["sections"]):
                title = "概述" if section["id"] == "3.2" else section["title"]
                document.add_heading(f"第{'一二三四'[s_index]}节 {title}", 2)
                document.add_paragraph(NARRATIVE[section["id"]].split("\n\n")[0])

    sub = open_submission(with_draft(tmp_path, build))
    assert list(sub.answers.narrative) == SECTION_IDS
    differs = [d.message for d in sub.diagnostics if d.code == "narrative.draft_title_differs"]
    assert len(differs) == 1
    assert "第二节 概述" in differs[0]


def test_findings_in_a_draft_come_after_the_answers_in_paragraph_order(tmp_path):
    def build(document):
        document.add_paragraph("前言。")
        sections_as_headings(document, skip=("2.1",))
        document.add_heading("（九）附记", 2)

    folder = with_draft(tmp_path, build)
    found = check_submission(open_submission(folder))
    in_draft = [d for d in found if d.location.file == DRAFT]
    assert len(in_draft) >= 3
    assert found[-len(in_draft) :] == in_draft  # after every finding on an answers line
    paragraphs = [d.location.paragraph or 0 for d in in_draft]
    assert paragraphs == sorted(paragraphs)


def test_the_drafts_own_table_of_contents_is_skipped(tmp_path):
    """Word's 目录 (TOC 1/TOC 2 styles) repeats every heading before the first one: its entries
    are neither headings nor text outside the sections."""
    from docx.enum.style import WD_STYLE_TYPE

    def build(document):
        for level in (1, 2):
            document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        document.add_paragraph("目录", style="TOC Heading")
        for c_index, chapter in enumerate(OUTLINE["chapters"]):
            document.add_paragraph(f"{'一二三'[c_index]}、{chapter['title']}\t1", style="toc 1")
            for s_index, section in enumerate(chapter["sections"]):
                document.add_paragraph(f"（{'一二三四'[s_index]}）{section['title']}\t2", style="toc 2")
        sections_as_headings(document)

    sub = open_submission(with_draft(tmp_path, build))
    assert list(sub.answers.narrative) == SECTION_IDS
    assert not [d for d in sub.diagnostics if d.code.startswith("narrative.draft")]
    assert sub.answers.narrative["1.1"].text.startswith("泸州川锐智能装备股份有限公司成立于2006年")

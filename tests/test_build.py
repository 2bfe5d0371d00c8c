"""End-to-end build of the shipped example: the five outputs, opened and checked."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from docgen.cli.main import cli
from docgen.files import write_atomic

OUTPUTS = ["report.docx", "missing-evidence.docx", "missing-evidence.md", "evidence-bundle.pdf", "score.json"]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def folder_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(example: Path, tmp_path: Path):
    before = folder_digest(example)
    out = tmp_path / "out"
    result = run("build", example, "-o", out)
    assert result.exit_code == 0, result.output
    assert folder_digest(example) == before  # the submission folder is never written
    return out


def test_build_writes_the_five_outputs(built: Path):
    """ensures that build writes every SPEC §8 output and score.json has evidenced_total."""
    assert sorted(p.name for p in built.iterdir()) == sorted(OUTPUTS)
    score = json.loads((built / "score.json").read_text(encoding="utf-8"))
    assert score["program"] == "luzhou-etc-2023"
    assert score["reference"] is True
    assert "evidenced_total" in score
    assert score["evidenced_total"] <= score["total"]


def test_report_structure(built: Path):
    """ensures that the report has the outline's chapters and sections as headings, in order."""
    doc = Document(built / "report.docx")
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert h1[:3] == ["一、企业的地位和作用", "二、企业技术创新的现状和成绩", "三、企业技术创新战略和规划"]
    assert h1[3:] == [
        "附表1　评价数据表",
        "附表2　自评得分表",
        "附表3　限定性指标核查",
        "附表4　证明材料情况",
    ]
    assert h2[0] == "（一）企业基本情况"
    assert h2[-1] == "（二）企业近期拟实施的重点举措"
    assert len(h2) == 9
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert titles[0] == "泸州市企业技术中心申请报告"
    body = [p for p in doc.paragraphs if p.style.name == "Body Text"]
    assert len(body) >= 18  # two or more paragraphs per section
    assert any(run.bold for p in body for run in p.runs)


def test_report_tables(built: Path):
    """ensures that the data and score tables are filled, group cells merged, total shown."""
    doc = Document(built / "report.docx")
    score = json.loads((built / "score.json").read_text(encoding="utf-8"))
    data_header = ("序号", "指标名称", "单位", "数据值")  # one part a page: the first
    data = next(t for t in doc.tables if t.rows and tuple(c.text for c in t.rows[0].cells) == data_header)
    assert data.rows[1].cells[1].text == "主营业务收入"
    assert data.rows[1].cells[2].text == "万元"
    header = (
        "一级指标",
        "二级指标",
        "三级指标",
        "基本要求",
        "满分值",
        "单位",
        "数据值",
        "评价值",
        "权重",
        "得分",
    )
    parts = [t for t in doc.tables if tuple(c.text for c in t.rows[0].cells) == header]  # one a page
    score_table = parts[0]
    closing = 3  # 基本分, 加分, 合计 inside the table
    assert sum(len(t.rows) - 1 for t in parts) == len(score["indicators"]) + closing
    assert score_table.rows[1].cells[2].text == score["indicators"][0]["label"]
    assert score_table.rows[1].cells[5].text == "万元"
    vmerge = [
        tc.find(qn("w:tcPr")).find(qn("w:vMerge"))
        for tc in score_table._tbl.iter(qn("w:tc"))
        if tc.find(qn("w:tcPr")) is not None and tc.find(qn("w:tcPr")).find(qn("w:vMerge")) is not None
    ]
    assert len(vmerge) >= 10
    assert score_table.rows[1].cells[9].text == f"{score['indicators'][0]['score']:.2f}"
    assert parts[-1].rows[-1].cells[0].text == "合计（参考分）"
    assert parts[-1].rows[-1].cells[-1].text == f"{score['total']:.2f}"


def test_report_is_a4_with_east_asian_fonts(built: Path):
    """ensures A4 pages, official margins, zh-CN language and East Asian fonts on the styles."""
    doc = Document(built / "report.docx")
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37
    assert round(section.left_margin.mm) == 28
    fonts = {}
    for name in ("Normal", "Heading 1", "Heading 2", "Title", "Table Text"):
        rfonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        fonts[name] = rfonts.get(qn("w:eastAsia"))
    assert fonts == {
        "Normal": "仿宋_GB2312",
        "Heading 1": "黑体",
        "Heading 2": "楷体_GB2312",
        "Title": "方正小标宋简体",
        "Table Text": "宋体",
    }
    lang = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    # GB/T 9704's levels: 一、 in 黑体, （一） in 楷体, neither bold (the third, 1., 仿宋 bold)
    assert not doc.styles["Heading 1"].font.bold
    assert not doc.styles["Heading 2"].font.bold


def test_missing_evidence_report(built: Path):
    """ensures that the missing cash-flow statement is listed in both the .md and the .docx."""
    md = (built / "missing-evidence.md").read_text(encoding="utf-8")
    assert "企业现金流量表" in md
    assert "缺失" in md
    doc = Document(built / "missing-evidence.docx")
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "企业现金流量表" in cells


def test_bundle_contents_bookmarks_and_placeholder(built: Path, example: Path):
    """ensures the bundle: cover, contents page, nested bookmarks; the missing statement has no
    page (no placeholder bound in, summary17b) and no bookmark, the contents marks it «（缺）»."""
    reader = PdfReader(built / "evidence-bundle.pdf")
    pdfs = sorted((example / "evidence").glob("*.pdf"))
    assert len(reader.pages) == 2 + sum(len(PdfReader(f).pages) for f in pdfs)
    contents = reader.pages[1].extract_text()
    assert "证明材料目录" in contents
    outline = reader.outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top[:2] == ["证明材料目录", "企业对报送资料的真实性、完整性承诺"]
    children = [item for sub in outline if isinstance(sub, list) for item in sub]
    assert len(children) == len(pdfs)
    assert not [item for item in children if "现金流量表" in item.title]
    assert not [p for p in reader.pages if "（该证明材料未提供）" in p.extract_text()]
    assert "6. 企业现金流量表（缺）\n" in contents  # no page number after it
    # every bookmark points at its document's page, as the contents numbers it (1-based)
    for item in children:
        page = reader.get_destination_page_number(item)
        assert f"{item.title} {page + 1}" in contents.replace("\n", " ") or item.title in contents
    # the running stamp, on the contents page too (the cover has none)
    assert "证明材料汇编　第2页" in contents
    assert "证明材料汇编　第3页" in reader.pages[2].extract_text()


def test_bundle_names_how_many_items_a_shared_file_proves(built: Path):
    """ensures that a file proving several items is listed once, with the first item and the count
    (the kind's counting word from items.yaml, else 项), in the contents and in its bookmark."""
    reader = PdfReader(built / "evidence-bundle.pdf")
    contents = reader.pages[1].extract_text()
    children = [item.title for sub in reader.outline if isinstance(sub, list) for item in sub]
    for title in ("人员证书（李建国等12人）", "专利申请受理通知书（202210327845.6等8项）"):
        assert title in contents
        assert sum(title in child for child in children) == 1
    assert "（李建国）" not in contents
    assert "（202210327845.6）" not in contents
    assert "（ZL201710583264.8）" in contents  # a file proving one item keeps its plain title


def test_bundle_count_leaves_out_items_the_shared_file_does_not_prove(example: Path, tmp_path: Path):
    """ensures that an application whose number is not in the shared file is not counted."""
    answers = example / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    answers.write_text(text.replace('"202211283540.6"', '"202219999999.9"', 1), encoding="utf-8")
    assert run("bundle", example, "-o", tmp_path / "b.pdf").exit_code == 0
    contents = PdfReader(tmp_path / "b.pdf").pages[1].extract_text()
    assert "专利申请受理通知书（202210327845.6等7项）" in contents


def test_rebuild_is_byte_identical(example: Path, tmp_path: Path):
    """ensures that two builds of the same input give identical bytes."""
    for name in ("a", "b"):
        assert run("build", example, "-o", tmp_path / name).exit_code == 0
    for output in OUTPUTS:
        assert (tmp_path / "a" / output).read_bytes() == (tmp_path / "b" / output).read_bytes(), output


def test_company_name_is_escaped(example: Path, tmp_path: Path):
    """ensures that a company named with & and < renders as text, not broken XML."""
    path = example / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    import re

    text = re.sub(r"company_name: .*", "company_name: 'A&B <科技> 有限公司'", text, count=1)
    path.write_text(text, encoding="utf-8")
    result = run("build", example, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    doc = Document(tmp_path / "out" / "report.docx")
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "A&B <科技> 有限公司" in cells


def test_unknown_template_variable_is_refused(example: Path, tmp_path: Path):
    """ensures that a custom template with an unknown variable exits 1 naming it, writing nothing."""
    template = tmp_path / "mine.docx"
    doc = Document()
    doc.add_paragraph("{{ company.name }} {{ secret_value }}")
    doc.save(template)
    out = tmp_path / "out"
    result = run("build", example, "-o", out, "--template", template)
    assert result.exit_code == 1
    assert "secret_value" in result.output
    assert not (out / "report.docx").exists()


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch):
    """ensures that an interrupted atomic write leaves the earlier file and no temp file."""
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")

    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", broken)
    with pytest.raises(Exception, match="无法写入"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


def test_shipped_templates_use_only_documented_variables(example: Path):
    """ensures that the default templates use exactly the context docgen provides."""
    from docgen.app.build import REPORT_SUBDOCUMENTS, document_date
    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.outputs.contexts import report_context
    from docgen.outputs.missing import missing_context
    from docgen.word.render import template_path, undeclared_variables

    sub = open_submission(example)
    ev = evaluate_submission(sub)
    labels = {k: f.label for k, f in sub.catalog.profile_fields.items()}
    day = document_date(sub)
    report = report_context(
        sub.program, sub.outline, sub.answers, ev.claimed, ev.evidenced, ev.evidence, labels, day
    )
    missing = missing_context(sub.program, sub.answers, ev.claimed, ev.evidenced, ev.evidence, day)
    for name in ("application-report.docx", "work-summary.docx"):
        assert undeclared_variables(template_path(name), {*report, *REPORT_SUBDOCUMENTS}) == set()
        assert undeclared_variables(template_path(name), set(report)) == set(REPORT_SUBDOCUMENTS)
    assert undeclared_variables(template_path("missing-evidence.docx"), set(missing)) == set()
    from docgen.outputs.correction import correction_context

    notice = correction_context(sub.program, sub.answers.company, "请补正。", [], ["某材料"], [], {}, day)
    assert undeclared_variables(template_path("correction-notice.docx"), set(notice)) == set()


def _as_work_summary(submission: Path) -> Path:
    """Turns a copy of the example into a 评价 submission with the work summary's five sections."""
    import re

    path = submission / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"application_type: 认定", "application_type: 评价", text)
    text = text[: text.index("\nnarrative:")] + "\nnarrative:\n"
    text += "".join(
        f'  "{i}": |\n    第{i}项工作：**重点**完成。\n\n    - 要点一\n    - 要点二\n' for i in range(1, 6)
    )
    path.write_text(text, encoding="utf-8")
    return submission


@pytest.mark.parametrize("kind", ["application", "summary"])
def test_fast_path_equals_plain_docxtpl(example: Path, kind: str):
    """ensures the prepared-template path gives the same XML as straightforward docxtpl rendering,
    for the application report and the work summary."""
    import io
    import zipfile

    from lxml import etree

    from docgen.app.build import REPORT_TEMPLATES, report_inputs
    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.word.environment import environment
    from docgen.word.prepared import prepared
    from docgen.word.render import render_docx, render_plain

    sub = open_submission(example if kind == "application" else _as_work_summary(example))
    assert sub.outline.kind == kind
    template, _context, build_context = report_inputs(sub, evaluate_submission(sub))
    assert template.name == REPORT_TEMPLATES[kind]
    full = build_context(prepared(template, environment).style_ids)
    fast = render_docx(template, lambda _ids: full, None)
    plain = render_plain(template, full)

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    fast_parts, plain_parts = parts(fast), parts(plain)
    assert sorted(fast_parts) == sorted(plain_parts)

    def canonical(xml: bytes) -> bytes:
        parser = etree.XMLParser(remove_blank_text=True)
        return etree.tostring(etree.fromstring(xml, parser), method="c14n")

    for name in fast_parts:
        # core.xml holds metadata that each path stamps itself (python-docx adds stray elements)
        if name.endswith((".xml", ".rels")) and name != "docProps/core.xml":
            assert canonical(fast_parts[name]) == canonical(plain_parts[name]), name
    title = "泸州市企业技术中心申请报告" if kind == "application" else "泸州市企业技术中心工作总结"
    assert title.encode() in fast_parts["docProps/core.xml"]
    assert "vMerge" in fast_parts["word/document.xml"].decode()  # the score table's group cells
    assert render_docx(template, lambda _ids: full, None) == fast  # byte-identical run to run


def test_shipped_sidecars_are_current():
    """ensures that every shipped template's sidecar is what the template, the installed docxtpl and
    Jinja and docgen's preparing code give now (else: python tools/make_templates.py), and is used."""
    import json

    from docgen.resources import folder
    from docgen.word.environment import environment
    from docgen.word.sidecar import read_sidecar, sidecar_path, sidecar_record

    env = environment()
    templates = sorted(folder("templates").glob("*.docx"))
    assert [t.name for t in templates] == [
        "application-report.docx",
        "correction-notice.docx",
        "missing-evidence.docx",
        "work-summary.docx",
    ]
    for template in templates:
        record = json.loads(sidecar_path(template).read_text(encoding="utf-8"))
        assert record == sidecar_record(template, env), f"{template.name}: run tools/make_templates.py"
        assert record["style_ids"]["heading 1"]  # the narrative's headings depend on these
        assert read_sidecar(template, template.read_bytes(), env) is not None, template.name


def test_bundle_binds_odd_pdfs_and_names_word_files(example: Path, tmp_path: Path):
    """ensures that a PDF with bytes before its header is bound (inspection accepts it), and a
    usable Word file gets an «另附» page instead of vanishing from the bundle."""
    from docx import Document as NewDocument

    evidence = example / "evidence"
    letter = evidence / "承诺书.pdf"
    letter.write_bytes(b"\r\n" + letter.read_bytes())
    word = NewDocument()
    word.add_paragraph("损益表 2022 年度 营业收入")
    word.save(evidence / "利润表.docx")
    answers = example / "answers.yaml"
    answers.write_text(
        answers.read_text(encoding="utf-8").replace("evidence/利润表.pdf", "evidence/利润表.docx"),
        encoding="utf-8",
    )
    result = run("build", example, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "out" / "evidence-bundle.pdf")
    titles = [item.title for sub in reader.outline if isinstance(sub, list) for item in sub]
    letter_item = next(
        item for sub in reader.outline if isinstance(sub, list) for item in sub if "承诺" in item.title
    )
    letter_page = reader.pages[reader.get_destination_page_number(letter_item)].extract_text()
    assert "缺：" not in letter_page
    assert "承诺" in letter_page
    separate = next(
        item for sub in reader.outline if isinstance(sub, list) for item in sub if "损益表" in item.title
    )
    assert separate.title.endswith("（另附）"), titles
    page = reader.pages[reader.get_destination_page_number(separate)].extract_text()
    assert "另附：企业损益表（利润表）" in page
    assert "未并入本汇编" in page


def test_score_table_percentages_have_two_decimals(tmp_path: Path):
    """ensures percentages in the score table read 4.00% / 3.20% while score.json keeps 4 and 3.2."""
    out = tmp_path / "out"
    result = run("build", Path(__file__).parent.parent / "examples" / "national-etc-2021", "-o", out)
    assert result.exit_code == 0, result.output
    doc = Document(out / "report.docx")
    score = json.loads((out / "score.json").read_text(encoding="utf-8"))
    parts = [t for t in doc.tables if t.rows and t.rows[0].cells[-1].text == "得分"]  # one a page
    rows = {row.cells[2].text: row for table in parts for row in table.rows[1:]}
    ratio = rows["研发经费支出占主营业务收入的比重"]
    assert (ratio.cells[6].text, ratio.cells[7].text) == ("4.00%", "3.20%")  # after 基本要求, 满分值, 单位
    line = next(i for i in score["indicators"] if i["id"] == "rd_ratio")
    assert (line["value"], line["evaluated_value"]) == (4, 3.2)
    percents = [c.text for row in rows.values() if row.cells[5].text == "%" for c in row.cells[6:8]]
    assert len(percents) >= 10
    assert all(re.fullmatch(r"\d+\.\d\d%", text) for text in percents), percents


def test_missing_evidence_report_has_notes_and_date(tmp_path: Path):
    """ensures the missing-evidence report (.docx and .md) carries the program's notes on scoring
    (the Gansu alliance's IP cap) under 说明, ends with the report's date, and says 申报材料, not 答卷."""
    out = tmp_path / "out"
    result = run("build", Path(__file__).parent.parent / "examples" / "gansu-alliance-2022", "-o", out)
    assert result.exit_code == 0, result.output
    md = (out / "missing-evidence.md").read_text(encoding="utf-8")
    doc = Document(out / "missing-evidence.docx")
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    date = doc.core_properties.created
    day = f"{date.year}年{date.month}月{date.day}日"
    assert texts[-1] == day
    assert texts[-2] == "牵头单位（盖章）：甘肃陇药科技集团有限公司"  # as on the report's cover
    assert md.rstrip().splitlines()[-1] == day
    # the scoring notes have nothing to do with missing evidence (appendix-fix2): no 说明
    assert "五、说明" not in texts
    assert "## 五、说明" not in md
    assert not [t for t in texts if "累计不超过10分" in t]
    assert "答卷" not in md
    assert not [t for t in texts if "答卷" in t]
    assert texts[1:4] == [
        "申报单位：甘肃陇药中药材产业技术创新联盟",  # its 牵头单位 seals the 落款 (below)
        "申报项目：" + md.splitlines()[4].removeprefix("申报项目："),
        "报告年度：2021年",
    ]


def test_data_table_fits_its_page(built: Path):
    """ensures 附表1 and 附表2 start new pages by their headings (no break paragraph a full table
    could push onto a blank page), every data-table label fits one line of its column (so the
    Luzhou table keeps to one page) and no empty note paragraph follows the table."""
    doc = Document(built / "report.docx")
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1" and p.text.startswith("附表")]
    assert headings[0].paragraph_format.page_break_before
    # 附表2 opens the landscape section: the paragraph before it ends the previous section
    before = headings[1]._p.getprevious()
    assert before.find(qn("w:pPr")).find(qn("w:sectPr")) is not None
    assert not any(
        br.get(qn("w:type")) == "page" for p in doc.paragraphs[-60:] for br in p._p.iter(qn("w:br"))
    )
    parts = [t for t in doc.tables if t.rows and t.rows[0].cells[0].text == "序号"]
    parts = parts[: next(i for i, t in enumerate(parts) if t.rows[0].cells[1].text != "指标名称")]
    table = parts[-1]  # 附表1 may be cut where a page ends: its last part holds the seal lines
    column = int(table._tbl.tblGrid.findall(qn("w:gridCol"))[1].get(qn("w:w")))  # twips
    longest = max(len(row.cells[1].text) for t in parts for row in t.rows[1:])
    assert longest * 10.5 * 20 + 2 * 108 <= column  # 五号 characters plus the default cell padding
    after = table._tbl.getnext()
    assert after.tag == qn("w:p")
    # Luzhou's 附件3 is sealed: the seal line follows the table at once (#17), no empty note
    assert "".join(after.itertext()).startswith("填报单位（盖章）")

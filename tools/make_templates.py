"""Generates the default Word templates in templates/ (run: python tools/make_templates.py).

The templates are docxtpl files: Jinja tags inside a real Word document whose styles carry the
official fonts (East Asian fonts set explicitly), zh-CN language, A4 pages with GB/T 9704
margins and «— 1 —» page numbers. Users export them (docgen templates export), edit them in
Word, and render with their own copy. Rerunning this script gives identical files.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.word.oxml import add_field, page_setup, set_fonts, set_language  # noqa: E402
from docgen.word.tables import repeat_header, set_borders, set_column_widths  # noqa: E402

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"

# fonts a reader's Word substitutes when the official ones are missing (w:altName in fontTable)
FONT_TABLE = {
    "仿宋_GB2312": ("仿宋", "02010609030101010101"),
    "方正小标宋简体": ("宋体", "02000000000000000000"),
    "楷体_GB2312": ("楷体", "02010609030101010101"),
    "黑体": ("SimHei", "02010609060101010101"),
    "宋体": ("SimSun", "02010600030101010101"),
}


def _style(
    doc,
    name: str,
    font: str,
    size: float,
    *,
    bold: bool = False,
    base: str | None = None,
    kind=WD_STYLE_TYPE.PARAGRAPH,
):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
    if base:
        style.base_style = styles[base]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = None
    set_fonts(style.element, font)
    set_language(style.element)
    return style


def _paragraph_format(
    style, *, before=0, after=0, line=None, align=None, first_chars=None, keep_next=False, outline=None
):
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line:
        pf.line_spacing = Pt(line)
    if align is not None:
        pf.alignment = align
    pf.keep_with_next = keep_next
    if first_chars is not None:
        ppr = style.element.get_or_add_pPr()
        ind = OxmlElement("w:ind")
        ind.set(qn("w:firstLineChars"), str(first_chars * 100))
        ind.set(qn("w:firstLine"), str(int(first_chars * 16 * 20)))
        ppr.append(ind)
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        lvl = ppr.find(qn("w:outlineLvl"))
        if lvl is None:
            lvl = OxmlElement("w:outlineLvl")
            ppr.append(lvl)
        lvl.set(qn("w:val"), str(outline))


def _defaults(doc, update_fields: bool) -> None:
    """Document defaults: East Asian font and zh-CN language for everything; with
    ``update_fields``, Word updates the fields (the contents) when it opens the document."""
    styles_el = doc.styles.element
    rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), "Times New Roman")
    fonts.set(qn("w:hAnsi"), "Times New Roman")
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    fonts.set(qn("w:cs"), "Times New Roman")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    # the theme's minor East Asian font would otherwise win in some Word versions
    # -- document settings: Chinese line breaking, update the contents field on open --
    settings = doc.settings.element
    lang_el = settings.find(qn("w:themeFontLang"))
    if lang_el is not None:
        lang_el.set(qn("w:eastAsia"), "zh-CN")
    if update_fields:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
    # core properties: no author or timestamps from this machine (reproducible templates)
    props = doc.core_properties
    props.author = "docgen"
    props.last_modified_by = "docgen"
    props.title = ""
    props.comments = ""
    props.revision = 1
    import datetime as dt

    fixed = dt.datetime(2023, 1, 1)
    props.created = fixed
    props.modified = fixed
    props.last_printed = fixed


def _font_table(doc) -> None:
    font_part = None
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            font_part = rel.target_part
    if font_part is None:
        return
    from lxml import etree

    root = etree.fromstring(font_part.blob)
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, (alt, panose) in FONT_TABLE.items():
        font = etree.SubElement(root, f"{{{ns}}}font")
        font.set(f"{{{ns}}}name", name)
        for tag, value in (
            ("altName", alt),
            ("panose1", panose),
            ("charset", "86"),
            ("family", "modern" if name == "黑体" else "roman"),
            ("pitch", "variable"),
        ):
            element = etree.SubElement(font, f"{{{ns}}}{tag}")
            element.set(f"{{{ns}}}val", value)
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# the styles of the forms and the 汇总表 (templates/styles/forms.docx): what docgen.outputs.form_layout
# and docgen.outputs.summary_docx use, and their bases
FORM_STYLES = frozenset(
    {"Normal", "Body Text", "Title", "Heading 1", "Table Text", "Table Text Left", "Note"}
)


def _styles(doc, only: frozenset[str] | None = None, *, update_fields: bool = True) -> None:
    """Defines docgen's styles (all of them, or ``only`` those named) and the document defaults."""

    def wanted(name: str) -> bool:
        return only is None or name in only

    _defaults(doc, update_fields)
    normal = _style(doc, "Normal", BODY_FONT, 16)
    _paragraph_format(normal, line=28, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    if wanted("Body Text"):
        body = _style(doc, "Body Text", BODY_FONT, 16, base="Normal")
        _paragraph_format(body, line=28, first_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    if wanted("Title"):
        title = _style(doc, "Title", TITLE_FONT, 22, base="Normal")
        _paragraph_format(title, before=0, after=12, line=36, align=WD_ALIGN_PARAGRAPH.CENTER)
        pf = title.element.get_or_add_pPr()
        for child in list(pf):
            if child.tag == qn("w:pBdr"):
                pf.remove(child)
    if wanted("Subtitle"):
        subtitle = _style(doc, "Subtitle", BODY_FONT, 16, base="Normal")
        _paragraph_format(subtitle, line=28, align=WD_ALIGN_PARAGRAPH.CENTER)
    if wanted("Heading 1"):
        h1 = _style(doc, "Heading 1", HEADING_FONT, 16, base="Normal")
        _paragraph_format(
            h1, before=12, after=6, line=28, keep_next=True, outline=0, align=WD_ALIGN_PARAGRAPH.LEFT
        )
    if wanted("Heading 2"):
        h2 = _style(doc, "Heading 2", SUBHEADING_FONT, 16, base="Normal")  # GB/T 9704: 楷体, not bold
        _paragraph_format(
            h2, before=6, after=0, line=28, keep_next=True, outline=1, align=WD_ALIGN_PARAGRAPH.LEFT
        )
    if wanted("Heading 3"):
        h3 = _style(doc, "Heading 3", BODY_FONT, 16, bold=True, base="Normal")
        _paragraph_format(h3, before=0, after=0, line=28, keep_next=True, outline=2, first_chars=2)
    for level in (1, 2):
        if wanted(f"toc {level}"):
            toc = _style(doc, f"toc {level}", BODY_FONT, 14, base="Normal")
            _paragraph_format(toc, line=26)
            ppr = toc.element.get_or_add_pPr()
            ind = OxmlElement("w:ind")
            ind.set(qn("w:leftChars"), str((level - 1) * 200))
            ind.set(qn("w:left"), str((level - 1) * 560))
            ppr.append(ind)
    if wanted("Table Text"):
        table_text = _style(doc, "Table Text", TABLE_FONT, 10.5, base="Normal")
        _paragraph_format(table_text, line=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    if wanted("Table Text Left"):
        table_left = _style(doc, "Table Text Left", TABLE_FONT, 10.5, base="Table Text")
        _paragraph_format(table_left, line=16, align=WD_ALIGN_PARAGRAPH.LEFT)
    if wanted("Table Caption"):
        caption = _style(doc, "Table Caption", HEADING_FONT, 14, base="Normal")
        _paragraph_format(
            caption, before=6, after=6, line=24, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True
        )
    if wanted("Note"):
        note = _style(doc, "Note", BODY_FONT, 12, base="Normal")
        _paragraph_format(note, line=20, first_chars=2)
    for name in ("List Bullet", "List Number"):
        if wanted(name):
            style = _style(doc, name, BODY_FONT, 16, base="Normal")
            _paragraph_format(style, line=28)
    _font_table(doc)


def _footer(section) -> None:
    footer = section.footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.style = footer.part.document.styles["Normal"] if False else paragraph.style
    run = paragraph.add_run("— ")
    run.font.size = Pt(14)
    set_fonts(run._element, "宋体")
    add_field(paragraph, "PAGE", "1")
    for r in paragraph.runs[1:]:
        r.font.size = Pt(14)
        set_fonts(r._element, "宋体")
    run = paragraph.add_run(" —")
    run.font.size = Pt(14)
    set_fonts(run._element, "宋体")


def _table(
    doc,
    headers: list[str],
    row_cells: list[str],
    *,
    widths: list[float],
    caption: str | None = None,
    loop: str,
    left: set[int] = frozenset(),
    merge: int = 0,
):
    """A table with a repeated header row and one loop row (docxtpl {%tr for %})."""
    from docx.shared import Mm

    table = doc.add_table(rows=3, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    set_borders(table)
    if merge:
        caption_el = OxmlElement("w:tblCaption")
        caption_el.set(qn("w:val"), f"docgen-merge:{merge}")
        table._tbl.tblPr.append(caption_el)
    header, body, end = table.rows
    repeat_header(header)
    for index, text in enumerate(headers):
        cell = header.cells[index]
        cell.width = Mm(widths[index])
        p = cell.paragraphs[0]
        p.style = doc.styles["Table Text"]
        p.add_run(text).bold = True
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:color"), "auto")
        shade.set(qn("w:fill"), "F2F2F2")
        cell._tc.get_or_add_tcPr().append(shade)
    # docxtpl: the first row holds {%tr for %}, the second the cells, the third {%tr endfor %}
    loop_row = body
    for index, text in enumerate(row_cells):
        cell = loop_row.cells[index]
        cell.width = Mm(widths[index])
        p = cell.paragraphs[0]
        p.style = doc.styles["Table Text Left" if index in left else "Table Text"]
        p.add_run(text)
    cant = OxmlElement("w:cantSplit")
    loop_row._tr.get_or_add_trPr().append(cant)
    # insert the loop control rows around the body row
    set_column_widths(table, widths)
    start = _control_row(table, len(headers), "{%tr for " + loop + " %}")
    body._tr.addprevious(start)
    stop = _control_row(table, len(headers), "{%tr endfor %}")
    end._tr.addprevious(stop)
    end._tr.getparent().remove(end._tr)
    return table


def _control_row(table, columns: int, text: str):
    from copy import deepcopy

    row = deepcopy(table.rows[1]._tr)
    cells = row.findall(qn("w:tc"))
    for index, tc in enumerate(cells):
        for p in tc.findall(qn("w:p")):
            for r in p.findall(qn("w:r")):
                p.remove(r)
        if index == 0:
            p = tc.find(qn("w:p"))
            r = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = text
            r.append(t)
            p.append(r)
    return row


def _para(doc, text: str = "", style: str = "Normal", *, bold=False, align=None):
    p = doc.add_paragraph(style=doc.styles[style])
    if text:
        p.add_run(text).bold = bold
    if align is not None:
        p.alignment = align
    return p


def _page_break(doc) -> None:
    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)


FORMS = "styles/forms.docx"  # the forms' and 汇总表's styles (not a docxtpl template: not exported)


def _unnumbered_footer(section) -> None:
    """Gives ``section`` its own empty footer: the cover and the contents carry no page number."""
    section.footer.is_linked_to_previous = False


def _restart_numbering(section) -> None:
    """Starts the page numbers of ``section`` at 1 (``w:pgNumType w:start="1"``)."""
    sect_pr = section._sectPr
    number = OxmlElement("w:pgNumType")
    number.set(qn("w:start"), "1")
    later = [
        qn(f"w:{tag}")
        for tag in (
            "cols",
            "formProt",
            "vAlign",
            "noEndnote",
            "titlePg",
            "textDirection",
            "bidi",
            "rtlGutter",
            "docGrid",
            "printerSettings",
        )
    ]
    for child in sect_pr:
        if child.tag in later:
            child.addprevious(number)
            return
    sect_pr.append(number)


def _seal(doc, flag: str, company: str, date: str) -> None:
    """The seal and date lines under a table whose attachment the notice wants sealed."""
    _para(doc, "{%p if " + flag + " %}", "Body Text")
    for index, text in enumerate((company, date)):
        line = _para(doc, text, "Normal", align=WD_ALIGN_PARAGRAPH.RIGHT)
        line.runs[0].font.size = Pt(14)  # 4号: under a table in 5号, not a body line
        line.paragraph_format.right_indent = Pt(16 * 2)
        line.paragraph_format.space_before = Pt(12 if index == 0 else 0)
        line.paragraph_format.keep_with_next = index == 0
    _para(doc, "{%p endif %}", "Body Text")


def make_report(kind: str) -> Document:
    """Returns the application-report (认定) or work-summary (评价) template.

    Four sections: the cover and the contents (no page number), the narrative and 附表1 (numbered
    from «— 1 —»), 附表2 with its 计分过程 on landscape pages, then 附表3 and 附表4.
    """
    from docx.enum.section import WD_SECTION
    from docx.shared import Mm

    doc = Document()
    _styles(doc)
    page_setup(doc.sections[0])
    _unnumbered_footer(doc.sections[0])
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)

    # -- cover --
    for _ in range(4):
        _para(doc)
    _para(doc, "{{ report.title }}", "Title")
    _para(doc, "（{{ report.kind_title }}）", "Subtitle")
    for _ in range(6):
        _para(doc)
    # the applicant's rows as the program words them (申请单位（盖章）; an alliance: 联盟名称, then
    # 牵头单位（盖章）), 统一社会信用代码, 报告年度, 报送日期: docgen.outputs.contexts.cover_rows
    cover = doc.add_table(rows=3, cols=2)
    cover.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_column_widths(cover, [56, 100])  # the text width: a 16-character name on one line
    start, row, stop = cover.rows
    row.cells[0].width, row.cells[1].width = Mm(56), Mm(100)
    row.cells[0].paragraphs[0].add_run("{{ row.label }}：")
    row.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
    row.cells[1].paragraphs[0].add_run("{{ row.value }}")
    bottom = OxmlElement("w:tcBorders")
    line = OxmlElement("w:bottom")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), "4")
    line.set(qn("w:color"), "000000")
    bottom.append(line)
    row.cells[1]._tc.get_or_add_tcPr().append(bottom)
    start.cells[0].paragraphs[0].add_run("{%tr for row in cover.rows %}")
    stop.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    _page_break(doc)

    # -- contents, then the body in a section of its own numbered from 1 --
    _para(doc, "目　　录", "Title")
    _para(doc, "{{p toc }}")
    numbered = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(numbered)
    numbered.footer.is_linked_to_previous = False
    _footer(numbered)

    # -- narrative --
    _para(doc, "{{ report.title }}", "Title")
    _para(doc, "{{p narrative }}")

    # -- 附表1 on a new page (page break before the heading: a table that fills its page leaves
    # no blank page) --
    _para(doc, "{{ annex.data_heading }}", "Heading 1").paragraph_format.page_break_before = True
    _para(doc, "{{ data_table.title }}", "Table Caption")
    # the header block as the notice lays it out, then the figures cut where the pages end (the
    # last page holds several rows with the seal lines): docgen.outputs.score_table
    _para(doc, "{{p data_table_grid }}")
    _para(doc, "{%p for note in data_table.notes %}", "Note")
    _para(doc, "{{ note }}", "Note")
    _para(doc, "{%p endfor %}", "Note")
    _seal(doc, "data_table.sealed", "{{ data_table.seal }}", "{{ data_table.date }}")

    # -- 附表2 and its 计分过程 on landscape pages --
    wide = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(wide, landscape=True)
    _para(doc, "{{ annex.score_heading }}", "Heading 1")
    _para(doc, "{{ score.title }}", "Table Caption")
    _para(doc, "{{p score_table }}")
    # the 核定分 note keeps with the seal lines (and the closing rows above it with the note)
    _para(doc, "{{ score.summary }}", "Note").paragraph_format.keep_with_next = True
    _seal(doc, "score.sealed", "{{ score.seal }}", "{{ score.date }}")
    _para(doc, "计分过程", "Table Caption")
    # the table, then «说明：» and the notes kept with its last rows: docgen.outputs.score_process
    _para(doc, "{{p score_process }}")

    # -- 附表3 and 附表4, portrait again --
    upright = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(upright)
    _para(doc, "{{ annex.eligibility_heading }}", "Heading 1")
    _para(doc, "{%p if eligibility.rows %}", "Body Text")  # a program without limiting indicators: no table
    _table(
        doc,
        ["限定性指标", "核查结果", "结论"],
        ["{{ row.title }}", "{{ row.detail }}", "{{ row.result }}"],
        widths=[62, 72, 24],
        loop="row in eligibility.rows",
        left={0, 1},
    )
    _para(doc, "{%p endif %}", "Body Text")
    _para(doc, "{{ eligibility.summary }}", "Body Text")

    # 附表4 on a page of its own, cut where the pages end: every page shows its 类别 labels; after
    # a short 附表3 (a few limiting indicators, or one sentence where there are none) on the same
    # page, so that it does not leave a page mostly empty (docgen.outputs.score_table.folded_pt)
    _para(doc, "{%p if eligibility.folded %}", "Body Text")
    _para(doc, "{{ annex.evidence_heading }}", "Heading 1")
    _para(doc, "{%p else %}", "Body Text")
    _para(doc, "{{ annex.evidence_heading }}", "Heading 1").paragraph_format.page_break_before = True
    _para(doc, "{%p endif %}", "Body Text")
    _para(doc, "{{p evidence_table }}")
    _para(doc, "{{ evidence.summary }}", "Body Text")
    _restart_numbering(doc.sections[1])  # python-docx keeps the last section's sectPr at the end
    return doc


def _content_widths(table, name: str) -> None:
    """Makes a table's column widths the context's ``widths.<name>`` (twips, sized from the
    content by docgen.outputs.missing): Jinja in the grid, the cells and the table width."""
    tbl = table._tbl
    for index, col in enumerate(tbl.tblGrid.findall(qn("w:gridCol"))):
        col.set(qn("w:w"), "{{ widths." + name + "[" + str(index) + "] }}")
    for tr in tbl.findall(qn("w:tr")):
        for index, tc in enumerate(tr.findall(qn("w:tc"))):
            tc_w = tc.find(qn("w:tcPr")).find(qn("w:tcW"))
            spans = tc.find(qn("w:tcPr")).find(qn("w:gridSpan")) is not None  # a row across the table
            tc_w.set(
                qn("w:w"), "{{ widths.total }}" if spans else "{{ widths." + name + "[" + str(index) + "] }}"
            )
            tc_w.set(qn("w:type"), "dxa")
    tbl.tblPr.find(qn("w:tblW")).set(qn("w:w"), "{{ widths.total }}")


def _grouped_table(doc, groups: str, headers: list[str], cells: list[str], *, widths, name: str) -> None:
    """Adds a 材料 table of the missing-evidence report, one table per group (``groups``: the
    context's list of {name, rows}): the column headings, then the group's name (类别) across the
    table, both header rows that Word repeats at the top of every page the group continues on;
    rows never split. The title cell prints ``row.lead`` (a document's first row) and, in the
    lighter «Table Text Repeated» style, ``row.repeat`` (the rows of its further items)."""
    from copy import deepcopy

    _para(doc, "{%p for group in " + groups + " %}", "Note")
    # a part of the last group that docgen.outputs.missing_pages sends to the closing's page
    _para(doc, "{%p if group.new_page %}", "Note")
    brk = _para(doc, "", "Table Text")
    brk.paragraph_format.page_break_before = True
    brk.paragraph_format.line_spacing = Pt(1)
    _para(doc, "{%p endif %}", "Note")
    table = _table(doc, headers, ["", *cells[1:]], widths=widths, loop="row in group.rows", left={0, 1})
    header = table._tbl.tr_lst[0]
    heading = deepcopy(header)
    tcs = heading.findall(qn("w:tc"))
    for tc in tcs[1:]:
        heading.remove(tc)
    tc_pr = tcs[0].find(qn("w:tcPr"))
    for shade in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(shade)
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), str(len(headers)))
    tc_pr.find(qn("w:tcW")).addnext(span)
    p = tcs[0].find(qn("w:p"))
    p.find(qn("w:pPr")).find(qn("w:pStyle")).set(qn("w:val"), doc.styles["Table Text Left"].style_id)
    p.find(qn("w:r")).find(qn("w:t")).text = "{{ group.name }}"
    header.addnext(heading)
    for tr in (header, heading):  # the headings never stay alone at the foot of a page
        for para in tr.iter(qn("w:p")):
            para.find(qn("w:pPr")).insert(1, OxmlElement("w:keepNext"))
    body = table._tbl.tr_lst[3].tc_lst
    _cell_lines(body[0], "row.title_lines", ["{{ line.lead }}", "{{ line.repeat }}"], doc)
    _cell_lines(body[1], "row.identifier_lines", ["{{ line }}"], doc)
    _content_widths(table, name)
    # the «所列编号或名称» column only where some document has one (ids.<name>): its grid column
    # and cells inside Jinja conditions, the 类别 row spanning the columns printed (spans.<name>)
    span.set(qn("w:val"), "{{ spans." + name + " }}")
    condition = "{% if ids." + name + " %}"
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    for element in (grid[1], header.findall(qn("w:tc"))[1], body[1]):
        previous = element.getprevious()
        previous.tail = (previous.tail or "") + condition
        element.tail = "{% endif %}" + (element.tail or "")
    # the tables of two groups are kept apart by a thin paragraph (Word joins adjacent tables)
    spacer = _para(doc, "", "Table Text")
    spacer.paragraph_format.line_spacing = Pt(6)
    spacer.paragraph_format.keep_with_next = True
    _para(doc, "{%p endfor %}", "Note")


def _cell_lines(tc, loop: str, runs: list[str], doc) -> None:
    """Fills a loop row's cell with one paragraph per line of ``loop`` (the lines docgen broke
    between phrases): ``{%p for line in … %}``, a paragraph of ``runs`` (the second in the
    lighter «Table Text Repeated» style), ``{%p endfor %}``."""
    from copy import deepcopy

    template = tc.find(qn("w:p"))
    for r in template.findall(qn("w:r")):
        template.remove(r)
    paragraphs = [deepcopy(template) for _ in range(3)]
    for index, text in enumerate(runs):
        run = OxmlElement("w:r")
        if index:
            r_pr = OxmlElement("w:rPr")
            style = OxmlElement("w:rStyle")
            style.set(qn("w:val"), doc.styles["Table Text Repeated"].style_id)
            r_pr.append(style)
            run.append(r_pr)
        t = OxmlElement("w:t")
        t.text = text
        run.append(t)
        paragraphs[1].append(run)
    for paragraph, text in (
        (paragraphs[0], "{%p for line in " + loop + " %}"),
        (paragraphs[2], "{%p endfor %}"),
    ):
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = text
        run.append(t)
        paragraph.append(run)
    for paragraph in paragraphs:
        template.addprevious(paragraph)
    tc.remove(template)


def _signature_line(doc, text: str, indent: str):
    """A right-aligned 落款 line whose right indent (twips) comes from the context."""
    p = _para(doc, text, "Normal", align=WD_ALIGN_PARAGRAPH.RIGHT)
    ppr = p._p.get_or_add_pPr()
    ind = OxmlElement("w:ind")
    ind.set(qn("w:right"), "{{ " + indent + " }}")
    ppr.append(ind)
    return p


def _official_document() -> Document:
    """Returns an empty document with docgen's styles, A4 GB/T 9704 margins and the «— 1 —» footer."""
    doc = Document()
    _styles(doc)
    page_setup(doc.sections[0])
    _footer(doc.sections[0])
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    return doc


def _signature_block(doc, blank: int = 2) -> None:
    """Adds the 落款: ``blank`` blank lines, the 署名 lines and the date (GB/T 9704 7.3.5.1), kept
    together (a long name is broken into whole lines by docgen.outputs.missing.signature_lines)."""
    for _ in range(blank):
        _para(doc, "").paragraph_format.keep_with_next = True
    _para(doc, "{%p for line in signature.lines %}", "Normal")
    _signature_line(doc, "{{ line }}", "signature.name_indent").paragraph_format.keep_with_next = True
    _para(doc, "{%p endfor %}", "Normal")
    _signature_line(doc, "{{ report.date }}", "signature.date_indent")


def make_missing_evidence() -> Document:
    """Returns the missing-evidence report template: an official document (title, 申报单位,
    申报项目; the applicant's name above the date at the end), documents named by their titles,
    the tables' column widths sized from the content."""
    doc = _official_document()
    repeated = _style(doc, "Table Text Repeated", TABLE_FONT, 10.5, kind=WD_STYLE_TYPE.CHARACTER)
    repeated.font.color.rgb = RGBColor(0x70, 0x70, 0x70)  # a title repeated for a further item
    _para(doc, "{{ title }}", "Title")
    _para(doc, "{{ subtitle }}", "Subtitle")
    _para(doc, "{{ program_line }}", "Subtitle")
    _para(doc, "{{ year_line }}", "Subtitle")
    _para(doc, "一、总体情况", "Heading 1")
    _para(doc, "{%p for line in summary_printed %}", "Body Text")
    _para(doc, "{{ line }}", "Body Text")
    _para(doc, "{%p endfor %}", "Body Text")
    _para(doc, "{{ rounding }}", "Note")
    _para(doc, "二、缺失或无法使用的材料", "Heading 1")
    _para(doc, "{%p if problems %}", "Note")
    _grouped_table(
        doc,
        "problem_groups",
        ["材料名称", "所列编号或名称", "问题"],
        ["", "", "{{ row.status }}"],
        widths=[76, 60, 20],
        name="problems",
    )
    _para(doc, "{%p endif %}", "Note")
    _para(doc, "{{ problems_note }}", "Note")
    _para(doc, "三、证明材料不足的指标（核减）", "Heading 1")
    _para(doc, "{%p if shortfalls %}", "Note")
    shortfalls = _table(
        doc,
        ["指标", "填报值", "有证明值", "填报得分", "核减后得分", "影响"],
        [
            "{{ row.label }}",
            "{{ row.claimed }}",
            "{{ row.evidenced }}",
            "{{ row.claimed_score }}",
            "{{ row.evidenced_score }}",
            "{{ row.effect }}",
        ],
        widths=[56, 20, 20, 20, 22, 18],
        loop="row in shortfalls",
        left={0},
    )
    _content_widths(shortfalls, "shortfalls")
    _needs_line(doc, shortfalls)
    _para(doc, "{%p endif %}", "Note")
    _para(doc, "{{ shortfalls_note_printed }}", "Note")
    # where the 材料清单 starts is estimated, and its tables' page ends from there
    # (docgen.outputs.missing_pages), so that the closing never stands on a page alone; it
    # follows what precedes it (its heading keeps with its first rows), no page break before it
    _para(doc, "四、材料清单核对", "Heading 1")
    _grouped_table(
        doc,
        "document_groups",
        ["材料名称", "所列编号或名称", "页数", "状态"],
        ["", "", "{{ row.pages }}", "{{ row.status }}"],
        widths=[68, 56, 12, 20],
        name="documents",
    )
    # the notes on scoring (the evidenced score follows the same rules), then the 落款: the
    # applicant's name above the date (GB/T 9704 7.3.5.1)
    _para(doc, "{%p if notes %}", "Note")
    _para(doc, "{{ notes_heading }}", "Heading 1")
    _para(doc, "{%p for note in notes %}", "Note")
    _para(doc, "{{ loop.index }}. {{ note }}", "Note")
    _para(doc, "{%p endfor %}", "Note")
    _para(doc, "{%p endif %}", "Note")
    # «特此报告。» keeps with the 落款, which so never stands on a page without text (the table
    # before it may end a page); the 落款 never breaks: the blank lines, every line of the name
    # and the date keep with the next, a long name is broken into whole lines by
    # docgen.outputs.missing.signature_lines
    _para(doc, "{{ closing }}", "Body Text").paragraph_format.keep_with_next = True
    _signature_block(doc, blank=1)  # 正文下空一行 (GB/T 9704 7.3.5.1, a document without seal)
    return doc


def make_correction_notice() -> Document:
    """Returns the 补正通知 template: title, the applicant addressed, the reason, the errors and
    the missing documents numbered, 特此通知, the bureau's name above the date."""
    doc = _official_document()
    _para(doc, "{{ title }}", "Title")
    _para(doc, "{{ addressee }}", "Normal")
    _para(doc, "{{ opening }}", "Body Text")
    _para(doc, "{{ reason_heading }}", "Heading 1")
    _para(doc, "{%p for line in reason_lines %}", "Body Text")
    _para(doc, "{{ line }}", "Body Text")
    _para(doc, "{%p endfor %}", "Body Text")
    for part in ("errors", "missing"):
        _para(doc, "{{ " + part + "_heading }}", "Heading 1")
        _para(doc, "{%p for line in " + part + " %}", "Body Text")
        _para(doc, "{% if numbered_" + part + " %}{{ loop.index }}. {% endif %}{{ line }}", "Body Text")
        _para(doc, "{%p endfor %}", "Body Text")
    _para(doc, "{{ closing }}", "Body Text")
    _signature_block(doc)
    return doc


def _needs_line(doc, table) -> None:
    """Adds under the indicator's name in section 三 the documents that would prove it («缺：…»),
    one paragraph per line (broken between titles by docgen.outputs.missing)."""
    cell_p = table._tbl.tr_lst[2].tc_lst[0].findall(qn("w:p"))[-1]
    for text in ("{%p for line in row.needs_lines %}", "{{ line }}", "{%p endfor %}"):
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), doc.styles["Table Text Left"].style_id)
        ppr.append(style)
        p.append(ppr)
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = text
        r.append(t)
        p.append(r)
        cell_p.addnext(p)
        cell_p = p


def make_forms() -> Document:
    """Returns the styles template of the forms and the 汇总表: docgen's styles they use, A4
    GB/T 9704 margins, a «— 1 —» footer, an empty body (no fields to update on opening)."""
    doc = Document()
    _styles(doc, FORM_STYLES, update_fields=False)
    page_setup(doc.sections[0])
    _footer(doc.sections[0])
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    return doc


def main() -> None:
    out = ROOT / "templates"
    out.mkdir(exist_ok=True)
    from docgen.word.package import normalise_zip
    from docgen.word.sidecar import write_sidecar

    for name, doc in (
        ("application-report.docx", make_report("application")),
        ("work-summary.docx", make_report("summary")),
        ("missing-evidence.docx", make_missing_evidence()),
        ("correction-notice.docx", make_correction_notice()),
        (FORMS, make_forms()),
    ):
        buffer = io.BytesIO()
        doc.save(buffer)
        (out / name).parent.mkdir(exist_ok=True)
        (out / name).write_bytes(normalise_zip(buffer.getvalue()))
        if name != FORMS:  # docxtpl templates: their prepared form ships with them
            write_sidecar(out / name)
    print("wrote", ", ".join(p.relative_to(out).as_posix() for p in sorted(out.rglob("*.docx"))))


if __name__ == "__main__":
    main()

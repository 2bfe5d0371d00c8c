"""EDGE helpers for Word XML: East Asian fonts, language, A4 page, fields, merged cells.

Used by the template generator (tools/make_templates.py) and by rendering.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

# GB/T 9704-2012 page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}


def set_fonts(rpr_parent, east_asia: str, latin: str = "Times New Roman") -> None:
    """Sets the Latin and East Asian fonts on a run or style (``w:rFonts``, incl. ``w:eastAsia``)."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def set_language(rpr_parent, east_asia: str = "zh-CN", latin: str = "en-US") -> None:
    """Sets ``w:lang`` with ``w:eastAsia`` on a run or style."""
    rpr = rpr_parent.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), latin)
    lang.set(qn("w:eastAsia"), east_asia)


def page_setup(section, landscape: bool = False) -> None:
    """Sets A4 size and official margins on a section (landscape swaps the sides)."""
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    if landscape:
        section.top_margin, section.bottom_margin = MARGINS["left"], MARGINS["right"]
        section.left_margin, section.right_margin = MARGINS["top"], MARGINS["bottom"]
    else:
        section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance, section.footer_distance = Mm(15), Mm(20)


def add_field(paragraph, instruction: str, placeholder: str = "") -> None:
    """Appends a complex field (e.g. ``PAGE``) to ``paragraph``."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def set_cell_borders(table) -> None:
    """Gives every cell of ``table`` single 0.5 pt borders (``w:tblBorders``)."""
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        tbl_pr.append(borders)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = borders.find(qn(f"w:{edge}"))
        if element is None:
            element = OxmlElement(f"w:{edge}")
            borders.append(element)
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")


def set_cell_margins(table, left_right_mm: float) -> None:
    """Sets the table's default left and right cell margins (``w:tblCellMar``)."""
    from docx.shared import Mm

    tbl_pr = table._tbl.tblPr
    margins = tbl_pr.find(qn("w:tblCellMar"))
    if margins is None:
        margins = OxmlElement("w:tblCellMar")
        tbl_pr.append(margins)
    for edge in ("left", "right"):
        element = margins.find(qn(f"w:{edge}"))
        if element is None:
            element = OxmlElement(f"w:{edge}")
            margins.append(element)
        element.set(qn("w:w"), str(int(Mm(left_right_mm).twips)))
        element.set(qn("w:type"), "dxa")


def repeat_header(row) -> None:
    """Marks ``row`` as a header row repeated on every page and never split."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)


def set_column_widths(table, widths_mm: list[float]) -> None:
    """Fixes the table layout with the given column widths in millimetres (see ``set_column_twips``)."""
    from docx.shared import Mm

    set_column_twips(table, [int(Mm(w).twips) for w in widths_mm])


def set_column_twips(table, twips: list[int]) -> None:
    """Fixes the table layout with the given column widths (grid, cells and table width).

    Word and LibreOffice lay a table out from ``w:tblGrid``; python-docx's cell widths alone
    are ignored by LibreOffice, so the grid is written too.
    """
    from docx.shared import Twips

    tbl = table._tbl
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), twips, strict=False):
        col.set(qn("w:w"), str(width))
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(twips)))
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            if index < len(twips):
                cell.width = Twips(twips[index])


def text_width_twips(section) -> int:
    """Returns the width between the left and right margins of ``section`` in twips."""
    return int(section.page_width.twips) - int(section.left_margin.twips) - int(section.right_margin.twips)

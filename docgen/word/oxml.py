"""EDGE helpers for Word XML through python-docx: East Asian fonts, language, A4 page, fields.

Used by the template generator (tools/make_templates.py), the forms and the 汇总表; the table
helpers are in ``docgen.word.tables``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.section import Section
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from docgen.word.namespaces import qn

# GB/T 9704-2012 page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}


def blank_document(template: Path) -> Document:
    """Returns the document ``template`` with its styles, sections, headers and footers, and an
    empty body."""
    doc = docx.Document(str(template))
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def set_fonts(rpr_parent: Any, east_asia: str, latin: str = "Times New Roman") -> None:
    """Sets the Latin and East Asian fonts on a run or style (``w:rFonts``, incl. ``w:eastAsia``).

    ``rpr_parent`` is a ``w:r`` or ``w:style`` element (python-docx's ``run._element``,
    ``style.element``).
    """
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


def set_language(rpr_parent: Any, east_asia: str = "zh-CN", latin: str = "en-US") -> None:
    """Sets ``w:lang`` with ``w:eastAsia`` on a run or style element."""
    rpr = rpr_parent.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), latin)
    lang.set(qn("w:eastAsia"), east_asia)


def page_setup(section: Section, landscape: bool = False) -> None:
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


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
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


def text_width_twips(section: Section) -> int:
    """Returns the width between the left and right margins of ``section`` in twips."""
    width, left, right = section.page_width, section.left_margin, section.right_margin
    if width is None or left is None or right is None:
        raise ValueError("the section has no page size or margins")
    return int(width.twips) - int(left.twips) - int(right.twips)

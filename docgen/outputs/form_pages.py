"""EDGE: where a form table's pages will break, estimated, so that a merged group cell cut by a
page break repeats its label at the top of the next page (Word and LibreOffice show a vertically
merged cell's text on its first page only).

The estimate lays the document out as docgen writes it: exact line heights from the styles,
lines wrapped as ``docgen.word.layout`` wraps them, rows kept together as ``keep_with_next``
keeps them (a kept run of rows moves to the next page as a whole). Breaks fall only between
kept runs (二级 groups), so the estimate need only be right to within such a group.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docx.oxml import OxmlElement
from docx.shared import Length, Mm

from docgen.word.layout import line_count
from docgen.word.namespaces import qn

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table

PT_PER_MM = 72 / 25.4
_DEFAULT_PT = 16.0


def _pt(emu: int | None) -> float:
    return (emu or 0) / 12700


def _paragraph_height(doc: Document, p: Any, width_pt: float) -> float:
    """Returns the estimated height of a body paragraph in points."""
    from docx.text.paragraph import Paragraph

    paragraph = Paragraph(p, doc)
    style = paragraph.style
    fmt = style.paragraph_format if style is not None else None
    size = style.font.size.pt if style is not None and style.font.size else _DEFAULT_PT
    pitch = paragraph.paragraph_format.line_spacing or (fmt.line_spacing if fmt else None)
    pitch_pt = float(pitch.pt) if isinstance(pitch, Length) else size * 1.5
    before = paragraph.paragraph_format.space_before or (fmt.space_before if fmt else None)
    after = paragraph.paragraph_format.space_after or (fmt.space_after if fmt else None)
    indent = fmt.first_line_indent if fmt is not None and fmt.first_line_indent else 0
    capacity = (width_pt - _pt(int(indent))) / (size / 2)
    lines = line_count(paragraph.text, capacity) if paragraph.text else 1
    return lines * pitch_pt + _pt(int(before or 0)) + _pt(int(after or 0))


def row_heights(
    rows: Sequence[Sequence[str]], widths_mm: Sequence[float], line_pt: float, pad_mm: float, min_mm: float
) -> list[float]:
    """Returns the estimated height in points of each row of a 5号 form table."""
    out = []
    for cells in rows:
        lines = max(
            line_count(text, max((width - 2 * 1.0) * PT_PER_MM / 5.25, 1))
            for text, width in zip(cells, widths_mm, strict=False)
        )
        out.append(max(lines * line_pt + 2 * pad_mm * PT_PER_MM + 1, min_mm * PT_PER_MM))
    return out


def page_height(doc: Document) -> float:
    """Returns the height of the text block in points."""
    section = doc.sections[-1]
    return _pt(section.page_height) - _pt(section.top_margin) - _pt(section.bottom_margin)


def table_start(doc: Document, table: Table) -> float:
    """Returns the estimated distance in points from the top of its page to ``table``."""
    section = doc.sections[-1]
    page = page_height(doc)
    width = _pt(section.page_width) - _pt(section.left_margin) - _pt(section.right_margin)
    y = 0.0
    for element in doc.element.body.iterchildren():
        if element is table._tbl:
            break
        if element.tag == qn("w:p"):
            y += _paragraph_height(doc, element, width)
        elif element.tag == qn("w:tbl"):
            for tr in element.iter(qn("w:tr")):
                height = tr.find(f"{qn('w:trPr')}/{qn('w:trHeight')}")
                y += max(_pt(Mm(8)) if height is None else int(height.get(qn("w:val"))) / 20, 20)
        while y > page:
            y -= page
    return y


def page_breaks(
    page_pt: float, start_pt: float, header_pt: float, heights: Sequence[float], kept: Sequence[bool]
) -> list[int]:
    """Returns the indices of the body rows that begin a new page.

    ``kept[i]``: row i keeps with row i + 1, so a run of kept rows moves as a whole (unless it is
    taller than a page). The header row repeats at the top of every page.
    """
    runs: list[list[int]] = []
    for index in range(len(heights)):
        if runs and kept[index - 1]:
            runs[-1].append(index)
        else:
            runs.append([index])
    breaks: list[int] = []
    y = start_pt + header_pt
    for run in runs:
        height = sum(heights[i] for i in run)
        if y + height > page_pt and y > header_pt + 1 and height <= page_pt - header_pt:
            breaks.append(run[0])
            y = header_pt
        for i in run:
            if y + heights[i] > page_pt and y > header_pt + 1:
                breaks.append(i)
                y = header_pt
            y += heights[i]
    return breaks


def repeat_labels(table: Table, breaks: Sequence[int], columns: int, texts: Sequence[Sequence[str]]) -> None:
    """Restarts the vertical merge of the first ``columns`` cells at every break row that continues
    a merged group, with the group's label, so the label shows on the new page too."""
    trs = table._tbl.tr_lst
    for index in breaks:
        tr = trs[index + 1]  # the header row comes first
        for col, tc in enumerate(tr.tc_lst[:columns]):
            merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            if merge is None or merge.get(qn("w:val")) == "restart":
                continue
            merge.set(qn("w:val"), "restart")
            paragraph = tc.find(qn("w:p"))
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = texts[index][col]
            run.append(text)
            paragraph.append(run)

"""EDGE: the table look of every docgen document — borders, cell margins, header rows, widths.

One set of helpers for the python-docx tables (forms, 汇总表, the template generator); the
border is ``docgen.word.xml.BORDER``, which the f-string writer puts into the reports' tables:
single 0.5 pt black lines, header rows repeated on every page, rows that do not break across
pages, fixed column widths.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.shared import Mm, Twips
from docx.table import Table, _Row

from docgen.word.namespaces import qn
from docgen.word.xml import BORDER, EDGES


def set_borders(table: Table) -> None:
    """Gives every cell of ``table`` single 0.5 pt borders (``w:tblBorders``)."""
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        tbl_pr.append(borders)
    for edge in EDGES:
        element = borders.find(qn(f"w:{edge}"))
        if element is None:
            element = OxmlElement(f"w:{edge}")
            borders.append(element)
        for name, value in BORDER.items():
            element.set(qn(f"w:{name}"), value)


def set_cell_margins(table: Table, left_right_mm: float) -> None:
    """Sets the table's default left and right cell margins (``w:tblCellMar``)."""
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


def add_row(table: Table) -> _Row:
    """Returns a new last row of ``table`` (python-docx's ``add_row``, which it leaves unannotated)."""
    row: _Row = table.add_row()  # type: ignore[no-untyped-call]
    return row


def repeat_header(row: _Row) -> None:
    """Marks ``row`` as a header row repeated on every page and never split."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    tr_pr.append(OxmlElement("w:cantSplit"))


def keep_together(row: _Row) -> None:
    """Keeps ``row`` on one page (``w:cantSplit``)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def set_column_widths(table: Table, widths_mm: list[float]) -> None:
    """Fixes the table layout with the given column widths in millimetres (see ``set_column_twips``)."""
    set_column_twips(table, [int(Mm(w).twips) for w in widths_mm])


def set_column_twips(table: Table, twips: list[int]) -> None:
    """Fixes the table layout with the given column widths (grid, cells and table width).

    Word and LibreOffice lay a table out from ``w:tblGrid``; python-docx's cell widths alone
    are ignored by LibreOffice, so the grid is written too.
    """
    tbl = table._tbl
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=False):
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


def merge_across(row: _Row, span: int) -> None:
    """Merges the first ``span`` cells of ``row`` into one, keeping the first cell's paragraph."""
    if span < 2:
        return
    merged = row.cells[0].merge(row.cells[span - 1])
    for extra in merged.paragraphs[1:]:
        parent = extra._p.getparent()
        if parent is not None:
            parent.remove(extra._p)

"""CORE: a report table as WordprocessingML text — sized columns, spans, merged group cells.

The report's score table (附表2) varies by program (its group levels, whether the notice gives
评价标准 or 基本要求/满分值, a 达标 column), so it is written here rather than looped in the
template: header rows repeated on every page, rows that never break, group cells merged
vertically (``merge``), closing rows whose label spans several columns (``span``), and rows kept
with the next (``keep_next``) so that a group, or the last line with its total rows, stays on one
page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.word.xml import TWIPS_PER_MM, borders_xml, escape

CELL_MARGIN_TWIPS = 85  # 1.5 mm left and right of the text of every cell


@dataclass(frozen=True)
class GridCell:
    """One cell: its text, the columns it spans, its vertical merge ("restart", "continue" or
    ""), bold and left-aligned text."""

    text: str
    span: int = 1
    merge: str = ""
    bold: bool = False
    left: bool = False


@dataclass(frozen=True)
class GridRow:
    """One row: its cells, whether it is a header row, whether it stays with the next row."""

    cells: tuple[GridCell, ...]
    header: bool = False
    keep_next: bool = False
    shade: bool = False


@dataclass
class Grid:
    """A table: column widths in millimetres and its rows."""

    widths: list[float]
    rows: list[GridRow] = field(default_factory=list)


def grid_xml(
    grid: Grid, ids: dict[str, str], style: str = "Table Text", left_style: str = "Table Text Left"
) -> str:
    """Returns ``grid`` as a ``w:tbl`` element (text escaped), in the template's table styles."""
    twips = [round(w * TWIPS_PER_MM) for w in grid.widths]
    out = [
        "<w:tbl><w:tblPr>",
        f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>',
        f'{borders_xml()}<w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:left w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/>',
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{w}"/>' for w in twips),
        "</w:tblGrid>",
    ]
    for row in grid.rows:
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if row.header else "")
        cells = []
        column = 0
        for cell in row.cells:
            width = sum(twips[column : column + cell.span])
            column += cell.span
            tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if cell.span > 1:
                tcpr += f'<w:gridSpan w:val="{cell.span}"/>'
            if cell.merge == "restart":
                tcpr += '<w:vMerge w:val="restart"/>'
            elif cell.merge == "continue":
                tcpr += "<w:vMerge/>"
            if row.shade:
                tcpr += '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>'
            tcpr += '<w:vAlign w:val="center"/>'
            style_id = ids.get((left_style if cell.left else style).lower())
            ppr = (f'<w:pStyle w:val="{style_id}"/>' if style_id else "") + (
                "<w:keepNext/>" if row.keep_next else ""
            )
            text = "" if cell.merge == "continue" else cell.text
            rpr = "<w:rPr><w:b/></w:rPr>" if cell.bold else ""
            run = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
            cells.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{run}</w:p></w:tc>")
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def merged(column: list[str]) -> list[str]:
    """Returns the vertical merge of each cell of a column: runs of equal non-empty text merge."""
    out = []
    for index, text in enumerate(column):
        if not text:
            out.append("")
        elif index > 0 and column[index - 1] == text:
            out.append("continue")
        elif index + 1 < len(column) and column[index + 1] == text:
            out.append("restart")
        else:
            out.append("")
    return out

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

from docgen.word.layout import line_count
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
    grid: Grid,
    ids: dict[str, str],
    style: str = "Table Text",
    left_style: str = "Table Text Left",
    line_pt: float | None = None,
) -> str:
    """Returns ``grid`` as a ``w:tbl`` element (text escaped), in the template's table styles,
    its lines exactly ``line_pt`` points apart where given (else as the style sets them)."""
    spacing = f'<w:spacing w:line="{round(line_pt * 20)}" w:lineRule="exact"/>' if line_pt else ""
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
            ppr = (
                (f'<w:pStyle w:val="{style_id}"/>' if style_id else "")
                + ("<w:keepNext/>" if row.keep_next else "")
                + spacing
            )
            text = "" if cell.merge == "continue" else cell.text
            rpr = "<w:rPr><w:b/></w:rPr>" if cell.bold else ""
            lines = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(t)}</w:t>' for t in text.split("\n"))
            run = f"<w:r>{rpr}{lines}</w:r>" if text else ""
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


# -- pages: a long table split where the pages end, each part with its header and group labels --

PAGE_BREAK = (
    '<w:p><w:pPr><w:pageBreakBefore/><w:spacing w:before="0" w:after="0" w:line="20" '
    'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
)


def row_heights(
    grid: Grid, line_pt: float, mm_per_unit: float, padding_mm: float, border_pt: float = 1.5
) -> list[float]:
    """Returns each row's estimated height in points (``word.layout`` line breaking): the most
    lines any of its cells takes, a merged cell's text spread over its rows, and ``border_pt``."""
    heights = []
    for row in grid.rows:
        lines = 1
        column = 0
        for cell in row.cells:
            width = sum(grid.widths[column : column + cell.span])
            column += cell.span
            if cell.merge:
                continue
            capacity = max((width - padding_mm) / mm_per_unit, 1)
            lines = max(lines, sum(line_count(part, capacity) for part in cell.text.split("\n")))
        heights.append(lines * line_pt + border_pt)
    return heights


def paginate(
    grid: Grid,
    heights: list[float],
    first_pt: float,
    page_pt: float,
    tail: int,
    tail_pt: float,
    min_last: int = 0,
) -> list[Grid]:
    """Returns ``grid`` cut into parts that each fit a page (the first page has ``first_pt``, the
    others ``page_pt``): each part repeats the header rows and restarts its merged group cells,
    so every page shows its group labels. The last ``tail`` rows (the closing rows) stay with two
    lines before them and leave ``tail_pt`` under them (a note, the seal lines). A last page
    holds at least ``min_last`` rows (where they fit): not a few rows and the seal lines alone."""
    header = [i for i, row in enumerate(grid.rows) if row.header]
    body = [i for i, row in enumerate(grid.rows) if not row.header]
    head_pt = sum(heights[i] for i in header)
    block = min(len(body), tail + 2)  # the closing rows and the two lines before them
    units: list[list[int]] = []
    for i in body[: len(body) - block]:  # a row kept with the next one («其中» under its parent)
        if units and grid.rows[units[-1][-1]].keep_next:
            units[-1].append(i)
        else:
            units.append([i])
    if block:
        units.append(body[len(body) - block :])
    parts: list[list[int]] = [[]]
    room = first_pt - head_pt
    for number, unit in enumerate(units):
        height = sum(heights[i] for i in unit) + (tail_pt if number == len(units) - 1 else 0)
        if parts[-1] and height > room:
            parts.append([])
            room = page_pt - head_pt
        parts[-1].extend(unit)
        room -= height
    if len(parts) > 1:  # fill the last page from the end of the page before it
        last_room = page_pt - head_pt - tail_pt - sum(heights[i] for i in parts[-1])
        while len(parts[-1]) < min_last and len(parts[-2]) > 1:
            moved = [parts[-2][-1]]  # a row and the rows kept with it move together
            while len(moved) < len(parts[-2]) and grid.rows[parts[-2][-len(moved) - 1]].keep_next:
                moved.insert(0, parts[-2][-len(moved) - 1])
            if len(moved) == len(parts[-2]) or sum(heights[i] for i in moved) > last_room:
                break
            last_room -= sum(heights[i] for i in moved)
            parts[-1][:0] = moved
            del parts[-2][-len(moved) :]
    return [
        Grid(grid.widths, [grid.rows[i] for i in header] + _remerged([grid.rows[i] for i in part]))
        for part in parts
    ]


def page_starts(
    grid: Grid, heights: list[float], first_pt: float, page_pt: float, tail_pt: float
) -> list[int]:
    """Returns the indices of the rows that will start a new page when Word lets ``grid`` flow
    (the first page has ``first_pt``, the others ``page_pt``, both repeating the header rows): a
    row marked ``keep_next`` moves with the row after it, and the last run of kept rows with the
    ``tail_pt`` points kept under it (a note, the seal lines) — as Word moves a keep-with-next
    chain to the next page whole (unless it is taller than a page)."""
    return _flow(grid, heights, first_pt, page_pt, tail_pt)[0]


def page_room(grid: Grid, heights: list[float], first_pt: float, page_pt: float, tail_pt: float) -> float:
    """Returns the points estimated to be left on the table's last page under its tail."""
    return _flow(grid, heights, first_pt, page_pt, tail_pt)[1]


def _units(grid: Grid) -> list[list[int]]:
    """Returns the body rows in runs kept together (a row marked ``keep_next`` with the next)."""
    units: list[list[int]] = []
    for i, row in enumerate(grid.rows):
        if row.header:
            continue
        if units and grid.rows[units[-1][-1]].keep_next:
            units[-1].append(i)
        else:
            units.append([i])
    return units


def _flow(
    grid: Grid, heights: list[float], first_pt: float, page_pt: float, tail_pt: float
) -> tuple[list[int], float]:
    header_pt = sum(h for h, row in zip(heights, grid.rows, strict=True) if row.header)
    units = _units(grid)
    starts: list[int] = []
    room = first_pt - header_pt
    full = page_pt - header_pt
    for number, unit in enumerate(units):
        tail = tail_pt if number == len(units) - 1 else 0.0
        if sum(heights[i] for i in unit) + tail <= room or not number:
            room -= sum(heights[i] for i in unit) + tail
        elif sum(heights[i] for i in unit) + tail <= full:  # the chain moves to the next page whole
            starts.append(unit[0])
            room = full - sum(heights[i] for i in unit) - tail
        else:  # a chain taller than a page: Word breaks it where the page ends
            for i in unit:
                if heights[i] > room:
                    starts.append(i)
                    room = full
                room -= heights[i]
            room -= tail
    return starts, room


def flowed(
    grid: Grid, heights: list[float], first_pt: float, page_pt: float, tail_pt: float = 0.0
) -> list[Grid]:
    """Returns ``grid`` as a table that Word lets flow over its pages, its header rows repeated
    on every page, its merged group cells restarted on the row estimated to start each page
    (``page_starts``), so that a continuation page shows its group labels (Word and LibreOffice
    print a merged cell's text on its first page only). One table, unless the last run of kept
    rows is estimated to start a page with its tail: LibreOffice does not keep a table's last
    row with the paragraph after it, so that run is a second part after a page break
    (``grids_xml``), as Word would place it anyway."""
    header = [row for row in grid.rows if row.header]
    body = [i for i, row in enumerate(grid.rows) if not row.header]
    starts = set(page_starts(grid, heights, first_pt, page_pt, tail_pt))
    units = _units(grid)
    split = units[-1][0] if tail_pt and len(units) > 1 and units[-1][0] in starts else None
    parts: list[list[GridRow]] = [[]]
    cut = 0  # the part the kept last run begins
    for i in body:
        if i in starts and parts[-1]:
            parts.append([])
            cut = len(parts) - 1 if i == split else cut
        parts[-1].append(grid.rows[i])
    pieces = [parts[:cut], parts[cut:]] if cut else [parts]
    return [Grid(grid.widths, header + [r for part in piece for r in _remerged(part)]) for piece in pieces]


def _remerged(rows: list[GridRow]) -> list[GridRow]:
    """Returns ``rows`` with their vertical merges closed at the part's edges: a part's first row
    restarts (and shows) a merged group, a restart with nothing below it in the part is a cell."""
    out = [list(row.cells) for row in rows]
    for r, cells in enumerate(out):
        for c, cell in enumerate(cells):
            if cell.merge == "continue" and r == 0:
                cells[c] = GridCell(cell.text, cell.span, "restart", cell.bold, cell.left)
    for r, cells in enumerate(out):
        for c, cell in enumerate(cells):
            below = out[r + 1][c].merge if r + 1 < len(out) and c < len(out[r + 1]) else ""
            if cell.merge == "restart" and below != "continue":
                cells[c] = GridCell(cell.text, cell.span, "", cell.bold, cell.left)
    return [
        GridRow(tuple(cells), row.header, row.keep_next, row.shade)
        for cells, row in zip(out, rows, strict=True)
    ]


def grids_xml(grids: list[Grid], ids: dict[str, str]) -> str:
    """Returns the parts of a paginated table, each after the first on a new page."""
    return PAGE_BREAK.join(grid_xml(grid, ids) for grid in grids)

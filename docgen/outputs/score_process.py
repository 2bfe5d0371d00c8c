"""CORE: the report's 计分过程 under 附表2 — the table of how each line was scored, and its notes.

One table that flows over the landscape pages (its header repeated, rows that never break),
then the notes under a «说明：» lead-in as the notice's tables print theirs. Notes that take at
most half a page are kept together and with the table's last two rows (keep-with-next), so a
page never holds the notes alone; longer notes keep their lead-in with the first note and the
table's last rows, the rest flows.
"""

from __future__ import annotations

from typing import Any

from docgen.outputs.score_table import (
    CELL_PADDING_MM,
    FLOW_BORDER_PT,
    FLOW_PAGE_PT,
    MM_PER_UNIT,
    TABLE_LINE_PT,
)
from docgen.text.labels import TEXT
from docgen.word.grid import Grid, GridCell, GridRow, flowed, grids_xml, row_heights
from docgen.word.layout import display_width
from docgen.word.xml import RawXml, escape

PROCESS_WIDTHS = [14.0, 56.0, 155.0]  # 序号, 指标, 计算过程 (mm): the landscape page's 225 mm
PROCESS_HEADER = ("process_col_no", "process_col_title", "process_col_explanation")
NOTE_UNITS = 106  # display units of a Note line (小四 on 225 mm)
NOTE_LINE_PT = 20.0  # Note: exactly 20 pt lines
SHORT_NOTES_PT = FLOW_PAGE_PT / 2  # notes up to half a landscape page stay together with the table
CAPTION_PT = 36.0  # the «计分过程» caption above the table


def notes_pt(notes: list[str]) -> float:
    """Returns the estimated height of the «说明：» lead-in and the notes (the first line of each
    indented two characters)."""
    lines = 1 + sum(-(-(display_width(note) + 8) // NOTE_UNITS) for note in notes)
    return lines * NOTE_LINE_PT


def note_lines(notes: list[str]) -> list[str]:
    """Returns the paragraphs under the table: «说明：», then the notes, numbered when there are
    several («1. …»), a single note unnumbered."""
    if not notes:
        return []
    if len(notes) == 1:
        return [TEXT["notes_heading"], notes[0]]
    return [TEXT["notes_heading"], *(f"{index}. {note}" for index, note in enumerate(notes, 1))]


def _paragraph(text: str, style_id: str | None, keep_next: bool) -> str:
    ppr = (f'<w:pStyle w:val="{style_id}"/>' if style_id else "") + ("<w:keepNext/>" if keep_next else "")
    return f'<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def score_process_xml(
    rows: list[dict[str, Any]], notes: list[str], ids: dict[str, str], room_pt: float = 0.0
) -> RawXml:
    """Returns the 计分过程 table and its notes as WordprocessingML for the template's
    ``{{p score_process }}`` (``rows``: the context's ``score.rows``; ``room_pt``: the points
    left under 附表2 on its last page, where the caption and the table begin). Where the table's
    last two rows with the notes kept to them are estimated to start a page, they are a second
    part after a page break: LibreOffice does not keep a table with the paragraph after it."""
    short = notes_pt(notes) <= SHORT_NOTES_PT
    grid = Grid(list(PROCESS_WIDTHS))
    header = tuple(GridCell(TEXT[key], bold=True) for key in PROCESS_HEADER)
    grid.rows.append(GridRow(header, header=True, shade=True))
    for index, row in enumerate(rows):
        cells = (
            GridCell(row["no"]),
            GridCell(row["title"], left=True),
            GridCell(row["explanation"], left=True),
        )
        grid.rows.append(GridRow(cells, keep_next=bool(notes) and index >= len(rows) - 2))
    lines = note_lines(notes)
    style_id = ids.get("note")
    paragraphs = [
        _paragraph(text, style_id, index < len(lines) - 1 and (short or index == 0))
        for index, text in enumerate(lines)
    ]
    heights = row_heights(grid, TABLE_LINE_PT, MM_PER_UNIT, CELL_PADDING_MM, FLOW_BORDER_PT)
    first = room_pt - CAPTION_PT
    if first < sum(heights[:2]):  # the caption and the table begin the next page
        first = FLOW_PAGE_PT - CAPTION_PT
    kept = notes_pt(notes) if short else notes_pt(notes[:1])
    parts = flowed(grid, heights, first, FLOW_PAGE_PT, kept if notes else 0.0)
    return RawXml(grids_xml(parts, ids) + "".join(paragraphs))

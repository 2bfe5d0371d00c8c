"""The missing-evidence report's last pages: «特此报告。» and the 落款 never on a page alone.

LibreOffice ignores «keep with next» across a table's rows, so where the 材料清单 (section 四)
ends at the foot of a page the closing and the 落款 would stand alone on the next one. Section 四
starts on a page of its own (its heading has a page break before it), and its tables are laid
out here as the template sets them: exact 16 pt lines in every cell (titles and names are
broken by docgen, one paragraph per line, so every row's height is known), a 6 pt paragraph
between two groups' tables, the column headings and the group's name repeated at the top of a
continuation page. Where the closing block (the notes, «特此报告。», the blank line, the 署名
and the date) would not fit under the last row with a margin, the last rows of the last table
start the next page as a table of their own (its headings and 类别 printed as Word would repeat
them), so the closing stands there with them.
"""

from __future__ import annotations

import math
from typing import Any

from docgen.word.layout import display_width

PAGE_PT = 637.8  # A4 between the GB/T 9704 margins (297 − 37 − 35 mm)
HEADING_PT = 46.0  # «四、材料清单核对» after its page break: 12 pt before, 28 pt line, 6 pt after
NOTES_HEADING_PT = 46.0  # a heading within the page: 12 pt before, 28 pt line, 6 pt after
TABLE_LINE_PT = 16.0  # Table Text: exactly 16 pt lines
BORDER_PT = 0.5  # a row's border
SPACER_PT = 6.5  # the paragraph that keeps two groups' tables apart
BODY_LINE_PT = 28.0  # Body Text and the 落款: exactly 28 pt lines
NOTE_LINE_PT = 20.0  # Note: exactly 20 pt lines
NOTE_UNITS = 73  # display units of a Note line (12 pt on 156 mm), the first indented by 4
MARGIN_PT = 24.0  # what the estimate keeps in hand: a closing it places is never pushed over
LAST_ROWS = 4  # rows that go with the closing to its page (or the whole group when fewer)


def row_pt(row: dict[str, Any]) -> float:
    """Returns a 材料 row's height: its most lines (title or identifier) of 16 pt, and a border."""
    lines = max(len(row.get("title_lines", [])), len(row.get("identifier_lines", [])), 1)
    return lines * TABLE_LINE_PT + BORDER_PT


def header_pt(group: dict[str, Any], units: float) -> float:
    """Returns the height of a group table's two header rows (column headings, the 类别)."""
    name_lines = max(math.ceil(display_width(group["name"]) / max(units, 1)), 1)
    return TABLE_LINE_PT + name_lines * TABLE_LINE_PT + 2 * BORDER_PT


def closing_pt(signature_lines: int, notes: list[str], notes_heading: str) -> float:
    """Returns the height of what follows the last table: the notes section (if any), «特此报告。»,
    the blank line, the 署名 lines and the date."""
    height = BODY_LINE_PT * (3 + signature_lines)
    if notes:
        height += NOTES_HEADING_PT if notes_heading else 0.0
        for index, note in enumerate(notes, 1):
            units = display_width(f"{index}. {note}") + 4
            height += math.ceil(units / NOTE_UNITS) * NOTE_LINE_PT
    return height


def last_page_room(groups: list[dict[str, Any]], units: float) -> tuple[float, int, int, int]:
    """Returns, for section 四 starting at the top of a page, the room left under its last table
    (points, after the spacer that follows it), the page the last group starts on, the page its
    last row is on (0 = the section's first page) and how many of its rows that page holds."""
    used, page, start_page, here = HEADING_PT, 0, 0, 0
    for group in groups:
        head = header_pt(group, units)
        rows = group["rows"]
        first = row_pt(rows[0]) if rows else 0.0
        if used + head + first > PAGE_PT:  # the headings never stay alone at the foot of a page
            page, used = page + 1, 0.0
        start_page, here = page, 0
        used += head
        for row in rows:
            height = row_pt(row)
            if used + height > PAGE_PT:  # the row starts the next page under the repeated headings
                page, used, here = page + 1, head, 0
            used += height
            here += 1
        used += SPACER_PT
    return PAGE_PT - used, start_page, page, here


def keep_closing(groups: list[dict[str, Any]], units: float, closing: float) -> list[dict[str, Any]]:
    """Returns section 四's groups, each marked ``new_page`` (False but where a table must start
    a page): when ``closing`` points would not fit under the last row (less ``MARGIN_PT``), or
    a continued table would leave a single row above the closing, the
    last group's last ``LAST_ROWS`` rows become a table of their own starting the next page (the
    whole group when it has no more rows, or no more than twice as many and starts on that page).
    The new table's first row prints its title in the table style, as a table's first row does."""
    out = [{**group, "new_page": False} for group in groups]
    if not out or not out[-1]["rows"]:
        return out
    room, start_page, end_page, here = last_page_room(out, units)
    if room >= closing + MARGIN_PT and (here >= 2 or start_page == end_page):
        return out  # the closing fits under at least two rows (or the whole short group)
    last = out[-1]
    if len(last["rows"]) <= LAST_ROWS or (start_page == end_page and len(last["rows"]) <= 2 * LAST_ROWS):
        last["new_page"] = True  # a short group moves whole
        return out
    cut = len(last["rows"]) - LAST_ROWS
    moved = list(last["rows"][cut:])
    # the part's first row names its document in the table style, as every table's first row
    moved[0] = {
        **moved[0],
        "title_lines": [{"lead": t["lead"] or t["repeat"], "repeat": ""} for t in moved[0]["title_lines"]],
    }
    out[-1] = {**last, "rows": last["rows"][:cut]}
    out.append({**last, "rows": moved, "new_page": True})
    return out

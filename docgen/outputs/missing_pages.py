"""The missing-evidence report's last pages: «特此报告。» and the 落款 never on a page alone.

LibreOffice ignores «keep with next» across a table's rows, so where the 材料清单 (section 四)
ends at the foot of a page the closing and the 落款 would stand alone on the next one. Where
section 四 starts is estimated from what precedes it (``preceding_pt``: sections 一–三 as the
template sets them, page by page); it follows on that page — no page break before it, never a
page left most empty — and where the room left would not hold its heading, the first group's
headings and a few rows (``starts_page``) the estimate starts it on the next page, where its
heading, kept with its rows, goes. Its tables are laid out here as the template sets them: exact 16 pt lines in every cell (titles and names are
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

from docgen.word.layout import display_width, wrap_lines

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


TITLE_PT = 48.0  # Title: a 36 pt line and 12 pt after
TITLE_UNITS = 40  # display units of a Title line (22 pt on 156 mm)
BODY_UNITS = 55  # display units of a Body Text or Subtitle line (16 pt on 156 mm)
FIRST_ROWS = 3  # rows section 四 must find room for under its headings to start on a page


class Flow:
    """A page-by-page estimate of a document's height: paragraphs break between lines, table rows
    never break (they start the next page under their table's repeated headings)."""

    def __init__(self) -> None:
        self.page, self.used = 0, 0.0

    def lines(self, count: int, line_pt: float, before: float = 0.0, after: float = 0.0) -> None:
        """A paragraph of ``count`` lines: split over a page only with two lines on each side
        (widow and orphan control), else moved whole to the next page."""
        self.used += before if self.used else 0.0
        room = int((PAGE_PT - self.used) // line_pt)
        if room < count:
            here = min(room, count - 2)
            if here < 2:
                self.page, self.used, here = self.page + 1, 0.0, 0
            count -= here
            if here:
                self.page, self.used = self.page + 1, 0.0
        self.used += count * line_pt + after

    def block(self, height: float, repeat: float = 0.0) -> None:
        """A row of ``height`` points; on a new page it follows the repeated ``repeat`` points."""
        if self.used + height > PAGE_PT:
            self.page, self.used = self.page + 1, repeat
        self.used += height

    def keep(self, height: float) -> None:
        """Starts the next page unless ``height`` points (a heading with what follows) fit."""
        if self.used + height > PAGE_PT:
            self.page, self.used = self.page + 1, 0.0


def text_lines(text: str, units: float, indent: float = 0) -> int:
    """Returns how many lines a paragraph of ``text`` takes, ``units`` display units a line."""
    return max(math.ceil((display_width(text) + indent) / units), 1)


def preceding_pt(context: dict[str, Any], units: dict[str, float]) -> float:
    """Returns how far down its last page what precedes section 四 reaches (points): the title
    block, sections 一–三 with their notes and tables (``units``: each table's title column
    capacity in display units, ``problems`` and ``shortfalls``)."""
    flow = Flow()
    flow.lines(text_lines(context["title"], TITLE_UNITS), TITLE_PT)
    for line in (context["subtitle"], context["program_line"], context["year_line"]):
        flow.lines(text_lines(line, BODY_UNITS), BODY_LINE_PT)
    flow.lines(1, BODY_LINE_PT, 12.0, 6.0)  # 一、总体情况
    for line in context["summary_printed"]:
        flow.lines(text_lines(line, BODY_UNITS, 4), BODY_LINE_PT)
    flow.lines(text_lines(context["rounding"], NOTE_UNITS, 4), NOTE_LINE_PT)
    flow.keep(NOTES_HEADING_PT + 3 * TABLE_LINE_PT)
    flow.lines(1, BODY_LINE_PT, 12.0, 6.0)  # 二、缺失或无法使用的材料
    for group in context["problem_groups"]:
        head = header_pt(group, units["problems"])
        flow.keep(head + (row_pt(group["rows"][0]) if group["rows"] else 0.0))
        flow.block(head)
        for row in group["rows"]:
            flow.block(row_pt(row), head)
        flow.block(SPACER_PT)
    flow.lines(text_lines(context["problems_note"], NOTE_UNITS, 4), NOTE_LINE_PT)
    flow.keep(NOTES_HEADING_PT + 3 * TABLE_LINE_PT)
    flow.lines(1, BODY_LINE_PT, 12.0, 6.0)  # 三、证明材料不足的指标（核减）
    if context["shortfalls"]:
        head = TABLE_LINE_PT + BORDER_PT
        flow.block(head)
        for row in context["shortfalls"]:
            lines = len(wrap_lines(row["label"], units["shortfalls"])) + len(row["needs_lines"])
            flow.block(lines * TABLE_LINE_PT + BORDER_PT, head)
    flow.lines(text_lines(context["shortfalls_note_printed"], NOTE_UNITS, 4), NOTE_LINE_PT)
    return flow.used


def starts_page(start: float, groups: list[dict[str, Any]], units: float) -> bool:
    """Returns whether section 四 starts a new page: when the ``start`` points what precedes it
    takes on its page leave no room for its heading, the first group's headings and its first
    FIRST_ROWS rows — a group no longer than that keeps with the next group's headings and first
    row, as LibreOffice keeps them (the spacer between two tables keeps with the next)."""
    if not groups:
        return False
    first = groups[0]
    needed = HEADING_PT + header_pt(first, units) + sum(row_pt(row) for row in first["rows"][:FIRST_ROWS])
    if len(first["rows"]) <= FIRST_ROWS and len(groups) > 1:  # a short table keeps with the next
        second = groups[1]
        needed += (
            SPACER_PT + header_pt(second, units) + (row_pt(second["rows"][0]) if second["rows"] else 0.0)
        )
    return start + needed > PAGE_PT


def last_page_room(
    groups: list[dict[str, Any]], units: float, start: float = 0.0
) -> tuple[float, int, int, int]:
    """Returns, for section 四 starting ``start`` points down a page (0: at its top), the room
    left under its last table (points, after the spacer that follows it), the page the last
    group starts on, the page its last row is on (0 = the section's first page) and how many of
    its rows that page holds."""
    used, page, start_page, here = start + HEADING_PT, 0, 0, 0
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


def keep_closing(
    groups: list[dict[str, Any]], units: float, closing: float, start: float = 0.0
) -> list[dict[str, Any]]:
    """Returns section 四's groups, each marked ``new_page`` (False but where a table must start
    a page): when ``closing`` points would not fit under the last row (less ``MARGIN_PT``), or
    a continued table would leave a single row above the closing, the
    last group's last ``LAST_ROWS`` rows become a table of their own starting the next page (the
    whole group when it has no more rows, or no more than twice as many and starts on that page).
    The new table's first row prints its title in the table style, as a table's first row does."""
    out = [{**group, "new_page": False} for group in groups]
    if not out or not out[-1]["rows"]:
        return out
    room, start_page, end_page, here = last_page_room(out, units, start)
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

"""CORE: the report's score table (附表2) — the program's own indicator system, scored.

Per line the table shows what the notice prints for it (its group cells with their weights, the
indicator as the notice's form names its column, 评价标准 where the notice gives criteria, else
基本要求 and 满分值), then the data value, the evaluated value, 达标情况 where the rule judges a
basic requirement, the weight and the score; closing rows 基本分, 加分 and 合计 sit inside the
table (SPEC §7). Columns are sized from their content (``word.layout``). The table is cut where
the pages end (estimated from the cells' line breaks, with a margin): every part repeats the
header and restarts its merged group cells, so each page shows its group labels; the closing
rows stay with the two lines before them and with the note (and seal lines) under them.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from docgen.model.attachments import Attachment
from docgen.model.definitions import Group, Indicator, Program
from docgen.model.results import IndicatorResult, ScoreCard
from docgen.numbers import fmt, fmt_against, fmt_fixed
from docgen.rules import RuleSet
from docgen.text.labels import TEXT
from docgen.text.punctuation import SEMICOLON
from docgen.word.grid import (
    Grid,
    GridCell,
    GridRow,
    flowed,
    grid_xml,
    grids_xml,
    merged,
    page_room,
    paginate,
    row_heights,
)
from docgen.word.layout import (
    display_width,
    fit_widths,
    label_lines,
    line_count,
    phrase_lines,
    widen_for_figures,
    widest_line,
)
from docgen.word.xml import RawXml

LANDSCAPE_TEXT_MM = 225.0  # A4 landscape between the GB/T 9704 margins (297 − 37 − 35)
MM_PER_UNIT = 10.5 * 25.4 / 72 / 2  # one display unit (half a 5号 character) in millimetres
PADDING_MM = 4.6  # the cell margins (2 × 1.5 mm) and what the renderer needs beyond the estimate
GROUP_UNITS = 16  # a group cell wraps after 8 characters, leaving the width to the criteria
TITLE_UNITS = 20  # an indicator's title beside its criteria wraps after 10 characters
CELL_PADDING_MM = 3.2  # the cell margins a line of text really loses (2 × 1.5 mm and the border)
TABLE_LINE_PT = 16.0  # Table Text: exactly 16 pt lines
# where Word (LibreOffice) really breaks a flowing table, as measured on the examples' pages:
# the landscape text height, the heading and caption above the table on its first page, a
# row's borders, the note and the seal lines under the table
FLOW_PAGE_PT = 438.0
FLOW_FIRST_PT = FLOW_PAGE_PT - 78
FLOW_BORDER_PT = 0.5
FLOW_NOTE_PT = 28.0
FLOW_SEAL_PT = 58.0
INDICATOR_KEYS = ("indicator", "indicator_weight", "indicator_criteria")
CRITERIA_KEYS = ("criteria", "indicator_criteria")


def indicator_attachment(program: Program) -> Attachment | None:
    """Returns the program's indicator form (附件N, part indicators), if it has one."""
    return next((a for a in program.attachments if a.part == "indicators"), None)


def group_weights(program: Program) -> dict[tuple[str, ...], Fraction]:
    """Returns each group's weight by its path (一级, 二级): stated, else the sum of its lines."""
    weights: dict[tuple[str, ...], Fraction] = {}

    def walk(groups: tuple[Group, ...], trail: tuple[str, ...]) -> Fraction:
        total = Fraction(0)
        for group in groups:
            path = (*trail, group.title)
            inner = walk(group.groups, path) + sum((i.weight for i in group.indicators), Fraction(0))
            weights[path] = group.weight if group.weight is not None else inner
            total += weights[path]
        return total

    walk(program.groups, ())
    return weights


def _titled(title: str, weight: Fraction | None) -> str:
    return TEXT["score_group_weight"].format(title=title, weight=fmt(weight)) if weight is not None else title


def _requirement(
    rules: RuleSet, indicator: Indicator, result: IndicatorResult | None, attachment: Attachment | None
) -> tuple[str, str]:
    """Returns the 基本要求 and 满分值 cells as the program's form prints them: the published cell
    text (the attachment's ``cells``, as ``outputs.forms`` prints it), else the definition's text,
    else what the rule declares, a tiered value resolved to the number the line was scored
    against (its bounds), with the operator the published cells put before a requirement."""
    declared = rules.requirements(indicator.rule)
    bounds = result.bounds if result is not None else ()
    operator = _published_operator(attachment)
    cells = []
    for index, key in enumerate(("basic", "full")):
        requirement = declared.get(key)
        published = attachment.cell(indicator.id, key) if attachment is not None else None
        if published is not None:
            cells.append(published or "—")
        elif key == "basic" and indicator.basic_text:
            cells.append(indicator.basic_text)
        elif requirement is not None and not isinstance(requirement.value, dict):
            cells.append(f"{requirement.prefix}{fmt(Fraction(str(requirement.value)))}")
        elif requirement is not None and len(bounds) > index:
            prefix = requirement.prefix or (operator if key == "basic" else "")
            cells.append(f"{prefix}{fmt(bounds[index])}")
        elif key == "full" and "basic" in declared and len(bounds) == 2:
            cells.append(fmt(bounds[1]))  # the 满分值 the line was scored against (cohort or reference)
        else:
            cells.append("—")
    return cells[0], cells[1]


def _published_operator(attachment: Attachment | None) -> str:
    """Returns the operator every published 基本要求 cell of the form starts with («≥»), or ""."""
    if attachment is None:
        return ""
    texts = [dict(texts).get("basic", "") for _, texts in attachment.cells]
    numbered = [t for t in texts if t and t[0] in "≥>"]
    first = {t[0] for t in numbered}
    return (
        first.pop() if len(first) == 1 and len(numbered) == len([t for t in texts if t and t != "—"]) else ""
    )


def _value(value: Fraction | None, unit: str, bounds: Sequence[Fraction]) -> str:
    """Returns a value with the digits that decide it against its bounds (4.00% for percentages)."""
    if value is None:
        return "—"
    text = fmt_against(value, *bounds, fixed=unit == "%")
    return text + "%" if unit == "%" else text


def _chosen(result: IndicatorResult) -> list[str]:
    """Returns the data and evaluated cells of a line scored from several options (best_of,
    sum_of): the figures of the options that gave the score, each data value named by its option
    as a clerk writes it («省领军人才2人», «国家级人才1人；省领军人才1人»), an evaluated value
    with a unit where it is not the line's own."""
    values, evaluated = [], []
    for option in result.choice:
        unit = "" if option.unit in ("%", result.unit) else option.unit
        value = _value(option.value, option.unit, option.value_bounds)
        named = value + ("" if option.unit == "%" else option.unit)
        values.append(TEXT["score_option_value"].format(value=named, title=option.title))
        evaluated.append(_value(option.evaluated, option.unit, option.bounds) + unit)
    return [SEMICOLON.join(values), SEMICOLON.join(evaluated)]


def score_grid(program: Program, card: ScoreCard, rules: RuleSet, total_label: str) -> Grid:
    """Returns 附表2 as a grid (columns sized to fit the landscape page)."""
    attachment = indicator_attachment(program)
    titles = {c.key: c.title for c in attachment.columns} if attachment else {}
    depth = max((len(i.group) for i in program.indicators), default=1)
    depth = min(max(depth, 1), 2)
    weights = group_weights(program)
    results = {r.id: r for r in (*card.indicators, *card.bonus)}
    criteria = any(i.criteria for i in (*program.indicators, *program.bonus))
    met = any(r.met is not None for r in results.values())
    declared = [rules.requirements(i.rule) for i in (*program.indicators, *program.bonus)]
    full = not criteria and any("full" in d or ("basic" in d and not met) for d in declared)

    group_titles = [TEXT["score_col_group1"], TEXT["score_col_group2"]][:depth]
    indicator_title = next(
        (titles[k] for k in INDICATOR_KEYS if k in titles),
        TEXT["score_col_indicator2" if depth == 2 else "score_col_group2"],
    )
    header = [*group_titles, indicator_title]
    header += [TEXT["score_col_criteria"]] if criteria else [TEXT["score_col_basic"]]
    if full:
        header.append(TEXT["score_col_full"])
    header += [TEXT["score_col_unit"], TEXT["score_col_value"], TEXT["score_col_evaluated"]]
    if met:
        header.append(TEXT["score_col_met"])
    header += [TEXT["score_col_weight"], TEXT["score_col_score"]]

    lines: list[list[str]] = []
    keys: list[list[str]] = []
    for indicator in (*program.indicators, *program.bonus):
        result = results.get(indicator.id)
        if indicator.bonus:
            path: tuple[str, ...] = (program.bonus_title,) * depth
            groups = [_titled(program.bonus_title, program.max_bonus)] + [""] * (
                depth - 1
            )  # one blank 二级 cell
        else:
            path = (*indicator.group, *([""] * depth))[:depth]
            groups = [
                _titled(p, weights.get(indicator.group[: n + 1])) if p else "" for n, p in enumerate(path)
            ]
        cells = [*groups, indicator.title]
        basic, full_value = _requirement(rules, indicator, result, attachment)
        cells.append((indicator.criteria or "—") if criteria else basic)
        if full:
            cells.append(full_value)
        unit = indicator.unit
        cells.append(unit or "—")
        if result is not None and result.rating:  # a rated line: the word it was rated with
            cells += [result.rating, result.rating]
        elif result is not None and result.value is None and result.choice:  # scored from options
            cells += _chosen(result)
        else:
            cells.append(_value(result.value, unit, result.value_bounds) if result else "—")
            cells.append(_value(result.evaluated, unit, result.bounds) if result else "—")
        if met:
            cells.append(
                "—"
                if result is None or result.met is None
                else TEXT["form_met" if result.met else "form_not_met"]
            )
        cells.append(("≤" if indicator.bonus else "") + fmt(indicator.weight))
        cells.append(fmt_fixed(result.score) if result else "—")
        lines.append(cells)
        keys.append(["\x00".join(path[: n + 1]) if path[n] else "" for n in range(depth)])

    closing: list[tuple[str, str, str]] = []
    if program.bonus:
        closing.append((TEXT["score_row_base"], fmt(program.max_score), fmt_fixed(card.base_score)))
        closing.append((TEXT["score_row_bonus"], "≤" + fmt(program.max_bonus), fmt_fixed(card.bonus_score)))
    closing.append((total_label, fmt(program.max_score + program.max_bonus), fmt_fixed(card.total)))

    widths = _widths(header, lines, criteria, depth)
    grid = Grid(widths)
    grid.rows.append(GridRow(tuple(GridCell(h, bold=True) for h in header), header=True, shade=True))
    merges = [merged([k[c] for k in keys]) for c in range(depth)]
    left = {depth, depth + 1} if criteria else {depth}
    for index, cells in enumerate(lines):
        keep = index >= len(lines) - 2  # the last two lines stay with the closing rows
        row = tuple(
            GridCell(text, merge=merges[c][index] if c < depth else "", left=c in left)
            for c, text in enumerate(cells)
        )
        grid.rows.append(GridRow(row, keep_next=keep))
    span = len(header) - 2
    for label, weight, score in closing:
        row = (GridCell(label, span=span, bold=True), GridCell(weight), GridCell(score, bold=True))
        grid.rows.append(GridRow(row, keep_next=True))  # and the 核定分 note under them
    return grid


FIGURE_UNITS = 10  # a figure column grows to this many half-width characters for a wrapped note
FIGURE_LINES = 3  # and would like every note («3.49%（研发经费支出…的比重）») in this many lines


def _widths(header: list[str], lines: list[list[str]], criteria: bool, depth: int) -> list[float]:
    """Returns column widths (mm) from the cells' text: every column at least as wide as its
    header's longest word and its widest number, growing towards one line per cell."""
    columns = list(zip(header, *lines, strict=True))
    minimums: list[float] = []
    preferred: list[float] = []
    weights: list[float] = []
    for index, column in enumerate(columns):
        head, *cells = column
        short = display_width(head) <= 8  # a header of up to four characters stays on one line
        head_units = display_width(head) if short else max(display_width(head) / 2, 8)
        number_units = max((display_width(c) for c in cells if not _wraps(c)), default=0)
        minimum = max(head_units, number_units, 8 if index <= depth else 0)
        widest = max([widest_line(c) for c in cells] + [head_units])  # a header may take two lines
        if index < depth or (criteria and index == depth):
            widest = min(widest, GROUP_UNITS if index < depth else TITLE_UNITS)  # these may wrap
        elif index > depth and number_units:  # a figure column: a figure's note wraps under it
            widest = min(widest, max(number_units, head_units, FIGURE_UNITS, _fits_lines(cells)))
        minimums.append(minimum * MM_PER_UNIT + PADDING_MM)
        preferred.append(widest * MM_PER_UNIT + PADDING_MM)
        wide = index == depth or (criteria and index == depth + 1)
        weights.append(3 if wide else 0.2)
    return fit_widths(minimums, preferred, weights, LANDSCAPE_TEXT_MM)


def _fits_lines(cells: Sequence[str]) -> int:
    """Returns the fewest display units a line needs so that every cell takes at most
    ``FIGURE_LINES`` lines (as ``row_heights`` breaks them, at the cell's padding)."""
    units = 1
    slack = (CELL_PADDING_MM - PADDING_MM) / MM_PER_UNIT  # the preferred width's extra padding
    while any(line_count(c, units - slack) > FIGURE_LINES for c in cells if c):
        units += 1
    return units


def _wraps(text: str) -> bool:
    """Returns True for a cell that may wrap (it holds CJK text), False for a number or a word."""
    return any(display_width(ch) == 2 for ch in text) and len(text) > 4


def score_table_xml(
    program: Program, card: ScoreCard, rules: RuleSet, total_label: str, ids: dict[str, str]
) -> RawXml:
    """Returns 附表2 as WordprocessingML for the template's ``{{p score_table }}``: one table
    that flows over the landscape pages, the header repeated, its group labels shown on every
    page (``score_flow``)."""
    return RawXml(grids_xml(score_flow(program, card, rules, total_label), ids))


def score_flow(program: Program, card: ScoreCard, rules: RuleSet, total_label: str) -> list[Grid]:
    """Returns 附表2 as one table Word lets flow (no page break of docgen's: an estimate that
    errs would leave a page mostly empty), its merged group cells restarted where the pages are
    estimated to begin; the last two lines, the closing rows, the note and the seal lines are
    kept together (keep-with-next), so no page holds the totals alone (a second part after a
    page break where they are estimated to start a page: ``grid.flowed``)."""
    grid, heights, tail = _score_flow_inputs(program, card, rules, total_label)
    return flowed(grid, heights, FLOW_FIRST_PT, FLOW_PAGE_PT, tail)


def score_room(program: Program, card: ScoreCard, rules: RuleSet, total_label: str) -> float:
    """Returns the points estimated to be left under 附表2's note and seal on its last page
    (where the 计分过程 begins)."""
    grid, heights, tail = _score_flow_inputs(program, card, rules, total_label)
    return page_room(grid, heights, FLOW_FIRST_PT, FLOW_PAGE_PT, tail)


def _score_flow_inputs(
    program: Program, card: ScoreCard, rules: RuleSet, total_label: str
) -> tuple[Grid, list[float], float]:
    grid = score_grid(program, card, rules, total_label)
    heights = row_heights(grid, TABLE_LINE_PT, MM_PER_UNIT, CELL_PADDING_MM, FLOW_BORDER_PT)
    sealed = any(a.part == "indicators" and a.sealed for a in program.attachments)
    return grid, heights, FLOW_NOTE_PT + (FLOW_SEAL_PT if sealed else 0)


DATA_LINE_PT = 15.0  # 附表1's lines, as the forms' tables (form_layout.TABLE_LINE_PT): one page
DATA_WIDTHS = [12.0, 112.0, 14.0, 18.0]  # 序号, 指标名称 (28 characters on one line), 单位, 数据值
HEADER_WIDTHS = [34.0, 48.0, 30.0, 44.0]  # the header block: label, value, label, value
EVIDENCE_WIDTHS = [34.0, 88.0, 14.0, 22.0]  # 类别, 材料, 页数, 状态
# the portrait page in points (225 mm of text height), less a margin for the estimate's error;
# a 附表's first page also holds its heading (and the data table its caption and header block)
PORTRAIT_PT = 638 * 0.96
HEADING_PT = 44.0
SUMMARY_PT = 34.0  # the sentence under the evidence list
MIN_LAST_ROWS = 6  # a continuation page holds at least this many rows, not two and the seal alone
GAP = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="160" w:lineRule="exact"/>'
    '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
)


def header_grid(layout: list[list[tuple[str, str]]]) -> Grid:
    """Returns the data table's header block: label/value pairs, two a row, a row of one pair
    spanning the table («企业名称»), as the data table's attachment lays it out."""
    grid = Grid(_header_widths(layout))
    for pairs in layout:
        cells: list[GridCell] = []
        for label, value in pairs:
            cells.append(GridCell(label))
            cells.append(GridCell(value, span=3 if len(pairs) == 1 else 1, left=True))
        while sum(c.span for c in cells) < len(HEADER_WIDTHS):
            cells.append(GridCell(""))
        grid.rows.append(GridRow(tuple(cells)))
    return grid


def _header_widths(layout: list[list[tuple[str, str]]]) -> list[float]:
    """Returns the header block's widths (mm, the table's 156): each label column as wide as its
    longest label on one line, the two value columns sharing the rest in proportion to the text
    they hold (between two fifths and three fifths each), so a long 主营业务 or 通讯地址 takes
    fewer lines. A layout without labels keeps ``HEADER_WIDTHS``."""
    pairs = [row for row in layout if len(row) == 2]
    if not pairs:
        return list(HEADER_WIDTHS)
    labels = [max(display_width(row[n][0]) for row in pairs) * MM_PER_UNIT + PADDING_MM for n in (0, 1)]
    texts = [sum(display_width(row[n][1]) for row in pairs) for n in (0, 1)]
    rest = sum(HEADER_WIDTHS) - sum(labels)
    share = min(max(texts[0] / sum(texts), 0.4), 0.6) if sum(texts) else 0.5
    return [labels[0], rest * share, labels[1], rest * (1 - share)]


def data_table_xml(table: dict[str, Any], ids: dict[str, str]) -> RawXml:
    """Returns 附表1 as WordprocessingML: the header block laid out as the notice's data table
    (``header_rows``), then the figures (序号, 指标名称, 单位, 数据值) in one table that flows
    over the pages with its header row repeated (no page break of docgen's: the table has no
    merged cells to repeat); a «其中» row keeps with its parent, the last two rows with the seal
    lines, so the seal never stands alone."""
    head = header_grid(table["header_rows"])
    widths = widen_for_figures(list(DATA_WIDTHS), 3, [row["value"] for row in table["rows"]], 1)
    grid = Grid(widen_for_figures(widths, 2, [row["unit"] for row in table["rows"]], 1))  # «百分点»
    header = [TEXT["data_col_no"], TEXT["data_col_label"], TEXT["score_col_unit"], TEXT["score_col_value"]]
    grid.rows.append(GridRow(tuple(GridCell(h, bold=True) for h in header), header=True, shade=True))
    rows = table["rows"]
    for index, row in enumerate(rows):
        cells = (
            GridCell(row["no"]),
            GridCell(row["label"], left=True),
            GridCell(row["unit"]),
            GridCell(row["value"]),
        )
        below = rows[index + 1] if index + 1 < len(rows) else None
        sub_row = below is not None and not below["no"]  # a «其中» row stays with its parent
        last = index == len(rows) - 2 or (index == len(rows) - 1 and bool(table.get("sealed")))
        grid.rows.append(GridRow(cells, keep_next=last or sub_row))  # the last two with the seal
    line = DATA_LINE_PT
    return RawXml(grid_xml(head, ids, line_pt=line) + GAP + grid_xml(grid, ids, line_pt=line))


BODY_UNITS = 55  # display units of a Body Text line (三号 on 156 mm)
BODY_LINE_PT = 28.0  # Body Text: exactly 28 pt lines


ELIGIBILITY_WIDTHS = (62.0, 72.0, 24.0)  # 附表3's columns in mm, as tools/make_templates.py sets them
FOLD_LIMIT_PT = PORTRAIT_PT / 2  # 附表3 shares 附表4's page when it takes at most half a page


def folded_pt(eligibility: dict[str, Any]) -> float:
    """Returns the height 附表3 takes above 附表4 on its page when it is short (its heading, its
    table of a few limiting indicators and its sentence, or the sentence alone where the notice
    sets none: at most half a page, which the template then does not leave mostly empty), else
    0 (附表4 starts a page)."""
    lines = -(-(display_width(eligibility["summary"]) + 4) // BODY_UNITS)  # the first line indented
    height = HEADING_PT + lines * BODY_LINE_PT
    if eligibility["rows"]:
        grid = Grid(list(ELIGIBILITY_WIDTHS))
        header = [
            TEXT[k] for k in ("eligibility_col_title", "eligibility_col_detail", "eligibility_col_result")
        ]
        grid.rows.append(GridRow(tuple(GridCell(h, bold=True) for h in header), header=True))
        for row in eligibility["rows"]:
            cells = (
                GridCell(row["title"], left=True),
                GridCell(row["detail"], left=True),
                GridCell(row["result"]),
            )
            grid.rows.append(GridRow(cells))
        height += sum(row_heights(grid, TABLE_LINE_PT, MM_PER_UNIT, CELL_PADDING_MM))
    return height if height <= FOLD_LIMIT_PT else 0.0


def _titled_lines(row: dict[str, str], room: float) -> str:
    """Returns a 材料 cell as lines: the document's title broken between phrases, its item's
    identifier («DL/T 2045-2019», a name) after it on the same line where it fits whole, else
    on a line of its own, so a code or a number is never broken («DL/T 2045-|2019»)."""
    identifier = row.get("identifier", "")
    if not identifier or display_width(row["title"]) <= room:
        return "\n".join(phrase_lines(row["title"], room))
    colon = row["title"][len(row["name"]) : len(row["title"]) - len(identifier)]  # «：»
    lines = phrase_lines(row["name"] + colon, room)  # the colon stays with the title
    if display_width(lines[-1] + identifier) <= room:
        lines[-1] += identifier
    else:
        lines += phrase_lines(identifier, room)
    return "\n".join(lines)


def evidence_table_xml(rows: list[dict[str, str]], ids: dict[str, str], above_pt: float = 0.0) -> RawXml:
    """Returns 附表4 (类别, 材料, 页数, 状态) as WordprocessingML: the 类别 cells merged over their
    rows, the table cut where the pages end so that every page repeats the header and shows its
    类别 label, the last page with several rows above the summary sentence; its first page holds
    ``above_pt`` points of 附表3 above its heading (``folded_pt``)."""
    grid = Grid(list(EVIDENCE_WIDTHS))
    header = [TEXT[k] for k in ("evidence_col_group", "evidence_col_title", "evidence_col_pages")]
    header.append(TEXT["evidence_col_status"])
    grid.rows.append(GridRow(tuple(GridCell(h, bold=True) for h in header), header=True, shade=True))
    merges = merged([row["group"] for row in rows])
    room = (EVIDENCE_WIDTHS[0] - CELL_PADDING_MM) / MM_PER_UNIT
    title_room = (EVIDENCE_WIDTHS[1] - CELL_PADDING_MM) / MM_PER_UNIT
    for index, row in enumerate(rows):
        cells = (
            GridCell("\n".join(label_lines(row["group"], room)), merge=merges[index]),  # never mid-word
            GridCell(_titled_lines(row, title_room), left=True),
            GridCell(row["pages"]),
            GridCell(row["status"]),
        )
        grid.rows.append(GridRow(cells, keep_next=index >= len(rows) - 2))
    heights = row_heights(grid, TABLE_LINE_PT, MM_PER_UNIT, CELL_PADDING_MM)
    first = PORTRAIT_PT - HEADING_PT - above_pt
    parts = paginate(grid, heights, first, PORTRAIT_PT, 0, SUMMARY_PT, MIN_LAST_ROWS)
    return RawXml(grids_xml(parts, ids))

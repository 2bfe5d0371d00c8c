"""Score cards and evidence → the missing-evidence report's context (.docx) and its Markdown twin.

Pure data shaping: strings for every table cell, no I/O. The report reads as an official
document: title, 申报单位 and 申报项目 under it, the applicant's name above the date at the end
(GB/T 9704 7.3.5.1). Documents are named by their checklist titles, never by a file path; an
item's identifier (a name, a patent number) has a column of its own, sized from the content with
``docgen.word.layout`` and broken between phrases only. Sections 二 and 四 are one table per
checklist group, its 类别 a header row repeated on every page (``grouped``). Differences are
computed from the printed figures, so they add up on paper.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from itertools import pairwise
from typing import Any

from docgen.model.answers import AnswerSet
from docgen.model.definitions import Program
from docgen.model.results import DocumentStatus, EvidenceReport, IndicatorResult, ScoreCard
from docgen.numbers import fmt_against, fmt_fixed
from docgen.outputs.contexts import applicant_name, document_rows, format_date
from docgen.outputs.missing_pages import closing_pt, keep_closing, preceding_pt, starts_page
from docgen.text.labels import TEXT
from docgen.text.outputs_text import OUTPUTS_TEXT
from docgen.text.punctuation import ENUM_COMMA, OPEN_PAREN, SEMICOLON
from docgen.word.layout import (
    _tokens,
    char_width,
    display_width,
    figure_breaks,
    fit_widths,
    phrase_lines,
    widest_line,
)

TEXT_WIDTH = 8844  # twips between the margins of an A4 page with GB/T 9704 margins (156 mm)
TABLE_FONT_PT = 10.5  # the template's «Table Text» (五号)
UNIT = TABLE_FONT_PT * 10  # twips per display unit: half an em (a CJK character is 2 units)
CELL_MARGIN = 108  # twips left and right in every cell (Word's default, 0.19 cm)
SLACK = 40  # twips each column keeps beyond its estimated text (bold titles, rounding)
NAME_LIMIT = 24  # display units: an identifier up to 12 characters is kept on one line
TITLE_CAP = 28  # a title column would like 14 characters a line (the longest titles in two lines)
IDENTIFIER_CAP = 40  # an identifier column would like 20 characters (a platform's or award's name)
BODY_UNIT = 160  # twips per display unit of the body text (三号, 16 pt)
NOTE_UNIT = 120  # twips per display unit of the notes (小四, 12 pt)
SIGNATURE_MARGIN = 4  # display units (two characters) right of the 署名 (GB/T 9704 7.3.5.1)

# how each column of the report's tables is sized: "wrap" text may break between words, would
# like its widest line up to a cap (display units; 0: none) and shares what is left over by its
# weight; "name" keeps an identifier whole where it can; "fixed" never breaks
Column = tuple[str, str, int, int]
# the .docx prints the 类别 as a full-width row heading each group (its own table, see
# ``grouped``); the Markdown twin keeps it as the first column
GROUP_COLUMN: Column = ("me_col_group", "wrap", 1, 12)
PROBLEM_COLUMNS: tuple[Column, ...] = (
    ("me_col_title", "wrap", 1, TITLE_CAP),
    ("me_col_identifier", "name", 1, IDENTIFIER_CAP),
    ("me_col_problem", "fixed", 0, 0),
)
DOCUMENT_COLUMNS: tuple[Column, ...] = (
    ("me_col_title", "wrap", 1, TITLE_CAP),
    ("me_col_identifier", "name", 1, IDENTIFIER_CAP),
    ("me_col_pages", "fixed", 0, 0),
    ("me_col_status", "fixed", 0, 0),
)
SHORTFALL_COLUMNS: tuple[Column, ...] = (
    ("me_col_indicator", "wrap", 1, 0),
    ("me_col_claimed", "fixed", 0, 0),
    ("me_col_evidenced", "fixed", 0, 0),
    ("me_col_claimed_score", "fixed", 0, 0),
    ("me_col_evidenced_score", "fixed", 0, 0),
    ("me_col_effect", "fixed", 0, 0),
)
SHORTFALL_KEYS = ("label", "claimed", "evidenced", "claimed_score", "evidenced_score", "effect")
PROBLEM_KEYS = ("name", "identifier", "status")
DOCUMENT_KEYS = ("name", "identifier", "pages", "status")


def grouped(rows: list[dict[str, str]], widths: list[int]) -> list[dict[str, Any]]:
    """Returns the rows of a 材料 table as groups, one table each in the .docx: the group's name
    (类别) is a row under the column headings, both repeated by Word at the top of every page the
    group continues on, so no page shows rows without their 类别 whatever Word's page breaks.

    Each row carries its title, as lines broken between phrases (``phrase_lines`` for the column
    ``widths[0]`` twips wide; the identifier's lines for ``widths[1]``): ``lead`` on the first row
    of a document, ``repeat`` (printed lighter) on the rows of its further items, so an item at
    the top of a page still names its document.
    """
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["name"] != row["group"]:
            groups.append({"name": row["group"], "rows": [], "new_page": False})
        items = groups[-1]["rows"]
        again = bool(items) and items[-1]["name"] == row["name"]
        lines = phrase_lines(row["name"], capacity(widths[0]))
        items.append(
            {
                **row,
                "title_lines": [{"lead": "" if again else t, "repeat": t if again else ""} for t in lines],
                "identifier_lines": phrase_lines(row["identifier"], capacity(widths[1])),
            }
        )
    return groups


def widest_token(text: str) -> int:
    """Returns the display width of the widest piece of ``text`` that a line may not break."""
    return max((display_width(t) for line in text.split("\n") for t in _tokens(line)), default=0)


def column_twips(columns: tuple[Column, ...], rows: list[list[str]]) -> list[int]:
    """Returns the widths (twips) of a table's columns, adding up to the text width.

    A "fixed" column is as wide as its widest cell or header; a "name" column as its widest
    identifier when that has at most NAME_LIMIT units, else as its widest token, and would like
    its widest line up to its cap; a "wrap" column at least as its widest token and would like
    its widest line (up to its cap). The rest goes to the "wrap"
    columns in proportion to their weights.
    """
    minimums: list[float] = []
    preferred: list[float] = []
    weights: list[float] = []
    for index, (key, kind, weight, cap) in enumerate(columns):
        cells = [row[index] for row in rows]
        header = widest_line(TEXT[key])
        widest = max((widest_line(c) for c in cells), default=0)
        tokens = max((widest_token(c) for c in cells), default=0)
        if kind == "fixed":  # never broken: room for the gap LibreOffice sets between «16» and «人月»
            least = wanted = max(header, max((widest_line(c) + script_changes(c) for c in cells), default=0))
        elif kind == "name":
            whole = [widest_line(c) for c in cells if widest_line(c) <= NAME_LIMIT]
            least = max(header, tokens, *whole)
            wanted = max(least, min(widest, cap))
        else:
            least = max(header, tokens, 8)
            wanted = max(least, min(widest, cap) if cap else widest)
        minimums.append(least * UNIT + 2 * CELL_MARGIN + SLACK)
        preferred.append(wanted * UNIT + 2 * CELL_MARGIN + SLACK)
        weights.append(weight)
    widths = [int(w) for w in fit_widths(minimums, preferred, weights, TEXT_WIDTH)]
    widths[-1] += TEXT_WIDTH - sum(widths)
    return widths


def script_changes(text: str) -> int:
    """Returns how often ``text`` passes between CJK and Western characters (a word processor
    sets a gap of about a quarter em at each: «16人月» is wider than its characters)."""
    widths = [char_width(ch) for ch in text if not ch.isspace()]
    return sum(1 for a, b in pairwise(widths) if a != b)


def material_twips(
    columns: tuple[Column, ...], keys: tuple[str, ...], rows: list[dict[str, str]]
) -> list[int]:
    """Returns a 材料 table's column widths (``column_twips``); its «所列编号或名称» column (the
    second) is 0 wide, and left out of the .docx, when no row has an identifier."""
    if any(r["identifier"] for r in rows):
        return column_twips(columns, [[r[k] for k in keys] for r in rows])
    kept = tuple(k for k in keys if k != "identifier")
    widths = column_twips((columns[0], *columns[2:]), [[r[k] for k in kept] for r in rows])
    return [widths[0], 0, *widths[1:]]


def capacity(twips: int) -> float:
    """Returns how many display units of table text a column ``twips`` wide holds on a line."""
    return max((twips - 2 * CELL_MARGIN) / UNIT, 1)


def signature_lines(company: str, room: int) -> list[str]:
    """Returns the 署名 as whole lines of at most ``room`` display units: one line when it fits,
    else broken before a «（» (the 牵头单位 of an alliance) and, only where a part is still too
    long, between characters."""
    if display_width(company) <= room:
        return [company]
    parts: list[str] = []
    for piece in company.replace(OPEN_PAREN, OUTPUTS_TEXT["missing.break_before_paren"]).split("\n"):
        if parts and display_width(parts[-1] + piece) <= room:
            parts[-1] += piece
        elif piece:
            parts.append(piece)
    lines: list[str] = []
    for part in parts:
        while display_width(part) > room:
            cut = len(part)
            while display_width(part[:cut]) > room:
                cut -= 1
            lines.append(part[:cut])
            part = part[cut:]
        lines.append(part)
    return lines


def signature(company: str, date: str) -> dict[str, Any]:
    """Returns the 落款: the 署名 lines and the 成文日期 under them with their right indents
    (twips). The name stands two characters from the right margin, the date starts two
    characters right of the name (GB/T 9704 7.3.5.1); a date longer than the name stays two
    characters from the margin and moves the name left. A name wider than the text block is
    broken into whole lines (``signature_lines``), each right-aligned; no indent ever leaves a
    line less room than its text needs."""
    room = TEXT_WIDTH // BODY_UNIT - SIGNATURE_MARGIN
    lines = signature_lines(company, room)
    name_w, date_w = max(display_width(line) for line in lines), display_width(date)
    name_right = SIGNATURE_MARGIN
    date_right = name_right + name_w - date_w - SIGNATURE_MARGIN
    if date_right < SIGNATURE_MARGIN:
        date_right = SIGNATURE_MARGIN
        name_right = date_right + date_w + SIGNATURE_MARGIN - name_w
    limit = TEXT_WIDTH // BODY_UNIT
    name_right = max(0, min(name_right, limit - name_w))
    date_right = max(0, min(date_right, limit - date_w))
    return {
        "name": company,
        "lines": lines,
        "date": date,
        "name_indent": str(name_right * BODY_UNIT),
        "date_indent": str(date_right * BODY_UNIT),
    }


def printed_difference(first: str, second: str, sign: bool = False) -> str:
    """Returns ``first`` − ``second`` of two printed figures, with their decimals («+1.83»)."""
    difference = Decimal(first) - Decimal(second)
    places = max(-Decimal(first).as_tuple().exponent, -Decimal(second).as_tuple().exponent, 0)  # type: ignore[operator]
    return format(difference, f"{'+' if sign else ''}.{places}f")


def missing_context(
    program: Program,
    answers: AnswerSet,
    claimed: ScoreCard,
    evidenced: ScoreCard,
    evidence: EvidenceReport,
    day: dt.date,
    bundle_font_embedded: bool = True,
    line_keys: Mapping[str, frozenset[str]] | None = None,
) -> dict[str, Any]:
    """Returns the missing-evidence report's context (also used for the Markdown version).

    ``bundle_font_embedded`` False: the evidence bundle's own pages use the reader's built-in
    font (no CJK font on this machine), which the 说明 says. ``line_keys``: the figures and
    ratings each scored line reads (by indicator id), to name under a cut line the documents
    that would prove it.
    """
    problems = [d for d in evidence.documents if not d.usable]
    claimed_text, evidenced_total = fmt_fixed(claimed.total), fmt_fixed(evidenced.total)
    summary = [
        TEXT["me_claimed"].format(
            label=TEXT["me_label_reference" if claimed.reference else "me_label"],
            claimed=claimed_text,
            evidenced=evidenced_total,
            diff=printed_difference(claimed_text, evidenced_total),
        )
    ]
    before = TEXT["eligible"] if claimed.eligible else TEXT["ineligible"]
    after = TEXT["eligible"] if evidenced.eligible else TEXT["ineligible"]
    if not claimed.eligibility:
        pass  # no limiting indicators: nothing to say about them
    elif before == after:
        summary.append(TEXT["me_eligibility_same"].format(result=after))
    else:
        failed = SEMICOLON.join(
            OUTPUTS_TEXT["missing.eligibility_detail"].format(title=e.title, detail=e.detail)
            for e in evidenced.eligibility
            if not e.passed
        )
        summary.append(TEXT["me_eligibility_changed"].format(before=before, after=after, failed=failed))
    if problems:
        summary.append(
            TEXT["me_missing_count"].format(
                count=len(problems), required=sum(1 for d in problems if d.required)
            )
        )
    else:
        summary.append(TEXT["me_no_problems"])
    problem_rows = document_rows(problems)
    document_table = document_rows(evidence.documents)
    shortfall_rows, unchanged = shortfall_lines(claimed, evidenced, evidence.documents, line_keys or {})
    effects = sum((Decimal(r["effect"]) for r in shortfall_rows), Decimal(0))
    total_diff = printed_difference(evidenced_total, claimed_text)
    notes_after = [TEXT["me_shortfalls_note"]] if shortfall_rows else [TEXT["me_no_shortfalls"]]
    if shortfall_rows and effects != Decimal(total_diff):
        notes_after.append(
            TEXT["me_rounding"].format(
                printed=format(-effects, ".2f"), diff=format(-Decimal(total_diff), ".2f")
            )
        )
    if unchanged:
        notes_after.append(TEXT["me_unchanged"].format(lines=SEMICOLON.join(unchanged)))
    date = format_date(day)
    widths = {
        "problems": material_twips(PROBLEM_COLUMNS, PROBLEM_KEYS, problem_rows),
        "documents": material_twips(DOCUMENT_COLUMNS, DOCUMENT_KEYS, document_table),
        "shortfalls": column_twips(
            SHORTFALL_COLUMNS, [[r[k] for k in SHORTFALL_KEYS] for r in shortfall_rows]
        ),
    }
    room = capacity(widths["shortfalls"][0])  # «缺：…» under the name, broken between titles
    shortfalls = [
        {**r, "needs_lines": phrase_lines(r["needs"], room) if r["needs"] else []} for r in shortfall_rows
    ]
    applicant = applicant_name(program, answers)  # an alliance with its 牵头单位, which seals
    notes = [] if bundle_font_embedded else [TEXT["me_font_fallback"]]
    unit = str(answers.profile.get(program.sealed_by) or "") if program.sealed_by else ""
    # the 落款: the applicant, which seals; an alliance (no seal of its own) names itself under
    # 申报单位 and its 牵头单位 seals, as on the report's cover
    sealer = TEXT["me_sealed"].format(label=program.sealed_by_label, unit=unit) if unit else ""
    closing = signature(sealer or applicant, date)
    closing_height = closing_pt(len(closing["lines"]), notes, TEXT["me_notes_heading"])
    context = {
        "program": {"id": program.id, "title": program.title, "short_title": program.short_title},
        "company": {"name": answers.company},
        "report": {"year": str(answers.report_year), "date": date},
        "title": TEXT["me_title"],
        "subtitle": TEXT["me_applicant"].format(company=answers.company if unit else applicant),
        "program_line": TEXT["me_program"].format(program=program.title),
        "year_line": TEXT["me_year"].format(year=answers.report_year),
        "summary": summary,
        # the .docx's paragraphs: a figure that would be broken from its unit starts a line
        "summary_printed": [figure_breaks(line, TEXT_WIDTH / BODY_UNIT, 4) for line in summary],
        "shortfalls_note_printed": figure_breaks("".join(notes_after), TEXT_WIDTH / NOTE_UNIT, 4),
        "problems": problem_rows,
        "problem_groups": grouped(problem_rows, widths["problems"]),
        "rounding": TEXT["me_rounding_rule"],
        "problems_note": TEXT["me_problems_note"] if problems else TEXT["me_no_problems"],
        "shortfalls": shortfalls,
        "shortfalls_note": "".join(notes_after),
        "shortfalls_notes": notes_after,
        "documents": document_table,
        "widths": {**widths, "total": str(TEXT_WIDTH)},
        # «所列编号或名称» only in a table where some document has one; the 类别 row spans the rest
        "ids": {name: bool(widths[name][1]) for name in ("problems", "documents")},
        "spans": {name: str(sum(1 for w in widths[name] if w)) for name in ("problems", "documents")},
        "notes_heading": TEXT["me_notes_heading"],
        "closing": TEXT["me_closing"],
        "notes": notes,
        "signature": closing,
        "_timestamp": dt.datetime(day.year, day.month, day.day),
        "_title": TEXT["me_title"],
        "_author": applicant,
    }
    # section 四 follows on the page where there is room for its start (its heading keeps with
    # its first rows, else they start the next page); its last rows go with «特此报告。» and the
    # 落款 to their page where these would not fit
    groups = grouped(document_table, widths["documents"])
    units = {"problems": capacity(widths["problems"][0]), "shortfalls": capacity(widths["shortfalls"][0])}
    start = preceding_pt(context, units)
    if starts_page(start, groups, capacity(TEXT_WIDTH)):
        start = 0.0
    context["document_groups"] = keep_closing(groups, capacity(TEXT_WIDTH), closing_height, start)
    context["document_start"] = start  # where the estimate starts section 四 (points down its page)
    return context


def value_text(result: IndicatorResult) -> str:
    """Returns a line's figure as the report prints it: a percentage with two decimals, another
    figure with the digits that decide it and its unit («3260万元», «1.29»); a rated line its
    rating word; «—» when there is none."""
    if result.value is None:
        return result.rating or "—"
    text = fmt_against(result.value, *result.value_bounds, fixed=result.unit == "%")
    return text + result.unit


def evidenced_cell(claimed: IndicatorResult, evidenced: IndicatorResult) -> str:
    """Returns the 有证明值 cell: «无证明材料» where nothing proves the figure or the rating (a
    qualitative line has no ratio to compute), «无法计算» where a ratio's denominator is
    unproved, else the proved figure."""
    if evidenced.value is None:
        return TEXT["me_unproved"] if claimed.value is None or not claimed.value else TEXT["me_undefined"]
    if evidenced.value == 0 and claimed.value:
        return TEXT["me_unproved"]
    return value_text(evidenced)


def _backs(document: DocumentStatus, keys: frozenset[str]) -> bool:
    """Returns True when ``document`` backs one of a line's figures, ratings or items."""
    kind = document.item[0] if document.item else document.key.removeprefix("items.")
    return bool(keys & set(document.proves)) or f"items.{kind}" in keys


def shortfall_lines(
    claimed: ScoreCard,
    evidenced: ScoreCard,
    documents: list[DocumentStatus],
    line_keys: Mapping[str, frozenset[str]],
) -> tuple[list[dict[str, str]], list[str]]:
    """Returns the rows of section 三 (lines whose printed score falls: each with the documents
    missing or unusable that back its figures) and the lines whose figure was cut without any
    effect on the score, as «label（claimed核减为evidenced）»."""
    rows: list[dict[str, str]] = []
    unchanged: list[str] = []
    pairs = zip((*claimed.indicators, *claimed.bonus), (*evidenced.indicators, *evidenced.bonus), strict=True)
    for a, b in pairs:
        lower = a.value is not None and b.value is not None and b.value < a.value
        before, after = fmt_fixed(a.score), fmt_fixed(b.score)
        if before == after:
            if lower or b.score < a.score:
                unchanged.append(
                    TEXT["me_unchanged_line"].format(
                        label=a.title, claimed=value_text(a), evidenced=value_text(b)
                    )
                )
            continue
        keys = line_keys.get(a.id, frozenset())
        needs = list(dict.fromkeys(d.title for d in documents if not d.usable and _backs(d, keys)))
        rows.append(
            {
                "label": a.title,
                "needs": TEXT["me_needs"].format(titles=ENUM_COMMA.join(needs)) if needs else "",
                "claimed": value_text(a),
                "evidenced": evidenced_cell(a, b),
                "claimed_score": before,
                "evidenced_score": after,
                "effect": printed_difference(after, before, sign=True),
            }
        )
    return rows, unchanged


def missing_markdown(context: dict[str, Any]) -> str:
    """Returns the missing-evidence report as Markdown (same content as the .docx)."""

    def table(columns: tuple[Column, ...], rows: list[list[str]], group: bool = True) -> list[str]:
        columns = (GROUP_COLUMN, *columns) if group else columns
        lines = ["| " + " | ".join(TEXT[c[0]] for c in columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        return lines

    out = [
        f"# {context['title']}",
        "",
        context["subtitle"],
        "",
        context["program_line"],
        "",
        context["year_line"],
        "",
    ]
    out += [f"## {TEXT['me_heading_summary']}", ""]
    out += [f"- {line}" for line in context["summary"]]
    out += ["", context["rounding"]]
    out += ["", f"## {TEXT['me_heading_problems']}", ""]
    if context["problems"]:
        out += table(PROBLEM_COLUMNS, [[r[k] for k in ("group", *PROBLEM_KEYS)] for r in context["problems"]])
    out += ["", context["problems_note"], "", f"## {TEXT['me_heading_shortfalls']}", ""]
    if context["shortfalls"]:
        rows = [[r[k] for k in SHORTFALL_KEYS] for r in context["shortfalls"]]
        for row, r in zip(rows, context["shortfalls"], strict=True):
            row[0] += OUTPUTS_TEXT["missing.needs"].format(needs=r["needs"]) if r["needs"] else ""
        out += table(SHORTFALL_COLUMNS, rows, group=False)
    out += [""]
    for note in context["shortfalls_notes"]:
        out += [note, ""]
    out += [f"## {TEXT['me_heading_documents']}", ""]
    out += table(DOCUMENT_COLUMNS, [[r[k] for k in ("group", *DOCUMENT_KEYS)] for r in context["documents"]])
    if context["notes"]:
        out += ["", f"## {context['notes_heading']}", ""]
        out += [f"{index}. {note}" for index, note in enumerate(context["notes"], 1)]
    out += ["", context["closing"], "", *context["signature"]["lines"], context["report"]["date"]]
    return "\n".join(out) + "\n"

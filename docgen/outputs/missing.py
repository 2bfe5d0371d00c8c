"""Score cards and evidence → the missing-evidence report's context (.docx) and its Markdown twin.

Pure data shaping: strings for every table cell, no I/O. The report reads as an official
document: title, 申报单位 and 申报项目 under it, the applicant's name above the date at the end
(GB/T 9704 7.3.5.1). Documents are named by their checklist titles, never by a file path; an
item's identifier (a name, a patent number) has a column of its own, sized from the content with
``docgen.word.layout`` so that it is never broken inside a word. Differences are computed from
the printed figures, so they add up on paper.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from docgen.model.answers import AnswerSet
from docgen.model.definitions import Program
from docgen.model.results import EvidenceReport, ScoreCard
from docgen.numbers import fmt_fixed
from docgen.outputs.contexts import document_rows, evidenced_text, format_date, number_text, score_notes
from docgen.outputs.objects import shortfalls
from docgen.text.labels import TEXT
from docgen.word.layout import _tokens, display_width, fit_widths, widest_line

TEXT_WIDTH = 8844  # twips between the margins of an A4 page with GB/T 9704 margins (156 mm)
TABLE_FONT_PT = 10.5  # the template's «Table Text» (五号)
UNIT = TABLE_FONT_PT * 10  # twips per display unit: half an em (a CJK character is 2 units)
CELL_MARGIN = 108  # twips left and right in every cell (Word's default, 0.19 cm)
SLACK = 40  # twips each column keeps beyond its estimated text (bold titles, rounding)
NAME_LIMIT = 24  # display units: an identifier up to 12 characters is kept on one line
BODY_UNIT = 160  # twips per display unit of the body text (三号, 16 pt)
SIGNATURE_MARGIN = 4  # display units (two characters) right of the 署名 (GB/T 9704 7.3.5.1)

# how each column of the report's tables is sized: "wrap" text may break between words, would
# like its widest line up to a cap (display units; 0: none) and shares what is left over by its
# weight; "name" keeps an identifier whole where it can; "fixed" never breaks
Column = tuple[str, str, int, int]
PROBLEM_COLUMNS: tuple[Column, ...] = (
    ("me_col_group", "wrap", 1, 12),
    ("me_col_title", "wrap", 4, 0),
    ("me_col_identifier", "name", 0, NAME_LIMIT),
    ("me_col_problem", "fixed", 0, 0),
)
DOCUMENT_COLUMNS: tuple[Column, ...] = (
    ("me_col_group", "wrap", 1, 12),
    ("me_col_title", "wrap", 4, 0),
    ("me_col_identifier", "name", 0, NAME_LIMIT),
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
PROBLEM_KEYS = ("group", "name", "identifier", "status")
DOCUMENT_KEYS = ("group", "name", "identifier", "pages", "status")


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
        if kind == "fixed":
            least = wanted = max(header, widest)
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


def capacity(twips: int) -> float:
    """Returns how many display units of table text a column ``twips`` wide holds on a line."""
    return (twips - 2 * CELL_MARGIN) / UNIT


def signature(company: str, date: str) -> dict[str, str]:
    """Returns the right indents (twips) of the 署名 and the 成文日期 under it: the name two
    characters from the right margin, the date starting two characters right of the name; a date
    longer than the name stays two characters from the margin and moves the name left."""
    name_w, date_w = display_width(company), display_width(date)
    name_right = SIGNATURE_MARGIN
    date_right = name_right + name_w - date_w - SIGNATURE_MARGIN
    if date_right < SIGNATURE_MARGIN:
        date_right = SIGNATURE_MARGIN
        name_right = date_right + date_w + SIGNATURE_MARGIN - name_w
    return {
        "name": company,
        "date": date,
        "name_indent": str(max(name_right, 0) * BODY_UNIT),
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
) -> dict[str, Any]:
    """Returns the missing-evidence report's context (also used for the Markdown version).

    ``bundle_font_embedded`` False: the evidence bundle's own pages use the reader's built-in
    font (no CJK font on this machine), which the 说明 says.
    """
    problems = [d for d in evidence.documents if not d.usable]
    short = shortfalls(claimed, evidenced)
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
        failed = "；".join(f"{e.title}（{e.detail}）" for e in evidenced.eligibility if not e.passed)
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
    shortfall_rows = []
    for s in short:
        claimed_score, evidenced_score = f"{s['claimed_score']:.2f}", f"{s['evidenced_score']:.2f}"
        shortfall_rows.append(
            {
                "label": s["label"],
                "claimed": number_text(s["claimed"], s["unit"]),
                "evidenced": evidenced_text(s["claimed"], s["evidenced"], s["unit"]),
                "claimed_score": claimed_score,
                "evidenced_score": evidenced_score,
                "effect": printed_difference(evidenced_score, claimed_score, sign=True),
            }
        )
    date = format_date(day)
    return {
        "program": {"id": program.id, "title": program.title, "short_title": program.short_title},
        "company": {"name": answers.company},
        "report": {"year": str(answers.report_year), "date": date},
        "title": TEXT["me_title"],
        "subtitle": TEXT["me_applicant"].format(company=answers.company),
        "program_line": TEXT["me_program"].format(program=program.title),
        "year_line": TEXT["me_year"].format(year=answers.report_year),
        "summary": summary,
        "problems": problem_rows,
        "problems_note": TEXT["me_problems_note"] if problems else TEXT["me_no_problems"],
        "shortfalls": shortfall_rows,
        "shortfalls_note": TEXT["me_shortfalls_note"] if short else TEXT["me_no_shortfalls"],
        "documents": document_table,
        "widths": {
            "problems": column_twips(PROBLEM_COLUMNS, [[r[k] for k in PROBLEM_KEYS] for r in problem_rows]),
            "documents": column_twips(
                DOCUMENT_COLUMNS, [[r[k] for k in DOCUMENT_KEYS] for r in document_table]
            ),
            "shortfalls": column_twips(
                SHORTFALL_COLUMNS, [[r[k] for k in SHORTFALL_KEYS] for r in shortfall_rows]
            ),
            "total": str(TEXT_WIDTH),
        },
        "notes_heading": TEXT["me_notes_heading"],
        "notes": score_notes(claimed) + ([] if bundle_font_embedded else [TEXT["me_font_fallback"]]),
        "signature": signature(answers.company, date),
        "_timestamp": dt.datetime(day.year, day.month, day.day),
        "_title": TEXT["me_title"],
        "_author": answers.company,
    }


def missing_markdown(context: dict[str, Any]) -> str:
    """Returns the missing-evidence report as Markdown (same content as the .docx)."""

    def table(columns: tuple[Column, ...], rows: list[list[str]]) -> list[str]:
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
    out += ["", f"## {TEXT['me_heading_problems']}", ""]
    if context["problems"]:
        out += table(PROBLEM_COLUMNS, [[r[k] for k in PROBLEM_KEYS] for r in context["problems"]])
    out += ["", context["problems_note"], "", f"## {TEXT['me_heading_shortfalls']}", ""]
    if context["shortfalls"]:
        out += table(SHORTFALL_COLUMNS, [[r[k] for k in SHORTFALL_KEYS] for r in context["shortfalls"]])
    out += ["", context["shortfalls_note"], "", f"## {TEXT['me_heading_documents']}", ""]
    out += table(DOCUMENT_COLUMNS, [[r[k] for k in DOCUMENT_KEYS] for r in context["documents"]])
    if context["notes"]:
        out += ["", f"## {context['notes_heading']}", ""]
        out += [f"{index}. {note}" for index, note in enumerate(context["notes"], 1)]
    out += ["", context["signature"]["name"], context["report"]["date"]]
    return "\n".join(out) + "\n"

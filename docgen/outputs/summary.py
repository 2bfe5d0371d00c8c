"""EDGE: the reviewer's 汇总表 as .docx (landscape A4), .csv (UTF-8 with BOM) and .xlsx."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from docgen.model.review import Review, ReviewRow
from docgen.numbers import fmt, fmt_fixed, to_json, to_score
from docgen.outputs.objects import SCHEMA_VERSION, indicator_json, industry_parts, shortfalls
from docgen.text.labels import COLUMN_TITLES, TEXT


@dataclass(frozen=True)
class Column:
    """One column of the 汇总表: its title key (messages.COLUMN_TITLES) and how it is laid out.

    ``flex`` is the comfortable width in display units (a CJK character counts 2) of a column
    whose text wraps, ``least`` the narrowest it may get; a ``flex`` of 0 means the column is as
    wide as its title and figures need, and never wraps.
    """

    key: str
    flex: float = 0
    align: str = "center"
    number_format: str | None = None
    least: float = 8


COLUMNS = (
    Column("index"),
    Column("company", 32, "left", least=18),
    Column("industry", 18, "left"),
    Column("main_revenue", number_format="#,##0.00"),
    Column("rd_expense", number_format="#,##0.00"),
    Column("claimed", number_format="0.00"),
    Column("evidenced", number_format="0.00"),
    Column("eligible"),
    Column("rank"),
    Column("missing", 24, "left"),
    Column("opinion", 16, "left", least=12),
    Column("remarks", 24, "left", least=12),
)
NUMERIC = {"main_revenue", "rd_expense", "claimed", "evidenced"}


def column_titles(review: Review) -> list[str]:
    """Returns the 汇总表 column titles; a newline marks where a title breaks.

    For a cohort-relative program (Luzhou) the claimed score is not the applicant's own 自评分
    but the 整体对比计量 score within this batch, and its title says so.
    """
    cohort = review.program.relative == "cohort"
    return [COLUMN_TITLES["claimed_cohort" if cohort and c.key == "claimed" else c.key] for c in COLUMNS]


def summary_title(review: Review) -> str:
    """Returns the title above the 汇总表."""
    return TEXT["review_title"].format(program=review.program.short_title)


def summary_notes(review: Review) -> list[str]:
    """Returns the 说明 lines under the 汇总表: ranking rule, threshold and quota, what the scores
    mean (cohort, 加分), then every note of the program (its visible assumptions)."""
    program = review.program
    claimed = column_titles(review)[[c.key for c in COLUMNS].index("claimed")].replace("\n", "")
    evidenced = COLUMN_TITLES["evidenced"]
    notes = [
        TEXT["review_order"].format(claimed=claimed),
        TEXT["review_rules"].format(
            threshold=f"{fmt(review.threshold)} 分" if review.threshold is not None else "无",
            quota=f"{review.quota} 个" if review.quota is not None else "无",
        ),
    ]
    if program.relative == "cohort":
        notes.append(TEXT["review_cohort"].format(claimed=f"“{claimed}”"))
    if program.max_bonus:
        notes.append(
            TEXT["review_bonus"].format(
                scores=f"{claimed}和{evidenced}",
                bonus=fmt(program.max_bonus),
                most=fmt(program.max_score + program.max_bonus),
                base=fmt(program.max_score),
            )
        )
    notes += [note.text for note in program.notes.values()]
    return notes


def numbered(notes: list[str]) -> list[str]:
    """Returns the 说明 lines numbered 1．2．… (one note stays unnumbered)."""
    return notes if len(notes) < 2 else [f"{n}．{note}" for n, note in enumerate(notes, 1)]


def cell_text(column: Column, value: str | int | float | None) -> str:
    """Returns a 汇总表 cell as shown in the .docx and on the terminal (figures with two decimals)."""
    if value is None:
        return ""
    if column.key in NUMERIC and isinstance(value, float | int):
        return fmt_fixed_num(value)
    return str(value)


def _industry(row: ReviewRow) -> str:
    parts = industry_parts(row.claimed) if row.claimed is not None else None
    return " ".join(parts) if parts else ""


def _missing(row: ReviewRow) -> list[str]:
    return [d.title for d in row.prepared.documents if d.required and not d.usable and d.item is None]


PROBLEMS_SHOWN = 3  # input errors quoted in the 备注 of a submission that was not reviewed


def _shortfalls(row: ReviewRow) -> int:
    """Returns how many indicators score less on the evidence than on the claimed figures."""
    claimed_card, evidenced_card = row.cards()
    pairs = zip(
        claimed_card.indicators + claimed_card.bonus,
        evidenced_card.indicators + evidenced_card.bonus,
        strict=True,
    )
    return sum(1 for claimed, evidenced in pairs if evidenced.score < claimed.score)


def _problems(row: ReviewRow) -> str:
    """Returns the 备注 of a submission that was not reviewed: its first input errors."""
    errors = row.prepared.errors
    text = "；".join(d.message for d in errors[:PROBLEMS_SHOWN])
    if len(errors) > PROBLEMS_SHOWN:
        text += TEXT["review_problems_more"].format(count=len(errors))
    return text


def _remarks(row: ReviewRow) -> str:
    """Returns the 备注 of a reviewed submission: 核减 lines and narrative findings."""
    parts = []
    count = _shortfalls(row)
    if count:
        parts.append(TEXT["review_shortfalls"].format(count=count))
    issues = row.prepared.narrative_issues
    if issues.get("narrative.contradiction"):
        parts.append(TEXT["review_contradictions"].format(count=issues["narrative.contradiction"]))
    if issues.get("narrative.other_company"):
        parts.append(TEXT["review_other_company"])
    parts += row.remarks
    return "；".join(parts)


def summary_rows(review: Review) -> list[list[Any]]:
    """Returns the 汇总表 rows in COLUMNS order (numbers as Python numbers, for the .xlsx)."""
    out = []
    for number, row in enumerate(review.rows, 1):
        answers = row.prepared.claimed
        figures = answers.figures if answers else {}
        values: dict[str, str | int | float | None]
        if row.broken:
            values = {
                "company": row.prepared.company or row.prepared.folder,
                "eligible": TEXT["review_not_reviewed"],
                "missing": TEXT["review_not_checked"],
                "remarks": _problems(row),
            }
        else:
            claimed, evidenced = row.cards()
            values = {
                "company": row.prepared.company,
                "industry": _industry(row),
                "main_revenue": to_json(figures.get("main_revenue")),
                "rd_expense": to_json(figures.get("rd_expense")),
                "claimed": to_json(claimed.total),
                "evidenced": to_json(evidenced.total),
                "eligible": TEXT["eligible"] if evidenced.eligible else TEXT["ineligible"],
                "rank": row.rank,
                "missing": "、".join(_missing(row)) or "—",
                "remarks": _remarks(row),
            }
        values.update(index=number, opinion=row.reason)
        out.append([values.get(c.key, "" if c.flex else None) for c in COLUMNS])
    return out


def completeness_rows(review: Review) -> tuple[list[str], list[list[Any]]]:
    """Returns the completeness matrix: submissions × required documents and outline sections.

    A submission that was not reviewed shows 未评审 throughout; a section of an outline the
    submission does not follow (a mixed 认定/评价 batch) shows 不适用.
    """
    headers = [
        COLUMN_TITLES["company"],
        *review.documents,
        *[f"{s} {review.section_titles.get(s, '')}".rstrip() for s in review.sections],
        COLUMN_TITLES["eligibility"],
        COLUMN_TITLES["shortfalls"],
    ]
    rows: list[list[Any]] = []
    for row in review.rows:
        cells: list[Any] = [row.prepared.company or row.prepared.folder]
        if row.broken:
            rows.append(cells + [TEXT["review_not_reviewed"]] * (len(headers) - 1))
            continue
        by_title: dict[str, str] = {}
        for d in row.prepared.documents:
            if d.required and d.item is None:
                status = "ok" if d.usable else ("missing" if d.status == "missing" else "unusable")
                by_title[d.title] = status if by_title.get(d.title, "ok") == "ok" else by_title[d.title]
        cells += [TEXT[f"matrix_{by_title.get(t, 'missing')}"] for t in review.documents]
        for section in review.sections:
            state = row.prepared.sections.get(section, "not_applicable")
            cells.append(TEXT[f"matrix_{state}"])
        cells.append(TEXT["eligible"] if row.cards()[1].eligible else TEXT["ineligible"])
        cells.append(_shortfalls(row))
        rows.append(cells)
    return headers, rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula


def formula_like(value: object) -> bool:
    """Returns whether ``value`` is text that a spreadsheet would take for a formula (OWASP CSV
    injection: a first character ``= + - @``, tab or carriage return). Numbers never are: a negative
    number stays a number."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """Returns a 汇总表 value as written to the CSV: floats with two decimals, None blank, and text
    that a spreadsheet would take for a formula behind a single quote (shown, never evaluated)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return "'" + value if formula_like(value) else value


def working_rows(review: Review) -> tuple[list[str], list[list[Any]]]:
    """Returns the titles and rows of the reviewer's working copies (.csv, .xlsx): the 汇总表's
    columns and, last, the folder each submission was read from (to find it again; the .docx
    sent upward names enterprises, not folders)."""
    titles = [*column_titles(review), COLUMN_TITLES["folder"]]
    rows = [
        [*row, reviewed.prepared.folder]
        for row, reviewed in zip(summary_rows(review), review.rows, strict=True)
    ]
    return titles, rows


def render_csv(review: Review) -> bytes:
    """Returns the 汇总表 as CSV, UTF-8 with BOM so Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    titles, rows = working_rows(review)
    writer.writerow([csv_cell(title.replace("\n", "")) for title in titles])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def fmt_fixed_num(value: float | int) -> str:
    """Returns a number with two decimals (table cells)."""
    from fractions import Fraction

    return fmt_fixed(Fraction(str(value)))


def review_json(review: Review) -> dict[str, Any]:
    """Returns the ``docgen review --json`` object (SPEC §8): every entry has the same keys, its
    ``status`` says which kind it is (a broken one has null scores and its input errors)."""
    submissions = []
    for row in review.rows:
        entry: dict[str, Any] = {
            "path": row.prepared.folder,
            "company": row.prepared.company,
            "status": _status(row),
            "total": None,
            "evidenced_total": None,
            "eligible": False,
            "claimed_eligible": False,
            "rank": row.rank,
            "recommended": row.recommended,
            "reason": row.reason,
            "missing": [],
            "errors": [d.as_json() for d in row.prepared.errors],
            "indicators": [],
            "evidenced_indicators": [],
        }
        if not row.broken:
            claimed, evidenced = row.cards()
            entry.update(
                {
                    "total": to_score(claimed.total),
                    "evidenced_total": to_score(evidenced.total),
                    "eligible": evidenced.eligible,
                    "claimed_eligible": claimed.eligible,
                    "missing": _missing(row),
                    "indicators": [indicator_json(r) for r in (*claimed.indicators, *claimed.bonus)],
                    "evidenced_indicators": [
                        indicator_json(r) for r in (*evidenced.indicators, *evidenced.bonus)
                    ],
                }
            )
        submissions.append(entry)
    return {
        "schema_version": SCHEMA_VERSION,
        "program": review.program.id,
        "threshold": to_json(review.threshold),
        "quota": review.quota,
        "cohort": review.program.relative == "cohort",
        "warnings": review.warnings,
        "submissions": submissions,
    }


def _status(row: ReviewRow) -> str:
    """Returns a review entry's ``status``: ``broken`` (not scored: its input has errors),
    ``incomplete`` (a required document missing or unusable, or a scored figure not proved by its
    evidence) or ``ok``."""
    if row.broken:
        return "broken"
    return "incomplete" if _missing(row) or shortfalls(*row.cards()) else "ok"

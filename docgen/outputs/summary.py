"""EDGE: the reviewer's 汇总表: its columns, rows and notes (written as .docx, .xlsx and, in
docgen.outputs.summary_csv, .csv) and the review's JSON object."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from docgen.model.review import Review, ReviewRow
from docgen.numbers import fmt, fmt_fixed, to_json, to_score
from docgen.outputs.objects import SCHEMA_VERSION, indicator_json, industry_parts, shortfalls
from docgen.text.labels import COLUMN_TITLES, TEXT
from docgen.text.outputs_text import OUTPUTS_TEXT
from docgen.text.punctuation import ENUM_COMMA, FULL_STOP, OPEN_PAREN, SEMICOLON


@dataclass(frozen=True)
class Column:
    """One column of the 汇总表: what it holds (``key``, one of SUMMARY_COLUMN_KINDS), its title
    ("\n" marks where it breaks), the fields of a figure column, and how it is laid out.

    ``flex`` is the comfortable width in display units (a CJK character counts 2) of a column
    whose text wraps, ``least`` the narrowest it may get; a ``flex`` of 0 means the column is as
    wide as its title and figures need, and never wraps.
    """

    key: str
    flex: float = 0
    align: str = "center"
    number_format: str | None = None
    least: float = 8
    title: str = ""
    fields: tuple[str, ...] = ()


# how each kind of column is laid out (its title and fields come from the program or GENERIC)
LAYOUT = {
    "index": Column("index"),
    "company": Column("company", 32, "left", least=18),
    "industry": Column("industry", 18, "left"),
    "figure": Column("figure"),  # 万元 as the notice prints them: «22720», «1234.5» (General)
    "profile": Column("profile", 24, "left", least=12),
    "contact": Column("contact", 16, "left", least=12),
    "claimed": Column("claimed", number_format="0.00"),
    "evidenced": Column("evidenced", number_format="0.00"),
    "eligible": Column("eligible"),
    "rank": Column("rank"),
    "missing": Column("missing", 32, "left", least=16),
    "opinion": Column("opinion", 20, "left", least=12),
    "remarks": Column("remarks", 24, "left", least=12),
}
# the generic 汇总表 of a program whose notice has no template of its own: (kind, figure field)
GENERIC = (
    ("index", ""),
    ("company", ""),
    ("industry", ""),
    ("figure", "main_revenue"),
    ("figure", "rd_expense"),
    ("claimed", ""),
    ("evidenced", ""),
    ("eligible", ""),
    ("rank", ""),
    ("missing", ""),
    ("opinion", ""),
    ("remarks", ""),
)
NUMERIC = {"figure", "claimed", "evidenced"}
INTERNAL_KEY = re.compile(
    OUTPUTS_TEXT["summary.internal_key"]
)  # «（main_revenue）»: a field's key quoted by a diagnostic


def title_lines(title: str) -> str:
    """Returns a column title with its break: a title without one breaks before its unit
    («产品销售收入\n（万元）»)."""
    if "\n" in title or OPEN_PAREN not in title[1:]:
        return title
    head, _, unit = title.partition(OPEN_PAREN)
    return OUTPUTS_TEXT["summary.title_unit_break"].format(head=head, unit=unit)


def summary_columns(review: Review) -> list[Column]:
    """Returns the 汇总表's columns: the notice's own (the program's ``summary_table``), or GENERIC.

    For a cohort-relative program (Luzhou) the claimed score is not the applicant's own 自评分
    but the 整体对比计量 score within this batch, and its generic title says so.
    """
    cohort = review.program.relative == "cohort"
    specs = [(c.kind, c.title, c.fields) for c in review.program.summary_columns] or [
        (kind, "", (field,) if field else ()) for kind, field in GENERIC
    ]
    columns = []
    for kind, title, fields in specs:
        if not title:
            key = (
                fields[0]
                if kind == "figure"
                else ("claimed_cohort" if cohort and kind == "claimed" else kind)
            )
            title = COLUMN_TITLES[key]
        columns.append(replace(LAYOUT[kind], title=title_lines(title), fields=fields))
    return columns


def column_titles(review: Review) -> list[str]:
    """Returns the 汇总表 column titles; a newline marks where a title breaks."""
    return [c.title for c in summary_columns(review)]


def summary_title(review: Review) -> str:
    """Returns the title above the 汇总表: the notice's own when it has one."""
    return review.program.summary_title or TEXT["review_title"].format(program=review.program.short_title)


def _date_text(day: dt.date) -> str:
    return TEXT["summary_date_format"].format(year=day.year, month=day.month, day=day.day)


def header_lines(review: Review) -> list[str]:
    """Returns the sender lines above the 汇总表: 填报单位（盖章）, 经办人及联系电话 and 填报日期, each
    as given (``review --unit/--contact/--date``) or a blank to fill in by hand."""
    header = review.header
    return [
        TEXT["summary_unit"].format(unit=header.unit or TEXT["summary_blank_unit"]),
        TEXT["summary_contact"].format(contact=header.contact or TEXT["summary_blank_contact"]),
        TEXT["summary_date"].format(
            date=_date_text(header.date) if header.date else TEXT["summary_blank_date"]
        ),
    ]


def summary_notes(review: Review) -> list[str]:
    """Returns the 说明 lines under the 汇总表 — only what concerns the batch: the ranking rule,
    threshold and quota, where unranked rows stand, what the scores mean (cohort, 加分), then the
    program's notes that its ``summary_table`` names (those that change how a total reads)."""
    program = review.program
    titles = {c.key: c.title.replace("\n", "") for c in summary_columns(review)}
    claimed, evidenced = titles["claimed"], titles["evidenced"]
    notes = [
        TEXT["review_order"].format(claimed=claimed),
        TEXT["review_rules"].format(
            threshold=OUTPUTS_TEXT["summary.threshold_points"].format(points=fmt(review.threshold))
            if review.threshold is not None
            else OUTPUTS_TEXT["summary.not_set"],
            quota=OUTPUTS_TEXT["summary.quota_count"].format(quota=review.quota)
            if review.quota is not None
            else OUTPUTS_TEXT["summary.not_set"],
        ),
    ]
    if any(row.rank is None for row in review.rows):
        notes.append(TEXT["review_unranked_order"])
    if program.relative == "cohort":
        kind = program.document_kind or TEXT["document_kind_default"]
        notes.append(TEXT["review_cohort"].format(claimed=f"“{claimed}”", kind=kind))
    if program.max_bonus:
        notes.append(
            TEXT["review_bonus"].format(
                scores=OUTPUTS_TEXT["summary.score_columns"].format(claimed=claimed, evidenced=evidenced),
                bonus=fmt(program.max_bonus),
                most=fmt(program.max_score + program.max_bonus),
                base=fmt(program.max_score),
            )
        )
    notes += [program.notes[key].text for key in program.summary_notes if key in program.notes]
    return notes


def numbered(notes: list[str]) -> list[str]:
    """Returns the 说明 lines numbered 1．2．… (one note stays unnumbered)."""
    return (
        notes
        if len(notes) < 2
        else [OUTPUTS_TEXT["summary.numbered_note"].format(n=n, note=note) for n, note in enumerate(notes, 1)]
    )


def cell_text(column: Column, value: str | int | float | None) -> str:
    """Returns a 汇总表 cell as shown in the .docx and on the terminal: scores with two decimals,
    万元 figures as the notice prints them (no «.00» on a whole figure: «22720», «1234.5»)."""
    if value is None:
        return ""
    if column.key == "figure" and isinstance(value, float | int):
        return figure_text(value)
    if column.key in NUMERIC and isinstance(value, float | int):
        return fmt_fixed_num(value)
    return str(value)


def figure_text(value: float | int) -> str:
    """Returns a 万元 figure of the 汇总表 as the notice prints one: without trailing zeros."""
    from fractions import Fraction

    return fmt(Fraction(str(value)))


def _industry(review: Review, row: ReviewRow) -> str:
    parts = industry_parts(row.claimed) if row.claimed is not None else None
    if parts:
        return " ".join(parts)
    answers = row.prepared.claimed
    code = str(answers.profile.get("industry_code") or "") if answers else ""
    name = review.industry_names.get(code, "")
    return f"{code} {name}".strip()


def _contact(row: ReviewRow) -> str:
    answers = row.prepared.claimed
    profile = answers.profile if answers else {}
    return " ".join(str(profile[k]) for k in ("contact", "phone") if profile.get(k))


def _missing(row: ReviewRow) -> list[str]:
    """Returns the required checklist documents missing or unusable (review JSON ``missing``)."""
    return [d.title for d in row.prepared.documents if d.required and not d.usable and d.item is None]


def _missing_text(row: ReviewRow) -> str:
    """Returns the 缺失材料 cell: every document missing or unusable, named by its title — item
    proofs of one kind once, with what each proves («专利申请受理通知书（2021…、2021…）») — the
    required ones first; 必需材料/其他材料 say which is which when both occur. Documents are
    separated by «；» (their names hold «、»: «经审计的财务报告（资产负债表、利润表…）»), the two
    groups by «。»."""
    required: dict[str, list[str]] = {}
    other: dict[str, list[str]] = {}
    for d in row.prepared.documents:
        if d.usable:
            continue
        target = required if d.required and d.item is None else other
        identifiers = target.setdefault(d.title, [])
        if d.identifier and d.identifier not in identifiers:
            identifiers.append(d.identifier)

    def names(documents: dict[str, list[str]]) -> str:
        return SEMICOLON.join(
            t + (OUTPUTS_TEXT["summary.document_ids"].format(ids=ENUM_COMMA.join(ids)) if ids else "")
            for t, ids in documents.items()
        )

    if required and other:
        return FULL_STOP.join(
            (
                TEXT["missing_required"].format(names=names(required)),
                TEXT["missing_other"].format(names=names(other)),
            )
        )
    return names(required or other) or TEXT["missing_none"]


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


def plain(text: str) -> str:
    """Returns a diagnostic as a bureau reads it: without the field keys it quotes for the
    answers file («“主营业务收入”（main_revenue）» → «“主营业务收入”»)."""
    return INTERNAL_KEY.sub("", text)


def _problems(row: ReviewRow) -> str:
    """Returns the 备注 of a submission that was not reviewed: its first input errors."""
    errors = row.prepared.errors
    text = SEMICOLON.join(plain(d.message) for d in errors[:PROBLEMS_SHOWN])
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
    return plain(SEMICOLON.join(parts))


def ordered_rows(review: Review) -> list[ReviewRow]:
    """Returns the rows in the 汇总表's order: ranked ones by rank, then the scored ones without a
    rank (not eligible) by 核定分, 自评分 and name as the ranking orders, then those not reviewed
    by folder name."""
    ranked = sorted((r for r in review.rows if r.rank is not None), key=lambda r: r.rank or 0)
    unranked = sorted(
        (r for r in review.rows if r.rank is None and not r.broken),
        key=lambda r: (-r.cards()[1].total, -r.cards()[0].total, r.prepared.company),
    )
    broken = sorted((r for r in review.rows if r.broken), key=lambda r: r.prepared.folder)
    return [*ranked, *unranked, *broken]


def _values(review: Review, row: ReviewRow) -> dict[str, str | int | float | None]:
    """Returns one row's cells by column kind (figures by their first field)."""
    if row.broken:
        return {
            "company": row.prepared.company or row.prepared.folder,
            "eligible": TEXT["review_not_reviewed"],
            "rank": TEXT["review_unranked"],
            "missing": TEXT["review_not_checked"],
            "remarks": _problems(row),
            "opinion": row.reason,
        }
    claimed, evidenced = row.cards()
    return {
        "company": _company(review, row),
        "industry": _industry(review, row),
        "contact": _contact(row),
        "claimed": to_json(claimed.total),
        "evidenced": to_json(evidenced.total),
        "eligible": TEXT["eligible"] if evidenced.eligible else TEXT["ineligible"],
        "rank": row.rank if row.rank is not None else TEXT["review_unranked"],
        "missing": _missing_text(row),
        "remarks": _remarks(row),
        "opinion": row.reason,
    }


def _company(review: Review, row: ReviewRow) -> str:
    """Returns the 企业名称 (联盟名称) cell: the applicant as named throughout the review — an
    alliance with its 牵头单位 — or its name alone when a column of its own holds that unit."""
    program, answers = review.program, row.prepared.claimed
    sealer = (program.sealed_by,)
    if answers is not None and any(
        c.kind == "profile" and c.fields == sealer for c in program.summary_columns
    ):
        return answers.company
    return row.prepared.company


def _figure(row: ReviewRow, column: Column) -> float | int | None:
    answers = row.prepared.claimed
    if row.broken or answers is None:
        return None
    value = next((answers.figures[f] for f in column.fields if f in answers.figures), None)
    return to_json(value)


def _profile(row: ReviewRow, column: Column) -> str:
    """Returns a profile column's cell: the field's text as the submission gives it."""
    answers = row.prepared.claimed
    if answers is None:
        return ""
    value = answers.profile.get(column.fields[0])
    return "" if value is None else str(value)


def _cell(values: dict[str, Any], row: ReviewRow, column: Column) -> Any:
    if column.key == "figure":
        return _figure(row, column)
    if column.key == "profile":
        return _profile(row, column)
    return values.get(column.key, "" if column.flex else None)


def summary_rows(review: Review) -> list[list[Any]]:
    """Returns the 汇总表 rows in the order of ordered_rows and the columns of summary_columns
    (numbers as Python numbers, for the .xlsx)."""
    columns = summary_columns(review)
    out = []
    for number, row in enumerate(ordered_rows(review), 1):
        values = _values(review, row)
        values["index"] = number
        out.append([_cell(values, row, c) for c in columns])
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
    for row in ordered_rows(review):
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


def fmt_fixed_num(value: float | int) -> str:
    """Returns a number with two decimals (table cells)."""
    from fractions import Fraction

    return fmt_fixed(Fraction(str(value)))


def review_json(review: Review) -> dict[str, Any]:
    """Returns the ``docgen review --json`` object (SPEC §8): every entry has the same keys, its
    ``status`` says which kind it is (a broken one has null scores and its input errors)."""
    submissions = [submission_json(row) for row in review.rows]
    return {
        "schema_version": SCHEMA_VERSION,
        "program": review.program.id,
        "threshold": to_json(review.threshold),
        "quota": review.quota,
        "cohort": review.program.relative == "cohort",
        "warnings": review.warnings,
        "submissions": submissions,
    }


def submission_json(row: ReviewRow) -> dict[str, Any]:
    """Returns the entry of one row in ``review_json``'s ``submissions``."""
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
    return entry


def _status(row: ReviewRow) -> str:
    """Returns a review entry's ``status``: ``broken`` (not scored: its input has errors),
    ``incomplete`` (a required document missing or unusable, or a scored figure not proved by its
    evidence) or ``ok``."""
    if row.broken:
        return "broken"
    return "incomplete" if _missing(row) or shortfalls(*row.cards()) else "ok"

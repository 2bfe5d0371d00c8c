"""EDGE: the reviewer's 汇总表 as .docx (landscape A4), .csv (UTF-8 with BOM) and .xlsx."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from docgen.messages import COLUMN_TITLES, TEXT
from docgen.numbers import fmt_fixed, to_json, to_score
from docgen.report import indicator_json
from docgen.review import Review, ReviewRow


@dataclass(frozen=True)
class Column:
    """One column of the 汇总表: its title key (messages.COLUMN_TITLES) and how it is laid out.

    ``flex`` is the comfortable width in display units (a CJK character counts 2) of a column
    whose text wraps; 0 means the column is as wide as its title and figures need, and never wraps.
    """

    key: str
    flex: float = 0
    align: str = "center"
    number_format: str | None = None


COLUMNS = (
    Column("index"),
    Column("company", 28, "left"),
    Column("industry", 18, "left"),
    Column("main_revenue", number_format="#,##0.00"),
    Column("rd_expense", number_format="#,##0.00"),
    Column("claimed", number_format="0.00"),
    Column("evidenced", number_format="0.00"),
    Column("eligible"),
    Column("rank"),
    Column("missing", 24, "left"),
    Column("opinion", 22, "left"),
)
NUMERIC = {"main_revenue", "rd_expense", "claimed", "evidenced"}


def column_titles(review: Review) -> list[str]:
    """Returns the 汇总表 column titles; a newline marks where a title breaks."""
    return [COLUMN_TITLES[c.key] for c in COLUMNS]


def cell_text(column: Column, value: Any) -> str:
    """Returns a 汇总表 cell as shown in the .docx and on the terminal (figures with two decimals)."""
    if value is None:
        return ""
    if column.key in NUMERIC and isinstance(value, float | int):
        return fmt_fixed_num(value)
    return str(value)


def _industry(row: ReviewRow) -> str:
    card = row.claimed
    if card is None or card.industry is None:
        return ""
    code = card.industry_code or card.industry.code
    return f"{code} {card.industry.name}" + ("（表中无此代码）" if card.industry_fallback else "")


def _missing(row: ReviewRow) -> list[str]:
    return [d.title for d in row.prepared.documents if d.required and not d.usable and d.item is None]


def summary_rows(review: Review) -> list[list[Any]]:
    """Returns the 汇总表 rows (numbers as Python numbers, for the .xlsx)."""
    out = []
    for number, row in enumerate(review.rows, 1):
        answers = row.prepared.claimed
        figures = answers.figures if answers else {}
        if row.broken:
            errors = "；".join(d.message for d in row.prepared.errors[:3])
            out.append(
                [
                    number,
                    row.prepared.company or row.prepared.folder,
                    "",
                    None,
                    None,
                    None,
                    None,
                    TEXT["review_broken"],
                    None,
                    errors,
                    row.reason,
                ]
            )
            continue
        out.append(
            [
                number,
                row.prepared.company,
                _industry(row),
                to_json(figures.get("main_revenue")),
                to_json(figures.get("rd_expense")),
                to_json(row.claimed.total),
                to_json(row.evidenced.total),
                TEXT["eligible"] if row.evidenced.eligible else TEXT["ineligible"],
                row.rank,
                "、".join(_missing(row)) or "—",
                row.reason,
            ]
        )
    return out


def completeness_rows(review: Review) -> tuple[list[str], list[list[str]]]:
    """Returns the completeness matrix: submissions × required documents and outline sections."""
    headers = [
        "企业名称",
        *review.documents,
        *[f"正文 {s}" for s in review.sections],
        "限定性指标",
        "核减项数",
    ]
    rows = []
    for row in review.rows:
        by_title: dict[str, str] = {}
        for d in row.prepared.documents:
            if d.required and d.item is None:
                status = "ok" if d.usable else ("missing" if d.status == "missing" else "unusable")
                by_title[d.title] = status if by_title.get(d.title, "ok") == "ok" else by_title[d.title]
        cells = [row.prepared.company or row.prepared.folder]
        cells += [
            TEXT[f"matrix_{by_title.get(t, 'missing')}"] if not row.broken else "—" for t in review.documents
        ]
        cells += [
            TEXT["matrix_ok"] if row.prepared.sections.get(s) == "ok" else TEXT["matrix_missing"]
            for s in review.sections
        ]
        if row.broken:
            cells += ["—", "—"]
        else:
            cells.append(TEXT["eligible"] if row.evidenced.eligible else TEXT["ineligible"])
            shortfalls = sum(
                1
                for a, b in zip(
                    row.claimed.indicators + row.claimed.bonus,
                    row.evidenced.indicators + row.evidenced.bonus,
                    strict=True,
                )
                if b.score < a.score
            )
            cells.append(str(shortfalls))
        rows.append(cells)
    return headers, rows


def render_csv(review: Review) -> bytes:
    """Returns the 汇总表 as CSV, UTF-8 with BOM so Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title.replace("\n", "") for title in column_titles(review)])
    for row in summary_rows(review):
        writer.writerow(
            ["" if cell is None else (f"{cell:.2f}" if isinstance(cell, float) else cell) for cell in row]
        )
    return buffer.getvalue().encode("utf-8-sig")


def render_xlsx(review: Review) -> bytes:
    """Returns the .xlsx: a styled 汇总表 sheet and a 完整性核对 sheet, frozen headers, widths, formats."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_font = Font(name="黑体", bold=True)
    fill = PatternFill("solid", fgColor="D9D9D9")

    def sheet(ws, title: str, headers: list[str], rows: list[list[Any]], widths: list[float]) -> None:
        ws.title = title
        ws.append(headers)
        for row in rows:
            ws.append(row)
        for cell in ws[1]:
            cell.font, cell.fill, cell.border = header_font, fill, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.border = border
                cell.font = Font(name="宋体")
                cell.alignment = Alignment(vertical="center", wrap_text=True)
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "B2"
        ws.row_dimensions[1].height = 32
        # printed: landscape A4, all columns on one page width, the header repeated on each page
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"

    widths = [11, 48, 26, 24, 22, 15, 15, 18, 11, 50, 40]
    sheet(workbook.active, "汇总表", column_titles(review), summary_rows(review), [w * 0.55 for w in widths])
    ws = workbook["汇总表"]
    for row in ws.iter_rows(min_row=2):
        row[3].number_format = row[4].number_format = "#,##0.00"
        row[5].number_format = row[6].number_format = "0.00"
    headers, rows = completeness_rows(review)
    sheet(workbook.create_sheet(), "完整性核对", headers, rows, [30] + [14] * (len(headers) - 1))
    workbook.properties.creator = "docgen"
    import datetime as dt

    fixed = dt.datetime(2000, 1, 1)
    workbook.properties.created = workbook.properties.modified = fixed
    buffer = io.BytesIO()
    workbook.save(buffer)
    from docgen.render import normalise_zip

    return normalise_zip(buffer.getvalue())


def fmt_fixed_num(value: float | int) -> str:
    """Returns a number with two decimals (table cells)."""
    from fractions import Fraction

    return fmt_fixed(Fraction(str(value)))


def review_json(review: Review) -> dict[str, Any]:
    """Returns the ``docgen review --json`` object (SPEC §8)."""
    submissions = []
    for row in review.rows:
        entry: dict[str, Any] = {"path": row.prepared.folder, "company": row.prepared.company}
        if row.broken:
            entry.update(
                {
                    "total": None,
                    "evidenced_total": None,
                    "eligible": False,
                    "rank": None,
                    "recommended": False,
                    "reason": row.reason,
                    "indicators": [],
                    "errors": [d.as_json() for d in row.prepared.errors],
                }
            )
        else:
            entry.update(
                {
                    "total": to_score(row.claimed.total),
                    "evidenced_total": to_score(row.evidenced.total),
                    "eligible": row.evidenced.eligible,
                    "claimed_eligible": row.claimed.eligible,
                    "rank": row.rank,
                    "recommended": row.recommended,
                    "reason": row.reason,
                    "missing": _missing(row),
                    "indicators": [indicator_json(r) for r in (*row.claimed.indicators, *row.claimed.bonus)],
                    "evidenced_indicators": [
                        indicator_json(r) for r in (*row.evidenced.indicators, *row.evidenced.bonus)
                    ],
                }
            )
        submissions.append(entry)
    return {
        "program": review.program.id,
        "threshold": to_json(review.threshold),
        "quota": review.quota,
        "cohort": review.program.relative == "cohort",
        "submissions": submissions,
    }

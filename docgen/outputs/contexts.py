"""Score cards and evidence → the contexts of the Word templates and the Markdown report.

Pure data shaping: strings for every table cell, no I/O. The narrative and the contents are
written as WordprocessingML by ``narrative_xml`` and ``contents_xml``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from docgen.model.answers import AnswerSet
from docgen.model.definitions import Outline, Program
from docgen.model.results import DocumentStatus, EvidenceReport, ScoreCard
from docgen.narrative.markdown import markdown_to_blocks
from docgen.narrative.outline import report_body
from docgen.numbers import fmt, fmt_against, fmt_fixed, to_decimal
from docgen.text.labels import CHINESE_NUMERALS, STATUS, TEXT
from docgen.text.outputs_text import OUTPUTS_TEXT
from docgen.text.punctuation import SEMICOLON
from docgen.word.xml import RawXml, XmlWriter


def chinese_number(n: int) -> str:
    """Returns 一 … 十 for 1 … 10 (then digits)."""
    return CHINESE_NUMERALS[n - 1] if 1 <= n <= len(CHINESE_NUMERALS) else str(n)


def headings(outline: Outline) -> list[tuple[int, str, str]]:
    """Returns (level, section id or "", heading text) in outline order with official numbering."""
    out: list[tuple[int, str, str]] = []
    if outline.chapters:
        for c_index, chapter in enumerate(outline.chapters, 1):
            out.append(
                (
                    1,
                    "",
                    OUTPUTS_TEXT["contexts.heading_level1"].format(
                        number=chinese_number(c_index), title=chapter.title
                    ),
                )
            )
            for s_index, section in enumerate(chapter.sections, 1):
                out.append(
                    (
                        2,
                        section.id,
                        OUTPUTS_TEXT["contexts.heading_level2"].format(
                            number=chinese_number(s_index), title=section.title
                        ),
                    )
                )
    else:
        for s_index, section in enumerate(outline.sections, 1):
            out.append(
                (
                    1,
                    section.id,
                    OUTPUTS_TEXT["contexts.heading_level1"].format(
                        number=chinese_number(s_index), title=section.title
                    ),
                )
            )
    return out


def annex_headings() -> list[str]:
    """Returns the headings of the annex tables (they appear in the contents too)."""
    return [TEXT["annex_data"], TEXT["annex_score"], TEXT["annex_eligibility"], TEXT["annex_evidence"]]


def report_title(program: Program, outline: Outline) -> str:
    """Returns the report's title: the program's name with 申请报告 or 工作总结, or with the
    notice's own name of the document (``report_names``: the alliance's 申报材料).

    Programs that borrow another program's outline (national, Gansu) still get their own title.
    """
    kind = "summary" if outline.kind == "summary" else "application"
    named = program.report_names.get(kind)
    if named:
        return TEXT["report_title.named"].format(name=program.short_title, document=named)
    return TEXT[f"report_title.{kind}"].format(name=program.short_title)


def applicant_name(program: Program, answers: AnswerSet) -> str:
    """Returns the applicant as it signs and seals: its name, followed by the unit that seals for
    it where the program names one (``sealed_by``: «…联盟（牵头单位：…有限公司）»)."""
    unit = str(answers.profile.get(program.sealed_by) or "") if program.sealed_by else ""
    if not unit:
        return answers.company
    return TEXT["applicant_with_unit"].format(name=answers.company, label=program.sealed_by_label, unit=unit)


def seal_line(program: Program, answers: AnswerSet) -> str:
    """Returns the line a sealed form is sealed on: 填报单位（盖章）：the applicant, or, where a unit
    seals for it (``sealed_by``: an alliance has no seal of its own), that unit (its 牵头单位)."""
    unit = str(answers.profile.get(program.sealed_by) or "") if program.sealed_by else ""
    return TEXT["form_sign_off"].format(company=unit or answers.company)


def cover_rows(
    program: Program, outline: Outline, answers: AnswerSet, profile_labels: dict[str, str], day: dt.date
) -> list[dict[str, str]]:
    """Returns the cover's rows (``label`` without its colon, ``value``): the applicant, which
    seals (申请单位（盖章）), or, where a unit seals for it (``sealed_by``), the applicant under its
    program's label (联盟名称) and the unit under «牵头单位（盖章）»; then 统一社会信用代码, 报告年度
    and 报送日期."""
    who = TEXT["cover_applicant.summary" if outline.kind == "summary" else "cover_applicant.application"]
    if program.sealed_by:
        rows = [
            (profile_labels.get("company_name", who), answers.company),
            (
                TEXT["cover_sealed"].format(label=program.sealed_by_label),
                _profile_value(answers, program.sealed_by),
            ),
        ]
    else:
        rows = [(TEXT["cover_sealed"].format(label=who), answers.company)]
    rows += [
        (TEXT["cover_credit_code"], _profile_value(answers, "credit_code")),
        (TEXT["cover_year"], TEXT["cover_year_value"].format(year=answers.report_year)),
        (TEXT["cover_date"], format_date(day)),
    ]
    return [{"label": label, "value": value} for label, value in rows]


def format_date(day: dt.date) -> str:
    """Returns 2023年4月28日."""
    return OUTPUTS_TEXT["contexts.date"].format(year=day.year, month=day.month, day=day.day)


def contents_xml(outline: Outline, ids: dict[str, str]) -> RawXml:
    """Returns the contents: a TOC field whose cached entries are the outline's and annex headings.

    Word refreshes the field (with page numbers) on opening, as the settings ask it to.
    """
    entries = [(level, text) for level, _, text in headings(outline)] + [(1, h) for h in annex_headings()]
    return RawXml(XmlWriter(ids).toc(entries))


def narrative_xml(outline: Outline, answers: AnswerSet, ids: dict[str, str]) -> RawXml:
    """Returns the narrative in outline order: headings, then each section's Markdown as Word."""
    writer = XmlWriter(ids)
    sections = {s.id: s for s in outline.sections}
    out = []
    for level, section_id, text in headings(outline):
        out.append(writer.text(f"Heading {level}", text))
        if not section_id:
            continue
        given = answers.narrative.get(section_id)
        body = report_body(given.text, sections[section_id].title) if given else ""
        blocks = markdown_to_blocks(body) if body.strip() else []
        if not blocks:
            out.append(writer.text("Body Text", TEXT["missing_section"]))
            continue
        out.append(writer.blocks(blocks, heading_style="Heading 3"))
    return RawXml("".join(out))


def _profile_value(answers: AnswerSet, key: str) -> str:
    value = answers.profile.get(key)
    if value is None:
        return ""
    return str(value)


def header_layout(
    program: Program, answers: AnswerSet, profile_labels: dict[str, str]
) -> list[list[tuple[str, str]]]:
    """Returns the data table's header block row by row as (label, value) pairs: as the data
    table's attachment lays it out (``header``: a row of one pair spans the table, a printed
    label alone is written by hand), the layout the blank and filled forms print; else the
    program's ``data_header`` two pairs a row."""
    attachment = next((a for a in program.attachments if a.part == "data_table" and a.header), None)
    rows = attachment.header if attachment is not None else program.data_header_rows
    if not rows:
        pairs = [(profile_labels.get(k, k), _profile_value(answers, k)) for k in program.data_header]
        return [pairs[index : index + 2] for index in range(0, len(pairs), 2)]
    return [
        [
            (cell.label or profile_labels.get(cell.key, cell.key), _profile_value(answers, cell.key))
            if cell.key
            else (cell.label, "")
            for cell in row
        ]
        for row in rows
    ]


def data_table_context(
    program: Program, answers: AnswerSet, profile_labels: dict[str, str]
) -> dict[str, Any]:
    """Returns the filled data table: the header block (``header_rows``, lists of (label, value);
    ``profile_rows`` two pairs a row), rows (序号, 指标名称, 单位, 数据值)."""
    layout = header_layout(program, answers, profile_labels)
    profile_rows = []
    for pairs in layout:
        label1, value1 = pairs[0]
        label2, value2 = pairs[1] if len(pairs) > 1 else ("", "")
        profile_rows.append({"label1": label1, "value1": value1, "label2": label2, "value2": value2})
    rows = []
    for row in program.data_rows:
        if row.key:
            value = answers.figures.get(row.key)
        else:
            parts = [answers.figures.get(k) for k in row.sum]
            known = [p for p in parts if p is not None]
            value = None if len(known) < len(parts) else sum(known, Fraction(0))
        rows.append({"no": row.no, "label": row.label, "unit": row.unit, "value": fmt(value, 2)})
    return {
        "title": program.data_table_title,
        "header_rows": layout,
        "profile_rows": profile_rows,
        "rows": rows,
        "notes": [],
        **seal_lines(program, "data_table", answers),
    }


def seal_lines(program: Program, part: str, answers: AnswerSet, day: dt.date | None = None) -> dict[str, Any]:
    """Returns ``sealed`` (the notice wants the attachment of ``part`` sealed), ``seal`` (填报单位
    （盖章）：company) and ``date`` (填报日期 with the report's date, else left to be written)."""
    sealed = any(a.part == part and a.sealed for a in program.attachments)
    when = day or answers.report_date
    return {
        "sealed": sealed,
        "seal": seal_line(program, answers),
        "date": TEXT["form_date_filled"].format(date=format_date(when)) if when else TEXT["form_date"],
    }


def kind_title(program: Program, kind: str) -> str:
    """Returns how the notice names an application of ``kind`` (认定; 培育组建 for an alliance)."""
    return program.kind_titles.get(kind, kind)


def total_label(card: ScoreCard) -> str:
    """Returns the label of the score table's 合计 row (合计（参考分） for a reference score)."""
    return TEXT["score_row_reference"] if card.reference else TEXT["score_row_total"]


def value_text(value: Fraction | None, unit: str) -> str:
    """Returns a table cell's value: a percentage with exactly 2 decimals (4.00%), else as given."""
    if value is None:
        return "—"
    return fmt_fixed(value) + "%" if unit == "%" else fmt(value)


def score_rows(card: ScoreCard) -> list[dict[str, str]]:
    """Returns one row per scored line (base then bonus) for the score tables."""
    out = []
    for index, r in enumerate((*card.indicators, *card.bonus), 1):
        group = (*r.group, r.group[-1] if r.group else "")[:2] if r.bonus else (*r.group, "", "")[:2]
        out.append(
            {
                "no": str(index),
                "group1": group[0],
                "group2": group[1],
                "title": r.title,
                "unit": r.unit,
                "weight": ("≤" if r.bonus else "") + fmt(r.weight),
                "value": value_text(r.value, r.unit),
                "evaluated": value_text(r.evaluated, r.unit),
                "score": fmt_fixed(r.score),
                "explanation": r.explanation,
            }
        )
    return out


def eligibility_context(card: ScoreCard, evidenced: ScoreCard | None = None) -> dict[str, Any]:
    """Returns the eligibility rows and the one-line conclusion.

    The 推荐线 judges the evidenced score (核定分) where one is given: the notice scores 初评 on
    the data the evidence proves («以终的核定数据作为计算每项指标得分的依据»); the claimed score
    is stated beside it."""
    rows = [
        {"title": e.title, "detail": e.detail, "result": TEXT["eligible"] if e.passed else TEXT["ineligible"]}
        for e in card.eligibility
    ]
    failed = [e for e in card.eligibility if not e.passed]
    if not card.eligibility:
        summary = TEXT["eligibility_none"].format(document=card.program.document_kind)
    elif not failed:
        summary = TEXT["eligibility_ok"]
    else:
        summary = TEXT["eligibility_fail"].format(
            failed=SEMICOLON.join(
                OUTPUTS_TEXT["contexts.eligibility_detail"].format(title=e.title, detail=e.detail)
                for e in failed
            )
        )
    judged = evidenced if evidenced is not None and evidenced.threshold is not None else card
    line = judged.threshold
    if line is not None:  # the 推荐线 is not a limiting indicator: said after them
        words = {"value": fmt_fixed(judged.total), "bound": fmt(line.bound), "detail": line.detail}
        if judged is card:
            summary += TEXT["threshold_met" if line.passed else "threshold_missed"].format(**words)
        else:
            words["claimed"] = fmt_fixed(card.total)
            words["value"] = fmt_against(judged.total, line.bound, fixed=True)  # 69.999 is not 70.00
            gap = Decimal(words["bound"]) - Decimal(words["value"])  # from the printed figures
            words["gap"] = format(gap, "f")
            key = "threshold_evidenced_met" if line.passed else "threshold_evidenced_missed"
            summary += TEXT[key].format(**words)
    return {"rows": rows, "summary": summary, "eligible": card.eligible}


def document_rows(documents: list[DocumentStatus]) -> list[dict[str, str]]:
    """Returns one row per checklist document or item proof (``file`` is the listed path, for
    the applicant's own tools; the documents name a document by ``title``)."""
    return [
        {
            "group": d.group,
            "title": d.title
            + (OUTPUTS_TEXT["contexts.identifier"].format(identifier=d.identifier) if d.identifier else ""),
            "name": d.title,  # the title alone and what the item is, for a table that lists them apart
            "identifier": d.identifier or "",
            "file": d.file or "—",
            "pages": str(d.pages) if d.pages is not None else "—",
            "status": status_text(d),
        }
        for d in documents
    ]


def evidenced_text(claimed: float | None, evidenced: float | None, unit: str) -> str:
    """Returns the 有证明值 cell: «无证明材料» where nothing proves the figure, «无法计算» where a
    ratio's proved denominator is 0, else the proved value."""
    if evidenced is None:
        return TEXT["me_undefined"]
    if evidenced == 0 and claimed:
        return TEXT["me_unproved"]
    return number_text(evidenced, unit)


def status_text(document: DocumentStatus) -> str:
    """Returns a document's status as the reports print it: what was not found is named by what
    it is («未找到所列姓名», «未找到所列专利号»), not always as a number."""
    if document.status == "id-not-found" and document.identifier_label:
        return TEXT["status_not_found"].format(label=document.identifier_label)
    return STATUS.get(document.status, document.status)


def rounding_note(card: ScoreCard) -> str:
    """Returns a sentence when the printed line scores (2 decimals) do not add up to the printed
    totals, which are sums of the unrounded scores (SPEC §4); else nothing."""
    printed = sum((to_decimal(r.score) for r in (*card.indicators, *card.bonus)), Decimal(0))
    if printed == to_decimal(card.total):
        return ""
    return TEXT["score_rounding"].format(printed=format(printed, "f"), total=fmt_fixed(card.total))


def score_notes(card: ScoreCard) -> list[str]:
    """Returns the notes every output that shows the scores prints: 参考分 first, then the
    program's notes on scoring (e.g. the Gansu alliance's cap on intellectual property)."""
    notes = list(card.report_notes)
    if card.reference:
        notes.insert(0, TEXT["reference_explained"])
    return notes


def report_context(
    program: Program,
    outline: Outline,
    answers: AnswerSet,
    claimed: ScoreCard,
    evidenced: ScoreCard,
    evidence: EvidenceReport,
    profile_labels: dict[str, str],
    day: dt.date,
) -> dict[str, Any]:
    """Returns the report template's context (without the two subdocuments)."""
    label = TEXT["reference_label"] if claimed.reference else TEXT["total_label"]
    notes = score_notes(claimed)
    bad = [d for d in evidence.documents if not d.usable]
    company = dict(answers.profile)
    company["name"] = answers.company
    company.setdefault("credit_code", "")
    return {
        "program": {
            "id": program.id,
            "title": program.title,
            "short_title": program.short_title,
            "issuer": program.issuer,
            "document_number": program.document_number,
        },
        "report": {
            "title": report_title(program, outline),
            "kind": answers.application_type,
            "kind_title": kind_title(program, answers.application_type),
            "year": str(answers.report_year),
            "date": format_date(day),
        },
        "company": company,
        "cover": {"rows": cover_rows(program, outline, answers, profile_labels, day)},
        "annex": {
            "data_heading": TEXT["annex_data"],
            "score_heading": TEXT["annex_score"],
            "eligibility_heading": TEXT["annex_eligibility"],
            "evidence_heading": TEXT["annex_evidence"],
        },
        "data_table": {
            **data_table_context(program, answers, profile_labels),
            **seal_lines(program, "data_table", answers, day),
        },
        "score": {
            "title": TEXT["score_title"].format(program=program.short_title),
            "rows": score_rows(claimed),
            "base": fmt_fixed(claimed.base_score),
            "bonus": fmt_fixed(claimed.bonus_score),
            "total": fmt_fixed(claimed.total),
            "evidenced_total": fmt_fixed(evidenced.total),
            "total_label": label,
            "summary": TEXT["score_evidenced"].format(evidenced=fmt_fixed(evidenced.total))
            + rounding_note(claimed),
            "notes": notes,
            **seal_lines(program, "indicators", answers, day),
        },
        "eligibility": eligibility_context(claimed, evidenced),
        "evidence": {
            "rows": document_rows(evidence.documents),
            "summary": TEXT["evidence_summary"].format(
                total=len(evidence.documents), ok=len(evidence.documents) - len(bad), bad=len(bad)
            ),
        },
        "_timestamp": dt.datetime(day.year, day.month, day.day),
        "_title": report_title(program, outline),
        "_author": applicant_name(program, answers),
    }


def number_text(value: float | int | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}%" if unit == "%" else f"{value:g}"

"""EDGE: the notice's attachments (附件N) as Word files, blank or filled, from the definitions.

One source of truth: the outline, data-table and indicator definitions that drive scoring also
print the forms. Layout after GB/T 9704-2012: A4 (landscape only where a table needs it), margins
37/35/28/26 mm, «附件N» top left in 3号黑体, title in 2号小标宋, body in 3号仿宋_GB2312, tables in
5号宋体 with merged group cells, header rows repeated on every page, rows that do not break, and
«— n —» page numbers on the outside of the page (right on odd pages, left on even ones).
"""

from __future__ import annotations

import re
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING, Any

from docgen.definitions.catalog import Catalog
from docgen.model.answers import AnswerSet
from docgen.model.attachments import EXPLANATIONS, TABLE, Attachment, AttachmentSection, Column
from docgen.model.definitions import Group, Indicator, Program
from docgen.model.results import IndicatorResult, ScoreCard
from docgen.numbers import fmt, fmt_fixed
from docgen.outputs.contexts import rounding_note, seal_line
from docgen.rules import RuleSet
from docgen.text.labels import TEXT
from docgen.text.outputs_text import OUTPUTS_TEXT

if TYPE_CHECKING:
    from docx.document import Document

GROUP_KEYS = ("group1", "group1_weight", "group2", "group2_weight")
WEIGHT_KEYS = ("group2_weight", "weight")
SCORE_KEYS = ("score", "result")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(attachment: Attachment) -> str:
    """Returns «附件N-<title>.docx» («<title>.docx» for a form the notice does not number) with
    characters no file system accepts replaced."""
    title = _UNSAFE.sub("_", attachment.title).strip(". ") or OUTPUTS_TEXT["forms.default_title"]
    return (
        f"{title}.docx"
        if attachment.number is None
        else OUTPUTS_TEXT["forms.file_name"].format(number=attachment.number, title=title)
    )


WIDE_KEYS = ("indicator", "indicator_criteria", "criteria", "indicator_weight")


def _columns(attachment: Attachment, filled: bool = False) -> list[tuple[str, str, float]]:
    """Returns the columns of the indicator table: the published ones, and on a filled form the
    ``filled`` columns after them, their width taken from the widest text column."""
    columns = [(column.key, column.title, column.width) for column in attachment.columns]
    extra: tuple[Column, ...] = attachment.filled_columns if filled else ()
    if extra:
        wide = max(
            (i for i, (key, _, _) in enumerate(columns) if key in WIDE_KEYS),
            key=lambda i: columns[i][2],
            default=None,
        )
        if wide is not None:
            key, header, width = columns[wide]
            columns[wide] = (key, header, width - sum(column.width for column in extra))
        columns += [(column.key, column.title, column.width) for column in extra]
    return columns


def _group_weights(program: Program) -> dict[tuple[str, ...], Any]:
    weights: dict[tuple[str, ...], Any] = {}

    def walk(groups: tuple[Group, ...], trail: tuple[str, ...]) -> None:
        for group in groups:
            path = (*trail, group.title)
            walk(group.groups, path)
            total = sum(i.weight for i in group.indicators) + sum(
                weights[(*path, g.title)] for g in group.groups
            )
            weights[path] = group.weight if group.weight is not None else total

    walk(program.groups, ())
    return weights


def _requirement(rules: RuleSet, indicator: Indicator, key: str) -> str:
    """Returns the 基本要求 or 满分要求 cell: the definition's text where it gives one, else what the
    indicator's rule declares (a tiered value as the tier note)."""
    if key == "basic" and indicator.basic_text:
        return indicator.basic_text
    requirement = rules.requirements(indicator.rule).get(key)
    if requirement is None:
        return ""
    if isinstance(requirement.value, dict):
        return TEXT["form_tiered"]
    return f"{requirement.prefix}{fmt(_num(requirement.value))}"


def _num(value: Any) -> Fraction:
    return Fraction(str(value))


def indicator_cells(
    program: Program,
    indicator: Indicator,
    columns: list[tuple[str, str, float]],
    weights: dict[tuple[str, ...], Any],
    result: IndicatorResult | None,
    rules: RuleSet,
    attachment: Attachment | None = None,
) -> list[str]:
    """Returns the cells of one indicator row for the given column keys: the published text where
    the attachment gives one (``cells``), else what the definition's data print."""
    group = indicator.group if not indicator.bonus else (program.bonus_title, program.bonus_title)
    g1 = group[0] if group else ""
    g2 = group[1] if len(group) > 1 else ""
    weight = ("≤" if indicator.bonus else "") + fmt(indicator.weight)
    cells = []
    for key, _, _ in columns:
        if key == "group1":
            cells.append(g1)
        elif key == "group1_weight":
            w = weights.get(indicator.group[:1]) if not indicator.bonus else None
            cells.append(
                OUTPUTS_TEXT["forms.group_weight"].format(group=g1, weight=fmt(w)) if w is not None else g1
            )
        elif key == "group2":
            cells.append(g2)
        elif key == "group2_weight":
            w = weights.get(indicator.group[:2]) if not indicator.bonus and len(indicator.group) > 1 else None
            cells.append(fmt(w) if w is not None else "")
        elif key == "indicator":
            cells.append(indicator.title)
        elif key == "indicator_weight":
            cells.append(
                OUTPUTS_TEXT["forms.indicator_weight"].format(
                    title=indicator.title, weight=fmt(indicator.weight)
                )
            )
        elif key == "indicator_criteria":
            cells.append(
                OUTPUTS_TEXT["forms.indicator_criteria"].format(
                    title=indicator.title, criteria=indicator.criteria
                )
                if indicator.criteria
                else indicator.title
            )
        elif key == "criteria":
            cells.append(indicator.criteria)
        elif key == "unit":
            cells.append(indicator.unit)
        elif key == "weight":
            cells.append(weight)
        elif key in ("basic", "full"):
            cells.append(_requirement(rules, indicator, key))
        elif key == "score":
            cells.append(fmt_fixed(result.score) if result else "")
        elif key == "result":
            cells.append(_result(result) if result else "")
        else:
            cells.append("")
    if attachment is not None and attachment.cells:
        for index, (key, _, _) in enumerate(columns):
            published = attachment.cell(indicator.id, key)
            if published is not None and key not in SCORE_KEYS:
                cells[index] = published
    return cells


def _result(result: IndicatorResult) -> str:
    value = (
        "—"
        if result.evaluated is None
        else fmt(result.evaluated) + ("%" if result.unit == "%" else result.unit)
    )
    if result.met is None:
        return OUTPUTS_TEXT["forms.result_score"].format(value=value, score=fmt_fixed(result.score))
    return OUTPUTS_TEXT["forms.result_verdict"].format(
        value=value, verdict=TEXT["form_met"] if result.met else TEXT["form_not_met"]
    )


def total_rows(
    program: Program,
    attachment: Attachment,
    columns: list[tuple[str, str, float]],
    card: ScoreCard | None,
) -> list[tuple[int, list[str]]]:
    """Returns the rows closing an indicator table: 基本分 and 加分小计 (if any) and the 合计 row.

    A blank form has only the rows the notice prints (``total_row`` / ``bonus_row``), their label
    alone; a filled form adds the ``filled`` ones and shows the maxima in the weight column and
    the card's scores in the score column, as the report's score table does (合计: the base
    maximum plus the bonus cap). Each row is (label span, cells): the label fills the leading
    columns up to the last weight column (the first score column where there is none).
    """
    keys = [key for key, _, _ in columns]
    weight_at = max((i for i, key in enumerate(keys) if key in WEIGHT_KEYS), default=None)
    first_score = next((i for i, key in enumerate(keys) if key in SCORE_KEYS), len(keys))
    span = max(weight_at if weight_at is not None else first_score, 1)

    def row(label: str, weight: str, score: Any) -> tuple[int, list[str]]:
        cells = [label] + [""] * (len(keys) - 1)
        if card is None:
            return span, cells  # the notice's own closing row: its label, the rest left to be filled in
        for index, key in enumerate(keys[span:], span):
            if index == weight_at:
                cells[index] = weight
            elif key == "score":
                cells[index] = fmt_fixed(score)
            elif key == "result":
                cells[index] = OUTPUTS_TEXT["forms.row_score"].format(score=fmt_fixed(score))
        return span, cells

    filled = card is not None
    base = attachment.filled_base_row if filled else ""
    bonus = attachment.bonus_row or (attachment.filled_bonus_row if filled else "")
    total = attachment.total_row or (attachment.filled_total_row if filled else "")
    out = []
    if program.bonus and base:
        out.append(row(base, fmt(program.max_score), card.base_score if card else None))
    if program.bonus and bonus:
        out.append(row(bonus, f"≤{fmt(program.max_bonus)}", card.bonus_score if card else None))
    if total:
        maximum = program.max_score + (program.max_bonus if program.bonus else 0)
        out.append(row(total, fmt(maximum), card.total if card else None))
    return out


def render_form(
    program: Program,
    attachment: Attachment,
    catalog: Catalog,
    answers: AnswerSet | None = None,
    card: ScoreCard | None = None,
) -> bytes:
    """Returns one attachment as .docx bytes; filled when answers and a score card are given."""
    from docgen.outputs import form_layout as layout

    doc = layout.base_document(landscape=attachment.landscape)
    if attachment.number is not None:
        layout.label(doc, OUTPUTS_TEXT["forms.attachment_label"].format(number=attachment.number))
    layout.title(doc, attachment.title)
    if attachment.part == "outline":
        outline = catalog.outlines[attachment.ref or ""]
        layout.outline(doc, outline)
    elif attachment.part == "summary_table":  # named by the notice, with docgen's columns: that
        # the notice attaches no template is said in the program's file and docs/forms, never on
        # the form a bureau sends upward
        layout.summary_table(
            doc, [(column.title, column.width) for column in attachment.columns], attachment.rows
        )
    else:
        for section in attachment.sections or (AttachmentSection(TABLE),):
            items = list(section.paragraphs) if section.heading != TABLE else [TABLE]
            if section.heading and section.heading != TABLE:
                layout.heading(doc, section.heading, section.level)
            if section.caption:
                layout.caption(doc, section.caption)
            for paragraph in items:
                _special(doc, layout, paragraph, program, attachment, catalog, answers, card)
    if card is not None and attachment.part == "indicators":
        # the notes a filled form cannot do without (the scores are reference scores; the printed
        # line scores do not add up to the printed totals), after the attachment's own text and
        # titled so that they are not read as the notice's «说明：»
        notes = [TEXT["form_reference_score"]] if card.reference else []
        notes += [note for note in (rounding_note(card),) if note]
        if notes:
            layout.notes(doc, TEXT["form_docgen_notes"], notes, space_before=12)
    if answers is not None and not attachment.sealed and attachment.part == "indicators":
        layout.sign_off(doc, seal_line(program, answers), _filled_date(answers))  # its self-evaluation
    return layout.save(doc)


def _filled_date(answers: AnswerSet | None) -> str:
    """Returns the report date of a filled form (2023年4月28日), or "" to leave it blank."""
    from docgen.outputs.contexts import format_date

    return format_date(answers.report_date) if answers is not None and answers.report_date else ""


def _special(
    doc: Document,
    layout: ModuleType,
    paragraph: str,
    program: Program,
    attachment: Attachment,
    catalog: Catalog,
    answers: AnswerSet | None,
    card: ScoreCard | None,
) -> None:
    if paragraph == TABLE and attachment.part == "indicators":
        columns = _columns(attachment, filled=card is not None)
        weights = _group_weights(program)
        results = {r.id: r for r in (*card.indicators, *card.bonus)} if card else {}
        rows = [
            indicator_cells(program, i, columns, weights, results.get(i.id), catalog.rules, attachment)
            for i in (*program.indicators, *program.bonus)
        ]
        merge = sum(1 for key, _, _ in columns[:4] if key in GROUP_KEYS)
        totals = total_rows(program, attachment, columns, card)
        # the scores close the table; how they were reached (the program's notes) is the report's
        # 计分过程, not part of the published attachment
        layout.table(doc, columns, rows, merge=merge, totals=totals)
        _seal(doc, layout, program, attachment, answers)
    elif paragraph == TABLE and attachment.part == "data_table":
        layout.data_table(doc, program, catalog, answers, attachment.header)
        _seal(doc, layout, program, attachment, answers)
    elif paragraph == EXPLANATIONS:
        for text in explanations(program):
            layout.paragraph(doc, text)
    elif paragraph == "@coefficients" and program.coefficients:
        layout.coefficient_table(
            doc, catalog.coefficients[program.coefficients], attachment.coefficient_decimals
        )
    elif paragraph == "@limiting":
        for index, rule in enumerate(program.eligibility, 1):
            layout.paragraph(doc, OUTPUTS_TEXT["forms.limiting_rule"].format(index=index, title=rule.title))
    else:
        layout.paragraph(doc, paragraph)


def explanations(program: Program) -> list[str]:
    """Returns the 指标解释 numbered as the notice numbers them: by the data table's 序号, a «其中»
    sub-row's explanation run on after its parent's, rows docgen added left out."""
    out: list[str] = []
    for row in program.data_rows:
        if not row.explanation or row.added:
            continue
        if row.no:
            out.append(f"{row.no}.{row.explanation}")
        elif out:
            out[-1] += row.explanation
    return out


def _seal(
    doc: Document, layout: ModuleType, program: Program, attachment: Attachment, answers: AnswerSet | None
) -> None:
    """Adds the seal and date lines under a sealed form's table on a filled copy only: the notices
    print none on their blank forms (Luzhou 附件3 only asks for the seal on the table itself)."""
    if attachment.sealed and answers is not None:
        layout.sign_off(doc, seal_line(program, answers), _filled_date(answers))


def render_forms(
    program: Program, catalog: Catalog, answers: AnswerSet | None = None, card: ScoreCard | None = None
) -> list[tuple[str, bytes]]:
    """Returns (file name, .docx bytes) for every attachment of the program."""
    return [(file_name(a), render_form(program, a, catalog, answers, card)) for a in program.attachments]

"""CORE: numbers in the narrative that contradict the data table (SPEC §5).

A figure is recognised when one of its field's `mentions` (fields.yaml) is followed closely by a
number and a unit of that field's unit family (亿元/万元/元, 人, 项/件). The number is converted
to the field's unit and compared with the answers, within the precision it was written with
(5.68亿元 covers 56750–56850万元). Sentences about another year than the report year, and
approximate wording (约、近、余、多), are not compared.

The narrative's own Markdown tables are read cell by cell: a number is a figure when its column
header (or else its row label) names the figure by one of its mentions, in a unit written in the
header, the label or the cell («研发经费支出（万元）»). Cells of rows or columns of another year (a
年度 column holding 2020, a «2021年» column) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from docgen.diagnostics import Diagnostic
from docgen.model.answers import AnswerSet
from docgen.model.definitions import FieldDef
from docgen.narrative.tables import Table, find_tables, table_spans
from docgen.numbers import fmt
from docgen.text.messages import diagnostic
from docgen.text.narrative_text import APPROX_AFTER, APPROX_BEFORE, NARRATIVE_TEXT

_SENTENCE = re.compile(NARRATIVE_TEXT["consistency.sentence"])
_YEAR = re.compile(NARRATIVE_TEXT["consistency.year"])
_APPROX_BEFORE = APPROX_BEFORE
_APPROX_AFTER = APPROX_AFTER
_GAP = NARRATIVE_TEXT["consistency.gap"]
_CELL_YEAR = re.compile(NARRATIVE_TEXT["consistency.cell_year"])
_CELL_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\s*(\S*)$")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")


@dataclass(frozen=True)
class Mention:
    """A figure written in the narrative."""

    key: str
    written: str
    value: Fraction
    tolerance: Fraction
    offset: int


@dataclass(frozen=True)
class FigurePattern:
    """How the narrative writes one field: a mention of it followed closely by a number and a
    unit of its family (the pattern starts with the mention itself)."""

    key: str
    mention: str
    pattern: re.Pattern[str]
    family: dict[str, Fraction]


def figure_patterns(
    fields: dict[str, FieldDef], units: dict[str, dict[str, Fraction]]
) -> list[FigurePattern]:
    """Returns the pattern of every mention of every field with a unit family, in field order
    (built once for all the sections of a submission)."""
    out: list[FigurePattern] = []
    for key, f in fields.items():
        family = units.get(f.unit)
        if not f.mentions or not family:
            continue
        words = "|".join(sorted(map(re.escape, family), key=len, reverse=True))
        for mention in f.mentions:
            pattern = re.compile(re.escape(mention) + _GAP + r"(\d+(?:\.\d+)?)\s*(" + words + ")")
            out.append(FigurePattern(key, mention, pattern, family))
    return out


def find_mentions(
    text: str,
    report_year: int,
    fields: dict[str, FieldDef],
    units: dict[str, dict[str, Fraction]],
    patterns: Sequence[FigurePattern] | None = None,
) -> list[Mention]:
    """Returns every figure the text states for the report year, in order (``patterns``: those
    of ``figure_patterns``, when the caller has them)."""
    out: list[Mention] = []
    if patterns is None:
        patterns = figure_patterns(fields, units)
    for sentence in _SENTENCE.finditer(_without_tables(text)):
        body = sentence.group()
        years = {int(m.group()) for m in _YEAR.finditer(body)}
        if years - {report_year}:
            continue
        # -- the longest mention wins: «新产品销售收入21450万元» is not «销售收入» --
        best: dict[int, tuple[str, re.Match[str], dict[str, Fraction]]] = {}
        for figure in patterns:
            if figure.mention not in body:  # the pattern starts with it: it cannot match
                continue
            for match in figure.pattern.finditer(body):
                start = match.start(1)
                if start not in best or match.start() < best[start][1].start():
                    best[start] = (figure.key, match, figure.family)
        for start, (key, match, family) in sorted(best.items()):
            before = body[max(0, start - 3) : start]
            after = body[match.end(2) : match.end(2) + 2]
            if any(w in before for w in _APPROX_BEFORE) or any(after.startswith(w) for w in _APPROX_AFTER):
                continue
            factor = family[match.group(2)]
            out.append(
                _mention(key, match.group(0), match.group(1), factor, sentence.start() + match.start())
            )
    return out


def _mention(key: str, written: str, digits: str, factor: Fraction, offset: int) -> Mention:
    """Returns the figure ``digits`` × ``factor``, within the precision it was written with."""
    number = Decimal(digits)
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    tolerance = Fraction(1, 2 * 10**places) * factor
    return Mention(key, written, Fraction(number) * factor, tolerance, offset)


def _without_tables(text: str) -> str:
    """Returns ``text`` with its tables blanked (same offsets): they are read cell by cell."""
    for start, end in table_spans(text):
        text = text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
    return text


def _named_figure(
    text: str, fields: dict[str, FieldDef], units: dict[str, dict[str, Fraction]]
) -> str | None:
    """Returns the field a header or label names by its longest mention, if any."""
    best: tuple[int, str] | None = None
    for key, f in fields.items():
        if not units.get(f.unit):
            continue
        for word in f.mentions:
            if word in text and (best is None or len(word) > best[0]):
                best = (len(word), key)
    return best[1] if best else None


def _years(*texts: str) -> set[int]:
    """Returns the years that cells or labels state (a cell «2021», a label «2021年收入»)."""
    out: set[int] = set()
    for text in texts:
        whole = _CELL_YEAR.match(text)
        if whole:
            out.add(int(whole.group(1)))
        out |= {int(m.group()) for m in _YEAR.finditer(text)}
    return out


def _unit(family: dict[str, Fraction], *texts: str) -> str | None:
    """Returns the first unit word of the family written in the texts (longest word first)."""
    words = sorted(family, key=len, reverse=True)
    for text in texts:
        for word in words:
            if word in text:
                return word
    return None


def _table_mentions(
    table: Table, report_year: int, fields: dict[str, FieldDef], units: dict[str, dict[str, Fraction]]
) -> list[Mention]:
    out: list[Mention] = []
    header = table.header
    named = [_named_figure(heading, fields, units) for heading in header]
    for row in table.rows:
        label = row.cells[0] if row.cells else ""
        # -- a row's year: a year cell outside the figures' columns (the 年度 column) --
        row_years = _years(
            *(c for i, c in enumerate(row.cells) if _CELL_YEAR.match(c) and (i >= len(named) or not named[i]))
        )
        for column, cell in enumerate(row.cells[1:], start=1):
            heading = header[column] if column < len(header) else ""
            key = named[column] if column < len(named) else None
            named_by = heading
            if key is None:
                key, named_by = _named_figure(label, fields, units), label
            years = row_years | _years(heading, label)
            if key is None or years - {report_year}:
                continue
            match = _CELL_NUMBER.match(_THOUSANDS.sub("", cell))
            if not match:
                continue
            family = units[fields[key].unit]
            written_unit = match.group(2)
            if written_unit and written_unit not in family:
                continue
            unit = written_unit or _unit(family, named_by, heading, label)
            if unit is None:
                continue
            written = (
                NARRATIVE_TEXT["consistency.table_mention_with_year"].format(
                    report_year=report_year, named_by=named_by, cell=cell
                )
                if years
                else NARRATIVE_TEXT["consistency.table_mention"].format(named_by=named_by, cell=cell)
            )
            out.append(_mention(key, written, match.group(1), family[unit], row.offset))
    return out


def find_table_mentions(
    text: str, report_year: int, fields: dict[str, FieldDef], units: dict[str, dict[str, Fraction]]
) -> list[Mention]:
    """Returns every figure the text's tables state for the report year, row by row."""
    out: list[Mention] = []
    for table in find_tables(text):
        out += _table_mentions(table, report_year, fields, units)
    return out


def check_figures(
    answers: AnswerSet, fields: dict[str, FieldDef], units: dict[str, dict[str, Fraction]], file: str
) -> list[Diagnostic]:
    """Returns a warning for every narrative figure that disagrees with the data, with its line.

    Every contradiction of a section is reported; a figure written again with the same value in
    the same section (the sentence repeated) is reported once, at its first line.
    """
    out: list[Diagnostic] = []
    patterns = figure_patterns(fields, units) if answers.narrative else []
    for section in answers.narrative.values():
        reported: set[tuple[str, Fraction]] = set()
        mentions = find_mentions(section.text, answers.report_year, fields, units, patterns)
        mentions += find_table_mentions(section.text, answers.report_year, fields, units)
        for mention in sorted(mentions, key=lambda m: m.offset):
            actual = answers.figures.get(mention.key)
            if actual is None or abs(actual - mention.value) <= mention.tolerance:
                continue
            if (mention.key, mention.value) in reported:
                continue
            reported.add((mention.key, mention.value))
            f = fields[mention.key]
            out.append(
                diagnostic(
                    "narrative.contradiction",
                    **section.where(mention.offset, file),
                    path=("narrative", section.id),
                    id=section.id,
                    written=mention.written,
                    label=f.label,
                    value=fmt(actual),
                    unit=f.unit,
                    key=mention.key,
                )
            )
    return out

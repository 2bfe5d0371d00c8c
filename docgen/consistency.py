"""CORE: numbers in the narrative that contradict the data table (SPEC §5).

A figure is recognised when one of its field's `mentions` (fields.yaml) is followed closely by a
number and a unit of that field's unit family (亿元/万元/元, 人, 项/件). The number is converted
to the field's unit and compared with the answers, within the precision it was written with
(5.68亿元 covers 56750–56850万元). Sentences about another year than the report year, and
approximate wording (约、近、余、多), are not compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from docgen.diagnostics import Diagnostic
from docgen.messages import diagnostic
from docgen.model import AnswerSet, FieldDef
from docgen.numbers import fmt

_SENTENCE = re.compile(r"[^。；;！？\n]+")
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?=年)")
_APPROX_BEFORE = ("约", "近", "超过", "逾", "将近", "累计")
_APPROX_AFTER = ("余", "多", "以上", "左右")
_GAP = r"[^0-9０-９。；，,、\n]{0,10}?"


@dataclass(frozen=True)
class Mention:
    """A figure written in the narrative."""

    key: str
    written: str
    value: Fraction
    tolerance: Fraction
    offset: int


def _patterns(fields: dict[str, FieldDef], units: dict[str, dict[str, Fraction]]):
    for key, f in fields.items():
        family = units.get(f.unit)
        if not f.mentions or not family:
            continue
        words = "|".join(sorted(map(re.escape, family), key=len, reverse=True))
        for mention in f.mentions:
            pattern = re.compile(re.escape(mention) + _GAP + r"(\d+(?:\.\d+)?)\s*(" + words + ")")
            yield key, pattern, family


def find_mentions(
    text: str, report_year: int, fields: dict[str, FieldDef], units: dict[str, dict[str, Fraction]]
) -> list[Mention]:
    """Returns every figure the text states for the report year, in order."""
    out: list[Mention] = []
    patterns = list(_patterns(fields, units))
    for sentence in _SENTENCE.finditer(text):
        body = sentence.group()
        years = {int(m.group()) for m in _YEAR.finditer(body)}
        if years - {report_year}:
            continue
        # -- the longest mention wins: «新产品销售收入21450万元» is not «销售收入» --
        best: dict[int, tuple[str, re.Match[str], dict[str, Fraction]]] = {}
        for key, pattern, family in patterns:
            for match in pattern.finditer(body):
                start = match.start(1)
                if start not in best or match.start() < best[start][1].start():
                    best[start] = (key, match, family)
        for start, (key, match, family) in sorted(best.items()):
            before = body[max(0, start - 3) : start]
            after = body[match.end(2) : match.end(2) + 2]
            if any(w in before for w in _APPROX_BEFORE) or any(after.startswith(w) for w in _APPROX_AFTER):
                continue
            number = Decimal(match.group(1))
            factor = family[match.group(2)]
            exponent = number.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            tolerance = Fraction(1, 2 * 10**places) * factor
            out.append(
                Mention(
                    key,
                    match.group(0),
                    Fraction(number) * factor,
                    tolerance,
                    sentence.start() + match.start(),
                )
            )
    return out


def check_figures(
    answers: AnswerSet, fields: dict[str, FieldDef], units: dict[str, dict[str, Fraction]], file: str
) -> list[Diagnostic]:
    """Returns a warning for every narrative figure that disagrees with the data, with its line.

    Every contradiction of a section is reported; a figure written again with the same value in
    the same section (the sentence repeated) is reported once, at its first line.
    """
    out: list[Diagnostic] = []
    for section in answers.narrative.values():
        reported: set[tuple[str, Fraction]] = set()
        for mention in find_mentions(section.text, answers.report_year, fields, units):
            actual = answers.figures.get(mention.key)
            if actual is None or abs(actual - mention.value) <= mention.tolerance:
                continue
            if (mention.key, mention.value) in reported:
                continue
            reported.add((mention.key, mention.value))
            line = None
            if section.line:
                line = section.line + 1 + section.text.count("\n", 0, mention.offset)
            f = fields[mention.key]
            out.append(
                diagnostic(
                    "narrative.contradiction",
                    file=file,
                    line=line,
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

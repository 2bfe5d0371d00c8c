"""Frozen results: score cards (SPEC §4) and evidence statuses (SPEC §6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from docgen.model.answers import AnswerSet, Item
from docgen.model.definitions import CoefficientRow, Program


@dataclass(frozen=True)
class OptionValue:
    """The figure of one option that decided a line scored from several (best_of, sum_of): its
    title, unit, data value, evaluated value and the bounds it was compared with."""

    title: str
    unit: str
    value: Fraction | None
    evaluated: Fraction | None
    bounds: tuple[Fraction, ...] = ()

    @property
    def value_bounds(self) -> tuple[Fraction, ...]:
        """Returns the bounds as they apply to the data value (before a coefficient)."""
        if not self.value or not self.evaluated or self.value == self.evaluated:
            return self.bounds
        return tuple(b * self.value / self.evaluated for b in self.bounds)


@dataclass(frozen=True)
class IndicatorResult:
    """One scored line: raw value, evaluated value, weight, score and the arithmetic."""

    id: str
    title: str
    group: tuple[str, ...]
    unit: str
    value: Fraction | None
    evaluated: Fraction | None
    coefficient: Fraction | None
    weight: Fraction
    score: Fraction
    bonus: bool
    rule: str
    reason: str
    explanation: str
    notes: tuple[str, ...] = ()
    met: bool | None = None
    bounds: tuple[Fraction, ...] = ()  # the numbers the evaluated value was compared with
    rating: str = ""  # the 自评 word a rated line was scored on («比较完善»)
    choice: tuple[OptionValue, ...] = ()  # the options that decided a line scored from several

    @property
    def value_bounds(self) -> tuple[Fraction, ...]:
        """Returns the bounds as they apply to the data value (before the industry coefficient),
        for ``numbers.fmt_against(result.value, *result.value_bounds)``."""
        if not self.coefficient:
            return self.bounds
        return tuple(b / self.coefficient for b in self.bounds)


@dataclass(frozen=True)
class EligibilityResult:
    """One eligibility condition (限定性指标) and whether it is met."""

    id: str
    title: str
    passed: bool
    detail: str
    value: Fraction | None
    bound: Fraction
    unit: str


@dataclass(frozen=True)
class CohortFigures:
    """What one submission brings to its cohort's maxima (SPEC §4.2): each base indicator's
    evaluated value (those defined) and whether it meets every limiting indicator not about the
    score — what a card scored alone is needed for, without its arithmetic text."""

    evaluated: dict[str, Fraction]
    meets_limits: bool


@dataclass
class ScoreCard:
    """The whole self-evaluation of one submission."""

    program: Program
    company: str
    report_year: int
    reference: bool
    indicators: list[IndicatorResult]
    bonus: list[IndicatorResult]
    eligibility: list[EligibilityResult]
    industry: CoefficientRow | None = None
    industry_fallback: bool = False
    industry_code: str | None = None  # the code the answers give (the row's own code unless fallback)
    warnings: list[str] = field(default_factory=list)
    complete: bool = True
    threshold: EligibilityResult | None = None  # the total against the 推荐线 (not a limiting indicator)

    @property
    def base_score(self) -> Fraction:
        """Returns the sum of base indicator scores (unrounded)."""
        return sum((r.score for r in self.indicators), Fraction(0))

    @property
    def bonus_score(self) -> Fraction:
        """Returns the sum of bonus scores (unrounded)."""
        return sum((r.score for r in self.bonus), Fraction(0))

    @property
    def total(self) -> Fraction:
        """Returns base plus bonus (unrounded)."""
        return self.base_score + self.bonus_score

    @property
    def eligible(self) -> bool:
        """Returns True when every eligibility condition is met."""
        return all(e.passed for e in self.eligibility)

    @property
    def notes(self) -> list[str]:
        """Returns the program's notes (its visible assumptions)."""
        return [note.text for note in self.program.notes.values()]

    @property
    def report_notes(self) -> list[str]:
        """Returns the notes an enterprise's report prints (not those about docgen's reading)."""
        return self.program.report_notes


USABLE = ("ok", "no-text")


@dataclass(frozen=True)
class DocumentStatus:
    """One checklist document or item proof with the status of its file."""

    key: str
    title: str
    group: str
    file: str | None
    status: str
    pages: int | None
    required: bool
    item: tuple[str, int] | None = None
    identifier: str | None = None
    counter: str = ""  # the item kind's counting word (ItemKind.counter)
    identifier_label: str = ""  # what the identifier is (专利号, 姓名, 获奖项目 …), to say what was not found
    proves: tuple[
        str, ...
    ] = ()  # the figures and ratings it backs (checklist `proves`/`rates`, derived counts)

    @property
    def usable(self) -> bool:
        """Returns True when the file can serve as proof."""
        return self.status in USABLE


@dataclass
class EvidenceReport:
    """Statuses of every document and the evidenced answers."""

    documents: list[DocumentStatus]
    evidenced: AnswerSet
    unproved_items: list[Item]

    @property
    def missing_required(self) -> list[DocumentStatus]:
        """Returns the required documents that are missing or unusable."""
        return [d for d in self.documents if d.required and not d.usable and d.item is None]


@dataclass(frozen=True)
class FileFacts:
    """What inspecting one referenced file found."""

    file: str
    status: str
    kind: str = ""
    pages: int | None = None
    text: str = ""
    problem: str = ""
    found: frozenset[str] = frozenset()
    detail: str = ""


@dataclass(frozen=True)
class Completeness:
    """Whether a submission is complete (SPEC §6, §8): every required document present and usable
    and every scored figure proved. ``scorable`` is False when errors in the figures stop scoring
    (then nothing can be said about proof, and the submission is not complete)."""

    scorable: bool
    missing_documents: tuple[str, ...] = ()  # titles of required documents missing or unusable
    unproved_lines: tuple[str, ...] = ()  # titles of scored lines whose figures lack proof
    missing_facts: tuple[str, ...] = ()  # labels of profile facts every submission gives (信用代码)

    @property
    def complete(self) -> bool:
        """Returns True when nothing is missing and every scored figure is proved."""
        return (
            self.scorable
            and not self.missing_documents
            and not self.unproved_lines
            and not self.missing_facts
        )

"""CORE: (program, answers) → ScoreCard, every line with its arithmetic (SPEC §4).

Arithmetic is exact (``Fraction``); rounding happens only when a number is shown. Totals are sums
of unrounded scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from docgen.definitions.catalog import Catalog
from docgen.model.answers import AnswerSet, Item
from docgen.model.counting import counted_items, item_name
from docgen.model.definitions import CoefficientRow, Indicator, Program
from docgen.model.results import CohortFigures, EligibilityResult, IndicatorResult, OptionValue, ScoreCard
from docgen.numbers import fmt, fmt_against, fmt_fixed
from docgen.rules import Outcome, RuleType
from docgen.rules._params import number
from docgen.text.labels import COMPARISON_WORDS, DIFFERENCE_UNITS, EXPLAIN, TEXT
from docgen.text.punctuation import COMMA, ENUM_COMMA, SEMICOLON

FIGURE_PLACES = 4
"""Decimals a figure of the answers is printed with in an explanation: as entered (999.988万元),
so that the arithmetic shown can be redone from it; a computed value keeps 2."""


class _Engine:
    """Evaluates values, coefficients and rules for one submission."""

    def __init__(
        self, program: Program, answers: AnswerSet, catalog: Catalog, cohort: Mapping[str, Fraction] | None
    ) -> None:
        self.program = program
        self.answers = answers
        self.catalog = catalog
        self.cohort = cohort
        self.figures = answers.figures
        self.report_year = answers.report_year
        self.industry: CoefficientRow | None = None
        self.industry_fallback = False
        if program.coefficients and "industry_code" in answers.profile:
            table = catalog.coefficients[program.coefficients]
            self.industry, self.industry_fallback = table.lookup(answers.profile["industry_code"])

    # -- values --
    def label(self, key: str) -> str:
        """Returns a figure's label for an explanation: a data-table sub-row's «其中：» left off."""
        return self.catalog.fields[key].label.removeprefix(TEXT["sub_row_prefix"])

    def counted(self, key: str) -> str:
        """Returns who a count derived from named items counts («（李建国、陈志远等7人）»), or ""
        for a count given as a number or of items the explanations do not name (ItemKind.named)."""
        derive = self.catalog.fields[key].derive
        kind = self.catalog.item_kinds.get(derive.items) if derive else None
        if derive is None or kind is None or not kind.named or key not in self.answers.derived:
            return ""
        items = counted_items(self.answers.items.get(derive.items, ()), derive, self.report_year)
        if not items:
            return ""
        names = ENUM_COMMA.join(item_name(item, kind.identifier) for item in items[: kind.named])
        if len(items) <= kind.named:
            return EXPLAIN["value.who"].format(names=names)
        return EXPLAIN["value.who_more"].format(names=names, count=len(items), counter=kind.counter)

    def unit(self, key: str) -> str:
        """Returns a figure's unit for an explanation («万元», «人»), empty when it has none."""
        return self.catalog.fields[key].unit

    def value(
        self, spec: Mapping[str, Any] | None, unit: str, bounds: tuple[Fraction, ...] = ()
    ) -> tuple[Fraction | None, str]:
        """Returns a value expression's exact value (None when undefined) and its arithmetic, the
        result printed with the digits that decide it against ``bounds``."""
        if not spec:
            return None, ""
        kind, arg = next(iter(spec.items()))
        keys = [arg] if kind == "field" else list(arg)
        missing = [k for k in keys if k not in self.figures]
        if missing:
            return None, EXPLAIN["value.missing"].format(label=self.label(missing[0]))
        if kind == "field":
            v = self.figures[arg]
            shown = EXPLAIN["value.field"].format(
                label=self.label(arg), value=fmt_against(v, *bounds, places=FIGURE_PLACES), unit=unit
            )
            return v, shown + self.counted(arg)
        if kind == "sum":
            total = sum((self.figures[k] for k in keys), Fraction(0))
            terms = " + ".join(
                EXPLAIN["value.term"].format(
                    label=self.label(k), value=fmt(self.figures[k], FIGURE_PLACES), unit=self.unit(k)
                )
                + self.counted(k)
                for k in keys
            )
            return total, EXPLAIN["value.sum"].format(
                terms=terms, value=fmt_against(total, *bounds), unit=unit
            )
        num, den = self.figures[keys[0]], self.figures[keys[1]]
        words = {
            "num_label": self.label(keys[0]),
            "num": fmt(num, FIGURE_PLACES),
            "num_unit": self.unit(keys[0]),
            "den_label": self.label(keys[1]),
            "den": fmt(den, FIGURE_PLACES),
            "den_unit": self.unit(keys[1]),
        }
        if den <= 0:
            return None, EXPLAIN["value.undefined"].format(**words)
        if kind == "ratio":
            v = num / den
            return v, EXPLAIN["value.ratio"].format(value=fmt_against(v, *bounds), unit=unit, **words)
        v = num / den * 100
        return v, EXPLAIN["value.percent"].format(value=fmt_against(v, *bounds), **words)

    def exact(self, spec: Mapping[str, Any] | None) -> Fraction | None:
        """Returns a value expression's exact value as ``value`` does, without its arithmetic."""
        if not spec:
            return None
        kind, arg = next(iter(spec.items()))
        keys = [arg] if kind == "field" else list(arg)
        if any(k not in self.figures for k in keys):
            return None
        if kind == "field":
            return self.figures[arg]
        if kind == "sum":
            return sum((self.figures[k] for k in keys), Fraction(0))
        num, den = self.figures[keys[0]], self.figures[keys[1]]
        if den <= 0:
            return None
        return num / den if kind == "ratio" else num / den * 100

    def evaluated(self, indicator: Indicator) -> Fraction | None:
        """Returns the evaluated value ``evaluate`` gives the line, computed without its text
        (a line without a value of its own, scored from items, is evaluated in full)."""
        raw = self.exact(indicator.value)
        if raw is None:
            return self.evaluate(indicator).evaluated
        coefficient = self.coefficient(indicator.coefficient)
        return raw if coefficient is None else raw * coefficient

    def coefficient(self, column: str | None) -> Fraction | None:
        if column is None or self.industry is None:
            return None
        return self.industry.values[column]

    # -- parameters --
    def param(self, value: Any) -> tuple[Fraction, str]:
        if isinstance(value, Mapping):
            tier = self.program.tiers[value["tier"]]
            band = tier.band_for(self.figures.get(tier.by, Fraction(0)))
            return band.values[value["column"]], EXPLAIN["tier"].format(title=tier.title, band=band.label)
        return number(value), ""

    def evaluate(self, indicator: Indicator) -> IndicatorResult:
        ctx = _RuleContext(self, indicator.id, indicator.weight, indicator.unit)
        rule_type = self.catalog.rules.types[indicator.rule.type]
        raw, _ = self.value(indicator.value, indicator.unit)
        coefficient = self.coefficient(indicator.coefficient)
        evaluated = raw if raw is None or coefficient is None else raw * coefficient
        outcome = _apply(rule_type, evaluated, indicator.rule.params, ctx)
        bounds: tuple[Fraction, ...] = tuple(outcome.details.get("bounds", ()))
        value_text = self.described(indicator.value, indicator.unit, coefficient, bounds)
        parts = [value_text, outcome.text]
        if raw is None and "value" in outcome.details:  # a line scored from items or several figures
            raw = evaluated = outcome.details["value"]
        return IndicatorResult(
            id=indicator.id,
            title=indicator.title,
            group=indicator.group,
            unit=indicator.unit,
            value=raw,
            evaluated=evaluated,
            coefficient=coefficient,
            weight=indicator.weight,
            score=outcome.score,
            bonus=indicator.bonus,
            rule=indicator.rule.type,
            reason=outcome.reason,
            explanation=SEMICOLON.join(p for p in parts if p),
            notes=tuple(self.program.notes[n].text for n in indicator.notes),
            met=outcome.details.get("met"),
            rating=str(outcome.details.get("rating", "")),
            bounds=bounds,
            choice=tuple(OptionValue(**option) for option in outcome.details.get("choice", ())),
        )

    def described(
        self,
        spec: Mapping[str, Any] | None,
        unit: str,
        coefficient: Fraction | None,
        bounds: tuple[Fraction, ...],
    ) -> str:
        """Returns the arithmetic of a value and its coefficient, the value and the evaluated
        value printed with the digits that decide them against the rule's ``bounds``."""
        if coefficient is None:
            return self.value(spec, unit, bounds)[1]
        raw, text = self.value(spec, unit, tuple(b / coefficient for b in bounds) if coefficient else ())
        if raw is None:
            return text
        return EXPLAIN["coefficient"].format(
            value=text,
            unit=unit,
            coefficient=self.coefficient_text(coefficient),
            evaluated=fmt_against(raw * coefficient, *bounds),
        )

    def coefficient_text(self, coefficient: Fraction) -> str:
        """Returns a coefficient as the notice prints its table (``coefficient_decimals``: «1.0»)."""
        places = next(
            (a.coefficient_decimals for a in self.program.attachments if a.coefficient_decimals is not None),
            None,
        )
        return fmt(coefficient) if places is None else fmt_fixed(coefficient, places)

    def eligibility(self, totals: Mapping[str, Fraction]) -> list[EligibilityResult]:
        """Returns the limiting indicators that apply to the answers' application type."""
        out = []
        for rule in self.program.eligibility:
            if rule.kinds and self.answers.application_type not in rule.kinds:
                continue  # a basic condition of 认定 does not apply to a 评价
            if "score" in rule.value:
                value: Fraction | None = totals[rule.value["score"]]
            else:
                value, _ = self.value(rule.value, rule.unit)
            out.append(_compare(rule.id, rule.title, value, rule.op, rule.bound, rule.unit))
        return out

    def threshold(self, total: Fraction) -> EligibilityResult | None:
        """Returns the total against the program's recommendation threshold (推荐线), or None."""
        bound = self.program.threshold
        if bound is None:
            return None
        title = TEXT["threshold_title"].format(bound=fmt(bound))
        return _compare("threshold", title, total, ">=", bound, TEXT["points_unit"])


def _compare(
    ident: str, title: str, value: Fraction | None, op: str, bound: Fraction, unit: str
) -> EligibilityResult:
    """Returns ``value`` compared with ``bound``, its detail showing the digits that decide it."""
    if value is None:
        return EligibilityResult(ident, title, False, EXPLAIN["threshold.missing"], None, bound, unit)
    passed = _passes(value, op, bound)
    key = "threshold.pass" if passed else "threshold.fail"
    gap = abs(bound - value)  # 69.9999994 fails ≥ 70: the digits that make it fail show
    detail = EXPLAIN[key].format(
        value=fmt_against(value, bound),
        gap=fmt_against(gap, Fraction(0)),
        unit=unit,
        gap_unit=DIFFERENCE_UNITS.get(unit, unit),
        op=COMPARISON_WORDS[op][0 if passed else 1],
        bound=fmt(bound),
    )
    return EligibilityResult(ident, title, passed, detail, value, bound, unit)


def _passes(value: Fraction, op: str, bound: Fraction) -> bool:
    return {">=": value >= bound, ">": value > bound, "<=": value <= bound, "<": value < bound}[op]


def _apply(rule_type: RuleType, x: Fraction | None, params: Mapping[str, Any], ctx: _RuleContext) -> Outcome:
    """Returns the rule's outcome; a rule that scores a value gets 0 when there is none (a figure
    missing under partial scoring, a ratio undefined: the value text says which)."""
    if x is None and rule_type.uses_value:
        return Outcome(Fraction(0), EXPLAIN["value.no_score"], "undefined")
    return rule_type.evaluate(x, params, ctx)


class _RuleContext:
    """The engine as seen by one rule evaluation (see ``docgen.rules.RuleContext``)."""

    def __init__(self, engine: _Engine, indicator_id: str, weight: Fraction, unit: str) -> None:
        self.engine = engine
        self.indicator_id = indicator_id
        self.weight = weight
        self.unit = unit
        self.report_year = engine.report_year

    def param(self, value: Any) -> tuple[Fraction, str]:
        return self.engine.param(value)

    def cohort_max(self) -> Fraction | None:
        if self.engine.cohort is None:
            return None
        return self.engine.cohort.get(self.indicator_id, Fraction(0))

    def items(self, kind: str) -> tuple[Item, ...]:
        return self.engine.answers.items.get(kind, ())

    def listed(self, kind: str) -> bool:
        return kind in self.engine.answers.items

    def figure(self, key: str) -> Fraction | None:
        return self.engine.figures.get(key)

    def label(self, key: str) -> str:
        return self.engine.label(key)

    def field_unit(self, key: str) -> str:
        return self.engine.unit(key)

    def counter(self, kind: str) -> str:
        return self.engine.catalog.item_kinds[kind].counter or EXPLAIN["item_points.counter"]

    def kind_label(self, kind: str) -> str:
        return self.engine.catalog.item_kinds[kind].label

    def rating(self, key: str) -> str | None:
        return self.engine.answers.ratings.get(key)

    def identify(self, kind: str, item: Item) -> str:
        identifier = self.engine.catalog.item_kinds[kind].identifier
        return str(item.values.get(identifier) or item.values.get("name") or item.index + 1)

    def display(self, kind: str, field_name: str, value: Any) -> str:
        spec = self.engine.catalog.item_kinds[kind].fields.get(field_name)
        if spec and spec.choices and value in spec.choices:
            return spec.choices[value]
        return "" if value is None else str(value)

    def evaluate_option(self, option: Mapping[str, Any]) -> tuple[Outcome, str]:
        unit = str(option.get("unit", self.unit))
        raw, _ = self.engine.value(option.get("value"), unit)
        coefficient = self.engine.coefficient(option.get("coefficient"))
        evaluated = raw if raw is None or coefficient is None else raw * coefficient
        rule = option["rule"]
        rule_type = self.engine.catalog.rules.types[rule["type"]]
        inner = _RuleContext(self.engine, self.indicator_id, self.weight, unit)
        outcome = _apply(rule_type, evaluated, rule, inner)
        bounds = tuple(outcome.details.get("bounds", ()))
        value_text = self.engine.described(option.get("value"), unit, coefficient, bounds)
        title = str(option.get("title", ""))
        body = COMMA.join(p for p in (value_text, outcome.text) if p)
        # the title said once: «拥有院士人数（含外聘）0人», not «院士：拥有院士人数（含外聘）0人»
        text = (
            body
            if title and title in value_text
            else EXPLAIN["best_of.option"].format(title=title, text=body)
        )
        if "choice" not in outcome.details:  # the option's own figure, for the line's value cells
            figure = {
                "title": str(option.get("title", "")),
                "unit": unit,
                "value": raw,
                "evaluated": evaluated,
            }
            details = {**outcome.details, "choice": ({**figure, "bounds": bounds},)}
            outcome = Outcome(outcome.score, outcome.text, outcome.reason, details)
        return outcome, text


def score_answers(
    program: Program,
    answers: AnswerSet,
    catalog: Catalog,
    cohort: Mapping[str, Fraction] | None = None,
    warnings: list[str] | None = None,
) -> ScoreCard:
    """Returns the score card of ``answers`` under ``program``.

    Args:
        cohort: for cohort-relative programs, each indicator id's highest evaluated value among
            the submissions scored together; None scores the submission alone (参考分).
        warnings: messages to carry on the card (from validation).
    """
    engine = _Engine(program, answers, catalog, cohort)
    indicators = [engine.evaluate(i) for i in program.indicators]
    bonus = [engine.evaluate(i) for i in program.bonus]
    base = sum((r.score for r in indicators), Fraction(0))
    extra = sum((r.score for r in bonus), Fraction(0))
    totals = {"base": base, "bonus": extra, "total": base + extra}
    return ScoreCard(
        program=program,
        company=answers.company,
        report_year=answers.report_year,
        reference=program.relative == "cohort" and cohort is None,
        indicators=indicators,
        bonus=bonus,
        eligibility=engine.eligibility(totals),
        threshold=engine.threshold(totals["total"]),
        industry=engine.industry,
        industry_fallback=engine.industry_fallback,
        industry_code=answers.profile.get("industry_code") if engine.industry is not None else None,
        warnings=list(warnings or []),
    )


def cohort_figures(program: Program, answers: AnswerSet, catalog: Catalog) -> CohortFigures:
    """Returns what ``answers`` bring to a cohort's maxima, as ``card_figures`` of the card
    ``score_answers`` scores alone, at a fraction of its cost (no arithmetic text)."""
    engine = _Engine(program, answers, catalog, None)
    evaluated: dict[str, Fraction] = {}
    for indicator in program.indicators:
        value = engine.evaluated(indicator)
        if value is not None:
            evaluated[indicator.id] = value
    score_based = {rule.id for rule in program.eligibility if "score" in rule.value}
    meets = True
    for rule in program.eligibility:
        if rule.id in score_based or (rule.kinds and answers.application_type not in rule.kinds):
            continue
        value = engine.exact(rule.value)
        meets = meets and value is not None and _passes(value, rule.op, rule.bound)
    return CohortFigures(evaluated, meets)


def card_figures(card: ScoreCard) -> CohortFigures:
    """Returns what a card scored alone brings to a cohort's maxima."""
    evaluated = {r.id: r.evaluated for r in card.indicators if r.evaluated is not None}
    return CohortFigures(evaluated, _meets_limits(card))


def _meets_limits(card: ScoreCard) -> bool:
    score_based = {rule.id for rule in card.program.eligibility if "score" in rule.value}
    return all(e.passed for e in card.eligibility if e.id not in score_based)


def cohort_maxima(cards: list[ScoreCard]) -> dict[str, Fraction]:
    """Returns each base indicator's highest evaluated value among ``cards`` (SPEC §4.2)."""
    return maxima_of([card_figures(card) for card in cards])


def maxima_of(figures: list[CohortFigures]) -> dict[str, Fraction]:
    """Returns each base indicator's highest evaluated value among the submissions (SPEC §4.2).

    Only submissions that meet every limiting indicator (the eligibility rules that are not
    about the score) set the full values: one that cannot be recognised must not lower everyone
    else's scores. When none meets them, all of them are compared.
    """
    members = [f for f in figures if f.meets_limits] or figures
    out: dict[str, Fraction] = {}
    for member in members:
        for ident, value in member.evaluated.items():
            out[ident] = max(out.get(ident, value), value)
    return out

"""Score cards, diagnostics and evidence → JSON objects (SPEC §8) and terminal tables."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, TypedDict

from docgen.diagnostics import Diagnostic
from docgen.model.results import Completeness, EvidenceReport, IndicatorResult, ScoreCard
from docgen.numbers import fmt_against, fmt_fixed, to_json, to_score
from docgen.text.labels import TEXT
from docgen.text.outputs_text import OUTPUTS_TEXT

# the version of every JSON object docgen prints or writes (docs/json.md, docgen/schemas/): raised
# only when a key is removed or changes its type or meaning; a new key keeps it
SCHEMA_VERSION = 1


class Shortfall(TypedDict):
    """An indicator whose evidenced value or score is below the claimed one (JSON numbers)."""

    indicator: str
    label: str
    unit: str
    claimed: float | int | None
    evidenced: float | int | None
    claimed_score: float
    evidenced_score: float
    score_effect: float


def indicator_json(result: IndicatorResult) -> dict[str, Any]:
    """Returns one indicator line in the SPEC §8 form."""
    return {
        "id": result.id,
        "label": result.title,
        "group": list(result.group),
        "unit": result.unit,
        "value": _json_value(result.value, result.value_bounds),
        "evaluated_value": _json_value(result.evaluated, result.bounds),
        "coefficient": to_json(result.coefficient, 4),
        "weight": to_json(result.weight),
        "score": to_score(result.score),
        "bonus": result.bonus,
        "rule": result.rule,
        "explanation": result.explanation,
        "notes": list(result.notes),
        **(
            {
                "result": OUTPUTS_TEXT["objects.result_met"]
                if result.met
                else OUTPUTS_TEXT["objects.result_not_met"]
            }
            if result.met is not None
            else {}
        ),
    }


def _json_value(value: Fraction | None, bounds: tuple[Fraction, ...]) -> float | int | None:
    """Returns a line's value as a JSON number of 4 decimals, more when 4 would put it on the
    other side of a bound it was compared with (1.999976 against 2 is 1.99998, not 2)."""
    if value is None:
        return None
    shown = Decimal(fmt_against(value, *bounds, places=4))
    return int(shown) if shown == shown.to_integral_value() else float(shown)


def score_json(card: ScoreCard, evidenced: ScoreCard | None = None) -> dict[str, Any]:
    """Returns the ``docgen score --json`` object (plus ``evidenced_total`` when given)."""
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "program": card.program.id,
        "company": card.company,
        "report_year": card.report_year,
        "reference": card.reference,
        "complete": card.complete,
        "eligible": card.eligible,
        "eligibility": [
            {"id": e.id, "label": e.title, "passed": e.passed, "detail": e.detail} for e in card.eligibility
        ],
        "threshold": (
            {
                "label": card.threshold.title,
                "bound": to_json(card.threshold.bound),
                "passed": card.threshold.passed,
                "detail": card.threshold.detail,
            }
            if card.threshold is not None
            else None
        ),
        "base_score": to_score(card.base_score),
        "bonus_score": to_score(card.bonus_score),
        "total": to_score(card.total),
        "indicators": [indicator_json(r) for r in (*card.indicators, *card.bonus)],
        "warnings": list(dict.fromkeys(card.warnings)),
        "notes": card.notes,
    }
    if card.industry is not None:
        out["industry"] = {
            "code": card.industry_code or card.industry.code,
            "name": card.industry.name,
            "fallback": card.industry_fallback,
        }
    if evidenced is not None:
        out["evidenced_total"] = to_score(evidenced.total)
        out["evidenced_eligible"] = evidenced.eligible
        if evidenced.threshold is not None:
            out["evidenced_threshold_passed"] = evidenced.threshold.passed
    return out


def check_json(diagnostics: list[Diagnostic], completeness: Completeness | None = None) -> dict[str, Any]:
    """Returns the ``docgen check --json`` object: ``ok`` (no error in the answers), the
    diagnostics, and ``complete`` (every required document usable, every scored figure proved;
    false when the answers could not be assessed)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "ok": not any(d.is_error for d in diagnostics),
        "diagnostics": [d.as_json() for d in diagnostics],
        "complete": completeness is not None and completeness.complete,
        "missing_documents": list(completeness.missing_documents) if completeness else [],
        "unproved_lines": list(completeness.unproved_lines) if completeness else [],
        "missing_facts": list(completeness.missing_facts) if completeness else [],
    }


def shortfalls(claimed: ScoreCard, evidenced: ScoreCard) -> list[Shortfall]:
    """Returns each indicator whose evidenced value or score is below the claimed one."""
    out: list[Shortfall] = []
    for a, b in zip(
        (*claimed.indicators, *claimed.bonus), (*evidenced.indicators, *evidenced.bonus), strict=True
    ):
        lower_value = a.value is not None and b.value is not None and b.value < a.value
        if lower_value or b.score < a.score:
            out.append(
                {
                    "indicator": a.id,
                    "label": a.title,
                    "unit": a.unit,
                    "claimed": to_json(a.value, 4),
                    "evidenced": to_json(b.value, 4),
                    "claimed_score": to_score(a.score),
                    "evidenced_score": to_score(b.score),
                    "score_effect": to_score(b.score - a.score),
                }
            )
    return out


def evidence_json(report: EvidenceReport, claimed: ScoreCard, evidenced: ScoreCard) -> dict[str, Any]:
    """Returns the ``docgen evidence --json`` object."""
    return {
        "schema_version": SCHEMA_VERSION,
        "documents": [
            {
                "key": d.key,
                "title": d.title,
                "group": d.group,
                "file": d.file,
                "status": d.status,
                "pages": d.pages,
                "required": d.required,
            }
            for d in report.documents
        ],
        "shortfalls": shortfalls(claimed, evidenced),
        "claimed_total": to_score(claimed.total),
        "evidenced_total": to_score(evidenced.total),
    }


def industry_parts(card: ScoreCard) -> tuple[str, str] | None:
    """Returns the industry code the answers give and the coefficient row's name (marked when the
    code is not in the table and the 其他 row is used), or None without coefficients."""
    if card.industry is None:
        return None
    suffix = TEXT["industry_fallback"] if card.industry_fallback else ""
    return card.industry_code or card.industry.code, card.industry.name + suffix


def score_rows(card: ScoreCard) -> list[list[str]]:
    """Returns the rows of the terminal score table: 一级, 二级, 三级指标, 值, 评价值, 权重, 得分."""
    rows = []
    previous: tuple[str, ...] = ()
    for r in (*card.indicators, *card.bonus):
        group = r.group + ("",) * (2 - len(r.group))
        shown = [
            g if i >= len(previous) or previous[: i + 1] != group[: i + 1] else ""
            for i, g in enumerate(group[:2])
        ]
        previous = group
        rows.append(
            [
                *shown,
                r.title,
                _val(r.value, r.unit, r.value_bounds),
                _val(r.evaluated, r.unit, r.bounds),
                fmt_fixed(r.weight, 0) if r.weight.denominator == 1 else fmt_fixed(r.weight),
                fmt_fixed(r.score),
            ]
        )
    return rows


def _val(value: Fraction | None, unit: str, bounds: tuple[Fraction, ...]) -> str:
    """Returns a value for the terminal table with the digits that decide it against ``bounds``."""
    if value is None:
        return "—"
    return fmt_against(value, *bounds) + ("%" if unit == "%" else "")

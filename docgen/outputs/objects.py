"""Score cards, diagnostics and evidence → JSON objects (SPEC §8) and terminal tables."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, TypedDict

from docgen.diagnostics import Diagnostic
from docgen.model.results import Completeness, EvidenceReport, IndicatorResult, ScoreCard
from docgen.numbers import fmt_fixed, to_json, to_score
from docgen.text.labels import TEXT


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
        "value": to_json(result.value, 4),
        "evaluated_value": to_json(result.evaluated, 4),
        "coefficient": to_json(result.coefficient, 4),
        "weight": to_json(result.weight),
        "score": to_score(result.score),
        "bonus": result.bonus,
        "rule": result.rule,
        "explanation": result.explanation,
        "notes": list(result.notes),
        **({"result": "达标" if result.met else "未达标"} if result.met is not None else {}),
    }


def score_json(card: ScoreCard, evidenced: ScoreCard | None = None) -> dict[str, Any]:
    """Returns the ``docgen score --json`` object (plus ``evidenced_total`` when given)."""
    out: dict[str, Any] = {
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
                _val(r.value, r.unit),
                _val(r.evaluated, r.unit),
                fmt_fixed(r.weight, 0) if r.weight.denominator == 1 else fmt_fixed(r.weight),
                fmt_fixed(r.score),
            ]
        )
    return rows


def _val(value: Fraction | None, unit: str) -> str:
    if value is None:
        return "—"
    from docgen.numbers import fmt

    return fmt(value) + ("%" if unit == "%" else "")

"""What the workspace pages show of an assessment: the live score table, the findings (each
with the slots it is placed in and the control it links to), the files' inspection status."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from docgen.numbers import fmt_fixed
from docgen.text.labels import STATUS, TEXT
from docgen.text.web_text import WEB_TEXT
from docgen.web.form_model import WorkspaceForm, slots_of
from docgen.web.form_model import slot as slot_of
from docgen.web.workspace import Assessment


def score_view(found: Assessment) -> dict[str, Any] | None:
    """Returns the live score table: each line claimed and evidenced with its explanation."""
    if found.evaluation is None:
        return None
    claimed, evidenced = found.evaluation.claimed, found.evaluation.evidenced
    lines = []
    for a, b in zip(
        (*claimed.indicators, *claimed.bonus), (*evidenced.indicators, *evidenced.bonus), strict=True
    ):
        lines.append(
            {
                "group": " / ".join(a.group),
                "title": a.title,
                "weight": _num(a.weight),
                "score": fmt_fixed(a.score),
                "evidenced": fmt_fixed(b.score),
                "short": b.score < a.score,
                "bonus": a.bonus,
                "explanation": a.explanation,
                "evidenced_explanation": b.explanation if b.explanation != a.explanation else "",
            }
        )
    completeness = found.completeness
    return {
        "lines": lines,
        "base": fmt_fixed(claimed.base_score),
        "bonus": fmt_fixed(claimed.bonus_score),
        "total": fmt_fixed(claimed.total),
        "evidenced_total": fmt_fixed(evidenced.total),
        "max": _num(claimed.program.max_score),
        "eligible": all(e.passed for e in claimed.eligibility),
        "eligibility": [
            {"title": e.title, "passed": e.passed, "detail": e.detail} for e in claimed.eligibility
        ],
        "threshold": claimed.threshold,
        "reference": TEXT["reference_explained"] if claimed.reference else "",
        "complete": completeness is not None and completeness.complete,
        "missing_documents": list(completeness.missing_documents) if completeness else [],
        "unproved": list(completeness.unproved_lines) if completeness else [],
        "missing_facts": list(completeness.missing_facts) if completeness else [],
    }


def _num(value: Fraction) -> str:
    return fmt_fixed(value, 0) if value.denominator == 1 else fmt_fixed(value)


_KEY_NOTE = re.compile(WEB_TEXT["pages.key_note"])
"""The answers key a message names for someone editing YAML («（main_revenue）»): on a page the
finding stands beside its field, so the key is left out."""


def findings_view(found: Assessment, form: WorkspaceForm | None = None) -> list[dict[str, Any]]:
    """Returns the findings with the slots they are shown in (most precise first), worded for
    the page (without the answers keys meant for YAML editors), each with the id of the control
    it links to (``target``: the most precise one the page has, or empty)."""
    targets = focus_targets(form) if form is not None else {}
    out = []
    for d in found.findings:
        path = d.location.key_path
        slots = slots_of(path) if path else []
        out.append(
            {
                "severity": "error" if d.is_error else "warning",
                "message": _KEY_NOTE.sub("", d.message),
                "where": ".".join(str(p) for p in path),
                "slots": " ".join(slots),
                "target": next((targets[s] for s in slots if s in targets), ""),
            }
        )
    return out


def focus_targets(form: WorkspaceForm) -> dict[str, str]:
    """Returns, by findings slot, the id of the control a finding there links to: the field's
    input, a row's first cell, a list's add button, a checklist entry's upload."""
    out: dict[str, str] = {}
    for i in (*form.profile, *form.data, *form.ratings, *(box.input for box in form.sections)):
        out[i.slot] = i.ident
    for item_list in form.items:
        out[item_list.slot] = "add-" + item_list.slot
        for index, cells in enumerate(item_list.rows):
            for c in cells:
                out[c.slot] = c.ident
            if cells:
                out[slot_of(("items", item_list.key, index))] = cells[0].ident
    for doc in form.documents:
        out[doc.slot] = "f-" + doc.slot
    return out


def facts_view(found: Assessment) -> dict[str, dict[str, str]]:
    return {
        name: {
            "status": f.status,
            "word": STATUS.get(f.status, f.status),
            "problem": f.problem,
            "pages": str(f.pages or ""),
        }
        for name, f in found.facts.items()
    }

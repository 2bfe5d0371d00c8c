"""CORE: the 补正通知 a reviewer's return sends the enterprise (SPEC §11) — the reason as
written, the errors the check still finds, and the documents missing, unproved or not accepted;
addressed to the applicant, signed with the program's issuing bureau and the day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from docgen.diagnostics import Diagnostic
from docgen.model.definitions import Program
from docgen.outputs.contexts import format_date
from docgen.outputs.missing import signature
from docgen.text.web import CORRECTION


def correction_context(
    program: Program,
    company: str,
    reason: str,
    findings: Sequence[Diagnostic],
    missing_documents: Sequence[str],
    unproved: Sequence[str],
    rejected: Mapping[str, str],
    day: dt.date,
) -> dict[str, Any]:
    """Returns the 补正通知's context (``rejected``: a document's title, or a file's path, → the
    reviewer's reason; a document not accepted is named once, with that reason)."""
    errors = [d.message for d in findings if d.is_error]
    missing = [
        *(CORRECTION["missing_document"].format(title=t) for t in missing_documents if t not in rejected),
        *(CORRECTION["unproved"].format(title=t) for t in unproved),
        *(CORRECTION["rejected"].format(file=f, reason=r) for f, r in sorted(rejected.items())),
    ]
    date = format_date(day)
    return {
        "title": CORRECTION["title"],
        "addressee": CORRECTION["addressee"].format(company=company),
        "opening": CORRECTION["opening"].format(program=program.title),
        "reason_heading": CORRECTION["reason_heading"],
        "reason_lines": [line.strip() for line in reason.splitlines() if line.strip()],
        "errors_heading": CORRECTION["errors_heading"],
        "errors": errors or [CORRECTION["none"]],
        "numbered_errors": bool(errors),
        "missing_heading": CORRECTION["missing_heading"],
        "missing": missing or [CORRECTION["none"]],
        "numbered_missing": bool(missing),
        "closing": CORRECTION["closing"],
        "signature": signature(program.issuer, date),
        "report": {"date": date},
    }

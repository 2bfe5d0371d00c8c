"""docgen: structured answers → correct Chinese government application documents.

Public names only; see docs/ for the definition formats and the template context.
"""

from docgen.app.submission import (
    Submission,
    check_submission,
    evaluate_submission,
    open_submission,
    score_submission,
)
from docgen.definitions.catalog import load_catalog
from docgen.diagnostics import Diagnostic, Location, Severity
from docgen.errors import DocgenError
from docgen.scoring.engine import ScoreCard, score_answers

__all__ = [
    "Diagnostic",
    "DocgenError",
    "Location",
    "ScoreCard",
    "Severity",
    "Submission",
    "check_submission",
    "evaluate_submission",
    "load_catalog",
    "open_submission",
    "score_answers",
    "score_submission",
]
__version__ = "0.1.0"

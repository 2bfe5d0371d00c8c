"""docgen: structured answers → correct Chinese government application documents.

Public names only, loaded on first use (PEP 562): ``import docgen`` imports no submodule, so a
command pays only for what it uses. See docs/architecture.md for the layers.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from docgen.resources import __version__

if TYPE_CHECKING:
    from docgen.app.submission import (
        Submission,
        check_submission,
        evaluate_submission,
        open_submission,
        score_submission,
    )
    from docgen.definitions.load import load_catalog
    from docgen.diagnostics import Diagnostic, Location, Severity
    from docgen.errors import DocgenError
    from docgen.model.results import ScoreCard
    from docgen.scoring.engine import score_answers

# public name → the module that defines it
_PUBLIC = {
    "Diagnostic": "docgen.diagnostics",
    "DocgenError": "docgen.errors",
    "Location": "docgen.diagnostics",
    "ScoreCard": "docgen.model.results",
    "Severity": "docgen.diagnostics",
    "Submission": "docgen.app.submission",
    "check_submission": "docgen.app.submission",
    "evaluate_submission": "docgen.app.submission",
    "load_catalog": "docgen.definitions.load",
    "open_submission": "docgen.app.submission",
    "score_answers": "docgen.scoring.engine",
    "score_submission": "docgen.app.submission",
}

__all__ = [
    "Diagnostic",
    "DocgenError",
    "Location",
    "ScoreCard",
    "Severity",
    "Submission",
    "__version__",
    "check_submission",
    "evaluate_submission",
    "load_catalog",
    "open_submission",
    "score_answers",
    "score_submission",
]


def __getattr__(name: str) -> Any:
    """Returns a public name, importing its module on first use."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'docgen' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

"""A parsed answers document → a validated ``AnswerSet`` plus diagnostics (SPEC §3).

One reader module per section (``profile``, ``figures``, ``items``, ``ratings``, ``narrative``,
``evidence``), the counts and windows over items (``counts``), the checks across figures
(``checks``) and what a program reads (``usage``); ``read`` runs them. Field values are
converted by the field types of ``docgen.model.field_types``.
"""

from __future__ import annotations

from docgen.answers.read import program_of, read_answers
from docgen.answers.usage import rating_rules, used_keys

__all__ = ["program_of", "rating_rules", "read_answers", "used_keys"]

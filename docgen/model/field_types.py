"""The types a data-table, profile or item field may declare (``type:`` in programs/shared/).

Definitions name one of these; a mistyped name is a definition error at load.
"""

from __future__ import annotations

FIELD_TYPE_NAMES = frozenset(
    {
        "amount",  # money or another non-negative (``signed: true``: any) exact number
        "bool",
        "choice",  # one of ``choices`` (English values; Chinese aliases accepted)
        "count",  # a whole number ≥ 0
        "date",
        "file",  # an evidence file's path inside the submission
        "half",  # a number ≥ 0 in steps of 0.5 (人月)
        "industry_code",  # a two-digit GB/T 4754 大类 code
        "patent_number",
        "text",
        "year",
    }
)

"""The user-facing words of docgen.model: messages and labels its code formats."""

from __future__ import annotations

MODEL_TEXT: dict[str, str] = {
    "answers.application_type_of": "认定",
    "counting.dashes": "[‐‑‒–—―－﹣−]",
    "field_types.read_number": "表中单位",
    "field_types.read_number_2": "数值",
    "field_types.convert": "{k}（{v}）",
}

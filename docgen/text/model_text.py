"""The user-facing words of docgen.model: messages and labels its code formats."""

from __future__ import annotations

MODEL_TEXT: dict[str, str] = {
    "answers.default_application_type": "认定",
    "counting.dashes": "[‐‑‒–—―－﹣−]",
    "field_types.default_unit": "表中单位",
    "field_types.expected_number": "数值",
    "field_types.choice_with_name": "{key}（{name}）",
}

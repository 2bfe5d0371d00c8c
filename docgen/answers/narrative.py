"""The ``narrative`` section: the text of each outline section, as written (Markdown)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docgen.answers.context import Context, mapping_section
from docgen.model.definitions import NarrativeSection


def read_narrative(ctx: Context, data: Mapping[str, Any]) -> dict[str, NarrativeSection]:
    """Returns each narrative section by id; a section that is not text is reported and left out."""
    raw = mapping_section(ctx, data, "narrative")
    out: dict[str, NarrativeSection] = {}
    for key, value in raw.items():
        path = ("narrative", key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            ctx.add("narrative.not_text", path, id=key)
            continue
        out[key] = NarrativeSection(key, value, ctx.line_at(path))
    return out

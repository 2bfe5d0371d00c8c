"""The ``narrative`` section: the text of each outline section, as written (Markdown)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from docgen.answers.context import Context, mapping_section
from docgen.model.definitions import NarrativeSection
from docgen.text.labels import TEXT


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
        line = ctx.line_at(path)
        out[key] = NarrativeSection(key, without_placeholders(ctx, key, value, line), line)
    return out


def _placeholder_pattern() -> re.Pattern[str]:
    """Returns what ``docgen init`` writes into a section: its placeholder «（在此填写…）» (any
    title and length on one line), and the guidance line «# 应包括：…» older skeletons wrote inside
    the block (where it was read as a heading of the answer)."""
    placeholder = TEXT["narrative_placeholder"]
    opening, closing = placeholder.split("{", 1)[0], placeholder[-1]
    guidance = TEXT["narrative_guidance"].split("{", 1)[0]
    return re.compile(
        rf"{re.escape(opening)}[^\n]*?{re.escape(closing)}|^[ \t]*#*[ \t]*{re.escape(guidance)}[^\n]*$",
        re.MULTILINE,
    )


_PLACEHOLDER = _placeholder_pattern()


def without_placeholders(ctx: Context, key: str, text: str, line: int | None) -> str:
    """Returns the section's ``text`` without what ``docgen init`` wrote into it; each piece left
    there is the error ``narrative.placeholder`` on its own line, and is neither counted as written
    text nor as a point covered."""
    section = NarrativeSection(key, text, line)
    found = False
    for match in _PLACEHOLDER.finditer(text):
        found = True
        # a block scalar starts on the line after its key; a one-line value is on the key's line
        at = section.line_at(match.start()) if "\n" in text else line
        ctx.add_at("narrative.placeholder", ("narrative", key), at, id=key, written=match.group().strip())
    return _PLACEHOLDER.sub("", text) if found else text

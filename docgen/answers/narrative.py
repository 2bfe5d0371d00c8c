"""The ``narrative`` section: the text of each outline section, as written (Markdown), or read
from a Word draft (``narrative: {file: 申请报告草稿.docx}``, SPEC §9)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from docgen.answers.context import Context, mapping_section
from docgen.definitions.catalog import Catalog
from docgen.model.answers import NarrativeSection
from docgen.model.definitions import Outline, Program
from docgen.model.field_types import read_file_path
from docgen.sources.drafts import WordDraft
from docgen.text.answers_text import ANSWERS_TEXT
from docgen.text.labels import DRAFT_PROBLEMS, TEXT

DRAFT_KEYS = ("file", ANSWERS_TEXT["narrative.file_alias"])
"""The key naming the Word draft, and its Chinese alias."""


def draft_name(data: Any) -> str | None:
    """Returns the Word draft an answers document names under ``narrative`` (or 正文), if any:
    the path as written, ``\\`` read as ``/``."""
    if not isinstance(data, Mapping):
        return None
    narrative = data.get("narrative", data.get(ANSWERS_TEXT["narrative.section_alias"]))
    if not isinstance(narrative, Mapping):
        return None
    for key in DRAFT_KEYS:
        value = narrative.get(key)
        if isinstance(value, str) and value.strip():
            return str(read_file_path(value.strip()).value)
    return None


def outline_of(program: Program, catalog: Catalog, application_type: str) -> Outline | None:
    """Returns the outline for an application type (认定 → 附件1, 评价 → 附件2), as the
    submission chooses it."""
    outline_id = program.outlines.get(application_type) or next(iter(program.outlines.values()), None)
    return catalog.outlines.get(outline_id) if outline_id else None


def read_narrative(
    ctx: Context, data: Mapping[str, Any], outline: Outline | None = None, draft: WordDraft | None = None
) -> dict[str, NarrativeSection]:
    """Returns each narrative section by id; a section that is not text is reported and left out.

    With ``file:`` (the draft, read by the caller as ``draft``), the sections come from the
    draft, matched to ``outline``; a section also written under ``narrative`` is taken from there.
    """
    raw = mapping_section(ctx, data, "narrative")
    out: dict[str, NarrativeSection] = {}
    for key, value in raw.items():
        path = ("narrative", key)
        if key in DRAFT_KEYS:
            if not isinstance(value, str) or not value.strip():
                ctx.add("narrative.draft_file", path)
            else:
                ctx.place(read_file_path(value.strip()).diagnostics, path)
            continue
        if value is None:
            value = ""
        if not isinstance(value, str):
            ctx.add("narrative.not_text", path, id=key)
            continue
        line = ctx.line_at(path)
        out[key] = NarrativeSection(key, without_placeholders(ctx, key, value, line), line)
    if draft is None:
        return out
    key = next(k for k in DRAFT_KEYS if k in raw)
    if draft.problem is not None:
        ctx.add(
            "narrative.draft_unreadable",
            ("narrative", key),
            name=draft.file,
            problem=DRAFT_PROBLEMS[draft.problem],
        )
        return out
    if outline is None:
        return out
    from docgen.narrative.draft import sections_from_draft  # off the start-up path without a draft

    drafted, findings = sections_from_draft(outline, draft)
    ctx.findings.extend(findings)
    if not drafted:  # one finding rather than every section missing
        ctx.add("narrative.draft_no_headings", ("narrative", key), name=draft.file)
    for section_id, section in drafted.items():
        if section_id in out:
            ctx.add(
                "narrative.draft_and_text",
                ("narrative", section_id),
                id=section_id,
                name=draft.file,
                paragraph=section.paragraph_at(None),
            )
            continue
        out[section_id] = section
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

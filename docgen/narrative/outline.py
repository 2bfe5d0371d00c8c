"""CORE: narrative sections checked against the outline (SPEC §5)."""

from __future__ import annotations

import re
from functools import partial

from docgen.diagnostics import Diagnostic
from docgen.model.answers import NarrativeSection
from docgen.model.definitions import Outline, Point, Section
from docgen.narrative.limits import markdown_limit
from docgen.text.labels import DRAFT_WHERE, MARKDOWN_LIMITS
from docgen.text.messages import diagnostic
from docgen.text.narrative_text import NARRATIVE_TEXT
from docgen.text.punctuation import ENUM_COMMA, IDEOGRAPHIC_SPACE

_MARKUP = re.compile(r"[#*_`>|\-\s]+")
# headings users type at the start of a section: 一、 （一） 1. 1、 1.1
_TYPED_HEADING = re.compile(NARRATIVE_TEXT["outline.typed_heading"])


def plain_length(text: str) -> int:
    """Returns the number of characters of ``text`` without Markdown markup and spaces."""
    return len(_MARKUP.sub("", text))


def strip_typed_heading(text: str, title: str) -> str:
    """Returns ``text`` without a first line that repeats the section's own heading."""
    lines = text.lstrip("\n").split("\n", 1)
    first = lines[0].strip().lstrip("#").strip()
    bare = _TYPED_HEADING.sub("", first).rstrip(NARRATIVE_TEXT["outline.heading_trailing_marks"]).strip()
    if bare and (bare == title or (title.startswith(bare) and len(bare) >= 4)):
        return lines[1] if len(lines) > 1 else ""
    return text


def _section_suggestion(outline: Outline, key: str) -> str:
    """Returns «是否应为“1.1”？» when ``key`` is a section's title, or its id followed by the title."""
    for section in outline.sections:
        if key.strip() == section.title or key.startswith((section.id + " ", section.id + IDEOGRAPHIC_SPACE)):
            return NARRATIVE_TEXT["outline.section_suggestion"].format(id=section.id)
    return ""


def point_covered(point: Point, text: str) -> bool:
    """Returns whether ``text`` covers ``point``: it names the point or one of its synonyms."""
    return any(word in text for word in (point.title, *point.synonyms))


def check_narrative(
    outline: Outline,
    narrative: dict[str, NarrativeSection],
    file: str,
    line: int | None = None,
    draft: str | None = None,
) -> list[Diagnostic]:
    """Returns findings: missing or empty sections, unknown sections, short text, uncovered points.

    ``line``: where a missing section is reported (the ``narrative:`` key's line, if any);
    ``draft``: the Word draft the narrative was read from, where a missing section is reported
    before the next section's heading. A section from the draft is placed at its paragraphs.
    """
    out: list[Diagnostic] = []
    known = {s.id for s in outline.sections}
    for key, written in narrative.items():
        if key not in known:
            out.append(
                diagnostic(
                    "narrative.unknown_section",
                    file=file,
                    line=written.line,
                    path=("narrative", key),
                    id=key,
                    outline=outline.title,
                    allowed=ENUM_COMMA.join(s.id for s in outline.sections),
                    suggestion=_section_suggestion(outline, key),
                )
            )
    for section in outline.sections:
        given = narrative.get(section.id)
        path = ("narrative", section.id)
        if given is None and draft is not None:
            if any(s.file == draft for s in narrative.values()):  # else the draft's own finding
                out.append(_draft_missing(outline, narrative, section, draft))
            continue
        if given is None:
            out.append(
                diagnostic(
                    "narrative.missing", file=file, line=line, path=path, id=section.id, title=section.title
                )
            )
            continue
        text = strip_typed_heading(given.text, section.title)
        where = given.where(None, file)
        at = partial(
            diagnostic,
            file=where["file"],
            line=where["line"],
            paragraph=where.get("paragraph"),
            path=path,
            id=section.id,
            title=section.title,
        )
        exceeded = markdown_limit(normalise_typed_headings(text))  # what the report lays out
        if exceeded is not None:
            reason = MARKDOWN_LIMITS[exceeded.kind].format(count=exceeded.count, limit=exceeded.limit)
            out.append(at("narrative.plain_layout", reason=reason))
        length = plain_length(text)
        if length == 0:
            out.append(at("narrative.empty"))
            continue
        if length < section.min_chars:
            out.append(at("narrative.too_short", chars=length, min=section.min_chars))
        for point in section.points:
            if not point_covered(point, text):
                out.append(at("narrative.point_missing", point=point.title))
    return out


def _draft_missing(
    outline: Outline, narrative: dict[str, NarrativeSection], section: Section, draft: str
) -> Diagnostic:
    """Returns the finding of a section the draft lacks, placed at the next section's heading."""
    ids = [s.id for s in outline.sections]
    later = [narrative[i] for i in ids[ids.index(section.id) + 1 :] if i in narrative]
    paragraph = later[0].paragraph_at(None) if later else None
    if paragraph is None:
        last = [p for given in narrative.values() for _, p in given.paragraphs]
        paragraph = max(last, default=None)
        where = DRAFT_WHERE["end"]
    else:
        where = DRAFT_WHERE["before"].format(paragraph=paragraph)
    return diagnostic(
        "narrative.draft_missing",
        file=draft,
        paragraph=paragraph,
        path=("narrative", section.id),
        id=section.id,
        title=section.title,
        where=where,
    )


_SUB_HEADING = re.compile(NARRATIVE_TEXT["outline.sub_heading"])


def normalise_typed_headings(text: str) -> str:
    """Returns ``text`` with sub-headings typed as «一、…»/«（一）…» lines made Markdown headings.

    A short line with no sentence punctuation that starts with a Chinese ordinal is a heading the
    user typed by hand; it becomes a real sub-heading in the report.
    """
    lines = []
    for line in text.split("\n"):
        match = _SUB_HEADING.match(line)
        lines.append(f"### {match.group(1).strip()}" if match else line)
    return "\n".join(lines)


def report_body(text: str, title: str) -> str:
    """Returns a section's text as the report lays it out: without a first line repeating its
    heading, typed sub-headings made Markdown headings (the text the limits are checked on)."""
    return normalise_typed_headings(strip_typed_heading(text, title))

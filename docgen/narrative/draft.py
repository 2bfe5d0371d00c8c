"""CORE: a Word draft's blocks → the narrative sections of an outline (SPEC §9), with findings.

A heading is a paragraph in a heading style (or with an outline level), or a short paragraph
numbered as the outline numbers its chapters and sections (一、 （一） 1.1, typed or drawn by
Word's numbering), or one that is exactly a chapter's or section's title. It is matched to the
outline by its number (1.1 by id; 一、 a chapter and （一） a section of it by position; 1. a
section by position only in a heading style) and by its title (the title, one of its synonyms, or
a title it starts or is the start of, four characters at least). Headings below the sections'
level that match nothing are sub-headings kept in the section's text (``###``). Unmatched
headings, text outside any section, a section given twice and a heading matched by number whose
title differs are findings naming the paragraph; missing sections are found by
``check_narrative`` from the sections' paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from docgen.diagnostics import Diagnostic
from docgen.model.answers import NarrativeSection
from docgen.model.definitions import Chapter, Outline, Section
from docgen.sources.drafts import DraftBlock, WordDraft
from docgen.text.labels import CHINESE_NUMERALS, DRAFT_ORDINALS
from docgen.text.messages import diagnostic
from docgen.text.narrative_text import NARRATIVE_TEXT
from docgen.text.punctuation import ENUM_COMMA, FULLWIDTH_DOT

MAX_HEADING_CHARS = 40  # a numbered paragraph longer than this is text, not a heading
MIN_PREFIX_CHARS = 4  # a title matched by its start: at least this many characters

_CN = "[" + CHINESE_NUMERALS + "]+"
_WORDS = {kind: "|".join(DRAFT_ORDINALS[kind]) for kind in ("chapter", "section")}
_NUMBER = re.compile(
    NARRATIVE_TEXT["draft.heading_number"].format(
        CN=_CN, prefix=DRAFT_ORDINALS["prefix"], chapter=_WORDS["chapter"], section=_WORDS["section"]
    )
)
_KINDS = {"chapter_word": "cn", "section_word": "paren_cn"}  # 第一章 is 一、, 第一节 is （一）
_SENTENCE = re.compile(NARRATIVE_TEXT["draft.sentence_end"])
_NOISE = re.compile(r"[\s\W_]+")


def cn_value(text: str) -> int:
    """Returns the value of a Chinese numeral of 一 … 九十九 (0 when it is none)."""
    ten = CHINESE_NUMERALS[9]
    digits = {c: i for i, c in enumerate(CHINESE_NUMERALS[:9], 1)}
    if ten not in text:
        return digits.get(text, 0) if len(text) == 1 else 0
    tens, _, units = text.partition(ten)
    high = digits.get(tens, 0) if tens else 1
    low = digits.get(units, 0) if units else 0
    return high * 10 + low if high and (low or not units) else 0


def _norm(text: str) -> str:
    return _NOISE.sub("", text).lower()


@dataclass(frozen=True)
class _Heading:
    block: DraftBlock
    kind: str  # dotted, cn, paren_cn, arabic, paren_arabic or ""
    value: str
    bare: str  # the title without its number


def _split(block: DraftBlock) -> _Heading:
    match = _NUMBER.match(block.text)
    if not match or match.lastgroup is None:
        return _Heading(block, "", "", block.text.strip())
    kind = _KINDS.get(match.lastgroup, match.lastgroup)
    return _Heading(block, kind, match.group(match.lastgroup), block.text[match.end() :].strip())


def _titled(title: str, synonyms: tuple[str, ...], bare: str, exact: bool) -> bool:
    """Returns True when ``bare`` is the title or a synonym (or, unless ``exact``, its start or a
    longer heading starting with it)."""
    written = _norm(bare)
    if not written:
        return False
    for name in (title, *synonyms):
        own = _norm(name)
        if written == own:
            return True
        long_enough = min(len(written), len(own)) >= MIN_PREFIX_CHARS
        if not exact and long_enough and (own.startswith(written) or written.startswith(own)):
            return True
    return False


@dataclass
class _State:
    outline: Outline
    file: str
    chapter: int | None = None  # index into outline.chapters
    section: str | None = None
    seen_heading: bool = False
    orphan_reported: bool = False
    parts: dict[str, list[tuple[DraftBlock, str]]] = field(default_factory=dict)
    heading_at: dict[str, int] = field(default_factory=dict)
    findings: list[Diagnostic] = field(default_factory=list)

    @property
    def section_level(self) -> int:
        return 2 if self.outline.chapters else 1


def sections_from_draft(
    outline: Outline, draft: WordDraft
) -> tuple[dict[str, NarrativeSection], list[Diagnostic]]:
    """Returns the narrative sections the draft gives, by outline section id, and the findings."""
    state = _State(outline, draft.file)
    for block in draft.blocks:
        if block.contents or (not block.text.strip() and block.kind == "paragraph"):
            continue  # the draft's own 目录 repeats its headings
        target = _match(state, block) if block.kind == "paragraph" else None
        if isinstance(target, Chapter):
            state.chapter = state.outline.chapters.index(target)
            state.section, state.seen_heading, state.orphan_reported = None, True, False
        elif isinstance(target, Section):
            _enter(state, target, block)
        elif target == "unmatched":
            state.section, state.seen_heading, state.orphan_reported = None, True, True
        elif target == "sub" and state.section is not None:
            state.parts[state.section].append((block, "### " + _escape_heading(block.text)))
        elif state.section is not None:
            state.parts[state.section].append((block, block.markdown))
        elif not _is_cover(state, block):
            _orphan(state, block)
    out = {}
    for section_id, parts in state.parts.items():
        text, offsets = "", [(0, state.heading_at[section_id])]
        for index, (block, markdown) in enumerate(parts):
            if index:
                same_list = block.list_kind and block.list_kind == parts[index - 1][0].list_kind
                text += "\n" if same_list else "\n\n"  # a blank line ends a list
            offsets.append((len(text), block.paragraph))
            text += markdown
        out[section_id] = NarrativeSection(section_id, text, None, draft.file, tuple(offsets))
    return out, state.findings


def _escape_heading(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text.strip())


def _enter(state: _State, section: Section, block: DraftBlock) -> None:
    if section.id in state.parts:
        state.findings.append(
            _at(
                state,
                "narrative.draft_twice",
                block,
                id=section.id,
                title=section.title,
                first=state.heading_at[section.id],
            )
        )
    else:
        state.parts[section.id] = []
        state.heading_at[section.id] = block.paragraph
    state.section, state.seen_heading, state.orphan_reported = section.id, True, False
    if section.chapter is not None and state.outline.chapters:
        ids = [c.id for c in state.outline.chapters]
        state.chapter = ids.index(section.chapter) if section.chapter in ids else state.chapter


def _at(state: _State, code: str, block: DraftBlock, **params: Any) -> Diagnostic:
    return diagnostic(code, file=state.file, paragraph=block.paragraph, path=("narrative",), **params)


def _is_cover(state: _State, block: DraftBlock) -> bool:
    """Returns True for the draft's title before its first heading (a Title style, or the
    outline's document title)."""
    title = _norm(state.outline.document_title)
    return not state.seen_heading and (block.title or (bool(title) and title in _norm(block.text)))


def _orphan(state: _State, block: DraftBlock) -> None:
    if state.orphan_reported:
        return
    state.orphan_reported = True
    state.findings.append(_at(state, "narrative.draft_outside", block, value=block.text.strip()))


def _candidate(heading: _Heading) -> bool:
    """Returns True for a paragraph without a heading style that may still be a heading."""
    block = heading.block
    if block.list_kind == "bullet" or block.title:
        return False
    if not heading.kind:
        return True  # only a title written exactly makes it a heading
    return len(heading.bare) <= MAX_HEADING_CHARS and not _SENTENCE.search(heading.bare)


def _match(state: _State, block: DraftBlock) -> Chapter | Section | str | None:
    """Returns what a paragraph is: a chapter or section heading, ``sub`` (a sub-heading),
    ``unmatched`` (a heading matching nothing, reported) or None (text)."""
    heading = _split(block)
    styled = block.heading_level is not None
    if not styled and not _candidate(heading):
        return None
    deeper = styled and (block.heading_level or 0) > state.section_level
    exact = deeper or (not styled and not heading.kind)
    if heading.kind == "dotted":
        section = next(
            (s for s in state.outline.sections if s.id == heading.value.replace(FULLWIDTH_DOT, ".")), None
        )
        if section is not None:
            return _checked(state, section, heading)
    candidates = _by_title(state, heading.bare, exact)
    by_number = None if exact else _by_number(state, heading, styled)
    if by_number is not None and (not candidates or by_number in candidates):
        return _checked(state, by_number, heading)  # the number decides among titles alike
    if candidates:
        return candidates[0]
    if deeper or (styled and state.section is not None and heading.kind in ("arabic", "paren_arabic")):
        return "sub"
    if not styled:
        return None
    state.findings.append(
        _at(
            state,
            "narrative.draft_unmatched",
            block,
            written=block.text.strip(),
            outline=state.outline.title,
            suggestion="",
            allowed=ENUM_COMMA.join(f"{s.id} {s.title}" for s in state.outline.sections),
        )
    )
    return "unmatched"


def _by_title(state: _State, bare: str, exact: bool) -> list[Chapter | Section]:
    """Returns the chapters and sections whose title (or a synonym) the heading gives: those
    written exactly, else (unless ``exact``) those it starts or is the start of; the current
    chapter's sections first."""
    sections = state.outline.sections
    if state.chapter is not None:
        own = state.outline.chapters[state.chapter].sections
        sections = (*own, *(s for s in sections if s not in own))
    for strict in (True, False) if not exact else (True,):
        found: list[Chapter | Section] = [
            c for c in state.outline.chapters if _titled(c.title, c.synonyms, bare, strict)
        ]
        found += [s for s in sections if _titled(s.title, s.synonyms, bare, strict)]
        if found:
            return found
    return []


def _by_number(state: _State, heading: _Heading, styled: bool) -> Chapter | Section | None:
    """Returns the chapter or section a heading's number gives it by position."""
    chapters = state.outline.chapters
    n = cn_value(heading.value) if heading.kind in ("cn", "paren_cn") else 0
    if heading.kind == "arabic" and styled:
        n = int(heading.value)
    if n <= 0:
        return None
    if chapters:
        if heading.kind == "cn" and (not styled or heading.block.heading_level == 1):
            return chapters[n - 1] if n <= len(chapters) else None
        if heading.kind == "paren_cn" or (heading.kind == "arabic" and heading.block.heading_level == 2):
            if state.chapter is None:
                return None
            own = chapters[state.chapter].sections
            return own[n - 1] if n <= len(own) else None
        return None
    if heading.kind in ("cn", "arabic"):
        return state.outline.sections[n - 1] if n <= len(state.outline.sections) else None
    return None


def _checked(state: _State, target: Chapter | Section, heading: _Heading) -> Chapter | Section:
    """Returns ``target``, with a warning when the heading's title is another one's."""
    differs = heading.bare and not _titled(target.title, target.synonyms, heading.bare, False)
    if differs and isinstance(target, Section):
        state.findings.append(
            _at(
                state,
                "narrative.draft_title_differs",
                heading.block,
                written=heading.block.text.strip(),
                id=target.id,
                title=target.title,
            )
        )
    return target

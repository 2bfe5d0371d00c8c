"""CORE: ``outlines/<id>.yaml`` → an ``Outline``: chapters of sections (or sections alone), each
with guidance, a minimum length and the points it must cover."""

from __future__ import annotations

from typing import Any

from docgen.definitions._reader import Reader
from docgen.diagnostics import Diagnostic, KeyPath
from docgen.model.definitions import Chapter, Outline, Point, Section
from docgen.sources.yamlio import LoadedDocument
from docgen.text.definitions_text import DEFINITIONS_TEXT


def _section(r: Reader, raw: Any, path: KeyPath, chapter: str | None) -> Section:
    spec = r.mapping(
        raw, path, {"id", "title", "guidance", "min_chars", "points"}, {"introduces_applicant", "synonyms"}
    )
    points = []
    for index, p in enumerate(r.seq(spec.get("points"), (*path, "points"))):
        ps = r.mapping(p, (*path, "points", index), {"title"}, {"synonyms"})
        points.append(
            Point(str(ps.get("title")), r.texts(ps.get("synonyms"), (*path, "points", index, "synonyms")))
        )
    if not isinstance(spec.get("introduces_applicant", False), bool):
        r.fail(
            "definition.invalid",
            (*path, "introduces_applicant"),
            problem=DEFINITIONS_TEXT["outlines.introduces_applicant_not_bool"],
        )
    return Section(
        str(spec.get("id")),
        str(spec.get("title")),
        str(spec.get("guidance")),
        r.integer(spec.get("min_chars", 0), (*path, "min_chars")),
        tuple(points),
        chapter,
        spec.get("introduces_applicant") is True,
        r.texts(spec.get("synonyms"), (*path, "synonyms")),
    )


def build_outline(doc: LoadedDocument) -> tuple[Outline | None, list[Diagnostic]]:
    """Returns the outline defined by ``doc`` and the findings."""
    r = Reader(doc)
    top = r.mapping(
        doc.data,
        (),
        {"id", "title", "document_title", "kind"},
        {"attachment", "chapters", "sections", "preface"},  # no attachment: the notice publishes none
    )
    chapters = []
    for ci, raw in enumerate(r.seq(top.get("chapters"), ("chapters",))):
        cs = r.mapping(raw, ("chapters", ci), {"id", "title", "sections"}, {"synonyms"})
        sections = tuple(
            _section(r, s, ("chapters", ci, "sections", si), str(cs.get("id")))
            for si, s in enumerate(r.seq(cs.get("sections"), ("chapters", ci, "sections")))
        )
        synonyms = r.texts(cs.get("synonyms"), ("chapters", ci, "synonyms"))
        chapters.append(Chapter(str(cs.get("id")), str(cs.get("title")), sections, synonyms))
    loose = tuple(
        _section(r, s, ("sections", si), None)
        for si, s in enumerate(r.seq(top.get("sections"), ("sections",)))
    )
    sections = tuple(s for c in chapters for s in c.sections) + loose
    ids = [s.id for s in sections]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        r.fail("definition.duplicate_id", (), id=dup)
    if not sections:
        r.fail("definition.invalid", (), problem=DEFINITIONS_TEXT["outlines.no_sections"])
    attachment = r.integer(top.get("attachment"), ("attachment",)) if "attachment" in top else 0
    if r.findings:
        return None, r.findings
    return Outline(
        str(top["id"]),
        str(top["title"]),
        str(top["document_title"]),
        attachment,
        str(top["kind"]),
        tuple(chapters),
        sections,
        str(top.get("preface", "")),
    ), []

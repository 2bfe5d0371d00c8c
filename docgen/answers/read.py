"""CORE: a parsed answers document → a validated ``AnswerSet`` plus diagnostics (SPEC §3).

Works on plain values and the key-position side table of ``LoadedDocument``; never reads files.
Each section has its reader module; this one dispatches the top-level keys and runs the checks
across sections in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docgen.answers.checks import check_denominators, check_parts, check_required
from docgen.answers.context import Context, suggest
from docgen.answers.counts import check_item_lines, derive
from docgen.answers.evidence import read_evidence
from docgen.answers.figures import apply_fallbacks, read_data
from docgen.answers.items import read_items
from docgen.answers.narrative import outline_of, read_narrative
from docgen.answers.profile import read_profile
from docgen.answers.ratings import read_ratings
from docgen.definitions.catalog import Catalog
from docgen.diagnostics import Diagnostic
from docgen.model.answers import AnswerSet, application_type_of
from docgen.model.definitions import Program
from docgen.sources.drafts import WordDraft
from docgen.sources.yamlio import LoadedDocument
from docgen.text.answers_text import SECTION_ALIASES
from docgen.text.messages import diagnostic

TOP_KEYS = ("program", "profile", "data", "items", "ratings", "narrative", "evidence")
TOP_ALIASES = SECTION_ALIASES  # Chinese section name → its key


SECTION_NAMES = {key: alias for alias, key in TOP_ALIASES.items()}
"""Each section's Chinese name (a message names a section by it)."""


def program_of(doc: LoadedDocument) -> str | None:
    """Returns the program id the answers name, if any."""
    data = doc.data if isinstance(doc.data, Mapping) else {}
    value = data.get("program", data.get(SECTION_NAMES["program"]))
    return str(value) if value is not None else None


def read_answers(
    doc: LoadedDocument, program: Program, catalog: Catalog, draft: WordDraft | None = None
) -> tuple[AnswerSet | None, list[Diagnostic]]:
    """Returns the validated answers for ``program`` and every finding (SPEC §3 rules).

    ``draft``: the Word draft the narrative names (``narrative: {file: …}``), read by the caller.
    The AnswerSet is None only when the document is not a mapping at all.
    """
    ctx = Context(doc)
    if not isinstance(doc.data, Mapping):
        return None, [diagnostic("answers.not_mapping", file=doc.file, line=1)]
    data: dict[str, Any] = {}
    for raw_key, value in doc.data.items():
        key = TOP_ALIASES.get(raw_key, raw_key)
        if key not in TOP_KEYS:
            ctx.add(
                "answers.unknown_key", (raw_key,), key=raw_key, suggestion=suggest(raw_key, list(TOP_KEYS))
            )
            continue
        if ctx.claim((key,), (raw_key,), "answers.section_twice", label=SECTION_NAMES[key]):
            data[key] = value

    profile = read_profile(ctx, data, catalog)
    items = read_items(ctx, data, catalog)
    given = read_data(ctx, data, program, catalog)
    report_year = profile.get("report_year") or 0
    derived = derive(ctx, program, catalog, items, given, report_year)
    figures = {**given, **derived}
    apply_fallbacks(ctx, program, catalog, figures)
    check_parts(ctx, catalog, figures)
    check_required(ctx, program, catalog, figures)
    check_denominators(ctx, program, catalog, figures)
    check_item_lines(ctx, program, catalog, given, items, report_year)
    if "industry_code" in profile and program.coefficients:
        table = catalog.coefficients[program.coefficients]
        if table.lookup(profile["industry_code"])[1]:
            ctx.add(
                "answers.industry_fallback", ("profile", "industry_code"), industry=profile["industry_code"]
            )
    ratings = read_ratings(ctx, data, program, catalog)
    outline = outline_of(program, catalog, application_type_of(profile))
    narrative = read_narrative(ctx, data, outline, draft)
    evidence = read_evidence(ctx, data, program, catalog)
    answers = AnswerSet(
        program_id=program.id,
        file=doc.file,
        profile=profile,
        figures=figures,
        given=given,
        derived=derived,
        items=items,
        ratings=ratings,
        narrative=narrative,
        evidence=evidence,
        narrative_file=draft.file if draft is not None else None,
    )
    return answers, ctx.findings

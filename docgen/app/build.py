"""EDGE: ``docgen build`` — render every output in memory, then write them atomically."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.app.background import Background
from docgen.app.submission import ANSWERS_NAMES, Evaluation, Submission, evaluate_submission
from docgen.diagnostics import Severity
from docgen.errors import AnswersError
from docgen.files import check_output_file, check_output_folder, write_all, write_atomic
from docgen.outputs.bundle import BundleCover, render_bundle
from docgen.outputs.objects import score_json
from docgen.text.commands import SAY
from docgen.text.labels import TEXT

REPORT_TEMPLATES = {"application": "application-report.docx", "summary": "work-summary.docx"}
REPORT_SUBDOCUMENTS = (
    "toc",
    "narrative",
    "data_table_grid",
    "score_table",
    "score_process",
    "evidence_table",
)
OUTPUT_NAMES = (
    "report.docx",
    "missing-evidence.docx",
    "missing-evidence.md",
    "evidence-bundle.pdf",
    "score.json",
)


@dataclass
class BuildResult:
    """What a build wrote and the numbers behind it."""

    out: Path
    files: list[Path]
    evaluation: Evaluation


def document_date(sub: Submission) -> dt.date:
    """Returns the report's date: answers' report_date, else SOURCE_DATE_EPOCH, else today."""
    if sub.answers.report_date:
        return sub.answers.report_date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def render_outputs(
    sub: Submission, template: Path | None = None, evaluation: Evaluation | None = None, fork: bool = False
) -> tuple[dict[str, bytes], Evaluation]:
    """Returns every output's bytes by file name, rendered in memory.

    ``fork``: draw the evidence bundle in a forked child while the Word files are rendered
    (docgen.background; the bytes are the same either way).

    Raises:
        AnswersError: the answers or the narrative have errors.
        TemplateRenderError: a template cannot be used.
    """
    errors = [d for d in sub.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise AnswersError(SAY["not_buildable"], errors, source=sub.answers_path)
    evaluation = evaluation or evaluate_submission(sub)
    cover = bundle_cover(sub)
    bundle_job = Background(
        render_bundle,
        sub.folder,
        evaluation.evidence,
        TEXT["bundle_title"].format(program=sub.program.short_title),
        cover.company,
        cover,
        fork=fork,
    )
    with bundle_job:
        outputs = _render_documents(sub, template, evaluation)
        outputs["evidence-bundle.pdf"], _ = bundle_job.result()
    score = score_json(evaluation.claimed, evaluation.evidenced)
    outputs["score.json"] = (json.dumps(score, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return {name: outputs[name] for name in OUTPUT_NAMES}, evaluation


def report_inputs(
    sub: Submission, evaluation: Evaluation, template: Path | None = None
) -> tuple[Path, dict[str, Any], Callable[[dict[str, str]], dict[str, Any]]]:
    """Returns the report's template, its context without the subdocuments, and the builder of
    the full context (called with the template's style ids: the narrative and contents are XML)."""
    from docgen.outputs.contexts import (  # a bundle may be drawn meanwhile
        contents_xml,
        narrative_xml,
        report_context,
        total_label,
    )
    from docgen.outputs.score_process import score_process_xml
    from docgen.outputs.score_table import (
        data_table_xml,
        evidence_table_xml,
        folded_pt,
        score_room,
        score_table_xml,
    )
    from docgen.word.render import template_path

    outline = sub.outline
    assert outline is not None
    labels = {k: f.label for k, f in sub.catalog.profile_fields.items()}
    context = report_context(
        sub.program,
        outline,
        sub.answers,
        evaluation.claimed,
        evaluation.evidenced,
        evaluation.evidence,
        labels,
        document_date(sub),
    )

    above_pt = folded_pt(context["eligibility"])  # a short 附表3 shares 附表4's first page
    context["eligibility"] = {**context["eligibility"], "folded": above_pt > 0}

    def build_report_context(ids: dict[str, str]) -> dict[str, Any]:
        return {
            **context,
            "toc": contents_xml(outline, ids),
            "narrative": narrative_xml(outline, sub.answers, ids),
            "data_table_grid": data_table_xml(context["data_table"], ids),
            "evidence_table": evidence_table_xml(context["evidence"]["rows"], ids, above_pt),
            "score_process": score_process_xml(
                context["score"]["rows"],
                context["score"]["notes"],
                ids,
                score_room(
                    sub.program, evaluation.claimed, sub.catalog.rules, total_label(evaluation.claimed)
                ),
            ),
            "score_table": score_table_xml(
                sub.program, evaluation.claimed, sub.catalog.rules, total_label(evaluation.claimed), ids
            ),
        }

    report_template = template or template_path(
        REPORT_TEMPLATES.get(outline.kind, REPORT_TEMPLATES["application"])
    )
    return report_template, context, build_report_context


def _render_documents(sub: Submission, template: Path | None, evaluation: Evaluation) -> dict[str, bytes]:
    """Returns the report, the missing-evidence report (.docx) and its Markdown twin."""
    from docgen.outputs.missing import (  # a forked bundle is drawn meanwhile
        missing_context,
        missing_markdown,
    )
    from docgen.word.render import render_docx, template_path

    report_template, context, build_report_context = report_inputs(sub, evaluation, template)
    day = document_date(sub)
    names = {*context, *REPORT_SUBDOCUMENTS} if template else None  # shipped templates: checked by tests
    outputs: dict[str, bytes] = {"report.docx": render_docx(report_template, build_report_context, names)}
    from docgen.outputs.cff_font import find_face

    missing = missing_context(
        sub.program,
        sub.answers,
        evaluation.claimed,
        evaluation.evidenced,
        evaluation.evidence,
        day,
        bundle_font_embedded=find_face() is not None,  # the bundle's choice (bundle_pages.make_font)
        line_keys=line_keys(sub),
    )
    outputs["missing-evidence.docx"] = render_docx(
        template_path("missing-evidence.docx"), lambda _ids: missing, None
    )
    outputs["missing-evidence.md"] = missing_markdown(missing).encode("utf-8")
    return outputs


def build_submission(
    sub: Submission,
    out: Path,
    template: Path | None = None,
    evaluation: Evaluation | None = None,
    fork: bool = False,
    extra: Mapping[str, bytes] | None = None,
) -> BuildResult:
    """Renders every output, then writes them into ``out`` as one set (files.write_all): nothing
    is written if rendering fails, nothing new if one file cannot be written.

    ``evaluation`` replaces the submission's own (a review passes its cohort scores); ``fork``
    as in render_outputs (the CLI's build; a review's workers already use every core); ``extra``
    files are written in the same set (a review's filled forms).

    Raises:
        OutputBlocked: ``out`` lies inside a submission, or an output's place is taken by a folder,
            a device or a FIFO (before anything is rendered or written).
        OutputError: a file cannot be written.
    """
    check_output_folder(out, [sub.folder], ANSWERS_NAMES, [*OUTPUT_NAMES, *(extra or {})])
    outputs, evaluation = render_outputs(sub, template, evaluation, fork)
    written = write_all(out, {**outputs, **(extra or {})})
    return BuildResult(out, written, evaluation)


def line_keys(sub: Submission) -> dict[str, frozenset[str]]:
    """Returns, by indicator id, the figures and ratings each scored line reads (its value and
    what its rule reads), and «items.<kind>» for the items it scores one by one: the
    missing-evidence report names under a cut line the documents that back them."""
    rules = sub.catalog.rules

    def walk(value: Any, out: set[str]) -> None:
        if isinstance(value, Mapping):
            for kind, arg in value.items():
                if kind == "field":
                    out.add(str(arg))
                elif kind in ("sum", "ratio", "percent"):
                    out.update(str(key) for key in arg)
                else:
                    walk(arg, out)
        elif isinstance(value, list | tuple):
            for entry in value:
                walk(entry, out)

    result: dict[str, frozenset[str]] = {}
    for indicator in (*sub.program.indicators, *sub.program.bonus):
        keys: set[str] = set()
        walk(indicator.value, keys)
        inputs = rules.inputs(indicator.rule)
        walk(list(inputs.values), keys)
        keys.update(rating.key for rating in inputs.ratings)
        keys.update(f"items.{use.kind}" for use in inputs.items)
        result[indicator.id] = frozenset(keys)
    return result


def bundle_cover(sub: Submission) -> BundleCover:
    """Returns what the bundle's cover says: the program, the applicant (with the unit that seals
    for it: an alliance's 牵头单位), the report year."""
    from docgen.outputs.contexts import applicant_name

    program, answers = sub.program, sub.answers
    unit = str(answers.profile.get(program.sealed_by) or "") if program.sealed_by else ""
    applicant: tuple[str, ...] = ()
    if unit:  # an alliance has no seal of its own: its 牵头单位 seals, as on the report's cover
        label = program.profile_labels.get("company_name") or TEXT["cover_applicant.application"]
        applicant = (
            TEXT["bundle_cover_named"].format(label=label, name=answers.company),
            TEXT["bundle_cover_sealed"].format(label=program.sealed_by_label, unit=unit),
        )
    return BundleCover(program.title, applicant_name(program, answers), str(answers.report_year), applicant)


def write_bundle(sub: Submission, out: Path) -> int:
    """Renders the evidence bundle alone and writes it to ``out``; returns how many documents it
    binds.

    Raises:
        AnswersError: the figures have errors.
        OutputBlocked: ``out`` lies inside a submission folder, or is a folder, a device or a FIFO
            (checked before anything is rendered).
    """
    check_output_file(out, [sub.folder], ANSWERS_NAMES)
    evaluation = evaluate_submission(sub)
    title = TEXT["bundle_title"].format(program=sub.program.short_title)
    cover = bundle_cover(sub)
    data, included = render_bundle(sub.folder, evaluation.evidence, title, cover.company, cover)
    write_atomic(out, data)
    return len(included)


def output_folder_name(name: str) -> str:
    """Returns a folder name safe on every file system for a submission (user data)."""
    import re

    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    return cleaned if cleaned and cleaned not in (".", "..") else "submission"


def output_folder_names(names: Iterable[str], reserved: Iterable[str] = ()) -> list[str]:
    """Returns one output folder name per submission folder name, all distinct (docs/decisions.md).

    Each name is made safe by output_folder_name; one equal to an earlier one or to a ``reserved``
    name (compared as the most forgiving file systems do: Unicode NFC, case folded) takes the
    first free of ``-2``, ``-3`` …, so the result depends only on the names and their order.
    """
    taken = {_folder_key(name) for name in reserved}
    chosen: list[str] = []
    for name in names:
        base = output_folder_name(name)
        candidate, number = base, 1
        while _folder_key(candidate) in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(_folder_key(candidate))
        chosen.append(candidate)
    return chosen


def _folder_key(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", name).casefold()

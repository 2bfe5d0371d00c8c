"""The commands on one submission: check, score, evidence, build, bundle."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from docgen.cli.output import EXIT_INPUT, echo, emit_json, print_error, print_findings
from docgen.errors import DiagnosticsError, DocgenError
from docgen.model.results import Completeness, ScoreCard
from docgen.text.commands import HELP, SAY
from docgen.text.punctuation import COMMA, ENUM_COMMA

if TYPE_CHECKING:
    from docgen.app.submission import Submission

program_option = click.option("--program", "program_id", help=HELP["program"])
strict_option = click.option("--strict", is_flag=True, help=HELP["strict"])
json_option = click.option("--json", "as_json", is_flag=True, help=HELP["json_spec"])


@click.command(help=HELP["check"])
@click.argument("submission", type=click.Path(path_type=Path))
@program_option
@strict_option
@json_option
def check(submission: Path, program_id: str | None, strict: bool, as_json: bool) -> None:
    """docgen check: every finding, or the check object with --json."""
    from docgen.app.submission import check_and_assess, open_submission
    from docgen.diagnostics import apply_strict
    from docgen.outputs.objects import check_json

    try:
        sub = open_submission(submission, program_id, strict=strict)
        found, completeness = check_and_assess(sub)
        findings = apply_strict(found, strict)
    except DiagnosticsError as exc:
        if not as_json:
            raise
        emit_json(check_json(exc.diagnostics))
        sys.exit(EXIT_INPUT)
    errors = sum(1 for d in findings if d.is_error)
    if as_json:
        emit_json(check_json(findings, completeness))
    else:
        print_findings(findings, err=False, source=sub.answers_path)
        echo(_check_summary(errors, len(findings) - errors, completeness))
    if errors:
        sys.exit(EXIT_INPUT)


def _check_summary(errors: int, warnings: int, completeness: Completeness) -> str:
    """Returns the closing line of ``docgen check``: never «complete» while anything is missing."""
    if errors or not completeness.scorable:
        return SAY["check_errors"].format(errors=errors, warnings=warnings)
    if completeness.complete:
        return SAY["check_complete"].format(warnings=warnings)
    parts = []
    if completeness.missing_documents:
        parts.append(SAY["check_missing_documents"].format(count=len(completeness.missing_documents)))
    if completeness.unproved_lines:
        parts.append(SAY["check_unproved_lines"].format(count=len(completeness.unproved_lines)))
    if completeness.missing_facts:
        parts.append(SAY["check_missing_facts"].format(labels=ENUM_COMMA.join(completeness.missing_facts)))
    return SAY["check_incomplete"].format(warnings=warnings, parts=COMMA.join(parts))


@click.command(help=HELP["score"])
@click.argument("answers", type=click.Path(path_type=Path))
@program_option
@strict_option
@click.option("--partial", is_flag=True, help=HELP["partial"])
@json_option
def score(answers: Path, program_id: str | None, strict: bool, partial: bool, as_json: bool) -> None:
    """docgen score: the self-evaluation table, or the score object with --json."""
    from docgen.app.submission import open_submission, score_submission
    from docgen.outputs.objects import score_json

    sub = None
    try:
        sub = open_submission(answers, program_id, strict=strict)
        card = score_submission(sub, partial=partial)
    except DiagnosticsError as exc:
        if not as_json:
            raise
        _check_object_instead(exc, sub, strict)
    if as_json:
        emit_json(score_json(card))
        return
    from docgen.cli.terminal import print_score

    print_score(card)


@click.command(help=HELP["evidence"])
@click.argument("submission", type=click.Path(path_type=Path))
@program_option
@json_option
def evidence(submission: Path, program_id: str | None, as_json: bool) -> None:
    """docgen evidence: document statuses, shortfalls and the evidenced total."""
    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.outputs.objects import evidence_json

    sub = None
    try:
        sub = open_submission(submission, program_id)
        result = evaluate_submission(sub)
    except DiagnosticsError as exc:
        if not as_json:
            raise
        _check_object_instead(exc, sub, strict=False)
    data = evidence_json(result.evidence, result.claimed, result.evidenced)
    if as_json:
        emit_json(data)
        return
    from docgen.cli.terminal import print_evidence

    print_evidence(data)


def _check_object_instead(exc: DiagnosticsError, sub: Submission | None, strict: bool) -> NoReturn:
    """Prints, for a ``--json`` command stopped by input errors, the object ``docgen check --json``
    prints for the same submission (SPEC §8), and exits 1."""
    from docgen.app.submission import check_and_assess
    from docgen.diagnostics import apply_strict
    from docgen.outputs.objects import check_json

    if sub is None:  # the answers could not be opened: their findings are the whole check
        emit_json(check_json(exc.diagnostics))
    else:
        found, completeness = check_and_assess(sub)
        emit_json(check_json(apply_strict(found, strict), completeness))
    sys.exit(EXIT_INPUT)


@click.command(help=HELP["build"])
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help=HELP["build_output"],
)
@program_option
@click.option(
    "--template", type=click.Path(path_type=Path, exists=True, dir_okay=False), help=HELP["template"]
)
@click.option("--pdf", is_flag=True, help=HELP["pdf"])
def build(
    submissions: tuple[Path, ...], out: Path, program_id: str | None, template: Path | None, pdf: bool
) -> None:
    """docgen build: the five outputs of each submission (one sub-folder each when several), and
    with --pdf the PDFs of the two reports, converted once the other files are written."""
    from docgen.app.build import OUTPUT_NAMES, build_submission, output_folder_name, output_folder_names
    from docgen.app.pdf import PDF_NAMES
    from docgen.app.submission import ANSWERS_NAMES, open_submission
    from docgen.files import check_output_folder
    from docgen.numbers import fmt_fixed

    several = len(submissions) > 1
    folders = [path.parent if path.is_file() else path for path in submissions]
    names = output_folder_names(f.name for f in folders) if several else []
    targets = [out / name for name in names] if several else [out]
    files = [*OUTPUT_NAMES, *(PDF_NAMES.values() if pdf else ())]
    for target in targets:  # every place checked before anything is written
        check_output_folder(target, folders, ANSWERS_NAMES, files)
    built: list[Path] = []
    for folder, name in zip(folders, names, strict=False):  # no names for one submission
        if name != output_folder_name(folder.name):
            echo(SAY["output_renamed"].format(path=folder, target=out / name), err=True)
    failed = 0
    for submission, target in zip(submissions, targets, strict=True):
        try:
            sub = open_submission(submission, program_id)
            result = build_submission(sub, target, template, fork=True)
        except DocgenError as exc:
            if not several:
                raise
            failed += 1
            echo(SAY["submission_heading"].format(path=submission), err=True)
            print_error(exc)
            continue
        claimed, evidenced = result.evaluation.claimed, result.evaluation.evidenced
        echo(
            SAY["build_line"].format(
                company=sub.answers.company,
                label=SAY["reference_label"] if claimed.reference else SAY["claimed_label"],
                claimed=fmt_fixed(claimed.total),
                evidenced=fmt_fixed(evidenced.total),
                eligible=SAY["eligible"] if evidenced.eligible else SAY["ineligible"],
                threshold=_threshold_words(evidenced),
            )
        )
        for path in result.files:
            echo("  " + SAY["written"].format(path=path))
        built.append(target)
    pdf_error = None
    if pdf and built:
        try:
            _write_pdfs(built)
        except DocgenError as exc:  # said after the builds that failed, if any
            pdf_error = exc
    if failed:
        echo(SAY["build_failed"].format(count=failed), err=True)
    if pdf_error:
        raise pdf_error
    if failed:
        sys.exit(EXIT_INPUT)


def _write_pdfs(targets: list[Path]) -> None:
    """Writes the PDFs of the reports built into ``targets`` (one LibreOffice run for all)."""
    from docgen.app.pdf import write_pdfs

    for path in write_pdfs(targets):
        echo("  " + SAY["written"].format(path=path))


def _threshold_words(card: ScoreCard) -> str:
    """Returns «，核定分达到推荐线 70 分» (or 未达到) for a program with a 推荐线, else nothing: the
    line is judged on the evidenced card (the notice's 初评 uses the 核定 figures)."""
    from docgen.numbers import fmt

    line = card.threshold
    if line is None:
        return ""
    return SAY["build_threshold_met" if line.passed else "build_threshold_missed"].format(
        bound=fmt(line.bound)
    )


@click.command(help=HELP["bundle"])
@click.argument("submission", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help=HELP["bundle_output"],
)
@program_option
def bundle(submission: Path, out: Path, program_id: str | None) -> None:
    """docgen bundle: the bound evidence PDF alone."""
    from docgen.app.build import write_bundle
    from docgen.app.submission import open_submission

    sub = open_submission(submission, program_id)
    count = write_bundle(sub, out)
    echo(SAY["written_bundle"].format(path=out, count=count))


COMMANDS = (check, score, evidence, build, bundle)

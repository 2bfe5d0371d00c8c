"""EDGE: the reports of a review (`docgen review --reports`): every scorable submission's report,
missing-evidence report, bundle, score and filled forms written with the review's (cohort)
scores, in worker processes, each into its own folder checked before anything is written."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from docgen.app.review import detached_card
from docgen.app.submission import ANSWERS_NAMES, evaluate_submission, open_submission
from docgen.errors import DocgenError
from docgen.evidence.inspect import InspectionCache
from docgen.model.results import ScoreCard
from docgen.model.review import Review
from docgen.text.app_text import APP_TEXT
from docgen.text.commands import SAY

_ReportTask = tuple[Path, str, ScoreCard, ScoreCard, Path, str | None]


def _write_report(args: _ReportTask) -> str | None:
    """Writes one submission's report, missing-evidence report, bundle, score and filled forms as
    one set (runs in a worker process); returns an error message or None."""
    from docgen.app.build import build_submission
    from docgen.app.submission import Evaluation
    from docgen.outputs.forms import render_forms

    folder, program_id, claimed, evidenced, target, cache_dir = args
    try:
        sub = open_submission(folder, program_id)
        cache = InspectionCache(Path(cache_dir) / "inspect") if cache_dir else None
        own = evaluate_submission(sub, cache)
        program = sub.program
        assert program is not None  # open_submission raises when there is no program
        evaluation = Evaluation(
            replace(claimed, program=program), own.evidence, replace(evidenced, program=program), own.facts
        )
        forms = dict(render_forms(program, sub.catalog, sub.answers, evaluation.claimed))
        build_submission(sub, target, evaluation=evaluation, extra=forms)
    except DocgenError as exc:
        return APP_TEXT["review.folder_problem"].format(name=folder.name, message=exc.message)
    except Exception as exc:  # one submission must never sink the batch's other reports
        return SAY["report_unexpected"].format(folder=folder.name, name=type(exc).__name__)
    return None


def report_folders(
    review: Review, out: Path, reserved: Iterable[str] = (), files: Iterable[str] = ()
) -> dict[str, Path]:
    """Returns the report folder of every submission of the review by its folder name:
    ``out/<folder>``, the names made distinct by build.output_folder_names (docs/decisions.md)
    over every submission, broken ones too (a name does not move when another submission is
    mended), avoiding the ``reserved`` names (the 汇总表 files). Every place a scorable
    submission's reports (and the further ``files``: the PDFs) go is checked before anything is
    written.

    Raises:
        OutputBlocked: a report folder lies inside a submission (``out`` is the reviewed folder)
            or is not a folder, or an output's place in it is taken by a folder, device or FIFO.
    """
    from docgen.app.build import OUTPUT_NAMES, output_folder_names
    from docgen.files import check_output_folder

    names = [row.prepared.folder for row in review.rows]
    targets = {
        name: out / chosen for name, chosen in zip(names, output_folder_names(names, reserved), strict=True)
    }
    for row in review.rows:
        if not row.broken:  # the submissions themselves hold an answers file: found as markers
            check_output_folder(targets[row.prepared.folder], (), ANSWERS_NAMES, [*OUTPUT_NAMES, *files])
    return targets


def write_reports(
    review: Review,
    directory: Path,
    targets: Mapping[str, Path],
    jobs: int | None = None,
    cache_dir: str | None = None,
    pdf: bool = False,
) -> Reports:
    """Writes every scorable submission's outputs into its folder of ``targets`` (report_folders)
    with the review's (cohort) scores; returns the error messages of those that failed. ``pdf``:
    then converts the reports written to PDF, ``jobs`` LibreOffice processes at once (app/pdf)."""
    tasks: list[_ReportTask] = []
    for row in review.rows:
        if not row.broken:
            claimed, evidenced = row.cards()
            tasks.append(
                (
                    directory / row.prepared.folder,
                    review.program.id,
                    detached_card(claimed),
                    detached_card(evidenced),
                    targets[row.prepared.folder],
                    cache_dir,
                )
            )
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if workers == 1:
        results = list(map(_write_report, tasks))
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_write_report, tasks, chunksize=2))
    reports = Reports([message for message in results if message], None)
    if pdf:
        from docgen.app.pdf import write_pdfs

        done = [task[4] for task, message in zip(tasks, results, strict=True) if not message]
        try:
            write_pdfs(done, workers=max(1, min(jobs or os.cpu_count() or 1, len(done))))
        except DocgenError as exc:  # the reports stay; the CLI says why there is no PDF
            reports = reports._replace(pdf_error=exc)
    return reports


class Reports(NamedTuple):
    """What write_reports did: the failed submissions' messages, and why no PDF was written."""

    failures: list[str]
    pdf_error: DocgenError | None

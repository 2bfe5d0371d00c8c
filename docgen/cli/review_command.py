"""The bureau's command: review a folder of submissions."""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import click

from docgen.cli.output import echo, emit_json
from docgen.text.commands import HELP, SAY
from docgen.text.punctuation import ENUM_COMMA


@click.command(help=HELP["review"])
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--program", "program_id", required=True, help=HELP["program_required"])
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), help=HELP["review_output"])
@click.option("--json", "as_json", is_flag=True, help=HELP["json_spec"])
@click.option("--threshold", type=float, help=HELP["threshold"])
@click.option("--quota", type=int, help=HELP["quota"])
@click.option("--jobs", type=int, help=HELP["jobs"])
@click.option("--no-cache", is_flag=True, help=HELP["no_cache"])
@click.option("--reports", is_flag=True, help=HELP["reports"])
@click.option("--unit", default="", help=HELP["review_unit"])
@click.option("--contact", default="", help=HELP["review_contact"])
@click.option(
    "--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD", help=HELP["review_date"]
)
@click.option("--pdf", is_flag=True, help=HELP["review_pdf"])
def review(
    directory: Path,
    program_id: str,
    out: Path | None,
    as_json: bool,
    threshold: float | None,
    quota: int | None,
    jobs: int | None,
    no_cache: bool,
    reports: bool,
    unit: str,
    contact: str,
    day: dt.datetime | None,
    pdf: bool,
) -> None:
    """docgen review: cohort scores, completeness, ranking, threshold and quota; the 汇总表."""
    from docgen.app.build import output_folder_name
    from docgen.app.pdf import PDF_NAMES
    from docgen.app.review import review_folder
    from docgen.app.review_job import SUMMARY_NAMES, check_review_folder, check_summary_folder, write_summary
    from docgen.app.review_reports import report_folders, write_reports
    from docgen.app.submission import require_program
    from docgen.cache import cache_root
    from docgen.definitions.load import load_catalog
    from docgen.errors import UsageError
    from docgen.model.review import SummaryHeader
    from docgen.outputs.summary import review_json

    require_program(load_catalog(), program_id)
    if threshold is not None and not (math.isfinite(threshold) and threshold >= 0):
        raise UsageError(SAY["threshold_invalid"].format(value=threshold))
    if jobs is not None and jobs < 1:
        raise UsageError(SAY["jobs_positive"])
    if reports and out is None:
        raise UsageError(SAY["reports_need_output"])
    if pdf and not reports:
        raise UsageError(SAY["review_pdf_needs_reports"])
    folders = check_review_folder(directory)
    if out is not None:
        check_summary_folder(out, folders)
    root = None if no_cache else cache_root()
    cache_dir = str(root) if root is not None else None
    with _progress(enabled=not as_json) as progress:
        result = review_folder(
            directory,
            program_id,
            jobs=jobs,
            threshold=Fraction(str(threshold)) if threshold is not None else None,
            quota=quota,
            cache_dir=cache_dir,
            progress=progress,
        )
    result.header = SummaryHeader(unit.strip(), contact.strip(), day.date() if day else None)
    written: list[Path] = []
    pdf_error = None
    if out is not None:
        pdfs = PDF_NAMES.values() if pdf else ()
        targets = report_folders(result, out, SUMMARY_NAMES, pdfs) if reports else {}
        for name, target in targets.items():  # every place checked; now the files
            if target.name != output_folder_name(name):
                echo(SAY["output_renamed"].format(path=directory / name, target=target), err=True)
        written = write_summary(result, out)
        if reports:
            reported = write_reports(result, directory, targets, jobs=jobs, cache_dir=cache_dir, pdf=pdf)
            for message in reported.failures:
                echo(SAY["report_failed"].format(message=message), err=True)
            pdf_error = reported.pdf_error
    if as_json:
        emit_json(review_json(result))
    else:
        from docgen.cli.terminal import print_review

        print_review(result)
        if written:
            echo(SAY["review_written"].format(files=ENUM_COMMA.join(str(p) for p in written)))
    if pdf_error is not None:  # after the review itself: its files are written
        raise pdf_error


@contextmanager
def _progress(*, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """Yields a callback that drives a transient progress bar on a terminal's stderr, or None
    where nobody watches (pipes, --json)."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.progress import Progress

    bar = Progress(transient=True)
    bar.start()
    task = bar.add_task(SAY["review_progress"], total=None)

    def progress(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    try:
        yield progress
    finally:
        bar.stop()


COMMANDS = (review,)

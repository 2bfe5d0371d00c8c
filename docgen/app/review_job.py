"""EDGE: a review run as the commands ask for it: the folder checked, the 汇总表 files written."""

from __future__ import annotations

from pathlib import Path

from docgen.app.review import discover
from docgen.app.submission import ANSWERS_NAMES
from docgen.definitions.catalog import Catalog
from docgen.definitions.load import load_catalog
from docgen.errors import UsageError
from docgen.files import check_output_folder, write_all
from docgen.model.review import Review
from docgen.outputs.summary_csv import render_csv
from docgen.outputs.summary_docx import render_docx
from docgen.outputs.summary_xlsx import render_xlsx
from docgen.text.app_text import APP_TEXT
from docgen.text.commands import SAY

SUMMARY_NAMES = (
    APP_TEXT["review_job.summary_docx"],
    APP_TEXT["review_job.summary_csv"],
    APP_TEXT["review_job.summary_xlsx"],
)


def check_review_folder(directory: Path) -> list[Path]:
    """Returns the submission folders under ``directory``.

    Raises:
        UsageError: ``directory`` is itself one submission, or holds none.
    """
    found = discover(directory)
    if found:
        return found
    if any((directory / name).is_file() for name in ANSWERS_NAMES):
        raise UsageError(
            SAY["review_single"].format(directory=directory),
            hint=SAY["review_single.hint"].format(parent=directory.parent),
        )
    raise UsageError(SAY["review_empty"].format(directory=directory), hint=SAY["review_empty.hint"])


def industry_names(catalog: Catalog) -> dict[str, str]:
    """Returns 统计行业代码 → 行业 name from the catalog's industry tables (the 汇总表's 行业 column
    for a program that does not score with coefficients); a code no table names is left out."""
    names: dict[str, str] = {}
    for table in catalog.coefficients.values():
        for code, row in table.rows.items():
            if code != table.fallback:
                names.setdefault(code, row.name)
    return names


def summary_files(review: Review) -> dict[str, bytes]:
    """Returns the 汇总表 as .docx, .csv and .xlsx by file name, rendered in memory."""
    if not review.industry_names:
        review.industry_names = industry_names(load_catalog())
    renderers = (render_docx, render_csv, render_xlsx)
    return {name: render(review) for name, render in zip(SUMMARY_NAMES, renderers, strict=True)}


def check_summary_folder(out: Path, folders: list[Path]) -> None:
    """Checks that the 汇总表 can be written into ``out`` (before the review runs).

    Raises:
        OutputBlocked: ``out`` lies inside one of the submission ``folders`` (or any other), is
            not a folder, or a 汇总表 file's place is taken by a folder, a device or a FIFO.
    """
    check_output_folder(out, folders, ANSWERS_NAMES, SUMMARY_NAMES)


def write_summary(review: Review, out: Path) -> list[Path]:
    """Renders the three 汇总表 files, then writes them into ``out`` as one set (files.write_all);
    returns their paths.

    Raises:
        OutputBlocked: as check_summary_folder (checked again before writing).
        OutputError: a file cannot be written (none is).
    """
    check_output_folder(out, (), ANSWERS_NAMES, SUMMARY_NAMES)
    return write_all(out, summary_files(review))

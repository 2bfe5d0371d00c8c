"""EDGE: a review run as the commands ask for it: the folder checked, the 汇总表 files written."""

from __future__ import annotations

from pathlib import Path

from docgen.app.review import discover
from docgen.app.submission import ANSWERS_NAMES
from docgen.errors import UsageError
from docgen.files import write_atomic
from docgen.model.review import Review
from docgen.outputs.summary import render_csv
from docgen.outputs.summary_docx import render_docx
from docgen.outputs.summary_xlsx import render_xlsx
from docgen.text.commands import SAY

SUMMARY_NAMES = ("汇总表.docx", "汇总表.csv", "汇总表.xlsx")


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


def summary_files(review: Review) -> dict[str, bytes]:
    """Returns the 汇总表 as .docx, .csv and .xlsx by file name, rendered in memory."""
    renderers = (render_docx, render_csv, render_xlsx)
    return {name: render(review) for name, render in zip(SUMMARY_NAMES, renderers, strict=True)}


def write_summary(review: Review, out: Path) -> list[Path]:
    """Renders the three 汇总表 files, then writes them into ``out``; returns their paths."""
    files = summary_files(review)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        write_atomic(out / name, data)
    return [out / name for name in files]

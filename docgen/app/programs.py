"""EDGE: what a program offers without a submission: the list, the answers skeleton, the
notice's forms (blank or filled) and the default Word templates."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from docgen.app.submission import ANSWERS_NAMES, Submission, require_program, score_submission
from docgen.definitions.catalog import Catalog
from docgen.errors import DocgenError, UsageError
from docgen.files import check_output_folder, write_all, write_atomic
from docgen.outputs.forms import render_forms
from docgen.outputs.skeleton import skeleton
from docgen.resources import folder
from docgen.text.commands import SAY


def program_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """Returns one row per program: id, title, source, kinds, deadline, quota and issuer."""
    return [
        {
            "id": p.id,
            "title": p.title,
            "seed": p.seed,
            "kind": "/".join(p.kinds),
            "deadline": p.deadline or SAY["none"],
            "quota": p.quota or SAY["none"],
            "issuer": p.issuer,
        }
        for p in catalog.programs.values()
    ]


def write_skeleton(catalog: Catalog, program_id: str, directory: Path) -> Path:
    """Writes the commented answers.yaml skeleton of a program into ``directory`` (and an empty
    ``evidence/`` folder); returns the file written.

    Raises:
        UsageError: no such program.
        DocgenError: ``directory`` already holds an answers.yaml (it is never overwritten).
    """
    program = require_program(catalog, program_id)
    catalog = catalog.for_program(program)  # its own labels in the comments, as answers.xlsx has them
    target = directory / "answers.yaml"
    if target.exists():
        raise DocgenError(SAY["exists"].format(path=target), hint=SAY["exists.hint"])
    outline = catalog.outlines[
        program.outlines.get(program.kinds[0]) or next(iter(program.outlines.values()))
    ]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "evidence").mkdir(exist_ok=True)
    write_atomic(target, skeleton(program, catalog, outline).encode("utf-8"))
    return target


def form_files(
    catalog: Catalog, program_ids: list[str], fill: Submission | None = None
) -> list[tuple[str, str, bytes]]:
    """Returns (program id, file name, bytes) of every attachment of the programs, filled with
    ``fill``'s data, scores and results when given (one program only).

    Raises:
        UsageError: an unknown program, or a filled form asked for several programs.
        AnswersError: ``fill`` cannot be scored.
    """
    if fill is not None and len(program_ids) != 1:
        raise UsageError(SAY["fill_one_program"])
    card = score_submission(fill) if fill is not None else None
    answers = fill.answers if fill is not None else None
    out = []
    for program_id in program_ids:
        program = require_program(catalog, program_id)
        out += [(program_id, name, data) for name, data in render_forms(program, catalog, answers, card)]
    return out


def write_forms(
    catalog: Catalog, program_ids: list[str], out: Path, *, per_program: bool, fill: Submission | None = None
) -> list[Path]:
    """Writes the attachments into ``out`` (one sub-folder per program when ``per_program``);
    returns the files written. Everything is rendered before the first file is written, and they
    are written as one set (files.write_all).

    Raises:
        UsageError: as form_files.
        OutputBlocked: ``out`` lies inside a submission folder (the one filling the forms or any
            other), or is not a folder.
        OutputError: a file cannot be written (none is).
    """
    check_output_folder(out, [fill.folder] if fill is not None else [], ANSWERS_NAMES)
    files = form_files(catalog, program_ids, fill)
    named = {f"{program_id}/{name}" if per_program else name: data for program_id, name, data in files}
    return write_all(out, named)


def export_templates(directory: Path) -> tuple[list[Path], list[Path]]:
    """Copies the default Word templates into ``directory``; returns (written, skipped because a
    file of that name is there already — it is never overwritten).

    Raises:
        OutputBlocked: ``directory`` lies inside a submission folder, or is not a folder.
        OutputError: a file cannot be written (none is).
    """
    check_output_folder(directory, (), ANSWERS_NAMES)
    files: dict[str, bytes] = {}
    skipped = []
    for source in sorted(folder("templates").glob("*.docx")):
        if os.path.lexists(directory / source.name):  # a link too: never replaced
            skipped.append(directory / source.name)
        else:
            files[source.name] = source.read_bytes()
    return write_all(directory, files), skipped

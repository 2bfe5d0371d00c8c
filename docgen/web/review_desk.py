"""EDGE: the review desk of platform mode (SPEC §11) — the same review code as `docgen review`,
over the submitted and accepted submissions a reviewer may see.

Each submission is laid out as its canonical folder; the review reads a folder of them (one
sub-folder per submission, named by its id), with the files a reviewer ruled 不予认可 left out
so that their figures are 核减 as in the submission's own evidenced score. The review's cache
lives in the data folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from fractions import Fraction
from pathlib import Path

from docgen.app.review import review_folder
from docgen.app.review_job import summary_files
from docgen.model.review import Review
from docgen.text.punctuation import ENUM_COMMA
from docgen.web import models
from docgen.web.errors import WebError
from docgen.web.layout import ANSWERS_FILE
from docgen.web.workflow import rulings
from docgen.web.workspace import Workspace


def _allowed(user: models.User, program_id: str) -> bool:
    programs = [p for p in user.programs.split(",") if p]
    return not programs or program_id in programs


def require_reviewer(user: models.User) -> None:
    """Refuses (403) anyone but a reviewer."""
    if user.role != "reviewer":
        raise WebError(403, "role_forbidden")


def desk_review(
    ws: Workspace,
    user: models.User,
    program_id: str,
    threshold: Fraction | None = None,
    quota: int | None = None,
) -> Review:
    """Returns the review of ``program_id``'s submissions that ``user`` (a reviewer) may see."""
    require_reviewer(user)
    if program_id not in ws.catalog.programs or not _allowed(user, program_id):
        raise WebError(
            404, "unknown_program", program=program_id, programs=ENUM_COMMA.join(ws.catalog.programs)
        )
    rows = [r for r in ws.submissions(user) if r.program == program_id]
    scratch = ws.settings.data / "review"
    scratch.mkdir(parents=True, exist_ok=True)
    batch = Path(tempfile.mkdtemp(prefix="desk-", dir=scratch))
    try:
        for row in rows:
            _lay_out(ws, row, batch / row.id)
        cache = ws.settings.cache / "review"
        return review_folder(
            batch, program_id, jobs=1, threshold=threshold, quota=quota, cache_dir=str(cache)
        )
    finally:
        shutil.rmtree(batch, ignore_errors=True)


def _lay_out(ws: Workspace, row: models.Submission, target: Path) -> None:
    """Lays ``row`` out at ``target`` without the files ruled 不予认可 (hard links to the blobs)."""
    source = ws.layout.folder(row)
    rejected = {path for path, ruling in rulings(ws, row.id).items() if not ruling.accepted}
    target.mkdir()
    shutil.copyfile(source / ANSWERS_FILE, target / ANSWERS_FILE)
    for stored in row.files:
        if stored.path in rejected:
            continue
        place = target / stored.path
        place.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(ws.store.path(stored.sha256), place)
        except OSError:
            shutil.copyfile(ws.store.path(stored.sha256), place)


def summary_download(review: Review, name: str) -> bytes:
    """Returns one of the 汇总表 files (.docx, .xlsx, .csv) of ``review``."""
    files = summary_files(review)
    if name not in files:
        raise WebError(404, "unknown_output", name=name, names=ENUM_COMMA.join(files))
    return files[name]

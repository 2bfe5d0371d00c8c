"""EDGE: the review desk of platform mode (SPEC §11) — the same review code as `docgen review`,
over the submitted and accepted submissions a reviewer may see.

Each submission is laid out as its canonical folder; the review reads a folder of them (one
sub-folder per submission, named by its id), with the files a reviewer ruled 不予认可 left out
so that their figures are 核减 as in the submission's own evidenced score. Nothing is laid
out when nothing changed: each submission's entry in the review's cache (in the data folder's
cache, shared by the server's worker processes) is keyed by what its folder would hold, known
from the database — its answers' text and its files' blob hashes, those ruled 不予认可 left out
— so only a new or changed submission is laid out and prepared; the review itself (ranked with
the threshold and quota) is kept in each process by those keys, and so are the prepared entries
(a new submission then costs its own preparation and the cohort's rescoring, not 50 reads).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import select

from docgen.app.review import review_entries
from docgen.app.review_job import summary_files
from docgen.model.review import Review
from docgen.outputs.summary import review_json
from docgen.resources import definitions_fingerprint
from docgen.text.punctuation import ENUM_COMMA
from docgen.web import models
from docgen.web.errors import WebError
from docgen.web.layout import ANSWERS_FILE
from docgen.web.memo import Kept
from docgen.web.workspace import Workspace

REVIEWS_KEPT = 8  # desk reviews kept in each server process, by what they were made from
_reviews = Kept(REVIEWS_KEPT)
ENTRIES_KEPT = 400  # prepared submissions kept in each server process, by cache entry
_entries = Kept(ENTRIES_KEPT)
_bodies = Kept(REVIEWS_KEPT)  # the JSON object of each kept review (with the review it is of)


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
    rows = sorted((r for r in ws.submissions(user) if r.program == program_id), key=lambda r: r.id)
    rejected = _rejected(ws, [r.id for r in rows])
    cache = ws.settings.cache / "review"
    stored = [_entry(cache, program_id, row, rejected.get(row.id, set())) for row in rows]
    key = (program_id, tuple(zip([r.id for r in rows], stored, strict=True)), threshold, quota)
    kept = _reviews.fetch(key)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    scratch = ws.settings.data / "review"
    batch: list[Path] = []

    def folder_of(index: int) -> Path:
        if not batch:
            scratch.mkdir(parents=True, exist_ok=True)
            batch.append(Path(tempfile.mkdtemp(prefix="desk-", dir=scratch)))
        row = rows[index]
        target = batch[0] / row.id
        if not target.is_dir():
            _lay_out(ws, row, rejected.get(row.id, set()), target)
        return target

    try:
        review = review_entries(
            program_id,
            [r.id for r in rows],
            stored,
            folder_of,
            jobs=1,
            threshold=threshold,
            quota=quota,
            cache_dir=str(cache),
            memory=_entries,
        )
    finally:
        if batch:
            shutil.rmtree(batch[0], ignore_errors=True)
    _reviews.keep(key, review)
    return review


def _rejected(ws: Workspace, sids: list[str]) -> dict[str, set[str]]:
    """Returns the files ruled 不予认可 of each of ``sids`` (one query)."""
    out: dict[str, set[str]] = {}
    if not sids:
        return out
    with ws.sessions() as s:
        query = select(models.Ruling.submission_id, models.Ruling.file).where(
            models.Ruling.submission_id.in_(sids), models.Ruling.accepted.is_(False)
        )
        for sid, file in s.execute(query):
            out.setdefault(sid, set()).add(file)
    return out


def _entry(cache: Path, program_id: str, row: models.Submission, rejected: set[str]) -> Path:
    """Returns where ``row``'s prepared review entry is kept: a hash of the program, docgen's
    definitions and everything the folder laid out for it holds — its answers' text and each
    file's path and blob hash (those ruled 不予认可 left out) — known from the database without
    laying anything out or reading a file."""
    digest = hashlib.sha256(f"desk\0{program_id}\0{definitions_fingerprint()}\0".encode())
    digest.update(hashlib.sha256(row.answers.encode("utf-8")).digest())
    for stored in sorted(row.files, key=lambda f: f.path):
        if stored.path not in rejected:
            digest.update(f"\0{stored.path}\0{stored.sha256}".encode("utf-8", "replace"))
    key = digest.hexdigest()
    return cache / "prepared" / key[:2] / f"{key}.json"


def _lay_out(ws: Workspace, row: models.Submission, rejected: set[str], target: Path) -> None:
    """Lays ``row`` out at ``target`` without the files ruled 不予认可 (hard links to the blobs)."""
    target.mkdir()
    (target / ANSWERS_FILE).write_bytes(row.answers.encode("utf-8"))
    for stored in row.files:
        if stored.path in rejected:
            continue
        place = target / stored.path
        place.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(ws.store.path(stored.sha256), place)
        except OSError:
            shutil.copyfile(ws.store.path(stored.sha256), place)


def desk_json(review: Review) -> dict[str, Any]:
    """Returns ``review_json(review)``, made once per review desk_review keeps (the desk's page
    and API ask for the same unchanged review again and again)."""
    kept = _bodies.fetch(id(review))
    if kept is not None and kept[0] is review:
        return kept[1]  # type: ignore[no-any-return]
    body = review_json(review)
    _bodies.keep(id(review), (review, body))
    return body


def summary_download(review: Review, name: str) -> bytes:
    """Returns one of the 汇总表 files (.docx, .xlsx, .csv) of ``review``."""
    files = summary_files(review)
    if name not in files:
        raise WebError(404, "unknown_output", name=name, names=ENUM_COMMA.join(files))
    return files[name]

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
(a new submission then costs its own preparation and the cohort's rescoring, not 50 reads);
each member's cohort rescoring is shared by the workers through the cache folder
(``rescore_cache``). The desk's answer — the JSON of its review — is kept in each process and
in the cache folder under the submissions' versions and rulings (``desk_answer``), so an
unchanged desk costs two column queries and a read, whichever worker and reviewer asks.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen import cache
from docgen.app.rescore_cache import RescoreStore
from docgen.app.review import review_entries
from docgen.app.review_job import summary_files
from docgen.model.review import Review
from docgen.outputs.answers_text import answers_json
from docgen.outputs.summary import review_json, submission_json
from docgen.resources import definitions_fingerprint
from docgen.text.punctuation import ENUM_COMMA
from docgen.web import models
from docgen.web.errors import WebError
from docgen.web.layout import ANSWERS_FILE
from docgen.web.locks import file_lock
from docgen.web.memo import Kept
from docgen.web.workspace import REVIEWED_STATUSES, Workspace

REVIEWS_KEPT = 8  # desk reviews kept in each server process, by what they were made from
_reviews = Kept(REVIEWS_KEPT)
ENTRIES_KEPT = 400  # prepared submissions kept in each server process, by cache entry
_entries = Kept(ENTRIES_KEPT)
_answers = Kept(REVIEWS_KEPT)  # the desk's answers (bytes, decoded) by their key (desk_answer)
_texts = Kept(ENTRIES_KEPT)  # each submission's entry in a desk's answer, encoded (_encoded)
ENTRY_INDENT = " " * 4  # an entry's lines in the answer: inside the object, inside its list
DESK_FILES_KEPT = 16  # the desk's answers kept in the cache folder, per program
LOCK_NAME = "review.lock"  # in the program's folder of answers (not an answer: not pruned)


@dataclass(frozen=True)
class DeskFile:
    """A file of a listed submission: its path in the folder and its blob's hash."""

    path: str
    sha256: str


@dataclass
class DeskRow:
    """A submission as the desk lists it (column queries, no ORM objects); ``answers`` and
    ``files`` are read only when its review has to be made."""

    id: str
    version: int
    status: str
    updated: str
    answers: str = ""
    files: tuple[DeskFile, ...] = ()


@dataclass(frozen=True)
class DeskAnswer:
    """The desk's answer: the JSON bytes of its review object, that object, each listed
    submission's status by id (read at this request)."""

    body: bytes
    data: dict[str, Any]
    statuses: dict[str, str]


def _allowed(user: models.User, program_id: str) -> bool:
    programs = [p for p in user.programs.split(",") if p]
    return not programs or program_id in programs


def require_reviewer(user: models.User) -> None:
    """Refuses (403) anyone but a reviewer."""
    if user.role != "reviewer":
        raise WebError(403, "role_forbidden")


def _check(ws: Workspace, user: models.User, program_id: str) -> None:
    """Refuses anyone but a reviewer (403) and a program they do not review (404)."""
    require_reviewer(user)
    if program_id not in ws.catalog.programs or not _allowed(user, program_id):
        raise WebError(
            404, "unknown_program", program=program_id, programs=ENUM_COMMA.join(ws.catalog.programs)
        )


def desk_review(
    ws: Workspace,
    user: models.User,
    program_id: str,
    threshold: Fraction | None = None,
    quota: int | None = None,
) -> Review:
    """Returns the review of ``program_id``'s submissions that ``user`` (a reviewer) may see."""
    _check(ws, user, program_id)
    rows, rejected = _listing(ws, user, program_id)
    return _review(ws, program_id, rows, rejected, threshold, quota)[0]


def desk_answer(
    ws: Workspace,
    user: models.User,
    program_id: str,
    threshold: Fraction | None = None,
    quota: int | None = None,
) -> DeskAnswer:
    """Returns the desk's answer: ``json_response(review_json(desk_review(…)))``'s bytes and the
    same object decoded, with the listed submissions' statuses.

    The answer is kept in this process and in the cache folder (``cache/review/desk/PROGRAM/``,
    the DESK_FILES_KEPT newest) under a hash of everything it depends on — the program, docgen's
    code and definitions, the threshold and quota, each listed submission's id, version, status
    and last change, and the files ruled 不予认可 (a version moves with every change of the
    answers, the files or a ruling) — so a second reviewer, or the other worker process, is
    answered without reviewing anything; a damaged file is ignored and written again. A desk
    to review is reviewed by one thread of one process at a time (a file lock per program):
    two reviewers asking at once after a change — each on a worker — would review the same
    submissions twice on the same cores; the second waits, then reads the first one's answer."""
    _check(ws, user, program_id)
    rows, rejected = _listing(ws, user, program_id)
    statuses = {r.id: r.status for r in rows}
    key = _answer_key(program_id, rows, rejected, threshold, quota)
    kept = _answers.fetch(key)
    if kept is not None:
        return DeskAnswer(kept[0], kept[1], statuses)
    folder = ws.settings.cache / "review" / "desk" / program_id
    path = folder / f"{key}.json"
    found = _stored(path, program_id)
    if found is None:
        with file_lock(folder / LOCK_NAME):  # one review at a time; the others then read it
            found = _stored(path, program_id)
            if found is None:
                review, stored = _review(ws, program_id, rows, rejected, threshold, quota)
                found = _encoded(review, stored)
                cache.write_entry(path, found[0])
                _prune(folder)
    _answers.keep(key, found)
    return DeskAnswer(found[0], found[1], statuses)


def _stored(path: Path, program_id: str) -> tuple[bytes, dict[str, Any]] | None:
    """Returns the answer kept at ``path`` and its object; None when absent or damaged."""
    body = cache.read_entry(path)
    data = _decoded(body, program_id) if body is not None else None
    return (body, data) if body is not None and data is not None else None


def _decoded(body: bytes, program_id: str) -> dict[str, Any] | None:
    """Returns a stored answer decoded; None unless it is a review object of ``program_id``
    whose entries are objects (a torn or foreign file)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("program") != program_id:
        return None
    entries = data.get("submissions")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return None
    return data


def _prune(folder: Path) -> None:
    """Removes all but the DESK_FILES_KEPT newest answers of ``folder`` (another worker may be
    doing the same: what is gone already is skipped)."""
    try:
        with os.scandir(folder) as scan:
            found = [
                (e.stat(follow_symlinks=False).st_mtime_ns, e.path) for e in scan if e.name.endswith(".json")
            ]
    except OSError:
        return
    for _stamp, name in sorted(found, reverse=True)[DESK_FILES_KEPT:]:
        with contextlib.suppress(OSError):
            os.unlink(name)


def _answer_key(
    program_id: str,
    rows: list[DeskRow],
    rejected: dict[str, set[str]],
    threshold: Fraction | None,
    quota: int | None,
) -> str:
    """Returns the hash the desk's answer is kept under (see desk_answer)."""
    digest = hashlib.sha256(f"desk-answer\0{program_id}\0{definitions_fingerprint()}\0".encode())
    digest.update(f"{threshold!r}\0{quota!r}\0".encode())
    for row in rows:
        files = "\0".join(sorted(rejected.get(row.id, ())))
        digest.update(f"{row.id}\0{row.version}\0{row.status}\0{row.updated}\0{files}\1".encode())
    return digest.hexdigest()


def _listing(ws: Workspace, user: models.User, program_id: str) -> tuple[list[DeskRow], dict[str, set[str]]]:
    """Returns the submissions of ``program_id`` that ``user`` (a reviewer of it) may see, by id,
    and the files ruled 不予认可 of each — two column queries (Workspace.submissions' rule: a
    reviewer's own, else submitted or accepted from an enterprise of the reviewer's region)."""
    submission, owner = models.Submission, models.User
    query = (
        select(
            submission.id,
            submission.version,
            submission.status,
            submission.updated,
            submission.owner_id,
            owner.region,
        )
        .join(owner, owner.id == submission.owner_id)
        .where(submission.program == program_id, submission.status.in_(REVIEWED_STATUSES))
    )
    with ws.sessions() as s:
        found = [
            DeskRow(sid, version, status, str(updated))
            for sid, version, status, updated, owner_id, region in s.execute(query)
            if owner_id == user.id or region.startswith(user.region)
        ]
        rows = sorted(found, key=lambda r: r.id)  # Python's order, whatever the database's collation
        return rows, _rejected(s, [r.id for r in rows])


def _contents(ws: Workspace, rows: list[DeskRow]) -> None:
    """Fills in each row's answers and files (path and blob hash): two column queries."""
    if not rows:
        return
    by_id = {r.id: r for r in rows}
    files: dict[str, list[DeskFile]] = {}
    stored = models.StoredFile
    with ws.sessions() as s:
        query = select(models.Submission.id, models.Submission.answers)
        for sid, answers in s.execute(query.where(models.Submission.id.in_(by_id))):
            by_id[sid].answers = answers
        listed = select(stored.submission_id, stored.path, stored.sha256).where(
            stored.submission_id.in_(by_id)
        )
        for sid, path, sha in s.execute(listed.order_by(stored.submission_id, stored.path)):
            files.setdefault(sid, []).append(DeskFile(path, sha))
    for sid, row in by_id.items():
        row.files = tuple(files.get(sid, ()))


def _review(
    ws: Workspace,
    program_id: str,
    rows: list[DeskRow],
    rejected: dict[str, set[str]],
    threshold: Fraction | None,
    quota: int | None,
) -> tuple[Review, list[Path]]:
    """Returns the review of ``rows`` (``docgen review``'s code), laying out only the
    submissions whose prepared entries the cache lacks, and each row's entry."""
    _contents(ws, rows)
    cache_folder = ws.settings.cache / "review"
    stored = [_entry(cache_folder, program_id, row, rejected.get(row.id, set())) for row in rows]
    key = (program_id, tuple(zip([r.id for r in rows], stored, strict=True)), threshold, quota)
    kept = _reviews.fetch(key)
    if kept is not None:
        return kept, stored
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
            cache_dir=str(cache_folder),
            memory=_entries,
            rescored=RescoreStore(cache_folder / "rescored"),
            inspections=str(ws.inspection.directory),  # what the workspace inspected, by blob
        )
    finally:
        if batch:
            shutil.rmtree(batch[0], ignore_errors=True)
    _reviews.keep(key, review)
    return review, stored


def _encoded(review: Review, stored: list[Path]) -> tuple[bytes, dict[str, Any]]:
    """Returns ``answers_json(review_json(review))`` and that object decoded (as the file is read
    back), each submission's entry encoded once while what it shows is unchanged: its folder and
    entry, what its cards were scored from (for a cohort, the rescoring's key: its entry and the
    maxima) and the decision (rank, recommendation, reason). A desk's answer changes with every
    newcomer; its other 49 entries, ~30 kB of indented JSON each, mostly do not."""
    valid = [r for r in review.rows if not r.broken]
    if not review.rows or (review.program.relative == "cohort" and any(not r.scored for r in valid)):
        body = answers_json(review_json(review))  # cohort scores read whole from the cache
        return body, json.loads(body)
    token = f"@{secrets.token_hex(8)}@"
    head = review_json(replace(review, rows=[]))
    head["submissions"] = token
    texts, entries = [], []
    for row, entry in zip(review.rows, stored, strict=True):
        key = (row.prepared.folder, str(entry), row.scored, row.rank, row.recommended, row.reason)
        kept = _texts.fetch(key)
        if kept is None:
            lines = answers_json(submission_json(row)).decode("utf-8").rstrip("\n").split("\n")
            text = "\n".join(ENTRY_INDENT + line for line in lines)  # no JSON string holds a newline
            kept = text, json.loads(text)
            _texts.keep(key, kept)
        texts.append(kept[0])
        entries.append(kept[1])
    listed = "[\n" + ",\n".join(texts) + "\n  ]"
    body = answers_json(head).decode("utf-8").replace(json.dumps(token), listed, 1).encode("utf-8")
    data = json.loads(answers_json(head))
    data["submissions"] = entries
    return body, data


def _rejected(s: Session, sids: list[str]) -> dict[str, set[str]]:
    """Returns the files ruled 不予认可 of each of ``sids`` (one query)."""
    out: dict[str, set[str]] = {}
    if not sids:
        return out
    query = select(models.Ruling.submission_id, models.Ruling.file).where(
        models.Ruling.submission_id.in_(sids), models.Ruling.accepted.is_(False)
    )
    for sid, file in s.execute(query):
        out.setdefault(sid, set()).add(file)
    return out


def _entry(cache: Path, program_id: str, row: DeskRow, rejected: set[str]) -> Path:
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


def _lay_out(ws: Workspace, row: DeskRow, rejected: set[str], target: Path) -> None:
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


def summary_download(review: Review, name: str) -> bytes:
    """Returns one of the 汇总表 files (.docx, .xlsx, .csv) of ``review``."""
    files = summary_files(review)
    if name not in files:
        raise WebError(404, "unknown_output", name=name, names=ENUM_COMMA.join(files))
    return files[name]

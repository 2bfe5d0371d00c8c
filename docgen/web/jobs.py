"""EDGE: the long work a page starts and follows (every document, the PDFs), and the downloads
that are not §8 build outputs (answers.yaml/.xlsx, the filled forms, the blank forms).

A job runs in a thread of the process that started it; the page polls its progress line, and
with several worker processes a poll may reach any of them. So a job's state is a small JSON
file in ``CACHE/jobs`` (data only, validated on read), and what it prepares is kept on disk
(rendered.py) for the download to find whichever process serves it. A job is named by what it
makes — submission, version, what — so starting the same work twice follows the one job
already running (single flight), and a process runs at most ``MAX_RUNNING`` jobs at a time
(503 beyond: the page asks to try again shortly).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from docgen.app.build import OUTPUT_NAMES
from docgen.app.pdf import PDF_NAMES
from docgen.errors import DocgenError
from docgen.files import write_atomic
from docgen.text.punctuation import ENUM_COMMA
from docgen.web import models
from docgen.web.errors import WebError
from docgen.web.locks import file_lock
from docgen.web.workspace import Workspace

EXTRA_DOWNLOADS = ("answers.yaml", "answers.xlsx", "forms.zip")
WHATS = ("all", "pdf")
MAX_RUNNING = 2  # jobs one process runs at once (two cores; a PDF job holds LibreOffice)
STALE_SECONDS = 15 * 60  # a job not done after this is taken as lost (its process ended)
_JOB_ID = re.compile(r"[0-9a-f]{16}")
_running = threading.BoundedSemaphore(MAX_RUNNING)
log = logging.getLogger("docgen.web")


@dataclass
class Job:
    """One piece of long work and how far it got."""

    id: str
    sid: str
    what: str
    version: int
    started: float = field(default_factory=time.time)
    finished: float = 0.0
    done: bool = False
    error: str = ""
    names: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> int:
        """Seconds it has run (or took, once done)."""
        return int((self.finished if self.done else time.time()) - self.started)


def _folder(ws: Workspace) -> Path:
    return ws.settings.cache / "jobs"


def _save(ws: Workspace, job: Job) -> None:
    write_atomic(_folder(ws) / f"{job.id}.json", json.dumps(asdict(job)).encode(), durable=False)


def _load(ws: Workspace, jid: str) -> Job | None:
    """Returns the job saved as ``jid`` (None when missing or not a job's state)."""
    try:
        given = json.loads((_folder(ws) / f"{jid}.json").read_bytes())
        job = Job(**given)
    except (OSError, ValueError, TypeError):
        return None
    kinds = (job.id, job.sid, job.what, job.error)
    if not all(isinstance(k, str) for k in kinds) or not isinstance(job.names, list):
        return None
    return job


PDF_CHECK_SECONDS = 30.0  # how long the answer of pdf_available stands (for one environment)
_pdf_checked: dict[tuple[str | None, str | None], tuple[float, bool]] = {}


def pdf_available() -> bool:
    """Returns whether LibreOffice is there to write PDFs — looked for once in PDF_CHECK_SECONDS
    for the same ``DOCGEN_SOFFICE`` and ``PATH`` (every workspace page asks, and the search
    stats a dozen places: #21)."""
    from docgen.app.pdf import SOFFICE_ENV, find_soffice

    key = (os.environ.get(SOFFICE_ENV), os.environ.get("PATH"))
    checked = _pdf_checked.get(key)
    if checked is not None and time.monotonic() - checked[0] < PDF_CHECK_SECONDS:
        return checked[1]
    try:
        find_soffice()
        found = True
    except DocgenError:
        found = False
    _pdf_checked.clear()  # one environment at a time: the memo never grows
    _pdf_checked[key] = (time.monotonic(), found)
    return found


def start(ws: Workspace, row: models.Submission, what: str) -> Job:
    """Starts preparing every document of ``row`` (``what`` = "pdf": the PDFs too), or returns
    the job already doing it."""
    what = what if what in WHATS else "all"
    jid = hashlib.sha256(f"{row.id}:{row.version}:{what}".encode()).hexdigest()[:16]
    with file_lock(_folder(ws) / "start.lock"):
        found = _load(ws, jid)
        if found is not None and not found.error and (found.done or found.seconds < STALE_SECONDS):
            return found
        if not _running.acquire(blocking=False):
            raise WebError(503, "busy")
        job = Job(jid, row.id, what, row.version)
        _save(ws, job)

    def work() -> None:
        try:
            ws.outputs(row)
            job.names = list(OUTPUT_NAMES)
            if what == "pdf":
                ws.pdfs(row)
                job.names += list(PDF_NAMES.values())
        except WebError as exc:
            job.error = exc.message
        except Exception:
            log.exception("job %s of submission %s failed", job.id, job.sid)
            job.error = WebError(500, "internal", name="job").message
        finally:
            job.done, job.finished = True, time.time()
            _save(ws, job)
            _running.release()

    threading.Thread(target=work, name=f"docgen-job-{job.id}", daemon=True).start()
    return job


def find(ws: Workspace, sid: str, jid: str) -> Job:
    """Returns the job ``jid`` of submission ``sid`` (404 when there is none)."""
    job = _load(ws, jid) if _JOB_ID.fullmatch(jid) else None
    if job is None or job.sid != sid:
        raise WebError(404, "job_unknown")
    return job


def extra_download(ws: Workspace, row: models.Submission, name: str) -> bytes:
    """Returns answers.yaml, answers.xlsx or the filled forms (a zip of .docx) of ``row``."""
    if name == "answers.yaml":
        return row.answers.encode("utf-8")
    if name == "answers.xlsx":
        return _workbook(ws, row)
    if name == "forms.zip":
        return _filled_forms(ws, row)
    raise WebError(404, "unknown_output", name=name, names=ENUM_COMMA.join(EXTRA_DOWNLOADS))


def _workbook(ws: Workspace, row: models.Submission) -> bytes:
    from docgen.outputs.answers_sheet import UnwritableValue
    from docgen.outputs.answers_xlsx import answers_workbook
    from docgen.web.submission_files import answers_data

    program = ws.catalog.programs[row.program]
    catalog = ws.catalog.for_program(program)
    outline_id = program.outlines.get(row.kind) or next(iter(program.outlines.values()), None)
    outline = catalog.outlines.get(outline_id) if outline_id else None
    data = answers_data(row)
    try:
        out: bytes = answers_workbook(program, catalog, outline, data if isinstance(data, dict) else {})
    except UnwritableValue as exc:
        raise WebError(422, "bad_field", path=".".join(map(str, exc.path))) from None
    return out


def _filled_forms(ws: Workspace, row: models.Submission) -> bytes:
    from docgen.app.programs import form_files

    found = ws.assess(row)
    if found.evaluation is None or found.opened is None:
        raise WebError(422, "not_scorable", body=found.check())
    files = form_files(ws.catalog, [row.program], found.opened)
    from docgen.web.submission_files import zip_files

    return zip_files({name: data for _program, name, data in files})


def blank_forms(ws: Workspace) -> list[dict[str, Any]]:
    """Returns every program with the names of its blank attachments."""
    return [
        {"program": program, "names": list(_blank(ws, program.id))}
        for program in ws.catalog.programs.values()
    ]


def blank_form(ws: Workspace, program_id: str, name: str) -> bytes:
    """Returns one blank attachment of a program."""
    forms = _blank(ws, program_id) if program_id in ws.catalog.programs else {}
    if name not in forms:
        raise WebError(404, "unknown_output", name=name, names=ENUM_COMMA.join(forms))
    return forms[name]


@cache
def _blank(ws: Workspace, program_id: str) -> dict[str, bytes]:
    from docgen.app.programs import form_files

    return {name: data for _p, name, data in form_files(ws.catalog, [program_id])}

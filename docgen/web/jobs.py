"""EDGE: the long work a page starts and follows (every document, the PDFs), and the downloads
that are not §8 build outputs (answers.yaml/.xlsx, the filled forms, the blank forms).

A job runs in a thread of its own; the page polls its progress line. Jobs are kept in memory
(the last few per submission): they only prepare what the downloads then read from the
Workspace's own caches.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from docgen.app.build import OUTPUT_NAMES
from docgen.app.pdf import PDF_NAMES
from docgen.errors import DocgenError
from docgen.web import models
from docgen.web.errors import WebError
from docgen.web.workspace import Workspace

JOBS_KEPT = 8  # per submission
EXTRA_DOWNLOADS = ("answers.yaml", "answers.xlsx", "forms.zip")


@dataclass
class Job:
    """One piece of long work and how far it got."""

    id: str
    sid: str
    what: str
    version: int
    started: float = field(default_factory=time.monotonic)
    done: bool = False
    error: str = ""
    names: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> int:
        return int(time.monotonic() - self.started)


_jobs: dict[str, dict[str, Job]] = {}
_lock = threading.Lock()


def pdf_available() -> bool:
    """Returns whether LibreOffice is there to write PDFs."""
    from docgen.app.pdf import find_soffice

    try:
        find_soffice()
    except DocgenError:
        return False
    return True


def start(ws: Workspace, row: models.Submission, what: str) -> Job:
    """Starts preparing every document of ``row`` (``what`` = "pdf": the PDFs too)."""
    job = Job(secrets.token_hex(6), row.id, what, row.version)
    with _lock:
        kept = _jobs.setdefault(row.id, {})
        kept[job.id] = job
        while len(kept) > JOBS_KEPT:
            kept.pop(next(iter(kept)))

    def work() -> None:
        try:
            ws.outputs(row)
            job.names = list(OUTPUT_NAMES)
            if what == "pdf":
                ws.pdfs(row)
                job.names += list(PDF_NAMES.values())
        except WebError as exc:
            job.error = exc.message
        except Exception as exc:
            job.error = type(exc).__name__
        job.done = True

    threading.Thread(target=work, name=f"docgen-job-{job.id}", daemon=True).start()
    return job


def find(sid: str, jid: str) -> Job:
    """Returns the job ``jid`` of submission ``sid`` (404 when there is none)."""
    with _lock:
        job = _jobs.get(sid, {}).get(jid)
    if job is None:
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
    raise WebError(404, "unknown_output", name=name, names="、".join(EXTRA_DOWNLOADS))


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
        raise WebError(404, "unknown_output", name=name, names="、".join(forms))
    return forms[name]


@cache
def _blank(ws: Workspace, program_id: str) -> dict[str, bytes]:
    from docgen.app.programs import form_files

    return {name: data for _p, name, data in form_files(ws.catalog, [program_id])}

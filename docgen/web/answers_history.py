"""The answers as they were before a whole-file replacement (an uploaded answers.xlsx/.yaml/.json
or a Word draft taking over the narrative): kept, so that nothing typed on the pages is lost.

Before the replacement the current answers.yaml text goes into the content-addressed store and
an audit entry ``answers_kept`` names its blob and the version it was; the workspace lists these
and each downloads as the answers.yaml it was (and can be imported or uploaded again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from docgen.text.web import WORDS
from docgen.web import db, models
from docgen.web.errors import WebError

if TYPE_CHECKING:
    from docgen.web.workspace import Assessment, Workspace

ACTION = "answers_kept"


@dataclass(frozen=True)
class KeptAnswers:
    """One kept answers text: the audit entry's id, when, which version it was, its blob."""

    id: int
    at: dt.datetime
    version: int
    sha256: str


def keep_current(ws: Workspace, user: models.User, sid: str) -> KeptAnswers:
    """Stores the current answers of ``sid`` and records them (written before any replacement:
    should the replacement fail, one more kept copy is all that remains)."""
    from docgen.web.workflow import audit_entry
    from docgen.web.workspace import now

    row = ws.get(user, sid)
    sha = ws.store.put(row.answers.encode("utf-8"))
    stamp = now()
    detail = WORDS["kept.detail"].format(version=row.version, sha=sha)
    with db.transaction(ws.sessions) as s:
        entry = audit_entry(stamp, user, ACTION, sid, row.status, detail=detail)
        s.add(entry)
        s.flush()
        return KeptAnswers(entry.id, stamp, row.version, sha)


def replace_answers(ws: Workspace, user: models.User, sid: str, text: str) -> models.Submission:
    """Keeps the current answers, then saves ``text`` as the answers of ``sid``."""
    keep_current(ws, user, sid)
    row, _ = ws.put_answers(user, sid, text, None)
    return row


def replace_by_edit(
    ws: Workspace, user: models.User, sid: str, change: Callable[[dict[str, Any]], None]
) -> tuple[models.Submission, Assessment]:
    """Keeps the current answers, then applies ``change`` (which replaces a whole part)."""
    keep_current(ws, user, sid)
    return ws.edit(user, sid, change)


def kept(ws: Workspace, sid: str) -> list[KeptAnswers]:
    """Returns the kept answers of ``sid``, the latest first."""
    with ws.sessions() as s:
        entries = s.scalars(
            select(models.AuditEntry)
            .where(models.AuditEntry.submission == sid, models.AuditEntry.action == ACTION)
            .order_by(models.AuditEntry.id.desc())
        ).all()
    out = []
    for e in entries:
        version, sha = _parse(e.detail)
        if sha:
            out.append(KeptAnswers(e.id, e.at, version, sha))
    return out


def kept_text(ws: Workspace, user: models.User, sid: str, entry: int) -> tuple[KeptAnswers, bytes]:
    """Returns one kept answers text of ``sid`` (the caller must see ``sid``)."""
    ws.get(user, sid)
    for k in kept(ws, sid):
        if k.id == entry:
            return k, ws.store.read(k.sha256)
    raise WebError(404, "kept_not_found")


def kept_blob(detail: str) -> str:
    """Returns the blob an ``answers_kept`` audit entry's detail names (empty when none)."""
    return next((w for w in detail.split() if len(w) == 64 and all(c in "0123456789abcdef" for c in w)), "")


def _parse(detail: str) -> tuple[int, str]:
    digits = [w for w in detail.split() if w.isdigit()]
    return (int(digits[0]) if digits else 0), kept_blob(detail)


async def kept_download(request: Request) -> Response:
    """GET /submissions/SID/kept/ENTRY: one kept answers text, as answers.yaml."""
    from starlette.concurrency import run_in_threadpool

    from docgen.web import bodies
    from docgen.web.security import current_user

    user = await current_user(request)
    ws: Workspace = request.app.state.workspace
    sid = request.path_params["sid"]
    found, data = await run_in_threadpool(kept_text, ws, user, sid, request.path_params["entry"])
    row = await run_in_threadpool(ws.get, user, sid)
    name = WORDS["kept.file"].format(stem=bodies.download_stem(row), version=found.version)
    return bodies.download(data, name, inline=False)

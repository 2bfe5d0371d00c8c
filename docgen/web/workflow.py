"""EDGE: the submission workflow of platform mode (SPEC §11).

draft 草稿 → submitted 已提交 → returned 退回修改 (with the reviewer's reason) → submitted … →
accepted 已受理. Submitting needs the 告知承诺书 accepted (its current text: a changed text must
be accepted again), no error, a complete submission, and the program's gate (minimum score,
closing day). Every transition is one transaction with its audit entry (who, when, what, the
status before and after); a reviewer's ruling on an evidence file is one too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import select

from docgen.numbers import fmt_fixed
from docgen.text.web import ERRORS
from docgen.web import db, models
from docgen.web.admin import deadline
from docgen.web.display import beijing_today
from docgen.web.errors import WebError, not_found
from docgen.web.workspace import Workspace, now

SUBMITTABLE = ("draft", "returned")


def audit_entry(
    at: dt.datetime,
    user: models.User,
    action: str,
    sid: str,
    before: str,
    after: str | None = None,
    detail: str = "",
) -> models.AuditEntry:
    """Returns the audit entry of one step (``after``: the status after it, the same by default)."""
    return models.AuditEntry(
        at=at,
        user=user.name,
        action=action,
        submission=sid,
        before=before,
        after=after or before,
        detail=detail,
    )


def commitment_hash(text: str) -> str:
    """Returns the SHA-256 of a 告知承诺书's text (what the acceptance records)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _commitment(ws: Workspace, row: models.Submission) -> str:
    text = ws.catalog.programs[row.program].platform.commitment
    if not text:
        raise WebError(409, "no_commitment", program=row.program)
    return text


def accepted_commitment(ws: Workspace, row: models.Submission) -> models.Commitment | None:
    """Returns the acceptance of the program's current 告知承诺书 for ``row``, if any."""
    text = ws.catalog.programs[row.program].platform.commitment
    with ws.sessions() as s:
        return s.scalar(
            select(models.Commitment)
            .where(
                models.Commitment.submission_id == row.id,
                models.Commitment.text_sha256 == commitment_hash(text),
            )
            .order_by(models.Commitment.at.desc())
        )


def accept_commitment(ws: Workspace, user: models.User, sid: str) -> models.Submission:
    """Records that ``user`` read and accepted the 告知承诺书 of ``sid`` (who, when, its hash)."""
    row = ws.get(user, sid)
    if row.owner_id != user.id:
        raise not_found(sid)
    text = _commitment(ws, row)
    stamp = now()
    with db.transaction(ws.sessions) as s:
        s.add(
            models.Commitment(submission_id=sid, user=user.name, at=stamp, text_sha256=commitment_hash(text))
        )
        s.add(audit_entry(stamp, user, "commitment", sid, row.status))
    return ws.get(user, sid)


def _transition(
    ws: Workspace,
    user: models.User,
    sid: str,
    allowed: tuple[str, ...],
    after: str,
    action: str,
    **values: Any,
) -> models.Submission:
    stamp = now()
    with db.transaction(ws.sessions) as s:
        row = s.get(models.Submission, sid)
        if row is None:
            raise not_found(sid)
        if row.status not in allowed:
            raise WebError(
                409, "bad_transition", state=ERRORS[f"status.{row.status}"], action=ERRORS[f"action.{action}"]
            )
        before = row.status
        row.status = after
        row.updated = stamp
        for key, value in values.items():
            setattr(row, key, value)
        s.add(audit_entry(stamp, user, action, sid, before, after, str(values.get("reason") or "")))
    return ws.row(sid)  # a returned submission is no longer the reviewer's to see, but this answer is


def submit(ws: Workspace, user: models.User, sid: str) -> models.Submission:
    """Submits ``sid`` (its owner): 409 with the check object when it has errors or is not
    complete, and with a message when the commitment or the program's gate is not met."""
    row = ws.get(user, sid)
    if row.owner_id != user.id:
        raise not_found(sid)
    if row.status not in SUBMITTABLE:
        raise WebError(
            409, "bad_transition", state=ERRORS[f"status.{row.status}"], action=ERRORS["action.submit"]
        )
    _commitment(ws, row)
    if accepted_commitment(ws, row) is None:
        raise WebError(409, "commitment_missing")
    rules = ws.catalog.programs[row.program].platform
    last_day = deadline(ws, row.program)  # the admin's extension, else the notice's day
    if last_day is not None and beijing_today() > last_day:
        raise WebError(409, "closed", day=last_day.isoformat())
    found = ws.assess(row)
    check = found.check()
    if not check["ok"] or not check["complete"]:
        err = WebError(409, "not_submittable")
        err.body = {"error": {"code": "not_submittable", "message": err.message}, **check}
        raise err
    if rules.min_score is not None and found.evaluation is not None:
        total = found.evaluation.claimed.total
        if total < rules.min_score:
            raise WebError(409, "below_gate", total=fmt_fixed(total), gate=fmt_fixed(rules.min_score))
    return _transition(ws, user, sid, SUBMITTABLE, "submitted", "submit", reason=None)


def _reviewed(ws: Workspace, user: models.User, sid: str) -> models.Submission:
    if user.role != "reviewer":
        raise not_found(sid)
    return ws.get(user, sid)  # 404 unless the reviewer may see it


def return_submission(ws: Workspace, user: models.User, sid: str, reason: str) -> models.Submission:
    """Returns a submitted ``sid`` to its enterprise for correction (退回修改) with ``reason``."""
    _reviewed(ws, user, sid)
    if not reason.strip():
        raise WebError(400, "reason_missing")
    return _transition(ws, user, sid, ("submitted",), "returned", "return", reason=reason.strip())


def accept_submission(ws: Workspace, user: models.User, sid: str) -> models.Submission:
    """Accepts a submitted ``sid`` (已受理)."""
    _reviewed(ws, user, sid)
    return _transition(ws, user, sid, ("submitted",), "accepted", "accept")


def rule_file(
    ws: Workspace, user: models.User, sid: str, file: str, accepted: bool, reason: str
) -> models.Submission:
    """Records the reviewer's ruling on one evidence file of ``sid``; a file not accepted is
    unusable proof, so its figures are 核减 in the evidenced score."""
    row = _reviewed(ws, user, sid)
    if file not in {f.path for f in row.files}:
        raise WebError(404, "bad_path", path=file)
    if not accepted and not reason.strip():
        raise WebError(400, "reason_missing")
    stamp = now()
    with db.transaction(ws.sessions) as s:
        found = s.scalar(
            select(models.Ruling).where(models.Ruling.submission_id == sid, models.Ruling.file == file)
        )
        if found is None:
            s.add(
                models.Ruling(
                    submission_id=sid,
                    file=file,
                    accepted=accepted,
                    reason=reason.strip(),
                    user=user.name,
                    at=stamp,
                )
            )
        else:
            found.accepted, found.reason, found.user, found.at = accepted, reason.strip(), user.name, stamp
        sub = s.get(models.Submission, sid)
        assert sub is not None
        sub.version += 1  # its evidenced score changes: a new version to assess
        detail = f"{file}: {'accepted' if accepted else 'rejected'} {reason.strip()}".strip()
        s.add(audit_entry(stamp, user, "ruling", sid, sub.status, detail=detail))
    return ws.get(user, sid)


def rulings(ws: Workspace, sid: str) -> dict[str, models.Ruling]:
    """Returns the rulings on the files of ``sid`` by file path."""
    with ws.sessions() as s:
        return {r.file: r for r in s.scalars(select(models.Ruling).where(models.Ruling.submission_id == sid))}


def audit_entries(ws: Workspace, user: models.User) -> list[dict[str, Any]]:
    """Returns the audit log (admin only), oldest first."""
    if user.role != "admin":
        raise WebError(403, "role_forbidden")
    with ws.sessions() as s:
        return [
            {
                "at": e.at.isoformat() + "Z",
                "user": e.user,
                "action": e.action,
                "submission": e.submission,
                "before": e.before,
                "after": e.after,
                "detail": e.detail,
            }
            for e in s.scalars(select(models.AuditEntry).order_by(models.AuditEntry.id))
        ]


def correction_notice(ws: Workspace, user: models.User, sid: str) -> bytes:
    """Returns the 补正通知 (.docx) of a returned ``sid``: the reviewer's reason, the errors its
    check finds, and the documents missing, unproved or ruled 不予认可 (404 before a return)."""
    from docgen.outputs.correction import correction_context
    from docgen.word.render import render_docx, template_path

    row = ws.get(user, sid)
    with ws.sessions() as s:
        returned = s.scalar(
            select(models.AuditEntry)
            .where(models.AuditEntry.submission == sid, models.AuditEntry.action == "return")
            .order_by(models.AuditEntry.id.desc())
        )
    if returned is None or not row.reason:
        raise WebError(404, "no_correction")
    found = ws.assess(row)
    completeness = found.completeness
    titles = (
        {d.file: d.title for d in found.evaluation.evidence.documents if d.file} if found.evaluation else {}
    )
    rejected = {  # named by the document's title where the checklist has one (no paths, #17)
        titles.get(path, path): r.reason for path, r in rulings(ws, sid).items() if not r.accepted
    }
    context = correction_context(
        ws.catalog.programs[row.program],
        row.company or ERRORS["no_company"],
        row.reason,
        found.findings,
        completeness.missing_documents if completeness else (),
        completeness.unproved_lines if completeness else (),
        rejected,
        returned.at.date(),
    )
    data: bytes = render_docx(template_path("correction-notice.docx"), lambda _ids: context, None)
    return data

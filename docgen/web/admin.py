"""EDGE: what the platform's admin manages besides the audit log (SPEC §11): the accounts, and a
program's submission deadline extended past the notice's day. Each change is one transaction
with its audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from docgen.text.punctuation import ENUM_COMMA
from docgen.text.web import USERS, WORDS
from docgen.web import db, models
from docgen.web.accounts import add_user
from docgen.web.display import beijing_today
from docgen.web.errors import WebError
from docgen.web.workspace import Workspace, now

MAX_REASON_CHARS = 500


def require_admin(user: models.User) -> None:
    """Refuses (403) anyone but the admin."""
    if user.role != "admin":
        raise WebError(403, "role_forbidden")


def accounts(ws: Workspace, user: models.User) -> list[dict[str, Any]]:
    """Returns every account (admin only): name, role, region, programs, created — never a
    password hash."""
    require_admin(user)
    with ws.sessions() as s:
        rows = s.scalars(select(models.User).where(models.User.role != "local").order_by(models.User.id))
        return [
            {
                "name": u.name,
                "role": u.role,
                "region": u.region,
                "programs": [p for p in u.programs.split(",") if p],
                "created": u.created.isoformat() + "Z",
            }
            for u in rows
        ]


def create_account(
    ws: Workspace,
    user: models.User,
    name: str,
    role: str,
    password: str,
    region: str,
    programs: tuple[str, ...],
) -> models.User:
    """Creates an account as ``docgen users add`` does (admin only), and records who made it."""
    require_admin(user)
    made = add_user(ws, name, role, password, region, programs)
    with db.transaction(ws.sessions) as s:
        s.add(
            models.AuditEntry(
                at=now(),
                user=user.name,
                action="account_add",
                detail=WORDS["audit.account"].format(name=made.name, role=USERS[f"role.{made.role}"]),
            )
        )
    return made


def deadline(ws: Workspace, program_id: str) -> dt.date | None:
    """Returns the last day submissions of ``program_id`` are taken: the admin's extension when
    there is one, else the notice's (None: no deadline)."""
    with ws.sessions() as s:
        extension = s.get(models.DeadlineExtension, program_id)
    if extension is not None:
        return extension.until
    return ws.catalog.programs[program_id].platform.closes


def extensions(ws: Workspace) -> dict[str, models.DeadlineExtension]:
    """Returns every program's extension by program id."""
    with ws.sessions() as s:
        return {e.program: e for e in s.scalars(select(models.DeadlineExtension))}


def extend_deadline(ws: Workspace, user: models.User, program_id: str, until: str, reason: str) -> dt.date:
    """Extends ``program_id``'s deadline to ``until`` (YYYY-MM-DD, not before the notice's day),
    admin only, with its reason in the audit log; returns the new last day."""
    require_admin(user)
    if program_id not in ws.catalog.programs:
        raise WebError(
            404, "unknown_program", program=program_id, programs=ENUM_COMMA.join(ws.catalog.programs)
        )
    try:
        day = dt.date.fromisoformat(until.strip()) if len(until) <= 10 else None
    except ValueError:
        day = None
    if day is None:
        raise WebError(400, "bad_deadline", given=until[:40])
    closes = ws.catalog.programs[program_id].platform.closes
    today = beijing_today()
    if day < today:
        raise WebError(400, "deadline_past", given=day.isoformat(), today=today.isoformat())
    if closes is not None and day < closes:
        raise WebError(400, "deadline_before_notice", given=day.isoformat(), closes=closes.isoformat())
    reason = reason.strip()[:MAX_REASON_CHARS]
    if not reason:
        raise WebError(400, "reason_missing")
    stamp = now()
    with db.transaction(ws.sessions) as s:
        extension = s.get(models.DeadlineExtension, program_id)
        before = extension.until.isoformat() if extension else (closes.isoformat() if closes else "")
        if extension is None:
            s.add(
                models.DeadlineExtension(
                    program=program_id, until=day, reason=reason, user=user.name, at=stamp
                )
            )
        else:
            extension.until, extension.reason, extension.user, extension.at = day, reason, user.name, stamp
        detail = WORDS["audit.deadline"].format(
            program=ws.catalog.programs[program_id].title,
            before=before or "—",
            until=day.isoformat(),
            reason=reason,
        )
        s.add(models.AuditEntry(at=stamp, user=user.name, action="deadline_extend", detail=detail))
    return day

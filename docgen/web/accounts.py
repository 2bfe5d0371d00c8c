"""EDGE: platform accounts (SPEC §11) — users with hashed passwords, sign-in with a lock-out,
sessions that expire.

* Passwords are hashed with Argon2id (argon2-cffi) at OWASP's minimum for it (ARGON2_*: 19 MiB,
  two passes, one lane — docs/deploy.md says why); a hash made with other parameters still
  verifies (argon2 encodes them in the hash) and is replaced at the next sign-in. No password is
  kept or logged in clear. Callers run sign_in in the threadpool: the hash never blocks the loop.
  At most HASHES_AT_ONCE hashes run at once in a server process, one a core (the others wait
  their turn): a hash is ~15–25 ms of one core and needs no lock of Python's, so a crowd of
  sign-ins hashing at once (the threadpool runs 40) would crowd out every other request of the
  server and finish late together; bounded, they finish one after the other at the speed of the
  cores. Not one a worker: uvicorn does not spread connections evenly, and a worker taking a
  crowd of sign-ins alone must still use every core.
* An enterprise's name is its 统一社会信用代码, checked (GB 32100 and the GB 11714 code inside).
* Failed sign-ins are counted per account name: after MAX_FAILURES within FAILURE_WINDOW that
  account's sign-ins are refused (429) until the window has passed; other accounts go on.
* A session is a random token in an HttpOnly, SameSite=Strict cookie; the database keeps its
  SHA-256 and its own CSRF token; it expires after SESSION_HOURS, and signing out ends it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import Session

from docgen.model.credit_code import credit_code_problem
from docgen.text.punctuation import ENUM_COMMA
from docgen.web import db, models
from docgen.web.errors import WebError
from docgen.web.workspace import Workspace, now

ROLES = ("enterprise", "reviewer", "admin")
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
SESSION_HOURS = 8
MIN_PASSWORD_CHARS = 10
COOKIE = "docgen_session"

ARGON2_MEMORY_KIB = 19 * 1024  # OWASP Password Storage Cheat Sheet, Argon2id: m=19 MiB,
ARGON2_TIME_COST = 2  # t=2,
ARGON2_PARALLELISM = 1  # p=1

_hasher = PasswordHasher(
    time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_PARALLELISM
)
HASHES_AT_ONCE = max(1, os.cpu_count() or 1)  # hashes at once in a process (the module's docstring)
_hashing = threading.BoundedSemaphore(HASHES_AT_ONCE)


def _hash(password: str) -> str:
    """Returns the Argon2id hash of ``password`` (one of HASHES_AT_ONCE at a time)."""
    with _hashing:
        return _hasher.hash(password)


def _verify(encoded: str, password: str) -> bool:
    """Returns whether ``password`` matches the hash ``encoded`` (one of HASHES_AT_ONCE at a time)."""
    with _hashing:
        try:
            return _hasher.verify(encoded, password)
        except (VerificationError, InvalidHashError):
            return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(
    ws: Workspace, name: str, role: str, password: str, region: str = "", programs: tuple[str, ...] = ()
) -> models.User:
    """Creates an account and returns it.

    Raises:
        WebError: a role that is not one of ROLES, an enterprise name that is no valid
            统一社会信用代码, an unknown program, a short password, or a name already taken.
    """
    if role not in ROLES:
        raise WebError(400, "bad_role", role=role, roles=ENUM_COMMA.join(ROLES))
    name = name.strip().upper() if role == "enterprise" else name.strip()
    if role == "enterprise":
        problem = credit_code_problem(name)
        if problem is not None:
            raise WebError(400, f"credit_code.{problem}", value=name)
    if not name or len(name) > 64:
        raise WebError(400, "bad_username")
    unknown = [p for p in programs if p not in ws.catalog.programs]
    if unknown:
        raise WebError(
            400,
            "unknown_program",
            program=ENUM_COMMA.join(unknown),
            programs=ENUM_COMMA.join(ws.catalog.programs),
        )
    if len(password) < MIN_PASSWORD_CHARS:
        raise WebError(400, "short_password", min=MIN_PASSWORD_CHARS)
    with db.transaction(ws.sessions) as s:
        if s.scalar(select(models.User).where(models.User.name == name)) is not None:
            raise WebError(409, "user_exists", name=name)
        user = models.User(
            name=name,
            role=role,
            region=region.strip(),
            programs=",".join(programs),
            password_hash=_hash(password),
            created=now(),
        )
        s.add(user)
        s.add(models.AuditEntry(at=now(), user="cli", action="add-user", detail=f"{name} {role} {region}"))
    return user


def sign_in(ws: Workspace, username: str, password: str) -> tuple[str, models.LoginSession]:
    """Returns a new session's cookie token and row for a correct name and password.

    Raises:
        WebError: 429 when the account has failed MAX_FAILURES times within FAILURE_WINDOW;
            401 for a wrong name or password (the same answer for both).
    """
    token, row, _user = signed_in_user(ws, username, password)
    return token, row


def signed_in_user(
    ws: Workspace, username: str, password: str
) -> tuple[str, models.LoginSession, models.User]:
    """Returns what ``sign_in`` returns and the user signed in (one read and one write
    transaction: what the sign-in's answer names needs no other query)."""
    name = username.strip()
    since = now() - FAILURE_WINDOW
    with ws.sessions() as s:  # read only: the hash below is slow, no transaction waits on it
        failed, recent = _failures(s, name, since)
        if recent >= MAX_FAILURES:
            raise WebError(429, "locked", minutes=int(FAILURE_WINDOW.total_seconds() // 60))
        user = _account(s, name)
    ok = False
    if user is not None and user.password_hash:
        ok = _verify(user.password_hash, password)
    else:
        _hash(password)  # the same work for an unknown name: no timing tells it apart
    if not ok or user is None or not user.password_hash:
        with db.transaction(ws.sessions) as s:
            s.add(models.LoginFailure(username=name, at=now()))
        raise WebError(401, "bad_login")
    fresh = _hash(password) if _hasher.check_needs_rehash(user.password_hash) else None
    token = secrets.token_urlsafe(32)
    stamp = now()
    row = models.LoginSession(
        id=_digest(token),
        user_id=user.id,
        csrf=secrets.token_hex(32),
        created=stamp,
        expires=stamp + dt.timedelta(hours=SESSION_HOURS),
    )
    with db.transaction(ws.sessions) as s:
        if failed:  # the account's earlier failures are forgotten (none, most times: no delete)
            s.execute(delete(models.LoginFailure).where(models.LoginFailure.username == name))
        s.execute(delete(models.LoginSession).where(models.LoginSession.expires < stamp))
        s.add(row)
        if fresh is not None:  # made with other parameters: hashed again with today's
            s.execute(
                update(models.User)
                .where(models.User.id == user.id, models.User.password_hash == user.password_hash)
                .values(password_hash=fresh)
            )
        s.add(models.AuditEntry(at=stamp, user=user.name, action="login"))
    return token, row, user


def _failures(s: Session, name: str, since: dt.datetime) -> tuple[int, int]:
    """Returns the failed sign-ins of ``name``: all of them, and those since ``since``."""
    failure = models.LoginFailure
    counted = select(func.count(), func.count(case((failure.at >= since, 1))))
    total, recent = s.execute(counted.where(failure.username == name)).one()
    return int(total), int(recent)


def _account(s: Session, name: str) -> models.User | None:
    """Returns the account named ``name`` (case-insensitive), or None."""
    return s.scalar(select(models.User).where(func.upper(models.User.name) == name.upper()))


def warm_up(ws: Workspace) -> None:
    """Makes one hash and runs the sign-in's and the session lookup's reads once (nothing is
    written), in a server's worker process before it serves: the first sign-ins would otherwise
    pay argon2's loading, the statements' compiling and the first connections, all at once."""
    _hash("warm-up: no account has this password")
    with ws.sessions() as s:
        _failures(s, "", now())
        _account(s, "")
    session_of(ws, "warm-up")


def session_of(ws: Workspace, token: str | None) -> tuple[models.User, models.LoginSession] | None:
    """Returns the user and session of a cookie token, or None (absent, unknown or expired)."""
    if not token or len(token) > 128:
        return None
    with ws.sessions() as s:
        row = s.get(models.LoginSession, _digest(token))
        if row is None or row.expires <= now():
            return None
        user = s.get(models.User, row.user_id)
        return (user, row) if user is not None else None


def sign_out(ws: Workspace, token: str | None) -> None:
    """Ends the session of ``token`` (nothing when there is none)."""
    if token:
        with db.transaction(ws.sessions) as s:
            s.execute(delete(models.LoginSession).where(models.LoginSession.id == _digest(token)))

"""The database tables (SQLAlchemy 2). Schema changes are Alembic migrations (web/migrations).

Designed for the platform too (SPEC §11): every submission has an owner; the audit log is
append-only; files are rows naming content-addressed blobs, so two submissions (or two
versions) holding the same bytes store them once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """The tables' common base."""


class User(Base):
    """An account: the local user in local mode; enterprises, reviewers and admins on a platform."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(64), default="")
    programs: Mapped[str] = mapped_column(String(512), default="")  # comma-separated ids; "" = all
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created: Mapped[dt.datetime] = mapped_column()


class Submission(Base):
    """One application: its answers (as the YAML text of answers.yaml) and its status."""

    __tablename__ = "submissions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    program: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    company: Mapped[str] = mapped_column(String(255), default="")
    answers: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created: Mapped[dt.datetime] = mapped_column()
    updated: Mapped[dt.datetime] = mapped_column()
    files: Mapped[list[StoredFile]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="StoredFile.path"
    )


class StoredFile(Base):
    """A file of a submission at its path in the canonical folder (``evidence/承诺书.pdf``)."""

    __tablename__ = "files"
    __table_args__ = (UniqueConstraint("submission_id", "path"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    uploaded: Mapped[dt.datetime] = mapped_column()
    submission: Mapped[Submission] = relationship(back_populates="files")


class AuditEntry(Base):
    """One state change: who, when, what, the status before and after (append-only)."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column()
    user: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    submission: Mapped[str | None] = mapped_column(String(32), nullable=True)
    before: Mapped[str | None] = mapped_column(String(16), nullable=True)
    after: Mapped[str | None] = mapped_column(String(16), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class LoginSession(Base):
    """A signed-in browser: the cookie holds a random token, the table its SHA-256 (a stolen
    database holds no usable cookie)."""

    __tablename__ = "login_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf: Mapped[str] = mapped_column(String(64))
    created: Mapped[dt.datetime] = mapped_column()
    expires: Mapped[dt.datetime] = mapped_column()


class LoginFailure(Base):
    """One failed login of an account name (counted for the lock-out)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column()


class Commitment(Base):
    """The 告知承诺书 read and accepted: who, when, and the SHA-256 of the text they saw."""

    __tablename__ = "commitments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    user: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column()
    text_sha256: Mapped[str] = mapped_column(String(64))


class Ruling(Base):
    """A reviewer's ruling on one evidence file (不予认可 with a reason: its figures are 核减)."""

    __tablename__ = "rulings"
    __table_args__ = (UniqueConstraint("submission_id", "file"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    file: Mapped[str] = mapped_column(String(512))
    accepted: Mapped[bool] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column()


class DeadlineExtension(Base):
    """The admin's extension of a program's submission deadline (SPEC §11): submissions are
    taken until ``until`` (inclusive) instead of the notice's day."""

    __tablename__ = "deadline_extensions"
    program: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[dt.date] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column()

"""EDGE: a server's data backed up into a folder and restored from it (``docgen data backup`` /
``docgen data restore``, docs/deploy.md).

What a backup holds, and why it is consistent while the server runs:

- the database: SQLite through its online backup API (a snapshot of one moment, whatever the
  workers write meanwhile), PostgreSQL through ``pg_dump --format=custom`` (one transaction);
- ``files/``, the content-addressed uploads, copied *after* the database: a blob is written
  before the row naming it commits and is never changed or removed, so every blob the backed-up
  database names is already there when the copy starts;
- ``secret.key`` (the local token and session signing keep working);
- ``manifest.json``: what was backed up, when, and the count and hashes it can be checked by.

``work/`` and ``cache/`` are not backed up: they are rebuilt from the database and the files.
A restore goes into an empty data folder (and, for PostgreSQL, an empty database), then checks
that every file the database names is there with its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from docgen.errors import DocgenError
from docgen.text.web import BACKUP
from docgen.web import models
from docgen.web.answers_history import ACTION as KEPT_ACTION
from docgen.web.answers_history import kept_blob
from docgen.web.settings import Settings

MANIFEST = "manifest.json"
SQLITE_FILE = "docgen.db"
PG_DUMP_FILE = "docgen.pgdump"
FORMAT = 1
_SHA = re.compile(r"[0-9a-f]{64}")  # a stored file's name: its digest, never a path


@dataclass(frozen=True)
class BackupSummary:
    """What a backup or a restore handled."""

    database: str  # "sqlite" or "postgresql"
    submissions: int
    files: int


def _libpq(url: str) -> str:
    """Returns a SQLAlchemy PostgreSQL URL as libpq takes it (no driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _kind(url: str) -> str:
    return "postgresql" if make_url(url).get_backend_name() == "postgresql" else "sqlite"


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise DocgenError(BACKUP["no_tool"].format(tool=command[0]))
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DocgenError(BACKUP["tool_failed"].format(tool=command[0], problem=done.stderr.strip()[:300]))


def _counts(url: str) -> tuple[int, list[tuple[str, str]]]:
    """Returns the number of submissions and every stored file's (path in the store, sha256),
    the answers kept before a replacement among them."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            submissions = connection.execute(select(func.count()).select_from(models.Submission)).scalar_one()
            found = {row[0] for row in connection.execute(select(models.StoredFile.sha256))}
            kept = select(models.AuditEntry.detail).where(models.AuditEntry.action == KEPT_ACTION)
            found |= {kept_blob(row[0]) for row in connection.execute(kept)}  # answers kept on replacing
            blobs = sorted(sha for sha in found if isinstance(sha, str) and _SHA.fullmatch(sha))
    finally:
        engine.dispose()
    return int(submissions), [(f"{sha[:2]}/{sha}", sha) for sha in blobs]


def backup(settings: Settings, target: Path) -> BackupSummary:
    """Backs the server's data up into ``target`` (a new or empty folder)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DocgenError(BACKUP["target_not_empty"].format(path=target))
    url = settings.url
    kind = _kind(url)
    if kind == "sqlite" and not (settings.data / SQLITE_FILE).is_file():
        raise DocgenError(BACKUP["no_database"].format(path=settings.data / SQLITE_FILE))
    target.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        with (
            sqlite3.connect(settings.data / SQLITE_FILE) as source,
            sqlite3.connect(target / SQLITE_FILE) as copy,
        ):
            source.backup(copy)
        source.close()
        copy.close()
        backed_up = f"sqlite:///{target / SQLITE_FILE}"
        submissions, blobs = _counts(backed_up)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target / PG_DUMP_FILE}", _libpq(url)])
        submissions, blobs = _counts(url)  # at least what the dump holds (blobs are never removed)
    for rel, _sha in blobs:
        (target / "files" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(settings.files / rel, target / "files" / rel)
    secret = settings.data / "secret.key"
    if secret.is_file():
        shutil.copy2(secret, target / "secret.key")
    manifest = {
        "format": FORMAT,
        "database": kind,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "submissions": submissions,
        "files": [sha for _rel, sha in blobs],
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return BackupSummary(kind, submissions, len(blobs))


def restore(settings: Settings, source: Path) -> BackupSummary:
    """Restores the backup in ``source`` into the server's (empty) data folder and database."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DocgenError(BACKUP["no_manifest"].format(path=source)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise DocgenError(BACKUP["no_manifest"].format(path=source))
    url = settings.url
    kind = _kind(url)
    if manifest.get("database") != kind:
        raise DocgenError(BACKUP["other_database"].format(given=manifest.get("database"), here=kind))
    data = settings.data
    if data.exists() and any(p.name not in ("secret.key",) for p in data.iterdir()):
        raise DocgenError(BACKUP["data_not_empty"].format(path=data))
    data.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        shutil.copy2(source / SQLITE_FILE, data / SQLITE_FILE)
    else:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={_libpq(url)}",
                str(source / PG_DUMP_FILE),
            ]
        )
    if (source / "files").is_dir():
        shutil.copytree(source / "files", data / "files", dirs_exist_ok=True)
    if (source / "secret.key").is_file():
        shutil.copy2(source / "secret.key", data / "secret.key")
    submissions, blobs = _counts(url)
    for rel, sha in blobs:
        path = data / "files" / rel
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        if digest != sha:
            raise DocgenError(BACKUP["file_missing"].format(sha=sha))
    return BackupSummary(kind, submissions, len(blobs))

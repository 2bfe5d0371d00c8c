"""EDGE: each submission laid out as the canonical folder ``docgen build`` reads —
``DATA/work/SID`` with answers.yaml and its files (hard links to the store's blobs, copies where
links cannot be made), laid out again whenever the submission's version moved. One lock per
submission (a thread lock, and a file lock for other server processes) keeps two requests from
laying out one folder at once.
"""

from __future__ import annotations

import os
import secrets
import shutil
from contextlib import AbstractContextManager
from pathlib import Path

from docgen.app.submission import ANSWERS_NAMES
from docgen.files import write_atomic
from docgen.web import models
from docgen.web.locks import file_lock
from docgen.web.store import FileStore

ANSWERS_FILE = "answers.yaml"  # the canonical folder's answers (the database keeps its text)


class Layout:
    """The canonical folders under ``work``."""

    def __init__(self, work: Path, store: FileStore) -> None:
        self.work = work
        self.store = store

    def _locked(self, sid: str) -> AbstractContextManager[None]:
        return file_lock(self.work / f"{sid}.lock")  # other threads and server processes

    def folder(self, row: models.Submission) -> Path:
        """Returns the canonical folder of ``row`` at its version (laid out again when stale)."""
        target = self.work / row.id
        stamp = self.work / f"{row.id}.version"
        mark = f"{row.version}\n"
        with self._locked(row.id):
            if stamp.is_file() and stamp.read_text("utf-8") == mark and target.is_dir():
                return target
            target.mkdir(parents=True, exist_ok=True)
            wanted = {f.path: f for f in row.files}
            for path in _files_under(target):
                rel = path.relative_to(target).as_posix()
                if rel != ANSWERS_FILE and rel not in wanted:
                    path.unlink()
            for rel, stored in wanted.items():
                place = target / rel
                if not place.is_symlink() and _same_blob(place, self.store.path(stored.sha256)):
                    continue
                place.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(self.store.path(stored.sha256), place)
            for name in ANSWERS_NAMES:
                if name != ANSWERS_FILE and (target / name).exists():
                    (target / name).unlink()
            write_atomic(target / ANSWERS_FILE, row.answers.encode("utf-8"), durable=False)
            write_atomic(stamp, mark.encode("utf-8"), durable=False)
        return target


def _files_under(folder: Path) -> list[Path]:
    out = []
    for dirpath, _dirs, names in os.walk(folder):
        out += [Path(dirpath) / n for n in names]
    return out


def _same_blob(place: Path, blob: Path) -> bool:
    try:
        a, b = place.stat(), blob.stat()
    except OSError:
        return False
    return (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev)


def _link_or_copy(blob: Path, place: Path) -> None:
    temp = place.with_name(f".{place.name}.{secrets.token_hex(4)}")
    try:
        os.link(blob, temp)
    except OSError:
        shutil.copyfile(blob, temp)
    os.replace(temp, place)

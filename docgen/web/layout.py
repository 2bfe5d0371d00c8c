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
            device = target.stat().st_dev
            wanted = {f.path: f for f in row.files}
            present = _files_under(target)
            for rel, listed in present.items():
                if rel != ANSWERS_FILE and rel not in wanted:  # answers.json, … too: one answers file
                    os.unlink(listed.path)
            made = {target}
            tag = secrets.token_hex(4)  # one random part per layout, numbered per file
            for n, (rel, stored) in enumerate(wanted.items()):
                blob = self.store.path(stored.sha256)
                entry = present.get(rel)
                if entry is not None and not entry.is_symlink() and _is_blob(entry, device, blob):
                    continue
                place = target / rel
                if place.parent not in made:
                    place.parent.mkdir(parents=True, exist_ok=True)
                    made.add(place.parent)
                _link_or_copy(blob, place, f"{tag}{n}", absent=entry is None)
            write_atomic(target / ANSWERS_FILE, row.answers.encode("utf-8"), durable=False)
            write_atomic(stamp, mark.encode("utf-8"), durable=False)
        return target


def _files_under(folder: Path) -> dict[str, os.DirEntry[str]]:
    """Returns the entries of the files (and links) under ``folder`` by their path in it, read
    from the listings alone (no ``stat`` a file: each would release and take back the
    interpreter lock, which a busy worker hands to another thread every time — #21)."""
    out: dict[str, os.DirEntry[str]] = {}
    todo = [(folder, "")]
    while todo:
        here, prefix = todo.pop()
        with os.scandir(here) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    todo.append((Path(entry.path), prefix + entry.name + "/"))
                else:
                    out[prefix + entry.name] = entry
    return out


def _is_blob(entry: os.DirEntry[str], device: int, blob: Path) -> bool:
    """Returns whether ``entry`` (on ``device``) is a hard link to ``blob``: its inode number from
    the listing (a listing that gives other numbers than ``stat``, as some overlay file systems
    do, only makes the file linked again)."""
    try:
        b = blob.stat()
    except OSError:
        return False
    return (entry.inode(), device) == (b.st_ino, b.st_dev)


def _link_or_copy(blob: Path, place: Path, tag: str, absent: bool) -> None:
    """Puts ``blob`` at ``place``: a hard link made in place when nothing is there (a link is
    whole or absent), else a link or a copy beside it renamed over what is there."""
    if absent:
        try:
            os.link(blob, place)
            return
        except OSError:
            pass  # something came there after all, or no links here: as below
    temp = place.with_name(f".{place.name}.{tag}")
    try:
        os.link(blob, temp)
    except OSError:
        shutil.copyfile(blob, temp)
    os.replace(temp, place)

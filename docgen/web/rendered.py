"""EDGE: the documents rendered for a submission's version, kept on disk where every worker
process of the server finds them.

A bureau runs several uvicorn workers: the request that starts a job, the polls that follow it
and the download at the end may each reach a different process. So what a job prepares is kept
here, not in one process's memory: ``CACHE/rendered/SID/VERSION/PART/NAME``, each part written
whole (a temporary folder renamed into place), the part complete when its folder exists. Only
the last ``VERSIONS_KEPT`` versions of a submission stay. Entries are plain bytes — the
documents themselves — never anything executed or unpickled.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from contextlib import AbstractContextManager
from pathlib import Path

from docgen.web.locks import file_lock

VERSIONS_KEPT = 2  # per submission: the version shown and the one before it


def one_conversion(lock: Path) -> AbstractContextManager[None]:
    """Holds the server's one PDF conversion: LibreOffice converting for two requests at once
    doubles the time of both (two cores) and its memory; the second waits, then finds the
    documents the first wrote when they are the same."""
    return file_lock(lock)


class RenderedStore:
    """The rendered documents of each (submission, version, part)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _place(self, sid: str, version: int, part: str) -> Path:
        return self.folder / sid / str(version) / part

    def fetch(self, sid: str, version: int, part: str) -> dict[str, bytes] | None:
        """Returns the files of a part written earlier (by any process), or None."""
        place = self._place(sid, version, part)
        try:
            names = sorted(p.name for p in place.iterdir() if p.is_file() and not p.is_symlink())
            return {name: (place / name).read_bytes() for name in names}
        except OSError:  # not there (or removed meanwhile): rendered again
            return None

    def has(self, sid: str, version: int, part: str) -> bool:
        """Returns whether a part is complete on disk."""
        return self._place(sid, version, part).is_dir()

    def keep(self, sid: str, version: int, part: str, files: dict[str, bytes]) -> None:
        """Writes a part whole (another process writing the same part at once is harmless: the
        first rename wins, both wrote the same documents), then drops versions beyond the last
        ``VERSIONS_KEPT``."""
        place = self._place(sid, version, part)
        place.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".part-", dir=place.parent))
        try:
            for name, data in files.items():
                (scratch / name).write_bytes(data)
            with contextlib.suppress(OSError):  # already there: written by another process
                os.rename(scratch, place)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        self._prune(sid, version)

    def _prune(self, sid: str, version: int) -> None:
        versions = []
        for entry in (self.folder / sid).iterdir():
            if entry.name.isdigit():
                versions.append(int(entry.name))
        for old in sorted(versions)[:-VERSIONS_KEPT]:
            if old < version:
                shutil.rmtree(self.folder / sid / str(old), ignore_errors=True)

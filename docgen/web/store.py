"""EDGE: the content-addressed file store — each uploaded file once, under its SHA-256.

Blobs live in ``DATA/files/ab/abcdef…``, outside anything the server serves as a folder; a
submission's files are database rows naming their blob. Writes are atomic (a temporary file
renamed into place), so a blob is complete or absent.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from docgen.files import write_atomic

_SHA = re.compile(r"[0-9a-f]{64}")


def digest(data: bytes) -> str:
    """Returns the SHA-256 of ``data`` in hex."""
    return hashlib.sha256(data).hexdigest()


class FileStore:
    """The blobs under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        """Returns where the blob ``sha256`` lives (a digest only: never a name from outside)."""
        if not _SHA.fullmatch(sha256):
            raise ValueError(sha256)
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Stores ``data`` (once) and returns its SHA-256."""
        sha = digest(data)
        target = self.path(sha)
        if not target.is_file() or target.stat().st_size != len(data):
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
        return sha

    def read(self, sha256: str) -> bytes:
        """Returns the blob's bytes."""
        return self.path(sha256).read_bytes()

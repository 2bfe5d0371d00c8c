"""EDGE: small pickled results in the user's cache folder (read back or silently rebuilt)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

_BROKEN = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError)


def load(path: Path | None, kind: type) -> Any | None:
    """Returns the object stored at ``path`` when it is a ``kind``; None when absent or unreadable."""
    if path is None or not path.is_file():
        return None
    try:
        value = pickle.loads(path.read_bytes())
    except _BROKEN:
        return None
    return value if isinstance(value, kind) else None


def store(path: Path | None, value: Any) -> None:
    """Writes ``value`` to ``path`` through a temporary file; a cache that cannot be written is skipped."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(f".{os.getpid()}.tmp")
        temp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temp, path)
    except OSError:
        return

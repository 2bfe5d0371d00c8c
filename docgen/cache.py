"""EDGE: docgen's cache folder and the small results kept there (read back or silently rebuilt)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any, TypeVar

_T = TypeVar("_T")


def cache_root() -> Path | None:
    """Returns docgen's cache folder: $DOCGEN_CACHE, else $XDG_CACHE_HOME/docgen, else ~/.cache/docgen.

    ``DOCGEN_CACHE=off`` turns every cache off (None).
    """
    chosen = os.environ.get("DOCGEN_CACHE")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "docgen"


_BROKEN = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError)


def load(path: Path | None, kind: type[_T]) -> _T | None:
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

"""EDGE: docgen's cache folder and the results kept there (read back or silently rebuilt).

Entries are data, never code: JSON written by ``docgen.codec`` and decoded into the classes the
caller names, or by a ``docgen.typed_codec.TypedCodec`` and decoded as its declared type (the
review's entries), so a crafted file in the cache folder can only be refused. An entry is read only
when it is a regular file under ``MAX_ENTRY_BYTES`` (a FIFO or ``/dev/zero`` put in its place is
ignored); a damaged or foreign entry counts as absent and is rewritten.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from docgen.codec import CodecError, decode, encode
from docgen.errors import OutputError
from docgen.files import write_atomic
from docgen.typed_codec import TypedCodec

MAX_ENTRY_BYTES = 16 * 1024 * 1024  # a prepared submission is a few tens of kilobytes

T = TypeVar("T")


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


def read_entry(path: Path | None) -> bytes | None:
    """Returns the bytes of the cache entry at ``path``; None unless it is a regular file of at
    most MAX_ENTRY_BYTES that can be read."""
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_ENTRY_BYTES + 1)
        return data if len(data) <= MAX_ENTRY_BYTES else None
    except OSError:
        return None
    finally:
        os.close(fd)


def write_entry(path: Path | None, data: bytes) -> None:
    """Writes a cache entry through a temporary file and a rename, not flushed to disk (an entry
    a crash leaves empty or torn is refused on reading and rebuilt); a cache that cannot be
    written is skipped."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, durable=False)
    except (OSError, OutputError):
        return


def load(path: Path | None, kind: type[T], classes: Iterable[type]) -> T | None:
    """Returns the ``kind`` stored at ``path``, built only from ``classes``; None when absent,
    damaged or of another kind."""
    data = read_entry(path)
    if data is None:
        return None
    try:
        value = decode(data, [kind, *classes])
    except CodecError:
        return None
    return value if isinstance(value, kind) else None


def store(path: Path | None, value: Any) -> None:
    """Writes ``value`` to ``path`` as data (JSON); a cache that cannot be written is skipped."""
    write_entry(path, encode(value))


def load_typed(path: Path | None, codec: TypedCodec[T]) -> T | None:
    """Returns the value of ``codec``'s type stored at ``path``; None when absent, damaged, of
    another type or written by another version of the format."""
    data = read_entry(path)
    if data is None:
        return None
    try:
        return codec.decode(data)
    except CodecError:
        return None


def store_typed(path: Path | None, codec: TypedCodec[T], value: T) -> None:
    """Writes ``value`` to ``path`` with ``codec``; a cache that cannot be written, or a value
    the codec refuses, is skipped (the value is computed again next time)."""
    if path is None:
        return
    try:
        data = codec.encode(value)
    except CodecError:
        return
    write_entry(path, data)

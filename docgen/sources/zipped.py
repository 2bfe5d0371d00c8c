"""EDGE: zip members read with a streamed size limit (.docx evidence, answers.xlsx).

A zip member's header may lie about its size, and zipfile inflates a member asked for whole in
one call (a 1 MB .docx whose document.xml inflates to 1 GB took 2 GB of memory): members are
read in chunks and reading stops past the limit.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator

MAX_XML_BYTES = 32 * 1024 * 1024  # a .docx's word/document.xml, inflated
ZIP_READ_CHUNK = 1024 * 1024

# zip methods Office files use: Word and Excel store or deflate; zipfile inflates a bzip2 or LZMA
# member in one call whatever size is asked for, so those are refused rather than read
ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class TooLarge(Exception):
    """A member inflated past its limit (reading stopped there)."""


def stream_member(archive: zipfile.ZipFile, name: str, limit: int) -> Iterator[bytes]:
    """Yields the inflated bytes of member ``name`` in chunks; raises TooLarge as soon as they
    pass ``limit`` bytes (or its header declares more), whatever the header says.

    Raises:
        TooLarge: the member inflates (or declares) more than ``limit`` bytes.
        KeyError: there is no such member.
        NotImplementedError: the member is compressed otherwise than stored or deflated.
        zipfile.BadZipFile, zlib.error: the archive is damaged (a wrong checksum included).
    """
    info = archive.getinfo(name)
    if info.compress_type not in ZIP_METHODS:
        raise NotImplementedError(f"zip method {info.compress_type}")
    if info.file_size > limit:
        raise TooLarge(name)
    total = 0
    with archive.open(info) as member:
        while chunk := member.read(ZIP_READ_CHUNK):
            total += len(chunk)
            if total > limit:
                raise TooLarge(name)
            yield chunk


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """Returns the inflated bytes of member ``name``, or None when they pass ``limit`` bytes.

    The member is inflated in chunks and reading stops past the limit, whatever its header
    declares.

    Raises:
        KeyError: there is no such member.
        NotImplementedError: the member is compressed otherwise than stored or deflated.
        zipfile.BadZipFile, zlib.error: the archive is damaged (a wrong checksum included).
    """
    try:
        return b"".join(stream_member(archive, name, limit))
    except TooLarge:
        return None


# what reading a damaged or hostile zip archive may raise (zipfile, zlib, a member refused above)
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    OSError,
    RuntimeError,
    EOFError,
    ValueError,
    NotImplementedError,
)

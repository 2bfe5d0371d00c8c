"""EDGE: a .docx given as evidence, read as a zip archive with a streamed size limit (SPEC §6).

A zip member's header may lie about its size, and zipfile inflates a member asked for whole in
one call (a 1 MB .docx whose document.xml inflates to 1 GB took 2 GB of memory): members are
read in chunks and reading stops past the limit.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from docgen.model.results import FileFacts
from docgen.text.labels import PROBLEMS

MAX_XML_BYTES = 32 * 1024 * 1024  # a .docx's word/document.xml, inflated
ZIP_READ_CHUNK = 1024 * 1024

# zip methods a .docx may use: Word stores or deflates; zipfile inflates a bzip2 or LZMA member
# in one call whatever size is asked for, so those are refused rather than read
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """Returns the inflated bytes of member ``name``, or None when they pass ``limit`` bytes.

    The member is inflated in chunks and reading stops past the limit, whatever its header
    declares.

    Raises:
        KeyError: there is no such member.
        NotImplementedError: the member is compressed otherwise than stored or deflated.
        zipfile.BadZipFile, zlib.error: the archive is damaged (a wrong checksum included).
    """
    info = archive.getinfo(name)
    if info.compress_type not in _ZIP_METHODS:
        raise NotImplementedError(f"zip method {info.compress_type}")
    if info.file_size > limit:
        return None
    parts: list[bytes] = []
    total = 0
    with archive.open(info) as member:
        while chunk := member.read(ZIP_READ_CHUNK):
            total += len(chunk)
            if total > limit:
                return None
            parts.append(chunk)
    return b"".join(parts)


# a <w:t> element's text; [^<>] keeps each match's scan within one tag, so the search is linear
_WORD_TEXT = re.compile(r"<w:t[^<>]*>([^<]*)</w:t>")


def inspect_docx(path: Path, name: str) -> FileFacts:
    """Returns the facts of a .docx: its text (ok), no text (no-text) or why it is unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = read_member(archive, "word/document.xml", MAX_XML_BYTES)
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        OSError,
        RuntimeError,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as exc:
        return FileFacts(name, "unreadable", problem=PROBLEMS["bad_docx"], detail=type(exc).__name__)
    if data is None:
        return FileFacts(name, "unreadable", kind="docx", problem=PROBLEMS["docx_too_large"])
    xml = data.decode("utf-8", errors="replace")
    text = " ".join(_WORD_TEXT.findall(xml))
    return FileFacts(name, "ok" if text.strip() else "no-text", kind="docx", pages=None, text=text)

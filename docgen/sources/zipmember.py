"""EDGE: one member of a zip archive (a .docx), inflated in chunks under a size limit.

A zip member's header may lie about its size, and zipfile inflates a member asked for whole in
one call (a 1 MB .docx whose document.xml inflates to 1 GB took 2 GB of memory): members are
read in chunks and reading stops past the limit. Evidence .docx files (``docgen.evidence.docx``)
and Word drafts of the narrative (``docgen.sources.worddraft``) are both read through it.
"""

from __future__ import annotations

import zipfile

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

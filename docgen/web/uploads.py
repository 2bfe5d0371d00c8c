"""CORE: what an uploaded file may be — its path inside a submission folder, its type by
content — and sizes as people read them."""

from __future__ import annotations

import unicodedata

from docgen.text.web import WORDS
from docgen.web.errors import WebError

MAX_PATH_CHARS = 255
MAX_PART_CHARS = 120


def normalise_path(name: str) -> str | None:
    """Returns ``name`` as a safe relative path inside a submission folder, or None.

    Windows separators become ``/``; the text is NFC; ``.``/empty parts are dropped; ``..``,
    absolute paths, drive letters, control characters, hidden parts and over-long names are
    refused.
    """
    text = unicodedata.normalize("NFC", name.replace("\\", "/")).strip()
    if not text or text.startswith("/") or (len(text) > 1 and text[1] == ":") or len(text) > MAX_PATH_CHARS:
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if not parts:
        return None
    for part in parts:
        if part == ".." or part.startswith(".") or len(part) > MAX_PART_CHARS:
            return None
        if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in part):
            return None
    return "/".join(parts)


def content_kind(data: bytes) -> str:
    """Returns the file's type by its content: pdf, png, jpeg, docx, xlsx, or "" for any other."""
    from docgen.evidence.inspect import sniff

    kind = sniff(data[:2048])
    if kind != "zip":
        return kind
    import io
    import zipfile

    from docgen.sources.zipped import ZIP_ERRORS

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except ZIP_ERRORS:
        return ""
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return ""


def human_size(n: int) -> str:
    """Returns a byte count as people read it (字节, KB, MB)."""
    if n < 1024:
        return WORDS["size.bytes"].format(n=n)
    if n < 1024 * 1024:
        return WORDS["size.kb"].format(n=f"{n / 1024:.1f}")
    return WORDS["size.mb"].format(n=f"{n / (1024 * 1024):.1f}")


def check_sizes(limits: tuple[int, int], files: list[tuple[str, int]], others: int = 0) -> None:
    """Refuses (413) a file over the first limit, or files that with ``others`` bytes already
    stored exceed the second (limits: one file, all files of a submission)."""
    file_limit, total_limit = limits
    for name, size in files:
        if size > file_limit:
            raise WebError(
                413, "file_too_large", name=name, size=human_size(size), limit=human_size(file_limit)
            )
    total = others + sum(size for _name, size in files)
    if total > total_limit:
        raise WebError(413, "submission_too_large", size=human_size(total), limit=human_size(total_limit))

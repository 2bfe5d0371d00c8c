"""EDGE: facts about evidence files, by content not extension (SPEC §6).

Statuses: ok, missing, outside (path leaves the submission folder), unreadable, encrypted,
no-text (no text layer: a scan or an image). Limits keep hostile files bounded.
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024
MAX_PAGES = 2000
TEXT_PAGES = 30
MAX_TEXT_CHARS = 400_000


@dataclass(frozen=True)
class FileFacts:
    """What inspecting one referenced file found."""

    file: str
    status: str
    kind: str = ""
    pages: int | None = None
    text: str = ""
    problem: str = ""


def resolve_inside(folder: Path, name: str) -> Path | None:
    """Returns the real path of ``name`` inside ``folder``, or None when it would leave it."""
    if not name or Path(name).is_absolute() or name.startswith(("/", "\\")) or ":" in name[:3]:
        return None
    root = folder.resolve()
    candidate = (folder / name).resolve()
    if candidate != root and root not in candidate.parents:
        return None
    return candidate


def _sniff(head: bytes) -> str:
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return ""


def inspect_file(folder: Path, name: str) -> FileFacts:
    """Returns the facts about evidence file ``name`` (relative to the submission ``folder``)."""
    path = resolve_inside(folder, name)
    if path is None:
        return FileFacts(name, "outside")
    if not path.is_file():
        return FileFacts(name, "missing")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return FileFacts(name, "unreadable", problem=f"文件超过 {MAX_BYTES // 1024 // 1024} MB")
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError as exc:
        return FileFacts(name, "unreadable", problem=exc.strerror or "无法打开")
    kind = _sniff(head)
    if kind == "pdf":
        return _inspect_pdf(path, name)
    if kind in ("png", "jpeg"):
        return FileFacts(name, "no-text", kind=kind, pages=1)
    if kind == "zip":
        return _inspect_docx(path, name)
    return FileFacts(name, "unreadable", problem="不是 PDF、PNG、JPEG 或 DOCX 文件")


def _inspect_pdf(path: Path, name: str) -> FileFacts:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    return FileFacts(name, "encrypted", kind="pdf")
            except (PyPdfError, NotImplementedError):
                return FileFacts(name, "encrypted", kind="pdf")
            return FileFacts(name, "encrypted", kind="pdf", pages=len(reader.pages))
        pages = len(reader.pages)
        if pages > MAX_PAGES:
            return FileFacts(name, "unreadable", kind="pdf", pages=pages, problem=f"页数超过 {MAX_PAGES}")
        chunks: list[str] = []
        total = 0
        for page in reader.pages[:TEXT_PAGES]:
            text = page.extract_text() or ""
            chunks.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        RecursionError,
        OSError,
        IndexError,
        ZeroDivisionError,
    ) as exc:
        return FileFacts(name, "unreadable", kind="pdf", problem=type(exc).__name__)
    text = "\n".join(chunks)
    if not text.strip():
        return FileFacts(name, "no-text", kind="pdf", pages=pages)
    return FileFacts(name, "ok", kind="pdf", pages=pages, text=text)


def _inspect_docx(path: Path, name: str) -> FileFacts:
    import re

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_BYTES:
                return FileFacts(name, "unreadable", kind="docx", problem="内容过大")
            xml = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return FileFacts(name, "unreadable", problem="不是有效的 DOCX 文件")
    text = " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    return FileFacts(name, "ok" if text.strip() else "no-text", kind="docx", pages=None, text=text)


def inspect_all(folder: Path, names: list[str]) -> dict[str, FileFacts]:
    """Returns facts for every distinct name (each file inspected once)."""
    return {name: inspect_file(folder, name) for name in dict.fromkeys(names)}

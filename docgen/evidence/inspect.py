"""EDGE: facts about evidence files, by content not extension (SPEC §6).

Statuses: ok, missing, outside (path leaves the submission folder), unreadable, encrypted,
no-text (no text layer: a scan or an image). An image counts only when it opens as one (header and
PNG checksums verified, not decoded); a PDF only when it has pages. Limits keep hostile files
bounded. ``problem`` is the Chinese reason shown to users; ``detail`` the technical one (an
exception's class name), kept for debugging and never put in a message.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from docgen import cache as stored_results
from docgen.model.results import FileFacts
from docgen.text.labels import PROBLEMS

if TYPE_CHECKING:
    from pypdf import PageObject

MAX_BYTES = 64 * 1024 * 1024
MAX_PAGES = 2000
TEXT_PAGES = 30
MAX_TEXT_CHARS = 400_000
MAX_CONTENT_BYTES = 32 * 1024 * 1024


def resolve_inside(folder: Path, name: str, root: str | None = None) -> Path | None:
    """Returns the real path of ``name`` inside ``folder``, or None when it would leave it.

    ``..``, absolute paths and symbolic links that lead outside are all refused. ``root`` is the
    folder's real path when the caller already knows it.
    """
    if (
        not name
        or "\x00" in name
        or Path(name).is_absolute()
        or name.startswith(("/", "\\"))
        or ":" in name[:3]
    ):
        return None
    base = root or os.path.realpath(folder)
    candidate = os.path.realpath(os.path.join(base, name))
    if candidate != base and not candidate.startswith(base + os.sep):
        return None
    return Path(candidate)


def sniff(head: bytes) -> str:
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return ""


class InspectionCache:
    """Inspection results on disk, keyed by the file's content hash and the identifiers sought.

    A re-review of unchanged files reads each file once (to hash it) instead of parsing it.
    Entries are small JSON files; a damaged entry is ignored and rewritten.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, data: bytes, wanted: set[str] | frozenset[str]) -> Path:
        digest = hashlib.sha256(f"{_readers_fingerprint()}\x00".encode())
        digest.update(data)
        digest.update("\x00".join(sorted(wanted)).encode("utf-8"))
        name = digest.hexdigest()
        return self.directory / name[:2] / f"{name}.json"

    def get(self, data: bytes, wanted: set[str] | frozenset[str], name: str) -> FileFacts | None:
        """Returns the stored facts of a file with these bytes, or None (absent or damaged)."""
        stored = stored_results.load(self._path(data, wanted), FileFacts, ())
        return replace(stored, file=name, text="") if stored is not None else None

    def put(self, data: bytes, wanted: set[str] | frozenset[str], facts: FileFacts) -> None:
        """Stores a file's facts without its text (only the identifiers found are needed again)."""
        stored_results.store(self._path(data, wanted), replace(facts, file="", text=""))


@functools.cache
def _readers_fingerprint() -> str:
    """Returns what inspection results depend on besides the file: docgen's code and the versions
    of the libraries that read PDFs and images (an upgraded pypdf may read a file differently)."""
    from importlib.metadata import PackageNotFoundError, version

    from docgen.resources import code_fingerprint

    versions = []
    for package in ("pypdf", "pillow"):
        try:
            versions.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package} absent")
    return "\x00".join([code_fingerprint(), *versions])


def inspect_file(
    folder: Path,
    name: str,
    wanted: set[str] | frozenset[str] = frozenset(),
    cache: InspectionCache | None = None,
    root: str | None = None,
) -> FileFacts:
    """Returns the facts about evidence file ``name`` (relative to the submission ``folder``).

    ``wanted`` identifiers (patent numbers, standard codes, names) are looked for in the text;
    ``found`` lists those present.
    """
    if "\x00" in name:
        return FileFacts(name, "unreadable", problem=PROBLEMS["bad_path"])
    path = resolve_inside(folder, name, root)
    if path is None:
        return FileFacts(name, "outside")
    if not path.is_file():
        return FileFacts(name, "missing")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return FileFacts(
                name, "unreadable", problem=PROBLEMS["too_big"].format(mb=MAX_BYTES // 1024 // 1024)
            )
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError as exc:
        return _cannot_open(name, exc)
    if cache is not None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return _cannot_open(name, exc)
        hit = cache.get(data, wanted, name)
        if hit is not None:
            return hit
        facts = inspect_file(folder, name, wanted, None, root)
        cache.put(data, wanted, facts)
        return facts
    kind = sniff(head)
    if kind == "pdf":
        return _inspect_pdf(path, name, wanted)
    if kind in ("png", "jpeg"):
        return _inspect_image(path, name, kind)
    if kind == "zip":
        facts = _inspect_docx(path, name)
        return _with_found(facts, wanted, facts.text)
    return FileFacts(name, "unreadable", problem=PROBLEMS["unknown_kind"])


def _cannot_open(name: str, exc: OSError) -> FileFacts:
    return FileFacts(
        name, "unreadable", problem=PROBLEMS["cannot_open"], detail=exc.strerror or type(exc).__name__
    )


def _inspect_image(path: Path, name: str, kind: str) -> FileFacts:
    """Returns no-text for a PNG or JPEG that opens as one, unreadable otherwise.

    Cheap: Pillow reads the header (size, mode) and, for PNG, checks every chunk's checksum; the
    pixels are not decoded.
    """
    import struct
    import zlib

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path, formats=["PNG" if kind == "png" else "JPEG"]) as image:
            width, height = image.size
            image.verify()
    except Image.DecompressionBombError as exc:
        return FileFacts(
            name, "unreadable", kind=kind, problem=PROBLEMS["image_too_large"], detail=type(exc).__name__
        )
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        struct.error,
        zlib.error,
        IndexError,
        KeyError,
        TypeError,
        RecursionError,
    ) as exc:
        return FileFacts(
            name, "unreadable", kind=kind, problem=PROBLEMS["bad_image"], detail=type(exc).__name__
        )
    if width <= 0 or height <= 0:
        return FileFacts(name, "unreadable", kind=kind, problem=PROBLEMS["bad_image"], detail="empty image")
    return FileFacts(name, "no-text", kind=kind, pages=1)


def _with_found(facts: FileFacts, wanted: set[str] | frozenset[str], text: str) -> FileFacts:
    from dataclasses import replace

    from docgen.evidence.identifiers import normalise_identifier

    haystack = normalise_identifier(text)
    found = frozenset(w for w in wanted if w and normalise_identifier(w) in haystack)
    return replace(facts, found=facts.found | found)


def _inspect_pdf(path: Path, name: str, wanted: set[str] | frozenset[str]) -> FileFacts:
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (PyPdfError, NotImplementedError):
                opened = PasswordType.NOT_DECRYPTED
            return FileFacts(name, "encrypted", kind="pdf", pages=len(reader.pages) if opened else None)
        pages = len(reader.pages)
        if pages == 0:
            return FileFacts(name, "unreadable", kind="pdf", pages=0, problem=PROBLEMS["no_pages"])
        if pages > MAX_PAGES:
            return FileFacts(
                name,
                "unreadable",
                kind="pdf",
                pages=pages,
                problem=PROBLEMS["too_many_pages"].format(pages=MAX_PAGES),
            )
        # -- fast path: text operators and identifiers written as plain strings in the content
        #    streams; full text extraction (slow: it interprets every operator) only when needed --
        raw = b"".join(_content(page) for page in reader.pages[:TEXT_PAGES])
        has_text = any(op in raw for op in (b"Tj", b"TJ", b"'", b'"'))
        quick = _with_found(FileFacts(name, "ok"), wanted, _quick_text(raw)).found if wanted else frozenset()
        if not has_text:
            return FileFacts(name, "no-text", kind="pdf", pages=pages)
        if quick == frozenset(w for w in wanted if w):
            return FileFacts(name, "ok", kind="pdf", pages=pages, found=quick)
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
        reason = "pdf_too_large" if isinstance(exc, LimitReachedError) else "bad_pdf"
        return FileFacts(name, "unreadable", kind="pdf", problem=PROBLEMS[reason], detail=type(exc).__name__)
    text = "\n".join(chunks)
    if not text.strip():
        return FileFacts(name, "no-text", kind="pdf", pages=pages)
    return _with_found(FileFacts(name, "ok", kind="pdf", pages=pages, text=text, found=quick), wanted, text)


_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def literal_strings(raw: bytes) -> list[bytes]:
    """Returns the literal strings ``(...)`` of a content stream, escapes decoded.

    Handles balanced parentheses, backslash escapes and octal codes; hex strings are skipped.
    """
    out: list[bytes] = []
    i, n = 0, len(raw)
    while i < n:
        if raw[i] != 0x28:  # "("
            i += 1
            continue
        depth, i, buf = 1, i + 1, bytearray()
        while i < n and depth:
            c = raw[i]
            if c == 0x5C and i + 1 < n:  # backslash
                nxt = raw[i + 1]
                if 0x30 <= nxt <= 0x37:
                    j = i + 1
                    while j < min(i + 4, n) and 0x30 <= raw[j] <= 0x37:
                        j += 1
                    buf.append(int(raw[i + 1 : j], 8) & 0xFF)
                    i = j
                    continue
                buf += _ESCAPES.get(nxt, bytes([nxt])) if nxt not in (0x0A, 0x0D) else b""
                i += 2
                continue
            if c == 0x28:
                depth += 1
            elif c == 0x29:
                depth -= 1
                if not depth:
                    break
            buf.append(c)
            i += 1
        out.append(bytes(buf))
        i += 1
    return out


def _quick_text(raw: bytes) -> str:
    """Returns the content stream's literal strings read both as Latin-1 and as UTF-16BE.

    ASCII identifiers in simple fonts appear as themselves; Chinese text in the common UCS-2 CID
    encodings (UniGB-UCS2-H) appears as UTF-16BE. A miss proves nothing — the caller then
    extracts the text properly.
    """
    strings = literal_strings(raw)
    latin = "\n".join(b.decode("latin-1") for b in strings)
    wide = "\n".join(b.decode("utf-16-be", errors="ignore") for b in strings if len(b) % 2 == 0)
    return latin + "\n" + wide


def _content(page: PageObject) -> bytes:
    contents = page.get_contents()
    if contents is None:
        return b""
    data = contents.get_data()
    return data[:MAX_CONTENT_BYTES]


def _inspect_docx(path: Path, name: str) -> FileFacts:
    import re

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_BYTES:
                return FileFacts(name, "unreadable", kind="docx", problem=PROBLEMS["docx_too_large"])
            xml = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError) as exc:
        return FileFacts(name, "unreadable", problem=PROBLEMS["bad_docx"], detail=type(exc).__name__)
    text = " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    return FileFacts(name, "ok" if text.strip() else "no-text", kind="docx", pages=None, text=text)


def inspect_all(
    folder: Path, wanted: dict[str, set[str]], cache: InspectionCache | None = None
) -> dict[str, FileFacts]:
    """Returns facts for every file named in ``wanted`` (file → identifiers to look for)."""
    root = os.path.realpath(folder)
    return {name: inspect_file(folder, name, ids, cache, root) for name, ids in wanted.items()}

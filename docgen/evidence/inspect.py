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
import re
import zlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from docgen import cache as stored_results
from docgen.evidence.docx import inspect_docx
from docgen.files import resolve_inside
from docgen.model.results import FileFacts
from docgen.text.labels import PROBLEMS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pypdf import Configuration, PageObject

MIB = 1024 * 1024
MAX_BYTES = 64 * MIB  # an evidence file on disk
MAX_PAGES = 2000
TEXT_PAGES = 30  # pages read for text (identifiers are on the first pages)
MAX_TEXT_CHARS = 400_000
# -- work budgets: a file's cost is bounded by these, never by what its headers claim --
# decoded page content read for text, over all pages (a stream shared by pages counts on each)
TEXT_CONTENT_BYTES = 2 * MIB
# content operators text extraction may interpret, over all pages and the forms they draw (~2 s)
TEXT_OPERATIONS = 100_000
MAX_STREAM_BYTES = 32 * MIB  # one PDF stream decoded (pypdf's default is 75 MB)
MAX_PARSE_WORK = 400_000  # tokens pypdf may parse in one content stream (its default is 2,000,000)
MAX_PAGE_TREE_NODES = 4 * MAX_PAGES  # page tree nodes visited (pypdf's default is 100,000)


def pdf_limits() -> Configuration:
    """Returns the pypdf configuration docgen reads evidence PDFs with (``apply_configuration``):
    every decoder's output bounded by ``MAX_STREAM_BYTES``, content parsing by ``MAX_PARSE_WORK``, the page
    tree by ``MAX_PAGE_TREE_NODES``, and no external JBIG2 decoder run on a hostile file."""
    from pypdf import get_configuration

    decoded = {
        key: MAX_STREAM_BYTES
        for key in (
            "array_based_stream_maximum_output_length",
            "jbig2_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "zlib_maximum_output_length",
            "brotli_maximum_output_length",
        )
    }
    return get_configuration().with_overwrites(
        **decoded,
        maximum_declared_stream_length=MAX_BYTES,  # a stream longer than the file is a lie
        stream_parsing_work_maximum_count=MAX_PARSE_WORK,
        page_tree_maximum_entries=MAX_PAGE_TREE_NODES,
        jbig2dec_binary=None,
    )


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
        return Path(self._entry(data, wanted))

    def _entry(self, data: bytes, wanted: set[str] | frozenset[str]) -> str:
        """Returns where the facts of a file with these bytes, sought for ``wanted``, are kept."""
        digest = hashlib.sha256(f"{_readers_fingerprint()}\x00".encode())
        digest.update(data)
        digest.update("\x00".join(sorted(wanted)).encode("utf-8"))
        name = digest.hexdigest()
        return os.path.join(self.directory, name[:2], f"{name}.json")

    def get(self, data: bytes, wanted: set[str] | frozenset[str], name: str) -> FileFacts | None:
        """Returns the stored facts of a file with these bytes, or None (absent or damaged).

        An entry this process has read or written is not read again while its status (inode,
        size, time) is unchanged: the 24 files that recur in every submission of a batch cost a
        ``stat`` each, not a read and a decode. An entry changed or removed since is read anew."""
        path = self._entry(data, wanted)
        seen = _entry_status(path)
        kept = _READ.get(path)
        if seen is not None and kept is not None and kept[0] == seen:
            return replace(kept[1], file=name)
        stored = stored_results.load(Path(path), FileFacts, ())
        if stored is None:
            return None
        stored = replace(stored, file="", text="")
        _keep(path, seen, stored)
        return replace(stored, file=name)

    def put(self, data: bytes, wanted: set[str] | frozenset[str], facts: FileFacts) -> None:
        """Stores a file's facts without its text (only the identifiers found are needed again)."""
        path = self._entry(data, wanted)
        kept = replace(facts, file="", text="")
        stored_results.store(Path(path), kept)
        _keep(path, _entry_status(path), kept)


KEPT_ENTRIES = 4096  # inspection entries remembered by a process (a few hundred bytes each)
# entry path → (its status when read, the facts it held): see InspectionCache.get
_READ: dict[str, tuple[tuple[int, ...], FileFacts]] = {}


def _entry_status(path: str | Path) -> tuple[int, ...] | None:
    """Returns what tells a cache entry's file changed (device, inode, size, time), None if absent."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _keep(path: str, status: tuple[int, ...] | None, facts: FileFacts) -> None:
    if status is None:
        return
    if len(_READ) >= KEPT_ENTRIES:
        _READ.clear()
    _READ[path] = (status, facts)


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
    try:
        if not path.is_file():  # a folder, a FIFO, a device: not evidence
            return FileFacts(name, "missing")
        size = path.stat().st_size
    except OSError as exc:
        return _cannot_open(name, exc)
    if size > MAX_BYTES:
        return FileFacts(name, "unreadable", problem=PROBLEMS["too_big"].format(mb=MAX_BYTES // 1024 // 1024))
    if cache is not None:  # the bytes are read once: they are the key, and the head is among them
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
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError as exc:
        return _cannot_open(name, exc)
    kind = sniff(head)
    if kind == "pdf":
        return _inspect_pdf(path, name, wanted)
    if kind in ("png", "jpeg"):
        return _inspect_image(path, name, kind)
    if kind == "zip":
        facts = inspect_docx(path, name)
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


class _BudgetSpent(Exception):
    """Raised inside pypdf's text extraction when ``TEXT_OPERATIONS`` are spent."""


class _OperationBudget:
    """A pypdf ``visitor_operand_before`` that counts the operators interpreted (forms too) and
    stops the extraction when the budget is spent."""

    def __init__(self, operations: int) -> None:
        self.left = operations

    def __call__(self, operator: object, operands: object, cm: object, tm: object) -> None:
        self.left -= 1
        if self.left < 0:
            raise _BudgetSpent


def _inspect_pdf(path: Path, name: str, wanted: set[str] | frozenset[str]) -> FileFacts:
    """Returns the facts of a PDF read with docgen's limits; any failure is a finding.

    pypdf raises far more than its own errors on hostile files (NotImplementedError for an unknown
    filter, DependencyError for JBIG2, RecursionError, struct and zlib errors, …): whatever reading
    the file raises says the file is unusable, so every exception becomes «unreadable» here, with
    its class name kept as the detail.
    """
    from pypdf import apply_configuration
    from pypdf.errors import DependencyError, LimitReachedError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with apply_configuration(pdf_limits()):
            return _read_pdf(path, name, wanted)
    except Exception as exc:  # hostile input: see the docstring
        reason = "bad_pdf"
        if isinstance(exc, (LimitReachedError, MemoryError)):
            reason = "pdf_too_large"
        elif isinstance(exc, (NotImplementedError, DependencyError)):
            reason = "pdf_unsupported"
        return FileFacts(name, "unreadable", kind="pdf", problem=PROBLEMS[reason], detail=type(exc).__name__)


def load_pdf_reader() -> None:
    """Imports the PDF reader now (it is imported on the first PDF otherwise: ~0.1 s, which a
    server's worker process pays before it serves rather than in its first page, #21)."""
    import pypdf  # noqa: F401


def _read_pdf(path: Path, name: str, wanted: set[str] | frozenset[str]) -> FileFacts:
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

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
    contents, whole = _page_contents(reader.pages[:TEXT_PAGES])
    raw = b"".join(contents)
    has_text = any(op in raw for op in (b"Tj", b"TJ", b"'", b'"'))
    quick = _with_found(FileFacts(name, "ok"), wanted, _quick_text(raw)).found if wanted else frozenset()
    if not has_text:
        return FileFacts(name, "no-text", kind="pdf", pages=pages)
    if quick == frozenset(w for w in wanted if w):
        return FileFacts(name, "ok", kind="pdf", pages=pages, found=quick)
    # -- full extraction, of the pages whose content was read whole, within TEXT_OPERATIONS;
    #    what the budget leaves out is read from the literal strings --
    chunks: list[str] = []
    total = 0
    budget = _OperationBudget(TEXT_OPERATIONS)
    cut = whole < len(contents)
    for page in reader.pages[:whole]:
        try:
            text = page.extract_text(visitor_operand_before=budget) or ""
        except (_BudgetSpent, LimitReachedError):
            cut = True
            break
        chunks.append(text)
        total += len(text)
        if total > MAX_TEXT_CHARS:
            break
    if cut:
        chunks.append(_quick_text(raw))
    text = "\n".join(chunks)
    if not text.strip():
        return FileFacts(name, "no-text", kind="pdf", pages=pages)
    return _with_found(FileFacts(name, "ok", kind="pdf", pages=pages, text=text, found=quick), wanted, text)


def _page_contents(pages: Iterable[PageObject]) -> tuple[list[bytes], int]:
    """Returns the decoded content of ``pages`` up to ``TEXT_CONTENT_BYTES`` in all (the last one
    cut at the budget; later pages not read) and how many pages were read whole."""
    out: list[bytes] = []
    left = TEXT_CONTENT_BYTES
    for page in pages:
        data = _content(page)
        out.append(data[:left])
        if len(data) > left:
            return out, len(out) - 1
        left -= len(data)
    return out, len(out)


_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


_SPECIAL = re.compile(rb"[()\\]")


def literal_strings(raw: bytes) -> list[bytes]:
    """Returns the literal strings ``(...)`` of a content stream, escapes decoded.

    Handles balanced parentheses, backslash escapes and octal codes; hex strings are skipped.
    Plain runs are copied by slices between the special characters ``( ) \\``, so the Python
    loop turns once per special character, not once per byte.
    """
    out: list[bytes] = []
    n = len(raw)
    i = raw.find(b"(")
    while 0 <= i < n:
        depth, i, buf = 1, i + 1, bytearray()
        while i < n:
            match = _SPECIAL.search(raw, i)
            if match is None:
                buf += raw[i:]
                i = n
                break
            j = match.start()
            buf += raw[i:j]
            c = raw[j]
            if c == 0x5C and j + 1 < n:  # backslash
                nxt = raw[j + 1]
                if 0x30 <= nxt <= 0x37:
                    k = j + 1
                    while k < min(j + 4, n) and 0x30 <= raw[k] <= 0x37:
                        k += 1
                    buf.append(int(raw[j + 1 : k], 8) & 0xFF)
                    i = k
                    continue
                buf += _ESCAPES.get(nxt, bytes([nxt])) if nxt not in (0x0A, 0x0D) else b""
                i = j + 2
                continue
            if c == 0x28:
                depth += 1
            elif c == 0x29:
                depth -= 1
                if not depth:
                    i = j
                    break
            buf.append(c)
            i = j + 1
        out.append(bytes(buf))
        i = raw.find(b"(", i + 1)
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
    return b"" if contents is None else contents.get_data()


def inspect_all(
    folder: Path, wanted: dict[str, set[str]], cache: InspectionCache | None = None
) -> dict[str, FileFacts]:
    """Returns facts for every file named in ``wanted`` (file → identifiers to look for)."""
    root = os.path.realpath(folder)
    return {name: inspect_file(folder, name, ids, cache, root) for name, ids in wanted.items()}

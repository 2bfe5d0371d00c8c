"""EDGE: the bound evidence PDF (SPEC §6, §7).

Documents in checklist order, a generated contents page (Chinese, with page numbers), one bookmark
per document nested under its checklist group, «— n —» stamped on every page, images turned into
pages, and a placeholder page «缺：…» for every required document that is missing or unusable, so
the bundle mirrors the checklist. Page count = contents pages + document pages + placeholders.
CJK text is set with reportlab's built-in CID font (no font files shipped).
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.evidence.inspect import MAX_BYTES, MAX_PAGES, pdf_limits, sniff
from docgen.files import resolve_inside
from docgen.model.results import DocumentStatus, EvidenceReport
from docgen.outputs.active_content import strip_active_content
from docgen.text.labels import TEXT

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import IndirectObject
    from reportlab.pdfgen.canvas import Canvas

A4 = (595.2756, 841.8898)
ROWS_PER_CONTENTS_PAGE = 30
CJK_FONT = "STSong-Light"


@dataclass
class BundleEntry:
    """One part of the bundle: a PDF, an image or a placeholder, with its first page."""

    group: str
    title: str
    kind: str  # pdf | image | missing | separate (a Word file: provided, not bound in)
    path: Path | None
    pages: int
    start: int = 0
    reader: PdfReader | None = None  # the opened PdfReader of a pdf entry, parsed once


def _file_entry(group: str, title: str, path: Path) -> BundleEntry | None:
    """Returns the entry of a usable file, its PDF parsed once and cleaned of active content;
    None when it cannot be bound now (changed or removed since it was inspected, or pypdf fails
    on it): the bundle then shows a placeholder."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    kind = sniff(data[:2048])
    if kind == "pdf":
        reader = _bindable_pdf(data)
        return BundleEntry(group, title, "pdf", path, len(reader.pages), reader=reader) if reader else None
    if kind in ("png", "jpeg"):
        return BundleEntry(group, title, "image", path, 1)
    if kind == "zip":
        return BundleEntry(group, title, "separate", path, 1)
    return None


def _bindable_pdf(data: bytes) -> PdfReader | None:
    """Returns the PDF of ``data`` with its active content removed, once its pages have been
    copied into a scratch writer without error; None when that fails.

    pypdf raises far more than its own errors on hostile files (AttributeError on an object that
    refers to itself, RecursionError, NotImplementedError, …): any exception means the file cannot
    be bound, and the bundle shows a placeholder instead. Copying the pages again into the bundle
    then repeats work that has succeeded once.
    """
    from pypdf import PdfReader, PdfWriter, apply_configuration

    try:
        with apply_configuration(pdf_limits()):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted or not 0 < len(reader.pages) <= MAX_PAGES:
                return None
            scratch = PdfWriter()
            for page in reader.pages:
                strip_active_content(page)
                scratch.add_page(page)
    except Exception:  # hostile input: see the docstring
        return None
    return reader


def _title(docs: list[DocumentStatus]) -> str:
    """Returns the contents line of the documents bound as one file: the first one's title and
    identifier, and how many items the file proves when it proves several («李建国等12人»)."""
    first = docs[0]
    if not first.identifier:
        return first.title
    if len(docs) == 1:
        return f"{first.title}（{first.identifier}）"
    counters = {d.counter for d in docs}
    counter = first.counter if len(counters) == 1 and first.counter else TEXT["bundle_counter"]
    shared = TEXT["bundle_shared"].format(identifier=first.identifier, count=len(docs), counter=counter)
    return f"{first.title}（{shared}）"


def _entries(folder: Path, report: EvidenceReport) -> list[BundleEntry]:
    """Returns the bundle's parts in checklist order: each usable file once, at its first use,
    titled after every document it proves; a placeholder for each missing required document."""
    parts: list[tuple[list[DocumentStatus], Path | None]] = []
    by_file: dict[str, list[DocumentStatus]] = {}
    for doc in report.documents:
        if doc.usable and doc.file:
            if doc.file in by_file:
                by_file[doc.file].append(doc)
                continue
            path = resolve_inside(folder, doc.file)
            if path is None:
                continue
            by_file[doc.file] = [doc]
            parts.append((by_file[doc.file], path))
        elif doc.required and not doc.usable and doc.item is None:
            parts.append(([doc], None))
    entries: list[BundleEntry] = []
    for docs, path in parts:
        group, title = docs[0].group, _title(docs)
        entry = _file_entry(group, title, path) if path is not None else None
        entries.append(entry or BundleEntry(group, title, "missing", None, 1))
    return entries


def _canvas(buffer: io.BytesIO) -> Canvas:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)


def _contents_pdf(title: str, company: str, entries: list[BundleEntry], pages: int) -> bytes:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    buffer = io.BytesIO()
    c = _canvas(buffer)
    width, height = A4
    for page in range(pages):
        c.setFont(CJK_FONT, 20)
        c.drawCentredString(width / 2, height - 90, TEXT["bundle_contents"])
        c.setFont(CJK_FONT, 11)
        c.drawCentredString(width / 2, height - 115, f"{company}　{title}")
        y = height - 150
        for index in range(
            page * ROWS_PER_CONTENTS_PAGE, min(len(entries), (page + 1) * ROWS_PER_CONTENTS_PAGE)
        ):
            entry = entries[index]
            label = f"{index + 1}. {entry.title}"
            label += _MARKS.get(entry.kind, "")
            c.setFont(CJK_FONT, 10.5)
            while stringWidth(label, CJK_FONT, 10.5) > width - 200:
                label = label[:-2] + "…"
            c.drawString(72, y, label)
            c.drawRightString(width - 72, y, str(entry.start))
            c.setDash(1, 2)
            c.line(72 + stringWidth(label, CJK_FONT, 10.5) + 6, y + 3, width - 96, y + 3)
            c.setDash()
            y -= 21
        c.showPage()
    c.save()
    return buffer.getvalue()


_MARKS = {"missing": TEXT["bundle_missing_mark"], "separate": TEXT["bundle_separate_mark"]}
_PLACEHOLDERS = {
    "missing": ("bundle_missing", "bundle_missing_note"),
    "separate": ("bundle_separate", "bundle_separate_note"),
}


def _placeholder_pdf(entry: BundleEntry) -> bytes:
    buffer = io.BytesIO()
    c = _canvas(buffer)
    width, height = A4
    c.setFont(CJK_FONT, 22)
    heading, note = _PLACEHOLDERS.get(entry.kind, _PLACEHOLDERS["missing"])
    c.drawCentredString(width / 2, height / 2 + 20, TEXT[heading].format(title=entry.title)[:30])
    c.setFont(CJK_FONT, 11)
    c.drawCentredString(width / 2, height / 2 - 14, entry.group)
    c.drawCentredString(width / 2, height / 2 - 34, TEXT[note])
    c.showPage()
    c.save()
    return buffer.getvalue()


def _image_pdf(path: Path) -> bytes | None:
    from PIL import Image, UnidentifiedImageError
    from reportlab.lib.utils import ImageReader

    try:
        with Image.open(path) as image:
            image.load()
            picture = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        return None
    buffer = io.BytesIO()
    c = _canvas(buffer)
    width, height = A4
    margin = 36
    scale = min((width - 2 * margin) / picture.width, (height - 2 * margin) / picture.height, 1.0)
    w, h = picture.width * scale, picture.height * scale
    c.drawImage(ImageReader(picture), (width - w) / 2, (height - h) / 2, w, h)
    c.showPage()
    c.save()
    return buffer.getvalue()


_HELVETICA_WIDTHS = {"—": 1000, " ": 278, **{d: 556 for d in "0123456789"}}  # AFM units per 1000 em


def _stamp_numbers(writer: PdfWriter) -> None:
    """Writes «— n —» (GB/T 9704, as in the Word reports) at the bottom centre of every page,
    straight into its content.

    The page's own content is wrapped in q … Q so its graphics state cannot move the number;
    the font (Helvetica, one of the 14 standard fonts, WinAnsi-encoded so the em dash is byte
    0x97) is added to each page's resources.
    """
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )

    def stream(data: bytes) -> IndirectObject:
        obj = DecodedStreamObject()
        obj.set_data(data)
        return writer._add_object(obj)

    save = stream(b"q\n")
    for number, page in enumerate(writer.pages, 1):
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        page[NameObject("/Resources")] = resources
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        resources[NameObject("/Font")] = fonts
        fonts[NameObject("/DocgenNumber")] = font
        text = f"— {number} —"
        width = sum(_HELVETICA_WIDTHS[c] for c in text) * 10 / 1000
        box = page.mediabox
        x = float(box.left) + (float(box.width) - width) / 2
        y = float(box.bottom) + 22
        place = f"Q\nq BT /DocgenNumber 10 Tf 1 0 0 1 {x:.2f} {y:.2f} Tm ".encode()
        mark = place + b"(" + text.encode("cp1252") + b") Tj ET Q\n"  # cp1252 is WinAnsi: — is 0x97
        contents = page.get("/Contents")
        existing = (
            []
            if contents is None
            else (
                list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
            )
        )
        page[NameObject("/Contents")] = ArrayObject([save, *existing, stream(mark)])


def render_bundle(
    folder: Path, report: EvidenceReport, title: str, company: str = ""
) -> tuple[bytes, list[str]]:
    """Returns the bundle PDF bytes and the titles of its parts, in order.

    The document ID is derived from the content, so rebuilding gives the same bytes. Evidence
    PDFs are read with the inspection's limits (``pdf_limits``).
    """
    from pypdf import apply_configuration

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with apply_configuration(pdf_limits()):
        return _render(folder, report, title, company)


def _render(folder: Path, report: EvidenceReport, title: str, company: str) -> tuple[bytes, list[str]]:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    entries = _entries(folder, report)
    contents_pages = max(1, math.ceil(len(entries) / ROWS_PER_CONTENTS_PAGE))
    page = contents_pages + 1
    for entry in entries:
        entry.start = page
        page += entry.pages
    writer = PdfWriter()
    writer.add_metadata({"/Title": title, "/Producer": "docgen"})
    for contents_page in PdfReader(io.BytesIO(_contents_pdf(title, company, entries, contents_pages))).pages:
        writer.add_page(contents_page)
    writer.add_outline_item(title=TEXT["bundle_contents"], page_number=0)
    groups: dict[str, IndirectObject] = {}
    for entry in entries:
        if entry.kind == "pdf":
            assert entry.reader is not None  # _file_entry opens the reader of every pdf entry
            source = entry.reader
        elif entry.kind == "image":
            assert entry.path is not None  # an image entry is a file
            data = _image_pdf(entry.path)
            source = PdfReader(io.BytesIO(data if data is not None else _placeholder_pdf(entry)))
        else:
            source = PdfReader(io.BytesIO(_placeholder_pdf(entry)))
        for source_page in source.pages:
            writer.add_page(source_page)
        parent = groups.get(entry.group)
        if parent is None:
            parent = writer.add_outline_item(title=entry.group, page_number=entry.start - 1)
            groups[entry.group] = parent
        label = entry.title + _MARKS.get(entry.kind, "")
        writer.add_outline_item(title=label, page_number=entry.start - 1, parent=parent)
    _stamp_numbers(writer)
    digest = hashlib.md5("\n".join(e.title for e in entries).encode("utf-8"), usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])  # deterministic ID
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), [e.title for e in entries]

"""EDGE: the bound evidence PDF (SPEC §6, §7).

A cover (program, «证明材料汇编», applicant, report year), the contents (the checklist's group
headings «一、…» and each document with its page), then the documents in checklist order, one
bookmark per document nested under its checklist group, images turned into pages. A document
that is missing or unusable is listed in the contents marked «（缺）» without a page number, and no
sheet is bound in for it (a clerk binds no blank sheets; the missing-evidence report says why); a
Word file provided to be attached separately gets its «另附» sheet. Page count = 1 + contents
pages + document pages + those sheets. Every page but the cover carries «证明材料汇编　第N页» (N counts the cover) small in
its top-right margin, clear of a document's own page number at the foot. The text docgen draws
is set in the machine's CJK font, subset and embedded (bundle_pages, cff_font).
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.evidence.inspect import MAX_BYTES, MAX_PAGES, pdf_limits, sniff
from docgen.files import resolve_inside
from docgen.model.results import DocumentStatus, EvidenceReport
from docgen.outputs.active_content import strip_active_content
from docgen.outputs.bundle_pages import (
    A4,
    BundleFont,
    Drawing,
    add_drawing,
    drawing_chars,
    make_font,
    stamp_pages,
    stamp_text,
)
from docgen.text.labels import STATUS, TEXT
from docgen.text.outputs_text import OUTPUTS_TEXT
from docgen.text.punctuation import OPEN_PAREN

if TYPE_CHECKING:
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

ROWS_PER_CONTENTS_PAGE = 29  # lines of a contents page (group headings and documents)


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
    status: str = ""  # a placeholder's reason: the document's status (DocumentStatus.status)


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
        return OUTPUTS_TEXT["bundle.title_identifier"].format(title=first.title, identifier=first.identifier)
    counters = {d.counter for d in docs}
    counter = first.counter if len(counters) == 1 and first.counter else TEXT["bundle_counter"]
    shared = TEXT["bundle_shared"].format(identifier=first.identifier, count=len(docs), counter=counter)
    return OUTPUTS_TEXT["bundle.title_shared"].format(title=first.title, shared=shared)


def _entries(folder: Path, report: EvidenceReport) -> list[BundleEntry]:
    """Returns the bundle's parts in checklist order: each usable file once, at its first use,
    titled after every document it proves; an entry without pages for each document missing or
    unusable (listed in the contents, not bound in)."""
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
        elif not doc.usable:  # every checklist document and item proof missing or unusable
            parts.append(([doc], None))
    entries: list[BundleEntry] = []
    for docs, path in parts:
        group, title = docs[0].group, _title(docs)
        entry = _file_entry(group, title, path) if path is not None else None
        entries.append(entry or BundleEntry(group, title, "missing", None, 0, status=docs[0].status))
    return entries


def _cover(font: BundleFont, cover: BundleCover) -> Drawing:
    """Returns the cover: the program, «证明材料汇编», the applicant and the report year."""
    drawing = Drawing()
    y = drawing.height - 250
    for line in font.wrap(cover.program, 20, drawing.width - 160):
        font.centred(drawing, 20, y, line)
        y -= 30
    font.centred(drawing, 32, drawing.height - 400, TEXT["bundle_cover_title"])
    y = 260
    names = cover.applicant or (TEXT["bundle_cover_company"].format(company=cover.company),)
    for name in names:
        for line in _name_lines(font, name, 16, drawing.width - 160):
            font.centred(drawing, 16, y, line)
            y -= 26
    if cover.year:
        font.centred(drawing, 16, y - 6, TEXT["bundle_cover_year"].format(year=cover.year))
    return drawing


def _name_lines(font: BundleFont, text: str, size: float, width: float) -> list[str]:
    """Returns a name's lines: whole when it fits, else broken before its last «（» (an alliance's
    牵头单位), each part wrapped only when it is still too wide."""
    if font.width(text, size) <= width or OPEN_PAREN not in text:
        return list(font.wrap(text, size, width))
    head, _, tail = text.rpartition(OPEN_PAREN)
    return [*font.wrap(head, size, width), *font.wrap(OPEN_PAREN + tail, size, width)]


CONTENTS_TOP = 150  # points from the top of a contents page to its first line
CONTENTS_LINE = 21
LEFT, RIGHT = 72.0, 72.0
NUMBER_ROOM = 40  # points kept for the page number on the right


def _contents_lines(font: BundleFont, entries: list[BundleEntry]) -> list[list[tuple[str, str, int]]]:
    """Returns the contents pages' lines: (kind, text, entry index) with kind «group» (the
    checklist's group heading, «一、…»), «entry» (a document's first line) or «more»; a heading is
    never the last line of a page."""
    width = A4[0] - LEFT - RIGHT - NUMBER_ROOM
    lines: list[tuple[str, str, int]] = []
    group, groups = None, 0
    for index, entry in enumerate(entries):
        if entry.group != group:
            group, groups = entry.group, groups + 1
            heading = TEXT["bundle_group_heading"].format(number=chinese_number(groups), group=entry.group)
            lines += [("group", text, index) for text in font.wrap(heading, 12, width)]
        label = f"{index + 1}. {entry.title}{_MARKS.get(entry.kind, '')}"
        wrapped = font.wrap(label, 10.5, width - 16)
        lines += [("entry" if k == 0 else "more", text, index) for k, text in enumerate(wrapped)]
    pages: list[list[tuple[str, str, int]]] = [[]]
    for position, line in enumerate(lines):
        full = len(pages[-1]) >= ROWS_PER_CONTENTS_PAGE
        alone = line[0] == "group" and len(pages[-1]) >= ROWS_PER_CONTENTS_PAGE - 1
        if full or (alone and position + 1 < len(lines)):
            pages.append([])
        pages[-1].append(line)
    return pages


def _contents(
    font: BundleFont, pages: list[list[tuple[str, str, int]]], entries: list[BundleEntry]
) -> list[Drawing]:
    """Returns the contents pages: the group headings and, per document, its bundle page."""
    drawings = []
    width = A4[0]
    for lines in pages:
        drawing = Drawing()
        font.centred(drawing, 20, drawing.height - 90, TEXT["bundle_contents"])
        column = TEXT["bundle_page_column"]
        drawing.texts.append((10.5, width - RIGHT - font.width(column, 10.5), drawing.height - 122, column))
        y = drawing.height - CONTENTS_TOP
        for position, (kind, text, index) in enumerate(lines):
            if kind == "group":
                drawing.texts.append((12, LEFT, y, text))
            else:
                drawing.texts.append((10.5, LEFT + 16, y, text))
                last = position + 1 == len(lines) or lines[position + 1][0] != "more"
                if last and entries[index].pages:  # a document not bound in has no page
                    number = str(entries[index].start)
                    number_x = width - RIGHT - font.width(number, 10.5)
                    drawing.texts.append((10.5, number_x, y, number))
                    drawing.rules.append((LEFT + 16 + font.width(text, 10.5) + 6, number_x - 6, y + 3))
            y -= CONTENTS_LINE
        drawings.append(drawing)
    return drawings


def chinese_number(n: int) -> str:
    numerals = OUTPUTS_TEXT["bundle.chinese_numerals"]
    return numerals[n - 1] if 1 <= n <= len(numerals) else str(n)


_MARKS = {"missing": TEXT["bundle_missing_mark"], "separate": TEXT["bundle_separate_mark"]}


def _reason(entry: BundleEntry) -> str:
    """Returns why a document is not bound, as an official would say it."""
    if entry.kind == "separate":
        return TEXT["bundle_separate_note"]
    if entry.status == "missing" or not entry.status:
        return TEXT["bundle_reason_missing"]
    if entry.status == "ok" or entry.status not in STATUS:
        return TEXT["bundle_reason_unbindable"]
    return TEXT["bundle_reason_unusable"].format(status=STATUS[entry.status])


def _placeholder(font: BundleFont, entry: BundleEntry) -> Drawing:
    """Returns the page that stands for a document not bound in: its title, its group, why."""
    drawing = Drawing()
    heading = TEXT["bundle_separate" if entry.kind == "separate" else "bundle_missing"].format(
        title=entry.title
    )
    y = drawing.height / 2 + 60
    for line in font.wrap(heading, 18, drawing.width - 160):
        font.centred(drawing, 18, y, line)
        y -= 28
    font.centred(drawing, 12, y - 8, entry.group)
    font.centred(drawing, 14, y - 44, _reason(entry))
    return drawing


def _image_pdf(path: Path) -> bytes | None:
    from PIL import Image, UnidentifiedImageError
    from reportlab.lib.utils import ImageReader

    try:
        with Image.open(path) as image:
            image.load()
            picture = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        return None
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    width, height = A4
    margin = 36
    scale = min((width - 2 * margin) / picture.width, (height - 2 * margin) / picture.height, 1.0)
    w, h = picture.width * scale, picture.height * scale
    c.drawImage(ImageReader(picture), (width - w) / 2, (height - h) / 2, w, h)
    c.showPage()
    c.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class BundleCover:
    """What the cover says: the program's title, the applicant, the report year; ``applicant``
    the applicant's lines where they are not «申报单位（盖章）：company» (an alliance: its name,
    then «牵头单位（盖章）：…», the unit that seals for it)."""

    program: str
    company: str
    year: str
    applicant: tuple[str, ...] = ()


def render_bundle(
    folder: Path, report: EvidenceReport, title: str, company: str = "", cover: BundleCover | None = None
) -> tuple[bytes, list[str]]:
    """Returns the bundle PDF bytes and the titles of its parts, in order.

    ``cover`` defaults to ``title`` and ``company`` without a year. The document ID is derived
    from the content, so rebuilding gives the same bytes. Evidence PDFs are read with the
    inspection's limits (``pdf_limits``).
    """
    from pypdf import apply_configuration

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with apply_configuration(pdf_limits()):
        return _render(folder, report, title, cover or BundleCover(title, company, ""))


def _render(folder: Path, report: EvidenceReport, title: str, cover: BundleCover) -> tuple[bytes, list[str]]:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    font = make_font()
    entries = _entries(folder, report)
    contents_lines = _contents_lines(font, entries)
    page = 1 + len(contents_lines) + 1  # the cover, the contents, then the documents
    for entry in entries:
        entry.start = page
        page += entry.pages
    drawings = [_cover(font, cover), *_contents(font, contents_lines, entries)]
    placeholders = {id(e): _placeholder(font, e) for e in entries if e.kind == "separate"}
    stamps = {c for number in range(2, page) for c in stamp_text(number)}
    writer = PdfWriter()
    writer.add_metadata({"/Title": title, "/Producer": "docgen"})
    font_ref = font.font_object(writer, drawing_chars([*drawings, *placeholders.values()]) | stamps)
    for drawing in drawings:
        add_drawing(writer, drawing, font, font_ref)
    writer.add_outline_item(title=TEXT["bundle_contents"], page_number=1)
    groups: dict[str, IndirectObject] = {}
    for entry in entries:
        if entry.kind == "pdf":
            assert entry.reader is not None  # _file_entry opens the reader of every pdf entry
            for source_page in entry.reader.pages:
                writer.add_page(source_page)
        elif entry.kind == "image":
            assert entry.path is not None  # an image entry is a file
            data = _image_pdf(entry.path)
            if data is not None:
                writer.add_page(PdfReader(io.BytesIO(data)).pages[0])
            else:
                entry.status = "unreadable"
                add_drawing(writer, _placeholder(font, entry), font, font_ref)
        elif entry.kind == "separate":
            add_drawing(writer, placeholders[id(entry)], font, font_ref)
        else:
            continue  # missing or unusable: marked «（缺）» in the contents, no page, no bookmark
        parent = groups.get(entry.group)
        if parent is None:
            parent = writer.add_outline_item(title=entry.group, page_number=entry.start - 1)
            groups[entry.group] = parent
        label = entry.title + _MARKS.get(entry.kind, "")
        writer.add_outline_item(title=label, page_number=entry.start - 1, parent=parent)
    stamp_pages(writer, font, font_ref)
    digest = hashlib.md5("\n".join(e.title for e in entries).encode("utf-8"), usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])  # deterministic ID
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), [e.title for e in entries]

"""EDGE: join the usable evidence PDFs in checklist order, one bookmark each (pypdf)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from docgen.evidence import EvidenceReport
from docgen.inspect import resolve_inside


def render_bundle(folder: Path, report: EvidenceReport, title: str) -> tuple[bytes, list[str]]:
    """Returns the bundle PDF bytes and the titles of the documents included.

    Each usable PDF appears once, at its first place in the checklist, under a bookmark nested
    in its checklist group. The document ID is derived from the content, so rebuilding gives
    the same bytes.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, ByteStringObject

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    writer = PdfWriter()
    writer.add_metadata({"/Title": title, "/Producer": "docgen"})
    included: list[str] = []
    seen: set[str] = set()
    groups: dict[str, object] = {}
    for doc in report.documents:
        if not doc.file or doc.file in seen or doc.status not in ("ok", "no-text"):
            continue
        path = resolve_inside(folder, doc.file)
        if path is None or path.suffix.lower() != ".pdf":
            continue
        try:
            reader = PdfReader(path, strict=False)
            start = len(writer.pages)
            for page in reader.pages:
                writer.add_page(page)
        except (PyPdfError, ValueError, KeyError, OSError):
            continue
        seen.add(doc.file)
        parent = groups.get(doc.group)
        if parent is None:
            parent = writer.add_outline_item(title=doc.group, page_number=start)
            groups[doc.group] = parent
        label = doc.title + (f"（{doc.identifier}）" if doc.identifier else "")
        writer.add_outline_item(title=label, page_number=start, parent=parent)
        included.append(label)
    if not writer.pages:
        writer.add_blank_page(595, 842)
    import hashlib

    digest = hashlib.md5("\n".join(included).encode("utf-8"), usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])  # deterministic ID
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), included

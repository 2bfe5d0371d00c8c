"""EDGE: a .docx given as evidence, read as a zip archive with a streamed size limit (SPEC §6).

Its members are read through ``sources.zipped.read_member`` (streamed, bounded).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docgen.model.results import FileFacts
from docgen.sources.zipped import MAX_XML_BYTES, ZIP_ERRORS, read_member
from docgen.text.labels import PROBLEMS

# a <w:t> element's text; [^<>] keeps each match's scan within one tag, so the search is linear
_WORD_TEXT = re.compile(r"<w:t[^<>]*>([^<]*)</w:t>")


def inspect_docx(path: Path, name: str) -> FileFacts:
    """Returns the facts of a .docx: its text (ok), no text (no-text) or why it is unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = read_member(archive, "word/document.xml", MAX_XML_BYTES)
    except ZIP_ERRORS as exc:
        return FileFacts(name, "unreadable", problem=PROBLEMS["bad_docx"], detail=type(exc).__name__)
    if data is None:
        return FileFacts(name, "unreadable", kind="docx", problem=PROBLEMS["docx_too_large"])
    xml = data.decode("utf-8", errors="replace")
    text = " ".join(_WORD_TEXT.findall(xml))
    return FileFacts(name, "ok" if text.strip() else "no-text", kind="docx", pages=None, text=text)

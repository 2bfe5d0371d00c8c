"""The preview of a 正文 section beside its textarea: the blocks the report lays out, made by
the report's own path (docgen.narrative: the same Markdown library, extensions and limits), as
data for the template, which writes every text escaped (autoescape). Raw HTML a user typed is
structure only, as in the report; the preview says that such tags are not laid out."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from docgen.model.blocks import Block, Run
from docgen.narrative.limits import markdown_limit
from docgen.narrative.markdown import markdown_to_blocks
from docgen.narrative.outline import report_body
from docgen.text.labels import MARKDOWN_LIMITS

_RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


@dataclass
class PreviewPart:
    """One part of the preview: a heading, paragraph, quote, table, or a list of its items."""

    kind: str  # heading, paragraph, quote, table, ul, ol
    runs: list[Run] = field(default_factory=list)
    items: list[tuple[int, list[Run]]] = field(default_factory=list)  # lists: (level, runs)
    rows: list[list[list[Run]]] = field(default_factory=list)
    header_rows: int = 0


@dataclass
class Preview:
    """A section's preview: its parts, the limit that makes it plain text, the raw tags dropped."""

    parts: list[PreviewPart]
    plain_reason: str
    tags: list[str]


PREVIEWS_KEPT = 512  # sections' previews by their text: a page shows every section's


@functools.lru_cache(maxsize=PREVIEWS_KEPT)
def section_preview(text: str, title: str) -> Preview:
    """Returns the preview of a section's ``text`` as the report lays it out (remembered by text
    and title: a page shows every section, and an edit changes one; the templates only read it)."""
    body = report_body(text, title)
    blocks = markdown_to_blocks(body) if body.strip() else []
    exceeded = markdown_limit(body)
    reason = (
        MARKDOWN_LIMITS[exceeded.kind].format(count=exceeded.count, limit=exceeded.limit) if exceeded else ""
    )
    tags = list(dict.fromkeys(_RAW_TAG.findall(body)))[:5] if not exceeded else []
    return Preview(_parts(blocks), reason, tags)


def _parts(blocks: list[Block]) -> list[PreviewPart]:
    parts: list[PreviewPart] = []
    for block in blocks:
        if block.kind in ("bullet", "number"):
            kind = "ul" if block.kind == "bullet" else "ol"
            if not parts or parts[-1].kind != kind:
                parts.append(PreviewPart(kind))
            parts[-1].items.append((block.level, block.runs))
        elif block.kind == "table":
            parts.append(PreviewPart("table", rows=block.rows, header_rows=block.header_rows))
        else:
            parts.append(PreviewPart(block.kind, runs=block.runs))
    return parts

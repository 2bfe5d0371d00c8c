"""The user-facing words of docgen.sources: messages and labels its code formats."""

from __future__ import annotations

SOURCES_TEXT: dict[str, str] = {
    "characters.show_characters": "等",
    "worddraft.decimal_list": "^%1[.)．、]$",
    "workbook.load_workbook_document": "{shown}（{strerror}）",
    "yamlio.mapping": "合并键 <<",
    "yamlio.mapping_2": "键必须是简单文本",
    "yamlio.read_text": "{display}（{strerror}）",
}

"""The user-facing words of docgen.sources: messages and labels its code formats."""

from __future__ import annotations

SOURCES_TEXT: dict[str, str] = {
    "characters.more_characters": "等",
    "worddraft.decimal_list": "^%1[.)．、]$",
    "workbook.unreadable": "{shown}（{strerror}）",
    "yamlio.merge_key": "合并键 <<",
    "yamlio.key_not_scalar": "键必须是简单文本",
    "yamlio.unreadable": "{display}（{strerror}）",
}

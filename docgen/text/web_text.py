"""The user-facing words of docgen.web: messages and labels its code formats."""

from __future__ import annotations

WEB_TEXT: dict[str, str] = {
    "api.correction": "补正通知.docx",
    "display.beijing": "北京时间",
    "pages.key_note": r"（[A-Za-z0-9_.\[\]]+）",
}

"""The user-facing words of docgen.web: messages and labels its code formats."""

from __future__ import annotations

WEB_TEXT: dict[str, str] = {
    "api.correction": "补正通知.docx",
    "review_zip.name": "评审材料.zip",
    "review_zip.folder": "申报",
    "review_zip.rulings": "不予认可的材料.csv",
    "review_zip.rulings_head": "申报编号,企业名称,文件,不予认可的理由,评审人员,时间",
    "display.beijing": "北京时间",
    "pages.key_note": r"（[A-Za-z0-9_.\[\]]+）",
}

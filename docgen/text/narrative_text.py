"""The user-facing words of docgen.narrative: messages and labels its code formats."""

from __future__ import annotations

NARRATIVE_TEXT: dict[str, str] = {
    "company_names.name_chars": r"[\u4e00-\u9fff（）()]",
    "company_names.find_company_names": "（(",
    "consistency.gap": r"[^0-9０-９。；，,、\n]{0,10}?",
    "consistency.sentence": r"[^。；;！？\n]+",
    "consistency.year": r"(?<!\d)(19|20)\d{2}(?=年)",
    "consistency.approx_before": "约",
    "consistency.approx_before_2": "近",
    "consistency.approx_before_3": "超过",
    "consistency.approx_before_4": "逾",
    "consistency.approx_before_5": "将近",
    "consistency.approx_before_6": "累计",
    "consistency.approx_after": "余",
    "consistency.approx_after_2": "多",
    "consistency.approx_after_3": "以上",
    "consistency.approx_after_4": "左右",
    "consistency.cell_year": r"^((?:19|20)\d{2})(?:年度?|年末)?$",
    "consistency.table_mentions": "{report_year}年{named_by}：{cell}",
    "consistency.table_mentions_2": "{named_by}：{cell}",
    "draft.number": r"^\s*(?:(?P<dotted>\d+(?:[.．]\d+)+)[.、．]?|(?P<cn>{CN})[、.．]|[（(](?P<paren_cn>{CN})[）)]|(?P<arabic>\d+)(?:[.、．](?!\d)|\s)|[（(](?P<paren_arabic>\d+)[）)]|{prefix}(?P<chapter_word>{CN})(?:{chapter})|{prefix}(?P<section_word>{CN})(?:{section}))[\s、：:]*",
    "draft.sentence": "[。；;！!？?]",
    "outline.typed_heading": r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+(?:\.\d+)*[.、．]?)\s*",
    "outline.sub_heading": r"^\s*((?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\s*[^。；：:，,]{1,30})\s*$",
    "outline.section_suggestion": "是否应为“{id}”？",
    "outline.strip_typed_heading": "。：:",
}

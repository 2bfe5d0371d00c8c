"""The user-facing words of docgen.narrative: messages and labels its code formats."""

from __future__ import annotations

NARRATIVE_TEXT: dict[str, str] = {
    "company_names.name_chars": r"[\u4e00-\u9fff（）()]",
    "company_names.leading_parens": "（(",
    "consistency.gap": r"[^0-9０-９。；，,、\n]{0,10}?",
    "consistency.sentence": r"[^。；;！？\n]+",
    "consistency.year": r"(?<!\d)(19|20)\d{2}(?=年)",
    "consistency.cell_year": r"^((?:19|20)\d{2})(?:年度?|年末)?$",
    "consistency.table_mention_with_year": "{report_year}年{named_by}：{cell}",
    "consistency.table_mention": "{named_by}：{cell}",
    "draft.heading_number": r"^\s*(?:(?P<dotted>\d+(?:[.．]\d+)+)[.、．]?|(?P<cn>{CN})[、.．]|[（(](?P<paren_cn>{CN})[）)]|(?P<arabic>\d+)(?:[.、．](?!\d)|\s)|[（(](?P<paren_arabic>\d+)[）)]|{prefix}(?P<chapter_word>{CN})(?:{chapter})|{prefix}(?P<section_word>{CN})(?:{section}))[\s、：:]*",
    "draft.sentence_end": "[。；;！!？?]",
    "outline.typed_heading": r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+(?:\.\d+)*[.、．]?)\s*",
    "outline.sub_heading": r"^\s*((?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\s*[^。；：:，,]{1,30})\s*$",
    "outline.section_suggestion": "是否应为“{id}”？",
    "outline.heading_trailing_marks": "。：:",
}

# hedging words before / after a number in narrative text («约500万元», «500余万元»)
APPROX_BEFORE = ("约", "近", "超过", "逾", "将近", "累计")
APPROX_AFTER = ("余", "多", "以上", "左右")

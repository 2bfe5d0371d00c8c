"""The user-facing words of docgen.answers: messages and labels its code formats."""

from __future__ import annotations

ANSWERS_TEXT: dict[str, str] = {
    "context.suggest": "是否应为“{value0}”？",
    "context.suggest_2": "请检查拼写",
    "narrative.draft_keys": "文件",
    "narrative.draft_name": "正文",
    "read.top_aliases": "评价办法",
    "read.top_aliases_2": "企业信息",
    "read.top_aliases_3": "数据",
    "read.top_aliases_4": "条目",
    "read.top_aliases_5": "评级",
    "read.top_aliases_6": "正文",
    "read.top_aliases_7": "证明材料",
}

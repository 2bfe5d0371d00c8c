"""The user-facing words of docgen.answers: messages and labels its code formats."""

from __future__ import annotations

ANSWERS_TEXT: dict[str, str] = {
    "context.did_you_mean": "是否应为“{candidate}”？",
    "context.check_spelling": "请检查拼写",
    "narrative.file_alias": "文件",
    "narrative.section_alias": "正文",
}

# the Chinese names the top-level sections of answers.yaml may be written under
SECTION_ALIASES = {
    "评价办法": "program",
    "企业信息": "profile",
    "数据": "data",
    "条目": "items",
    "评级": "ratings",
    "正文": "narrative",
    "证明材料": "evidence",
}

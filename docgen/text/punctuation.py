"""The Chinese punctuation the code joins and splits text with (names, not literals, in the code)."""

from __future__ import annotations

ENUM_COMMA = "、"
SEMICOLON = "；"
COMMA = "，"
OPEN_PAREN = "（"
FULLWIDTH_DOT = "．"
FULL_STOP = "。"
IDEOGRAPHIC_SPACE = "　"

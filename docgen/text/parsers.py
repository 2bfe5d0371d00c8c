"""The parsers' own problem texts (PyYAML, the json module) said in Chinese."""

from __future__ import annotations

YAML_PROBLEMS = {  # the C loader's and the pure-Python loader's wording (matched as substrings)
    "cannot start any token": "出现了不能用在此处的字符（常见原因：用 Tab 缩进，请改用空格；或值以 @、` 开头却未加引号）",
    "mapping values are not allowed": "此处不能出现“: ”（常见原因：值里含冒号却未加引号，或缩进不对）",
    "could not find expected ':'": "缺少冒号“:”（键和值之间要有“: ”）",
    "did not find expected key": "缩进不一致，或缺少键",
    "expected <block end>": "缩进不一致",
    "expected ',' or ']'": "方括号列表 [...] 未闭合，或缺少逗号",
    "expected ',' or '}'": "花括号 {...} 未闭合，或缺少逗号",
    "did not find expected node content": "此处缺少内容（常见原因：多余的逗号或冒号）",
    "expected the node content": "此处缺少内容（常见原因：多余的逗号或冒号）",
    "found unexpected end of stream": "文件在引号或括号闭合之前结束",
    "found undefined alias": "引用了未定义的锚点（*名称）",
    "tab character": "用了 Tab 缩进，请改用空格",
    "characters are not allowed": "文件含有不允许的控制字符（如 NUL）",
    "exceeded maximum nesting depth": "嵌套层级过深",
}


UNKNOWN_PROBLEM = "无法识别此处的写法（解析器原文：{problem}）"
"""A parser's problem text that has no Chinese wording yet: said in Chinese, its original kept."""

JSON_PROBLEMS = {  # the json module's wording (matched as prefixes)
    "Expecting value": "此处缺少值（常见原因：多余的逗号，或值未加引号）",
    "Expecting property name enclosed in double quotes": "键须用英文双引号括起（或有多余的逗号）",
    "Expecting ',' delimiter": "缺少逗号“,”",
    "Expecting ':' delimiter": "缺少冒号“:”",
    "Unterminated string starting at": "字符串的引号未闭合",
    "Invalid control character at": "字符串中含有控制字符（如换行），请改用转义写法 \\n",
    "Invalid \\escape": "无效的反斜杠转义",
    "Invalid \\uXXXX escape": "无效的 \\uXXXX 转义",
    "Extra data": "JSON 对象结束后还有多余内容",
}
JSON_NOT_FINITE = "「{value}」不是 JSON 数值：JSON 只允许有限的数"


def yaml_problem(problem: str) -> str:
    """Returns PyYAML's problem text in Chinese (an unknown one said so, its original kept)."""
    text = problem.strip()
    if text in YAML_PROBLEMS:
        return YAML_PROBLEMS[text]
    for known, chinese in YAML_PROBLEMS.items():
        if known in text:
            return chinese
    return UNKNOWN_PROBLEM.format(problem=text[:200])


def json_problem(problem: str) -> str:
    """Returns the json module's problem text in Chinese (an unknown one said so)."""
    for known, chinese in JSON_PROBLEMS.items():
        if problem.startswith(known):
            return chinese
    return UNKNOWN_PROBLEM.format(problem=problem[:200])

"""The user-facing words of docgen.rules: messages and labels its code formats."""

from __future__ import annotations

RULES_TEXT: dict[str, str] = {
    "params.need": "缺少参数 {name}",
    "params.only": "未知参数 {name}（可用：{value1}）",
    "params.need_2": "参数 {name} 应为数值或 {{tier, column}}",
    "combine.check_params": "参数 options 应为至少两项的列表",
    "combine.check_params_2": "参数 cap 应为数值",
    "items.check_params": "参数 by 应为一到两个字段名的列表",
    "items.check_params_2": "参数 points 应为映射",
    "items.check_params_3": "参数 terms 应为非空列表",
    "items.check_params_4": "缺少参数 {name}",
    "items.check_params_5": "参数 window 应为 {field: 日期字段, years: 年数}（years 可省略）",
    "items.check_params_6": "terms[{index}] 应为 {{field, points}}",
    "items.evaluate": "项",
    "items.check_params_7": "参数 window.years 应为正整数",
    "items.check_params_8": "参数 term 只能引用 by 中的字段（{value0}）",
    "qualitative.check_params": "缺少参数 key",
    "qualitative.check_params_2": "参数 points 应为 {评价词: 分值}",
    "qualitative.check_params_3": "参数 op 应为 >=、>、<=、<",
    "relative.check_params": "满分要求 full 应大于基本要求 basic",
    "steps.check_params": "参数 step 应为正数",
    "steps.check_params_2": "参数 steps 应为非空列表",
    "steps.check_params_3": "steps[{index}] 应为 {{min, points}}",
}

"""The user-facing words of docgen.rules: messages and labels its code formats."""

from __future__ import annotations

RULES_TEXT: dict[str, str] = {
    "params.missing": "缺少参数 {name}",
    "params.unknown": "未知参数 {name}（可用：{allowed}）",
    "params.not_number_or_tier": "参数 {name} 应为数值或 {{tier, column}}",
    "combine.options_too_few": "参数 options 应为至少两项的列表",
    "combine.cap_not_number": "参数 cap 应为数值",
    "items.by_not_fields": "参数 by 应为一到两个字段名的列表",
    "items.points_not_mapping": "参数 points 应为映射",
    "items.terms_empty": "参数 terms 应为非空列表",
    "items.missing_param": "缺少参数 {name}",
    "items.window_not_mapping": "参数 window 应为 {field: 日期字段, years: 年数}（years 可省略）",
    "items.term_not_mapping": "terms[{index}] 应为 {{field, points}}",
    "items.default_measure": "项",
    "items.window_years_not_positive": "参数 window.years 应为正整数",
    "items.term_outside_by": "参数 term 只能引用 by 中的字段（{fields}）",
    "qualitative.missing_key": "缺少参数 key",
    "qualitative.points_not_mapping": "参数 points 应为 {评价词: 分值}",
    "qualitative.unknown_op": "参数 op 应为 >=、>、<=、<",
    "relative.full_not_above_basic": "满分要求 full 应大于基本要求 basic",
    "steps.step_not_positive": "参数 step 应为正数",
    "steps.steps_empty": "参数 steps 应为非空列表",
    "steps.step_not_mapping": "steps[{index}] 应为 {{min, points}}",
}

"""The user-facing words of docgen.word: messages and labels its code formats."""

from __future__ import annotations

WORD_TEXT: dict[str, str] = {
    "layout.opening": "（《「『“‘〔【",
    "layout.closing": "）》」』”’〕】，。、；：？！%",
    "layout.pauses": "、，；：。",
    "layout.joins": "的和及与",  # a short label (a 类别) may also end a line after these
    "layout.group": "（[^（）]{1,8}）",
    "render.template_syntax_error": "模板 {name} 有语法错误：{exc}",
    "render.template_unusable": "无法使用模板 {name}：{exc}",
    "render.undefined_variables": "模板 {name} 使用了未定义的变量：{names}",
    "render.template_unsafe": "模板 {name} 试图访问不安全的内容，已拒绝：{exc}",
    "render.template_failed": "模板 {name} 渲染失败：{exc}",
    "render.variables_hint": "可用变量见 docs/templates.md",
    "xml.list_number": "（{n}）",
}

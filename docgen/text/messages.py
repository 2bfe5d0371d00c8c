"""Diagnostic code → Chinese message template and default severity.

This is the only Python module with Chinese user-facing text; everything else passes codes and
parameters. ``diagnostic()`` renders a template into a ``Diagnostic``.
"""

from __future__ import annotations

from docgen.diagnostics import Diagnostic, Location, Severity

E, W = Severity.ERROR, Severity.WARNING

# code: (severity, message template, hint or None)
MESSAGES: dict[str, tuple[Severity, str, str | None]] = {
    # -- files and syntax --
    "file.not_found": (E, "找不到文件 {name}", "请检查路径是否正确"),
    "file.too_large": (E, "文件 {name} 过大（{size} 字节，上限 {limit} 字节）", None),
    "file.encoding": (E, "文件 {name} 不是 UTF-8 编码，无法读取", "请用 UTF-8 编码另存该文件"),
    "file.encoding_guessed": (W, "文件 {name} 不是 UTF-8 编码，已按 {encoding} 读取", "建议另存为 UTF-8"),
    "yaml.syntax": (E, "YAML 语法错误：{problem}", "请检查缩进、冒号和引号"),
    "json.syntax": (E, "JSON 语法错误：{problem}", None),
    "yaml.duplicate_key": (E, "键“{key}”重复出现（第一次在第 {first_line} 行）", "同一层级的键只能出现一次"),
    "yaml.too_deep": (E, "嵌套层级过深（超过 {limit} 层）", None),
    "yaml.too_many_nodes": (
        E,
        "内容过多或别名（alias）展开过多（超过 {limit} 个节点）",
        "不要使用 YAML 别名",
    ),
    "yaml.unsupported": (E, "不支持的 YAML 内容：{problem}", None),
    "yaml.tag": (
        E,
        "不支持的 YAML 标签 {tag}，该值未被读取",
        "删除标签直接填写值；要作为文字，请加引号",
    ),
    "yaml.tag_value": (E, "值“{value}”不能按标签 {tag} 读取", "删除标签，或改正该值"),
    "yaml.invalid_character": (
        W,
        "文字中有 Word 文档无法容纳的字符 {chars}，已删除",
        "常见原因是从其他软件复制粘贴了不可见的控制字符；请检查此处的文字",
    ),
    "answers.not_mapping": (E, "答卷文件的顶层必须是键值对（mapping）", None),
    # -- definitions (authored by us; always strict) --
    "definition.invalid": (E, "定义文件错误：{problem}", None),
    "definition.unknown_key": (E, "定义文件中有未知的键“{key}”", "可用的键：{allowed}"),
    "definition.missing_key": (E, "定义文件缺少必需的键“{key}”", None),
    "definition.weights": (E, "{what}的权重合计为 {actual}，与声明的 {declared} 不符", "请核对转录的权重"),
    "definition.unknown_rule": (E, "未知的计分规则类型“{name}”", "可用的规则：{allowed}"),
    "definition.unknown_field": (E, "引用了未定义的数据项“{key}”", None),
    "definition.duplicate_id": (E, "标识“{id}”重复", None),
    "definition.not_bool": (E, "{key} 应为 true 或 false", None),
    "definition.not_text": (E, "{key} 应为非空文字", None),
    "definition.unknown_type": (E, "未知的字段类型“{type}”", "可用的类型：{allowed}"),
    "definition.aliases_are_labels": (
        E,
        "其他标签应写在“label_aliases”下（列表），不再写作“aliases”",
        "“aliases”只表示取值别名（映射：别名 → 选项）",
    ),
    "definition.value_aliases": (E, "“aliases”是取值别名，应为映射（别名: 选项）", None),
    "definition.choice_key": (
        E,
        "类型为 {type} 的字段不使用“{key}”",
        "只有 choice 类型的字段有 choices 与 aliases",
    ),
    "definition.alias_target": (E, "别名“{alias}”指向的“{target}”不是可选值", "可选值：{allowed}"),
    "definition.unknown_outline": (E, "未定义的提纲“{name}”", None),
    "definition.attachment_key_unused": (E, "part 为 {part} 的附件不使用“{key}”", None),
    "definition.column_format": (
        E,
        "指标表的列“{entry}”应写作“列键 标题 宽度”",
        "三项以空格分隔，如“group1 一级指标 18”",
    ),
    "definition.summary_column_format": (
        E,
        "汇总表的列“{entry}”应写作“标题 宽度”",
        "两项以空格分隔，如“企业名称 48”",
    ),
    "definition.column_title_space": (E, "表格列“{entry}”的标题含有空格", "各项以空格分隔，标题中不能有空格"),
    "definition.column_width": (E, "表格列“{entry}”的宽度“{width}”应为正数（毫米）", None),
    "definition.unknown_column": (E, "未知的指标表列“{key}”", "可用的列：{allowed}"),
    "definition.unknown_sentinel": (E, "未知的占位段落“{name}”", "可用的占位：{allowed}"),
    "definition.sentinel_part": (E, "占位“{name}”不能用于 part 为 {part} 的附件", None),
    "definition.sentinel_coefficients": (E, "占位“{name}”需要项目定义引用系数表（coefficients）", None),
    "definition.sentinel_heading": (E, "标题“{name}”不是可用的占位", "以 @ 开头的标题只能是 {table}"),
    "definition.sentinel_heading_paragraphs": (
        E,
        "标题为 {table} 的一节只打印表格，paragraphs 应为空",
        "说明文字请另起一节",
    ),
    # -- answers: structure --
    "answers.unknown_key": (W, "未知的键“{key}”，不会被读取", "{suggestion}"),
    "answers.unknown_document": (
        W,
        "证明材料“{key}”不在本办法的材料清单中，将列入“其他材料”，不用于计分",
        "{suggestion}",
    ),
    "answers.empty": (
        E,
        "答卷文件是空的（没有任何内容）",
        "用 docgen init <评价办法> <文件夹> 生成带说明的答卷模板",
    ),
    "answers.ambiguous_label": (E, "中文名称“{key}”对应多个数据项：{candidates}", "请改用英文键名"),
    "answers.program_missing": (
        E,
        "未指定评价办法（program）",
        "在答卷中写 program: <编号>，或使用 --program",
    ),
    "answers.program_unknown": (E, "未知的评价办法“{program}”", "可用的办法：{allowed}"),
    "answers.program_mismatch": (
        W,
        "答卷中的评价办法为“{declared}”，命令行指定为“{given}”，按命令行计算",
        None,
    ),
    "answers.wrong_type": (E, "“{label}”应为{expected}，实际为“{value}”", None),
    "answers.bool_as_text": (
        E,
        "“{label}”应为文本，但 YAML 把未加引号的 yes/no/on/off/true/false 读作了是/否",
        '请给该值加引号，例如 "no"',
    ),
    "answers.required": (E, "缺少必填项“{label}”（{key}）", None),
    "answers.expected": (W, "未填写“{label}”（{key}）：申报材料的封面和表格都要填写它", None),
    "answers.credit_code_length": (E, "“{label}”应为 18 位（填写的是“{value}”，{count} 位）", None),
    "answers.credit_code_character": (
        E,
        "“{label}”“{value}”含有不允许的字符（只用数字和除 I、O、S、V、Z 外的大写字母）",
        None,
    ),
    "answers.credit_code_organisation": (
        E,
        "“{label}”“{value}”第 9～17 位的组织机构代码校验码不对（GB 11714），请核对营业执照",
        None,
    ),
    "answers.credit_code_check": (
        E,
        "“{label}”“{value}”的校验码（第 18 位）不对（GB 32100），请核对营业执照",
        None,
    ),
    "answers.missing_figure": (
        E,
        "缺少计分所需的数据“{label}”（{key}）",
        "请在 data 中填写，或在 items 中逐项列出",
    ),
    "answers.negative": (E, "“{label}”不能为负数（填写的是 {value}）", None),
    "answers.not_integer": (E, "“{label}”应为整数（填写的是 {value}）", None),
    "answers.not_half": (E, "“{label}”的最小统计单位为 0.5{unit}（填写的是 {value}）", None),
    "answers.number_text": (W, "“{label}”写成了文本“{value}”，已按 {read} 读取", "请直接填写数字"),
    "answers.not_a_number": (
        E,
        "“{label}”应为数字，填写的是“{value}”",
        "只填数字，单位按表中的“{unit}”，不要带“万”“元”“%”或其他文字",
    ),
    "answers.not_finite": (E, "“{label}”不是有效的数值（{value}）", None),
    "answers.number_out_of_range": (
        E,
        "“{label}”的数值“{value}”超出可读取的范围（最多 {limit} 个字符，绝对值在 10 的 ±{exponent} 次方以内）",
        "请填写实际数值，单位按表中的“{unit}”",
    ),
    "answers.too_large": (E, "“{label}”的数值 {value} 超出合理范围", None),
    "answers.part_exceeds_whole": (E, "“{part_label}”（{part}）不能大于“{whole_label}”（{whole}）", None),
    "answers.implausible": (
        W,
        "“{part_label}”（{part}）大于“{whole_label}”（{whole}），这很少见",
        "请核对这两个数据及其单位（万元）",
    ),
    "answers.zero_denominator": (
        W,
        "“{label}”为 {value}（不大于 0），以其为分母的比值无法计算，相关指标按 0 分计",
        None,
    ),
    "answers.fallback_used": (
        W,
        "未填写“{label}”，按“{fallback}”{value} 计算",
        "如有产品销售收入，请单独填写",
    ),
    "answers.missing_rating": (E, "缺少自评等级“{label}”（ratings.{key}）", "可选：{allowed}"),
    "answers.industry_code": (
        E,
        "统计行业代码应为两位数字（GB/T 4754 大类），填写的是“{value}”",
        '例如专用设备制造业填写 "35"',
    ),
    "answers.industry_code_unquoted": (
        E,
        "统计行业代码应为两位数字，填写的 {value} 未加引号，开头的 0 会丢失",
        '请加引号填写，例如 "0{value}"',
    ),
    "answers.industry_fallback": (W, "行业代码“{industry}”不在行业系数表中，按“其他”行业的系数计算", None),
    "answers.year": (E, "报告年度“{value}”不是有效年份", None),
    "answers.date": (E, "“{label}”应为日期（如 2022-03-01），填写的是“{value}”", None),
    "answers.choice": (E, "“{label}”的取值“{value}”无效", "可选：{allowed}"),
    "answers.item_not_mapping": (E, "{kind}的每一项应为键值对", None),
    "answers.items_not_list": (E, "items.{kind} 应为列表", None),
    "answers.two_files": (
        E,
        "文件夹中同时有 {used} 和 {other}，只能有一份答卷",
        "删除或改名其中一个，避免两份答卷内容不一致",
    ),
    "answers.outside": (
        E,
        "答卷文件 {name} 指向提交文件夹之外，未读取",
        "答卷文件必须放在提交文件夹内，不能是指向别处的链接",
    ),
    "answers.evidence_count": (
        E,
        "“{title}”第 {number} 份材料的数量（count）应为不小于 0 的数字（单位：{unit}），填写的是“{value}”",
        None,
    ),
    "answers.duplicate_item": (
        W,
        "{kind}“{name}”重复列出（第 {first} 项和第 {second} 项），只计一次",
        "删除重复的一项",
    ),
    "answers.evidence_count_several": (
        E,
        "“{title}”同时证明{labels}，不能用一个数量（count）表示",
        "只写文件路径即可：材料齐全时这些数据按填报数认定",
    ),
    "answers.figure_twice": (
        E,
        "“{label}”填写了两次：“{first}”和“{second}”",
        "只保留一处（英文键或表中标签均可）",
    ),
    "answers.section_twice": (
        E,
        "“{label}”部分写了两次：“{first}”（第 {first_line} 行）和“{second}”（第 {second_line} 行），只读取了第一处",
        "英文键和中文名只用其一，把内容合并到一处",
    ),
    "answers.field_twice": (
        E,
        "“{label}”填写了两次：“{first}”（第 {first_line} 行）和“{second}”（第 {second_line} 行）",
        "只保留一处（英文键或中文名均可）",
    ),
    "answers.line_break": (W, "“{label}”应为一行文字，其中的换行已替换为空格", None),
    "answers.backslash_path": (
        W,
        "文件路径“{value}”用反斜杠“\\”分隔，已按“{read}”读取",
        "路径中的文件夹请用“/”分隔，例如 evidence/承诺书.pdf",
    ),
    "answers.derived_mismatch": (
        E,
        "“{label}”填写为 {given}，但按 items.{kind} 逐项统计为 {derived}，两者不一致",
        "删除 data 中的该项或修正逐项列表",
    ),
    "answers.unitemised": (
        W,
        "只填写了总数 {given}（{label}），但“{indicator}”按每一项的{fields}计分，无法计分，按 0 分计",
        "请在 items.{kind} 中逐项列出（{fields}、证明材料）",
    ),
    "answers.item_outside_window": (
        W,
        "{kind}“{name}”（{year}年）不在统计期{period}内，不计入“{label}”",
        None,
    ),
    "answers.item_after_report_year": (
        W,
        "{kind}“{name}”（{year}年）晚于报告年度 {last} 年，不计入“{label}”",
        "报告年度的数据只计截至该年年底的项目",
    ),
    "answers.item_undated": (
        W,
        "{kind}“{name}”未填写{field}，无法判断是否在统计期内，不计入“{label}”",
        "请填写{field}",
    ),
    "answers.item_expired": (W, "{kind}“{name}”有效期至 {until}，报告年度末已失效，不计入“{label}”", None),
    "answers.evidence_list": (E, "证明材料“{key}”应为文件路径或 {{file, count}} 列表", None),
    # -- narrative --
    "narrative.missing": (E, "缺少提纲要求的章节 {id}“{title}”", '在 narrative 下添加 "{id}": | 及正文'),
    "narrative.empty": (E, "章节 {id}“{title}”内容为空", None),
    "narrative.unknown_section": (
        W,
        "章节 {id} 不在提纲“{outline}”中，报告中不会出现",
        "{suggestion}提纲章节：{allowed}",
    ),
    "narrative.too_short": (W, "章节 {id}“{title}”仅 {chars} 字，少于建议的 {min} 字", None),
    "narrative.point_missing": (W, "章节 {id}“{title}”未涉及提纲要求的要点“{point}”", None),
    "narrative.not_text": (E, "章节 {id} 的内容应为文本", None),
    "narrative.plain_layout": (
        W,
        "章节 {id}“{title}”{reason}，报告中按纯文本排版（不解析 Markdown 格式）",
        "请删减内容或简化格式",
    ),
    "narrative.contradiction": (
        W,
        "章节 {id} 写的“{written}”与数据表不一致：“{label}”为 {value}{unit}",
        "请核对正文或 data.{key}",
    ),
    "narrative.other_company": (
        W,
        "章节 {id}“{title}”介绍申报企业，但写出的第一个企业名称是“{name}”，不是申报企业“{company}”",
        "请核对是否沿用了其他企业的材料，或 profile.company_name 是否有误；"
        "如先写的是母公司、下属企业或客户，请在它之前写出本企业全称",
    ),
    # -- evidence --
    "evidence.missing_file": (W, "证明材料文件不存在：{name}", None),
    "evidence.outside": (
        E,
        "证明材料路径“{name}”指向提交文件夹之外",
        "证明材料必须放在提交文件夹内，使用相对路径",
    ),
    "evidence.unreadable": (W, "证明材料无法读取：{name}（{problem}）", None),
    "evidence.encrypted": (W, "证明材料已加密：{name}", "请提供未加密的文件"),
    "evidence.required_missing": (W, "缺少必需的证明材料“{title}”（evidence.{key}）", None),
    "evidence.no_proof": (
        W,
        "{kind}“{name}”未提供证明材料（{title}），不计入核定分",
        "在该项下填写 evidence: 文件路径",
    ),
    "evidence.id_not_found": (
        W,
        "{kind}“{name}”的证明材料 {file_name} 中找不到该{what}，不计入核定分",
        "请核对{what}，或换成载明该{what}的材料",
    ),
    "evidence.no_text": (
        W,
        "证明材料 {name} 没有文字层（扫描件），无法核对其中的编号",
        "如有电子版，请提供可检索文字的 PDF",
    ),
    # -- json-contract: what `docgen init` wrote into a narrative section, left there --
    "narrative.placeholder": (
        E,
        "章节 {id} 仍是 docgen init 写入的提示文字“{written}”，提示文字不是正文",
        "请删去这段提示，写入本节正文",
    ),
    # xlsx: answers.xlsx read as an answers file
    "xlsx.unreadable": (
        E,
        "{name} 不是可以读取的 Excel 工作簿（.xlsx）：{problem}",
        "请在 Excel、WPS 或 LibreOffice 中打开后另存为“Excel 工作簿（*.xlsx）”",
    ),
    "xlsx.too_large": (E, "工作簿 {name} 解压后过大（{part} 超过 {limit} 字节），未读取", None),
    "xlsx.formula": (
        E,
        "单元格是公式“{formula}”，但工作簿中没有保存它的计算结果",
        "请在 Excel 或 WPS 中打开并保存一次，或直接填写数值",
    ),
    "xlsx.too_many_rows": (E, "工作表“{sheet}”超过 {limit} 行，之后的行未读取", "请删去多余的行"),
    "xlsx.no_sheets": (
        E,
        "工作簿中没有答卷的工作表（{sheets}）",
        "请用 docgen init 评价办法 文件夹 --xlsx 生成的工作簿填写",
    ),
    "xlsx.duplicate_key": (
        E,
        "“{key}”重复填写（第一次在 {first}）",
        "同一项只能填写一次，请删去重复的行",
    ),
    # -- word-draft: the narrative read from a Word draft (narrative: {file: 申请报告草稿.docx}) --
    "narrative.draft_file": (E, "narrative 的 file 应为 Word 文档的路径，如 申请报告草稿.docx", None),
    "narrative.draft_unreadable": (
        E,
        "正文草稿“{name}”无法读取：{problem}",
        "请提供提交文件夹内的 Word 文档（.docx；.doc 或 .wps 文件请在 Word 或 WPS 中另存为 .docx）",
    ),
    "narrative.draft_no_headings": (
        E,
        "正文草稿“{name}”中没有找到提纲章节的标题",
        "请用标题样式（标题 1、标题 2）或按提纲编号（一、（一））写出各章、节的标题",
    ),
    "narrative.draft_unmatched": (
        W,
        "草稿第 {paragraph} 段的标题“{written}”对应不上提纲“{outline}”的章节，其下内容不会出现在报告中",
        "{suggestion}提纲章节：{allowed}",
    ),
    "narrative.draft_title_differs": (
        W,
        "草稿第 {paragraph} 段的标题“{written}”按编号归入章节 {id}“{title}”，但标题与提纲不同",
        "请核对编号和标题",
    ),
    "narrative.draft_missing": (
        E,
        "草稿中没有提纲要求的章节 {id}“{title}”",
        "请在草稿{where}添加标题“{title}”（用标题样式，或按提纲编号）及正文",
    ),
    "narrative.draft_twice": (
        W,
        "草稿第 {paragraph} 段再次出现章节 {id}“{title}”的标题（第一次在第 {first} 段），两处正文都归入该章节",
        None,
    ),
    "narrative.draft_outside": (
        W,
        "草稿第 {paragraph} 段“{value}”不在任何章节的标题之下，报告中不会出现",
        "请把它移到相应章节的标题之下，或删去",
    ),
    "narrative.draft_and_text": (
        W,
        "章节 {id} 既在 narrative 下填写，又在草稿“{name}”第 {paragraph} 段起写有正文，报告采用 narrative 下填写的",
        None,
    ),
}


def diagnostic(
    code: str,
    *,
    file: str | None = None,
    line: int | None = None,
    column: int | None = None,
    path: tuple[str | int, ...] = (),
    severity: Severity | None = None,
    paragraph: int | None = None,
    **params: object,
) -> Diagnostic:
    """Returns a Diagnostic for ``code`` with its Chinese message rendered from ``params``.

    Raises:
        KeyError: ``code`` has no message (a programming error, caught by tests).
    """
    default, template, hint = MESSAGES[code]
    if file is not None and line is None and paragraph is None:
        line = 1  # a finding about the file as a whole (encoding, size, a key it lacks)
    params = {k: _shorten(v) if k in USER_PARAMS else v for k, v in params.items()}
    message = template.format(paragraph=paragraph, **params)
    hint_text = hint.format(paragraph=paragraph, **params) if hint else None
    return Diagnostic(
        code=code,
        severity=severity or default,
        message=message,
        location=Location(file=file, line=line, column=column, key_path=path, paragraph=paragraph),
        hint=hint_text or None,
    )


MAX_SHOWN = 80
"""The most characters of a value the user wrote that a message repeats (a 5,000-digit number
or a pasted page is shown by its start and end)."""

USER_PARAMS = frozenset({"value", "key", "name", "first", "second", "written", "company", "read", "id"})
"""The message parameters that carry text the user wrote."""


def _shorten(value: object) -> object:
    """Returns ``value``, or its text shortened to about ``MAX_SHOWN`` characters when longer."""
    text = value if isinstance(value, str) else str(value)  # as str.format shows it
    if len(text) <= MAX_SHOWN:
        return value
    return f"{text[: MAX_SHOWN - 20]}……{text[-10:]}（共 {len(text)} 个字符）"


TYPE_NAMES = {
    "amount": "数值",
    "count": "整数",
    "half": "数值（0.5 的整数倍）",
    "year": "年份",
    "date": "日期",
    "text": "文本",
    "bool": "是/否（true/false）",
    "number": "数值",
    "list": "列表",
    "mapping": "键值对",
}


# PyYAML's problem texts, as a user reads them (the original is kept when none matches)
# xlsx: hints of a finding in answers.xlsx where the YAML hint speaks of keys and indentation
WORKBOOK_HINTS = {
    "answers.missing_figure": "请在该单元格填写数值；由条目统计的数，请在对应的条目表中逐项填写",
    "answers.derived_mismatch": "清空该单元格，或修正条目表中的逐项列表",
    "answers.bool_as_text": "该单元格是逻辑值 TRUE/FALSE，请改为文字",
    "answers.industry_code_unquoted": "请把该单元格设为文本格式后填写，例如 07",
    "narrative.missing": "请在“正文”表该节的“正文”单元格中填写",
    "evidence.no_proof": "请在该行的“证明材料”列填写文件路径",
}

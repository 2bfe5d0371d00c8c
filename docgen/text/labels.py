"""The words of documents and views: labels, explanations of the arithmetic, statuses, document text."""

from __future__ import annotations

LABELS = {
    "reference_total": "参考分",
    "total": "自评分",
    "eligible": "符合",
    "ineligible": "不符合",
}


# -- explanations: the arithmetic of every scored line (see docgen.scoring / docgen.rules) --
# Written as a reviewer's 计分过程: values with their units, intervals as «X万元（含）至Y万元»,
# counts with their measure word, caps as «累计不超过5分，计5分». Mainland typesetting: no space
# between a number and the Chinese word or unit next to it, one space either side of an operator
# in a formula (× ÷ = + −); item names in “”.
EXPLAIN = {
    "value.field": "{label}{value}{unit}",
    "value.who": "（{names}）",
    "value.who_more": "（{names}等{count}{counter}）",
    "value.term": "{label}{value}{unit}",
    "value.sum": "{terms} = {value}{unit}",
    "value.ratio": "{num_label}{num}{num_unit} ÷ {den_label}{den}{den_unit} = {value}{unit}",
    "value.percent": "{num_label}{num}{num_unit} ÷ {den_label}{den}{den_unit} = {value}%",
    "value.undefined": "{den_label}为{den}{den_unit}，比值无法计算",
    "value.missing": "未填报“{label}”",
    "value.no_score": "不得分",
    "coefficient": "{value}，乘以行业系数{coefficient}，评价值为{evaluated}{unit}",
    "sixty_forty.term": "满分要求",
    "cohort.term": "满分值",
    "sixty_forty.full": "达到{term}{full}{unit}，得满分{weight}分",
    "sixty_forty.between": "达到基本要求{basic}{unit}、未达到{term}{full}{unit}，得分 = {weight} × [0.6 + 0.4 × ({x} − {basic}) ÷ ({full} − {basic})] = {score}分",
    "sixty_forty.below": "未达到基本要求{basic}{unit}，得分 = {weight} × 0.6 × {x} ÷ {basic} = {score}分",
    "sixty_forty.zero": "评价值不大于0，不得分",
    "sixty_forty.undefined": "不得分",
    "cohort.full_le_basic": "达到基本要求{basic}{unit}；同批参评企业最高评价值{full}{unit}不高于基本要求，得满分{weight}分",
    "cohort.cohort": "（满分值为同批参评企业最高评价值{full}{unit}）",
    "per_unit_above.none": "未超过基本要求（{threshold}{unit}），不加分",
    "per_unit_above.some": "超过基本要求（{threshold}{unit}）{excess}{measure}，每超过{step}{measure}加{points}分",
    "per_unit_above.floored": "超过基本要求（{threshold}{unit}）{excess}{measure}，按{counted}{measure}计，每超过{step}{measure}加{points}分",
    "item_points.none": "无符合条件的{label}，不得分",
    "item_points.unitemised": "未逐项列出{label}，无法逐项计分，不得分",
    "item_points.group": "{term}{count}{counter}（{names}），计{points}分",
    "item_points.group_many": "{term}{count}{counter}（{names}），每{counter}{each}分，计{points}分",
    "item_points.name": "“{name}”",
    "item_points.counter": "项",
    "cap.within": "，计{score}分",
    "cap.over": "，共{raw}分，累计不超过{cap}分，计{score}分",
    "cap.parts_within": "；共计{score}分",
    "cap.parts_over": "；共计{raw}分，累计不超过{cap}分，计{score}分",
    "cap.one_over": "，累计不超过{cap}分，计{score}分",
    "per_unit.none": "不得分",
    "per_unit.some": "每{measure}得{points}分",
    "per_unit.sized": "每满{size}{unit}得{points}分，共{units}个{size}{unit}",
    "per_unit.sized_none": "不足{size}{unit}，不得分",
    "floor_steps.below": "不足{start}{unit}，不得分",
    "floor_steps.some": "达到{start}{unit}得{first}分；超出{start}{unit}的部分为{excess}{measure}，每增加{step}{measure}加{per}分，加{added}分",
    "floor_steps.start": "达到{start}{unit}得{first}分；超出{start}{unit}的部分不足{step}{measure}，不加分",
    "brackets.top": "属{min}{unit}（含）以上档，得{points}分",
    "brackets.between": "属{min}{unit}（含）至{max}{unit}档，得{points}分",
    "brackets.below": "不足{min}{unit}，得{points}分",
    "brackets.below_none": "不足{min}{unit}，不得分",
    "brackets.zero": "不得分",
    "weighted_sum.term": "{label}{value}{unit}，每{measure}{points}分，计{sub}分",
    "weighted_sum.zero": "{label}{value}{unit}",
    "sum_of.join": "。",
    "sum_of.within": "。共计{score}分",
    "sum_of.over": "。共计{raw}分，累计不超过{cap}分，计{score}分",
    "rating": "自评“{word}”，得{points}分",
    "rating.missing": "未填写自评等级，不得分",
    "basic_met.met": "达到基本要求（{op}{bound}{unit}），达标，得{weight}分",
    "basic_met.not_met": "未达到基本要求（{op}{bound}{unit}），未达标，不得分",
    "basic_met.undefined": "无法计算评价结果，未达标，不得分",
    "best_of": "{options}；取其中得分最高的一项，计{score}分",
    "best_of.option": "{title}：{text}",
    "threshold.pass": "{value}{unit}，{op}{bound}{unit}",
    "threshold.fail": "{value}{unit}，{op}{bound}{unit}，相差{gap}{gap_unit}",
    "threshold.missing": "缺少数据，无法判断",
    "tier": "{title}：{band}",
}

# how a comparison reads in words: met («达到200万元») and not met («未达到200万元»)
COMPARISON_WORDS = {
    ">=": ("达到", "未达到"),
    ">": ("超过", "未超过"),
    "<=": ("未超过", "超过"),
    "<": ("低于", "未低于"),
}

# the measure word of an excess or a step: a difference of percentages is in 个百分点
DIFFERENCE_UNITS = {"%": "个百分点"}


OPERATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


STATUS = {
    "ok": "齐全",
    "missing": "缺失",
    "outside": "路径越界",
    "unreadable": "无法读取",
    "encrypted": "已加密",
    "no-text": "无文字层（扫描件）",
    "id-not-found": "未找到所列编号",
    "expired": "已过期",
}


# why an evidence file cannot be used (FileFacts.problem, shown in evidence.unreadable)
PROBLEMS = {
    "bad_path": "路径含有非法字符",
    "too_big": "文件超过 {mb} MB",
    "cannot_open": "无法打开文件",
    "unknown_kind": "不是 PDF、PNG、JPEG 或 DOCX 文件",
    "bad_pdf": "文件已损坏或不是有效的 PDF",
    "pdf_too_large": "PDF 内容解压后过大，无法处理",
    "pdf_unsupported": "PDF 使用了无法解码的压缩方式",
    "no_pages": "PDF 文件没有页面",
    "too_many_pages": "页数超过 {pages}",
    "bad_image": "图片已损坏或不是有效的 PNG/JPEG 图片",
    "image_too_large": "图片像素过多，无法处理",
    "docx_too_large": "内容过大",
    "bad_docx": "不是有效的 DOCX 文件",
}


# why a narrative section is laid out as plain text (docgen.narrative.limits)
MARKDOWN_LIMITS = {
    "length": "共 {count} 字，超过 {limit} 字的上限",
    "paragraphs": "共 {count} 段，超过 {limit} 段的上限",
    "markup": "含 {count} 个 Markdown 标记符号（[ ] < ` * _ \\），超过 {limit} 个的上限",
    "nesting": "列表或引用嵌套 {count} 层，超过 {limit} 层的上限",
}


CHINESE_NUMERALS = "一二三四五六七八九十"


TEXT = {
    "toc_heading": "目录",
    "report_title.application": "{name}申请报告",
    "report_title.summary": "{name}工作总结",
    "report_title.named": "{name}{document}",  # the notice's own name of the document (report_names)
    # the cover's applicant rows; a unit that seals for the applicant (sealed_by: an alliance's
    # 牵头单位) is named after it wherever the applicant signs
    "cover_applicant.application": "申请单位",
    "cover_applicant.summary": "企业名称",
    "cover_sealed": "{label}（盖章）",
    "cover_credit_code": "统一社会信用代码",
    "cover_year": "报 告 年 度",
    "cover_year_value": "{year}年",
    "cover_date": "报 送 日 期",
    "applicant_with_unit": "{name}（{label}：{unit}）",
    "missing_section": "（本节尚未填写。）",
    "sub_row_prefix": "其中：",
    "annex_data": "附表1　评价数据表",
    "annex_score": "附表2　自评得分表",
    "annex_eligibility": "附表3　限定性指标核查",
    "annex_evidence": "附表4　证明材料情况",
    "score_title": "{program}自评得分表",
    "score_summary": "基本分{base}分，加分{bonus}分，{label}{total}分；按证明材料核定的得分（核定分）{evidenced}分。",
    "score_rounding": "各项得分保留两位小数，合计为{printed}分；总分{total}分按未舍入的各项得分相加，两者相差为舍入所致。",
    "reference_label": "总分（参考分）",
    "total_label": "总分",
    "reference_explained": "参考分：单独计算一家企业所得的分数，各指标满分值按本表说明所列数值计；正式得分以同批参评企业整体对比计量结果为准。",
    "eligible": "符合",
    "ineligible": "不符合",
    "eligibility_col_title": "限定性指标",  # 附表3's column titles (the template prints them)
    "eligibility_col_detail": "核查结果",
    "eligibility_col_result": "结论",
    "eligibility_ok": "限定性指标全部达到最低标准。",
    "eligibility_none": "本{document}未设限定性指标。",
    "other_documents_group": "其他材料",
    "weights_max_score": "全部指标",
    "weights_max_bonus": "加分项",
    "rates_unknown": "{program} 没有自评项 {key}（可用：{allowed}）",
    "none_word": "无",
    "status_not_found": "未找到所列{label}",
    "identifier_generic": "编号",
    "threshold_title": "推荐线：初评得分{bound}分（含）以上",
    "threshold_met": "初评得分{value}分，达到推荐线{bound}分。",
    "threshold_missed": "初评得分{value}分，未达到推荐线{bound}分（{detail}）。",
    "points_unit": "分",
    "eligibility_fail": "未达到限定性指标最低标准：{failed}。不具备申报条件。",
    "evidence_summary": "应提供材料{total}项，齐全{ok}项，缺失或无法使用{bad}项。",
    "evidence_none": "所有必需材料均已提供。",
    "me_claimed": "按申报数据计算的{label}为{claimed}分，按证明材料核定的得分为{evidenced}分，相差{diff}分。",
    "me_label": "自评分",
    "me_label_reference": "自评分（参考分）",
    "me_eligibility_same": "核减后限定性指标结论不变（{result}）。",
    "me_eligibility_changed": "核减后限定性指标结论由“{before}”变为“{after}”：{failed}。",
    "me_missing_count": "缺失或无法使用的材料{count}项，其中必需材料{required}项。",
    "me_no_problems": "未发现缺失或无法使用的材料。",
    "me_no_shortfalls": "所有填报数据均有证明材料支持，无核减。",
    "me_title": "证明材料缺失情况报告",
    "me_subtitle": "{company}（{program}，报告年度{year}年）",
    "me_notes_heading": "五、说明",
    "me_unproved": "无证明材料",
    "me_undefined": "无法计算",
    "bundle_missing": "{title}",
    "bundle_missing_mark": "（缺）",
    "bundle_separate": "另附：{title}",
    "bundle_separate_mark": "（另附）",
    "bundle_separate_note": "该材料为 Word 文件，未并入本汇编，请随汇编另附。",
    "bundle_contents": "证明材料目录",
    "bundle_shared": "{identifier}等{count}{counter}",
    "bundle_counter": "项",
    "bundle_title": "{program}申报证明材料",
    "review_ineligible": "不推荐：不符合申报条件（{failed}）",
    "review_below_threshold": "不推荐：核定分 {total} 分，低于推荐线 {threshold} 分",
    "review_over_quota": "不推荐：排名第 {rank}，超出推荐名额 {quota} 个",
    "review_recommended": "推荐（排名第 {rank}）",
    "form_tiered": "分档",
    "form_met": "达标",
    "form_not_met": "未达标",
    "form_total": "基本分 {base} 分，加分 {bonus} 分，合计 {total} 分。",
    "form_sign_off": "填报单位（盖章）：{company}",
    "form_date": "填报日期：　　　　年　　月　　日",
    "form_date_filled": "填报日期：{date}",
    "form_notes": "说明：",
    "form_profile_label": "项目",
    "review_title": "{program}申报企业汇总表",
    "review_order": "排名规则：符合条件的企业按核定分（按证明材料计算）从高到低排列，核定分相同的按{claimed}，再按企业名称排列。",
    "review_rules": "推荐线：{threshold}；推荐名额：{quota}。",
    "review_cohort": "本{kind}按同批参评企业整体对比计量：{claimed}按企业填报的数据、核定分按证明材料核减后的数据计算，各指标均以本批企业的最高评价值为满分值，得分只在本批企业之间可比，与企业单独计算的自评分（参考分）不同。",
    "review_bonus": "{scores}均含加分（加分最高 {bonus} 分），合计最高 {most} 分，可超过 {base} 分。",
    "notes_heading": "说明：",
    "matrix_ok": "齐全",
    "matrix_missing": "缺失",
    "matrix_unusable": "无法使用",
    "matrix_not_applicable": "不适用",
    "review_broken_data": "材料数据有误，未予评审",
    "review_broken_unreadable": "申报材料无法读取，未予评审",
    "review_prepare_failed": "申报材料无法处理（文件夹或其中的文件无法读取或已损坏）",
    "review_problems_more": "等 {count} 项问题",
    "review_shortfalls": "按证明材料核减 {count} 项指标",
    "review_contradictions": "正文与数据表不一致 {count} 处",
    "review_other_company": "正文介绍的企业与申报单位不符",
    "review_needs_documents": "，须补齐必需材料 {count} 项",
    "review_weak_score": "；核定分仅 {total} 分，不足满分 {most} 分的六成，建议核实证明材料后再定",
    "review_not_reviewed": "未评审",
    "review_not_checked": "未核查",
    "industry": "行业代码 {code}：{name}",
    "industry_fallback": "（表中无此代码）",
    "period_year": " {last} 年",
    "period_years": " {first}–{last} 年",
    "evidence_count_unit": "份",
    "item_position": "第{number}项",
    "document_kind_default": "通知",
    "not_a_kind": "{kind} 不是本评价办法的申报类型（{kinds}）",
    # appendices fidelity (#17)
    "me_applicant": "申报单位：{company}",
    "me_sealed": "{label}（盖章）：{unit}",
    "me_program": "申报项目：{program}",
    "me_year": "报告年度：{year}年",
    "me_col_group": "类别",
    "me_col_title": "材料名称",
    "me_col_identifier": "所列编号或名称",
    "me_col_problem": "问题",
    "me_col_pages": "页数",
    "me_col_status": "状态",
    "me_col_indicator": "指标",
    "me_col_claimed": "填报值",
    "me_col_evidenced": "有证明值",
    "me_col_claimed_score": "填报得分",
    "me_col_evidenced_score": "核减后得分",
    "me_col_effect": "影响",
    "me_heading_summary": "一、总体情况",
    "me_heading_problems": "二、缺失或无法使用的材料",
    "me_heading_shortfalls": "三、证明材料不足的指标（核减）",
    "me_heading_documents": "四、材料清单核对",
    "bundle_cover_title": "证明材料汇编",
    "bundle_cover_company": "申报单位（盖章）：{company}",
    "bundle_cover_named": "{label}：{name}",
    "bundle_cover_sealed": "{label}（盖章）：{unit}",
    "bundle_cover_year": "报告年度：{year}年",
    "bundle_stamp": "证明材料汇编　第{number}页",
    "bundle_page_column": "页码",
    "bundle_group_heading": "{number}、{group}",
    "bundle_reason_missing": "（该证明材料未提供）",
    "bundle_reason_unusable": "（所附文件{status}，未能编入）",
    "bundle_reason_unbindable": "（所附文件无法编入本汇编）",
    "me_font_fallback": "生成本报告的计算机未安装中文字体，证明材料汇编的封面、目录、缺失材料页和页码标注使用PDF阅读器内置的宋体（未嵌入文件），在不同计算机上显示的字形可能略有不同。",
    # report fidelity (#17)
    "score_group_weight": "{title}\n（{weight}分）",  # the weight on a line of its own
    "score_col_group1": "一级指标",
    "score_col_group2": "二级指标",
    "score_col_indicator2": "三级指标",
    "score_col_criteria": "评价标准",
    "score_col_basic": "基本要求",
    "score_col_full": "满分值",
    "score_col_unit": "单位",
    "score_col_value": "数据值",
    "score_col_evaluated": "评价值",
    "score_col_met": "达标情况",
    "score_col_weight": "权重",
    "score_col_score": "得分",
    "score_row_base": "基本分",
    "score_row_bonus": "加分",
    "score_row_total": "合计",
    "score_row_reference": "合计（参考分）",
    "score_evidenced": "按证明材料核定的得分（核定分）{evidenced}分。",
    "data_col_no": "序号",
    "data_col_label": "指标名称",
    "process_col_no": "序号",  # the 计分过程 under 附表2
    "process_col_title": "指标",
    "process_col_explanation": "计算过程",
    # json-contract: what `docgen init` writes into a narrative section (its initial content, an
    # error while it is left there) and the guidance it writes in a comment above the section
    "narrative_placeholder": "（在此填写{title}，不少于 {min_chars} 字。）",
    "narrative_guidance": "应包括：{points}",
    # summary fidelity (#17)
    "summary_unit": "填报单位（盖章）：{unit}",
    "summary_contact": "经办人及联系电话：{contact}",
    "summary_date": "填报日期：{date}",
    "summary_blank_unit": "＿＿＿＿＿＿＿＿＿＿",
    "summary_blank_contact": "＿＿＿＿＿＿＿＿",
    "summary_blank_date": "＿＿＿＿年＿＿月＿＿日",
    "summary_date_format": "{year}年{month}月{day}日",
    "review_unranked": "未排名",
    "review_unranked_order": "排名栏填“未排名”的（不符合申报条件或未予评审），列在排名企业之后：不符合申报条件的按核定分从高到低排列，未予评审的按材料文件夹名称排列。",
    "missing_required": "必需材料：{names}",
    "missing_other": "其他材料：{names}",
    "missing_none": "—",
    # appendix-fix2: the missing-evidence report's wording (#17, round 3)
    "me_problems_note": "“缺失”指未提供该项材料。按项计数的指标（如人员、专利、标准），每一项均须提供载明其姓名或编号的证明材料；只填报数量、未逐项提供的，按缺失计。",
    "me_shortfalls_note": "“有证明值”只计有证明材料的数据：“无证明材料”的按0计，“无法计算”指比值的分母无证明材料；核减后得分按有证明值重新计算。各指标所缺材料列在指标名称下。",
    "me_needs": "缺：{titles}",
    "me_rounding": "表中各项影响之和为{printed}分，与总分相差{diff}分略有出入，系各项得分四舍五入所致。",
    "me_closing": "特此报告。",
    "me_rounding_rule": "文中和表中的得分、百分比按四舍五入保留两位小数（数值接近评分界限时，保留到足以判定其在界限哪一侧的位数），相差和影响按所列数值计算。",
    "me_unchanged": "下列指标的数据经核减，但得分不变：{lines}。",
    "me_unchanged_line": "{label}（{claimed}核减为{evidenced}）",
    # report-fix2 (#17): the 推荐线 judges the evidenced score, the claimed one stated beside it
    "threshold_evidenced_met": "自评得分{claimed}分；按证明材料核定的得分{value}分，达到推荐线{bound}分。",
    "evidence_col_group": "类别",
    "evidence_col_title": "材料",
    "evidence_col_pages": "页数",
    "evidence_col_status": "状态",
    "score_option_value": "{title}{value}",
    "threshold_evidenced_missed": "自评得分{claimed}分；按证明材料核定的得分{value}分，未达到推荐线{bound}分（相差{gap}分）。",
    # alliance-outline: a program's own label of a profile field (profile_labels)
    "profile_label_empty": "名称应为非空文字",
    "report_name_kind": "report_names 的键应为 application（申请报告）或 summary（工作总结）",
    # forms-fix2: a filled form's own note, after the attachment's text and titled apart from the
    # notice's «说明：»; the line under a 汇总表 the notice names without a template
    "form_docgen_notes": "附注：",
    "form_reference_score": "本表“得分”栏为按本企业一家数据单独计算的参考分，各指标满分值的取法见申报报告“计分过程”；正式得分以同批参评企业整体对比计量结果为准。",
}


# -- column titles of the 汇总表 and the 完整性核对 matrix; "\n" marks where a title may break --
COLUMN_TITLES = {
    "index": "序号",
    "company": "企业名称",
    "industry": "行业",
    "main_revenue": "主营业务收入\n（万元）",
    "rd_expense": "研发经费\n（万元）",
    "claimed": "自评分",
    "claimed_cohort": "自评分\n（整体对比\n计量）",
    "evidenced": "核定分",
    "eligible": "是否\n符合条件",
    "rank": "排名",
    "missing": "缺失材料",
    "opinion": "推荐意见",
    "remarks": "备注",
    "folder": "材料文件夹",
    "eligibility": "限定性指标",
    "shortfalls": "核减项数",
    # summary fidelity (#17)
    "contact": "联系人及电话",
}


# xlsx: answers.xlsx — the sheets, their column headings and what the fill-in workbook says
WORKBOOK = {
    "profile": "基本信息",
    "data": "评价数据表",
    "ratings": "自评",
    "evidence": "证明材料",
    "narrative": "正文",
    "profile_columns": "项目|填写内容|填写说明",
    "data_columns": "序号|指标名称|单位|数据值|指标解释",
    "ratings_columns": "序号|指标|自评等级|可选等级",
    "evidence_columns": "序号|材料名称|文件（相对本文件夹的路径）|数量",
    "narrative_columns": "节号|标题|正文（Markdown）",
    "item_index": "序号",
    "program_label": "评价办法",
    "required": "必填",
    "yes": "是",
    "no": "否",
    "title": "{program} 答卷 · {sheet}",
    "derived": "由“{sheet}”表逐项统计，无需填写",
    "number_title": "请输入数值",
    "number_prompt": "请输入不小于 0 的数值（单位：{unit}），不要填写单位或百分号",
    "signed_prompt": "请输入数值（单位：{unit}），亏损填负数，不要填写单位",
    "number_error": "此格只能填写不小于 0 的数值",
    "choice_title": "请选择",
    "choice_prompt": "请从下拉列表中选择",
    "choice_error": "请从下拉列表中选择，不要自行输入",
    "rating_prompt": "请选择自评等级",
    "date_prompt": "请填写日期，如 {example}",
    "year_prompt": "请填写四位年份，如 {example}",
    "file_prompt": "证明材料文件的路径，相对本文件夹，如 evidence/证书.pdf",
    "min_chars": "不少于 {count} 字；应包括：{points}",
    "draft_row": "正文草稿（Word 文档）",
    "draft_note": "正文用 Word 写时，在右侧填写草稿的文件名（放在申报文件夹中，如 申请报告草稿.docx），下面各节留空",
    "evidence_required": "必需",
    "evidence_count": "数量单位：{unit}",
}


# -- word-draft: the digits of Word's automatic numbering formats (numbering.xml ``w:numFmt``),
# used to rebuild a draft's 一、/（一） when Word draws the number rather than the text holding it --
NUMBERING_DIGITS = {
    "chineseCounting": "〇一二三四五六七八九",
    "chineseCountingThousand": "〇一二三四五六七八九",
    "japaneseCounting": "〇一二三四五六七八九",
    "taiwaneseCounting": "〇一二三四五六七八九",
    "taiwaneseCountingThousand": "〇一二三四五六七八九",  # LibreOffice's 一, 二, 三, ... in .docx
    "chineseLegalSimplified": "零壹贰叁肆伍陆柒捌玖",
    "ideographLegalTraditional": "零壹貳參肆伍陸柒捌玖",
}
NUMBERING_TENS = {"chineseLegalSimplified": "拾", "ideographLegalTraditional": "拾"}  # default 十
NUMBERING_TEN = "十"
NUMBERING_CYCLES = {
    "ideographTraditional": "甲乙丙丁戊己庚辛壬癸",
    "ideographZodiac": "子丑寅卯辰巳午未申酉戌亥",
    "decimalEnclosedCircle": "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳",
    "decimalEnclosedCircleChinese": "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳",
}
DRAFT_STYLE_NAMES = {
    "heading": ("heading", "标题"),  # Heading 1–9, 标题 1–9 (followed by the level)
    "title": ("title", "subtitle", "标题", "副标题"),  # the document's title, not a section
    # a table of contents (TOC 1–9, 目录 1–9, LibreOffice's Contents 1–10, their headings): skipped
    "contents": ("toc", "目录", "contents", "tocheading", "toc标题", "contentsheading", "目录标题"),
}
DRAFT_ORDINALS = {"prefix": "第", "chapter": ("章", "部分"), "section": ("节",)}  # 第一章 第一节
DRAFT_PROBLEMS = {
    "missing": "文件不存在",
    "outside": "路径指向提交文件夹之外",
    "not_docx": "不是 Word 文档（.docx）或文件已损坏",
    "too_large": "文档内容超过读取上限（正文 32 MB，样式和编号各 4 MB）",
    "too_many": "文档超过 20000 段",
    "bad_xml": "文档内容无法解析",
}
DRAFT_WHERE = {"before": "第 {paragraph} 段之前", "end": "末尾"}

"""The user-facing words of docgen.app: messages and labels its code formats."""

from __future__ import annotations

APP_TEXT: dict[str, str] = {
    "review.write_report": "{name}：{message}",
    "review_checks.batch_warnings": "{year}年：{value1}",
    "review_job.summary_names": "汇总表.docx",
    "review_job.summary_names_2": "汇总表.csv",
    "review_job.summary_names_3": "汇总表.xlsx",
}

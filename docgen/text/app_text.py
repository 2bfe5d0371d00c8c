"""The user-facing words of docgen.app: messages and labels its code formats."""

from __future__ import annotations

APP_TEXT: dict[str, str] = {
    "review.folder_problem": "{name}：{message}",
    "review_checks.year_folders": "{year}年：{folders}",
    "review_job.summary_docx": "汇总表.docx",
    "review_job.summary_csv": "汇总表.csv",
    "review_job.summary_xlsx": "汇总表.xlsx",
}

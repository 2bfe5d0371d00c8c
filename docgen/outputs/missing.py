"""Score cards and evidence → the missing-evidence report's context (.docx) and its Markdown twin.

Pure data shaping: strings for every table cell, no I/O.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from docgen.model.definitions import AnswerSet, Program
from docgen.model.results import EvidenceReport, ScoreCard
from docgen.numbers import fmt_fixed
from docgen.outputs.contexts import document_rows, evidenced_text, format_date, number_text, score_notes
from docgen.outputs.objects import shortfalls
from docgen.text.labels import TEXT


def missing_context(
    program: Program,
    answers: AnswerSet,
    claimed: ScoreCard,
    evidenced: ScoreCard,
    evidence: EvidenceReport,
    day: dt.date,
) -> dict[str, Any]:
    """Returns the missing-evidence report's context (also used for the Markdown version)."""
    problems = [d for d in evidence.documents if not d.usable]
    short = shortfalls(claimed, evidenced)
    summary = [
        TEXT["me_claimed"].format(
            label=TEXT["me_label_reference" if claimed.reference else "me_label"],
            claimed=fmt_fixed(claimed.total),
            evidenced=fmt_fixed(evidenced.total),
            diff=fmt_fixed(claimed.total - evidenced.total),
        )
    ]
    before = TEXT["eligible"] if claimed.eligible else TEXT["ineligible"]
    after = TEXT["eligible"] if evidenced.eligible else TEXT["ineligible"]
    if not claimed.eligibility:
        pass  # no limiting indicators: nothing to say about them
    elif before == after:
        summary.append(TEXT["me_eligibility_same"].format(result=after))
    else:
        failed = "；".join(f"{e.title}（{e.detail}）" for e in evidenced.eligibility if not e.passed)
        summary.append(TEXT["me_eligibility_changed"].format(before=before, after=after, failed=failed))
    if problems:
        summary.append(
            TEXT["me_missing_count"].format(
                count=len(problems), required=sum(1 for d in problems if d.required)
            )
        )
    else:
        summary.append(TEXT["me_no_problems"])
    return {
        "program": {"id": program.id, "title": program.title, "short_title": program.short_title},
        "company": {"name": answers.company},
        "report": {"year": str(answers.report_year), "date": format_date(day)},
        "title": TEXT["me_title"],
        "subtitle": TEXT["me_subtitle"].format(
            company=answers.company, program=program.title, year=answers.report_year
        ),
        "summary": summary,
        "problems": document_rows(problems),
        "problems_note": TEXT["me_problems_note"] if problems else TEXT["me_no_problems"],
        "shortfalls": [
            {
                "label": s["label"],
                "claimed": number_text(s["claimed"], s["unit"]),
                "evidenced": evidenced_text(s["claimed"], s["evidenced"], s["unit"]),
                "claimed_score": f"{s['claimed_score']:.2f}",
                "evidenced_score": f"{s['evidenced_score']:.2f}",
                "effect": f"{s['score_effect']:+.2f}",
            }
            for s in short
        ],
        "shortfalls_note": TEXT["me_shortfalls_note"] if short else TEXT["me_no_shortfalls"],
        "documents": document_rows(evidence.documents),
        "notes_heading": TEXT["me_notes_heading"],
        "notes": score_notes(claimed),
        "_timestamp": dt.datetime(day.year, day.month, day.day),
        "_title": TEXT["me_title"],
        "_author": answers.company,
    }


def missing_markdown(context: dict[str, Any]) -> str:
    """Returns the missing-evidence report as Markdown (same content as the .docx)."""

    def table(headers: list[str], rows: list[list[str]]) -> list[str]:
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        return lines

    out = [
        f"# {context['title']}",
        "",
        context["subtitle"],
        "",
        "## 一、总体情况",
        "",
    ]
    out += [f"- {line}" for line in context["summary"]]
    out += ["", "## 二、缺失或无法使用的材料", ""]
    if context["problems"]:
        out += table(
            ["类别", "材料", "文件", "问题"],
            [[r["group"], r["title"], r["file"], r["status"]] for r in context["problems"]],
        )
    out += ["", context["problems_note"], "", "## 三、证明材料不足的指标（核减）", ""]
    if context["shortfalls"]:
        out += table(
            ["指标", "填报值", "有证明值", "填报得分", "核减后得分", "影响"],
            [
                [
                    r["label"],
                    r["claimed"],
                    r["evidenced"],
                    r["claimed_score"],
                    r["evidenced_score"],
                    r["effect"],
                ]
                for r in context["shortfalls"]
            ],
        )
    out += ["", context["shortfalls_note"], "", "## 四、材料清单核对", ""]
    out += table(
        ["类别", "材料", "文件", "页数", "状态"],
        [[r["group"], r["title"], r["file"], r["pages"], r["status"]] for r in context["documents"]],
    )
    if context["notes"]:
        out += ["", f"## {context['notes_heading']}", ""]
        out += [f"{index}. {note}" for index, note in enumerate(context["notes"], 1)]
    out += ["", context["report"]["date"]]
    return "\n".join(out) + "\n"

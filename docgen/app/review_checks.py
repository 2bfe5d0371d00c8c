"""EDGE: what a reviewer must be told about a batch besides the scores (#16): entries of the
folder that are not submissions, answers naming another program, the same enterprise twice
(重复申报), report years that differ within one cohort, evidenced scores above claimed ones."""

from __future__ import annotations

import re
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

from docgen.app.submission import ANSWERS_NAMES
from docgen.model.definitions import Program
from docgen.model.review import Review, ReviewRow
from docgen.numbers import fmt
from docgen.text.app_text import APP_TEXT
from docgen.text.commands import SAY
from docgen.text.outputs_text import OUTPUTS_TEXT
from docgen.text.punctuation import ENUM_COMMA, SEMICOLON


def skipped_entries(directory: Path) -> list[str]:
    """Returns one line per entry of ``directory`` the review does not read, with the reason."""
    out: list[str] = []
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return out
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue  # .git, .DS_Store: never submissions, not worth a line
        try:
            if entry.is_dir():
                if not any((entry / answers).is_file() for answers in ANSWERS_NAMES):
                    out.append(SAY["review_skipped_folder"].format(name=name))
            else:
                out.append(SAY["review_skipped_file"].format(name=name))
        except OSError:
            out.append(SAY["review_skipped_unreadable"].format(name=name))
    return out


def batch_warnings(review: Review) -> list[str]:
    """Returns the warnings about the reviewed submissions taken together, and notes each one
    that concerns a submission in that row's remarks (the 汇总表's 备注)."""
    out: list[str] = []
    program = review.program.id
    rows = {row.prepared.folder: row for row in review.rows}
    for row in review.rows:
        declared = row.prepared.declared_program
        if declared and declared != program:
            out.append(
                SAY["review_other_program"].format(
                    folder=row.prepared.folder, declared=declared, program=program
                )
            )
            row.remarks.append(SAY["remark_other_program"].format(declared=declared))
    by_code: dict[str, list[str]] = defaultdict(list)
    by_name: dict[str, list[str]] = defaultdict(list)
    years: dict[int, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in review.rows:
        answers = row.prepared.claimed
        if answers is None:
            continue
        code = str(answers.profile.get("credit_code") or "").strip().upper()
        if code:
            by_code[code].append(row.prepared.folder)
        by_name[answers.company.strip()].append(row.prepared.folder)
        names[row.prepared.folder] = answers.company.strip() or row.prepared.folder
        years[answers.report_year].append(row.prepared.folder)
    seen: set[tuple[str, ...]] = set()
    for kind, groups in (("review_duplicate_code", by_code), ("review_duplicate_name", by_name)):
        for key, folders in groups.items():
            if len(folders) > 1 and tuple(folders) not in seen and key:
                seen.add(tuple(folders))
                out.append(SAY[kind].format(key=key, folders=ENUM_COMMA.join(folders)))
                for folder in folders:  # the 备注 names the other enterprises, never folders
                    others = ENUM_COMMA.join(names[f] for f in folders if f != folder)
                    rows[folder].remarks.append(SAY["remark_duplicate"].format(others=others))
    if len(years) > 1 and review.program.relative == "cohort":
        parts = SEMICOLON.join(
            APP_TEXT["review_checks.year_folders"].format(year=year, folders=ENUM_COMMA.join(folders))
            for year, folders in sorted(years.items())
        )
        out.append(SAY["review_years_differ"].format(parts=parts))
    if review.program.relative == "cohort":
        higher = [
            row.prepared.folder
            for row in review.rows
            if row.claimed is not None
            and row.evidenced is not None
            and row.evidenced.total > row.claimed.total
        ]
        if higher:
            out.append(SAY["review_evidenced_higher"].format(folders=ENUM_COMMA.join(higher)))
    return out


LIMIT_BOUND = re.compile(OUTPUTS_TEXT["summary.limit_bound"])


def failed_limits(row: ReviewRow, program: Program | None = None) -> list[str]:
    """Returns the limiting indicators the evidenced figures fail, as 推荐意见 words them: the
    title when the claimed figure fails too; when only the evidence fails it, the figure's name
    with why — «年度研究与试验发展经费支出额：证明材料缺失，核定为0» when a document proving it is
    missing, «…：证明材料未予认可，核定为…» when it is there but does not prove the figure."""
    claimed_card, evidenced_card = row.cards()
    claimed = {e.id: e for e in claimed_card.eligibility}
    rules = {r.id: r for r in program.eligibility} if program is not None else {}
    out = []
    for entry in evidenced_card.eligibility:
        if entry.passed:
            continue
        if entry.id not in claimed or not claimed[entry.id].passed:
            out.append(entry.title)
            continue
        rule = rules.get(entry.id)
        field = rule.value.get("field") if rule is not None else None
        missing = any(d.status == "missing" and field in d.proves for d in row.prepared.documents if field)
        value = entry.value or Fraction(0)
        shown = fmt(value) + (entry.unit if value else "")
        key = "summary.limit_missing" if missing or not value else "summary.limit_rejected"
        name = LIMIT_BOUND.sub("", entry.title) or entry.title
        out.append(OUTPUTS_TEXT[key].format(name=name, value=shown))
    return out

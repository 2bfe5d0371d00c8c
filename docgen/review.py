"""EDGE: review a folder of submissions — cohort scores, completeness, ranking, quotas (SPEC §7).

Each immediate sub-folder holding answers.yaml/.json is a submission. Submissions are opened,
validated and their evidence inspected in parallel worker processes; a broken one is listed with
its diagnostics and never stops the batch. Scores are then computed in this process: for a
cohort-relative program (Luzhou) on the cohort of valid submissions — claimed scores against the
claimed maxima, evidenced scores against the evidenced maxima — for the others each on its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from docgen.api import ANSWERS_NAMES, evaluate_submission, open_submission
from docgen.catalog import load_catalog
from docgen.diagnostics import Diagnostic, Severity
from docgen.errors import DiagnosticsError, DocgenError
from docgen.evidence import DocumentStatus
from docgen.inspect import InspectionCache
from docgen.model import AnswerSet, Program
from docgen.ranking import Candidate, rank_candidates
from docgen.scoring import ScoreCard, cohort_maxima, score_answers


@dataclass
class Prepared:
    """What a worker returns for one submission (picklable, small)."""

    folder: str
    company: str = ""
    claimed: AnswerSet | None = None
    evidenced: AnswerSet | None = None
    documents: list[DocumentStatus] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ReviewRow:
    """One submission in the review."""

    prepared: Prepared
    claimed: ScoreCard | None = None
    evidenced: ScoreCard | None = None
    rank: int | None = None
    recommended: bool = False
    reason: str = ""

    @property
    def broken(self) -> bool:
        """Returns True when the submission could not be scored."""
        return self.claimed is None


@dataclass
class Review:
    """The whole review: rows in folder order plus the rules applied."""

    program: Program
    rows: list[ReviewRow]
    threshold: Fraction | None
    quota: int | None
    documents: list[str]
    sections: list[str]


def discover(directory: Path) -> list[Path]:
    """Returns the immediate sub-folders of ``directory`` that hold an answers file, sorted."""
    return sorted(
        p for p in directory.iterdir() if p.is_dir() and any((p / n).is_file() for n in ANSWERS_NAMES)
    )


def prepare(folder: Path, program_id: str, cache_dir: str | None) -> Prepared:
    """Opens, validates and inspects one submission (runs in a worker process)."""
    out = Prepared(folder.name)
    cache = InspectionCache(Path(cache_dir)) if cache_dir else None
    try:
        sub = open_submission(folder, program_id)
    except DiagnosticsError as exc:
        out.errors = list(exc.diagnostics)
        return out
    except DocgenError as exc:
        out.errors = [Diagnostic("submission.unusable", Severity.ERROR, exc.message)]
        return out
    assert sub.answers is not None
    out.company = sub.answers.company
    outline = sub.outline
    if outline is not None:
        for section in outline.sections:
            given = sub.answers.narrative.get(section.id)
            out.sections[section.id] = "ok" if given and given.text.strip() else "missing"
    scoring_errors = [d for d in sub.scoring_diagnostics if d.is_error]
    if scoring_errors:
        out.errors = scoring_errors
        return out
    evaluation = evaluate_submission(sub, cache)
    slim = {"narrative": {}}  # the narrative is not needed to score; keep the rows small
    out.claimed = replace(sub.answers, **slim)
    out.evidenced = replace(evaluation.evidence.evidenced, **slim)
    out.documents = evaluation.evidence.documents
    out.warnings = list(evaluation.claimed.warnings)
    return out


def _prepare_args(args: tuple[Path, str, str | None]) -> Prepared:
    return prepare(*args)


def review_folder(
    directory: Path,
    program_id: str,
    *,
    jobs: int | None = None,
    threshold: Fraction | None = None,
    quota: int | None = None,
    cache_dir: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Review:
    """Returns the review of every submission under ``directory``."""
    catalog = load_catalog()
    program = catalog.programs[program_id]
    folders = discover(directory)
    tasks = [(folder, program_id, cache_dir) for folder in folders]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    prepared: list[Prepared] = []
    if workers == 1:
        for index, task in enumerate(tasks, 1):
            prepared.append(_prepare_args(task))
            if progress:
                progress(index, len(tasks))
    else:
        with ProcessPoolExecutor(workers) as pool:
            for index, result in enumerate(pool.map(_prepare_args, tasks, chunksize=4), 1):
                prepared.append(result)
                if progress:
                    progress(index, len(tasks))
    rows = score_cohort(program, prepared, catalog)
    chosen_threshold = threshold if threshold is not None else program.threshold
    chosen_quota = quota if quota is not None else program.quota_count
    rank_rows(rows, chosen_threshold, chosen_quota)
    checklist = catalog.checklists.get(program.checklist or "")
    documents = [d.title for d in checklist.documents if d.required] if checklist else []
    sections = sorted({s for p in prepared for s in p.sections}, key=_section_key)
    return Review(program, rows, chosen_threshold, chosen_quota, documents, sections)


def _section_key(section: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in section.split("."))


def score_cohort(program: Program, prepared: list[Prepared], catalog) -> list[ReviewRow]:
    """Returns the rows with claimed and evidenced score cards (cohort-relative where the program is)."""
    rows = [ReviewRow(p) for p in prepared]
    valid = [r for r in rows if r.prepared.claimed is not None]
    for row in valid:
        row.claimed = score_answers(program, row.prepared.claimed, catalog, warnings=row.prepared.warnings)
        row.evidenced = score_answers(program, row.prepared.evidenced, catalog)
    if program.relative == "cohort" and valid:
        claimed_max = cohort_maxima([r.claimed for r in valid])
        evidenced_max = cohort_maxima([r.evidenced for r in valid])
        for row in valid:
            row.claimed = score_answers(
                program, row.prepared.claimed, catalog, cohort=claimed_max, warnings=row.prepared.warnings
            )
            row.evidenced = score_answers(program, row.prepared.evidenced, catalog, cohort=evidenced_max)
    return rows


def rank_rows(rows: list[ReviewRow], threshold: Fraction | None, quota: int | None) -> None:
    """Ranks the eligible rows and sets each row's recommendation and reason (in place)."""
    candidates = [
        Candidate(
            index,
            row.prepared.company,
            row.evidenced.total,
            row.claimed.total,
            row.evidenced.eligible,
            [e.title for e in row.evidenced.eligibility if not e.passed],
        )
        for index, row in enumerate(rows)
        if row.claimed is not None and row.evidenced is not None
    ]
    for decision in rank_candidates(candidates, threshold, quota):
        row = rows[decision.index]
        row.rank, row.recommended, row.reason = decision.rank, decision.recommended, decision.reason
    for row in rows:
        if row.broken:
            row.reason = "答卷有错误，无法评审"

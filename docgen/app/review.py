"""EDGE: review a folder of submissions — cohort scores, completeness, ranking, quotas (SPEC §7).

Each immediate sub-folder holding answers.yaml/.json is a submission. Submissions are opened,
validated and their evidence inspected in parallel worker processes; a broken one is listed with
its diagnostics and never stops the batch. Scores are then computed in this process: for a
cohort-relative program (Luzhou) on the cohort of valid submissions — claimed scores against the
claimed maxima, evidenced scores against the evidenced maxima — for the others each on its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Protocol, TypeVar, cast

from docgen.answers import program_of
from docgen.app import review_cache
from docgen.app.rescore_cache import RescoreStore
from docgen.app.review_checks import batch_warnings, failed_limits, skipped_entries
from docgen.app.submission import (
    ANSWERS_NAMES,
    assess_submission,
    evaluate_submission,
    inspect_evidence,
    open_submission,
    scoring_warnings,
)
from docgen.definitions.catalog import Catalog
from docgen.definitions.load import load_catalog
from docgen.diagnostics import Diagnostic, Severity
from docgen.errors import DiagnosticsError, DocgenError
from docgen.evidence.inspect import InspectionCache
from docgen.model.answers import AnswerSet, NarrativeSection
from docgen.model.definitions import Program
from docgen.model.results import CohortFigures, ScoreCard
from docgen.model.review import NARRATIVE_ISSUES, Prepared, Review, ReviewRow
from docgen.numbers import fmt, fmt_fixed
from docgen.outputs.contexts import applicant_name
from docgen.scoring.engine import card_figures, cohort_figures, maxima_of, score_answers
from docgen.scoring.ranking import Candidate, rank_candidates
from docgen.text.labels import TEXT

_In = TypeVar("_In")
_Out = TypeVar("_Out")


class _Mapper(Protocol):
    """``map``, or a process pool's ``map``: ``fn`` applied to every item, results in order."""

    def __call__(self, fn: Callable[[_In], _Out], items: Iterable[_In], /) -> Iterator[_Out]: ...


# one submission to score again against the cohort maxima: program id, claimed and evidenced
# answers, claimed and evidenced maxima, the warnings of the first scoring, whether to encode
# the cards for the cache
_RescoreTask = tuple[str, AnswerSet, AnswerSet, dict[str, Fraction], dict[str, Fraction], list[str], bool]
# one submission's reports to write: folder, program id, detached cards, its report folder, cache folder


def detached_card(card: ScoreCard) -> ScoreCard:
    """Returns ``card`` without its program, small to pickle (worker results, the cache); whoever
    receives it attaches the program again with ``replace(card, program=program)`` before use."""
    # not a Program: a detached card's `program` is never read (see the docstring)
    return replace(card, program=cast(Program, None))


def discover(directory: Path) -> list[Path]:
    """Returns the immediate sub-folders of ``directory`` that hold an answers file, sorted
    (hidden folders such as .git are not submissions)."""
    return sorted(p for p in directory.iterdir() if not p.name.startswith(".") and _holds_answers(p))


def _holds_answers(folder: Path) -> bool:
    """Returns True for a folder with an answers file; False for anything that cannot be looked
    into (an unreadable folder is listed among the entries skipped, with its reason)."""
    try:
        return folder.is_dir() and any((folder / n).is_file() for n in ANSWERS_NAMES)
    except OSError:
        return False


def prepare(
    folder: Path,
    program_id: str,
    cache_dir: str | None,
    stored: Path | None = None,
    inspections: str | None = None,
) -> Prepared:
    """Opens, validates and inspects one submission (runs in a worker process).

    With a cache directory, the result is kept at ``stored`` (``review_cache.prepared_path``,
    computed here when not given), so a re-review of an unchanged submission reads it back
    instead of redoing it; evidence inspections are kept under ``inspections`` (default the cache
    directory's ``inspect``: the web desk shares its workspace's). A submission whose preparation
    fails in any way (an unreadable folder,
    a file that defeats a reader) is a broken row with a Chinese reason: one bad submission never
    sinks the batch.
    """
    try:
        if stored is None:
            stored = review_cache.prepared_path(cache_dir, folder, program_id)
            hit = review_cache.load_prepared(stored, folder)
            if hit is not None:
                return hit
        result = _prepare(folder, program_id, cache_dir, inspections)
        review_cache.store_prepared(stored, result)
        return result
    except Exception:  # whatever the submission's files make fail: see the docstring
        message = TEXT["review_prepare_failed"]
        return Prepared(folder.name, errors=[Diagnostic("submission.unusable", Severity.ERROR, message)])


def _prepare(
    folder: Path, program_id: str, cache_dir: str | None, inspections: str | None = None
) -> Prepared:
    out = Prepared(folder.name)
    where = inspections or (str(Path(cache_dir) / "inspect") if cache_dir else None)
    cache = InspectionCache(Path(where)) if where else None
    try:
        sub = open_submission(folder, program_id)
    except DiagnosticsError as exc:
        out.errors = list(exc.diagnostics)
        return out
    except DocgenError as exc:
        out.errors = [Diagnostic("submission.unusable", Severity.ERROR, exc.message)]
        return out
    assert sub.answers is not None
    out.company = applicant_name(sub.program, sub.answers)  # an alliance with its 牵头单位
    out.declared_program = program_of(sub.doc)
    outline = sub.outline
    if outline is not None:
        for section in outline.sections:
            given = sub.answers.narrative.get(section.id)
            out.sections[section.id] = "ok" if given and given.text.strip() else "missing"
    for d in sub.diagnostics:
        if d.code in NARRATIVE_ISSUES:
            out.narrative_issues[d.code] = out.narrative_issues.get(d.code, 0) + 1
    scoring_errors = [d for d in sub.scoring_diagnostics if d.is_error]
    if scoring_errors:
        out.errors = scoring_errors
        return out
    slim: dict[str, NarrativeSection] = {}  # the narrative is not needed to score; keep the rows small
    out.claimed = replace(sub.answers, narrative=slim)
    if sub.program.relative == "cohort":  # scored against the cohort later: no cards alone needed
        report = assess_submission(sub, inspect_evidence(sub, cache))
        out.warnings = scoring_warnings(sub)
        out.claimed_figures = cohort_figures(sub.program, sub.answers, sub.catalog)
        out.evidenced_figures = cohort_figures(sub.program, report.evidenced, sub.catalog)
    else:
        evaluation = evaluate_submission(sub, cache)
        report = evaluation.evidence
        out.warnings = list(evaluation.claimed.warnings)
        out.claimed_card = detached_card(evaluation.claimed)
        out.evidenced_card = detached_card(evaluation.evidenced)
    out.evidenced = replace(report.evidenced, narrative=slim)
    out.documents = report.documents
    return out


def _rescore(args: _RescoreTask) -> tuple[ScoreCard, ScoreCard, bytes]:
    """Scores one submission against the cohort maxima (runs in a worker process); with the
    detached cards, their pair encoded for the cohort's cache entry (empty when not asked for:
    encoded here, the entry's cost is shared by the workers)."""
    program_id, claimed, evidenced, claimed_max, evidenced_max, warnings, encoded = args
    catalog = load_catalog()
    program = catalog.programs[program_id]
    first = detached_card(score_answers(program, claimed, catalog, cohort=claimed_max, warnings=warnings))
    second = detached_card(score_answers(program, evidenced, catalog, cohort=evidenced_max))
    return first, second, review_cache.encode_pair(first, second) if encoded else b""


def _prepare_args(args: tuple[Path, str, str | None, Path | None, str | None]) -> Prepared:
    return prepare(*args)


class Memory(Protocol):
    """Prepared submissions kept in a long-lived process (the web's workers) by cache entry."""

    def fetch(self, key: Path) -> Prepared | None: ...

    def keep(self, key: Path, value: Prepared) -> None: ...


MIN_PARALLEL = 8  # fewer tasks than this run in this process: a pool's start would cost more


class _LazyPool:
    """A ``_Mapper`` that starts its worker processes only when a map has enough work for them
    (a re-review that finds everything in the cache starts none)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    def __call__(self, fn: Callable[[_In], _Out], items: Iterable[_In], /) -> Iterator[_Out]:
        tasks = list(items)
        if self.workers < 2 or len(tasks) < MIN_PARALLEL:
            return map(fn, tasks)
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.workers)
        return self.pool.map(fn, tasks, chunksize=4)

    def shutdown(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


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
    """Returns the review of every submission under ``directory``.

    What the cache holds is read in this process; only the submissions it lacks go to the
    worker processes (their results would otherwise cross between processes twice)."""
    folders = discover(directory)
    stored: list[Path | None] = []
    for folder in folders:
        try:
            stored.append(review_cache.prepared_path(cache_dir, folder, program_id))
        except Exception:  # the worker reports what defeats the key; see prepare
            stored.append(None)
    review = review_entries(
        program_id,
        [f.name for f in folders],
        stored,
        folders.__getitem__,
        jobs=jobs,
        threshold=threshold,
        quota=quota,
        cache_dir=cache_dir,
        progress=progress,
    )
    review.warnings = [*skipped_entries(directory), *review.warnings]
    return review


def review_entries(
    program_id: str,
    names: Sequence[str],
    stored: Sequence[Path | None],
    folder_of: Callable[[int], Path],
    *,
    jobs: int | None = None,
    threshold: Fraction | None = None,
    quota: int | None = None,
    cache_dir: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    memory: Memory | None = None,
    rescored: RescoreStore | None = None,
    inspections: str | None = None,
) -> Review:
    """Returns the review of the submissions ``names`` (in that order), each kept in the cache
    at ``stored`` (its key: a hash of everything its folder holds); ``folder_of(i)`` gives the
    folder of submission ``i`` and is called only for those the cache lacks — the review of
    `docgen review` (review_folder) and of the web's desk, which lays out only those.
    ``rescored``: where the members' cohort rescorings are kept (``score_cohort``);
    ``inspections``: where evidence inspections are kept (``prepare``)."""
    catalog = load_catalog()
    program = catalog.programs[program_id]
    cohort = program.relative == "cohort"
    # a kept cohort makes the scoring parts unnecessary: read them only when it is not usable
    slots = [_remembered(memory, p, name) for p, name in zip(stored, names, strict=True)]
    slots = [
        hit if hit is not None else review_cache.load_prepared(p, Path(name), scoring=not cohort)
        for hit, p, name in zip(slots, stored, names, strict=True)
    ]
    done = sum(1 for p in slots if p is not None)
    if progress and done:
        progress(done, len(names))
    misses = [i for i, hit in enumerate(slots) if hit is None]
    mapper = _LazyPool(max(1, min(jobs or os.cpu_count() or 1, len(names))))
    try:
        tasks = [(folder_of(i), program_id, cache_dir, stored[i], inspections) for i in misses]
        for index, result in zip(misses, mapper(_prepare_args, tasks), strict=True):
            slots[index] = result
            done += 1
            if progress:
                progress(done, len(names))
        prepared = [p for p in slots if p is not None]
        entry = review_cache.cohort_path(cache_dir, program_id, stored) if cohort else None
        scored = review_cache.load_cohort(entry, sum(1 for p in prepared if p.claimed is not None))
        if cohort and scored is None:
            for index, row in enumerate(prepared):  # the alone cards of the rows read without them
                alone = row.claimed_card or row.claimed_figures
                if alone is None and not review_cache.load_scoring(stored[index], row):
                    prepared[index] = prepare(
                        folder_of(index), program_id, cache_dir, stored[index], inspections
                    )
        if memory is not None:
            for path, row in zip(stored, prepared, strict=True):
                usable = row.claimed_card is not None or row.claimed_figures is not None
                if path is not None and (row.claimed is None or usable):
                    memory.keep(path, replace(row))
        # a long-lived process keeps each member's rescoring instead (score_cohort): writing the
        # whole cohort again at every newcomer would cost more than it saves
        keep = entry is not None and scored is None and memory is None
        pairs: list[bytes] | None = [] if keep else None
        rows = score_cohort(program, prepared, mapper, scored, pairs, stored, rescored)
        if pairs is not None:
            review_cache.store_cohort_pairs(entry, pairs)
    finally:
        mapper.shutdown()
    chosen_threshold = threshold if threshold is not None else program.threshold
    chosen_quota = quota if quota is not None else program.quota_count
    rank_rows(rows, chosen_threshold, chosen_quota, program)
    checklist = catalog.checklists.get(program.checklist or "")
    documents = [d.title for d in checklist.documents if d.required] if checklist else []
    sections = sorted({s for p in prepared for s in p.sections}, key=_section_key)
    titles = section_titles(program, catalog)
    review = Review(program, rows, chosen_threshold, chosen_quota, documents, sections, titles)
    review.warnings = batch_warnings(review)
    return review


def _remembered(memory: Memory | None, path: Path | None, name: str) -> Prepared | None:
    """Returns a copy of the entry ``memory`` keeps for ``path`` named ``name`` (two submissions
    with the same files share an entry), or None."""
    kept = memory.fetch(path) if memory is not None and path is not None else None
    return replace(kept, folder=name) if kept is not None else None


def section_titles(program: Program, catalog: Catalog) -> dict[str, str]:
    """Returns section id → title over the program's outlines (the first outline naming an id wins)."""
    titles: dict[str, str] = {}
    for outline_id in program.outlines.values():
        outline = catalog.outlines.get(outline_id)
        for section in outline.sections if outline else ():
            titles.setdefault(section.id, section.title)
    return titles


def _section_key(section: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in section.split("."))


def score_cohort(
    program: Program,
    prepared: list[Prepared],
    mapper: _Mapper = map,
    scored: review_cache.CohortCards | None = None,
    pairs: list[bytes] | None = None,
    members: Sequence[Path | None] | None = None,
    store: RescoreStore | None = None,
) -> list[ReviewRow]:
    """Returns the rows with claimed and evidenced score cards.

    Each submission arrives scored alone. For a cohort-relative program (Luzhou) every valid
    submission is scored again with F = the cohort's highest evaluated value of each indicator —
    claimed scores against the claimed maxima, evidenced scores against the evidenced maxima —
    unless ``scored`` gives those scores (kept in the cache for this very cohort). ``pairs``,
    when given, receives each rescored pair of cards encoded (``review_cache.encode_pair``).

    A member's rescoring depends only on its entry (``members[i]``, a hash of its files) and the
    two maxima: it is kept under those in ``store`` (``rescore_cache``: this process's memory,
    and with a folder the files every process shares; by default memory only), so a member
    joining a cohort without raising a maximum costs its own rescoring only (the web desk while
    submissions arrive), in whichever worker process sees it first.
    """
    rows = [ReviewRow(p) for p in prepared]
    valid = [r for r in rows if r.prepared.claimed is not None]
    for row in valid:
        if row.prepared.claimed_card is not None and row.prepared.evidenced_card is not None:
            row.claimed = replace(row.prepared.claimed_card, program=program)
            row.evidenced = replace(row.prepared.evidenced_card, program=program)
    if program.relative == "cohort" and valid:
        if scored is None:
            claimed_max = maxima_of([_figures(r)[0] for r in valid])
            evidenced_max = maxima_of([_figures(r)[1] for r in valid])
            at = [i for i, r in enumerate(rows) if r.prepared.claimed is not None]  # valid's places
            entries = [members[i] if members is not None else None for i in at]
            shared = store if store is not None else RescoreStore()
            keys = shared.keys(entries, claimed_max, evidenced_max)
            found = shared.fetch(keys)
            tasks: list[_RescoreTask] = []
            for r, hit in zip(valid, found, strict=True):
                if hit is not None:
                    continue
                assert r.prepared.claimed is not None
                assert r.prepared.evidenced is not None
                tasks.append(
                    (
                        program.id,
                        r.prepared.claimed,
                        r.prepared.evidenced,
                        claimed_max,
                        evidenced_max,
                        r.prepared.warnings,
                        pairs is not None,
                    )
                )
            results = iter(list(mapper(_rescore, tasks)))
            scored = []
            fresh: list[bytes | None] = []
            for hit in found:
                if hit is not None:
                    first, second = hit
                    fresh.append(None)
                else:
                    first, second, data = next(results)
                    fresh.append(data)
                scored.append((first, second))
                if pairs is not None:
                    pairs.append(fresh[-1] or review_cache.encode_pair(first, second))
            shared.keep(keys, scored, fresh)
            for row, key in zip(valid, keys, strict=True):
                row.scored = key or ""
        for row, (claimed, evidenced) in zip(valid, scored, strict=True):
            row.claimed = replace(claimed, program=program)
            row.evidenced = replace(evidenced, program=program)
    for row in valid:  # the alone cards and the evidenced answers are not needed any more
        row.prepared.claimed_card = row.prepared.evidenced_card = None
        row.prepared.claimed_figures = row.prepared.evidenced_figures = None
    return rows


def _figures(row: ReviewRow) -> tuple[CohortFigures, CohortFigures]:
    """Returns what a valid row brings to the claimed and the evidenced maxima: the figures it
    was prepared with, else those of its cards scored alone."""
    claimed, evidenced = row.prepared.claimed_figures, row.prepared.evidenced_figures
    if claimed is not None and evidenced is not None:
        return claimed, evidenced
    return card_figures(row.cards()[0]), card_figures(row.cards()[1])


def rank_rows(
    rows: list[ReviewRow], threshold: Fraction | None, quota: int | None, program: Program | None = None
) -> None:
    """Ranks the eligible rows and sets each row's recommendation and reason (in place); a limit
    failed only for want of its proof says so (review_checks.failed_limits)."""
    candidates = [
        Candidate(
            index,
            row.prepared.company,
            row.evidenced.total,
            row.claimed.total,
            row.evidenced.eligible,
            failed_limits(row, program),
        )
        for index, row in enumerate(rows)
        if row.claimed is not None and row.evidenced is not None
    ]
    for decision in rank_candidates(candidates, threshold, quota):
        row = rows[decision.index]
        row.rank, row.recommended, row.reason = decision.rank, decision.recommended, decision.reason
        missing = [d for d in row.prepared.documents if d.required and d.item is None and not d.usable]
        if row.recommended and missing:  # recommended on its scores, but the file is not complete
            row.reason += TEXT["review_needs_documents"].format(count=len(missing))
        total = row.evidenced.total if row.evidenced is not None else None
        # where no 推荐线 applies (Gansu: a quota only), a 核定分 under the program's share of the
        # full marks (review.caveat_below) carries a caveat (docs/decisions.md)
        share = program.caveat_below if program is not None and threshold is None else None
        most = program.max_score if program is not None else None
        if row.recommended and total is not None and most is not None and share and total < share * most:
            row.reason += TEXT["review_weak_score"].format(total=fmt_fixed(total), most=fmt(most))
    for row in rows:
        if row.broken:
            row.reason = TEXT["review_broken_unreadable" if row.unreadable else "review_broken_data"]

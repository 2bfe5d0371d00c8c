"""Ensures that a re-review reads what the cache holds in its own process and scores an
unchanged cohort from the cache, with the same results as a review without any cache; and that
cache entries are written without a flush to disk while outputs are flushed."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from docgen import files
from docgen.app import review, review_cache
from docgen.model.review import Review
from tests.conftest import EXAMPLE

PROGRAM = "luzhou-etc-2023"


def _batch(tmp_path: Path, count: int = 3) -> Path:
    """Writes ``count`` copies of the Luzhou example whose R&D expense differs."""
    batch = tmp_path / "batch"
    text = (EXAMPLE / "answers.yaml").read_text(encoding="utf-8")
    assert "\n  rd_expense: " in text
    for index in range(count):
        folder = batch / f"s{index}"
        shutil.copytree(EXAMPLE / "evidence", folder / "evidence")
        varied = text.replace("\n  rd_expense: ", f"\n  rd_expense: {index + 1}", 1)
        (folder / "answers.yaml").write_text(varied, encoding="utf-8")
    return batch


def _scores(result: Review) -> list[tuple[str, Any, Any]]:
    out = []
    for row in result.rows:
        claimed, evidenced = row.cards()
        out.append((row.prepared.folder, claimed.total, evidenced.total))
    return out


class _NoPool:
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("a worker pool was started")


def _no_rescore(args: object) -> object:
    raise AssertionError("the cohort was scored again")


def test_an_unchanged_re_review_starts_no_pool_and_scores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ensures that the second review of an unchanged folder reads every row and the cohort's
    scores from the cache, in this process, and equals a review made without a cache."""
    batch = _batch(tmp_path, count=review.MIN_PARALLEL)
    cache_dir = str(tmp_path / "cache")
    fresh = review.review_folder(batch, PROGRAM, jobs=1)
    first = review.review_folder(batch, PROGRAM, jobs=2, cache_dir=cache_dir)
    assert _scores(first) == _scores(fresh)
    assert len({total for _, total, _ in _scores(first)}) > 1  # the copies really differ
    monkeypatch.setattr(review, "ProcessPoolExecutor", _NoPool)
    monkeypatch.setattr(review, "_rescore", _no_rescore)
    monkeypatch.setattr(review_cache, "load_scoring", _no_rescore)  # the cohort's scores suffice
    second = review.review_folder(batch, PROGRAM, jobs=2, cache_dir=cache_dir)
    assert _scores(second) == _scores(fresh)
    assert [r.rank for r in second.rows] == [r.rank for r in fresh.rows]


def test_a_changed_member_scores_the_cohort_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ensures that changing one submission makes the cohort's kept scores unusable: the new
    cohort is scored again and its scores equal a review without a cache."""
    batch = _batch(tmp_path)
    cache_dir = str(tmp_path / "cache")
    review.review_folder(batch, PROGRAM, jobs=1, cache_dir=cache_dir)
    answers = batch / "s0" / "answers.yaml"
    answers.write_text(
        answers.read_text(encoding="utf-8").replace("rd_expense: 1", "rd_expense: 9", 1), "utf-8"
    )
    calls: list[object] = []
    real = review._rescore

    def counting(args: Any) -> Any:
        calls.append(args)
        return real(args)

    monkeypatch.setattr(review, "_rescore", counting)
    again = review.review_folder(batch, PROGRAM, jobs=1, cache_dir=cache_dir)
    assert len(calls) == 3
    assert _scores(again) == _scores(review.review_folder(batch, PROGRAM, jobs=1))


def test_a_damaged_cohort_entry_is_rebuilt(tmp_path: Path) -> None:
    """ensures that a cohort entry that is garbage, or holds another number of members, is
    ignored: the review scores the cohort again, as without a cache, and rewrites the entry."""
    batch = _batch(tmp_path)
    cache_dir = tmp_path / "cache"
    expected = _scores(review.review_folder(batch, PROGRAM, jobs=1))
    review.review_folder(batch, PROGRAM, jobs=1, cache_dir=str(cache_dir))
    (entry,) = (cache_dir / "cohort").rglob("*.json")
    good = entry.read_bytes()
    for damage in (b"{not json", good[: len(good) // 2], b"[]"):
        entry.write_bytes(damage)
        assert _scores(review.review_folder(batch, PROGRAM, jobs=1, cache_dir=str(cache_dir))) == expected
        assert entry.read_bytes() == good
    assert review_cache.load_cohort(entry, 2) is None  # three members kept, two asked for


def test_damaged_scoring_parts_are_prepared_again(tmp_path: Path) -> None:
    """ensures that when the cohort's scores are not kept and a submission's scoring part is
    damaged or gone, that submission is prepared again and the scores equal a fresh review."""
    batch = _batch(tmp_path)
    cache_dir = tmp_path / "cache"
    expected = _scores(review.review_folder(batch, PROGRAM, jobs=1))
    review.review_folder(batch, PROGRAM, jobs=1, cache_dir=str(cache_dir))
    shutil.rmtree(cache_dir / "cohort")
    parts = sorted((cache_dir / "scoring").rglob("*.json"))
    assert len(parts) == 3
    parts[0].write_bytes(b"[1, 2")
    parts[1].unlink()
    assert _scores(review.review_folder(batch, PROGRAM, jobs=1, cache_dir=str(cache_dir))) == expected
    assert len(list((cache_dir / "scoring").rglob("*.json"))) == 3


def test_a_review_without_cache_keeps_nothing(tmp_path: Path) -> None:
    """ensures that the cohort's place is None when a member has no entry (no cache folder)."""
    assert review_cache.cohort_path(None, PROGRAM, [tmp_path]) is None
    assert review_cache.cohort_path(str(tmp_path), PROGRAM, [tmp_path, None]) is None


def test_cache_entries_are_not_flushed_but_outputs_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ensures that an output is flushed to disk before its rename and a cache entry is not
    (a few milliseconds a file; a torn entry is refused and rebuilt)."""
    flushed: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (flushed.append(fd), real(fd))[1])
    files.write_atomic(tmp_path / "out.txt", b"output")
    assert len(flushed) == 1
    from docgen import cache

    cache.write_entry(tmp_path / "entry.json", b"{}")
    assert len(flushed) == 1
    assert (tmp_path / "entry.json").read_bytes() == b"{}"


def test_a_cohort_review_scores_as_against_the_maxima_of_cards_scored_alone(tmp_path: Path) -> None:
    """ensures that a cohort-relative review, whose rows bring figures instead of cards scored
    alone, gives every row the cards scored against the maxima of the cards scored alone."""
    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.scoring.engine import cohort_maxima, score_answers

    batch = _batch(tmp_path)
    prepared = review._prepare(batch / "s0", PROGRAM, None)
    assert prepared.claimed_card is None
    assert prepared.claimed_figures is not None
    result = review.review_folder(batch, PROGRAM, jobs=1)
    subs = [open_submission(folder, PROGRAM) for folder in review.discover(batch)]
    alone = [evaluate_submission(sub) for sub in subs]
    claimed_max = cohort_maxima([e.claimed for e in alone])
    evidenced_max = cohort_maxima([e.evidenced for e in alone])
    for row, sub, evaluation in zip(result.rows, subs, alone, strict=True):
        claimed, evidenced = row.cards()
        program = sub.program
        again = score_answers(
            program, sub.answers, sub.catalog, cohort=claimed_max, warnings=evaluation.claimed.warnings
        )
        assert claimed.indicators == again.indicators
        assert claimed.warnings == again.warnings
        evidenced_again = score_answers(
            program, evaluation.evidence.evidenced, sub.catalog, cohort=evidenced_max
        )
        assert evidenced.indicators == evidenced_again.indicators
        assert evidenced.eligibility == evidenced_again.eligibility


def test_a_scoring_part_of_another_shape_is_prepared_again(tmp_path: Path) -> None:
    """ensures that a scoring part holding other values than figures or cards (a well-formed
    entry of the wrong shape) counts as absent: the submission is prepared again, with the
    scores of a fresh review."""
    from docgen import cache

    batch = _batch(tmp_path)
    cache_dir = tmp_path / "cache"
    expected = _scores(review.review_folder(batch, PROGRAM, jobs=1))
    review.review_folder(batch, PROGRAM, jobs=1, cache_dir=str(cache_dir))
    shutil.rmtree(cache_dir / "cohort")
    parts = sorted((cache_dir / "scoring").rglob("*.json"))
    stored = cache.load_typed(parts[0], review_cache.SCORING)
    assert stored is not None
    assert stored.claimed_figures is not None
    cache.store_typed(parts[0], review_cache.SCORING, replace(stored, evidenced_figures=None))
    assert _scores(review.review_folder(batch, PROGRAM, jobs=1, cache_dir=str(cache_dir))) == expected
    assert cache.load_typed(parts[0], review_cache.SCORING) == stored


def test_a_cohort_entry_joined_from_the_workers_pairs_is_what_store_cohort_writes(tmp_path: Path) -> None:
    """ensures that the cohort's entry, joined from the pairs of cards each worker encodes, holds
    the very bytes ``store_cohort`` writes for those cards, and reads back as the review's cards."""
    from docgen import cache

    batch = _batch(tmp_path, count=review.MIN_PARALLEL)
    cache_dir = tmp_path / "cache"
    result = review.review_folder(batch, PROGRAM, jobs=2, cache_dir=str(cache_dir))
    entries = list((cache_dir / "cohort").rglob("*.json"))
    assert len(entries) == 1
    stored = review_cache.load_cohort(entries[0], len(result.rows))
    assert stored is not None
    assert entries[0].read_bytes() == review_cache.COHORT.encode(stored)
    assert [pair[0].indicators for pair in stored] == [row.cards()[0].indicators for row in result.rows]
    assert [pair[1].total for pair in stored] == [row.cards()[1].total for row in result.rows]
    rewritten = tmp_path / "again.json"
    review_cache.store_cohort(rewritten, stored)
    assert cache.read_entry(rewritten) == entries[0].read_bytes()

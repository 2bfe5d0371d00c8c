"""A member joining a cohort-relative review (SPEC §4.2, #21): the other members' rescorings
are kept in the process by their entries and the cohort maxima, so only the newcomer is rescored
while no maximum changes; the result is always that of a review without any cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.app import review, review_cache
from docgen.outputs.summary import review_json
from tests.conftest import EXAMPLE

PROGRAM = "luzhou-etc-2023"


def _member(batch: Path, name: str, rd_expense: str | None = None) -> None:
    """Writes a copy of the Luzhou example as ``batch/name`` (its R&D expense replaced if given)."""
    text = (EXAMPLE / "answers.yaml").read_text(encoding="utf-8")
    line = "\n  rd_expense: 1980 "
    assert line in text
    if rd_expense is not None:
        text = text.replace(line, f"\n  rd_expense: {rd_expense} ", 1)
    shutil.copytree(EXAMPLE / "evidence", batch / name / "evidence")
    (batch / name / "answers.yaml").write_text(text, encoding="utf-8")


def _uncached(batch: Path) -> dict[str, object]:
    return review_json(review.review_folder(batch, PROGRAM, jobs=1))


@pytest.fixture
def rescored(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The companies rescored against the cohort maxima, in order."""
    seen: list[str] = []
    real = review._rescore

    def counting(args):
        seen.append(args[1].profile.get("company_name", ""))
        return real(args)

    monkeypatch.setattr(review, "_rescore", counting)
    return seen


def test_a_newcomer_alone_is_rescored(tmp_path: Path, rescored: list[str]):
    """ensures that with a cache a third member below the maxima costs one rescoring (not three),
    one raising the R&D maximum rescores every member, and each review equals the uncached one."""
    batch, cache = tmp_path / "batch", str(tmp_path / "cache")
    _member(batch, "a")
    _member(batch, "b", "1500")
    first = review_json(review.review_folder(batch, PROGRAM, jobs=1, cache_dir=cache))
    assert len(rescored) == 2
    assert first == _uncached(batch)
    del rescored[:]

    _member(batch, "c", "1700")  # below a's: no maximum moves
    joined = review_json(review.review_folder(batch, PROGRAM, jobs=1, cache_dir=cache))
    assert len(rescored) == 1
    assert joined == _uncached(batch)
    assert [e["path"] for e in joined["submissions"]].count("c") == 1
    del rescored[:]

    _member(batch, "d", "9900")
    raised = review_json(review.review_folder(batch, PROGRAM, jobs=1, cache_dir=cache))
    assert len(rescored) == 4
    assert raised == _uncached(batch)
    before = {e["path"]: e["total"] for e in joined["submissions"]}
    after = {e["path"]: e["total"] for e in raised["submissions"]}
    assert after["a"] != before["a"]  # the maximum moved: a's relative score with it


def test_the_kept_rescorings_are_bounded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """ensures the process keeps at most RESCORED_KEPT rescorings, the least recently used going."""
    monkeypatch.setattr(review_cache, "RESCORED_KEPT", 1)
    monkeypatch.setattr(review_cache, "_rescored", type(review_cache._rescored)())
    batch = tmp_path / "batch"
    _member(batch, "a")
    _member(batch, "b", "1500")
    review.review_folder(batch, PROGRAM, jobs=1, cache_dir=str(tmp_path / "cache"))
    assert len(review_cache._rescored) == 1

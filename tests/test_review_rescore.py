"""A member joining a cohort-relative review (SPEC §4.2, #21): the other members' rescorings
are kept in the process by their entries and the cohort maxima, so only the newcomer is rescored
while no maximum changes; the result is always that of a review without any cache."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from docgen.app import rescore_cache, review, review_cache
from docgen.outputs.summary import review_json
from docgen.web.memo import Kept
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
    monkeypatch.setattr(rescore_cache, "RESCORED_KEPT", 1)
    monkeypatch.setattr(rescore_cache, "_rescored", type(rescore_cache._rescored)())
    batch = tmp_path / "batch"
    _member(batch, "a")
    _member(batch, "b", "1500")
    review.review_folder(batch, PROGRAM, jobs=1, cache_dir=str(tmp_path / "cache"))
    assert len(rescore_cache._rescored) == 1


def _desk_like(batch: Path, cache: str, store: rescore_cache.RescoreStore) -> dict[str, object]:
    """Reviews ``batch`` as a web worker does: prepared entries kept in a (fresh) memory, so the
    cohort's scores come from each member's rescoring, kept in ``store``."""
    folders = review.discover(batch)
    stored = [review_cache.prepared_path(cache, f, PROGRAM) for f in folders]
    result = review.review_entries(
        PROGRAM,
        [f.name for f in folders],
        stored,
        folders.__getitem__,
        jobs=1,
        cache_dir=cache,
        memory=Kept(400),
        rescored=store,
    )
    return review_json(result)


def test_rescorings_are_shared_through_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, rescored: list[str]
):
    """ensures another process (its memory empty) reads the members' rescorings from the files
    the first one wrote, rescoring only a newcomer; a damaged or foreign file is ignored (that
    member rescored, its file written again) and every review equals the uncached one."""
    batch, cache = tmp_path / "batch", str(tmp_path / "cache")
    folder = tmp_path / "cache" / "review" / "rescored"
    store = rescore_cache.RescoreStore(folder)

    def review_counted() -> int:
        expected = _uncached(batch)
        monkeypatch.setattr(rescore_cache, "_rescored", type(rescore_cache._rescored)())  # a fresh worker
        del rescored[:]
        assert _desk_like(batch, cache, store) == expected
        return len(rescored)

    _member(batch, "a")
    _member(batch, "b", "1500")
    assert review_counted() == 2
    assert len(list(folder.rglob("*.json"))) == 2
    _member(batch, "c", "1700")
    assert review_counted() == 1  # the newcomer only
    files = sorted(folder.rglob("*.json"))
    assert len(files) == 3
    for damage in (b'{"torn', b"[1, 2]"):
        files[0].write_bytes(damage)
        assert review_counted() == 1  # the damaged member only
        assert files[0].read_bytes() != damage
    assert review_counted() == 0


def test_the_keys_name_the_member_and_both_maxima():
    """ensures a member's key changes with its entry and with either maximum, and not otherwise."""
    store = rescore_cache.RescoreStore()
    one, two = Path("p/ab/1.json"), Path("p/cd/2.json")
    keys = store.keys([one, None, two], {"x": Fraction(1)}, {"x": Fraction(1, 2)})
    assert keys[1] is None
    assert keys[0] != keys[2]
    assert store.keys([one], {"x": Fraction(1)}, {"x": Fraction(1, 2)}) == [keys[0]]
    assert store.keys([one], {"x": Fraction(2)}, {"x": Fraction(1, 2)}) != [keys[0]]
    assert store.keys([one], {"x": Fraction(1)}, {"x": Fraction(1, 3)}) != [keys[0]]
    assert store.keys([one], {"x": Fraction(1, 2)}, {"x": Fraction(1)}) != [keys[0]]

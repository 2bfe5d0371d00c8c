"""Ensures that the cache holds data, not code: results round-trip exactly, and a crafted,
foreign or damaged entry is refused (ignored and rebuilt), never executed or waited on."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from docgen import cache
from docgen.app import review, review_cache
from docgen.codec import CodecError, decode, encode
from docgen.diagnostics import Diagnostic, Location, Severity
from docgen.model.answers import AnswerSet, EvidenceRef, Item, NarrativeSection
from docgen.model.definitions import CoefficientRow
from docgen.model.results import (
    CohortFigures,
    DocumentStatus,
    EligibilityResult,
    IndicatorResult,
    OptionValue,
    ScoreCard,
)
from docgen.model.review import Prepared
from tests.conftest import EXAMPLE

# the classes a Prepared is built from, for the tagged codec (docgen.codec)
_STORED_CLASSES = (
    AnswerSet,
    CoefficientRow,
    CohortFigures,
    Diagnostic,
    DocumentStatus,
    EligibilityResult,
    EvidenceRef,
    IndicatorResult,
    OptionValue,
    Item,
    Location,
    NarrativeSection,
    ScoreCard,
    Severity,
)


class _Payload:
    """A pickle that would create ``marker`` when unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _key(folder: Path) -> str:
    key = review_cache.submission_key(folder, "luzhou-etc-2023")
    assert key is not None
    return key


def test_a_prepared_submission_round_trips_exactly(tmp_path: Path) -> None:
    """ensures that the example's prepared review row decodes equal to what was stored (fractions,
    tuples, dates and enums included)."""
    prepared = review._prepare(EXAMPLE, "luzhou-etc-2023", None)
    assert prepared.claimed is not None
    assert prepared.claimed_figures is not None  # Luzhou is scored against its cohort
    back = review_cache.PREPARED.decode(review_cache.PREPARED.encode(prepared))
    assert back == prepared
    assert decode(encode(prepared), [Prepared, *_STORED_CLASSES]) == prepared  # the tagged codec too
    assert isinstance(back.claimed.figures["rd_expense"], Fraction)
    assert all(isinstance(item, tuple) for item in back.claimed.items.values())


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"$class": "Popen", "fields": {"args": "touch x"}}', "a class it was not given"),
        (b'{"$class": "Location", "fields": {"file": "a", "extra": 1}}', "a field the class lacks"),
        (b'{"$enum": "Severity", "v": "fatal"}', "an enum value that does not exist"),
        (b'{"$fraction": "1/0"}', "a zero denominator"),
        (b'{"$fraction": "' + b"9" * 5000 + b'/1"}', "a 5,000-digit number"),
        (b'{"$eval": "1"}', "an unknown tag"),
        (b"[" * 100_000 + b"]" * 100_000, "nesting deeper than the parser allows"),
        (b'{"$map": [[[1], 2]]}', "a list as a mapping key"),
        (b"\x80\x81", "bytes that are not UTF-8"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_foreign_data_is_refused(data: bytes, reason: str) -> None:
    """ensures that decoding refuses what the codec did not write for the classes named."""
    with pytest.raises(CodecError):
        decode(data, [Location, Diagnostic, Severity])


def test_values_the_codec_knows() -> None:
    """ensures that every kind of value the results hold comes back as the same type."""
    value = {
        "f": Fraction(1, 3),
        "d": dt.date(2022, 12, 31),
        "t": (1, "a"),
        "s": frozenset({"x", "y"}),
        "m": {("items", 0): 3},
        "e": Severity.WARNING,
        "l": [Location("a.yaml", 3, 1, ("data", "rd_staff"))],
    }
    assert decode(encode(value), [Location, Severity]) == value


def test_a_crafted_pickle_in_the_cache_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ensures that a pickle placed where the review looks for its prepared entry is ignored: the
    review redoes the submission, nothing is executed, and the entry is rewritten as JSON."""
    folder = tmp_path / "batch" / "one"
    shutil.copytree(EXAMPLE, folder)
    marker = tmp_path / "pwned"
    key = _key(folder)
    entry = tmp_path / "cache" / "prepared" / key[:2] / f"{key}.json"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(pickle.dumps(_Payload(marker)))
    result = review.prepare(folder, "luzhou-etc-2023", str(tmp_path / "cache"))
    assert not marker.exists()
    assert result.company
    assert entry.read_bytes().startswith(review_cache.PREPARED.header + b'["one",')


def test_a_fifo_as_cache_entry_is_not_waited_on(tmp_path: Path) -> None:
    """ensures that a FIFO (or any non-regular file) in an entry's place reads as absent at once."""
    fifo = tmp_path / "entry.json"
    os.mkfifo(fifo)
    assert cache.read_entry(fifo) is None
    assert cache.load(fifo, Prepared, _STORED_CLASSES) is None
    assert cache.load_typed(fifo, review_cache.PREPARED) is None


def test_an_oversized_or_damaged_entry_is_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ensures that an entry above MAX_ENTRY_BYTES, or one cut short, counts as absent."""
    entry = tmp_path / "entry.json"
    stored = Prepared("one", company="某公司")
    cache.store_typed(entry, review_cache.PREPARED, stored)
    assert cache.load_typed(entry, review_cache.PREPARED) == stored
    entry.write_bytes(entry.read_bytes()[:-3])
    assert cache.load_typed(entry, review_cache.PREPARED) is None
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 10)
    cache.store_typed(entry, review_cache.PREPARED, stored)
    assert cache.read_entry(entry) is None


def test_the_stored_catalog_reads_back_equal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ensures that the checked catalog kept in the cache decodes into the same catalog the
    definition files give (it silently did not when two definition classes shared a name: every
    cold command parsed the YAML again)."""
    from docgen.definitions import load

    monkeypatch.setenv("DOCGEN_CACHE", str(tmp_path))
    load.load_catalog.cache_clear()
    try:
        parsed = load.load_catalog()
        stored = load._cache_file()
        assert stored is not None
        assert stored.is_file()
        back = load._read_stored(stored)
        assert back is not None
        assert back.programs == parsed.programs
        assert back.outlines == parsed.outlines
        assert back.checklists == parsed.checklists
    finally:
        load.load_catalog.cache_clear()


def test_two_classes_of_one_name_are_refused() -> None:
    """ensures that decoding refuses to be given two classes with the same name (a stored value
    names its class by name: one of them would be built in the other's place)."""
    import dataclasses as dc

    first = dc.make_dataclass("Twin", [("a", int)])
    second = dc.make_dataclass("Twin", [("b", int)])
    with pytest.raises(ValueError, match="two classes named Twin"):
        decode(encode(first(1)), [first, second])

"""Ensures that the typed codec (the review's cache entries) round-trips every stored class
exactly, edge values included, and refuses whatever does not match the declared type: another
shape, another JSON type, an unknown enum value, a field too many, another format or version."""

from __future__ import annotations

import datetime as dt
import enum
import json
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from docgen import cache, codec, typed_codec
from docgen.app import review, review_cache
from docgen.app.submission import evaluate_submission, open_submission
from docgen.codec import CodecError
from docgen.diagnostics import Diagnostic, Location, Severity
from docgen.model.answers import EvidenceRef, Item, NarrativeSection
from docgen.model.definitions import Program
from docgen.model.results import DocumentStatus, IndicatorResult, OptionValue, ScoreCard
from docgen.model.review import Prepared
from docgen.typed_codec import TypedCodec
from tests.conftest import EXAMPLE, ROOT

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if p.is_dir())


class Colour(enum.Enum):
    RED = 1
    BLUE = 2


@dataclass(frozen=True)
class Edge:
    """A value of every kind the codec knows, for the edge cases."""

    number: Fraction
    maybe: Fraction | None
    day: dt.date
    colour: Colour
    severity: Severity
    path: tuple[str | int, ...]
    pair: tuple[str, int] | None
    names: list[str]
    table: dict[str, Fraction]
    anything: dict[str, Any]
    flag: bool
    count: int
    ratio: float
    text: str


EDGE = TypedCodec(Edge, "edge")


def _edge(**changes: Any) -> Edge:
    value = Edge(
        number=Fraction(-(10**399), 3),
        maybe=None,
        day=dt.date(1, 1, 1),
        colour=Colour.BLUE,
        severity=Severity.WARNING,
        path=("items", 0, "名称"),
        pair=("standards", 2),
        names=[],
        table={"": Fraction(0), "$class": Fraction(7), "一": Fraction(1, 10**400 - 1)},
        anything={
            "f": Fraction(5, 2),
            "i": Fraction(4),
            "d": dt.date(2023, 12, 31),
            "l": [1, "a", None, True, [2.5]],
            "t": (1, ("x",)),
            "m": {"fraction": "1/2", "$class": {"list": []}},
            "none": None,
        },
        flag=False,
        count=-(10**300),
        ratio=-0.0,
        text='"\\\n\t{"$dc": 1} 泸州',
    )
    return replace(value, **changes)


def test_edge_values_round_trip_with_their_types() -> None:
    """ensures that fractions (huge, negative, whole), dates, enums, tuples, empty lists, text
    keys that look like tags and values declared Any come back equal and of the same types."""
    value = _edge()
    back = EDGE.decode(EDGE.encode(value))
    assert back == value
    assert type(back.number) is Fraction
    assert type(back.path) is tuple
    assert type(back.anything["i"]) is Fraction
    assert type(back.anything["t"]) is tuple
    assert type(back.anything["t"][1]) is tuple
    assert type(back.anything["l"]) is list
    assert back.anything["m"] == {"fraction": "1/2", "$class": {"list": []}}  # data, not tags
    assert back.colour is Colour.BLUE
    assert back.severity is Severity.WARNING
    other = _edge(maybe=Fraction(1, 3), pair=None, names=["a", "b"], flag=True)
    assert EDGE.decode(EDGE.encode(other)) == other


def test_an_entry_is_positional_and_untagged() -> None:
    """ensures that a dataclass is stored as the list of its fields and a fraction as n/d."""
    location = Location("a.yaml", 3, None, ("data", 0))
    entry = TypedCodec(Location, "location").encode(location)
    assert entry == b'docgen-typed 1 location\n["a.yaml",3,null,["data",0],null,null]'


@pytest.mark.parametrize("program", EXAMPLES)
def test_every_examples_prepared_and_scoring_entries_round_trip(program: str) -> None:
    """ensures that each example's prepared row, its scoring part (cards scored alone, or the
    cohort figures) and a cohort of its detached cards decode equal to what was stored."""
    prepared = review._prepare(ROOT / "examples" / program, program, None)
    assert prepared.claimed is not None
    assert review_cache.PREPARED.decode(review_cache.PREPARED.encode(prepared)) == prepared
    part = review_cache.ScoringPart(
        prepared.evidenced,
        prepared.claimed_card,
        prepared.evidenced_card,
        prepared.claimed_figures,
        prepared.evidenced_figures,
    )
    assert review_cache.SCORING.decode(review_cache.SCORING.encode(part)) == part
    sub = open_submission(ROOT / "examples" / program, program)
    evaluation = evaluate_submission(sub)
    pair = (review.detached_card(evaluation.claimed), review.detached_card(evaluation.evidenced))
    cards = [pair, pair]
    entry = review_cache.COHORT.encode(cards)
    assert entry == review_cache.COHORT.join([review_cache.encode_pair(*pair)] * 2)
    back = review_cache.COHORT.decode(entry)
    assert back == cards
    assert back[0][0].program is None


def test_findings_and_documents_round_trip() -> None:
    """ensures that findings with every location field, document statuses and items are kept."""
    findings = [
        Diagnostic("a.b", Severity.ERROR, "错", Location("x.yaml", 1, 2, ("k", 3), "表!D7", 4), "提示"),
        Diagnostic("c", Severity.INFO, ""),
    ]
    statuses = [
        DocumentStatus("k", "t", "g", None, "missing", None, True, ("patents", 1), None, "", "", ("a",))
    ]
    prepared = Prepared("s", errors=findings, documents=statuses, narrative_issues={"n": 2})
    assert review_cache.PREPARED.decode(review_cache.PREPARED.encode(prepared)) == prepared
    item = Item("patents", 0, {"granted": dt.date(2020, 1, 2), "count": Fraction(3)}, 7, "ZL1")
    kept = TypedCodec(tuple[Item, EvidenceRef, NarrativeSection], "three")
    three = (
        item,
        EvidenceRef("k", "f.pdf", Fraction(2), 9),
        NarrativeSection("s", "文本", 3, None, ((0, 1),)),
    )
    assert kept.decode(kept.encode(three)) == three


def _entry(codec_: TypedCodec[Any], body: object) -> bytes:
    return codec_.header + json.dumps(body).encode()


def _edge_body(**changes: Any) -> list[Any]:
    body: list[Any] = json.loads(EDGE.body(_edge()))
    names = list(Edge.__dataclass_fields__)
    for name, value in changes.items():
        body[names.index(name)] = value
    return body


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"number": "1/0"}, "a zero denominator"),
        ({"number": "9" * 900 + "/1"}, "a fraction longer than the bound"),
        ({"number": 1.5}, "a float for a fraction"),
        ({"number": "1/2/3"}, "a fraction of three parts"),
        ({"maybe": [1, 2]}, "a list for an optional fraction"),
        ({"day": "2023-13-01"}, "a date that does not exist"),
        ({"day": "2023-01-01T00:00:00"}, "a datetime for a date"),
        ({"colour": 3}, "an enum value that does not exist"),
        ({"colour": "RED"}, "an enum's name instead of its value"),
        ({"severity": "fatal"}, "an unknown severity"),
        ({"path": ["a", 1.5]}, "a float in a key path"),
        ({"path": "ab"}, "text for a tuple"),
        ({"pair": ["a"]}, "a pair of one"),
        ({"pair": ["a", 1, 2]}, "a pair of three"),
        ({"pair": [1, "a"]}, "a pair in the wrong order"),
        ({"names": {"a": 1}}, "an object for a list"),
        ({"table": [["a", 1]]}, "pairs for a mapping"),
        ({"table": {"a": None}}, "null for a fraction in a mapping"),
        ({"anything": {"x": {"eval": "1"}}}, "an unknown kind of Any value"),
        ({"anything": {"x": {"list": [], "dict": {}}}}, "an Any value of two kinds"),
        ({"anything": {"x": [1]}}, "a bare list for an Any value"),
        ({"anything": {"x": {"fraction": 3}}}, "a number for an Any fraction"),
        ({"flag": 0}, "a number for a bool"),
        ({"count": True}, "a bool for an int"),
        ({"count": 1.0}, "a float for an int"),
        ({"ratio": 1}, "an int for a float"),
        ({"text": None}, "null for text"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_value_of_another_type_is_refused(changes: dict[str, Any], reason: str) -> None:
    """ensures that a field holding a JSON value its declared type cannot be is refused."""
    with pytest.raises(CodecError):
        EDGE.decode(_entry(EDGE, _edge_body(**changes)))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_entry(EDGE, _edge_body()[:-1]), "a field too few"),
        (_entry(EDGE, [*_edge_body(), "extra"]), "a field too many"),
        (_entry(EDGE, dict(zip(Edge.__dataclass_fields__, _edge_body(), strict=True))), "fields by name"),
        (EDGE.body(_edge()), "no header"),
        (b"docgen-typed 0 edge\n" + EDGE.body(_edge()), "another version of the format"),
        (b"docgen-typed 1 other\n" + EDGE.body(_edge()), "an entry of another type"),
        (EDGE.header + b"[" * 100_000 + b"]" * 100_000, "nesting deeper than the parser allows"),
        (EDGE.header + b"\x80\x81", "bytes that are not UTF-8"),
        (EDGE.header + b'["a"', "an entry cut short"),
        (EDGE.header + b"[1e999999999]", "a number JSON cannot hold"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_an_entry_of_another_shape_is_refused(data: bytes, reason: str) -> None:
    """ensures that an entry that is not this format, version and type's is refused."""
    with pytest.raises(CodecError):
        EDGE.decode(data)


def test_a_tagged_entry_of_the_old_format_is_refused() -> None:
    """ensures that a prepared row in the tagged format (docgen.codec, before this format) is
    not misread: it lacks the header, and stays refused with one prepended."""
    prepared = Prepared("s", company="某公司")
    old = codec.encode(prepared)
    for data in (old, review_cache.PREPARED.header + old):
        with pytest.raises(CodecError):
            review_cache.PREPARED.decode(data)


def test_a_detached_field_holds_nothing() -> None:
    """ensures that a card's program is stored as null: a card with its program attached is not
    stored, and an entry with a value in its place is refused."""
    sub = open_submission(EXAMPLE, "luzhou-etc-2023")
    card = evaluate_submission(sub).claimed
    with pytest.raises(CodecError):
        review_cache.PAIR.encode((card, card))
    body = json.loads(review_cache.PAIR.body((review.detached_card(card),) * 2))
    body[0][0] = "luzhou-etc-2023"
    with pytest.raises(CodecError):
        review_cache.PAIR.decode(_entry(review_cache.PAIR, body))
    assert isinstance(card.program, Program)


def test_a_value_that_is_not_the_declared_type_is_not_stored() -> None:
    """ensures that encoding refuses a value of another type than the declared one (a str
    subclass for text, a datetime for a date, a NaN, a non-text key under Any)."""

    class Text(str):
        pass

    for value in (
        _edge(text=Text("x")),
        _edge(day=dt.datetime(2023, 1, 1)),
        _edge(ratio=float("nan")),
        _edge(anything={"x": {1: 2}}),
        _edge(anything={"x": {1, 2}}),
        _edge(path=("a", 1.5)),
        _edge(number=3),
    ):
        with pytest.raises(CodecError):
            EDGE.encode(value)
    with pytest.raises(CodecError):
        TypedCodec(OptionValue, "o").encode(IndicatorResult)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kind",
    [dict[int, str], Prepared | Location, int | Fraction, set[str], ScoreCard | Program],
    ids=str,
)
def test_a_type_it_cannot_tell_apart_is_refused_when_built(kind: Any) -> None:
    """ensures that a type whose values could not be told apart in JSON (a union of two
    dataclasses, int | Fraction) or that the codec does not store is refused at once."""
    with pytest.raises(TypeError):
        TypedCodec(kind, "k").encode(None)


def test_an_old_tagged_prepared_entry_is_rebuilt(tmp_path: Path) -> None:
    """ensures that a prepared entry of the tagged format in the review's cache counts as absent:
    the submission is prepared again and its entry rewritten in the typed format."""
    cache_dir = tmp_path / "cache"
    folder = tmp_path / "batch" / "one"
    import shutil

    shutil.copytree(EXAMPLE, folder)
    stored = review_cache.prepared_path(str(cache_dir), folder, "luzhou-etc-2023")
    assert stored is not None
    stored.parent.mkdir(parents=True)
    stored.write_bytes(codec.encode(Prepared("one", company="旧的")))
    result = review.prepare(folder, "luzhou-etc-2023", str(cache_dir))
    assert result.company != "旧的"
    assert stored.read_bytes().startswith(review_cache.PREPARED.header)
    assert cache.load_typed(stored, review_cache.PREPARED) is not None


def test_decoded_fractions_are_shared_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """ensures that equal fractions decoded twice are one object and the table of them stays
    under FRACTIONS_KEPT."""
    monkeypatch.setattr(typed_codec, "FRACTIONS_KEPT", 3)
    monkeypatch.setattr(typed_codec, "_fractions", {})
    kept = TypedCodec(list[Fraction], "fractions")
    first, second = kept.decode(kept.encode([Fraction(1, 3), Fraction(1, 3)]))
    assert first is second
    kept.decode(kept.encode([Fraction(n, 7) for n in range(1, 10)]))
    assert len(typed_codec._fractions) <= 3


def test_a_value_the_codec_refuses_is_not_kept(tmp_path: Path) -> None:
    """ensures that storing a value the codec refuses writes no entry and raises nothing (the
    review goes on; the value is computed again next time)."""
    entry = tmp_path / "entry.json"
    cache.store_typed(entry, EDGE, _edge(day=dt.datetime(2023, 1, 1)))
    assert not entry.exists()
    cache.store_typed(entry, EDGE, _edge())
    assert cache.load_typed(entry, EDGE) == _edge()


def test_decoding_leaves_the_collector_as_it_found_it() -> None:
    """ensures that the collector, paused while an entry is decoded, is on again after a decode
    and after a refusal, and stays off when it was off."""
    import gc

    entry = EDGE.encode(_edge())
    assert gc.isenabled()
    assert EDGE.decode(entry) == _edge()
    assert gc.isenabled()
    with pytest.raises(CodecError):
        EDGE.decode(entry[:-1])
    assert gc.isenabled()
    gc.disable()
    try:
        EDGE.decode(entry)
        assert not gc.isenabled()
    finally:
        gc.enable()

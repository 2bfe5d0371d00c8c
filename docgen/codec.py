"""EDGE: results as plain JSON and back — data only, never code (the cache's format).

A value is encoded as JSON with small tagged objects for what JSON lacks (fractions, tuples,
sets, dates, enums, mappings with non-string keys, dataclasses). Decoding builds only the
dataclasses and enums it is given by name; anything else — an unknown tag, an unknown class, a
field the class does not have — raises ``CodecError``, and the caller treats the entry as absent.
Unlike a pickle, a crafted cache entry can at worst be refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from docgen.errors import DocgenError

MAX_DEPTH = 64  # nesting a stored result may have (a review row is about 8 deep)


class CodecError(DocgenError):
    """A stored value is not one this codec wrote for the classes it was given."""


def encode(value: Any) -> bytes:
    """Returns ``value`` as compact UTF-8 JSON.

    Raises:
        CodecError: a value of a type the codec does not know (a programming error).
    """
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _encode(value: Any) -> Any:
    if isinstance(value, enum.Enum):  # before str: a StrEnum is a str too
        return {"$enum": type(value).__name__, "v": value.value}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Fraction):
        return {"$fraction": f"{value.numerator}/{value.denominator}"}
    if isinstance(value, dt.datetime):
        raise CodecError("datetime values are not stored")
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, frozenset | set):
        kind = "$frozenset" if isinstance(value, frozenset) else "$set"
        return {kind: sorted((_encode(v) for v in value), key=json.dumps)}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$map": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return {"$class": type(value).__name__, "fields": fields}
    raise CodecError(f"cannot store a {type(value).__name__}")


def decode(data: bytes, classes: Iterable[type]) -> Any:
    """Returns the value ``data`` encodes, building only the dataclasses and enums in ``classes``.

    Raises:
        CodecError: the data is not JSON this codec wrote for those classes.
    """
    known = {cls.__name__: cls for cls in classes}
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CodecError("not JSON") from exc
    return _decode(raw, known, 0)


def _decode(raw: Any, known: dict[str, type], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise CodecError("nested too deeply")
    depth += 1
    if raw is None or isinstance(raw, bool | int | float | str):
        return raw
    if isinstance(raw, list):
        return [_decode(v, known, depth) for v in raw]
    if not isinstance(raw, dict):
        raise CodecError("unexpected JSON value")
    tags = [k for k in raw if k.startswith("$")]
    if not tags:
        return {k: _decode(v, known, depth) for k, v in raw.items()}
    tag = tags[0]
    try:
        return _TAGS[tag](raw, known, depth)
    except KeyError as exc:
        raise CodecError(f"unknown tag or field: {exc}") from exc
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        raise CodecError(f"bad {tag}: {exc}") from exc


def _fraction(raw: dict[str, Any], known: dict[str, type], depth: int) -> Fraction:
    numerator, denominator = str(raw["$fraction"]).split("/")
    if len(numerator) > 400 or len(denominator) > 400:  # bounded before int() sees it
        raise CodecError("fraction too long")
    return Fraction(int(numerator), int(denominator))


def _enum(raw: dict[str, Any], known: dict[str, type], depth: int) -> enum.Enum:
    cls = known[raw["$enum"]]
    if not issubclass(cls, enum.Enum):
        raise CodecError("not an enum")
    return cls(raw["v"])


def _class(raw: dict[str, Any], known: dict[str, type], depth: int) -> Any:
    cls = known[raw["$class"]]
    if not dataclasses.is_dataclass(cls):
        raise CodecError("not a dataclass")
    fields = raw["fields"]
    if not isinstance(fields, dict) or set(fields) != {f.name for f in dataclasses.fields(cls) if f.init}:
        raise CodecError(f"fields of {cls.__name__} differ")
    return cls(**{k: _decode(v, known, depth) for k, v in fields.items()})


def _sequence(raw: dict[str, Any], known: dict[str, type], depth: int) -> Any:
    tag = next(iter(raw))
    items = raw[tag]
    if not isinstance(items, list):
        raise CodecError("not a list")
    values = [_decode(v, known, depth) for v in items]
    return {"$tuple": tuple, "$set": set, "$frozenset": frozenset}[tag](values)


def _map(raw: dict[str, Any], known: dict[str, type], depth: int) -> dict[Any, Any]:
    return {_decode(k, known, depth): _decode(v, known, depth) for k, v in raw["$map"]}


_TAGS = {
    "$fraction": _fraction,
    "$date": lambda raw, known, depth: dt.date.fromisoformat(raw["$date"]),
    "$enum": _enum,
    "$class": _class,
    "$tuple": _sequence,
    "$set": _sequence,
    "$frozenset": _sequence,
    "$map": _map,
}

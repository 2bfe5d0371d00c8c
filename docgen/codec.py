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
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from docgen.errors import DocgenError


class CodecError(DocgenError):
    """A stored value is not one this codec wrote for the classes it was given."""


def encode(value: Any) -> bytes:
    """Returns ``value`` as compact UTF-8 JSON.

    Raises:
        CodecError: a value of a type the codec does not know (a programming error).
    """
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value  # the common case first: plain values (a StrEnum's type is not str)
    encoder = _ENCODERS.get(kind) or _CLASS_ENCODERS.get(kind)
    if encoder is not None:
        return encoder(value)
    if isinstance(value, enum.Enum):
        return {"$enum": kind.__name__, "v": value.value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        encoder = _CLASS_ENCODERS[kind] = _dataclass_encoder(kind)
        return encoder(value)
    for base, base_encoder in _ENCODERS.items():  # a subclass of a known type
        if isinstance(value, base):
            return base_encoder(value)
    if isinstance(value, str | int | float):  # a subclass of a plain value is stored as the value
        return value
    raise CodecError(f"cannot store a {kind.__name__}")


def _dataclass_encoder(kind: type) -> Callable[[Any], Any]:
    """Returns the encoder of the dataclass ``kind``: its init fields by name (made once a class)."""
    names = tuple(f.name for f in dataclasses.fields(kind) if f.init)
    name = kind.__name__

    def encoder(value: Any) -> Any:
        fields = {}
        for field in names:
            item = getattr(value, field)
            fields[field] = item if type(item) in _PLAIN else _encode(item)
        return {"$class": name, "fields": fields}

    return encoder


def _encode_list(value: Iterable[Any]) -> list[Any]:
    return [item if type(item) in _PLAIN else _encode(item) for item in value]


def _encode_dict(value: dict[Any, Any]) -> Any:
    if all(type(k) is str and not k.startswith("$") for k in value):
        return {k: v if type(v) in _PLAIN else _encode(v) for k, v in value.items()}
    return {"$map": [[_encode(k), _encode(v)] for k, v in value.items()]}


def _refuse_datetime(value: dt.datetime) -> Any:
    raise CodecError("datetime values are not stored")


_ENCODERS: dict[type, Callable[[Any], Any]] = {
    Fraction: lambda v: {"$fraction": f"{v.numerator}/{v.denominator}"},
    tuple: lambda v: {"$tuple": _encode_list(v)},
    list: _encode_list,
    dict: _encode_dict,
    dt.datetime: _refuse_datetime,
    dt.date: lambda v: {"$date": v.isoformat()},
    Decimal: lambda v: {"$decimal": str(v)},
    frozenset: lambda v: {"$frozenset": sorted((_encode(x) for x in v), key=json.dumps)},
    set: lambda v: {"$set": sorted((_encode(x) for x in v), key=json.dumps)},
}
_CLASS_ENCODERS: dict[type, Callable[[Any], Any]] = {}  # a dataclass's encoder, made once
_PLAIN = frozenset({str, int, float, bool, type(None)})  # stored as they are


def decode(data: bytes, classes: Iterable[type]) -> Any:
    """Returns the value ``data`` encodes, building only the dataclasses and enums in ``classes``.

    Raises:
        CodecError: the data is not JSON this codec wrote for those classes.
    """
    known: dict[str, type] = {}
    for cls in classes:
        if known.setdefault(cls.__name__, cls) is not cls:  # a stored value names its class by name
            raise ValueError(f"two classes named {cls.__name__}: {known[cls.__name__]!r}, {cls!r}")
    fields = {
        name: frozenset(f.name for f in dataclasses.fields(cls) if f.init)
        for name, cls in known.items()
        if dataclasses.is_dataclass(cls)
    }

    def hook(raw: dict[str, Any]) -> Any:  # called bottom-up by the C parser for every object
        tag = next(iter(raw), "")
        if not tag.startswith("$"):
            return raw  # a plain mapping (its keys are data, whatever they look like)
        if tag == "$class":
            name = raw["$class"]
            values = raw["fields"]
            if len(raw) != 2 or not isinstance(values, dict) or fields.get(name) != values.keys():
                raise CodecError(f"fields of {name} differ")
            return known[name](**values)
        if len(raw) != (2 if tag == "$enum" else 1):
            raise CodecError(f"bad {tag}")
        return _TAGS[tag](raw, known)

    try:
        return json.loads(data.decode("utf-8"), object_hook=hook)
    except CodecError:
        raise
    except (
        UnicodeDecodeError,
        ValueError,
        RecursionError,
        KeyError,
        TypeError,
        ZeroDivisionError,
        InvalidOperation,
    ) as exc:
        raise CodecError(f"not a stored value: {exc}") from exc


def _fraction(raw: dict[str, Any], known: dict[str, type]) -> Fraction:
    numerator, denominator = str(raw["$fraction"]).split("/")
    if len(numerator) > 400 or len(denominator) > 400:  # bounded before int() sees it
        raise CodecError("fraction too long")
    return Fraction(int(numerator), int(denominator))


def _decimal(text: Any) -> Decimal:
    if not isinstance(text, str) or len(text) > 400:  # bounded: no 1e999999999 reaches Decimal
        raise CodecError("bad decimal")
    value = Decimal(text)
    if not value.is_finite() or abs(value.adjusted()) > 400:
        raise CodecError("decimal out of range")
    return value


def _enum(raw: dict[str, Any], known: dict[str, type]) -> enum.Enum:
    cls = known[raw["$enum"]]
    if not issubclass(cls, enum.Enum):
        raise CodecError("not an enum")
    return cls(raw["v"])


def _items(raw: dict[str, Any]) -> list[Any]:
    items = next(iter(raw.values()))
    if not isinstance(items, list):
        raise CodecError("not a list")
    return items


def _map(raw: dict[str, Any], known: dict[str, type]) -> dict[Any, Any]:
    return {_hashable(k): v for k, v in raw["$map"]}


def _hashable(value: Any) -> Any:
    if isinstance(value, list | dict):
        raise CodecError("a mapping key that is not a value")
    return value


_TAGS: dict[str, Callable[[dict[str, Any], dict[str, type]], Any]] = {
    "$fraction": _fraction,
    "$date": lambda raw, known: dt.date.fromisoformat(raw["$date"]),
    "$decimal": lambda raw, known: _decimal(raw["$decimal"]),
    "$enum": _enum,
    "$tuple": lambda raw, known: tuple(_items(raw)),
    "$set": lambda raw, known: set(_items(raw)),
    "$frozenset": lambda raw, known: frozenset(_items(raw)),
    "$map": _map,
}

"""EDGE: values of one declared type as plain JSON and back, directed by the type (the review's cache).

Where ``docgen.codec`` tags every value with what it is, this codec stores no tags: the declared
type says what each JSON value must become. A dataclass is a list of its fields in order, a
``Fraction`` an integer or ``"n/d"``, a date its ISO text, an enum its value, a tuple or list a
list, a ``dict[str, X]`` an object. For each type an encoder and a decoder are built once (the
annotations resolved with ``typing.get_type_hints``) and kept, so decoding is ``json.loads`` and a
tight walk of built functions. Only a value declared ``Any`` (an item's field values, a profile)
says what it is, as a one-key object (``{"fraction": "1/3"}``, ``{"list": [...]}``); its scalars
are plain.

Decoding is validated against the type: a JSON value of another kind, a list of another length,
an unknown enum value, a field too many or too few, an entry written for another type or another
version of this format (``FORMAT_VERSION``, in every entry's header line) raises ``CodecError``,
and the caller treats the entry as absent. It builds only the types it was declared, so a crafted
entry can at worst be refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import gc
import json
import operator
import threading
import types
import typing
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any, Generic, NoReturn, TypeVar

from docgen.codec import CodecError

FORMAT_VERSION = 1  # raise it whenever what a type is stored as changes: older entries are refused
MAX_FRACTION_TEXT = 801  # "n/d" of two 400-digit numbers, bounded before int() sees it
MAX_DATE_TEXT = 10  # YYYY-MM-DD
FRACTIONS_KEPT = 4096  # decoded fractions shared between entries (weights and bounds repeat)

T = TypeVar("T")
Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]

_PLAIN = (str, int, float, bool, type(None))  # stored as they are, their JSON type their own
_JSON_TYPES: frozenset[type] = frozenset({str, int, float, bool, type(None), list, dict})
_contains = frozenset.__contains__
_fractions: dict[Any, Fraction] = {}


class TypedCodec(Generic[T]):
    """Encodes and decodes values of the type ``kind``; an entry starts with a header line naming
    the format's version and ``name``. Fields declared of a type in ``detached`` (a score card's
    program) are stored as null and must be None."""

    def __init__(self, kind: Any, name: str, *, detached: tuple[type, ...] = ()) -> None:
        self.kind = kind
        self.header = f"docgen-typed {FORMAT_VERSION} {name}\n".encode()
        self.detached = detached
        self._built: tuple[Encoder, Decoder] | None = None

    def _functions(self) -> tuple[Encoder, Decoder]:
        built = self._built
        if built is None:  # built on first use (importing costs nothing), one thread at a time
            with _building:
                if self._built is None:
                    builder = _builders.setdefault(self.detached, _Builder(self.detached))
                    self._built = builder.encoder(self.kind), builder.decoder(self.kind)
                built = self._built
        return built

    def body(self, value: T) -> bytes:
        """Returns ``value`` as compact UTF-8 JSON, without the header (see ``join``).

        Raises:
            CodecError: the value does not match the declared type (a programming error).
            TypeError: the declared type is not one the codec can store (on first use).
        """
        encoder = self._functions()[0]
        try:
            encoded = encoder(value)
            text = json.dumps(encoded, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            return text.encode("utf-8")
        except CodecError:
            raise
        except (ValueError, TypeError, RecursionError) as exc:
            raise CodecError(f"cannot store: {exc}") from exc

    def encode(self, value: T) -> bytes:
        """Returns the entry of ``value``: the header line, then its JSON."""
        return self.header + self.body(value)

    def join(self, bodies: Iterable[bytes]) -> bytes:
        """Returns the entry of a list type from its items' bodies (each made by a codec of the
        item type): the same bytes as ``encode`` of the list."""
        return self.header + b"[" + b",".join(bodies) + b"]"

    def decode(self, data: bytes) -> T:
        """Returns the value the entry ``data`` holds.

        Raises:
            CodecError: the data is not an entry of this format, name and type.
        """
        decoder = self._functions()[1]
        if not data.startswith(self.header):
            raise CodecError("another format or type")
        collecting = gc.isenabled()
        gc.disable()  # every object made here stays alive: a collection would only walk the heap
        try:
            raw = json.loads(data[len(self.header) :].decode("utf-8"))
            return typing.cast(T, decoder(raw))
        except CodecError:
            raise
        except (ValueError, LookupError, TypeError, ArithmeticError, RecursionError) as exc:  # UTF-8, JSON, …
            raise CodecError(f"not a stored value: {exc}") from exc
        finally:
            if collecting:
                gc.enable()


_builders: dict[tuple[type, ...], _Builder] = {}  # by the types detached: their functions by type
_building = threading.Lock()  # a builder's tables are filled under it (stubs stand in meanwhile)


def _refuse(what: str) -> NoReturn:
    raise CodecError(f"not {what}")


class _Builder:
    """Builds, and keeps, each type's encoder and decoder."""

    def __init__(self, detached: tuple[type, ...]) -> None:
        self.detached = detached
        self.encoders: dict[Any, Encoder] = {}
        self.decoders: dict[Any, Decoder] = {}

    # -- what a type looks like in JSON and in Python --------------------------------------

    def json_types(self, kind: Any) -> frozenset[type]:
        """Returns the JSON value types (as json.loads gives them) a ``kind`` is stored as."""
        if kind is Any:
            return _JSON_TYPES
        if kind in self.detached or kind is None or kind is type(None):
            return frozenset({type(None)})
        if kind in _PLAIN:
            return frozenset({kind})
        if kind is Fraction:
            return frozenset({int, str})
        if kind is dt.date:
            return frozenset({str})
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return frozenset({_enum_value_type(kind)})
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            return frozenset({list})
        origin = typing.get_origin(kind)
        if origin in (tuple, list):
            return frozenset({list})
        if origin is dict:
            return frozenset({dict})
        if _is_union(kind):
            return frozenset[type]().union(*(self.json_types(k) for k in typing.get_args(kind)))
        raise TypeError(f"the typed codec cannot store {kind!r}")

    def python_types(self, kind: Any) -> frozenset[type]:
        """Returns the Python types a value of ``kind`` may have when it is encoded."""
        if kind is Any:
            return _ANY_TYPES
        if kind in self.detached or kind is None or kind is type(None):
            return frozenset({type(None)})
        if _is_union(kind):
            return frozenset[type]().union(*(self.python_types(k) for k in typing.get_args(kind)))
        origin = typing.get_origin(kind)
        return frozenset({origin if origin is not None else kind})

    def plain(self, kind: Any) -> bool:
        """Returns True when a ``kind`` is stored as it is (a JSON scalar, or a union of them)."""
        if kind in _PLAIN or kind is None:
            return True
        return _is_union(kind) and all(self.plain(k) for k in typing.get_args(kind))

    # -- encoders -----------------------------------------------------------------------------

    def encoder(self, kind: Any) -> Encoder:
        """Returns the encoder of ``kind`` (built once)."""
        return self._kept(self.encoders, kind, self._build_encoder)

    def _kept(
        self, table: dict[Any, Callable[[Any], Any]], kind: Any, build: Callable[[Any], Callable[[Any], Any]]
    ) -> Callable[[Any], Any]:
        """Returns the function ``table`` keeps for ``kind``, built by ``build`` the first time
        (while it is built, a stub stands for it: a dataclass may contain itself)."""
        found = table.get(kind)
        if found is None:
            forwarded: list[Callable[[Any], Any]] = []
            table[kind] = lambda value: forwarded[0](value)
            try:
                forwarded.append(build(kind))
            finally:
                del table[kind]
            found = table[kind] = forwarded[0]
        return found

    def _build_encoder(self, kind: Any) -> Encoder:
        _check_storable(kind)
        if kind is Any:
            return _encode_any
        if self.plain(kind) or kind in self.detached:
            allowed = self.python_types(kind)
            return lambda value: value if type(value) in allowed else _refuse(repr(kind))
        if kind is Fraction:
            return _encode_fraction
        if kind is dt.date:
            return lambda value: value.isoformat() if type(value) is dt.date else _refuse("a date")
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return lambda value: value.value if type(value) is kind else _refuse(kind.__name__)
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            return self._dataclass_encoder(kind)
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if origin in (tuple, list):
            return self._sequence_encoder(origin, args)
        if origin is dict:
            values = self.encoder(args[1])
            return lambda value: (
                {k: values(v) for k, v in value.items()}
                if type(value) is dict and all(type(k) is str for k in value)
                else _refuse(repr(kind))
            )
        if _is_union(kind):
            table = self._union_table(kind, self.python_types, self.encoder)
            return lambda value: table[type(value)](value) if type(value) in table else _refuse(repr(kind))
        raise TypeError(f"the typed codec cannot store {kind!r}")

    def _sequence_encoder(self, origin: Any, args: tuple[Any, ...]) -> Encoder:
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):  # tuple[X, Y]
            parts = [self.encoder(a) for a in args]
            size = len(parts)

            def fixed(value: Any) -> Any:
                if type(value) is not tuple or len(value) != size:
                    return _refuse(f"a tuple of {size}")
                return [encode(v) for encode, v in zip(parts, value, strict=True)]

            return fixed
        item_kind = args[0] if args else Any
        items = self.encoder(item_kind)
        if self.plain(item_kind):
            allowed = self.python_types(item_kind)
            return lambda value: (
                list(value)
                if type(value) is origin and set(map(type, value)) <= allowed
                else _refuse(f"a {origin.__name__} of {item_kind!r}")
            )
        return lambda value: [items(v) for v in value] if type(value) is origin else _refuse(origin.__name__)

    def _dataclass_encoder(self, kind: type) -> Encoder:
        hints = _fields(kind)
        names = tuple(hints)
        allowed = tuple(self.python_types(k) for k in hints.values())
        encoded = tuple((i, self.encoder(k)) for i, k in enumerate(hints.values()) if not self.plain(k))
        getter = operator.attrgetter(*names) if len(names) > 1 else lambda v: (getattr(v, names[0]),)

        def encode(value: Any) -> Any:
            if type(value) is not kind:
                return _refuse(kind.__name__)
            fields = list(getter(value))
            if not all(map(_contains, allowed, map(type, fields))):
                return _refuse(f"the field types of {kind.__name__}")
            for index, item in encoded:
                fields[index] = item(fields[index])
            return fields

        return encode

    # -- decoders -----------------------------------------------------------------------------

    def decoder(self, kind: Any) -> Decoder:
        """Returns the decoder of ``kind`` (built once)."""
        return self._kept(self.decoders, kind, self._build_decoder)

    def _build_decoder(self, kind: Any) -> Decoder:
        _check_storable(kind)
        if kind is Any:
            return _decode_any
        if self.plain(kind) or kind in self.detached:
            allowed = self.json_types(kind)
            return lambda raw: raw if type(raw) in allowed else _refuse(repr(kind))
        if kind is Fraction:
            return _decode_fraction
        if kind is dt.date:
            return _decode_date
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            members = {m.value: m for m in kind}
            value_type = _enum_value_type(kind)
            return lambda raw: members[raw] if type(raw) is value_type else _refuse(kind.__name__)
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            return self._dataclass_decoder(kind)
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if origin in (tuple, list):
            return self._sequence_decoder(origin, args)
        if origin is dict:
            if self.plain(args[1]):
                allowed = self.json_types(args[1])
                return lambda raw: (
                    raw
                    if type(raw) is dict and set(map(type, raw.values())) <= allowed
                    else _refuse(repr(kind))
                )
            values = self.decoder(args[1])
            return lambda raw: (
                {k: values(v) for k, v in raw.items()} if type(raw) is dict else _refuse(repr(kind))
            )
        if _is_union(kind):
            table = self._union_table(kind, self.json_types, self.decoder)
            others = [k for k in typing.get_args(kind) if k is not type(None)]
            if len(others) == 1 and len(table) == len(self.json_types(others[0])) + 1:  # X | None
                only = self.decoder(others[0])
                return lambda raw: None if raw is None else only(raw)
            return lambda raw: table[type(raw)](raw)
        raise TypeError(f"the typed codec cannot store {kind!r}")

    def _sequence_decoder(self, origin: Any, args: tuple[Any, ...]) -> Decoder:
        make: Callable[[list[Any]], Any] = tuple if origin is tuple else (lambda items: items)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            parts = [self.decoder(a) for a in args]
            size = len(parts)

            def fixed(raw: Any) -> Any:
                if type(raw) is not list or len(raw) != size:
                    return _refuse(f"a tuple of {size}")
                return tuple([decode(v) for decode, v in zip(parts, raw, strict=True)])

            return fixed
        item_kind = args[0] if args else Any
        if self.plain(item_kind):
            allowed = self.json_types(item_kind)
            return lambda raw: (
                make(raw)
                if type(raw) is list and set(map(type, raw)) <= allowed
                else _refuse(repr(item_kind))
            )
        items = self.decoder(item_kind)
        return lambda raw: make([items(v) for v in raw]) if type(raw) is list else _refuse(origin.__name__)

    def _dataclass_decoder(self, kind: type) -> Decoder:
        hints = _fields(kind)
        names = tuple(hints)
        size = len(names)
        allowed = tuple(self.json_types(k) for k in hints.values())
        decoded = tuple((i, self.decoder(k)) for i, k in enumerate(hints.values()) if not self.plain(k))
        new = object.__new__
        direct = not hasattr(kind, "__post_init__") and not hasattr(kind, "__slots__")

        def decode(raw: Any) -> Any:
            if type(raw) is not list or len(raw) != size or not all(map(_contains, allowed, map(type, raw))):
                return _refuse(f"a {kind.__name__}")
            for index, item in decoded:
                raw[index] = item(raw[index])
            if not direct:
                return kind(*raw)
            value: Any = new(kind)
            value.__dict__.update(
                zip(names, raw, strict=False)
            )  # what __init__ would set (no defaults apply)
            return value

        return decode

    # -- checks ---------------------------------------------------------------------------------

    def _union_table(
        self, kind: Any, types_of: Callable[[Any], frozenset[type]], function: Callable[[Any], Any]
    ) -> dict[type, Callable[[Any], Any]]:
        """Returns each member's function by the type of the value it handles (``types_of``); a
        union whose members share a JSON type (two dataclasses, int | Fraction) cannot be told
        apart and is refused."""
        members = typing.get_args(kind)
        stored: set[type] = set()
        for member in members:
            if stored & self.json_types(member):
                raise TypeError(f"the members of {kind!r} share a JSON type")
            stored |= self.json_types(member)
        table: dict[type, Callable[[Any], Any]] = {}
        for member in members:
            for value_type in types_of(member):
                table[value_type] = function(member)
        return table


_fields_of: dict[type, dict[str, Any]] = {}


def _fields(kind: type) -> dict[str, Any]:
    """Returns the declared type of each field of the dataclass ``kind``, in order (resolved once).

    Raises:
        TypeError: a field that ``__init__`` does not take (it could not be rebuilt as stored).
    """
    found = _fields_of.get(kind)
    if found is None:
        hints = typing.get_type_hints(kind)
        fields = dataclasses.fields(kind)
        if not fields or any(not f.init for f in fields):
            raise TypeError(f"the typed codec stores dataclasses whose fields are all init fields: {kind!r}")
        found = _fields_of[kind] = {f.name: hints[f.name] for f in fields}
    return found


def _check_storable(kind: Any) -> None:
    if typing.get_origin(kind) is dict and typing.get_args(kind)[0] is not str:
        raise TypeError(f"the typed codec stores mappings by text only, not {kind!r}")


def _is_union(kind: Any) -> bool:
    return typing.get_origin(kind) in (typing.Union, types.UnionType)


def _enum_value_type(kind: type[enum.Enum]) -> type:
    value_types = {type(m.value) for m in kind}
    if len(value_types) != 1 or not value_types <= {str, int}:
        raise TypeError(f"the typed codec stores enums of text or integer values only: {kind!r}")
    return value_types.pop()


def _encode_fraction(value: Any) -> Any:
    if type(value) is not Fraction:
        return _refuse("a fraction")
    if value.denominator == 1:
        return value.numerator
    return f"{value.numerator}/{value.denominator}"


def _decode_fraction(raw: Any) -> Fraction:
    found = _fractions.get(raw) if type(raw) in (int, str) else None
    if found is not None:
        return found
    if type(raw) is int:
        found = Fraction(raw)
    elif type(raw) is str and len(raw) <= MAX_FRACTION_TEXT:
        numerator, denominator = raw.split("/")
        found = Fraction(int(numerator), int(denominator))
    else:
        return _refuse("a fraction")
    if len(_fractions) >= FRACTIONS_KEPT:
        _fractions.clear()
    _fractions[raw] = found
    return found


def _decode_date(raw: Any) -> dt.date:
    if type(raw) is not str or len(raw) > MAX_DATE_TEXT:
        return _refuse("a date")
    return dt.date.fromisoformat(raw)


# -- values declared Any: scalars as they are, everything else a one-key object ---------------

_ANY_TYPES: frozenset[type] = frozenset({*_PLAIN, Fraction, dt.date, list, tuple, dict})


def _encode_any(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is Fraction:
        return {"fraction": f"{value.numerator}/{value.denominator}"}
    if kind is dt.date:
        return {"date": value.isoformat()}
    if kind is list or kind is tuple:
        return {kind.__name__: [_encode_any(v) for v in value]}
    if kind is dict and all(type(k) is str for k in value):
        return {"dict": {k: _encode_any(v) for k, v in value.items()}}
    return _refuse(f"a value to store ({kind.__name__})")


def _decode_any(raw: Any) -> Any:
    kind = type(raw)
    if kind in _PLAIN:
        return raw
    if kind is not dict or len(raw) != 1:
        return _refuse("a stored value")
    ((tag, inner),) = raw.items()
    return _ANY_DECODERS[tag](inner)


def _decode_any_list(raw: Any) -> list[Any]:
    return [_decode_any(v) for v in raw] if type(raw) is list else _refuse("a list")


_ANY_DECODERS: dict[str, Decoder] = {
    "fraction": lambda raw: _decode_fraction(raw) if type(raw) is str else _refuse("a fraction"),
    "date": _decode_date,
    "list": _decode_any_list,
    "tuple": lambda raw: tuple(_decode_any_list(raw)),
    "dict": lambda raw: (
        {k: _decode_any(v) for k, v in raw.items()} if type(raw) is dict else _refuse("a mapping")
    ),
}

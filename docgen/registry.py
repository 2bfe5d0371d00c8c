"""Registries of named types (rule types, field types): one decorator that refuses duplicates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

_C = TypeVar("_C", bound=type)


def registrar(table: dict[str, Any], what: str) -> Callable[[str], Callable[[_C], _C]]:
    """Returns a ``register(name)`` class decorator that puts one instance of the class, its
    ``name`` set, into ``table``; a name registered twice raises ValueError naming ``what``."""

    def register(name: str) -> Callable[[_C], _C]:
        def decorate(cls: _C) -> _C:
            if name in table:
                raise ValueError(f"{what} {name!r} registered twice")
            instance = cls()
            instance.name = name
            table[name] = instance
            return cls

        return decorate

    return register

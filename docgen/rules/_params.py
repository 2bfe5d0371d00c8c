"""Shared helpers of the rule types: parameter checks."""

from __future__ import annotations

import functools
from collections.abc import Hashable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from docgen.text.punctuation import ENUM_COMMA
from docgen.text.rules_text import RULES_TEXT


def is_number(value: Any) -> bool:
    """Returns True for int, Decimal, float or Fraction (not bool)."""
    return isinstance(value, int | Decimal | float | Fraction) and not isinstance(value, bool)


def is_param(value: Any) -> bool:
    """Returns True for a number or a tier reference {tier, column}."""
    return is_number(value) or (isinstance(value, Mapping) and set(value) == {"tier", "column"})


def need(params: Mapping[str, Any], *names: str) -> Iterator[str]:
    """Yields a problem for each named parameter that is missing or not a number/tier."""
    for name in names:
        if name not in params:
            yield RULES_TEXT["params.missing"].format(name=name)
        elif not is_param(params[name]):
            yield RULES_TEXT["params.not_number_or_tier"].format(name=name)


def only(params: Mapping[str, Any], allowed: set[str]) -> Iterator[str]:
    """Yields a problem for each parameter not in ``allowed``."""
    for name in params:
        if name not in allowed and name != "type":
            yield RULES_TEXT["params.unknown"].format(name=name, allowed=ENUM_COMMA.join(sorted(allowed)))


def number(value: Any) -> Fraction:
    """Returns a YAML number of a definition as an exact Fraction (read once per value: the same
    constants are read for every line of every submission)."""
    return _number(cast(Hashable, type(value)), value)


@functools.lru_cache(maxsize=4096)
def _number(_kind: Hashable, value: Any) -> Fraction:  # the type in the key: 1, 1.0 and True hash alike
    return Fraction(str(value))

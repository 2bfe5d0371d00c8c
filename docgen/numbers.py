"""Exact numbers: conversion to Fraction, rounding for output, display formatting."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


class NotANumber(ValueError):
    """The value cannot be read as a finite number."""


def to_fraction(value: object) -> Fraction:
    """Returns ``value`` as an exact Fraction (a float is read through its shortest repr).

    Raises:
        NotANumber: ``value`` is not a finite int, Decimal, float or numeric string.
    """
    if isinstance(value, bool):
        raise NotANumber(str(value))
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotANumber(str(value))
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotANumber(str(value))
        return Fraction(Decimal(repr(value)))
    raise NotANumber(repr(value))


def to_decimal(value: Fraction, places: int = 2) -> Decimal:
    """Returns ``value`` rounded half-up to ``places`` decimals."""
    quantum = Decimal(1).scaleb(-places)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(quantum, rounding=ROUND_HALF_UP)


def to_json(value: Fraction | None, places: int = 2) -> float | int | None:
    """Returns a JSON number rounded to ``places`` decimals (an int when whole)."""
    if value is None:
        return None
    rounded = to_decimal(value, places)
    if rounded == rounded.to_integral_value():
        return int(rounded)
    return float(rounded)


def to_score(value: Fraction) -> float:
    """Returns a score as a JSON number: always a float, rounded to 2 decimals (SPEC §8: 3.0)."""
    return float(to_decimal(value, 2))


def fmt(value: Fraction | None, places: int = 2) -> str:
    """Returns a display string: exact when it has at most ``places`` decimals, else rounded."""
    if value is None:
        return "—"
    if value.denominator == 1:
        return str(value.numerator)
    rounded = to_decimal(value, places)
    text = format(rounded, "f")
    if Fraction(rounded) == value:
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return text


def fmt_against(value: Fraction, *bounds: Fraction) -> str:
    """Returns ``value`` as fmt does, with more decimals (up to 8) when it would otherwise print
    as a bound it differs from: 1.99999% is shown against 2%, not as «2.00% 低于 2%»."""
    places = 2
    while places < 8 and any(
        b != value and to_decimal(value, places) == to_decimal(b, places) for b in bounds
    ):
        places += 2
    return fmt(value, places)


def fmt_fixed(value: Fraction | None, places: int = 2) -> str:
    """Returns ``value`` with exactly ``places`` decimals (for score columns)."""
    if value is None:
        return "—"
    return format(to_decimal(value, places), "f")

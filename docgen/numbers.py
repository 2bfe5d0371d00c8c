"""Exact numbers: conversion to Fraction, rounding for output, display formatting.

Numbers come from hostile text, so a number is bounded before it is built: a numeric text longer
than ``MAX_NUMBER_TEXT`` characters is never converted, and a Decimal beyond ``MAX_EXPONENT``
powers of ten is never made a Fraction (``1e999999999`` as a Fraction is a billion-digit integer;
Python refuses even to print an int of more than 4,300 digits).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

MAX_NUMBER_TEXT = 64
"""The longest numeric text read as a number (signs, digits, separators and exponent included)."""

MAX_EXPONENT = 100
"""The largest power of ten, either way, of a number read (``1e100`` is read, ``1e101`` is not)."""


class NotANumber(ValueError):
    """The value cannot be read as a finite number."""


class NumberOutOfRange(NotANumber):
    """The value is a number beyond ``MAX_NUMBER_TEXT`` or ``MAX_EXPONENT``: refused unread."""


def read_decimal(text: str) -> Decimal:
    """Returns numeric ``text`` as an exact Decimal, its length checked before it is converted.

    Raises:
        NumberOutOfRange: ``text`` is longer than ``MAX_NUMBER_TEXT`` or its magnitude is beyond
            ``MAX_EXPONENT`` powers of ten.
        NotANumber: ``text`` is not a finite decimal number.
    """
    if len(text) > MAX_NUMBER_TEXT:
        raise NumberOutOfRange(text[:MAX_NUMBER_TEXT])
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise NotANumber(text) from None
    if not value.is_finite():
        raise NotANumber(text)
    _check_bounds(value)
    return value


def _check_bounds(value: Decimal) -> None:
    """Raises NumberOutOfRange when the finite ``value`` is beyond the named bounds."""
    if value and (len(value.as_tuple().digits) > MAX_NUMBER_TEXT or abs(value.adjusted()) > MAX_EXPONENT):
        raise NumberOutOfRange(str(value)[:MAX_NUMBER_TEXT])


def to_fraction(value: object) -> Fraction:
    """Returns ``value`` as an exact Fraction (a float is read through its shortest repr).

    Raises:
        NotANumber: ``value`` is not a finite int, Decimal, float or numeric string.
        NumberOutOfRange: ``value`` is a Decimal beyond the named bounds.
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
        _check_bounds(value)
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

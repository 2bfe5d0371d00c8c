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


def within_bounds(value: Decimal) -> bool:
    """Returns whether the finite ``value`` is within ``MAX_NUMBER_TEXT`` digits and
    ``MAX_EXPONENT`` powers of ten (what every reader of numbers keeps as a number)."""
    return not value or (
        len(value.as_tuple().digits) <= MAX_NUMBER_TEXT and abs(value.adjusted()) <= MAX_EXPONENT
    )


def _check_bounds(value: Decimal) -> None:
    """Raises NumberOutOfRange when the finite ``value`` is beyond the named bounds."""
    if not within_bounds(value):
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


MAX_DECIDING_PLACES = 20
"""The most decimals ``fmt_against`` prints; beyond them the last digit is rounded toward the
value's side of its bound."""


def fmt_against(value: Fraction, *bounds: Fraction, places: int = 2, fixed: bool = False) -> str:
    """Returns ``value`` printed beside the bound(s) it is compared with, with the digits that
    decide the comparison: the printed figure is on the same side of every bound as the exact
    value (below, equal or above), so 1.999976% compared with 2% prints «1.99998», never «2.00»
    beside 未达标; 2.004 against 2 prints «2.004»; a value equal to its bound prints as the bound.

    Call it wherever a value is shown next to a requirement, threshold or bracket bound: scoring
    explanations, eligibility details, the data and score tables of the report (附表1–3), the
    missing-evidence report, forms and the 汇总表. ``IndicatorResult.bounds`` (evaluated value)
    and ``IndicatorResult.value_bounds`` (data value) name a line's bounds; an
    ``EligibilityResult`` has its ``bound``.

    Args:
        value: the exact value.
        bounds: the numbers it is compared with (any number of them; none: as ``fmt``).
        places: the decimals printed when they already decide (2 as in every table).
        fixed: True prints at least ``places`` decimals, as ``fmt_fixed`` does («2.00» for 2, for
            table columns); False trims the zeros of a value that is exact at ``places``
            decimals, as ``fmt`` does («2», «2.5», for running text).
    """
    shown = fmt_fixed if fixed else fmt
    scale = 2 * 10**places  # rounding to `places` decimals moves a value by at most 1/scale
    numerator, denominator = value.numerator, value.denominator
    for b in bounds:  # the common case, in integers: equal to every bound or farther than 1/scale
        apart = numerator * b.denominator - b.numerator * denominator
        if apart and abs(apart) * scale <= denominator * b.denominator:
            break
    else:
        return shown(value, places)
    for digits in range(places, MAX_DECIDING_PLACES + 1):
        rounded = Fraction(to_decimal(value, digits))
        if all(b == value or _side(rounded, b) == _side(value, b) for b in bounds):
            return shown(value, digits)
    # 20 decimals do not separate them: round toward the value's side of the nearest bound
    nearest = min((b for b in bounds if b != value), key=lambda b: abs(value - b))
    quantum = Fraction(1, 10**MAX_DECIDING_PLACES)
    step = math.floor(value / quantum) if value < nearest else math.ceil(value / quantum)
    return format(Decimal(step).scaleb(-MAX_DECIDING_PLACES), "f")


def _side(value: Fraction, bound: Fraction) -> int:
    """Returns -1, 0 or 1 as ``value`` is below, at or above ``bound``."""
    return (value > bound) - (value < bound)


def fmt_fixed(value: Fraction | None, places: int = 2) -> str:
    """Returns ``value`` with exactly ``places`` decimals (for score columns)."""
    if value is None:
        return "—"
    return format(to_decimal(value, places), "f")

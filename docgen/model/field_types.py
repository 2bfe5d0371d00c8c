"""Field types: small objects registered by name (cf. Click's ``ParamType``).

A data-table, profile or item field declares one of these as ``type:`` in programs/shared/; a
mistyped name is a definition error at load (``FIELD_TYPE_NAMES``). A type converts a raw answer
value to its canonical value and yields the Diagnostics of a value it refuses or reads with
doubt. The Diagnostics carry no location: the caller, which knows the key path and the line,
places them (``Diagnostic.with_location``), as jsonschema's ``descend`` does.

Two conversions exist because a value means two things: ``convert`` reads a profile or an item
field (``ChoiceField``), ``convert_figure`` a data-table figure (``FieldDef``), which is always
an exact number.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from docgen.diagnostics import Diagnostic
from docgen.model.credit_code import credit_code_problem
from docgen.model.definitions import ChoiceField, FieldDef
from docgen.numbers import (
    MAX_EXPONENT,
    MAX_NUMBER_TEXT,
    NotANumber,
    NumberOutOfRange,
    fmt,
    read_decimal,
    to_fraction,
)
from docgen.registry import registrar
from docgen.text.messages import TYPE_NAMES, diagnostic
from docgen.text.model_text import MODEL_TEXT
from docgen.text.punctuation import COMMA, ENUM_COMMA

MAX_FIGURE = Fraction(10) ** 12
"""The largest figure magnitude read (a typo of many zeros is refused, not scored)."""

_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")
_SCIENTIFIC = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$")
_INDUSTRY = re.compile(r"^\d{2}$")
_LINE_BREAKS = re.compile(r"[ \t]*(?:[\r\n\x85\u2028\u2029][ \t]*)+")


@dataclass(frozen=True)
class Conversion:
    """A raw value read by a field type: the canonical value (None when refused) and findings.

    The findings have no location yet; warnings may come with an accepted value (a number
    written as text).
    """

    value: Any = None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def accepted(self) -> bool:
        """Returns True when the value was read (it may still come with warnings)."""
        return self.value is not None


def _refuse(code: str, *earlier: Diagnostic, **params: Any) -> Conversion:
    return Conversion(None, (*earlier, diagnostic(code, **params)))


def read_number(value: Any, label: str, unit: str = "") -> Conversion:
    """Returns ``value`` read as an exact number of at most ``MAX_FIGURE``.

    Numbers typed as text are understood when plain (full-width digits and thousands separators,
    with an ``answers.number_text`` warning showing what was read); units, 万 and % are refused
    with what to write (``answers.not_a_number``).
    """
    found: tuple[Diagnostic, ...] = ()
    unit = unit or MODEL_TEXT["field_types.default_unit"]
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(COMMA, ",")
        if len(text) > MAX_NUMBER_TEXT or (_SCIENTIFIC.match(text) and _beyond_bounds(text)):
            return _out_of_range(label, value, unit)
        if not _PLAIN_NUMBER.match(text):
            return _refuse("answers.not_a_number", label=label, value=value, unit=unit)
        number = to_fraction(read_decimal(text.replace(",", "")))
        found = (diagnostic("answers.number_text", label=label, value=value, read=fmt(number)),)
    else:
        try:
            number = to_fraction(value)
        except NumberOutOfRange:
            return _out_of_range(label, value, unit)
        except NotANumber:
            if isinstance(value, float):
                return _refuse("answers.not_finite", label=label, value=value)
            return _refuse(
                "answers.wrong_type",
                label=label,
                expected=MODEL_TEXT["field_types.expected_number"],
                value=value,
            )
    if abs(number) > MAX_FIGURE:
        return _refuse("answers.too_large", *found, label=label, value=value)
    return Conversion(number, found)


def _beyond_bounds(text: str) -> bool:
    """Returns True when the number ``text`` writes is beyond the bounds of ``numbers``."""
    try:
        read_decimal(text)
    except NumberOutOfRange:
        return True
    except NotANumber:
        return False
    return False


def _out_of_range(label: str, value: Any, unit: str) -> Conversion:
    return _refuse(
        "answers.number_out_of_range",
        label=label,
        value=value,
        limit=MAX_NUMBER_TEXT,
        exponent=MAX_EXPONENT,
        unit=unit,
    )


def read_file_path(text: str) -> Conversion:
    """Returns an evidence path with Windows separators read as ``/`` (with a warning).

    A submission travels between Windows and other systems; ``evidence\\承诺书.pdf`` names
    the file ``承诺书.pdf`` in the folder ``evidence`` wherever docgen runs, so the path is read
    so (a file whose own name holds a backslash cannot be opened on Windows anyway).
    """
    if "\\" not in text:
        return Conversion(text)
    read = text.replace("\\", "/")
    return Conversion(read, (diagnostic("answers.backslash_path", value=text, read=read),))


class FieldType:
    """A field type: how a raw answer value converts, and what it refuses.

    The base type keeps a profile or item value as given and reads a figure as a number that is
    not negative unless the field is ``signed``. Subclasses override what differs.

    Attributes:
        name: the name definitions write as ``type:``.
        placeholder: the value ``docgen init`` writes for a profile field of this type;
            ``{year}`` is replaced with the program's year.
    """

    name: str = ""
    placeholder: str = '""'

    def convert(self, value: Any, field: ChoiceField) -> Conversion:
        """Returns the canonical value of a profile or item field (``value`` is not None)."""
        return Conversion(value)

    def convert_figure(self, value: Any, field: FieldDef) -> Conversion:
        """Returns the exact number of a data-table figure (``value`` is not None)."""
        read = read_number(value, field.label, field.unit)
        if read.accepted and read.value < 0 and not field.signed:
            return _refuse("answers.negative", *read.diagnostics, label=field.label, value=fmt(read.value))
        return read


FIELD_TYPES: dict[str, FieldType] = {}
"""Every registered field type by name (filled by ``register`` below)."""

register = registrar(FIELD_TYPES, "field type")
"""``@register(name)``: registers a field type class under ``name``; refuses duplicate names."""


def field_type(name: str) -> FieldType:
    """Returns the field type called ``name``.

    Raises:
        KeyError: no such type (definitions are checked against ``FIELD_TYPE_NAMES`` at load).
    """
    return FIELD_TYPES[name]


# -- the built-in types ----------------------------------------------------------------------


@register("amount")
class Amount(FieldType):
    """Money or another exact number, not negative unless the field is ``signed: true``."""


@register("count")
class Count(FieldType):
    """A whole number ≥ 0."""

    placeholder = "0"

    def convert(self, value: Any, field: ChoiceField) -> Conversion:
        if isinstance(value, int) and not isinstance(value, bool):
            if value >= 0:
                return Conversion(value)
            return _refuse("answers.negative", label=field.label, value=value)
        return _refuse("answers.wrong_type", label=field.label, expected=TYPE_NAMES["count"], value=value)

    def convert_figure(self, value: Any, field: FieldDef) -> Conversion:
        read = super().convert_figure(value, field)
        if read.accepted and read.value.denominator != 1:
            return _refuse("answers.not_integer", *read.diagnostics, label=field.label, value=fmt(read.value))
        return read


@register("half")
class Half(FieldType):
    """A number ≥ 0 in steps of 0.5 (人月)."""

    def convert_figure(self, value: Any, field: FieldDef) -> Conversion:
        read = super().convert_figure(value, field)
        if read.accepted and (read.value * 2).denominator != 1:
            return _refuse(
                "answers.not_half",
                *read.diagnostics,
                label=field.label,
                value=fmt(read.value),
                unit=field.unit,
            )
        return read


@register("text")
class Text(FieldType):
    """One line of text; a number is read as its digits, a yes/no is refused, a line break is
    read as a space (with a warning: a name or an address breaks a table's row or a heading)."""

    def convert(self, value: Any, field: ChoiceField) -> Conversion:
        if isinstance(value, bool):
            return _refuse("answers.bool_as_text", label=field.label)
        if isinstance(value, str | int):
            text = str(value).strip()
            if _LINE_BREAKS.search(text):
                return Conversion(
                    _LINE_BREAKS.sub(" ", text), (diagnostic("answers.line_break", label=field.label),)
                )
            return Conversion(text)
        return _refuse("answers.wrong_type", label=field.label, expected=TYPE_NAMES["text"], value=value)


@register("credit_code")
class CreditCode(Text):
    """A 统一社会信用代码 (GB 32100): 18 characters, both check characters right; written in capitals."""

    def convert(self, value: Any, field: ChoiceField) -> Conversion:
        read = super().convert(value, field)
        if not read.accepted:
            return read
        code = str(read.value).replace(" ", "").upper()
        problem = credit_code_problem(code)
        if problem is not None:
            return _refuse(
                f"answers.credit_code_{problem}",
                *read.diagnostics,
                label=field.label,
                value=code,
                count=len(code),
            )
        return Conversion(code, read.diagnostics)


@register("patent_number")
class PatentNumber(Text):
    """A patent (application) number, read as text."""


@register("file")
class File(Text):
    """An evidence file's path inside the submission, read as text (``\\`` read as ``/``)."""

    def convert(self, value: Any, field: ChoiceField) -> Conversion:
        read = super().convert(value, field)
        if not read.accepted:
            return read
        path = read_file_path(read.value)
        return Conversion(path.value, (*read.diagnostics, *path.diagnostics))


@register("choice")
class Choice(FieldType):
    """One of ``choices`` (English values; Chinese names and aliases accepted)."""

    def convert(self, value: Any, field: ChoiceField) -> Conversion:
        canonical = field.canonical(value)
        if canonical is None:
            allowed = ENUM_COMMA.join(
                MODEL_TEXT["field_types.choice_with_name"].format(key=k, name=v) if k != v else k
                for k, v in field.choices.items()
            )
            return _refuse("answers.choice", label=field.label, value=value, allowed=allowed)
        return Conversion(canonical)


@register("year")
class Year(FieldType):
    """A year from 1900 to 2100 (a whole number, or its digits as text)."""

    placeholder = "{year}"

    def convert(self, value: Any, field: ChoiceField) -> Conversion:
        if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
            return Conversion(value)
        text = value.strip() if isinstance(value, str) else ""
        if len(text) == 4 and text.isascii() and text.isdigit() and 1900 <= int(text) <= 2100:
            return Conversion(int(text))
        return _refuse("answers.year", value=value)


@register("date")
class Date(FieldType):
    """A calendar date (YAML date, or ISO text such as 2022-01-01)."""

    placeholder = "{year}-01-01"

    def convert(self, value: Any, field: ChoiceField) -> Conversion:
        if isinstance(value, dt.datetime):
            return Conversion(value.date())
        if isinstance(value, dt.date):
            return Conversion(value)
        if isinstance(value, str):
            try:
                return Conversion(dt.date.fromisoformat(value.strip()))
            except ValueError:
                pass
        return _refuse("answers.date", label=field.label, value=value)


@register("bool")
class Bool(FieldType):
    """Yes or no (true/false)."""

    placeholder = "false"

    def convert(self, value: Any, field: ChoiceField) -> Conversion:
        if isinstance(value, bool):
            return Conversion(value)
        return _refuse("answers.wrong_type", label=field.label, expected=TYPE_NAMES["bool"], value=value)


@register("industry_code")
class IndustryCode(FieldType):
    """A two-digit GB/T 4754 大类 code, kept as text ("07"; an unquoted 7 is refused)."""

    placeholder = '"35"'

    def convert(self, value: Any, field: ChoiceField) -> Conversion:
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9:
            return _refuse("answers.industry_code_unquoted", value=value)  # 07 read as 7
        text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
        if not _INDUSTRY.match(text):
            return _refuse("answers.industry_code", value=value)
        return Conversion(text)


FIELD_TYPE_NAMES = frozenset(FIELD_TYPES)
"""The names definitions may declare as ``type:`` (the built-in types above)."""

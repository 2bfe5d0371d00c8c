"""CORE: counts derived from itemised claims (time windows, filters, unique keys, validity)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from docgen.model.answers import Item
from docgen.model.definitions import DeriveSpec
from docgen.text.labels import TEXT
from docgen.text.model_text import MODEL_TEXT

DASHES = re.compile(MODEL_TEXT["counting.dashes"])  # the dashes identifiers are written with (GB/T 1—2021)


def item_year(value: Any) -> int | None:
    """Returns the year of a date, a datetime or a year number; None otherwise."""
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def item_name(item: Item, identifier: str) -> str:
    """Returns how outputs name an item: its identifier, else its name, title or project, else
    its position (第N项)."""
    for field in (identifier, "name", "title", "project"):
        if item.values.get(field):
            return str(item.values[field])
    return TEXT["item_position"].format(number=item.index + 1)


def identity(value: Any) -> str | None:
    """Returns an identifier as compared for repeats: NFKC, upper case, one kind of dash, no
    spaces (dots kept: GB/T 1234.5 is not GB/T 12345)."""
    if value is None or not str(value).strip():
        return None
    text = unicodedata.normalize("NFKC", str(value)).upper()
    return re.sub(r"\s", "", DASHES.sub("-", text))


def in_window(value: Any, years: int | None, report_year: int | None) -> bool:
    """Returns True when ``value``'s year is one of the ``years`` years ending with report_year.

    近三年 = Y, Y−1, Y−2 (``years=3``); the report year alone is ``years=1``. ``years`` None is
    an open window: anything up to the report year, an undated item included. Without a valid
    report year (an error reported elsewhere) nothing is excluded.
    """
    if not report_year:
        return True
    year = item_year(value)
    if years is None:
        return year is None or year <= report_year
    return year is not None and report_year - years < year <= report_year


def _matches(item: Item, spec: DeriveSpec) -> bool:
    for field, allowed in spec.where.items():
        if item.values.get(field) not in allowed:
            return False
    if spec.any:
        return any(
            all(item.values.get(field) in allowed for field, allowed in condition.items())
            for condition in spec.any
        )
    return True


def valid_at_year_end(value: Any, report_year: int) -> bool:
    """Returns True when an expiry date is on or after 12-31 of the report year (or absent)."""
    if value is None or not report_year:
        return True
    if isinstance(value, dt.date):
        return value >= dt.date(report_year, 12, 31)
    return True


def counted_items(items: Iterable[Item], spec: DeriveSpec, report_year: int) -> list[Item]:
    """Returns the items a derived count counts, in order (one per unique key)."""
    seen: set[str] = set()
    out: list[Item] = []
    for item in items:
        if not _matches(item, spec):
            continue
        if spec.window_field and not in_window(
            item.values.get(spec.window_field), spec.window_years, report_year
        ):
            continue
        if spec.valid_at_year_end and not valid_at_year_end(
            item.values.get(spec.valid_at_year_end), report_year
        ):
            continue
        key = str(item.values.get(spec.unique)) if spec.unique else item.identity
        if key is not None:  # one project counts once; an identifier listed twice counts once
            if key in seen:
                continue
            seen.add(key)
        out.append(item)
    return out


def excluded_by_window(items: Iterable[Item], spec: DeriveSpec, report_year: int) -> list[Item]:
    """Returns the items that match the filters but fall outside the time window."""
    if not spec.window_field:
        return []
    return [
        item
        for item in items
        if _matches(item, spec)
        and not in_window(item.values.get(spec.window_field), spec.window_years, report_year)
    ]


def expired(items: Iterable[Item], spec: DeriveSpec, report_year: int) -> list[Item]:
    """Returns the items that match the filters but expired before the report year's end."""
    if not spec.valid_at_year_end:
        return []
    return [
        item
        for item in items
        if _matches(item, spec)
        and not valid_at_year_end(item.values.get(spec.valid_at_year_end), report_year)
    ]

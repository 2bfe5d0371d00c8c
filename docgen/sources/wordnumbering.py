"""EDGE: Word's automatic numbering (word/numbering.xml) — the number a list level draws before
a paragraph, rebuilt from its ``lvlText`` (``%1、``, ``（%1）``, ``%1.%2``) and ``numFmt``
(``chineseCounting`` 一二三, ``decimal``, ``ideographTraditional`` 甲乙丙 …), with the counters
Word keeps (a level restarts its deeper levels; lists of one abstract list continue each other
unless a ``startOverride`` restarts them).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from docgen.text.labels import NUMBERING_CYCLES, NUMBERING_DIGITS, NUMBERING_TEN, NUMBERING_TENS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_LIST_LEVEL = 8  # Word's levels are 0–8
MAX_LEVEL_TEXT = 32  # characters of a level's lvlText kept (Word's are «%1、», «（%2）», «%1.%2.%3»)


class Refused(Exception):
    """The XML declares a DOCTYPE or an entity: Word never writes one, and none is expanded."""


def parse(data: bytes) -> ET.Element:
    """Returns the root of a small part (styles, numbering), refusing a DOCTYPE."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise Refused
    return ET.fromstring(data)


def val(element: ET.Element | None, name: str = "val") -> str | None:
    """Returns the ``w:`` attribute ``name`` of ``element`` (None when either is absent)."""
    return None if element is None else element.get(W + name)


def on(element: ET.Element | None) -> bool:
    """Returns True for a toggle property that is present and not switched off (w:b, w:i)."""
    return element is not None and val(element) not in ("0", "false", "off")


def read_int(text: str | None, default: int) -> int:
    """Returns the integer ``text`` holds (a few digits), else ``default``."""
    return int(text) if text and text.lstrip("-").isdigit() and len(text) < 6 else default


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    style: str | None = None
    legal: bool = False


@dataclass
class Numbering:
    """numbering.xml: each list's levels, and the counters of the lists met so far."""

    data: bytes
    abstract_of: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.data:
            return
        root = parse(self.data)
        for abstract in root.iter(W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iter(W + "lvl"):
                index = read_int(val(lvl, "ilvl"), 0)
                levels[index] = _Level(
                    read_int(val(lvl.find(W + "start")), 1),
                    val(lvl.find(W + "numFmt")) or "decimal",
                    (val(lvl.find(W + "lvlText")) or "")[:MAX_LEVEL_TEXT],
                    val(lvl.find(W + "pStyle")),
                    on(lvl.find(W + "isLgl")),
                )
            self.levels[val(abstract, "abstractNumId") or ""] = levels
        for num in root.iter(W + "num"):
            num_id = val(num, "numId") or ""
            self.abstract_of[num_id] = val(num.find(W + "abstractNumId")) or ""
            for override in num.iter(W + "lvlOverride"):
                start = override.find(W + "startOverride")
                if start is not None:
                    level = read_int(val(override, "ilvl"), 0)
                    self.overrides.setdefault(num_id, {})[level] = read_int(val(start), 1)

    def level_of_style(self, num_id: str, style_id: str) -> int:
        """Returns the level of list ``num_id`` linked to ``style_id`` (0 when none is)."""
        for index, level in self.levels.get(self.abstract_of.get(num_id, ""), {}).items():
            if level.style == style_id:
                return index
        return 0

    def next(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """Returns (the number drawn, its format) for the next paragraph of list ``num_id`` at
        ``ilvl``, advancing the counters (lists of one abstract list continue each other)."""
        abstract = self.abstract_of.get(num_id)
        levels = self.levels.get(abstract or "")
        if abstract is None or not levels or ilvl not in levels:
            return None
        counters = self.counters.setdefault(abstract, [lv.start - 1 for lv in _all_levels(levels)])
        if num_id in self.overrides and num_id not in self.started:
            self.started.add(num_id)
            for index, start in self.overrides[num_id].items():
                if 0 <= index <= MAX_LIST_LEVEL:
                    counters[index] = start - 1
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, MAX_LIST_LEVEL + 1):
            counters[deeper] = levels[deeper].start - 1 if deeper in levels else 0
        level = levels[ilvl]

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            if not 0 <= index <= ilvl:
                return ""
            lv = levels.get(index, _Level())
            fmt = "decimal" if level.legal and lv.fmt != "bullet" else lv.fmt
            return format_number(max(counters[index], 0), fmt)

        if level.fmt == "bullet":
            return level.text, "bullet"
        return re.sub(r"%([1-9])", number, level.text), level.fmt


def _all_levels(levels: dict[int, _Level]) -> list[_Level]:
    return [levels.get(i, _Level()) for i in range(MAX_LIST_LEVEL + 1)]


def format_number(n: int, fmt: str) -> str:
    """Returns ``n`` written in Word's numbering format ``fmt`` (decimal for formats not known)."""
    if fmt in NUMBERING_DIGITS:
        return _chinese(n, NUMBERING_DIGITS[fmt], NUMBERING_TENS.get(fmt, NUMBERING_TEN))
    if fmt in NUMBERING_CYCLES:
        cycle = NUMBERING_CYCLES[fmt]
        return cycle[(n - 1) % len(cycle)] if n > 0 else str(n)
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 0 < n < 4000:
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "none":
        return ""
    return str(n)


def _chinese(n: int, digits: str, ten: str) -> str:
    """Returns 1 … 99 as 一 … 九十九 (then digit by digit: 一〇〇)."""
    if not 0 <= n < 100:
        return "".join(digits[int(c)] for c in str(n)) if n >= 0 else str(n)
    tens, units = divmod(n, 10)
    if tens == 0:
        return digits[units]
    return (digits[tens] if tens > 1 else "") + ten + (digits[units] if units else "")


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out += letters
            n -= value
    return out

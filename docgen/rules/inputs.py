"""What a rule reads and prints, declared by its rule type from its own parameters.

Callers outside ``docgen.rules`` never compare rule names or read rule parameters: they ask the
rule set (``RuleSet.inputs``, ``RuleSet.requirements``) and get these plain values back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Window:
    """A time window over items: the date or year field, and how many years back (None: up to
    the report year)."""

    field: str
    years: int | None = None


@dataclass(frozen=True)
class ItemUse:
    """Items a rule scores one by one: their kind, the fields that select the points, the time
    window and the field whose equal values count once."""

    kind: str
    by: tuple[str, ...] = ()
    window: Window | None = None
    unique: str | None = None

    def named_fields(self) -> dict[str, str | None]:
        """Returns every item field named, by the parameter that names it (``window.field``,
        ``unique``, ``by[0]`` …), for checking them against the item kind."""
        names: dict[str, str | None] = {
            "window.field": self.window.field if self.window else None,
            "unique": self.unique,
        }
        names |= {f"by[{index}]": name for index, name in enumerate(self.by)}
        return names


@dataclass(frozen=True)
class RatingUse:
    """A self-rating a rule scores: the key under ``ratings`` and the words it accepts, in order."""

    key: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Inputs:
    """What a rule reads besides its indicator's value.

    Attributes:
        values: value expressions it evaluates itself ({field: key}, {percent: [a, b]} …), in
            the order it reads them.
        items: the items it scores one by one.
        ratings: the self-ratings it scores.
    """

    values: tuple[Any, ...] = ()
    items: tuple[ItemUse, ...] = ()
    ratings: tuple[RatingUse, ...] = ()

    def __add__(self, other: Inputs) -> Inputs:
        return Inputs(self.values + other.values, self.items + other.items, self.ratings + other.ratings)


@dataclass(frozen=True)
class Requirement:
    """A requirement a form prints in the 基本要求 or 满分要求 column.

    Attributes:
        value: the parameter: a number, or a {tier, column} reference.
        prefix: printed before the number (an operator such as ≥), or empty.
    """

    value: Any
    prefix: str = ""

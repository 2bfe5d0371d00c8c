"""Rule types: small objects registered by name (cf. Click's ParamType, jsonschema keywords).

A rule type turns an indicator's evaluated value (or its items) into points. It has a ``name``,
``check_params(params)`` that yields problems with a definition's parameters once at load time,
and ``evaluate(x, params, ctx)`` that returns an ``Outcome``. The engine (``docgen.scoring``)
computes the value, applies the industry coefficient and records the result; rule code never
looks at files or locations.

Adding a program never needs Python: a definition names a registered rule type and gives its
parameters. ``RuleSet`` copies the module registry so tests can add rule types without global
state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol

from docgen.model.definitions import Item


@dataclass(frozen=True)
class Outcome:
    """Points a rule gives, its arithmetic in words, and a reason code."""

    score: Fraction
    text: str
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


class RuleContext(Protocol):
    """What a rule may ask of the engine while it evaluates one indicator."""

    weight: Fraction
    unit: str
    report_year: int

    def param(self, value: Any) -> tuple[Fraction, str]:
        """Returns a parameter's number and a description (tiers are resolved here)."""

    def cohort_max(self) -> Fraction | None:
        """Returns the cohort's highest evaluated value for this indicator, or None alone."""

    def items(self, kind: str) -> tuple[Item, ...]:
        """Returns the submission's items of ``kind``."""

    def listed(self, kind: str) -> bool:
        """Returns True when the answers have an ``items.<kind>`` list (even one left empty by
        the evidence check); False when the kind was never itemised."""

    def figure(self, key: str) -> Fraction | None:
        """Returns a figure of the answers (given or derived), or None."""

    def label(self, key: str) -> str:
        """Returns a figure's Chinese label."""

    def rating(self, key: str) -> str | None:
        """Returns the self-rating word under ``ratings.<key>``, or None."""

    def identify(self, kind: str, item: Item) -> str:
        """Returns the item's identifier (standard code, award project, patent number …)."""

    def display(self, kind: str, field: str, value: Any) -> str:
        """Returns the Chinese name of an item field's canonical value."""

    def evaluate_option(self, option: Mapping[str, Any]) -> tuple[Outcome, str]:
        """Evaluates a nested {value, coefficient, rule} option (for ``best_of``)."""


class RuleType(Protocol):
    """The protocol every registered rule type follows."""

    name: str
    uses_value: bool

    def check_params(self, params: Mapping[str, Any]) -> Iterator[str]:
        """Yields problems with ``params`` (messages naming the parameter)."""

    def evaluate(self, x: Fraction | None, params: Mapping[str, Any], ctx: RuleContext) -> Outcome:
        """Returns the outcome for evaluated value ``x`` (None when the value is undefined)."""


RULE_TYPES: dict[str, RuleType] = {}


def register(name: str) -> Callable[[type], type]:
    """Registers a rule type class under ``name``; refuses duplicate names."""

    def decorate(cls: type) -> type:
        if name in RULE_TYPES:
            raise ValueError(f"rule type {name!r} registered twice")
        instance = cls()
        instance.name = name
        RULE_TYPES[name] = instance
        return cls

    return decorate


class RuleSet:
    """A copy of the registry; definitions are checked and scored against one of these."""

    def __init__(self, extra: Mapping[str, RuleType] | None = None) -> None:
        from docgen.rules import builtin  # noqa: F401  (fills RULE_TYPES)

        self.types: dict[str, RuleType] = dict(RULE_TYPES)
        if extra:
            self.types.update(extra)

    def get(self, name: str) -> RuleType | None:
        """Returns the rule type called ``name``, or None."""
        return self.types.get(name)

    def names(self) -> list[str]:
        """Returns the registered names, sorted."""
        return sorted(self.types)

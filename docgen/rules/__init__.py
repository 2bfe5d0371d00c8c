"""Rule types: small objects registered by name (cf. Click's ParamType, jsonschema keywords).

A rule type turns an indicator's evaluated value (or its items) into points. It has a ``name``,
``check_params(params)`` that yields problems with a definition's parameters once at load time,
and ``evaluate(x, params, ctx)`` that returns an ``Outcome``. The engine (``docgen.scoring``)
computes the value, applies the industry coefficient and records the result; rule code never
looks at files or locations.

A rule type also declares, from its own parameters, what it reads besides the indicator's value
(``inputs``: value expressions, items, self-ratings) and what a form prints as its requirements
(``requirements``), so no module outside ``docgen.rules`` compares rule names or reads rule
parameters: they ask ``RuleSet.inputs`` and ``RuleSet.requirements``.

Adding a program never needs Python: a definition names a registered rule type and gives its
parameters. ``RuleSet`` copies the module registry so tests can add rule types without global
state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol

from docgen.model.answers import Item
from docgen.model.definitions import RuleSpec
from docgen.registry import registrar
from docgen.rules.inputs import Inputs, ItemUse, RatingUse, Requirement, Window

__all__ = [
    "RULE_TYPES",
    "BaseRuleType",
    "Inputs",
    "ItemUse",
    "NestedInputs",
    "Outcome",
    "RatingUse",
    "Requirement",
    "RuleContext",
    "RuleSet",
    "RuleType",
    "Window",
    "register",
]

NestedInputs = Callable[[Mapping[str, Any]], Inputs]
"""Returns the inputs of a nested rule ({type, …} inside an option of ``best_of``/``sum_of``)."""


@dataclass(frozen=True)
class Outcome:
    """Points a rule gives, its arithmetic in words, and a reason code."""

    score: Fraction
    text: str
    reason: str
    details: dict[str, Any] = field(default_factory=dict)
    """What the engine records besides the score: ``met`` (达标), ``value`` (a line scored
    from items), ``full`` (the 满分值 used), ``bounds`` (the numbers the value was compared
    with, so that it prints with the digits that decide: ``numbers.fmt_against``), ``rating`` (the
    自评 word a rated line was scored on, shown as its data value)."""


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

    def field_unit(self, key: str) -> str:
        """Returns a figure's unit (万元, 人 …), empty when it has none."""

    def counter(self, kind: str) -> str:
        """Returns the measure word items of ``kind`` are counted in (项, 人 …)."""

    def kind_label(self, kind: str) -> str:
        """Returns the Chinese name of an item kind (标准, 科技奖励 …)."""

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

    def inputs(self, params: Mapping[str, Any], nested: NestedInputs) -> Inputs:
        """Returns what the rule reads besides the indicator's value (``nested`` declares a
        nested rule's)."""

    def requirements(self, params: Mapping[str, Any]) -> Mapping[str, Requirement]:
        """Returns the requirements a form prints for the line, under ``basic`` and ``full``."""


class BaseRuleType:
    """Defaults of the declarations, for a rule that reads nothing but the indicator's value and
    prints no requirement; the built-in types derive from it and override what they declare."""

    name: str = ""
    uses_value: bool = True

    def inputs(self, params: Mapping[str, Any], nested: NestedInputs) -> Inputs:
        """Returns no inputs: the rule reads only the indicator's value."""
        return Inputs()

    def requirements(self, params: Mapping[str, Any]) -> Mapping[str, Requirement]:
        """Returns no requirements: the form's requirement columns stay empty."""
        return {}


RULE_TYPES: dict[str, RuleType] = {}

register = registrar(RULE_TYPES, "rule type")
"""``@register(name)``: registers a rule type class under ``name``; refuses duplicate names."""


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

    def inputs(self, rule: RuleSpec) -> Inputs:
        """Returns what ``rule`` reads besides its indicator's value, nested rules included."""
        return self.types[rule.type].inputs(rule.params, self._nested_inputs)

    def _nested_inputs(self, rule: Mapping[str, Any]) -> Inputs:
        return self.inputs(RuleSpec(str(rule["type"]), dict(rule)))

    def requirements(self, rule: RuleSpec) -> Mapping[str, Requirement]:
        """Returns the requirements a form prints for ``rule``, under ``basic`` and ``full``."""
        return self.types[rule.type].requirements(rule.params)

"""CORE: the ``Catalog``, everything docgen knows once the definition files are read."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from docgen.model.definitions import (
    Checklist,
    ChoiceField,
    CoefficientTable,
    FieldDef,
    ItemKind,
    Outline,
    Program,
)
from docgen.rules import RuleSet


@dataclass
class Catalog:
    """Everything docgen knows: shared catalogues, programs, outlines, checklists, rule types."""

    fields: dict[str, FieldDef] = field(default_factory=dict)
    profile_fields: dict[str, ChoiceField] = field(default_factory=dict)
    item_kinds: dict[str, ItemKind] = field(default_factory=dict)
    coefficients: dict[str, CoefficientTable] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    outlines: dict[str, Outline] = field(default_factory=dict)
    checklists: dict[str, Checklist] = field(default_factory=dict)
    rules: RuleSet = field(default_factory=RuleSet)
    units: dict[str, dict[str, Fraction]] = field(default_factory=dict)
    company_suffixes: tuple[str, ...] = ()

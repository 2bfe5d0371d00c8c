"""CORE: the ``Catalog``, everything docgen knows once the definition files are read."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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

    def for_program(self, program: Program) -> Catalog:
        """Returns the catalogue as ``program`` speaks: a figure its data table labels in its own
        words (the alliance's «解决行业发展关键和共性技术难题数») and a profile field it names in
        ``profile_labels`` (the alliance's 联盟名称 for 企业名称) carry that label, the shared one
        kept as an accepted alias; every other field keeps the shared label."""
        own = {key: label for key, label in program.field_labels.items() if key in self.fields}
        own_profile = {k: label for k, label in program.profile_labels.items() if k in self.profile_fields}
        if not own and not own_profile:
            return self
        fields = dict(self.fields)
        for key, label in own.items():
            shared = fields[key]
            aliases = tuple(a for a in (shared.label, *shared.aliases) if a != label)
            fields[key] = replace(shared, label=label, aliases=aliases)
        profile = dict(self.profile_fields)
        for key, label in own_profile.items():
            spec = profile[key]
            label_aliases = tuple(a for a in (spec.label, *spec.label_aliases) if a != label)
            profile[key] = replace(spec, label=label, label_aliases=label_aliases)
        return replace(self, fields=fields, profile_fields=profile)

"""CORE: a program's scored lines: groups (一级/二级指标), indicators, their value expressions and
rules, and the eligibility rules (限定性指标), checked against the catalogues and the program's
own tiers, notes and coefficient table."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from docgen.definitions._reader import Reader
from docgen.definitions.catalog import Catalog
from docgen.diagnostics import KeyPath
from docgen.model.definitions import EligibilityRule, Group, Indicator, Note, RuleSpec, Tier
from docgen.text.definitions_text import DEFINITIONS_TEXT
from docgen.text.punctuation import ENUM_COMMA

VALUE_KINDS = {"field", "sum", "ratio", "percent"}
SCORE_PARTS = {"base", "bonus", "total"}
OPERATORS = (">=", ">", "<=", "<")


class IndicatorReader:
    """Reads the groups, indicators and eligibility rules of one program."""

    def __init__(
        self,
        r: Reader,
        catalog: Catalog,
        tiers: Mapping[str, Tier],
        notes: Mapping[str, Note],
        coefficient_columns: Set[str],
    ) -> None:
        self.r = r
        self.catalog = catalog
        self.tiers = tiers
        self.notes = notes
        self.coefficient_columns = coefficient_columns
        self.ids: set[str] = set()

    def group(self, raw: Any, path: KeyPath, parents: tuple[str, ...]) -> Group:
        """Returns one group with its indicators and subgroups."""
        r = self.r
        spec = r.mapping(raw, path, {"title"}, {"weight", "indicators", "groups"})
        title = str(spec.get("title"))
        trail = (*parents, title)
        indicators = tuple(
            self.indicator(x, (*path, "indicators", i), trail)
            for i, x in enumerate(r.seq(spec.get("indicators"), (*path, "indicators")))
        )
        groups = tuple(
            self.group(x, (*path, "groups", i), trail)
            for i, x in enumerate(r.seq(spec.get("groups"), (*path, "groups")))
        )
        weight = r.number(spec["weight"], (*path, "weight")) if "weight" in spec else None
        return Group(title, weight, indicators, groups)

    def indicator(self, raw: Any, path: KeyPath, group: tuple[str, ...], bonus: bool = False) -> Indicator:
        """Returns one indicator (a bonus line when ``bonus``), its id unique in the program."""
        r = self.r
        spec = r.mapping(
            raw,
            path,
            {"id", "title", "unit", "weight", "rule"},
            {"value", "coefficient", "notes", "criteria", "basic_text"},
        )
        ident = str(spec.get("id"))
        if ident in self.ids:
            r.fail("definition.duplicate_id", (*path, "id"), id=ident)
        self.ids.add(ident)
        rule = self.rule(spec.get("rule"), (*path, "rule"))
        value = spec.get("value")
        if value is not None:
            self.check_value(value, (*path, "value"))
        elif rule.type in self.catalog.rules.types and self.catalog.rules.types[rule.type].uses_value:
            r.fail("definition.missing_key", path, key="value")
        coefficient = spec.get("coefficient")
        if coefficient is not None and coefficient not in self.coefficient_columns:
            r.fail(
                "definition.invalid",
                (*path, "coefficient"),
                problem=DEFINITIONS_TEXT["indicators.no_coefficient_column"].format(coefficient=coefficient),
            )
        notes = r.texts(spec.get("notes"), (*path, "notes"))
        for note in notes:
            if note not in self.notes:
                r.fail(
                    "definition.invalid",
                    (*path, "notes"),
                    problem=DEFINITIONS_TEXT["indicators.unknown_note"].format(note=note),
                )
        return Indicator(
            id=ident,
            title=str(spec.get("title")),
            unit=str(spec.get("unit")),
            weight=r.number(spec.get("weight"), (*path, "weight")),
            rule=rule,
            value=value,
            coefficient=coefficient,
            group=group,
            bonus=bonus,
            notes=notes,
            criteria=str(spec.get("criteria") or ""),
            basic_text=str(spec.get("basic_text") or ""),
        )

    def rule(self, raw: Any, path: KeyPath) -> RuleSpec:
        """Returns the rule of an indicator, its parameters checked by its rule type."""
        r = self.r
        if not isinstance(raw, Mapping) or "type" not in raw:
            r.fail("definition.missing_key", path, key="rule.type")
            return RuleSpec("", {})
        name = str(raw["type"])
        rule_type = self.catalog.rules.get(name)
        if rule_type is None:
            r.fail(
                "definition.unknown_rule",
                (*path, "type"),
                name=name,
                allowed=ENUM_COMMA.join(self.catalog.rules.names()),
            )
            return RuleSpec(name, dict(raw))
        for problem in rule_type.check_params(raw):
            r.fail(
                "definition.invalid",
                path,
                problem=DEFINITIONS_TEXT["indicators.rule_problem"].format(name=name, problem=problem),
            )
        self.check_params(raw, path)
        return RuleSpec(name, dict(raw))

    def check_params(self, raw: Any, path: KeyPath) -> None:
        """Checks tier references and nested options anywhere in a rule's parameters."""
        if isinstance(raw, Mapping):
            if set(raw) == {"tier", "column"}:
                tier = self.tiers.get(raw["tier"])
                if tier is None:
                    self.r.fail(
                        "definition.invalid",
                        path,
                        problem=DEFINITIONS_TEXT["indicators.unknown_tier"].format(tier=raw["tier"]),
                    )
                elif any(raw["column"] not in band.values for band in tier.bands):
                    self.r.fail(
                        "definition.invalid",
                        path,
                        problem=DEFINITIONS_TEXT["indicators.tier_without_column"].format(
                            tier=raw["tier"], column=raw["column"]
                        ),
                    )
                return
            for key, value in raw.items():
                if key == "value":
                    self.check_value(value, (*path, key))
                elif key == "rule":
                    self.rule(value, (*path, key))
                elif key == "coefficient" and value not in self.coefficient_columns:
                    self.r.fail(
                        "definition.invalid",
                        (*path, key),
                        problem=DEFINITIONS_TEXT["indicators.params_no_column"].format(column=value),
                    )
                elif key == "field" and value not in self.catalog.fields:
                    self.r.fail("definition.unknown_field", (*path, key), key=value)
                elif key == "items" and isinstance(value, str) and value not in self.catalog.item_kinds:
                    self.r.fail(
                        "definition.invalid",
                        (*path, key),
                        problem=DEFINITIONS_TEXT["indicators.params_unknown_item_kind"].format(kind=value),
                    )
                elif key not in ("points", "window"):
                    self.check_params(value, (*path, key))
        elif isinstance(raw, list):
            for index, value in enumerate(raw):
                self.check_params(value, (*path, index))

    def check_value(self, value: Any, path: KeyPath) -> None:
        """Checks a value expression: ``{field|sum|ratio|percent: …}`` over defined figures."""
        r = self.r
        if not isinstance(value, Mapping) or len(value) != 1 or next(iter(value)) not in VALUE_KINDS:
            r.fail("definition.invalid", path, problem=DEFINITIONS_TEXT["indicators.unknown_value"])
            return
        kind, arg = next(iter(value.items()))
        keys = [arg] if kind == "field" else list(arg) if isinstance(arg, list) else []
        if kind in ("ratio", "percent") and len(keys) != 2:
            r.fail(
                "definition.invalid",
                path,
                problem=DEFINITIONS_TEXT["indicators.not_a_fraction"].format(kind=kind),
            )
        for key in keys:
            if not isinstance(key, str) or key not in self.catalog.fields:
                r.fail("definition.unknown_field", path, key=key)

    def eligibility(self, raw: Any, path: KeyPath) -> EligibilityRule:
        """Returns one eligibility rule: a value (or a score part) compared with a bound."""
        r = self.r
        spec = r.mapping(raw, path, {"id", "title", "value", "op", "bound"}, {"unit", "kinds"})
        value = spec.get("value")
        if isinstance(value, Mapping) and "score" in value:
            if len(value) != 1 or value["score"] not in SCORE_PARTS:
                r.fail(
                    "definition.invalid",
                    (*path, "value"),
                    problem=DEFINITIONS_TEXT["indicators.unknown_score"],
                )
        else:
            self.check_value(value, (*path, "value"))
        if spec.get("op") not in OPERATORS:
            r.fail("definition.invalid", (*path, "op"), problem=DEFINITIONS_TEXT["indicators.unknown_op"])
        return EligibilityRule(
            str(spec.get("id")),
            str(spec.get("title")),
            dict(value) if isinstance(value, Mapping) else {},
            str(spec.get("unit", "")),
            str(spec.get("op")),
            r.number(spec.get("bound"), (*path, "bound")),
            r.texts(spec.get("kinds"), (*path, "kinds")) if "kinds" in spec else (),
        )

"""CORE: raw definition mappings → model objects, with checks on the definitions themselves.

Definitions are authored by us and always strict: an unknown key, a missing key, an unknown rule
type, a reference to an undefined field, or weights that do not add up to the declared maximum
is an error naming the file, the line and the key. ``DefinitionError`` carries every finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from docgen.diagnostics import Diagnostic, KeyPath
from docgen.model.definitions import (
    Attachment,
    Band,
    Chapter,
    Checklist,
    ChecklistGroup,
    ChoiceField,
    CoefficientRow,
    CoefficientTable,
    DataRow,
    DeriveSpec,
    EligibilityRule,
    FieldDef,
    Group,
    Indicator,
    ItemKind,
    ItemProof,
    Note,
    Outline,
    Point,
    Program,
    RequiredDocument,
    RuleSpec,
    Section,
    Tier,
)
from docgen.rules import RuleSet
from docgen.sources.yamlio import LoadedDocument
from docgen.text.messages import diagnostic

VALUE_KINDS = {"field", "sum", "ratio", "percent"}
SCORE_PARTS = {"base", "bonus", "total"}


class _Reader:
    """Reads one definition document, collecting findings with file and line."""

    def __init__(self, doc: LoadedDocument) -> None:
        self.doc = doc
        self.findings: list[Diagnostic] = list(doc.diagnostics)

    def fail(self, code: str, path: KeyPath, **params: Any) -> None:
        self.findings.append(
            diagnostic(code, file=self.doc.file, line=self.doc.line_of(path), path=path, **params)
        )

    def mapping(
        self, value: Any, path: KeyPath, required: set[str], optional: set[str] = frozenset()
    ) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail("definition.invalid", path, problem=f"{_p(path)} 应为映射")
            return {}
        for key in required - set(value):
            self.fail("definition.missing_key", path, key=key)
        allowed = required | optional
        for key in value:
            if key not in allowed:
                self.fail("definition.unknown_key", (*path, key), key=key, allowed="、".join(sorted(allowed)))
        return value

    def number(self, value: Any, path: KeyPath) -> Fraction:
        if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            return Fraction(str(value))
        self.fail("definition.invalid", path, problem=f"{_p(path)} 应为数值")
        return Fraction(0)

    def seq(self, value: Any, path: KeyPath) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail("definition.invalid", path, problem=f"{_p(path)} 应为列表")
            return []
        return value


def _p(path: KeyPath) -> str:
    return ".".join(str(p) for p in path) or "顶层"


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


# -- shared catalogues -------------------------------------------------------------------------


def _choice_field(r: _Reader, name: str, raw: Any, path: KeyPath) -> ChoiceField:
    spec = r.mapping(raw, path, {"type", "label"}, {"required", "choices", "aliases"})
    aliases = spec.get("aliases") or {}
    label_aliases: tuple[str, ...] = ()
    if isinstance(aliases, list):  # profile fields: alternative labels, not value aliases
        label_aliases, aliases = tuple(aliases), {}
    return ChoiceField(
        name=name,
        type=str(spec.get("type", "text")),
        label=str(spec.get("label", name)),
        required=bool(spec.get("required", False)),
        choices={str(k): str(v) for k, v in (spec.get("choices") or {}).items()},
        aliases={str(k): str(v) for k, v in aliases.items()},
        label_aliases=label_aliases,
    )


def build_fields(
    doc: LoadedDocument,
) -> tuple[dict[str, FieldDef], dict[str, ChoiceField], dict[str, dict[str, Fraction]], list[Diagnostic]]:
    """Returns the field catalogue, the profile fields and the narrative units from ``fields.yaml``."""
    r = _Reader(doc)
    top = r.mapping(doc.data, (), {"id", "fields", "profile"}, {"units", "company_suffixes"})
    units = {
        str(base): {
            str(word): r.number(factor, ("units", base, word)) for word, factor in (table or {}).items()
        }
        for base, table in (top.get("units") or {}).items()
    }
    fields: dict[str, FieldDef] = {}
    for key, raw in (top.get("fields") or {}).items():
        path = ("fields", key)
        spec = r.mapping(
            raw,
            path,
            {"label", "unit", "type"},
            {"signed", "part_of", "derive", "aliases", "fallback", "mentions"},
        )
        derive = None
        if "derive" in spec:
            d = r.mapping(
                spec["derive"],
                (*path, "derive"),
                {"items"},
                {"where", "any", "window", "unique", "valid_at_year_end"},
            )
            window = d.get("window") or {}
            derive = DeriveSpec(
                items=str(d.get("items")),
                where={k: tuple(v) for k, v in (d.get("where") or {}).items()},
                any=tuple({k: tuple(v) for k, v in c.items()} for c in d.get("any") or ()),
                window_field=window.get("field"),
                window_years=window.get("years"),
                unique=d.get("unique"),
                valid_at_year_end=d.get("valid_at_year_end"),
            )
        if spec.get("type") not in ("amount", "count", "half"):
            r.fail("definition.invalid", (*path, "type"), problem="type 应为 amount、count 或 half")
        fields[key] = FieldDef(
            key=key,
            label=str(spec.get("label")),
            unit=str(spec.get("unit")),
            type=str(spec.get("type")),
            signed=bool(spec.get("signed", False)),
            part_of=spec.get("part_of"),
            derive=derive,
            aliases=tuple(spec.get("aliases") or ()),
            fallback=spec.get("fallback"),
            mentions=tuple(spec.get("mentions") or ()),
        )
    for key, f in fields.items():
        for ref, name in ((f.part_of, "part_of"), (f.fallback, "fallback")):
            if ref and ref not in fields:
                r.fail("definition.unknown_field", ("fields", key, name), key=ref)
    profile = {
        key: _choice_field(r, key, raw, ("profile", key)) for key, raw in (top.get("profile") or {}).items()
    }
    return fields, profile, units, r.findings


def build_company_suffixes(doc: LoadedDocument) -> tuple[tuple[str, ...], list[Diagnostic]]:
    """Returns the words a company name ends with (``company_suffixes`` in ``fields.yaml``)."""
    r = _Reader(doc)
    r.findings = []
    raw = doc.data.get("company_suffixes") if isinstance(doc.data, Mapping) else None
    words = r.seq(raw, ("company_suffixes",))
    for i, word in enumerate(words):
        if not isinstance(word, str) or not word.strip():
            r.fail("definition.invalid", ("company_suffixes", i), problem="企业名称后缀应为非空文字")
    return tuple(str(w).strip() for w in words if isinstance(w, str) and w.strip()), r.findings


def build_items(doc: LoadedDocument) -> tuple[dict[str, ItemKind], list[Diagnostic]]:
    """Returns the item kinds from ``items.yaml``."""
    r = _Reader(doc)
    top = r.mapping(doc.data, (), {"id", "kinds"})
    kinds: dict[str, ItemKind] = {}
    for key, raw in (top.get("kinds") or {}).items():
        spec = r.mapping(raw, ("kinds", key), {"label", "identifier", "fields"}, {"counter", "repeats"})
        fields = {
            name: _choice_field(r, name, f, ("kinds", key, "fields", name))
            for name, f in (spec.get("fields") or {}).items()
        }
        kinds[key] = ItemKind(
            key,
            str(spec.get("label")),
            str(spec.get("identifier")),
            fields,
            str(spec.get("counter") or ""),
            bool(spec.get("repeats", False)),
        )
    return kinds, r.findings


def build_coefficients(doc: LoadedDocument) -> tuple[CoefficientTable | None, list[Diagnostic]]:
    """Returns the industry coefficient table."""
    r = _Reader(doc)
    top = r.mapping(doc.data, (), {"id", "title", "columns", "rows"}, {"source", "note"})
    columns = {str(k): str(v) for k, v in (top.get("columns") or {}).items()}
    rows: dict[str, CoefficientRow] = {}
    fallback = ""
    for index, raw in enumerate(r.seq(top.get("rows"), ("rows",))):
        path = ("rows", index)
        spec = r.mapping(raw, path, {"code", "name", *columns}, {"fallback"})
        code = str(spec.get("code", ""))
        if code in rows:
            r.fail("definition.duplicate_id", path, id=code)
        rows[code] = CoefficientRow(
            code, str(spec.get("name")), {c: r.number(spec.get(c), (*path, c)) for c in columns}
        )
        if spec.get("fallback"):
            fallback = code
    if not fallback:
        r.fail("definition.invalid", ("rows",), problem="行业系数表缺少 fallback（其他）行")
    if r.findings:
        return None, r.findings
    return CoefficientTable(
        str(top["id"]), str(top["title"]), columns, rows, fallback, str(top.get("note", ""))
    ), []


# -- programs ----------------------------------------------------------------------------------

_PROGRAM_REQUIRED = {
    "id",
    "title",
    "short_title",
    "seed",
    "year",
    "issuer",
    "kinds",
    "attachments",
    "max_score",
    "max_bonus",
    "groups",
    "data_table",
}
_PROGRAM_OPTIONAL = {
    "document_number",
    "deadline",
    "quota",
    "outlines",
    "checklist",
    "coefficients",
    "relative",
    "scoring_basis",
    "notes",
    "tiers",
    "bonus",
    "eligibility",
    "review",
}


class _ProgramBuilder:
    def __init__(self, doc: LoadedDocument, catalog: Catalog) -> None:
        self.r = _Reader(doc)
        self.catalog = catalog
        self.tiers: dict[str, Tier] = {}
        self.notes: dict[str, Note] = {}
        self.ids: set[str] = set()

    def build(self) -> Program | None:
        r = self.r
        top = r.mapping(r.doc.data, (), _PROGRAM_REQUIRED, _PROGRAM_OPTIONAL)
        if not top:
            return None
        for index, raw in enumerate(r.seq(top.get("notes"), ("notes",))):
            spec = r.mapping(raw, ("notes", index), {"id", "text"}, {"in_report"})
            self.notes[str(spec.get("id"))] = Note(
                str(spec.get("id")), str(spec.get("text")), bool(spec.get("in_report", True))
            )
        for tier_id, raw in (top.get("tiers") or {}).items():
            self.tiers[tier_id] = self._tier(tier_id, raw)
        coefficient_id = top.get("coefficients")
        if coefficient_id and coefficient_id not in self.catalog.coefficients:
            r.fail("definition.invalid", ("coefficients",), problem=f"未知的系数表 {coefficient_id}")
        self.coefficient_columns = (
            set(self.catalog.coefficients[coefficient_id].columns)
            if coefficient_id in self.catalog.coefficients
            else set()
        )
        groups = tuple(
            self._group(raw, ("groups", i), ()) for i, raw in enumerate(r.seq(top.get("groups"), ("groups",)))
        )
        bonus_spec = r.mapping(
            top.get("bonus") or {"title": "", "indicators": []}, ("bonus",), {"title", "indicators"}
        )
        bonus = tuple(
            self._indicator(raw, ("bonus", "indicators", i), (str(bonus_spec.get("title")),), bonus=True)
            for i, raw in enumerate(r.seq(bonus_spec.get("indicators"), ("bonus", "indicators")))
        )
        elig_spec = r.mapping(
            top.get("eligibility") or {"title": "", "rules": []}, ("eligibility",), {"title", "rules"}
        )
        eligibility = tuple(
            self._eligibility(raw, ("eligibility", "rules", i))
            for i, raw in enumerate(r.seq(elig_spec.get("rules"), ("eligibility", "rules")))
        )
        table = r.mapping(top.get("data_table"), ("data_table",), {"title", "rows"}, {"header"})
        rows = tuple(
            self._data_row(raw, ("data_table", "rows", i))
            for i, raw in enumerate(r.seq(table.get("rows"), ("data_table", "rows")))
        )
        for key in table.get("header") or ():
            if key not in self.catalog.profile_fields:
                r.fail("definition.unknown_field", ("data_table", "header"), key=key)
        attachments = tuple(
            self._attachment(raw, ("attachments", i))
            for i, raw in enumerate(r.seq(top.get("attachments"), ("attachments",)))
        )
        review = r.mapping(top.get("review") or {}, ("review",), set(), {"threshold", "quota"})
        threshold = r.number(review["threshold"], ("review", "threshold")) if "threshold" in review else None
        quota_count = int(review["quota"]) if isinstance(review.get("quota"), int) else None
        max_score = r.number(top.get("max_score"), ("max_score",))
        max_bonus = r.number(top.get("max_bonus"), ("max_bonus",))
        program = Program(
            id=str(top.get("id")),
            title=str(top.get("title")),
            short_title=str(top.get("short_title")),
            seed=str(top.get("seed")),
            year=int(top.get("year") or 0),
            issuer=str(top.get("issuer")),
            document_number=str(top.get("document_number") or ""),
            kinds=tuple(top.get("kinds") or ()),
            deadline=None if top.get("deadline") is None else str(top.get("deadline")),
            quota=None if top.get("quota") is None else str(top.get("quota")),
            attachments=attachments,
            outlines=dict(top.get("outlines") or {}),
            checklist=top.get("checklist"),
            coefficients=coefficient_id,
            max_score=max_score,
            max_bonus=max_bonus,
            relative=top.get("relative"),
            scoring_basis=str(top.get("scoring_basis") or ""),
            notes=self.notes,
            tiers=self.tiers,
            data_table_title=str(table.get("title")),
            data_header=tuple(table.get("header") or ()),
            data_rows=rows,
            groups=groups,
            bonus_title=str(bonus_spec.get("title")),
            bonus=bonus,
            eligibility_title=str(elig_spec.get("title")),
            eligibility=eligibility,
            source=r.doc.file,
            threshold=threshold,
            quota_count=quota_count,
        )
        self._check_weights(program)
        return program

    def _check_weights(self, program: Program) -> None:
        total = sum((i.weight for i in program.indicators), Fraction(0))
        if total != program.max_score:
            self.r.fail(
                "definition.weights",
                ("max_score",),
                what="全部指标",
                actual=_num(total),
                declared=_num(program.max_score),
            )
        bonus = sum((i.weight for i in program.bonus), Fraction(0))
        if bonus != program.max_bonus:
            self.r.fail(
                "definition.weights",
                ("max_bonus",),
                what="加分项",
                actual=_num(bonus),
                declared=_num(program.max_bonus),
            )

        def walk(groups: tuple[Group, ...], path: KeyPath) -> None:
            for index, group in enumerate(groups):
                gpath = (*path, index)
                walk(group.groups, (*gpath, "groups"))
                if group.weight is None:
                    continue
                actual = _group_weight(group)
                if actual != group.weight:
                    self.r.fail(
                        "definition.weights",
                        (*gpath, "weight"),
                        what=f"“{group.title}”",
                        actual=_num(actual),
                        declared=_num(group.weight),
                    )

        walk(program.groups, ("groups",))

    def _tier(self, tier_id: str, raw: Any) -> Tier:
        r = self.r
        path = ("tiers", tier_id)
        spec = r.mapping(raw, path, {"title", "by", "bands"}, {"unit"})
        bands = []
        for index, b in enumerate(r.seq(spec.get("bands"), (*path, "bands"))):
            if not isinstance(b, Mapping) or "min" not in b:
                r.fail("definition.invalid", (*path, "bands", index), problem="band 应含 min")
                continue
            values = {
                k: r.number(v, (*path, "bands", index, k)) for k, v in b.items() if k not in ("min", "label")
            }
            bands.append(
                Band(r.number(b["min"], (*path, "bands", index, "min")), str(b.get("label", "")), values)
            )
        bands.sort(key=lambda band: band.min, reverse=True)
        if spec.get("by") not in self.catalog.fields:
            r.fail("definition.unknown_field", (*path, "by"), key=spec.get("by"))
        return Tier(
            tier_id, str(spec.get("title")), str(spec.get("by")), str(spec.get("unit", "")), tuple(bands)
        )

    def _group(self, raw: Any, path: KeyPath, parents: tuple[str, ...]) -> Group:
        r = self.r
        spec = r.mapping(raw, path, {"title"}, {"weight", "indicators", "groups"})
        title = str(spec.get("title"))
        trail = (*parents, title)
        indicators = tuple(
            self._indicator(x, (*path, "indicators", i), trail)
            for i, x in enumerate(r.seq(spec.get("indicators"), (*path, "indicators")))
        )
        groups = tuple(
            self._group(x, (*path, "groups", i), trail)
            for i, x in enumerate(r.seq(spec.get("groups"), (*path, "groups")))
        )
        weight = r.number(spec["weight"], (*path, "weight")) if "weight" in spec else None
        return Group(title, weight, indicators, groups)

    def _indicator(self, raw: Any, path: KeyPath, group: tuple[str, ...], bonus: bool = False) -> Indicator:
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
        rule = self._rule(spec.get("rule"), (*path, "rule"))
        value = spec.get("value")
        if value is not None:
            self._check_value(value, (*path, "value"))
        elif rule.type in self.catalog.rules.types and self.catalog.rules.types[rule.type].uses_value:
            r.fail("definition.missing_key", path, key="value")
        coefficient = spec.get("coefficient")
        if coefficient is not None and coefficient not in self.coefficient_columns:
            r.fail("definition.invalid", (*path, "coefficient"), problem=f"系数表中没有列 {coefficient}")
        for note in spec.get("notes") or ():
            if note not in self.notes:
                r.fail("definition.invalid", (*path, "notes"), problem=f"未定义的说明 {note}")
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
            notes=tuple(spec.get("notes") or ()),
            criteria=str(spec.get("criteria") or ""),
            basic_text=str(spec.get("basic_text") or ""),
        )

    def _rule(self, raw: Any, path: KeyPath) -> RuleSpec:
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
                allowed="、".join(self.catalog.rules.names()),
            )
            return RuleSpec(name, dict(raw))
        for problem in rule_type.check_params(raw):
            r.fail("definition.invalid", path, problem=f"规则 {name}：{problem}")
        self._check_params(raw, path)
        return RuleSpec(name, dict(raw))

    def _check_params(self, raw: Any, path: KeyPath) -> None:
        """Checks tier references and nested options anywhere in a rule's parameters."""
        if isinstance(raw, Mapping):
            if set(raw) == {"tier", "column"}:
                tier = self.tiers.get(raw["tier"])
                if tier is None:
                    self.r.fail("definition.invalid", path, problem=f"未定义的分档 {raw['tier']}")
                elif any(raw["column"] not in band.values for band in tier.bands):
                    self.r.fail(
                        "definition.invalid", path, problem=f"分档 {raw['tier']} 缺少列 {raw['column']}"
                    )
                return
            for key, value in raw.items():
                if key == "value":
                    self._check_value(value, (*path, key))
                elif key == "rule":
                    self._rule(value, (*path, key))
                elif key == "coefficient" and value not in self.coefficient_columns:
                    self.r.fail("definition.invalid", (*path, key), problem=f"系数表中没有列 {value}")
                elif key == "field" and value not in self.catalog.fields:
                    self.r.fail("definition.unknown_field", (*path, key), key=value)
                elif key == "items" and isinstance(value, str) and value not in self.catalog.item_kinds:
                    self.r.fail("definition.invalid", (*path, key), problem=f"未知的条目类型 {value}")
                elif key not in ("points", "window"):
                    self._check_params(value, (*path, key))
        elif isinstance(raw, list):
            for index, value in enumerate(raw):
                self._check_params(value, (*path, index))

    def _check_value(self, value: Any, path: KeyPath) -> None:
        r = self.r
        if not isinstance(value, Mapping) or len(value) != 1 or next(iter(value)) not in VALUE_KINDS:
            r.fail("definition.invalid", path, problem="value 应为 {field|sum|ratio|percent: …}")
            return
        kind, arg = next(iter(value.items()))
        keys = [arg] if kind == "field" else list(arg) if isinstance(arg, list) else []
        if kind in ("ratio", "percent") and len(keys) != 2:
            r.fail("definition.invalid", path, problem=f"{kind} 应为 [分子, 分母]")
        for key in keys:
            if key not in self.catalog.fields:
                r.fail("definition.unknown_field", path, key=key)

    def _eligibility(self, raw: Any, path: KeyPath) -> EligibilityRule:
        r = self.r
        spec = r.mapping(raw, path, {"id", "title", "value", "op", "bound"}, {"unit"})
        value = spec.get("value")
        if isinstance(value, Mapping) and "score" in value:
            if len(value) != 1 or value["score"] not in SCORE_PARTS:
                r.fail("definition.invalid", (*path, "value"), problem="score 应为 base、bonus 或 total")
        else:
            self._check_value(value, (*path, "value"))
        if spec.get("op") not in (">=", ">", "<=", "<"):
            r.fail("definition.invalid", (*path, "op"), problem="op 应为 >=、>、<=、<")
        return EligibilityRule(
            str(spec.get("id")),
            str(spec.get("title")),
            spec.get("value") or {},
            str(spec.get("unit", "")),
            str(spec.get("op")),
            r.number(spec.get("bound"), (*path, "bound")),
        )

    def _data_row(self, raw: Any, path: KeyPath) -> DataRow:
        r = self.r
        spec = r.mapping(raw, path, {"no"}, {"key", "label", "unit", "sum", "explanation", "added"})
        key = spec.get("key")
        if key is not None:
            f = self.catalog.fields.get(key)
            if f is None:
                r.fail("definition.unknown_field", (*path, "key"), key=key)
                return DataRow(str(spec.get("no")), str(key), "")
            return DataRow(
                str(spec.get("no")),
                str(spec.get("label", f.label)),
                str(spec.get("unit", f.unit)),
                key=key,
                explanation=str(spec.get("explanation", "")),
                added=bool(spec.get("added")),
            )
        parts = tuple(spec.get("sum") or ())
        for part in parts:
            if part not in self.catalog.fields:
                r.fail("definition.unknown_field", (*path, "sum"), key=part)
        if not parts or "label" not in spec:
            r.fail("definition.invalid", path, problem="数据表行应有 key，或有 label 与 sum")
        return DataRow(
            str(spec.get("no")),
            str(spec.get("label", "")),
            str(spec.get("unit", "")),
            sum=parts,
            explanation=str(spec.get("explanation", "")),
            added=bool(spec.get("added")),
        )

    def _attachment(self, raw: Any, path: KeyPath) -> Attachment:
        spec = self.r.mapping(
            raw,
            path,
            {"number", "title", "part"},
            {
                "ref",
                "columns",
                "landscape",
                "sections",
                "coefficients",
                "limiting",
                "rows",
                "total_row",
                "bonus_row",
                "sealed",
            },
        )
        if spec.get("part") not in ("outline", "data_table", "indicators", "summary_table"):
            self.r.fail(
                "definition.invalid",
                (*path, "part"),
                problem="part 应为 outline、data_table、indicators 或 summary_table",
            )
        sections = []
        for index, section in enumerate(self.r.seq(spec.get("sections"), (*path, "sections"))):
            body = self.r.mapping(section, (*path, "sections", index), {"heading", "paragraphs"})
            sections.append((str(body.get("heading")), tuple(str(p) for p in body.get("paragraphs") or ())))
        return Attachment(
            number=int(spec.get("number") or 0),
            title=str(spec.get("title")),
            part=str(spec.get("part")),
            ref=spec.get("ref"),
            columns=tuple(str(c) for c in spec.get("columns") or ()),
            landscape=bool(spec.get("landscape", False)),
            sections=tuple(sections),
            coefficients=bool(spec.get("coefficients", False)),
            limiting=bool(spec.get("limiting", False)),
            rows=int(spec.get("rows") or 0),
            total_row=str(spec.get("total_row") or ""),
            bonus_row=str(spec.get("bonus_row") or ""),
            sealed=bool(spec.get("sealed", False)),
        )


def _group_weight(group: Group) -> Fraction:
    return sum((i.weight for i in group.indicators), Fraction(0)) + sum(
        (_group_weight(g) for g in group.groups), Fraction(0)
    )


def _num(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def build_program(doc: LoadedDocument, catalog: Catalog) -> tuple[Program | None, list[Diagnostic]]:
    """Returns the program defined by ``doc`` (None when it has errors) and the findings."""
    builder = _ProgramBuilder(doc, catalog)
    program = builder.build()
    findings = builder.r.findings
    return (None if findings else program), findings


def _item_field_problems(catalog: Catalog, kind_key: str, names: Mapping[str, str | None]) -> list[str]:
    """Returns problems with item field names (``names``: role → field name) of item kind ``kind_key``."""
    kind = catalog.item_kinds.get(kind_key)
    if kind is None:
        return [f"未定义的条目类型 {kind_key}"]
    return [
        f"{role} 所指的字段 {name} 不是 {kind_key} 的字段（可用：{'、'.join(kind.fields)}）"
        for role, name in names.items()
        if name is not None and name not in kind.fields
    ]


def check_item_fields(catalog: Catalog) -> list[Diagnostic]:
    """Returns findings for derived counts and item-scored lines that name an item field the item
    kind does not have (a typo in a window field would otherwise count every item or crash)."""
    out: list[Diagnostic] = []
    for key, f in catalog.fields.items():
        if f.derive is None:
            continue
        d = f.derive
        names = {"window.field": d.window_field, "unique": d.unique, "valid_at_year_end": d.valid_at_year_end}
        names |= {f"where.{name}": name for name in d.where}
        names |= {f"any.{name}": name for condition in d.any for name in condition}
        for problem in _item_field_problems(catalog, d.items, names):
            out.append(
                diagnostic(
                    "definition.invalid", file="fields.yaml", path=("fields", key, "derive"), problem=problem
                )
            )
    for program in catalog.programs.values():
        for indicator in (*program.indicators, *program.bonus):
            for use in catalog.rules.inputs(indicator.rule).items:
                for problem in _item_field_problems(catalog, use.kind, use.named_fields()):
                    out.append(
                        diagnostic(
                            "definition.invalid",
                            file=program.source,
                            path=("indicators", indicator.id, "rule"),
                            problem=problem,
                        )
                    )
    return out


def check_references(catalog: Catalog) -> list[Diagnostic]:
    """Returns findings for programs that reference undefined outlines or checklists."""
    out: list[Diagnostic] = check_item_fields(catalog)
    for program in catalog.programs.values():
        for kind, outline in program.outlines.items():
            if outline not in catalog.outlines:
                out.append(
                    diagnostic(
                        "definition.invalid",
                        file=program.source,
                        path=("outlines", kind),
                        problem=f"未定义的提纲 {outline}",
                    )
                )
        if program.checklist and program.checklist not in catalog.checklists:
            out.append(
                diagnostic(
                    "definition.invalid",
                    file=program.source,
                    path=("checklist",),
                    problem=f"未定义的清单 {program.checklist}",
                )
            )
    return out


# -- outlines and checklists -------------------------------------------------------------------


def _section(r: _Reader, raw: Any, path: KeyPath, chapter: str | None) -> Section:
    spec = r.mapping(raw, path, {"id", "title", "guidance", "min_chars", "points"}, {"introduces_applicant"})
    points = []
    for index, p in enumerate(r.seq(spec.get("points"), (*path, "points"))):
        ps = r.mapping(p, (*path, "points", index), {"title"}, {"synonyms"})
        points.append(Point(str(ps.get("title")), tuple(str(s) for s in ps.get("synonyms") or ())))
    if not isinstance(spec.get("introduces_applicant", False), bool):
        r.fail(
            "definition.invalid",
            (*path, "introduces_applicant"),
            problem="introduces_applicant 应为 true 或 false",
        )
    return Section(
        str(spec.get("id")),
        str(spec.get("title")),
        str(spec.get("guidance")),
        int(spec.get("min_chars") or 0),
        tuple(points),
        chapter,
        spec.get("introduces_applicant") is True,
    )


def build_outline(doc: LoadedDocument) -> tuple[Outline | None, list[Diagnostic]]:
    """Returns the outline defined by ``doc`` and the findings."""
    r = _Reader(doc)
    top = r.mapping(
        doc.data,
        (),
        {"id", "title", "document_title", "attachment", "kind"},
        {"chapters", "sections", "preface"},
    )
    chapters = []
    for ci, raw in enumerate(r.seq(top.get("chapters"), ("chapters",))):
        cs = r.mapping(raw, ("chapters", ci), {"id", "title", "sections"})
        sections = tuple(
            _section(r, s, ("chapters", ci, "sections", si), str(cs.get("id")))
            for si, s in enumerate(r.seq(cs.get("sections"), ("chapters", ci, "sections")))
        )
        chapters.append(Chapter(str(cs.get("id")), str(cs.get("title")), sections))
    loose = tuple(
        _section(r, s, ("sections", si), None)
        for si, s in enumerate(r.seq(top.get("sections"), ("sections",)))
    )
    sections = tuple(s for c in chapters for s in c.sections) + loose
    ids = [s.id for s in sections]
    for dup in {i for i in ids if ids.count(i) > 1}:
        r.fail("definition.duplicate_id", (), id=dup)
    if not sections:
        r.fail("definition.invalid", (), problem="提纲没有任何章节")
    if r.findings:
        return None, r.findings
    return Outline(
        str(top["id"]),
        str(top["title"]),
        str(top["document_title"]),
        int(top["attachment"]),
        str(top["kind"]),
        tuple(chapters),
        sections,
        str(top.get("preface", "")),
    ), []


def build_checklist(doc: LoadedDocument, catalog: Catalog) -> tuple[Checklist | None, list[Diagnostic]]:
    """Returns the checklist defined by ``doc`` and the findings."""
    r = _Reader(doc)
    top = r.mapping(doc.data, (), {"id", "title", "groups"})
    groups = []
    keys: set[str] = set()
    for gi, raw in enumerate(r.seq(top.get("groups"), ("groups",))):
        path = ("groups", gi)
        gs = r.mapping(raw, path, {"id", "title"}, {"documents", "item_proofs"})
        documents = []
        for di, d in enumerate(r.seq(gs.get("documents"), (*path, "documents"))):
            ds = r.mapping(d, (*path, "documents", di), {"key", "title"}, {"required", "proves"})
            key = str(ds.get("key"))
            if key in keys:
                r.fail("definition.duplicate_id", (*path, "documents", di), id=key)
            keys.add(key)
            raw_proves = ds.get("proves") or ()
            proves = (raw_proves,) if isinstance(raw_proves, str) else tuple(str(k) for k in raw_proves)
            for field_key in proves:
                if field_key not in catalog.fields:
                    r.fail("definition.unknown_field", (*path, "documents", di, "proves"), key=field_key)
            documents.append(RequiredDocument(key, str(ds.get("title")), bool(ds.get("required")), proves))
        proofs = []
        for pi, p in enumerate(r.seq(gs.get("item_proofs"), (*path, "item_proofs"))):
            ps = r.mapping(p, (*path, "item_proofs", pi), {"items", "title", "identifier"}, {"valid_until"})
            if ps.get("items") not in catalog.item_kinds:
                r.fail(
                    "definition.invalid",
                    (*path, "item_proofs", pi),
                    problem=f"未知的条目类型 {ps.get('items')}",
                )
            proofs.append(
                ItemProof(
                    str(ps.get("items")),
                    str(ps.get("title")),
                    str(ps.get("identifier")),
                    ps.get("valid_until"),
                )
            )
        groups.append(
            ChecklistGroup(str(gs.get("id")), str(gs.get("title")), tuple(documents), tuple(proofs))
        )
    if r.findings:
        return None, r.findings
    return Checklist(str(top["id"]), str(top["title"]), tuple(groups)), []

"""CORE: a parsed answers document → a validated ``AnswerSet`` plus diagnostics (SPEC §3).

Works on plain values and the key-position side table of ``LoadedDocument``; never reads files.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from docgen.definitions.catalog import Catalog
from docgen.diagnostics import Diagnostic, KeyPath
from docgen.model.counting import counted_items, excluded_by_window, expired, identity, in_window, item_name
from docgen.model.definitions import (
    AnswerSet,
    ChoiceField,
    EvidenceRef,
    FieldDef,
    Item,
    ItemKind,
    NarrativeSection,
    Program,
    RequiredDocument,
)
from docgen.numbers import NotANumber, fmt, to_fraction
from docgen.sources.yamlio import LoadedDocument
from docgen.text.messages import TEXT, TYPE_NAMES, diagnostic

TOP_KEYS = ("program", "profile", "data", "items", "ratings", "narrative", "evidence")
TOP_ALIASES = {
    "评价办法": "program",
    "企业信息": "profile",
    "数据": "data",
    "条目": "items",
    "评级": "ratings",
    "正文": "narrative",
    "证明材料": "evidence",
}
MAX_FIGURE = Fraction(10) ** 12
_INDUSTRY = re.compile(r"^\d{2}$")


class _Ctx:
    def __init__(self, doc: LoadedDocument) -> None:
        self.doc = doc
        self.findings: list[Diagnostic] = []
        self.lines: dict[KeyPath, int] = {}
        self.outside_window: set[KeyPath] = set()  # items already reported as outside a window
        self.written_as: dict[KeyPath, KeyPath] = {}  # canonical path → the path as written (labels)
        self.invalid: set[str] = set()  # data keys given with a value that could not be read

    def add(self, code: str, path: KeyPath, line_path: KeyPath | None = None, **params: Any) -> None:
        where = line_path if line_path is not None else path
        self.add_at(code, path, self.doc.line_of(self.written_as.get(tuple(where), where)), **params)

    def add_at(self, code: str, path: KeyPath, line: int | None, **params: Any) -> None:
        self.findings.append(diagnostic(code, file=self.doc.file, line=line, path=path, **params))


def program_of(doc: LoadedDocument) -> str | None:
    """Returns the program id the answers name, if any."""
    data = doc.data if isinstance(doc.data, Mapping) else {}
    value = data.get("program", data.get("评价办法"))
    return str(value) if value is not None else None


def _suggest(key: str, candidates: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    return f"是否应为“{close[0]}”？" if close else "请检查拼写"


def _label_index(labels: Mapping[str, list[str]]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for key, names in labels.items():
        for name in names:
            bucket = index.setdefault(name, [])
            if key not in bucket:
                bucket.append(key)
    return index


def _resolve_key(
    ctx: _Ctx, raw_key: str, known: Mapping[str, Any], index: dict[str, list[str]], path: KeyPath
) -> str | None:
    if raw_key in known:
        return raw_key
    candidates = index.get(raw_key)
    if candidates and len(candidates) == 1:
        return candidates[0]
    if candidates:
        ctx.add("answers.ambiguous_label", path, key=raw_key, candidates="、".join(candidates))
        return None
    ctx.add("answers.unknown_key", path, key=raw_key, suggestion=_suggest(raw_key, [*known, *index]))
    return None


_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")


def _number_text(ctx: _Ctx, value: str, path: KeyPath, label: str, unit: str) -> Fraction | None:
    """Reads a number typed as text: full-width digits and thousands separators are understood
    (with a warning showing what was read); units, 万 and % are refused with what to write."""
    text = unicodedata.normalize("NFKC", value).strip().replace("，", ",")
    if _PLAIN_NUMBER.match(text):
        number = to_fraction(Decimal(text.replace(",", "")))
        ctx.add("answers.number_text", path, label=label, value=value, read=fmt(number))
        return number
    ctx.add("answers.not_a_number", path, label=label, value=value, unit=unit or "表中单位")
    return None


def _number(ctx: _Ctx, value: Any, path: KeyPath, label: str, unit: str = "") -> Fraction | None:
    if isinstance(value, str):
        number = _number_text(ctx, value, path, label, unit)
        if number is None:
            return None
    else:
        try:
            number = to_fraction(value)
        except NotANumber:
            if isinstance(value, float):
                ctx.add("answers.not_finite", path, label=label, value=value)
            else:
                ctx.add("answers.wrong_type", path, label=label, expected="数值", value=value)
            return None
    if abs(number) > MAX_FIGURE:
        ctx.add("answers.too_large", path, label=label, value=value)
        return None
    return number


def _figure(ctx: _Ctx, f: FieldDef, value: Any, path: KeyPath) -> Fraction | None:
    number = _number(ctx, value, path, f.label, f.unit)
    if number is None:
        return None
    if number < 0 and not f.signed:
        ctx.add("answers.negative", path, label=f.label, value=fmt(number))
        return None
    if f.type == "count" and number.denominator != 1:
        ctx.add("answers.not_integer", path, label=f.label, value=fmt(number))
        return None
    if f.type == "half" and (number * 2).denominator != 1:
        ctx.add("answers.not_half", path, label=f.label, value=fmt(number), unit=f.unit)
        return None
    return number


def _typed(ctx: _Ctx, spec: ChoiceField, value: Any, path: KeyPath) -> tuple[bool, Any]:
    """Returns (ok, canonical value) for a profile or item field."""
    kind = spec.type
    if kind == "choice":
        canonical = spec.canonical(value)
        if canonical is None:
            allowed = "、".join(f"{k}（{v}）" if k != v else k for k, v in spec.choices.items())
            ctx.add("answers.choice", path, label=spec.label, value=value, allowed=allowed)
            return False, None
        return True, canonical
    if kind in ("text", "patent_number", "file"):
        if isinstance(value, str | int) and not isinstance(value, bool):
            return True, str(value).strip()
        if isinstance(value, bool):
            ctx.add("answers.bool_as_text", path, label=spec.label)
            return False, None
        ctx.add("answers.wrong_type", path, label=spec.label, expected=TYPE_NAMES["text"], value=value)
        return False, None
    if kind == "year":
        if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
            return True, value
        if isinstance(value, str) and value.strip().isdigit() and 1900 <= int(value) <= 2100:
            return True, int(value)
        ctx.add("answers.year", path, value=value)
        return False, None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return True, value.date()
        if isinstance(value, dt.date):
            return True, value
        if isinstance(value, str):
            try:
                return True, dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        ctx.add("answers.date", path, label=spec.label, value=value)
        return False, None
    if kind == "bool":
        if isinstance(value, bool):
            return True, value
        ctx.add("answers.wrong_type", path, label=spec.label, expected=TYPE_NAMES["bool"], value=value)
        return False, None
    if kind == "count":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return True, value
        if isinstance(value, int) and not isinstance(value, bool):
            ctx.add("answers.negative", path, label=spec.label, value=value)
            return False, None
        ctx.add("answers.wrong_type", path, label=spec.label, expected=TYPE_NAMES["count"], value=value)
        return False, None
    if kind == "industry_code":
        text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9:
            ctx.add("answers.industry_code_unquoted", path, value=value)  # 07 read as 7
            return False, None
        if not _INDUSTRY.match(text):
            ctx.add("answers.industry_code", path, value=value)
            return False, None
        return True, text
    return True, value


def _mapping_section(ctx: _Ctx, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        ctx.add(
            "answers.wrong_type",
            (key,),
            label=key,
            expected=TYPE_NAMES["mapping"],
            value=type(value).__name__,
        )
        return {}
    return value


def read_answers(
    doc: LoadedDocument, program: Program, catalog: Catalog
) -> tuple[AnswerSet | None, list[Diagnostic]]:
    """Returns the validated answers for ``program`` and every finding (SPEC §3 rules).

    The AnswerSet is None only when the document is not a mapping at all.
    """
    ctx = _Ctx(doc)
    if not isinstance(doc.data, Mapping):
        return None, [diagnostic("answers.not_mapping", file=doc.file, line=1)]
    data: dict[str, Any] = {}
    for raw_key, value in doc.data.items():
        key = TOP_ALIASES.get(raw_key, raw_key)
        if key not in TOP_KEYS:
            ctx.add(
                "answers.unknown_key", (raw_key,), key=raw_key, suggestion=_suggest(raw_key, list(TOP_KEYS))
            )
            continue
        data[key] = value
        ctx.lines[(key,)] = doc.line_of((raw_key,)) or 0

    profile = _read_profile(ctx, data, catalog)
    items = _read_items(ctx, data, catalog)
    given = _read_data(ctx, data, program, catalog)
    report_year = profile.get("report_year") or 0
    derived = _derive(ctx, program, catalog, items, given, report_year)
    figures = {**given, **derived}
    _apply_fallbacks(ctx, program, catalog, figures)
    _check_parts(ctx, catalog, figures)
    _check_required(ctx, program, catalog, figures, items)
    _check_denominators(ctx, program, catalog, figures)
    _check_item_lines(ctx, program, catalog, given, items, report_year)
    if "industry_code" in profile and program.coefficients:
        table = catalog.coefficients[program.coefficients]
        if table.lookup(profile["industry_code"])[1]:
            ctx.add(
                "answers.industry_fallback", ("profile", "industry_code"), industry=profile["industry_code"]
            )
    ratings = _read_ratings(ctx, data, program)
    narrative = _read_narrative(ctx, data)
    evidence = _read_evidence(ctx, data, program, catalog)
    answers = AnswerSet(
        program_id=program.id,
        file=doc.file,
        profile=profile,
        figures=figures,
        given=given,
        derived=derived,
        items=items,
        ratings=ratings,
        narrative=narrative,
        evidence=evidence,
        lines={path: line for path, (line, _) in doc.positions.items()},
    )
    return answers, ctx.findings


def _read_profile(ctx: _Ctx, data: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    raw = _mapping_section(ctx, data, "profile")
    fields = catalog.profile_fields
    index = _label_index({k: [f.label, *f.label_aliases] for k, f in fields.items()})
    profile: dict[str, Any] = {}
    for raw_key, value in raw.items():
        path = ("profile", raw_key)
        key = _resolve_key(ctx, raw_key, fields, index, path)
        if key is None or value is None or (isinstance(value, str) and not value.strip()):
            continue
        ok, canonical = _typed(ctx, fields[key], value, path)
        if ok:
            profile[key] = canonical
    for key, f in fields.items():
        if (
            f.required
            and key not in profile
            and not any(d.location.key_path[:2] == ("profile", key) for d in ctx.findings)
        ):
            ctx.add("answers.required", ("profile", key), line_path=("profile",), label=f.label, key=key)
    return profile


def _read_data(ctx: _Ctx, data: Mapping[str, Any], program: Program, catalog: Catalog) -> dict[str, Fraction]:
    raw = _mapping_section(ctx, data, "data")
    labels: dict[str, list[str]] = {k: [f.label, *f.aliases] for k, f in catalog.fields.items()}
    for row in program.data_rows:
        if row.key:
            labels[row.key].append(row.label)
    index = _label_index(labels)
    given: dict[str, Fraction] = {}
    for raw_key, value in raw.items():
        key = _resolve_key(ctx, raw_key, catalog.fields, index, ("data", raw_key))
        if key is None:
            continue
        path = ("data", key)  # diagnostics name the canonical key, on the line as written
        if path in ctx.written_as:
            ctx.add_at(
                "answers.figure_twice",
                path,
                ctx.doc.line_of(("data", raw_key)),  # the second one, however it is written
                label=catalog.fields[key].label,
                first=ctx.written_as[path][1],
                second=raw_key,
            )
            ctx.invalid.add(key)
            given.pop(key, None)
            continue
        ctx.written_as[path] = ("data", raw_key)
        if value is None:
            continue
        number = _figure(ctx, catalog.fields[key], value, path)
        if number is not None:
            given[key] = number
        else:
            ctx.invalid.add(key)
    return given


def _read_items(ctx: _Ctx, data: Mapping[str, Any], catalog: Catalog) -> dict[str, tuple[Item, ...]]:
    raw = _mapping_section(ctx, data, "items")
    out: dict[str, tuple[Item, ...]] = {}
    for kind_key, entries in raw.items():
        kind = catalog.item_kinds.get(kind_key)
        if kind is None:
            ctx.add(
                "answers.unknown_key",
                ("items", kind_key),
                key=kind_key,
                suggestion=_suggest(kind_key, list(catalog.item_kinds)),
            )
            continue
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            ctx.add("answers.items_not_list", ("items", kind_key), kind=kind_key)
            continue
        items: list[Item] = []
        for index, entry in enumerate(entries):
            path: KeyPath = ("items", kind_key, index)
            if not isinstance(entry, Mapping):
                ctx.add("answers.item_not_mapping", path, kind=kind.label)
                continue
            values: dict[str, Any] = {}
            ok = True
            for field_key, value in entry.items():
                spec = kind.fields.get(field_key)
                if spec is None:
                    ctx.add(
                        "answers.unknown_key",
                        (*path, field_key),
                        key=field_key,
                        suggestion=_suggest(field_key, list(kind.fields)),
                    )
                    continue
                if value is None:
                    continue
                good, canonical = _typed(ctx, spec, value, (*path, field_key))
                ok &= good
                if good:
                    values[field_key] = canonical
            for field_key, spec in kind.fields.items():
                if spec.required and field_key not in entry:
                    ctx.add(
                        "answers.required",
                        (*path, field_key),
                        line_path=path,
                        label=spec.label,
                        key=field_key,
                    )
                    ok = False
            if ok:
                own = None if kind.repeats else identity(values.get(kind.identifier))
                items.append(Item(kind_key, index, values, ctx.doc.line_of(path), own))
        if not kind.repeats:
            _warn_repeats(ctx, kind, items)
        out[kind_key] = tuple(items)
    return out


def _warn_repeats(ctx: _Ctx, kind: ItemKind, items: list[Item]) -> None:
    """Warns about an identifier listed twice (counts and scores take it once: Item.identity)."""
    first: dict[str, Item] = {}
    for item in items:
        if item.identity is None:
            continue
        if item.identity in first:
            ctx.add(
                "answers.duplicate_item",
                ("items", kind.key, item.index),
                kind=kind.label,
                name=item.values.get(kind.identifier),
                first=first[item.identity].index + 1,
                second=item.index + 1,
            )
        else:
            first[item.identity] = item


def _used_keys(program: Program, catalog: Catalog) -> list[str]:
    """Returns every field key the program's indicators, eligibility, tiers and data table use."""
    keys: list[str] = []

    def add(key: str) -> None:
        if key in catalog.fields and key not in keys:
            keys.append(key)

    def from_value(value: Any) -> None:
        if isinstance(value, Mapping):
            for kind, arg in value.items():
                if kind == "field":
                    add(arg)
                elif kind in ("sum", "ratio", "percent"):
                    for key in arg:
                        add(key)
                elif kind in ("value",):
                    from_value(arg)
                else:
                    from_value(arg)
        elif isinstance(value, list):
            for entry in value:
                from_value(entry)

    for row in program.data_rows:
        if row.key:
            add(row.key)
        for key in row.sum:
            add(key)
    for indicator in (*program.indicators, *program.bonus):
        from_value(indicator.value)
        from_value(indicator.rule.params.get("options"))
        for term in indicator.rule.params.get("terms") or ():
            add(term["field"])
    for rule in program.eligibility:
        from_value(rule.value)
    for tier in program.tiers.values():
        add(tier.by)
    return keys


def _derive(
    ctx: _Ctx,
    program: Program,
    catalog: Catalog,
    items: dict[str, tuple[Item, ...]],
    given: dict[str, Fraction],
    report_year: int,
) -> dict[str, Fraction]:
    derived: dict[str, Fraction] = {}
    used = _used_keys(program, catalog)
    for key, f in catalog.fields.items():
        spec = f.derive
        if spec is None or spec.items not in items:
            continue
        kind_items = items[spec.items]
        counted = counted_items(kind_items, spec, report_year)
        count = Fraction(len(counted))
        derived[key] = count
        if key in given and given[key] != count and report_year:
            ctx.add(
                "answers.derived_mismatch",
                ("data", key),
                label=f.label,
                given=fmt(given[key]),
                kind=spec.items,
                derived=len(counted),
            )
        if key not in used or not report_year:
            continue
        kind = catalog.item_kinds[spec.items]
        excluded = excluded_by_window(kind_items, spec, report_year)
        _warn_outside_window(
            ctx, kind, excluded, spec.window_field or "", spec.window_years, report_year, f.label
        )
        for item in expired(kind_items, spec, report_year):
            ctx.add(
                "answers.item_expired",
                ("items", spec.items, item.index),
                kind=kind.label,
                name=item_name(item, kind.identifier),
                until=item.values.get(spec.valid_at_year_end or ""),
                label=f.label,
            )
    return derived


def _warn_outside_window(
    ctx: _Ctx,
    kind: ItemKind,
    excluded: list[Item],
    field: str,
    years: int | None,
    report_year: int,
    label: str,
) -> None:
    """Warns once per item left out of a count or a line by its time window."""
    for item in excluded:
        path = ("items", kind.key, item.index)
        if path in ctx.outside_window:
            continue
        ctx.outside_window.add(path)
        value = item.values.get(field)
        common = {
            "kind": kind.label,
            "name": item_name(item, kind.identifier),
            "label": label,
            "last": report_year,
        }
        if value is None:
            ctx.add("answers.item_undated", path, field=kind.fields[field].label, **common)
        elif years is None:
            ctx.add("answers.item_after_report_year", path, year=_year_text(value), **common)
        else:
            first = report_year - years + 1
            period = TEXT["period_year" if first == report_year else "period_years"].format(
                first=first, last=report_year
            )
            ctx.add("answers.item_outside_window", path, year=_year_text(value), period=period, **common)


def _year_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return str(value.year)
    return str(value)


def _apply_fallbacks(ctx: _Ctx, program: Program, catalog: Catalog, figures: dict[str, Fraction]) -> None:
    """Uses a field's declared fallback (产品销售收入 → 主营业务收入) when it is missing, with a warning."""
    for key in _used_keys(program, catalog):
        f = catalog.fields[key]
        if key not in figures and f.fallback and f.fallback in figures:
            figures[key] = figures[f.fallback]
            ctx.add(
                "answers.fallback_used",
                ("data", key),
                line_path=("data",),
                label=f.label,
                fallback=catalog.fields[f.fallback].label,
                value=fmt(figures[key]),
            )


def rating_rules(program: Program) -> dict[str, tuple[str, list[str]]]:
    """Returns each rating key the program scores with its indicator title and allowed words."""
    out: dict[str, tuple[str, list[str]]] = {}
    for indicator in (*program.indicators, *program.bonus):
        if indicator.rule.type == "rating":
            out[indicator.rule.params["key"]] = (indicator.title, list(indicator.rule.params["points"]))
    return out


def _read_ratings(ctx: _Ctx, data: Mapping[str, Any], program: Program) -> dict[str, str]:
    raw = _mapping_section(ctx, data, "ratings")
    rules = rating_rules(program)
    titles = {title: key for key, (title, _) in rules.items()}
    out: dict[str, str] = {}
    for raw_key, value in raw.items():
        path = ("ratings", raw_key)
        key = raw_key if raw_key in rules else titles.get(raw_key)
        if key is None:
            ctx.add("answers.unknown_key", path, key=raw_key, suggestion=_suggest(raw_key, list(rules)))
            continue
        words = rules[key][1]
        if not isinstance(value, str) or value.strip() not in words:
            ctx.add("answers.choice", path, label=rules[key][0], value=value, allowed="、".join(words))
            continue
        out[key] = value.strip()
    for key, (title, words) in rules.items():
        if key not in out and not any(d.location.key_path[:2] == ("ratings", key) for d in ctx.findings):
            ctx.add(
                "answers.missing_rating",
                ("ratings", key),
                line_path=("ratings",),
                label=title,
                key=key,
                allowed="、".join(words),
            )
    return out


def _check_parts(ctx: _Ctx, catalog: Catalog, figures: dict[str, Fraction]) -> None:
    for key, f in catalog.fields.items():
        whole = f.part_of
        if whole and key in figures and whole in figures and figures[key] > figures[whole]:
            ctx.add(
                "answers.part_exceeds_whole",
                ("data", key),
                part_label=f.label,
                part=fmt(figures[key]),
                whole_label=catalog.fields[whole].label,
                whole=fmt(figures[whole]),
            )


def _check_required(
    ctx: _Ctx,
    program: Program,
    catalog: Catalog,
    figures: dict[str, Fraction],
    items: dict[str, tuple[Item, ...]],
) -> None:
    for key in _used_keys(program, catalog):
        if key not in figures and key not in ctx.invalid:
            f = catalog.fields[key]
            ctx.add("answers.missing_figure", ("data", key), line_path=("data",), label=f.label, key=key)


def _check_item_lines(
    ctx: _Ctx,
    program: Program,
    catalog: Catalog,
    given: dict[str, Fraction],
    items: dict[str, tuple[Item, ...]],
    report_year: int | None,
) -> None:
    """Warns when a line scores items by their fields but only their total count is given, and
    about the items such a line leaves out by its time window."""
    for indicator in (*program.indicators, *program.bonus):
        if indicator.rule.type != "item_points":
            continue
        kind = indicator.rule.params["items"]
        window = indicator.rule.params.get("window")
        if items.get(kind) and window and report_year:
            excluded = [
                item
                for item in items[kind]
                if not in_window(item.values.get(window["field"]), window.get("years"), report_year)
            ]
            item_kind = catalog.item_kinds[kind]
            _warn_outside_window(
                ctx, item_kind, excluded, window["field"], window.get("years"), report_year, indicator.title
            )
        if items.get(kind):
            continue
        fields = "、".join(
            catalog.item_kinds[kind].fields[name].label for name in indicator.rule.params["by"]
        )
        for key, f in catalog.fields.items():
            if f.derive is not None and f.derive.items == kind and given.get(key, 0) > 0:
                ctx.add(
                    "answers.unitemised",
                    ("data", key),
                    label=f.label,
                    given=fmt(given[key]),
                    indicator=indicator.title,
                    kind=kind,
                    fields=fields,
                )


def _check_denominators(ctx: _Ctx, program: Program, catalog: Catalog, figures: dict[str, Fraction]) -> None:
    reported: set[str] = set()
    for indicator in program.indicators:
        value = indicator.value or {}
        for kind in ("ratio", "percent"):
            if kind in value:
                den = value[kind][1]
                if den in figures and figures[den] <= 0 and den not in reported:
                    reported.add(den)
                    ctx.add(
                        "answers.zero_denominator",
                        ("data", den),
                        label=catalog.fields[den].label,
                        value=fmt(figures[den]),
                    )


def _read_narrative(ctx: _Ctx, data: Mapping[str, Any]) -> dict[str, NarrativeSection]:
    raw = _mapping_section(ctx, data, "narrative")
    out: dict[str, NarrativeSection] = {}
    for key, value in raw.items():
        path = ("narrative", key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            ctx.add("narrative.not_text", path, id=key)
            continue
        out[key] = NarrativeSection(key, value, ctx.doc.line_of(path))
    return out


def _evidence_count(
    ctx: _Ctx, value: Any, path: KeyPath, document: RequiredDocument | None, catalog: Catalog
) -> Fraction | None:
    """Returns a {file, count} entry's count, or None (with an error) when it is not a number ≥ 0."""
    proves = document.proves if document else ()
    title = document.title if document else str(path[1])
    if len(proves) > 1:  # one count cannot say how much of each figure a file proves
        labels = "、".join(catalog.fields[k].label for k in proves)
        ctx.add("answers.evidence_count_several", path, title=title, labels=labels)
        return None
    unit = catalog.fields[proves[0]].unit if proves else TEXT["evidence_count_unit"]
    number = None
    if not isinstance(value, bool):
        try:
            number = to_fraction(value)
        except NotANumber:
            number = None
    if number is None or number < 0:
        ctx.add("answers.evidence_count", path, title=title, number=int(path[2]) + 1, unit=unit, value=value)
        return None
    return number


def _read_evidence(
    ctx: _Ctx, data: Mapping[str, Any], program: Program, catalog: Catalog
) -> dict[str, tuple[EvidenceRef, ...]]:
    raw = _mapping_section(ctx, data, "evidence")
    checklist = catalog.checklists.get(program.checklist or "")
    documents = {d.key: d for d in checklist.documents} if checklist else {}
    out: dict[str, tuple[EvidenceRef, ...]] = {}
    for key, value in raw.items():
        path = ("evidence", key)
        line = ctx.doc.line_of(path)
        if documents and key not in documents:
            ctx.add("answers.unknown_key", path, key=key, suggestion=_suggest(key, list(documents)))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, str):
            out[key] = (EvidenceRef(key, value.strip(), None, line),)
            continue
        refs: list[EvidenceRef] = []
        if isinstance(value, list):
            for index, entry in enumerate(value):
                if isinstance(entry, str):
                    refs.append(EvidenceRef(key, entry, None, line))
                elif isinstance(entry, Mapping) and isinstance(entry.get("file"), str):
                    count = None
                    if entry.get("count") is not None:
                        count = _evidence_count(
                            ctx, entry["count"], (*path, index, "count"), documents.get(key), catalog
                        )
                        if count is None:
                            continue
                    refs.append(EvidenceRef(key, entry["file"], count, ctx.doc.line_of((*path, index))))
                else:
                    ctx.add("answers.evidence_list", (*path, index), key=key)
            out[key] = tuple(refs)
            continue
        ctx.add("answers.evidence_list", path, key=key)
    return out

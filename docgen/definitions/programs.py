"""CORE: ``programs/<id>.yaml`` → a ``Program``: meta, notes, tiers, the data table, the scored
groups and bonus lines, eligibility and attachments, with the weights checked against the
declared maxima."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from docgen.definitions._reader import Reader
from docgen.definitions.attachments import build_attachment, header_rows
from docgen.definitions.catalog import Catalog
from docgen.definitions.indicators import IndicatorReader
from docgen.diagnostics import Diagnostic, KeyPath
from docgen.model.attachments import HeaderCell
from docgen.model.definitions import (
    SUMMARY_COLUMN_KINDS,
    SUMMARY_FIELD_KINDS,
    Band,
    DataRow,
    Group,
    Note,
    PlatformRules,
    Program,
    SummaryColumn,
    Tier,
)
from docgen.sources.yamlio import LoadedDocument
from docgen.text.definitions_text import DEFINITIONS_TEXT
from docgen.text.labels import TEXT
from docgen.text.punctuation import ENUM_COMMA
from docgen.text.web import PLATFORM

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
    "document_kind",
    "kind_titles",
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
    "summary_table",
    "profile_labels",
    "sealed_by",
    "report_names",
    "platform",
}


def build_program(doc: LoadedDocument, catalog: Catalog) -> tuple[Program | None, list[Diagnostic]]:
    """Returns the program defined by ``doc`` (None when it has errors) and the findings."""
    r = Reader(doc)
    program = _build(r, catalog)
    if program is not None:
        _check_weights(r, program)
    return (None if r.findings else program), r.findings


def _build(r: Reader, catalog: Catalog) -> Program | None:
    top = r.mapping(r.doc.data, (), _PROGRAM_REQUIRED, _PROGRAM_OPTIONAL)
    if not top:
        return None
    notes: dict[str, Note] = {}
    for index, raw in enumerate(r.seq(top.get("notes"), ("notes",))):
        spec = r.mapping(raw, ("notes", index), {"id", "text"}, {"in_report"})
        in_report = r.flag(spec.get("in_report", True), ("notes", index, "in_report"))
        notes[str(spec.get("id"))] = Note(str(spec.get("id")), str(spec.get("text")), in_report)
    tiers = {
        str(tier_id): _tier(r, catalog, str(tier_id), raw)
        for tier_id, raw in r.table(top.get("tiers"), ("tiers",)).items()
    }
    coefficient_id = top.get("coefficients")
    if coefficient_id and coefficient_id not in catalog.coefficients:
        r.fail(
            "definition.invalid",
            ("coefficients",),
            problem=DEFINITIONS_TEXT["programs.unknown_coefficients"].format(coefficient_id=coefficient_id),
        )
    columns = (
        set(catalog.coefficients[coefficient_id].columns) if coefficient_id in catalog.coefficients else set()
    )
    lines = IndicatorReader(r, catalog, tiers, notes, columns)
    groups = tuple(
        lines.group(raw, ("groups", i), ()) for i, raw in enumerate(r.seq(top.get("groups"), ("groups",)))
    )
    bonus_spec = r.mapping(
        top.get("bonus") or {"title": "", "indicators": []}, ("bonus",), {"title", "indicators"}
    )
    bonus = tuple(
        lines.indicator(raw, ("bonus", "indicators", i), (str(bonus_spec.get("title")),), bonus=True)
        for i, raw in enumerate(r.seq(bonus_spec.get("indicators"), ("bonus", "indicators")))
    )
    elig_spec = r.mapping(
        top.get("eligibility") or {"title": "", "rules": []}, ("eligibility",), {"title", "rules"}
    )
    eligibility = tuple(
        lines.eligibility(raw, ("eligibility", "rules", i))
        for i, raw in enumerate(r.seq(elig_spec.get("rules"), ("eligibility", "rules")))
    )
    program_kinds = r.texts(top.get("kinds"), ("kinds",))
    for i, rule in enumerate(eligibility):
        for kind in rule.kinds:
            if kind not in program_kinds:
                r.fail(
                    "definition.invalid",
                    ("eligibility", "rules", i, "kinds"),
                    problem=TEXT["not_a_kind"].format(kind=kind, kinds=ENUM_COMMA.join(program_kinds)),
                )
    kind_titles = {str(k): str(v) for k, v in r.table(top.get("kind_titles"), ("kind_titles",)).items()}
    profile_labels = _profile_labels(r, catalog, top.get("profile_labels"))
    sealed_by = str(top.get("sealed_by") or "")
    if sealed_by and sealed_by not in catalog.profile_fields:
        r.fail("definition.unknown_field", ("sealed_by",), key=sealed_by)
        sealed_by = ""
    sealed_by_label = profile_labels.get(sealed_by) or (
        catalog.profile_fields[sealed_by].label if sealed_by else ""
    )
    report_names = {str(k): str(v) for k, v in r.table(top.get("report_names"), ("report_names",)).items()}
    for kind in report_names:
        if kind not in ("application", "summary"):
            r.fail("definition.invalid", ("report_names", kind), problem=TEXT["report_name_kind"])
    for kind in kind_titles:
        if kind not in program_kinds:
            r.fail(
                "definition.invalid",
                ("kind_titles", kind),
                problem=TEXT["not_a_kind"].format(kind=kind, kinds=ENUM_COMMA.join(program_kinds)),
            )
    table = r.mapping(top.get("data_table"), ("data_table",), {"title", "rows"}, {"header"})
    rows = tuple(
        _data_row(r, catalog, raw, ("data_table", "rows", i))
        for i, raw in enumerate(r.seq(table.get("rows"), ("data_table", "rows")))
    )
    raw_header = table.get("header")
    laid_out: tuple[tuple[HeaderCell, ...], ...] = ()
    if isinstance(raw_header, list) and any(not isinstance(entry, str) for entry in raw_header):
        # row by row, as an attachment's header (a row of one pair spans the table)
        laid_out = header_rows(r, raw_header, ("data_table", "header"), "data_table", catalog)
        header = tuple(cell.key for row in laid_out for cell in row if cell.key)
    else:
        header = r.texts(raw_header, ("data_table", "header"))
        for key in header:
            if key not in catalog.profile_fields:
                r.fail("definition.unknown_field", ("data_table", "header"), key=key)
    attachments = tuple(
        build_attachment(r, raw, ("attachments", i), catalog, coefficient_id)
        for i, raw in enumerate(r.seq(top.get("attachments"), ("attachments",)))
    )
    review = r.mapping(top.get("review") or {}, ("review",), set(), {"threshold", "quota", "caveat_below"})
    threshold = r.number(review["threshold"], ("review", "threshold")) if "threshold" in review else None
    quota_count = r.integer(review["quota"], ("review", "quota")) if "quota" in review else None
    caveat = review.get("caveat_below")
    caveat_below = r.number(caveat, ("review", "caveat_below")) if caveat is not None else None
    summary_title, summary_columns, summary_notes = _summary_table(
        r, catalog, top.get("summary_table"), notes
    )
    return Program(
        id=str(top.get("id")),
        title=str(top.get("title")),
        short_title=str(top.get("short_title")),
        seed=str(top.get("seed")),
        year=r.integer(top.get("year"), ("year",)),
        issuer=str(top.get("issuer")),
        document_number=str(top.get("document_number") or ""),
        document_kind=str(top.get("document_kind") or TEXT["document_kind_default"]),
        kinds=r.texts(top.get("kinds"), ("kinds",)),
        deadline=None if top.get("deadline") is None else str(top.get("deadline")),
        quota=None if top.get("quota") is None else str(top.get("quota")),
        attachments=attachments,
        outlines={str(k): str(v) for k, v in r.table(top.get("outlines"), ("outlines",)).items()},
        checklist=top.get("checklist"),
        coefficients=coefficient_id,
        max_score=r.number(top.get("max_score"), ("max_score",)),
        max_bonus=r.number(top.get("max_bonus"), ("max_bonus",)),
        relative=top.get("relative"),
        scoring_basis=str(top.get("scoring_basis") or ""),
        notes=notes,
        tiers=tiers,
        data_table_title=str(table.get("title")),
        data_header=header,
        data_header_rows=laid_out,
        data_rows=rows,
        groups=groups,
        bonus_title=str(bonus_spec.get("title")),
        bonus=bonus,
        eligibility_title=str(elig_spec.get("title")),
        eligibility=eligibility,
        source=r.doc.file,
        threshold=threshold,
        quota_count=quota_count,
        caveat_below=caveat_below,
        kind_titles=kind_titles,
        field_labels=_field_labels(catalog, rows),
        profile_labels=profile_labels,
        sealed_by=sealed_by,
        sealed_by_label=sealed_by_label,
        report_names=report_names,
        summary_title=summary_title,
        summary_columns=summary_columns,
        summary_notes=summary_notes,
        platform=_platform(r, top.get("platform")),
    )


def _field_labels(catalog: Catalog, rows: tuple[DataRow, ...]) -> dict[str, str]:
    """Returns the figures the data table labels in its own words (key → the row's label)."""
    return {
        row.key: row.label
        for row in rows
        if row.key and row.key in catalog.fields and row.label != catalog.fields[row.key].label
    }


def _profile_labels(r: Reader, catalog: Catalog, raw: Any) -> dict[str, str]:
    """Reads ``profile_labels`` (profile key → the program's own label: an alliance's 联盟名称 for
    company_name); a key must be a profile field and a label non-empty text."""
    out: dict[str, str] = {}
    for key, label in r.table(raw, ("profile_labels",)).items():
        if key not in catalog.profile_fields:
            r.fail("definition.unknown_field", ("profile_labels", key), key=key)
        elif not isinstance(label, str) or not label.strip():
            r.fail("definition.invalid", ("profile_labels", key), problem=TEXT["profile_label_empty"])
        else:
            out[str(key)] = label.strip()
    return out


def _summary_table(
    r: Reader, catalog: Catalog, raw: Any, notes: Mapping[str, Note]
) -> tuple[str, tuple[SummaryColumn, ...], tuple[str, ...]]:
    """Reads ``summary_table`` (the notice's own 汇总表: title, columns in its order, the notes that
    concern a batch); returns empty parts when the program has none. 自评分 and 核定分 must both be
    there, side by side, and every column kind at most once."""
    if raw is None:
        return "", (), ()
    path: KeyPath = ("summary_table",)
    spec = r.mapping(raw, path, set(), {"title", "columns", "notes"})
    columns: list[SummaryColumn] = []
    for index, item in enumerate(r.seq(spec.get("columns"), (*path, "columns"))):
        at = (*path, "columns", index)
        column = r.mapping(item, at, {"column"}, {"title", "field"})
        kind = str(column.get("column"))
        if kind not in SUMMARY_COLUMN_KINDS:
            r.fail(
                "definition.invalid",
                (*at, "column"),
                problem=DEFINITIONS_TEXT["programs.summary_unknown_column_kind"].format(
                    kinds=ENUM_COMMA.join(SUMMARY_COLUMN_KINDS)
                ),
            )
            continue
        fields: list[str] = []
        key = column.get("field")
        if (kind in SUMMARY_FIELD_KINDS) != (key is not None):
            r.fail("definition.invalid", at, problem=DEFINITIONS_TEXT["programs.summary_field_columns"])
        title = str(column.get("title") or "")
        if kind == "profile" and isinstance(key, str):
            if key in catalog.profile_fields:
                fields.append(key)
                title = title or catalog.profile_fields[key].label
            else:
                r.fail("definition.unknown_field", (*at, "field"), key=key)
            key = None
        while isinstance(key, str) and key not in fields:
            if key not in catalog.fields:
                r.fail("definition.unknown_field", (*at, "field"), key=key)
                break
            fields.append(key)
            key = catalog.fields[key].fallback
        columns.append(SummaryColumn(kind, title, tuple(fields)))
    kinds = [c.kind for c in columns]
    repeated = sorted({k for k in kinds if kinds.count(k) > 1 and k not in SUMMARY_FIELD_KINDS})
    if repeated:
        r.fail(
            "definition.invalid",
            (*path, "columns"),
            problem=DEFINITIONS_TEXT["programs.summary_repeated"].format(columns=ENUM_COMMA.join(repeated)),
        )
    scores = [kinds.index(k) if k in kinds else -2 for k in ("claimed", "evidenced")]
    if columns and scores[1] != scores[0] + 1:
        r.fail(
            "definition.invalid",
            (*path, "columns"),
            problem=DEFINITIONS_TEXT["programs.summary_claimed_then_evidenced"],
        )
    chosen = r.texts(spec.get("notes"), (*path, "notes"))
    for note in chosen:
        if note not in notes:
            r.fail(
                "definition.invalid",
                (*path, "notes"),
                problem=DEFINITIONS_TEXT["programs.summary_unknown_note"].format(note=note),
            )
    return str(spec.get("title") or ""), tuple(columns), chosen


def _tier(r: Reader, catalog: Catalog, tier_id: str, raw: Any) -> Tier:
    path = ("tiers", tier_id)
    spec = r.mapping(raw, path, {"title", "by", "bands"}, {"unit"})
    bands = []
    for index, b in enumerate(r.seq(spec.get("bands"), (*path, "bands"))):
        if not isinstance(b, Mapping) or "min" not in b:
            r.fail("definition.invalid", (*path, "bands", index), problem=DEFINITIONS_TEXT["programs.no_min"])
            continue
        values = {
            k: r.number(v, (*path, "bands", index, k)) for k, v in b.items() if k not in ("min", "label")
        }
        bands.append(
            Band(r.number(b["min"], (*path, "bands", index, "min")), str(b.get("label", "")), values)
        )
    bands.sort(key=lambda band: band.min, reverse=True)
    if spec.get("by") not in catalog.fields:
        r.fail("definition.unknown_field", (*path, "by"), key=spec.get("by"))
    return Tier(tier_id, str(spec.get("title")), str(spec.get("by")), str(spec.get("unit", "")), tuple(bands))


def _data_row(r: Reader, catalog: Catalog, raw: Any, path: KeyPath) -> DataRow:
    spec = r.mapping(raw, path, {"no"}, {"key", "label", "unit", "sum", "explanation", "added"})
    key = spec.get("key")
    added = r.flag(spec.get("added"), (*path, "added"))
    if key is not None:
        f = catalog.fields.get(key) if isinstance(key, str) else None
        if f is None:
            r.fail("definition.unknown_field", (*path, "key"), key=key)
            return DataRow(str(spec.get("no")), str(key), "")
        return DataRow(
            str(spec.get("no")),
            str(spec.get("label", f.label)),
            str(spec.get("unit", f.unit)),
            key=key,
            explanation=str(spec.get("explanation", "")),
            added=added,
        )
    parts = r.texts(spec.get("sum"), (*path, "sum"))
    for part in parts:
        if part not in catalog.fields:
            r.fail("definition.unknown_field", (*path, "sum"), key=part)
    if not parts or "label" not in spec:
        r.fail("definition.invalid", path, problem=DEFINITIONS_TEXT["programs.data_row_without_key"])
    return DataRow(
        str(spec.get("no")),
        str(spec.get("label", "")),
        str(spec.get("unit", "")),
        sum=parts,
        explanation=str(spec.get("explanation", "")),
        added=added,
    )


def _group_weight(group: Group) -> Fraction:
    return sum((i.weight for i in group.indicators), Fraction(0)) + sum(
        (_group_weight(g) for g in group.groups), Fraction(0)
    )


def _num(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def _check_weights(r: Reader, program: Program) -> None:
    for lines, declared, key in (
        (program.indicators, program.max_score, "max_score"),
        (program.bonus, program.max_bonus, "max_bonus"),
    ):
        total = sum((i.weight for i in lines), Fraction(0))
        if total != declared:
            r.fail(
                "definition.weights",
                (key,),
                what=TEXT[f"weights_{key}"],
                actual=_num(total),
                declared=_num(declared),
            )

    def walk(groups: tuple[Group, ...], path: KeyPath) -> None:
        for index, group in enumerate(groups):
            gpath = (*path, index)
            walk(group.groups, (*gpath, "groups"))
            if group.weight is None:
                continue
            actual = _group_weight(group)
            if actual != group.weight:
                r.fail(
                    "definition.weights",
                    (*gpath, "weight"),
                    what=f"“{group.title}”",
                    actual=_num(actual),
                    declared=_num(group.weight),
                )

    walk(program.groups, ("groups",))


def _platform(r: Reader, raw: Any) -> PlatformRules:
    """Reads ``platform`` (commitment: the 告知承诺书's text; min_score; closes: a date; the
    upload limits max_file_mb and max_submission_mb)."""
    spec = r.mapping(
        raw or {},
        ("platform",),
        set(),
        {"commitment", "min_score", "closes", "max_file_mb", "max_submission_mb"},
    )
    closes = spec.get("closes")
    if closes is not None and not isinstance(closes, dt.date):
        try:
            closes = dt.date.fromisoformat(str(closes))
        except ValueError:
            r.fail(
                "definition.invalid", ("platform", "closes"), problem=PLATFORM["closes"].format(value=closes)
            )
            closes = None
    return PlatformRules(
        commitment=str(spec.get("commitment") or "").strip(),
        min_score=r.number(spec["min_score"], ("platform", "min_score")) if "min_score" in spec else None,
        closes=closes,
        max_file_bytes=_megabytes(r, spec, "max_file_mb"),
        max_submission_bytes=_megabytes(r, spec, "max_submission_mb"),
    )


def _megabytes(r: Reader, spec: Mapping[str, Any], key: str) -> int | None:
    """Returns the limit ``key`` (in MB, more than 0) in bytes, or None when not given."""
    if key not in spec:
        return None
    value = r.number(spec[key], ("platform", key))  # a non-number is reported there, as 0
    if value <= 0:
        if value < 0 or spec[key] == 0:
            r.fail("definition.invalid", ("platform", key), problem=PLATFORM["megabytes"].format(key=key))
        return None
    return int(value * 1024 * 1024)

"""Tests for the field-type registry: names, duplicate registration, conversions and findings."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as Q
from pathlib import Path
from typing import Any

import pytest

from docgen.app.submission import open_submission
from docgen.diagnostics import Location, Severity
from docgen.model.definitions import ChoiceField, FieldDef
from docgen.model.field_types import FIELD_TYPE_NAMES, FIELD_TYPES, FieldType, field_type, register
from tests.conftest import write_answers
from tests.test_validate import BASE


def test_names_are_the_registered_types() -> None:
    """ensures that the names definitions may declare are exactly the registered types."""
    assert set(FIELD_TYPES) == FIELD_TYPE_NAMES
    assert {
        "amount",
        "bool",
        "choice",
        "count",
        "credit_code",
        "date",
        "file",
        "half",
        "industry_code",
        "patent_number",
        "text",
        "year",
    } == FIELD_TYPE_NAMES
    assert all(FIELD_TYPES[name].name == name for name in FIELD_TYPE_NAMES)


def test_registry_refuses_duplicates() -> None:
    """ensures that a field type name cannot be registered twice, and the first one stays."""
    before = FIELD_TYPES["count"]
    with pytest.raises(ValueError, match="field type 'count' registered twice"):
        register("count")(type("Again", (FieldType,), {}))
    assert FIELD_TYPES["count"] is before


def test_unknown_type_is_a_key_error() -> None:
    """ensures that asking for an unregistered type fails loudly (definitions check names first)."""
    with pytest.raises(KeyError):
        field_type("money")


def _figure(type_name: str, signed: bool = False) -> FieldDef:
    return FieldDef(key="x", label="研发人员", unit="人月", type=type_name, signed=signed)


@pytest.mark.parametrize(
    ("type_name", "signed", "raw", "value", "found"),
    [
        ("count", False, 12, Q(12), []),
        ("count", False, 12.5, None, [("answers.not_integer", "“研发人员”应为整数（填写的是 12.5）")]),
        ("count", False, -3, None, [("answers.negative", "“研发人员”不能为负数（填写的是 -3）")]),
        ("half", False, 18.5, Q(37, 2), []),
        (
            "half",
            False,
            18.3,
            None,
            [("answers.not_half", "“研发人员”的最小统计单位为 0.5人月（填写的是 18.3）")],
        ),
        ("amount", False, 0.25, Q(1, 4), []),
        ("amount", False, -1, None, [("answers.negative", "“研发人员”不能为负数（填写的是 -1）")]),
        ("amount", True, -1, Q(-1), []),
        (
            "amount",
            False,
            "１,２００",
            Q(1200),
            [("answers.number_text", "“研发人员”写成了文本“１,２００”，已按 1200 读取")],
        ),
        (
            "count",
            False,
            "1,200.5",
            None,
            [
                ("answers.number_text", "“研发人员”写成了文本“1,200.5”，已按 1200.5 读取"),
                ("answers.not_integer", "“研发人员”应为整数（填写的是 1200.5）"),
            ],
        ),
        ("amount", False, "12万", None, [("answers.not_a_number", "“研发人员”应为数字，填写的是“12万”")]),
        ("amount", False, [1], None, [("answers.wrong_type", "“研发人员”应为数值，实际为“[1]”")]),
        ("amount", False, float("inf"), None, [("answers.not_finite", "“研发人员”不是有效的数值（inf）")]),
        (
            "amount",
            False,
            10**13,
            None,
            [("answers.too_large", "“研发人员”的数值 10000000000000 超出合理范围")],
        ),
    ],
    ids=lambda v: repr(v) if not isinstance(v, list) else "findings",
)
def test_figure_conversion(
    type_name: str, signed: bool, raw: Any, value: Q | None, found: list[tuple[str, str]]
) -> None:
    """ensures that each numeric type reads a data figure exactly, with these codes and messages."""
    converted = field_type(type_name).convert_figure(raw, _figure(type_name, signed))
    assert converted.value == value
    assert converted.accepted is (value is not None)
    assert [(d.code, d.message) for d in converted.diagnostics] == found
    assert all(d.location == Location() for d in converted.diagnostics)  # the caller places them


def _field(type_name: str, **extra: Any) -> ChoiceField:
    return ChoiceField(name="x", type=type_name, label="名称", **extra)


LEVELS = {"choices": {"national": "国家级", "city": "市级"}, "aliases": {"国家": "national"}}


@pytest.mark.parametrize(
    ("type_name", "extra", "raw", "value", "codes"),
    [
        ("text", {}, " 甲公司 ", "甲公司", []),
        ("text", {}, 2022, "2022", []),
        ("text", {}, True, None, ["answers.bool_as_text"]),
        ("text", {}, [1], None, ["answers.wrong_type"]),
        ("patent_number", {}, "ZL2020 ", "ZL2020", []),
        ("file", {}, False, None, ["answers.bool_as_text"]),
        ("choice", LEVELS, "国家级", "national", []),
        ("choice", LEVELS, "国家", "national", []),
        ("choice", LEVELS, "province", None, ["answers.choice"]),
        ("count", {}, 3, 3, []),
        ("count", {}, -3, None, ["answers.negative"]),
        ("count", {}, True, None, ["answers.wrong_type"]),
        ("count", {}, "3", None, ["answers.wrong_type"]),
        ("year", {}, 2022, 2022, []),
        ("year", {}, " 2022", 2022, []),
        ("year", {}, 1899, None, ["answers.year"]),
        ("date", {}, dt.date(2022, 3, 1), dt.date(2022, 3, 1), []),
        ("date", {}, dt.datetime(2022, 3, 1, 8), dt.date(2022, 3, 1), []),
        ("date", {}, "2022-03-01", dt.date(2022, 3, 1), []),
        ("date", {}, "2022年3月", None, ["answers.date"]),
        ("bool", {}, False, False, []),
        ("bool", {}, "yes", None, ["answers.wrong_type"]),
        ("industry_code", {}, "07", "07", []),
        ("industry_code", {}, 35, "35", []),
        ("industry_code", {}, 7, None, ["answers.industry_code_unquoted"]),
        ("industry_code", {}, "357", None, ["answers.industry_code"]),
        ("amount", {}, 1.5, 1.5, []),  # kept as given outside a data table
        ("half", {}, "x", "x", []),
    ],
    ids=lambda v: repr(v),
)
def test_field_conversion(
    type_name: str, extra: dict[str, Any], raw: Any, value: Any, codes: list[str]
) -> None:
    """ensures that each type converts a profile or item value to its canonical value or refuses it."""
    converted = field_type(type_name).convert(raw, _field(type_name, **extra))
    assert converted.value == value
    assert type(converted.value) is type(value)
    assert [d.code for d in converted.diagnostics] == codes
    assert all(d.severity is Severity.ERROR for d in converted.diagnostics)


def test_choice_message_lists_the_choices() -> None:
    """ensures that a refused choice names the value and, in the hint, every allowed value."""
    (found,) = field_type("choice").convert("province", _field("choice", **LEVELS)).diagnostics
    assert found.message == "“名称”的取值“province”无效"
    assert found.hint == "可选：national（国家级）、city（市级）"


@pytest.mark.parametrize(
    ("type_name", "placeholder"),
    [("count", "0"), ("date", "2023-01-01"), ("industry_code", '"35"'), ("text", '""'), ("choice", '""')],
)
def test_placeholders(type_name: str, placeholder: str) -> None:
    """ensures that ``docgen init`` writes these placeholders for a profile field of each type."""
    assert field_type(type_name).placeholder.format(year=2023) == placeholder


def test_findings_are_placed_on_the_line_as_written(tmp_path: Path) -> None:
    """ensures that a type's findings get the canonical key path and the line of the key as written
    (a Chinese label)."""
    text = BASE.replace("  rd_staff: 120\n", '  研究与试验发展人员数: "1,200.5"\n')
    sub = open_submission(write_answers(tmp_path, text))
    found = [(d.code, d.location.path, d.location.line) for d in sub.scoring_diagnostics]
    assert ("answers.number_text", "data.rd_staff", 9) in found
    assert ("answers.not_integer", "data.rd_staff", 9) in found

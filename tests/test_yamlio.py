"""Tests for docgen.yamlio: positions, exact numbers, duplicate keys, hostile YAML."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from docgen.sources.yamlio import load_document, parse_json, parse_yaml


def test_keys_keep_their_text_and_lines():
    """ensures that unquoted section ids like 1.1 stay "1.1" and every key keeps its line."""
    doc = parse_yaml("narrative:\n  1.1: a\n  1.10: b\n  2: c\n", "a.yaml")
    assert doc.data == {"narrative": {"1.1": "a", "1.10": "b", "2": "c"}}
    assert doc.positions[("narrative", "1.10")] == (3, 3)
    assert doc.line_of(("narrative", "2")) == 4


def test_floats_are_exact_decimals():
    """ensures that 2.4 is read as Decimal('2.4'), not a binary float."""
    doc = parse_yaml("x: 2.4\ny: 1800\n", "a.yaml")
    assert doc.data["x"] == Decimal("2.4")
    assert doc.data["y"] == 1800


def test_duplicate_key_is_reported_with_both_lines():
    """ensures that a repeated key is a diagnostic, not silently dropped."""
    doc = parse_yaml("data:\n  rd_staff: 1\n  rd_staff: 2\n", "a.yaml")
    (finding,) = doc.diagnostics
    assert finding.code == "yaml.duplicate_key"
    assert finding.location.line == 3
    assert "第 2 行" in finding.message


def test_syntax_error_names_the_line():
    """ensures that a YAML syntax error becomes a diagnostic with its line."""
    doc = parse_yaml("data:\n  a: 1\n b: [\n", "a.yaml")
    assert doc.data is None
    assert doc.diagnostics[0].code == "yaml.syntax"
    assert doc.diagnostics[0].location.line is not None


def test_billion_laughs_is_refused_quickly():
    """ensures that alias expansion is bounded by a node limit."""
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        lines.append(
            f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]"
        )
    doc = parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert doc.data is None
    assert doc.diagnostics[0].code == "yaml.too_many_nodes"


def test_deep_nesting_is_refused():
    """ensures that 5,000-deep nesting gives a diagnostic, not a RecursionError."""
    doc = parse_yaml("[" * 5000 + "]" * 5000, "deep.yaml")
    assert doc.data is None
    assert doc.diagnostics[0].code in ("yaml.too_deep", "yaml.syntax")


def test_json_has_lines_and_decimals():
    """ensures that JSON answers keep exact numbers and key lines."""
    doc = parse_json('{\n  "data": {\n    "main_revenue": 52000.5\n  }\n}\n', "a.json")
    assert doc.data["data"]["main_revenue"] == Decimal("52000.5")
    assert doc.line_of(("data", "main_revenue")) == 3


def test_gbk_file_is_read_with_a_warning(tmp_path: Path):
    """ensures that a GBK-encoded file is decoded with a warning naming the encoding."""
    path = tmp_path / "answers.yaml"
    path.write_bytes("profile:\n  company_name: 测试公司\n".encode("gbk"))
    doc = load_document(path)
    assert doc.data == {"profile": {"company_name": "测试公司"}}
    assert doc.diagnostics[0].code == "file.encoding_guessed"


def test_oversized_file_is_refused(tmp_path: Path):
    """ensures that an answers file over the size limit is refused without being parsed."""
    from docgen.sources.yamlio import MAX_FILE_BYTES

    path = tmp_path / "answers.yaml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    doc = load_document(path)
    assert doc.data is None
    assert doc.diagnostics[0].code == "file.too_large"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: [1, 2\n", 2, "方括号列表"),
        ("a:\n\tb: 1\n", 2, "Tab"),
        ("a: b: c\n", 1, "值里含冒号"),
        ('a: "x\n', 2, "闭合之前结束"),
        ("a:\n  - 1\n - 2\n", 3, "缩进不一致"),
    ],
)
def test_syntax_errors_are_explained_in_chinese(text: str, line: int, words: str):
    """ensures that common YAML mistakes are told in Chinese, with their line, not PyYAML's English."""
    [finding] = parse_yaml(text, "a.yaml").diagnostics
    assert finding.code == "yaml.syntax"
    assert finding.location.line == line
    assert words in finding.message
    assert not any("a" <= ch.lower() <= "z" for ch in finding.message.replace("YAML", "").replace("Tab", ""))


@pytest.mark.parametrize(
    "text", ["a: [1, 2\n", "a:\n\tb: 1\n", "a: b: c\n", 'a: "x\n', "a:\n  - 1\n - 2\n", "k: {a: 1\n"]
)
def test_pure_python_loader_messages_are_chinese_too(text: str):
    """ensures the Chinese explanations also cover PyYAML's pure-Python wording (no libyaml)."""
    import yaml

    from docgen.text.parsers import UNKNOWN_PROBLEM, yaml_problem

    with pytest.raises(yaml.MarkedYAMLError) as raised:
        yaml.compose(text, Loader=yaml.SafeLoader)
    unknown = UNKNOWN_PROBLEM.split("{")[0]
    assert not yaml_problem(raised.value.problem).startswith(unknown), raised.value.problem


def test_a_problem_without_chinese_wording_is_still_said_in_chinese():
    """ensures a parser problem text without a Chinese wording yet is said in Chinese, its
    original kept in brackets, and the json module's texts have theirs."""
    from docgen.text.parsers import json_problem, yaml_problem

    assert yaml_problem("found character that cannot start any token") == (
        "出现了不能用在此处的字符（常见原因：用 Tab 缩进，请改用空格；或值以 @、` 开头却未加引号）"
    )
    assert yaml_problem("some new libyaml text") == "无法识别此处的写法（解析器原文：some new libyaml text）"
    assert json_problem("Expecting ',' delimiter") == "缺少逗号“,”"
    assert json_problem("Extra data") == "JSON 对象结束后还有多余内容"

"""Ensures that Chinese text lives in docgen/text/*.py, never as a string literal of the code.

English identifiers; Chinese only in data (YAML), templates and the modules holding user-facing
text (docgen/text/). Comments and docstrings may be Chinese: a docstring is a string statement
(the first statement of a module, class or function, or the attribute docstring after an
assignment), found with ``ast``; every other STRING token is a literal.
"""

from __future__ import annotations

import ast
import importlib
import io
import re
import string
import tokenize
from pathlib import Path
from types import ModuleType
from typing import Any

PACKAGE = Path(__file__).resolve().parent.parent / "docgen"
CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

# docgen/diagnostics.py is the lowest leaf (tests/test_architecture.py LEAF_ORDER): it may not
# import docgen.text, so the hint suffix of its Diagnostic.__str__ stays a literal there.
ALLOWED = {"diagnostics.py": 2}

NUMBERED_KEY = re.compile(r"_[0-9]+$")  # «terminal.print_score_7»: a key named after a function
NUMBERED_FIELD = re.compile(r"value[0-9]+$")  # «{value0}»: a placeholder that names nothing


def _docstrings(tree: ast.Module) -> set[tuple[int, int]]:
    """Returns the start (line, column) of every string statement of ``tree``."""
    starts = set()
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            for statement in block if isinstance(block, list) else []:
                value = statement.value if isinstance(statement, ast.Expr) else None
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    starts.add((statement.lineno, statement.col_offset))
    return starts


def _chinese_literals(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """Returns «file:line» of every Chinese string literal of ``path`` that is not a docstring."""
    source = path.read_text(encoding="utf-8")
    docstrings = _docstrings(ast.parse(source))
    lines = source.splitlines()
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.STRING or not CJK.search(token.string):
            continue
        line, column = token.start
        # ast columns count UTF-8 bytes, tokenize columns count characters
        byte_column = len(lines[line - 1][:column].encode("utf-8"))
        if (line, byte_column) not in docstrings:
            found.append(f"{path.relative_to(root).as_posix()}:{line}")
    return found


def _code_files() -> list[Path]:
    """Returns every .py of docgen outside docgen/text/."""
    return [p for p in sorted(PACKAGE.rglob("*.py")) if p.relative_to(PACKAGE).parts[0] != "text"]


def test_no_chinese_literals_outside_text_modules() -> None:
    """ensures that no module outside docgen/text/ holds a Chinese string literal (bar the allow-list)."""
    offending = []
    for path in _code_files():
        found = _chinese_literals(path)
        if len(found) != ALLOWED.get(str(path.relative_to(PACKAGE)), 0):
            offending += found
    assert offending == [], "\n".join(offending)


def test_the_check_sees_a_literal(tmp_path: Path) -> None:
    """ensures that the check finds a Chinese literal and passes over Chinese docstrings."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        '"""模块说明。"""\n\n\ndef f():\n    """函数说明。"""\n    return "标题"\n', encoding="utf-8"
    )
    assert _chinese_literals(probe, tmp_path) == ["probe.py:6"]


def _text_modules() -> list[ModuleType]:
    """Returns every module of docgen/text/, imported."""
    return [importlib.import_module(f"docgen.text.{p.stem}") for p in sorted((PACKAGE / "text").glob("*.py"))]


def _text_dicts() -> dict[str, dict[str, Any]]:
    """Returns every module-level dict of docgen/text/ with string keys, by «module.NAME»."""
    found = {}
    for module in _text_modules():
        for name, value in vars(module).items():
            if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
                found[f"{module.__name__}.{name}"] = value
    return found


def _code_strings() -> set[str]:
    """Returns every string constant of the code outside docgen/text/."""
    strings = set()
    for path in _code_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
    return strings


def _placeholders(text: str) -> list[str]:
    """Returns the names of the ``str.format`` fields of ``text`` (none if it is not a format)."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name]
    except ValueError:  # a regular expression with «{1,8}» and the like
        return []


def test_every_text_key_is_used() -> None:
    """ensures that every key of every *_TEXT dict is written somewhere in the code outside docgen/text/."""
    used = _code_strings()
    unused = [
        f"{where}[{key!r}]"
        for where, table in _text_dicts().items()
        if where.endswith("_TEXT")
        for key in table
        if key not in used
    ]
    assert unused == [], "\n".join(unused)


def test_text_keys_are_not_numbered() -> None:
    """ensures that no key of a dict of docgen/text/ is a name with a number (``print_score_7``)."""
    numbered = [
        f"{where}[{key!r}]"
        for where, table in _text_dicts().items()
        for key in table
        if NUMBERED_KEY.search(key)
    ]
    assert numbered == [], "\n".join(numbered)


def test_placeholders_say_what_they_hold() -> None:
    """ensures that no text of docgen/text/ has a numbered placeholder such as ``{value0}``."""
    texts = [
        (f"{where}[{key!r}]", value)
        for where, table in _text_dicts().items()
        for key, value in table.items()
        if isinstance(value, str)
    ]
    numbered = [where for where, text in texts if any(NUMBERED_FIELD.match(n) for n in _placeholders(text))]
    assert numbered == [], "\n".join(numbered)


def test_the_key_checks_see_a_number() -> None:
    """ensures that the key and placeholder checks catch the numbered names they exist for."""
    assert NUMBERED_KEY.search("terminal.print_score_7")
    assert not NUMBERED_KEY.search("terminal.score.level2")
    assert [n for n in _placeholders("共 {value0} 份，{broken}") if NUMBERED_FIELD.match(n)] == ["value0"]
    assert [n for n in _placeholders("{year}年：{folders}") if NUMBERED_FIELD.match(n)] == []

"""Ensures that Chinese text lives in docgen/text/*.py, never as a string literal of the code.

English identifiers; Chinese only in data (YAML), templates and the modules holding user-facing
text (docgen/text/). Comments and docstrings may be Chinese: a docstring is a string statement
(the first statement of a module, class or function, or the attribute docstring after an
assignment), found with ``ast``; every other STRING token is a literal.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "docgen"
CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

# docgen/diagnostics.py is the lowest leaf (tests/test_architecture.py LEAF_ORDER): it may not
# import docgen.text, so the hint suffix of its Diagnostic.__str__ stays a literal there.
ALLOWED = {"diagnostics.py": 2}


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

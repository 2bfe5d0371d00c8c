"""Ensures that the package layout keeps its shape: imports flow one way, without cycles.

The layers, bottom to top (docs/architecture.md): the leaves, then model/sources/word, rules,
definitions, the core (narrative, answers, scoring, evidence), outputs, app and the shells. A
module may import its own package and any package of a lower layer, never a higher one.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "docgen"

# package → layer; a module imports only packages of a lower layer, or its own package
LAYERS = {
    "errors": 0,
    "diagnostics": 0,
    "numbers": 0,
    "resources": 0,
    "files": 0,
    "registry": 0,
    "codec": 0,
    "typed_codec": 0,
    "cache": 0,
    "text": 0,
    "model": 1,
    "sources": 1,
    "word": 2,
    "rules": 2,
    "definitions": 3,
    "narrative": 4,
    "answers": 5,
    "scoring": 5,
    "evidence": 5,
    "outputs": 6,
    "app": 7,
    "web": 8,
    "cli": 9,
    "__init__": 10,
    "__main__": 10,
}
# the leaves import each other in this order only
LEAF_ORDER = [
    "diagnostics",
    "text",
    "errors",
    "numbers",
    "resources",
    "files",
    "registry",
    "codec",
    "typed_codec",
    "cache",
]

# third-party libraries that only edge modules may import (a CORE module is pure)
EDGE_ONLY = {
    "yaml",
    "pypdf",
    "docx",
    "docxtpl",
    "docxcompose",
    "openpyxl",
    "click",
    "rich",
    "reportlab",
    "PIL",
    "starlette",
    "sqlalchemy",
    "alembic",
    "uvicorn",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Returns every docgen module or package that ``path`` imports, at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:  # `from docgen import cache` imports docgen.cache
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if submodule in MODULES else node.module)
    return {n for n in names if n in MODULES}


def _third_party(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & EDGE_ONLY


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _rank(module: str) -> tuple[int, int]:
    package = _package(module)
    leaf = LEAF_ORDER.index(package) if package in LEAF_ORDER else 0
    return LAYERS[package], leaf


def test_every_package_has_a_layer() -> None:
    """ensures that every docgen package is placed in a layer (a new package must be placed)."""
    assert {_package(m) for m in MODULES} <= set(LAYERS), sorted({_package(m) for m in MODULES} - set(LAYERS))


@pytest.mark.parametrize("module", sorted(MODULES), ids=sorted(MODULES))
def test_imports_flow_downwards(module: str) -> None:
    """ensures that a module imports only its own package and lower layers."""
    own = _package(module)
    upward = sorted(
        target
        for target in _imports(MODULES[module])
        if _package(target) != own and _rank(target) >= _rank(module)
    )
    assert upward == [], f"{module} imports upward: {upward}"


def test_no_import_cycle() -> None:
    """ensures that no chain of imports, function-level ones included, leads back to its start."""
    graph = {m: {t for t in _imports(p) if t != m and not m.startswith(t + ".")} for m, p in MODULES.items()}
    # a package's __init__ is not an edge to its modules: importing docgen.x.y runs docgen.x first
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert cycles == []


@pytest.mark.parametrize(
    "module",
    sorted(
        m
        for m, p in MODULES.items()
        if (ast.get_docstring(ast.parse(p.read_text("utf-8"))) or "").startswith("CORE")
    ),
)
def test_core_modules_are_pure(module: str) -> None:
    """ensures that a module marked CORE imports no file-format, terminal or document library."""
    assert _third_party(MODULES[module]) == set()


def test_import_docgen_is_cheap() -> None:
    """ensures that ``import docgen`` loads only a handful of docgen modules (PEP 562 names)."""
    code = "import docgen, sys; print(sorted(m for m in sys.modules if m.startswith('docgen')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    modules = ast.literal_eval(loaded)
    assert len(modules) <= 3, modules


def test_public_names_resolve() -> None:
    """ensures that every name in ``docgen.__all__`` resolves to the object its module defines."""
    import importlib

    import docgen

    for name in docgen.__all__:
        value = getattr(docgen, name)
        if name != "__version__":
            module = importlib.import_module(docgen._PUBLIC[name])
            assert value is getattr(module, name)
    assert set(docgen.__all__) == {*docgen._PUBLIC, "__version__"}


MAX_MODULE_LINES = 500


@pytest.mark.parametrize("module", sorted(MODULES), ids=sorted(MODULES))
def test_modules_stay_small(module: str) -> None:
    """ensures that no module grows past MAX_MODULE_LINES (one concept per module)."""
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module}: {lines} lines"


def _names_a_rule(node: ast.Compare) -> bool:
    """Returns True for ``….rule.type == "name"`` (or !=, in) with a string on the other side."""
    sides = [node.left, *node.comparators]
    rule_type = any(
        isinstance(s, ast.Attribute)
        and s.attr == "type"
        and isinstance(s.value, ast.Attribute)
        and s.value.attr == "rule"
        for s in sides
    )
    named = any(
        (isinstance(s, ast.Constant) and isinstance(s.value, str))
        or (
            isinstance(s, ast.Tuple | ast.List | ast.Set) and any(isinstance(e, ast.Constant) for e in s.elts)
        )
        for s in sides
    )
    return rule_type and named


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _package(m) != "rules"))
def test_only_rules_know_rule_names(module: str) -> None:
    """ensures that no module outside rules/ compares a rule's type with a rule name: callers ask
    the registry what a rule reads or prints (RuleSet.inputs, RuleSet.requirements)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Compare) and _names_a_rule(n)]
    assert found == [], f"{module} compares rule names on lines {found}"

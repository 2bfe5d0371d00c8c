"""EDGE: read YAML/JSON text into plain values plus a side table of key positions.

PyYAML is used only to *compose* a node tree (the C loader when available); values are built
here so that: mapping keys stay the text the user typed (``1.1:`` stays ``"1.1"``), floats become
exact ``Decimal``, duplicate keys are reported instead of silently dropped, aliases cannot expand
into a billion nodes, and every key path keeps its 1-based line and column.

Hostile input is bounded here, once for every reader:

- only the tags YAML resolves by itself are read (str, int, float, bool, null, timestamp, map,
  seq); any other tag (``!!python/…``, ``!!binary``, ``!!set``, ``!foo``) is an error on its line
  and builds nothing, and a core tag on a value it cannot read (``!!int "x"``) is one too;
- a number is built only from a short text (``numbers.MAX_NUMBER_TEXT``) within
  ``numbers.MAX_EXPONENT`` powers of ten; a longer one (a 5,000-digit integer,
  ``1.0e+999999999``) stays the text written, and the field reading it refuses it by name;
- the characters XML 1.0 cannot hold are removed, each removal a warning (``characters.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import yaml

from docgen.diagnostics import Diagnostic, KeyPath
from docgen.numbers import MAX_NUMBER_TEXT, NotANumber, NumberOutOfRange, read_decimal
from docgen.sources.characters import clean_source, clean_tree, source_findings
from docgen.text.messages import WORKBOOK_HINTS, diagnostic
from docgen.text.parsers import JSON_NOT_FINITE, json_problem, yaml_problem
from docgen.text.sources_text import SOURCES_TEXT

try:  # the C loader is several times faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

YAML_LOADER = _Loader
"""The loader composing YAML here (the C one when PyYAML has it)."""
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

_SCALARS = yaml.constructor.SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()
_resolve: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = _RESOLVER.resolve

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL = _CORE + "str", _CORE + "int", _CORE + "float", _CORE + "bool"
_NULL, _TIMESTAMP, _VALUE = _CORE + "null", _CORE + "timestamp", _CORE + "value"
SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _VALUE})
"""The scalar tags read: those YAML resolves a plain scalar to by itself (``=`` is «value»)."""
_COLLECTION_TAGS: dict[type[yaml.Node], str] = {
    yaml.MappingNode: _CORE + "map",
    yaml.SequenceNode: _CORE + "seq",
}
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass
class LoadedDocument:
    """Plain data read from one file, with ``positions[key_path] = (line, column)``; a workbook
    (answers.xlsx) has ``cells[key_path] = "评价数据表!D7"`` instead, and no lines."""

    file: str
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    cells: dict[KeyPath, str] = field(default_factory=dict)
    workbook: bool = False  # read from answers.xlsx: findings are placed on cells, never lines

    def line_of(self, path: KeyPath) -> int | None:
        """Returns the line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), 0, -1):
            found = self.positions.get(tuple(path[:end]))
            if found:
                return found[0]
        return None

    def cell_of(self, path: KeyPath) -> str | None:
        """Returns the cell of ``path`` (a workbook), or of its nearest ancestor that has one."""
        for end in range(len(path), 0, -1):
            found = self.cells.get(tuple(path[:end]))
            if found:
                return found
        return None

    def locate(self, findings: list[Diagnostic]) -> list[Diagnostic]:
        """Returns ``findings`` placed on their cells when this document is a workbook: a finding
        about this file gets the cell of its key path and no line (the readers of answers place
        findings by line; a workbook has none). Other documents' findings are returned as they are.
        """
        if not self.workbook:
            return findings
        out = []
        for d in findings:
            where = d.location
            if where.file == self.file and where.cell is None:
                cell = self.cell_of(where.key_path) if where.key_path else None
                where = replace(where, line=None, column=None, cell=cell)
                d = replace(d, location=where, hint=WORKBOOK_HINTS.get(d.code, d.hint))
            out.append(d)
        return out


class _Builder:
    """Builds plain values from a composed node tree, counting nodes and depth."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[KeyPath, tuple[int, int]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.nodes = 0

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Abort(diagnostic("yaml.too_many_nodes", file=self.file, limit=MAX_NODES))
        if depth > MAX_DEPTH:
            raise _Abort(
                diagnostic("yaml.too_deep", file=self.file, line=node.start_mark.line + 1, limit=MAX_DEPTH)
            )
        if not self._tag_read(node, path):
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            out = []
            for index, child in enumerate(node.value):
                child_path = (*path, index)
                self.positions[child_path] = (child.start_mark.line + 1, child.start_mark.column + 1)
                out.append(self.build(child, child_path, depth + 1))
            return out
        # the composer makes only mapping, sequence and scalar nodes
        return self._scalar(cast(yaml.ScalarNode, node), path)

    def _tag_read(self, node: yaml.Node, path: KeyPath) -> bool:
        """Returns True when ``node``'s tag is one read; else adds ``yaml.tag`` on its line."""
        expected = _COLLECTION_TAGS.get(type(node))
        if node.tag == expected or (expected is None and node.tag in SCALAR_TAGS):
            return True
        self.diagnostics.append(
            diagnostic(
                "yaml.tag", file=self.file, line=node.start_mark.line + 1, path=path, tag=_shown(node.tag)
            )
        )
        return False

    def _scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        """Returns the scalar's value; a core tag on a value it cannot read is ``yaml.tag_value``."""
        try:
            return _scalar(node)
        except (ValueError, KeyError, AttributeError, NotANumber):
            if _resolve(yaml.ScalarNode, node.value, (True, False)) == node.tag:
                return node.value  # resolved so by YAML itself (a sexagesimal float): kept as written
            self.diagnostics.append(
                diagnostic(
                    "yaml.tag_value",
                    file=self.file,
                    line=node.start_mark.line + 1,
                    path=path,
                    tag=_shown(node.tag),
                    value=node.value,
                )
            )
            return None

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Abort(
                    diagnostic(
                        "yaml.unsupported",
                        file=self.file,
                        line=key_node.start_mark.line + 1,
                        problem=SOURCES_TEXT["yamlio.merge_key"],
                    )
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Abort(
                    diagnostic(
                        "yaml.unsupported",
                        file=self.file,
                        line=key_node.start_mark.line + 1,
                        problem=SOURCES_TEXT["yamlio.key_not_scalar"],
                    )
                )
            key = str(key_node.value).strip()
            child_path = (*path, key)
            if key_node.tag not in SCALAR_TAGS:
                self._tag_read(key_node, child_path)
                continue
            line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in out:
                self.diagnostics.append(
                    diagnostic(
                        "yaml.duplicate_key",
                        file=self.file,
                        line=line,
                        column=column,
                        path=child_path,
                        key=key,
                        first_line=self.positions[child_path][0],
                    )
                )
                continue
            self.positions[child_path] = (line, column)
            out[key] = self.build(value_node, child_path, depth + 1)
        return out


class _Abort(Exception):
    def __init__(self, finding: Diagnostic) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _scalar(node: yaml.ScalarNode) -> Any:
    """Returns the value of a scalar with a tag of ``SCALAR_TAGS``; a number beyond the bounds
    of ``numbers`` stays its text.

    Raises:
        ValueError, KeyError, AttributeError, NotANumber: the text is not of the tag's type.
    """
    tag, text = node.tag, str(node.value)
    if tag == _FLOAT:
        plain = text.replace("_", "").lower()
        if plain in (".inf", "+.inf", "-.inf", ".nan"):
            return float(plain.replace(".", "", 1))
        try:
            return read_decimal(plain)
        except NumberOutOfRange:
            return text
    if tag == _INT:
        if len(text) > MAX_NUMBER_TEXT:  # before int(): a 5,000-digit int cannot even be printed
            return text
        return _SCALARS.construct_yaml_int(node)
    if tag == _BOOL:
        return _SCALARS.construct_yaml_bool(node)
    if tag == _NULL:
        if text not in _NULL_WORDS:
            raise ValueError(text)
        return None
    if tag == _TIMESTAMP:
        return _SCALARS.construct_yaml_timestamp(node)
    return node.value


def _shown(tag: str) -> str:
    """Returns a tag as written in YAML: ``!!int`` for the core tags, ``!foo`` as it is."""
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def read_text(path: Path, display: str) -> tuple[str | None, list[Diagnostic]]:
    """Returns the file's text (BOM removed) and findings about size and encoding."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                diagnostic("file.too_large", file=display, name=display, size=size, limit=MAX_FILE_BYTES)
            ]
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [diagnostic("file.not_found", file=display, name=display)]
    except OSError as exc:
        return None, [
            diagnostic(
                "file.not_found",
                file=display,
                name=SOURCES_TEXT["yamlio.unreadable"].format(display=display, strerror=exc.strerror),
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None, [diagnostic("file.encoding", file=display, name=display)]
    return text, [diagnostic("file.encoding_guessed", file=display, name=display, encoding="GB18030")]


def parse_yaml(text: str, file: str) -> LoadedDocument:
    """Returns the parsed document; syntax problems become diagnostics with their line."""
    doc = LoadedDocument(file=file, data=None)
    text, removed = clean_source(text)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or str(exc)
        doc.diagnostics.append(
            diagnostic(
                "yaml.syntax",
                file=file,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                problem=yaml_problem(problem),
            )
        )
        return doc
    except yaml.YAMLError as exc:
        doc.diagnostics.append(diagnostic("yaml.syntax", file=file, problem=yaml_problem(str(exc))))
        return doc
    except RecursionError:
        doc.diagnostics.append(diagnostic("yaml.too_deep", file=file, limit=MAX_DEPTH))
        return doc
    if node is None:
        doc.data = {}
        return doc
    builder = _Builder(file)
    try:
        data = builder.build(node, (), 0)
    except _Abort as abort:
        doc.diagnostics.append(abort.finding)
        doc.data = None
        return doc
    except RecursionError:
        doc.diagnostics.append(diagnostic("yaml.too_deep", file=file, limit=MAX_DEPTH))
        return doc
    doc.data, doc.positions, cleaned = clean_tree(data, builder.positions, file)
    doc.diagnostics += source_findings(removed, doc.positions, file)
    doc.diagnostics += builder.diagnostics
    doc.diagnostics += cleaned
    return doc


def _json_int(text: str) -> int | str:
    """Returns a JSON integer literal as an int; beyond ``MAX_NUMBER_TEXT`` as its text."""
    return int(text) if len(text) <= MAX_NUMBER_TEXT else text


def _json_float(text: str) -> Decimal | str:
    """Returns a JSON number literal with a fraction or exponent as an exact Decimal; beyond the
    bounds of ``numbers`` as its text."""
    try:
        return read_decimal(text)
    except NumberOutOfRange:
        return text


class _NotFinite(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity`` in a JSON text (Python reads them; JSON has none)."""


def _json_constant(text: str) -> Any:
    raise _NotFinite(text)


def _first_constant(text: str, constant: str) -> tuple[int | None, int | None]:
    """Returns the 1-based line and column of ``constant`` outside a string, as best found."""
    match = re.search(rf'(?<![\w"]){re.escape(constant)}(?![\w"])', text)
    if match is None:
        return None, None
    line = text.count("\n", 0, match.start()) + 1
    return line, match.start() - text.rfind("\n", 0, match.start())


_SURROGATE_ESCAPES = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?"
    r"|(?<!\\)((?:\\\\)*)\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _yaml_escapes(match: re.Match[str]) -> str:
    """Returns a JSON surrogate pair escape as the one YAML escape of its character; a lone
    surrogate escape as nothing (YAML refuses both; the positions pass needs neither)."""
    if match.group(2) is None:  # a lone low surrogate
        return match.group(4)
    if match.group(3) is None:  # a lone high surrogate
        return match.group(1)
    high, low = int(match.group(2), 16), int(match.group(3), 16)
    return f"{match.group(1)}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"


def parse_json(text: str, file: str) -> LoadedDocument:
    """Returns the parsed JSON document; positions come from composing it as YAML."""
    doc = LoadedDocument(file=file, data=None)
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    text, removed = clean_source(text)
    try:
        data = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_float=_json_float,
            parse_int=_json_int,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as exc:
        doc.diagnostics.append(
            diagnostic(
                "json.syntax", file=file, line=exc.lineno, column=exc.colno, problem=json_problem(exc.msg)
            )
        )
        return doc
    except _NotFinite as exc:
        line, column = _first_constant(text, exc.args[0])
        problem = JSON_NOT_FINITE.format(value=exc.args[0])
        doc.diagnostics.append(
            diagnostic("json.syntax", file=file, line=line, column=column, problem=problem)
        )
        return doc
    except RecursionError:
        doc.diagnostics.append(diagnostic("yaml.too_deep", file=file, limit=MAX_DEPTH))
        return doc
    # JSON is (nearly) YAML flow syntax: compose it once more only to learn key lines (and to
    # bound its nesting and size as YAML's are bounded).
    located = parse_yaml(_SURROGATE_ESCAPES.sub(_yaml_escapes, text), file)
    kept = ("yaml.duplicate_key", "yaml.too_deep", "yaml.too_many_nodes")
    limits = [d for d in located.diagnostics if d.code in kept]
    if any(d.code != "yaml.duplicate_key" for d in limits):
        doc.diagnostics = limits
        return doc
    doc.data, doc.positions, cleaned = clean_tree(data, located.positions, file)
    doc.diagnostics = [*source_findings(removed, doc.positions, file), *limits, *cleaned]
    if duplicates and not limits:
        doc.diagnostics += [
            diagnostic("yaml.duplicate_key", file=file, key=key, first_line="?") for key in duplicates
        ]
    return doc


def load_document(path: Path, display: str | None = None) -> LoadedDocument:
    """Returns the parsed YAML or JSON file (by suffix) with findings; never raises on bad input."""
    shown = display or path.name
    text, findings = read_text(path, shown)
    if text is None:
        return LoadedDocument(file=shown, data=None, diagnostics=findings)
    parser = parse_json if path.suffix.lower() == ".json" else parse_yaml
    doc = parser(text, shown)
    doc.diagnostics[:0] = findings
    return doc

"""EDGE: read YAML/JSON text into plain values plus a side table of key positions.

PyYAML is used only to *compose* a node tree (the C loader when available); values are built
here so that: mapping keys stay the text the user typed (``1.1:`` stays ``"1.1"``), floats become
exact ``Decimal``, duplicate keys are reported instead of silently dropped, aliases cannot expand
into a billion nodes, and every key path keeps its 1-based line and column.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

import yaml

from docgen.diagnostics import Diagnostic, KeyPath
from docgen.text.messages import diagnostic, yaml_problem

try:  # the C loader is several times faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

_SCALARS = yaml.constructor.SafeConstructor()


@dataclass
class LoadedDocument:
    """Plain data read from one file, with ``positions[key_path] = (line, column)``."""

    file: str
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def line_of(self, path: KeyPath) -> int | None:
        """Returns the line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), 0, -1):
            found = self.positions.get(tuple(path[:end]))
            if found:
                return found[0]
        return None


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
        return _scalar(cast(yaml.ScalarNode, node))

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Abort(
                    diagnostic(
                        "yaml.unsupported",
                        file=self.file,
                        line=key_node.start_mark.line + 1,
                        problem="合并键 <<",
                    )
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Abort(
                    diagnostic(
                        "yaml.unsupported",
                        file=self.file,
                        line=key_node.start_mark.line + 1,
                        problem="键必须是简单文本",
                    )
                )
            key = str(key_node.value).strip()
            child_path = (*path, key)
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
    tag = node.tag
    if tag == "tag:yaml.org,2002:float":
        text = str(node.value).replace("_", "").lower()
        if text in (".inf", "+.inf", "-.inf", ".nan"):
            return float(text.replace(".", "", 1))
        try:
            return Decimal(text)
        except InvalidOperation:
            return node.value
    if tag == "tag:yaml.org,2002:int":
        return _SCALARS.construct_yaml_int(node)
    if tag == "tag:yaml.org,2002:bool":
        return _SCALARS.construct_yaml_bool(node)
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:timestamp":
        try:
            return _SCALARS.construct_yaml_timestamp(node)
        except ValueError:
            return node.value
    return node.value


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
        return None, [diagnostic("file.not_found", file=display, name=f"{display}（{exc.strerror}）")]
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
                problem=yaml_problem(problem) or problem,
            )
        )
        return doc
    except yaml.YAMLError as exc:
        doc.diagnostics.append(
            diagnostic("yaml.syntax", file=file, problem=yaml_problem(str(exc)) or str(exc))
        )
        return doc
    except RecursionError:
        doc.diagnostics.append(diagnostic("yaml.too_deep", file=file, limit=MAX_DEPTH))
        return doc
    if node is None:
        doc.data = {}
        return doc
    builder = _Builder(file)
    try:
        doc.data = builder.build(node, (), 0)
    except _Abort as abort:
        doc.diagnostics.append(abort.finding)
        doc.data = None
        return doc
    except RecursionError:
        doc.diagnostics.append(diagnostic("yaml.too_deep", file=file, limit=MAX_DEPTH))
        return doc
    doc.positions = builder.positions
    doc.diagnostics.extend(builder.diagnostics)
    return doc


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

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        doc.diagnostics.append(
            diagnostic("json.syntax", file=file, line=exc.lineno, column=exc.colno, problem=exc.msg)
        )
        return doc
    except RecursionError:
        doc.diagnostics.append(diagnostic("yaml.too_deep", file=file, limit=MAX_DEPTH))
        return doc
    # JSON is (nearly) YAML flow syntax: compose it once more only to learn key lines.
    located = parse_yaml(text, file)
    doc.data = data
    doc.positions = located.positions
    doc.diagnostics = [d for d in located.diagnostics if d.code == "yaml.duplicate_key"]
    if duplicates and not doc.diagnostics:
        doc.diagnostics = [
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

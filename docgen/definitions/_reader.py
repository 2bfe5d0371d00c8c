"""CORE: the strict reader every definition builder uses: mappings with required and optional
keys, numbers and lists, each problem collected as a Diagnostic with file, line and key path."""

from __future__ import annotations

from collections.abc import Mapping, Set
from decimal import Decimal
from fractions import Fraction
from typing import Any

from docgen.diagnostics import Diagnostic, KeyPath
from docgen.sources.yamlio import LoadedDocument
from docgen.text.definitions_text import DEFINITIONS_TEXT
from docgen.text.messages import diagnostic
from docgen.text.punctuation import ENUM_COMMA


class Reader:
    """Reads one definition document, collecting findings with file and line."""

    def __init__(self, doc: LoadedDocument) -> None:
        self.doc = doc
        self.findings: list[Diagnostic] = list(doc.diagnostics)

    def fail(self, code: str, path: KeyPath, **params: Any) -> None:
        """Records the finding ``code`` at ``path`` (the line is looked up in the document)."""
        self.findings.append(
            diagnostic(code, file=self.doc.file, line=self.doc.line_of(path), path=path, **params)
        )

    def mapping(
        self, value: Any, path: KeyPath, required: Set[str], optional: Set[str] = frozenset()
    ) -> Mapping[str, Any]:
        """Returns ``value`` as a mapping (empty when it is not one), reporting missing and
        unknown keys."""
        if not isinstance(value, Mapping):
            self.fail(
                "definition.invalid",
                path,
                problem=DEFINITIONS_TEXT["reader.not_mapping"].format(path=describe(path)),
            )
            return {}
        for key in sorted(required - set(value)):
            self.fail("definition.missing_key", path, key=key)
        allowed = required | optional
        for key in value:
            if key not in allowed:
                self.fail(
                    "definition.unknown_key", (*path, key), key=key, allowed=ENUM_COMMA.join(sorted(allowed))
                )
        return value

    def number(self, value: Any, path: KeyPath) -> Fraction:
        """Returns ``value`` as an exact number (0 after reporting a non-number)."""
        if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            return Fraction(str(value))
        self.fail(
            "definition.invalid",
            path,
            problem=DEFINITIONS_TEXT["reader.not_number"].format(path=describe(path)),
        )
        return Fraction(0)

    def seq(self, value: Any, path: KeyPath) -> list[Any]:
        """Returns ``value`` as a list (None is an empty list; anything else is reported)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(
                "definition.invalid",
                path,
                problem=DEFINITIONS_TEXT["reader.not_list"].format(path=describe(path)),
            )
            return []
        return value

    def integer(self, value: Any, path: KeyPath) -> int:
        """Returns ``value`` as a whole number (0 after reporting anything else)."""
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.fail(
            "definition.invalid",
            path,
            problem=DEFINITIONS_TEXT["reader.not_integer"].format(path=describe(path)),
        )
        return 0

    def flag(self, value: Any, path: KeyPath) -> bool:
        """Returns ``value`` as true or false (None is false; anything else is reported)."""
        if value is None or isinstance(value, bool):
            return bool(value)
        self.fail("definition.not_bool", path, key=describe(path))
        return False

    def table(self, value: Any, path: KeyPath) -> Mapping[str, Any]:
        """Returns ``value`` as a mapping of names the definition chooses (None is empty)."""
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(
                "definition.invalid",
                path,
                problem=DEFINITIONS_TEXT["reader.not_mapping"].format(path=describe(path)),
            )
            return {}
        return value

    def texts(self, value: Any, path: KeyPath) -> tuple[str, ...]:
        """Returns ``value`` as a list of non-empty texts (None is empty), reporting the others."""
        out = []
        for index, item in enumerate(self.seq(value, path)):
            if isinstance(item, str) and item.strip():
                out.append(item)
            else:
                self.fail("definition.not_text", (*path, index), key=describe((*path, index)))
        return tuple(out)


def describe(path: KeyPath) -> str:
    """Returns the key path as a problem text names it (``顶层`` for the document itself)."""
    return ".".join(str(p) for p in path) or DEFINITIONS_TEXT["reader.top_level"]

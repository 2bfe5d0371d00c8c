"""CORE: the characters an XML 1.0 document cannot hold, removed from a loaded document once.

Every Word document docgen writes is XML, and XML 1.0 cannot hold the C0 controls other than tab,
line feed and carriage return, U+FFFE, U+FFFF or a lone surrogate: one of them in a company name
or a narrative makes a .docx Word refuses. They are removed here, where a document is loaded,
so that no later stage (checks, reports, forms, the 汇总表) meets one, and each removal is a
warning naming the key path, the line and the character as U+XXXX. Two passes share the rule:

- ``clean_source`` removes them from the source text before it is parsed (YAML refuses them raw,
  JSON refuses them raw inside strings) and returns where each one was;
- ``clean_tree`` removes them from the plain values and keys built, where they arrive through
  escapes (``"\\0"``, ``"\\x07"`` in YAML; ``"\\u0000"``, a lone ``"\\ud800"`` in JSON), keeping the
  side table of positions in step when a key changes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

from docgen.diagnostics import Diagnostic, KeyPath
from docgen.text.messages import diagnostic
from docgen.text.punctuation import ENUM_COMMA
from docgen.text.sources_text import SOURCES_TEXT

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""One character XML 1.0 cannot hold (tab, line feed and carriage return are allowed)."""

_RUNS = re.compile(XML_INVALID.pattern + "+")

MAX_RUNS_LOCATED = 1000
"""How many runs of such characters in a source text are located (each costs a search)."""

MAX_CHARACTERS_SHOWN = 5
"""How many different characters one finding names (the rest as «等»)."""

Positions = dict[KeyPath, tuple[int, int]]


def show_characters(found: str) -> str:
    """Returns the distinct characters of ``found`` as «U+0000、U+0007», in order of appearance."""
    distinct = list(dict.fromkeys(found))
    shown = ENUM_COMMA.join(f"U+{ord(c):04X}" for c in distinct[:MAX_CHARACTERS_SHOWN])
    return shown + (
        SOURCES_TEXT["characters.more_characters"] if len(distinct) > MAX_CHARACTERS_SHOWN else ""
    )


def clean_source(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Returns ``text`` without the characters XML cannot hold and each removed run as
    ``(line, column, characters)``, 1-based (line breaks stay, so no line moves).

    At most ``MAX_RUNS_LOCATED`` runs are located; the characters after them come as one last
    run at the place of the first one not located.
    """
    if not XML_INVALID.search(text):
        return text, []
    removed: list[tuple[int, int, str]] = []
    line, line_start, previous = 1, 0, 0
    for match in _RUNS.finditer(text):
        start = match.start()
        breaks = text.count("\n", previous, start)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", previous, start) + 1
        previous = start
        if len(removed) == MAX_RUNS_LOCATED:
            rest = "".join(dict.fromkeys(_RUNS.findall(text, start)))
            removed.append((line, start - line_start + 1, "".join(dict.fromkeys(rest))))
            break
        removed.append((line, start - line_start + 1, match.group()))
    return XML_INVALID.sub("", text), removed


def source_findings(removed: list[tuple[int, int, str]], positions: Positions, file: str) -> list[Diagnostic]:
    """Returns one warning per key path for the characters ``clean_source`` removed.

    A character belongs to the nearest key or list entry at or before it (a narrative's block
    text belongs to its key); the finding is placed on the character's own line.
    """
    ordered = sorted((where, path) for path, where in positions.items())
    starts = [where for where, _ in ordered]
    grouped: dict[KeyPath, tuple[int, str]] = {}
    for line, column, char in removed:
        index = bisect_right(starts, (line, column)) - 1
        path = ordered[index][1] if index >= 0 else ()
        first_line, chars = grouped.get(path, (line, ""))
        grouped[path] = (first_line, chars + char)
    return [
        diagnostic("yaml.invalid_character", file=file, line=line, path=path, chars=show_characters(chars))
        for path, (line, chars) in grouped.items()
    ]


def clean_tree(data: Any, positions: Positions, file: str) -> tuple[Any, Positions, list[Diagnostic]]:
    """Returns ``data`` with the characters XML cannot hold removed from every string and key,
    the positions renamed to the cleaned keys, and a warning per value or key cleaned.

    Most documents have none: they are returned as they are, after one search per string.
    """
    if not _needs_cleaning(data):
        return data, positions, []
    cleaner = _Cleaner(positions, file)
    cleaned = cleaner.clean(data, (), ())
    return cleaned, cleaner.positions, cleaner.findings


def _needs_cleaning(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if XML_INVALID.search(item):
                return True
        elif isinstance(item, Mapping):
            for key, child in item.items():
                if isinstance(key, str) and XML_INVALID.search(key):
                    return True
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)
    return False


class _Cleaner:
    """Rebuilds a tree with clean strings, carrying each position to the cleaned path."""

    def __init__(self, positions: Positions, file: str) -> None:
        self.old = positions
        self.positions: Positions = {}
        self.findings: list[Diagnostic] = []
        self.file = file

    def clean(self, value: Any, old: KeyPath, new: KeyPath) -> Any:
        # the positions may be keyed by the cleaned path already (JSON's come from a YAML pass)
        where = self.old.get(old) or self.old.get(new)
        if where:
            self.positions[new] = where
        if isinstance(value, str):
            found = "".join(_RUNS.findall(value))
            if not found:
                return value
            self._report(old, new, found)
            return XML_INVALID.sub("", value)
        if isinstance(value, list):
            return [self.clean(child, (*old, i), (*new, i)) for i, child in enumerate(value)]
        if isinstance(value, Mapping):
            out: dict[Any, Any] = {}
            for key, child in value.items():
                clean_key = key
                if isinstance(key, str) and XML_INVALID.search(key):
                    clean_key = XML_INVALID.sub("", key)
                    self._report((*old, key), (*new, clean_key), "".join(_RUNS.findall(key)))
                if clean_key in out:  # two keys equal once cleaned: the first one stays
                    line = self._line((*old, key), (*new, clean_key))
                    first = self.positions.get((*new, clean_key), (None, None))[0]
                    self.findings.append(
                        diagnostic(
                            "yaml.duplicate_key",
                            file=self.file,
                            line=line,
                            path=(*new, clean_key),
                            key=clean_key,
                            first_line=first or "?",
                        )
                    )
                    continue
                out[clean_key] = self.clean(child, (*old, key), (*new, clean_key))
            return out
        return value

    def _report(self, old: KeyPath, new: KeyPath, found: str) -> None:
        line = self._line(old, new)
        self.findings.append(
            diagnostic(
                "yaml.invalid_character", file=self.file, line=line, path=new, chars=show_characters(found)
            )
        )

    def _line(self, old: KeyPath, new: KeyPath) -> int | None:
        """Returns the line of ``old`` (or ``new``), or of its nearest ancestor that has one."""
        for end in range(len(old), 0, -1):
            found = self.old.get(old[:end]) or self.old.get(new[:end])
            if found:
                return found[0]
        return None

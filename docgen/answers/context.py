"""The state of one validation run: findings placed on their lines, and key resolution.

Every reader of a section shares one ``Context``: it collects the findings, knows the line of a
key path (through the document's side table) and the canonical path of a key written as a
Chinese label. The readers never compute a line themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from docgen.diagnostics import Diagnostic, KeyPath, Location
from docgen.sources.yamlio import LoadedDocument
from docgen.text.answers_text import ANSWERS_TEXT
from docgen.text.messages import TYPE_NAMES, diagnostic
from docgen.text.punctuation import ENUM_COMMA


class Context:
    """The findings of one answers document and what the readers learn along the way."""

    def __init__(self, doc: LoadedDocument) -> None:
        self.doc = doc
        self.findings: list[Diagnostic] = []
        self.outside_window: set[KeyPath] = set()  # items already reported as outside a window
        self.written_as: dict[KeyPath, KeyPath] = {}  # canonical path → the path as written (labels)
        self.invalid: set[str] = set()  # data keys given with a value that could not be read

    def written(self, path: KeyPath) -> KeyPath:
        """Returns the canonical ``path`` as written in the document (a label, an alias)."""
        return self._in_document(self.written_as.get(tuple(path), tuple(path)))

    def _in_document(self, where: KeyPath) -> KeyPath:
        """Returns ``where`` (under a canonical section) with the section as written."""
        if len(where) > 1 and (where[0],) in self.written_as:
            return (*self.written_as[(where[0],)], *where[1:])
        return where

    def line_at(self, path: KeyPath, line_path: KeyPath | None = None) -> int | None:
        """Returns the line of ``line_path`` (default ``path``) as written in the document."""
        return self.doc.line_of(self.written(line_path if line_path is not None else path))

    def claim(self, path: KeyPath, written: KeyPath, code: str, **params: Any) -> bool:
        """Returns True when the canonical ``path`` is given for the first time (as ``written``).

        Given again — a section as 数据 and as data, a figure or a field under its key and its
        label — it is the error ``code`` on the second one's line, naming both as written and
        their lines; the caller keeps the first (or, for a figure, neither).
        """
        first = self.written_as.get(path)
        if first is None:
            self.written_as[path] = written
            return True
        first_line, second_line = self.line_at(path), self.doc.line_of(self._in_document(written))
        self.add_at(
            code,
            path,
            second_line,
            first=first[-1],
            second=written[-1],
            first_line=first_line or "?",
            second_line=second_line or "?",
            **params,
        )
        return False

    def add(self, code: str, path: KeyPath, line_path: KeyPath | None = None, **params: Any) -> None:
        """Adds the finding ``code`` at ``path``, on the line of ``line_path`` (default ``path``)."""
        self.add_at(code, path, self.line_at(path, line_path), **params)

    def add_at(self, code: str, path: KeyPath, line: int | None, **params: Any) -> None:
        """Adds the finding ``code`` at ``path`` on ``line``."""
        self.findings.append(diagnostic(code, file=self.doc.file, line=line, path=path, **params))

    def place(self, found: Iterable[Diagnostic], path: KeyPath) -> None:
        """Adds findings made without a location (by a field type) at ``path``, on its line."""
        line = self.line_at(path)
        if line is None:
            line = 1  # as ``diagnostic`` places a finding about the file as a whole
        where = Location(file=self.doc.file, line=line, key_path=path)
        self.findings.extend(d.with_location(where) for d in found)

    def reported(self, section: str, key: str) -> bool:
        """Returns True when a finding about ``section.key`` (or below it) was added already."""
        return any(d.location.key_path[:2] == (section, key) for d in self.findings)


def suggest(key: str, candidates: list[str]) -> str:
    """Returns the hint of an unknown key: the closest candidate, or «check the spelling»."""
    import difflib  # only when a key is unknown: most runs never need it

    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    return (
        ANSWERS_TEXT["context.did_you_mean"].format(candidate=close[0])
        if close
        else ANSWERS_TEXT["context.check_spelling"]
    )


def label_index(labels: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Returns label → the keys that have it, from key → its labels."""
    index: dict[str, list[str]] = {}
    for key, names in labels.items():
        for name in names:
            bucket = index.setdefault(name, [])
            if key not in bucket:
                bucket.append(key)
    return index


def resolve_key(
    ctx: Context, raw_key: str, known: Mapping[str, Any], index: dict[str, list[str]], path: KeyPath
) -> str | None:
    """Returns the canonical key ``raw_key`` (a key or a label) stands for, or None with a finding."""
    if raw_key in known:
        return raw_key
    candidates = index.get(raw_key)
    if candidates and len(candidates) == 1:
        return candidates[0]
    if candidates:
        ctx.add("answers.ambiguous_label", path, key=raw_key, candidates=ENUM_COMMA.join(candidates))
        return None
    ctx.add("answers.unknown_key", path, key=raw_key, suggestion=suggest(raw_key, [*known, *index]))
    return None


def mapping_section(ctx: Context, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """Returns the top-level section ``key`` as a mapping (empty when absent or not a mapping)."""
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        ctx.add(
            "answers.wrong_type",
            (key,),
            label=key,
            expected=TYPE_NAMES["mapping"],
            value=type(value).__name__,
        )
        return {}
    return value

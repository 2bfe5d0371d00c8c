"""Diagnostics: findings about user data. Collected and reported, never raised."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

KeyPath = tuple[str | int, ...]


class Severity(enum.StrEnum):
    """How bad a finding is: errors stop scoring and building, warnings do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


def format_key_path(path: KeyPath) -> str:
    """Returns a key path in dotted form, e.g. ``items.standards[0].code``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Location:
    """Where a finding is: file, 1-based line and column, and the key path inside the file;
    ``cell`` (``评价数据表!D7``) instead of a line in a workbook (answers.xlsx), ``paragraph``
    (the 1-based paragraph of a Word draft, where a .docx has no lines)."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    key_path: KeyPath = ()
    cell: str | None = None
    paragraph: int | None = None

    @property
    def path(self) -> str:
        """Returns the key path in dotted form."""
        return format_key_path(self.key_path)


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a code, a severity, a rendered Chinese message and where it applies."""

    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        """Returns True for error-severity findings."""
        return self.severity is Severity.ERROR

    def with_location(self, location: Location) -> Diagnostic:
        """Returns a copy placed at ``location``."""
        return replace(self, location=location)

    def display(self) -> str:
        """Returns one display line: ``file:line: error code path: message``."""
        where = self.location.file or "<answers>"
        if self.location.line:
            where += f":{self.location.line}"
        if self.location.cell:
            where += f" {self.location.cell}"
        if self.location.paragraph:
            where += f":¶{self.location.paragraph}"
        path = f" {self.location.path}" if self.location.key_path else ""
        text = f"{where}: {self.severity.value} {self.code}{path}: {self.message}"
        if self.hint:
            text += f"（提示：{self.hint}）"
        return text

    def as_json(self) -> dict[str, object]:
        """Returns the SPEC §8 JSON form (with ``paragraph`` when the finding is in a Word draft)."""
        where = {"paragraph": self.location.paragraph} if self.location.paragraph else {}
        return {
            "severity": self.severity.value,
            "code": self.code,
            "path": self.location.path,
            "file": self.location.file,
            "line": self.location.line,
            "cell": self.location.cell,
            "message": self.message if not self.hint else f"{self.message}（提示：{self.hint}）",
            **where,
        }


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Returns True when any finding is an error."""
    return any(d.is_error for d in diagnostics)


def apply_strict(diagnostics: Iterable[Diagnostic], strict: bool) -> list[Diagnostic]:
    """Returns the findings, with warnings upgraded to errors when ``strict`` (one place only)."""
    if not strict:
        return list(diagnostics)
    return [replace(d, severity=Severity.ERROR) if d.severity is Severity.WARNING else d for d in diagnostics]


def sort_key(d: Diagnostic) -> tuple[int, int, str]:
    """Returns a key that orders findings by line, then severity (errors first), then code;
    findings in a Word draft (no line) come after, by paragraph."""
    return (d.location.line or 10**9 + (d.location.paragraph or 0), 0 if d.is_error else 1, d.code)

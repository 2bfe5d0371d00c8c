"""DocgenError tree: situations in which a run cannot continue.

Every exception docgen raises on purpose is a ``DocgenError``; the CLI is the one place that
catches it, prints its Chinese message and exits with its ``exit_code``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from docgen.diagnostics import Diagnostic


class DocgenError(Exception):
    """Base of every docgen exception; ``exit_code`` 1 means bad input."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(DocgenError):
    """The command line itself is wrong (unknown program, missing folder argument)."""

    exit_code = 2


class DiagnosticsError(DocgenError):
    """Input has error diagnostics; carries them so the CLI can print each one."""

    def __init__(self, message: str, diagnostics: list[Diagnostic], *, source: Path | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics
        self.source = source  # the answers file the diagnostics point into (to show its lines)


class DefinitionError(DiagnosticsError):
    """A definition file (program, outline, checklist) is malformed."""


class AnswersError(DiagnosticsError):
    """An answers file cannot be used (unparseable, or errors block the requested step)."""


class TemplateRenderError(DocgenError):
    """A Word template is unusable or failed to render."""


class LimitExceeded(DocgenError):
    """An input is larger than a named limit allows (file size, nesting, aliases)."""


class OutputError(DocgenError):
    """An output could not be written."""


class OutputBlocked(UsageError, OutputError):
    """An output's place cannot be used: it lies inside a submission folder, or something docgen
    never replaces is there (a folder where a file goes, a device, a FIFO, a socket). Exit 2: the
    user has to name another place; nothing has been written."""

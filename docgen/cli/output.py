"""EDGE: the one place that prints: errors, findings with their source lines, JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from docgen.diagnostics import Diagnostic
from docgen.errors import DiagnosticsError, DocgenError
from docgen.text.commands import SAY

EXIT_INPUT, EXIT_USAGE = 1, 2


def print_error(exc: DocgenError) -> None:
    """Prints a stopped run's message, its diagnostics (with the answers lines) and its hint."""
    click.echo(SAY["error"].format(message=exc.message), err=True)
    if isinstance(exc, DiagnosticsError):
        print_findings(exc.diagnostics, err=True, source=exc.source)
    if exc.hint:
        click.echo(SAY["hint"].format(hint=exc.hint), err=True)


def print_findings(findings: Iterable[Diagnostic], *, err: bool, source: Path | None = None) -> None:
    """Prints one line per finding with the line of ``source`` (the answers file) it points to."""
    lines: list[str] = []
    if source is not None:
        try:
            lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
    for finding in findings:
        click.echo(finding.display(), err=err)
        line = finding.location.line
        if source is not None and line and 0 < line <= len(lines) and finding.location.file == source.name:
            click.echo(f"    {lines[line - 1].strip()}", err=err)


def emit_json(data: Any) -> None:
    """Prints JSON indented for a terminal, compact into a pipe or file (as gh does): Python's
    JSON encoder is several times faster without indentation (a 300-submission review)."""
    pretty = sys.stdout.isatty()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2 if pretty else None))

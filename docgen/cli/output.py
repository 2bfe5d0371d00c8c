"""EDGE: the one place that prints: errors, findings with their source lines, JSON — user text
always inert (terminal control characters made visible)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from docgen.diagnostics import Diagnostic
from docgen.errors import DiagnosticsError, DocgenError
from docgen.text.cli_text import CLI_TEXT
from docgen.text.commands import SAY
from docgen.text.punctuation import FULL_STOP

EXIT_INPUT, EXIT_USAGE = 1, 2

# C0 controls but tab and newline, DEL and C1 controls (U+0080–U+009F: the 8-bit CSI, OSC …) can
# drive a terminal — clear it, retitle it, hide a hyperlink, rewrite a line. They reach it
# only as visible stand-ins: the Unicode control pictures (ESC → ␛), U+FFFD for a C1 control.
_CONTROLS = {code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n"}
_CONTROLS |= {0x7F: 0x2421} | {code: 0xFFFD for code in range(0x80, 0xA0)}
_C1 = re.compile("[\x80-\x9f]")


def visible(text: str) -> str:
    """Returns ``text`` with every terminal control character replaced by a visible stand-in."""
    return text.translate(_CONTROLS)


def echo(text: str, *, err: bool = False) -> None:
    """Prints one line of text that may quote user text (names, messages, file names), inert."""
    click.echo(visible(text), err=err)


_QUOTED = re.compile(r"'([^'\n]*)'")
_CJK_BEFORE_QUOTE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=“)")


def usage_text(message: str) -> str:
    """Returns one of click's messages in Chinese punctuation: 'x' → “x”, the closing full stop."""
    text = _CJK_BEFORE_QUOTE.sub("", _QUOTED.sub(r"“\1”", message)).replace(
        CLI_TEXT["output.full_stop_space"], FULL_STOP
    )
    return text[:-1] + FULL_STOP if text.endswith(".") and not text.endswith("...") else text


def print_usage_error(exc: click.ClickException) -> None:
    """Prints a usage error (wrong command, option or argument) as click would, in Chinese: the
    command's usage line, the hint to its --help, the message."""
    ctx = exc.ctx if isinstance(exc, click.UsageError) else None
    if ctx is not None:
        echo(ctx.get_usage(), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            echo(SAY["usage_help"].format(command=ctx.command_path), err=True)
        echo("", err=True)
    echo(SAY["error"].format(message=usage_text(exc.format_message())), err=True)


def print_error(exc: DocgenError) -> None:
    """Prints a stopped run's message, its diagnostics (with the answers lines) and its hint."""
    echo(SAY["error"].format(message=exc.message), err=True)
    if isinstance(exc, DiagnosticsError):
        print_findings(exc.diagnostics, err=True, source=exc.source)
    if exc.hint:
        echo(SAY["hint"].format(hint=exc.hint), err=True)


def print_findings(findings: Iterable[Diagnostic], *, err: bool, source: Path | None = None) -> None:
    """Prints one line per finding with the line of ``source`` (the answers file) it points to,
    or, in a workbook (answers.xlsx), its cell and the cell's content."""
    findings = list(findings)
    lines: list[str] = []
    cells: dict[str, str] = {}
    if source is not None and source.suffix.lower() == ".xlsx":
        from docgen.sources.workbook import cell_texts

        cells = cell_texts(source, {f.location.cell for f in findings if f.location.cell})
    elif source is not None:
        try:
            lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
    for finding in findings:
        echo(finding.display(), err=err)
        if source is None or finding.location.file != source.name:
            continue
        line, cell = finding.location.line, finding.location.cell
        if line and 0 < line <= len(lines):
            echo(f"    {lines[line - 1].strip()}", err=err)
        elif cell and cell in cells:
            first = cells[cell].strip().split("\n", 1)[0]
            echo(f"    {cell}: {first[:80]}", err=err)


def emit_json(data: Any) -> None:
    """Prints JSON indented for a terminal, compact into a pipe or file (as gh does): Python's
    JSON encoder is several times faster without indentation (a 300-submission review)."""
    pretty = sys.stdout.isatty()
    text = json.dumps(data, ensure_ascii=False, indent=2 if pretty else None)
    # the encoder escapes C0 controls itself; C1 controls (8-bit CSI …) only inside strings can
    # occur, so escaping them as \u0080… keeps the JSON equal and the terminal inert
    click.echo(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text))

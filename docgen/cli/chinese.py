"""EDGE: click speaks Chinese — its usage errors, help headings and option help in docgen's words.

click passes every text of its own through gettext (``_`` and ``ngettext``, imported into each of
its modules). ``install`` puts docgen's lookup in their place, so «No such command», «Missing
argument», «Usage:», «Options» … come out as text/commands.CLICK writes them; a text docgen does
not know stays as click wrote it (a test lists the texts the commands can reach). It changes
nothing else in click, and is undone by nothing: docgen's CLI is the only user of the process.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from types import ModuleType
from typing import Any

import click

from docgen.text.cli_text import CLI_TEXT
from docgen.text.commands import CLICK

# click's modules that translate through their own `_` / `ngettext` names
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")
# the names click's number types print in messages and metavars
_TYPE_NAMES: dict[type[Any], str] = {
    click.types.IntParamType: CLI_TEXT["chinese.type.integer"],
    click.types.FloatParamType: CLI_TEXT["chinese.type.number"],
    click.types.IntRange: CLI_TEXT["chinese.type.integer_range"],
    click.types.FloatRange: CLI_TEXT["chinese.type.number_range"],
    click.types.StringParamType: CLI_TEXT["chinese.type.text"],
}


def translate(message: str) -> str:
    """Returns docgen's wording of one of click's texts (the text itself when there is none)."""
    return CLICK.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    """``ngettext`` for click: the singular or plural text, in docgen's wording."""
    return translate(singular if count == 1 else plural)


_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def display_width(text: str) -> int:
    """Returns the columns ``text`` takes in a terminal: a CJK character takes two (click counts
    one, and its help columns would not line up behind a Chinese metavar)."""
    plain = _ANSI.sub("", text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in plain)


def _modules() -> list[ModuleType]:
    found = []
    for name in _MODULES:
        try:
            found.append(importlib.import_module(f"click.{name}"))
        except ImportError:  # a click without that module: nothing of it to translate
            continue
    return found


def install() -> None:
    """Makes click's own texts Chinese (idempotent)."""
    for module in _modules():
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural  # type: ignore[attr-defined]
    formatting = importlib.import_module("click.formatting")
    if hasattr(formatting, "term_len"):
        formatting.term_len = display_width  # type: ignore[attr-defined]
    for kind, name in _TYPE_NAMES.items():
        kind.name = name

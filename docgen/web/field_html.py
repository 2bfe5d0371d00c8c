"""The form's fields as HTML, cheaper (#21): the ``field`` macro of _macros.html, its output
remembered by the field's structure, so that a page does not run the macro for each of its
~200 fields. Inputs whose value the macro writes in one place (text, number, date, textarea)
are made once per key path, label, kind, unit, explanation and layout, with placeholders for
the submission's id and the value, which each page fills in escaped as the macro escapes them;
choices and yes/no (their options marked by the value) once per structure and value, the id
filled in; file lists (their options are the submission's files) by the macro every time. The
HTML is the macro's, byte for byte (benchmarks/pages_html.py compares whole pages)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from docgen.web.form_model import Input
from docgen.web.memo import Kept

SKELETONS_KEPT = 20000  # fields' HTML by structure (a program's form has a few hundred)
FILLED_IN = ("text", "number", "date", "textarea")  # kinds whose value is written in one place
CHOSEN = ("select", "check")  # kinds whose options are marked by the value (no file list)
MARK = "\ue000"  # the placeholders' private-use character, which escaping leaves alone
_SID = f"{MARK}sid{MARK}"
_VALUE = f"{MARK}value{MARK}"


@dataclass
class _Row:
    id: str


class FieldHtml:
    """``field_html(i, row, files, compact)``: the macro's HTML of one field."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self._kept = Kept(SKELETONS_KEPT)
        self._field: Any = None

    def _macro(self) -> Any:
        """Returns the macro (looked up once: a lookup checks the template file's time)."""
        if self._field is None:
            self._field = self.env.get_template("_macros.html").module.field  # type: ignore[attr-defined]
        return self._field

    def __call__(self, i: Input, row: Any, files: Any = (), compact: bool = False) -> Markup:
        if i.kind not in FILLED_IN + CHOSEN or MARK in i.shown:
            return Markup(self._macro()(i, row, files, compact=compact))
        filled_in = i.kind in FILLED_IN
        key: tuple[Any, ...] = (i.path, i.label, i.kind, i.unit, i.help, i.required, compact)
        if not filled_in:  # the options marked by the value: a few values each
            key += (tuple(i.choices), i.shown)
        skeleton = self._kept.fetch(key)
        if skeleton is None:
            stub = replace(i, value=_VALUE) if filled_in else i
            made = str(self._macro()(stub, _Row(_SID), (), compact=compact))
            skeleton = made if made.count(_VALUE) == (1 if filled_in else 0) else ""
            self._kept.keep(key, skeleton)
        if not skeleton:  # the macro writes this value elsewhere too: no placeholder to fill
            return Markup(self._macro()(i, row, files, compact=compact))
        html = skeleton.replace(_SID, str(escape(row.id)))
        return Markup(html.replace(_VALUE, str(escape(i.shown))) if filled_in else html)

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
KINDS = (*FILLED_IN, *CHOSEN, "file")  # a file list: its options filled in, remembered apart
MARK = "\ue000"  # the placeholders' private-use character, which escaping leaves alone
_SID = f"{MARK}sid{MARK}"
_VALUE = f"{MARK}value{MARK}"
_OPTIONS = f"{MARK}options{MARK}"
_FILES = ("\ue000files",)  # the file list a field's HTML is made with (its options: _OPTIONS)


@dataclass
class _Row:
    id: str


class FieldHtml:
    """``field_html(i, row, files, compact)``: the macro's HTML of one field."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self._kept = Kept(SKELETONS_KEPT)
        self._macros: dict[str, Any] = {}

    def _macro(self, name: str) -> Any:
        """Returns the macro ``name`` (looked up once: a lookup checks the template file's time)."""
        if name not in self._macros:
            self._macros[name] = getattr(self.env.get_template("_macros.html").module, name)
        return self._macros[name]

    def __call__(self, i: Input, row: Any, files: Any = (), compact: bool = False) -> Markup:
        if i.kind not in KINDS or MARK in i.shown:
            return Markup(self._macro("field")(i, row, files, compact=compact))
        filled_in = i.kind in FILLED_IN or i.kind == "file"
        key: tuple[Any, ...] = (i.path, i.label, i.kind, i.unit, i.help, i.required, compact)
        if not filled_in:  # the options marked by the value: a few values each
            key += (tuple(i.choices), i.shown)
        skeleton = self._kept.fetch(key)
        if skeleton is None:
            stub = replace(i, value=_VALUE) if filled_in else i
            made = str(self._macro("field")(stub, _Row(_SID), _FILES, compact=compact))
            wanted = (0, 1) if i.kind == "file" else (1, 0) if filled_in else (0, 0)
            skeleton = made if (made.count(_VALUE), made.count(_OPTIONS)) == wanted else ""
            self._kept.keep(key, skeleton)
        if not skeleton:  # the macro writes the value elsewhere too: no placeholder to fill
            return Markup(self._macro("field")(i, row, files, compact=compact))
        html = skeleton.replace(_SID, str(escape(row.id)))
        if i.kind == "file":
            return Markup(html.replace(_OPTIONS, self.file_options(files, i.shown, compact)))
        return Markup(html.replace(_VALUE, str(escape(i.shown))) if filled_in else html)

    def file_options(self, files: Any, shown: str, compact: bool) -> Markup:
        """``file_options(files, shown, compact)``: the options of a file list (the macro's,
        remembered by the files, the value and the layout: a page's file cells share them)."""
        if files is _FILES:
            return Markup(_OPTIONS)
        key = ("options", tuple(files), shown, compact)
        kept = self._kept.fetch(key)
        if kept is None:
            kept = Markup(self._macro("options_of_files")(files, shown, compact))
            self._kept.keep(key, kept)
        return kept  # type: ignore[no-any-return]

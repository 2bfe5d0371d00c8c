"""CORE: the workspace form of a program, made from its definitions (nothing per program in the
page templates): which profile facts, figures, item lists, ratings, narrative sections and
documents it asks for, with their labels, units, explanations and vocabularies, and the answers'
current values at each field's key path.

A field is addressed by its key path in the answers (``("data", "rd_staff")``,
``("items", "staff", 3, "name")``, ``("narrative", "1.1")``); its ``slot`` is the page element
where its findings are shown.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from docgen.answers import rating_rules, used_keys
from docgen.answers.usage import item_uses
from docgen.definitions.catalog import Catalog
from docgen.model.definitions import Outline, Program
from docgen.narrative.outline import point_covered
from docgen.web.preview import Preview, section_preview

KeyPath = tuple[str | int, ...]
LONG_TEXT = ("main_business", "address")
INPUT_KINDS = {  # field type → the input that takes it
    "amount": "number",
    "count": "number",
    "half": "number",
    "year": "number",
    "date": "date",
    "bool": "check",
    "file": "file",
    "choice": "select",
}  # profile facts written as several words: a wider box


SLOTS_KEPT = 65536  # key paths whose slot and hx-vals are remembered (a form has a few hundred)


def slot(path: KeyPath) -> str:
    """Returns the element id of the findings slot of ``path`` (remembered: a page asks for
    each field's several times, and every page of a program for the same paths)."""
    return _slot(tuple(path))


@functools.lru_cache(maxsize=SLOTS_KEPT)
def _slot(path: KeyPath) -> str:
    return "d-" + hashlib.sha1(json.dumps(list(path), ensure_ascii=False).encode()).hexdigest()[:12]


def slots_of(path: KeyPath) -> list[str]:
    """Returns the slots a finding at ``path`` may go to, the most precise first."""
    return [slot(path[:n]) for n in range(len(path), 0, -1)]


@dataclass
class Input:
    """One input of the form."""

    path: KeyPath
    label: str
    kind: str = "text"  # text, number, date, select, textarea, check
    unit: str = ""
    help: str = ""
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    value: Any = None

    @property
    def slot(self) -> str:
        return slot(self.path)

    @property
    def ident(self) -> str:
        return _ident(self.path)

    @property
    def path_json(self) -> str:
        """Returns the hx-vals of the input: its key path (as JSON text) and its kind."""
        return _path_json(self.path, self.kind)

    @property
    def shown(self) -> str:
        """Returns the value as the input shows it."""
        if self.value is None:
            return ""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)


@functools.lru_cache(maxsize=SLOTS_KEPT)
def _ident(path: KeyPath) -> str:
    return "i-" + slot(path)[2:]


@functools.lru_cache(maxsize=SLOTS_KEPT)
def _path_json(path: KeyPath, kind: str) -> str:
    return json.dumps({"path": json.dumps(list(path), ensure_ascii=False), "kind": kind}, ensure_ascii=False)


@dataclass
class ItemList:
    """One item kind: its columns and rows."""

    key: str
    label: str
    uses: list[str]
    columns: list[Input]  # templates of the columns (path: the field name only)
    rows: list[list[Input]]

    @property
    def slot(self) -> str:
        return slot(("items", self.key))


@dataclass
class NarrativeBox:
    """One outline section: its text and its points, each covered or not."""

    input: Input
    title: str
    min_chars: int
    chapter: str
    points: list[tuple[str, bool]]
    length: int

    @property
    def preview(self) -> Preview:
        """Returns the section's preview as the report lays it out (made when a page shows it)."""
        return section_preview(self.input.shown, self.title)


@dataclass
class DocumentEntry:
    """One checklist document: its files in the answers and whether it is required."""

    key: str
    title: str
    group: str
    required: bool
    counted: bool  # a list of {file, count} (one figure proved by several files)
    files: list[str]
    path: KeyPath

    @property
    def slot(self) -> str:
        return slot(self.path)


@dataclass
class WorkspaceForm:
    """The whole form of one submission."""

    profile: list[Input]
    data: list[Input]
    items: list[ItemList]
    ratings: list[Input]
    sections: list[NarrativeBox]
    documents: list[DocumentEntry]
    draft: str | None  # the Word draft the narrative is read from, if any


def _get(data: Any, path: KeyPath) -> Any:
    for part in path:
        if isinstance(data, Mapping):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _choice_input(path: KeyPath, spec: Any, value: Any, label: str | None = None) -> Input:
    kind = INPUT_KINDS.get(spec.type, "text")
    choices = [(k, v) for k, v in spec.choices.items()] if spec.choices else []
    if choices:
        kind = "select"
    if spec.name in LONG_TEXT:
        kind = "textarea"
    return Input(
        path=path,
        label=label or spec.label,
        kind=kind,
        required=spec.required,
        choices=choices,
        value=value,
    )


def workspace_form(program: Program, catalog: Catalog, outline: Outline | None, data: Any) -> WorkspaceForm:
    """Returns the form of ``program`` holding the answers ``data`` (any shape: work in progress)."""
    catalog = catalog.for_program(program)
    profile = []
    for key, spec in catalog.profile_fields.items():
        item = _choice_input(("profile", key), spec, _get(data, ("profile", key)))
        if key == "application_type":
            item.kind, item.choices = "select", [(k, program.kind_titles.get(k, k)) for k in program.kinds]
        profile.append(item)
    rows = {row.key: row for row in program.data_rows if row.key}
    figures = []
    for key in used_keys(program, catalog):
        f = catalog.fields[key]
        if f.derive:
            continue
        row = rows.get(key)
        figures.append(
            Input(
                path=("data", key),
                label=row.label if row else f.label,
                kind="number",
                unit=f.unit,
                help=row.explanation if row else "",
                value=_get(data, ("data", key)),
            )
        )
    lists = []
    for kind_key, uses in item_uses(program, catalog).items():
        kind = catalog.item_kinds[kind_key]
        columns = [_choice_input((name,), spec, None) for name, spec in kind.fields.items()]
        given = _get(data, ("items", kind_key))
        table = []
        for index, entry in enumerate(given if isinstance(given, list) else []):
            table.append(
                [
                    _choice_input(("items", kind_key, index, name), spec, _get(entry, (name,)))
                    for name, spec in kind.fields.items()
                ]
            )
        lists.append(ItemList(kind_key, kind.label, list(dict.fromkeys(uses)), columns, table))
    ratings = [
        Input(
            path=("ratings", key),
            label=title,
            kind="select",
            choices=[(w, w) for w in words],
            value=_get(data, ("ratings", key)),
        )
        for key, (title, words) in rating_rules(program, catalog).items()
    ]
    sections = []
    draft = _get(data, ("narrative", "file"))
    chapters = {s.id: c.title for c in (outline.chapters if outline else ()) for s in c.sections}
    for section in outline.sections if outline else ():
        text = _get(data, ("narrative", section.id))
        text = text if isinstance(text, str) else ""
        sections.append(
            NarrativeBox(
                input=Input(
                    path=("narrative", section.id),
                    label=f"{section.id} {section.title}",
                    kind="textarea",
                    help=section.guidance,
                    value=text,
                ),
                title=section.title,
                min_chars=section.min_chars,
                chapter=chapters.get(section.id, ""),
                points=[(p.title, point_covered(p, text)) for p in section.points],
                length=len("".join(text.split())),
            )
        )
    documents = []
    checklist = catalog.checklists.get(program.checklist or "")
    for group in checklist.groups if checklist else ():
        for doc in group.documents:
            given = _get(data, ("evidence", doc.key))
            documents.append(
                DocumentEntry(
                    key=doc.key,
                    title=doc.title,
                    group=group.title,
                    required=doc.required,
                    counted=len(doc.proves) == 1,
                    files=_files_named(given),
                    path=("evidence", doc.key),
                )
            )
    return WorkspaceForm(
        profile, figures, lists, ratings, sections, documents, draft if isinstance(draft, str) else None
    )


def _files_named(given: Any) -> list[str]:
    """Returns the file paths an evidence entry names (a path, a list of paths or of {file})."""
    if isinstance(given, str):
        return [given] if given else []
    out = []
    for entry in given if isinstance(given, list) else []:
        if isinstance(entry, str) and entry:
            out.append(entry)
        elif isinstance(entry, Mapping) and isinstance(entry.get("file"), str):
            out.append(entry["file"])
    return out

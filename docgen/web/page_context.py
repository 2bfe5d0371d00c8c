"""What a workspace page shows that depends only on the version it shows: the form, the score
table, the findings (with the control each links to) and the files' inspection status (#21).

The form is built from the answers as the assessment parsed them (``Submission.doc``): a
version's answers are parsed once, not once for the assessment and again for the form. The parts
are remembered by (submission, version, program, kind) together with the assessment they were
made from; they are served only with that very assessment object — a worker that assessed the
version again (its assessment dropped from memory) makes them afresh. The parts are shared by the
pages of that version and never changed once made (the templates read them; each page's context
is a dict of its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docgen.web import models, views
from docgen.web.form_model import WorkspaceForm, workspace_form
from docgen.web.memo import Kept
from docgen.web.submission_files import answers_data
from docgen.web.workspace import Assessment, Workspace

PARTS_KEPT = 64  # versions whose page parts stay in memory (a page's are ~100 kB)


@dataclass(frozen=True)
class PageParts:
    """The parts of a workspace page that one assessed version determines."""

    found: Assessment  # what they were made from (served only with this very object)
    form: WorkspaceForm
    score: dict[str, Any] | None
    findings: list[dict[str, Any]]
    facts: dict[str, dict[str, str]]


_kept = Kept(PARTS_KEPT)


def page_parts(ws: Workspace, row: models.Submission, found: Assessment) -> PageParts:
    """Returns the page parts of ``row``'s version, assessed as ``found`` (remembered)."""
    key = (row.id, row.version, row.program, row.kind)
    kept: PageParts | None = _kept.fetch(key)
    if kept is not None and kept.found is found:
        return kept
    form = page_form(ws, row, found)
    made = PageParts(
        found, form, views.score_view(found), views.findings_view(found, form), views.facts_view(found)
    )
    _kept.keep(key, made)
    return made


def page_form(ws: Workspace, row: models.Submission, found: Assessment) -> WorkspaceForm:
    """Returns the form of ``row`` holding its answers: those the assessment read, or (answers
    that could not be opened) its text parsed here."""
    program = ws.catalog.programs[row.program]
    outline_id = program.outlines.get(row.kind) or next(iter(program.outlines.values()), None)
    outline = ws.catalog.outlines.get(outline_id) if outline_id else None
    data = found.opened.doc.data if found.opened is not None else answers_data(row)
    return workspace_form(program, ws.catalog, outline, data)

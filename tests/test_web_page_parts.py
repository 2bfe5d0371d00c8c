"""The workspace page's version parts (#21, point 7): the answers parsed once per version (the
form reads the assessment's), the form, score table, findings and files' status remembered per
version with the assessment they were made from — each page must show what it showed when made
afresh, never another version's or another submission's."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from docgen.sources import yamlio
from docgen.web import page_context, submission_files
from docgen.web.form_model import slot, workspace_form
from docgen.web.page_context import page_form, page_parts
from docgen.web.workspace import Workspace
from tests.web_helpers import PROGRAMS, Client

HTMX = {"HX-Request": "true"}


@pytest.fixture
def client(tmp_path: Path) -> Client:
    return Client(tmp_path / "data")


def _ws(client: Client) -> Workspace:
    ws: Workspace = client.http.app.state.workspace  # type: ignore[attr-defined]
    return ws


def _set(client: Client, sid: str, path: list[str], value: str) -> None:
    answer = client.http.post(
        f"/submissions/{sid}/edit",
        data={"op": "set", "path": json.dumps(path), "value": value, "kind": "text"},
        headers=client.headers(**HTMX),
    )
    assert answer.status_code == 200


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the YAML parses of answers (the loader's and the form's own), returning the list
    each parse appends its file name to."""
    calls: list[str] = []
    original = yamlio.parse_yaml

    def counted(text: str, file: str) -> yamlio.LoadedDocument:
        calls.append(file)
        return original(text, file)

    monkeypatch.setattr(yamlio, "parse_yaml", counted)
    monkeypatch.setattr(submission_files, "parse_yaml", counted)
    return calls


def test_a_page_parses_its_versions_answers_once(client: Client, monkeypatch: pytest.MonkeyPatch):
    """ensures the workspace page of a version not seen yet parses its answers once (for the
    assessment; the form reads that parse), and the same page again not at all."""
    sid = client.import_example("luzhou-etc-2023")
    _set(client, sid, ["profile", "company_name"], "泸州某某科技有限公司")  # a version not assessed by a page
    _ws(client)._assessments.clear()
    calls = _count_parses(monkeypatch)
    assert client.http.get(f"/submissions/{sid}").status_code == 200
    assert calls == ["answers.yaml"]
    assert client.http.get(f"/submissions/{sid}").status_code == 200
    assert calls == ["answers.yaml"]


@pytest.mark.parametrize("program", PROGRAMS)
def test_the_form_from_the_assessments_answers_is_the_form_of_the_text(client: Client, program: str):
    """ensures, for every example, that the form built from the answers the assessment read
    equals the form built from the version's text parsed afresh, and that assessing, showing the
    page and building the documents leave that shared parse as it was read."""
    sid = client.import_example(program)
    ws = _ws(client)
    row = ws.row(sid)
    found = ws.assess(row)
    assert found.opened is not None
    read = copy.deepcopy(found.opened.doc.data)
    prog = ws.catalog.programs[row.program]
    outline_id = prog.outlines.get(row.kind) or next(iter(prog.outlines.values()), None)
    outline = ws.catalog.outlines.get(outline_id) if outline_id else None
    fresh = workspace_form(prog, ws.catalog, outline, submission_files.answers_data(row))
    assert page_form(ws, row, found) == fresh
    assert client.http.get(f"/submissions/{sid}").status_code == 200
    assert client.http.get(f"/api/submissions/{sid}/outputs/score.json").status_code == 200
    assert found.opened.doc.data == read == yamlio.parse_yaml(row.answers, "answers.yaml").data


def test_a_changed_version_is_shown_its_own_answers(client: Client):
    """ensures a page after an edit shows the new value, in the form and in the findings: the
    parts remembered for the version before are not served for the new one."""
    sid = client.import_example("luzhou-etc-2023")
    before = client.http.get(f"/submissions/{sid}").text
    assert "甲乙丙科技有限公司" not in before
    _set(client, sid, ["profile", "company_name"], "甲乙丙科技有限公司")
    after = client.http.get(f"/submissions/{sid}").text
    assert 'value="甲乙丙科技有限公司"' in after
    _set(client, sid, ["data", "rd_staff"], "一百二十")
    broken = client.http.get(f"/submissions/{sid}").text
    assert 'value="一百二十"' in broken
    assert f'data-slots="{slot(("data", "rd_staff"))}' in broken


def test_two_submissions_never_share_their_parts(client: Client):
    """ensures two submissions of one example at the same version show their own answers, and
    that their remembered parts are distinct objects."""
    a, b = client.import_example("luzhou-etc-2023"), client.import_example("luzhou-etc-2023")
    _set(client, a, ["profile", "company_name"], "甲公司科技有限公司")
    _set(client, b, ["profile", "company_name"], "乙公司科技有限公司")
    page_a, page_b = (client.http.get(f"/submissions/{s}").text for s in (a, b))
    assert 'value="甲公司科技有限公司"' in page_a
    assert "乙公司" not in page_a
    assert 'value="乙公司科技有限公司"' in page_b
    assert "甲公司" not in page_b
    ws = _ws(client)
    rows = [ws.row(a), ws.row(b)]
    assert rows[0].version == rows[1].version
    parts = [page_parts(ws, r, ws.assess(r)) for r in rows]
    assert parts[0] is not parts[1]
    assert parts[0].form != parts[1].form


def test_parts_are_served_only_with_the_assessment_they_were_made_from(client: Client):
    """ensures the parts of a version are remembered with their assessment (the same object on
    the next page) and made afresh for another assessment of that version — one whose findings
    differ shows those findings."""
    sid = client.import_example("luzhou-etc-2023")
    ws = _ws(client)
    row = ws.row(sid)
    found = ws.assess(row)
    first = page_parts(ws, row, found)
    assert page_parts(ws, row, found) is first
    other = replace(found, findings=[])
    again = page_parts(ws, row, other)
    assert again is not first
    assert again.findings == []
    assert first.findings != []
    assert page_parts(ws, row, other) is again
    assert len(page_context._kept) <= page_context.PARTS_KEPT


def test_a_page_is_made_in_one_threadpool_call(client: Client, monkeypatch: pytest.MonkeyPatch):
    """ensures 首页 and the workspace page each go to the threadpool once (under load every hop
    back to the event loop waits behind other requests), and still show what they show."""
    from docgen.web import pages

    sid = client.import_example("luzhou-etc-2023")
    calls: list[str] = []
    original = pages.run_in_threadpool

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(func, "__name__", repr(func)))
        return await original(func, *args, **kwargs)

    monkeypatch.setattr(pages, "run_in_threadpool", counted)
    page = client.http.get(f"/submissions/{sid}")
    assert page.status_code == 200
    assert "泸州川锐智能装备股份有限公司" in page.text
    assert calls == ["_workspace_page"]
    home = client.http.get("/")
    assert home.status_code == 200
    assert f"/submissions/{sid}" in home.text
    assert calls == ["_workspace_page", "_home_page"]


def test_the_live_parts_are_rendered_off_the_event_loop(client: Client, monkeypatch: pytest.MonkeyPatch):
    """ensures the parts answered after an edit, an upload, a file removed and a live refresh
    are rendered in the threadpool, never on the event loop (which would hold every request of
    the worker meanwhile), and still answer the parts."""
    import asyncio

    from docgen.web import pages

    on_loop: list[bool] = []
    original = pages._parts

    def watched(*args: Any, **kwargs: Any) -> Any:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return original(*args, **kwargs)

    monkeypatch.setattr(pages, "_parts", watched)
    sid = client.import_example("luzhou-etc-2023")
    _set(client, sid, ["profile", "company_name"], "甲乙丙科技有限公司")
    pdf = (Path(__file__).parent.parent / "examples/luzhou-etc-2023/evidence/承诺书.pdf").read_bytes()
    uploaded = client.http.post(
        f"/submissions/{sid}/upload",
        files={"file": ("丁.pdf", pdf)},
        data={"csrf_token": client.token},
        headers=HTMX,
    )
    assert uploaded.status_code == 200
    removed = client.http.post(
        f"/submissions/{sid}/delete-file", data={"value": "evidence/丁.pdf"}, headers=client.headers(**HTMX)
    )
    assert removed.status_code == 200
    live = client.http.get(f"/submissions/{sid}/live", headers=HTMX)
    assert live.status_code == 200
    assert 'hx-swap-oob="true"' in live.text
    assert on_loop == [False, False, False, False]


def test_the_forms_sections_are_rendered_once_per_version(client: Client, monkeypatch: pytest.MonkeyPatch):
    """ensures the form's sections are rendered once for a version and the page shown again is
    the page as made afresh (byte for byte), and that a new version (a file uploaded) renders
    them again, listing the new file."""
    from docgen.web import pages

    sid = client.import_example("luzhou-etc-2023")
    first = client.http.get(f"/submissions/{sid}").text
    rendered: list[str] = []
    original = pages._env.get_template

    def watched(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "_form_body.html":
            rendered.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(pages._env, "get_template", watched)
    again = client.http.get(f"/submissions/{sid}").text
    assert rendered == []
    assert again == first
    with pages._bodies.lock:
        pages._bodies.clear()
    afresh = client.http.get(f"/submissions/{sid}").text
    assert rendered == ["_form_body.html"]
    assert afresh == first
    pdf = (Path(__file__).parent.parent / "examples/luzhou-etc-2023/evidence/承诺书.pdf").read_bytes()
    added = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("戊.pdf", pdf)},
        data={"path": "evidence/戊.pdf"},
        headers=client.headers(),
    )
    assert added.status_code == 201
    newer = client.http.get(f"/submissions/{sid}").text
    assert rendered == ["_form_body.html", "_form_body.html"]
    assert "evidence/戊.pdf" in newer
    assert "evidence/戊.pdf" not in first

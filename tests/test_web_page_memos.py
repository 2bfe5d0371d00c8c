"""What the workspace page remembers to be cheaper (#21, point 7): the slots and hx-vals of key
paths, the previews of sections by their text, one Markdown converter per thread — each must
follow what it is made from, so the page shows exactly what it showed when made afresh."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from docgen.app.submission import open_submission
from docgen.narrative.markdown import markdown_to_blocks
from docgen.web.form_model import Input, slot, slots_of
from tests.web_helpers import EXAMPLES, Client

HTMX = {"HX-Request": "true"}


@pytest.fixture
def client(tmp_path: Path) -> Client:
    return Client(tmp_path / "data")


def _section_id() -> str:
    outline = open_submission(EXAMPLES / "luzhou-etc-2023").outline
    assert outline is not None
    return outline.sections[0].id


def _preview(html: str, section: str) -> str:
    """Returns the preview part of ``section`` in a workspace page."""
    box = slot(("narrative", section))
    found = re.search(rf'<div id="v{box}" class="preview-body"[^>]*>(.*?)</div>', html, re.S)
    assert found is not None
    return found.group(1)


def _set_section(client: Client, sid: str, section: str, text: str) -> None:
    answer = client.http.post(
        f"/submissions/{sid}/edit",
        data={"op": "set", "path": json.dumps(["narrative", section]), "value": text, "kind": "textarea"},
        headers=client.headers(**HTMX),
    )
    assert answer.status_code == 200


def test_a_sections_preview_follows_its_text(client: Client):
    """ensures the preview a page shows is the one of the section's current text: after an edit
    the new text's (bold laid out), never the remembered one of the text before."""
    section = _section_id()
    sid = client.import_example("luzhou-etc-2023")
    before = _preview(client.http.get(f"/submissions/{sid}").text, section)
    _set_section(client, sid, section, "本公司**研发投入**逐年增长。")
    after = _preview(client.http.get(f"/submissions/{sid}").text, section)
    assert after != before
    assert "<strong>研发投入</strong>" in after
    _set_section(client, sid, section, "本公司研发投入逐年增长。")
    plain = _preview(client.http.get(f"/submissions/{sid}").text, section)
    assert "<strong>" not in plain
    assert "本公司研发投入逐年增长。" in plain


def test_two_submissions_with_one_text_show_one_preview(client: Client):
    """ensures a preview remembered for one submission's text is what another submission with
    the same text shows, and that a third with another text shows its own."""
    section = _section_id()
    a, b, c = (client.import_example("luzhou-etc-2023") for _ in range(3))
    for sid, text in ((a, "甲公司的正文。"), (b, "甲公司的正文。"), (c, "乙公司的正文。")):
        _set_section(client, sid, section, text)
    shown = {sid: _preview(client.http.get(f"/submissions/{sid}").text, section) for sid in (a, b, c)}
    assert shown[a] == shown[b]
    assert "甲公司的正文。" in shown[b]
    assert "乙公司的正文。" in shown[c]
    assert "甲公司" not in shown[c]


def _blocks_in_a_new_thread(text: str) -> list[object]:
    """Returns the blocks of ``text`` made by a converter that has converted nothing before."""
    out: list[object] = []
    worker = threading.Thread(target=lambda: out.extend(markdown_to_blocks(text)))
    worker.start()
    worker.join()
    return out


def test_the_reused_markdown_converter_keeps_nothing_between_texts():
    """ensures a text converted after another is converted as by a fresh converter: a link
    reference defined in the first text does not resolve in the second, and the same text gives
    the same blocks each time."""
    first = "参见[年报]。\n\n[年报]: https://example.com/report\n\n| 年度 | 收入 |\n|---|---|\n| 2022 | 100 |"
    second = "再见[年报]。"
    once = markdown_to_blocks(first)
    then = markdown_to_blocks(second)
    assert then == _blocks_in_a_new_thread(second)
    assert "[年报]" in "".join(run.text for block in then for run in block.runs)
    assert markdown_to_blocks(first) == once
    assert once == _blocks_in_a_new_thread(first)


def test_slots_and_hx_vals_follow_the_key_path_and_kind():
    """ensures a remembered slot is the one of its key path whatever sequence names it, that
    distinct paths keep distinct slots, and that an input's hx-vals follow its kind and path."""
    assert slot(["items", "staff", 3]) == slot(("items", "staff", 3))
    assert slot(("items", "staff", 3)) != slot(("items", "staff", 4))
    assert slots_of(("items", "staff", 3)) == [
        slot(("items", "staff", 3)),
        slot(("items", "staff")),
        slot(("items",)),
    ]
    field = Input(path=("data", "rd_staff"), label="研发人员", kind="number")
    number = json.loads(field.path_json)
    field.kind = "text"
    text = json.loads(field.path_json)
    assert number == {"path": '["data", "rd_staff"]', "kind": "number"}
    assert text == {"path": '["data", "rd_staff"]', "kind": "text"}
    assert field.ident == "i-" + field.slot[2:]


def _macro_html(i: Input, row: object, files: list[str], compact: bool) -> str:
    from docgen.web.pages import _env

    return str(_env.get_template("_macros.html").module.field(i, row, files, compact=compact))  # type: ignore[attr-defined]


class _Row:
    def __init__(self, sid: str) -> None:
        self.id = sid


def test_a_remembered_field_is_the_macros_html_for_each_value_and_submission():
    """ensures each kind of field, remembered by its structure, is written exactly as the macro
    writes it for every value and submission id, escaped (a value with markup, with the
    placeholders' character), compact or not, with a file list."""
    from docgen.web.field_html import MARK, FieldHtml
    from docgen.web.pages import _env

    fields = FieldHtml(_env)
    choices = [("a", "甲"), ("b", "乙<b>")]
    values = ["", "甲", "b", "12.5", '<script>"x"</script>', f"x{MARK}value{MARK}", "未知"]
    files = ["evidence/a.pdf", "evidence/b&c.pdf"]
    for kind in ("text", "number", "date", "textarea", "select", "check", "file"):
        for compact in (False, True):
            for value in values:
                for sid in ("0123456789abcdef", "fedcba9876543210"):
                    i = Input(
                        path=("items", "staff", 2, "name"),
                        label="姓名",
                        kind=kind,
                        unit="万元",
                        help="说明",
                        choices=choices if kind == "select" else [],
                        value=value,
                    )
                    assert fields(i, _Row(sid), files, compact) == _macro_html(i, _Row(sid), files, compact)
    assert len(fields._kept) > 0
    listed = Input(path=("items", "staff", 0, "file"), label="证明", kind="file", value="evidence/b&c.pdf")
    html = str(fields(listed, _Row("0123456789abcdef"), files, True))
    assert '<option value="evidence/b&amp;c.pdf" selected>b&amp;c.pdf</option>' in html
    assert '<option value="evidence/a.pdf">a.pdf</option>' in html
    gone = replace(listed, value="evidence/gone.pdf")
    assert "evidence/gone.pdf（未上传）</option>" in str(fields(gone, _Row("0123456789abcdef"), files, True))


def test_a_workers_warm_up_compiles_every_template(monkeypatch: pytest.MonkeyPatch):
    """ensures that after a worker's warm-up no page template is compiled again when a page is
    shown (the first page is as cheap as the next)."""
    from docgen.web import pages

    pages.warm_up()

    def compiled(*_args: object, **_kw: object) -> None:
        raise AssertionError("a template was compiled after the warm-up")

    monkeypatch.setattr(pages._env, "compile", compiled)
    names = pages._env.list_templates(extensions=["html"])
    assert "workspace.html" in names
    for name in names:
        assert pages._env.get_template(name).name == name

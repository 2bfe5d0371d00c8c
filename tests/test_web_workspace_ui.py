"""The workspace pages as a clerk reads them (issue #20's browser review): item tables that fit,
empty states in words, the answers replacement among the imports with the previous answers kept,
the Markdown preview of each 正文 section, findings that link to their fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from docgen.definitions.load import load_catalog
from docgen.web.form_model import slot
from tests.web_helpers import Client

HTMX = {"HX-Request": "true"}


@pytest.fixture
def client(tmp_path: Path) -> Client:
    return Client(tmp_path / "data")


def _new(client: Client, program: str = "luzhou-etc-2023") -> str:
    answer = client.http.post("/api/submissions", json={"program": program}, headers=client.headers())
    return str(answer.json()["id"])


def _section(page: str, ident: str) -> str:
    """Returns the HTML of the element with id ``ident`` up to the next item list or card."""
    start = page.index(f'id="{ident}"')
    end = min(i for i in (page.find("<section", start), page.find("</section>", start)) if i > 0)
    return page[start:end]


def test_item_table_text_cells_wrap_and_the_table_scrolls_in_its_own_box(client: Client):
    """ensures every text column of an item table is a wrapping box (a textarea of one row that
    grows) labelled by its column, and each table sits in a keyboard-scrollable region of its
    own, so a wide table never widens the page."""
    sid = client.import_example("luzhou-etc-2023")
    page = client.http.get(f"/submissions/{sid}").text
    catalog = load_catalog()
    patents = catalog.item_kinds["invention_patents"]
    text_fields = [name for name, spec in patents.fields.items() if spec.type == "text"]
    assert text_fields
    for name in text_fields:
        ident = "i-" + slot(("items", "invention_patents", 0, name))[2:]
        assert re.search(rf'<textarea id="{ident}" class="cell"[^>]*rows="1"', page), name
        assert f'<label for="{ident}" class="sr">{patents.fields[name].label}' in page
    regions = re.findall(
        r'<div class="scroll" role="region" tabindex="0" aria-labelledby="(t-d-[0-9a-f]+)">', page
    )
    assert regions
    for region in regions:
        assert f'id="{region}"' in page


def test_an_empty_item_list_says_so_in_words(client: Client):
    """ensures a new submission's item lists say «尚未填写» beside their add button, with no
    machine-made «0 项», and the page names the submission a new one."""
    sid = _new(client)
    page = client.http.get(f"/submissions/{sid}").text
    assert "0 项" not in page
    assert "新申报（尚未填写企业名称）" in page
    items = page[page.index('id="items"') : page.index('id="s-narrative"')]
    lists = items.count('class="itemlist"')
    assert lists > 0
    assert items.count("尚未填写。") == lists
    assert "已写 0 字" not in page
    assert "尚未填写，不少于" in page


def test_an_item_list_with_rows_counts_them(client: Client):
    """ensures a list with rows says how many are filled in and no empty-state line."""
    sid = _new(client)
    client.http.post(
        f"/submissions/{sid}/edit",
        data={"op": "add-row", "path": '["items", "invention_patents"]'},
        headers=client.headers(**HTMX),
    )
    page = client.http.get(f"/submissions/{sid}").text
    patents = _section(page, "t-" + slot(("items", "invention_patents")))
    assert "已填 1 项" in patents


def test_replacing_the_answers_sits_with_the_imports_and_warns(client: Client):
    """ensures the answers-file replacement is in 下载与导入, not in 正文, asks for a button press
    after a confirmation, and says it replaces the current answers and keeps them; 正文 offers
    only the Word draft."""
    sid = client.import_example("luzhou-etc-2023")
    page = client.http.get(f"/submissions/{sid}").text
    narrative = page[page.index('id="s-narrative"') : page.index('id="s-evidence"')]
    downloads = page[page.index('id="s-downloads"') :]
    assert 'accept=".docx"' in narrative
    assert ".xlsx" not in narrative
    assert 'id="answers-file"' in downloads
    assert 'accept=".xlsx,.yaml,.yml,.json"' in downloads
    form = downloads[downloads.index("<form") : downloads.index("</form>")]
    assert "hx-confirm=" in form
    assert 'hx-trigger="change"' not in form
    assert 'type="submit"' in form
    assert "替换本申报当前的全部答卷" in downloads
    assert "替换前的答卷会自动保留" in downloads


def test_replaced_answers_are_kept_and_download_as_they_were(client: Client):
    """ensures uploading an answers file keeps the answers it replaces: the workspace lists the
    kept version, and it downloads byte for byte as the answers.yaml before the replacement."""
    sid = client.import_example("luzhou-etc-2023")
    before = client.http.get(f"/submissions/{sid}/download/answers.yaml").content
    version = client.http.get(f"/api/submissions/{sid}").json()["version"]
    other = yaml.safe_dump(
        {"program": "luzhou-etc-2023", "profile": {"company_name": "另一家公司"}}, allow_unicode=True
    ).encode()
    answer = client.http.post(
        f"/submissions/{sid}/answers-file",
        files={"file": ("answers.yaml", other)},
        headers=client.headers(**HTMX),
    )
    assert answer.status_code == 200
    assert client.http.get(f"/api/submissions/{sid}").json()["company"] == "另一家公司"
    page = client.http.get(f"/submissions/{sid}").text
    links = re.findall(rf'href="(/submissions/{sid}/kept/\d+)"', page)
    assert len(links) == 1
    assert f"第 {version} 版答卷" in page
    kept = client.http.get(links[0])
    assert kept.status_code == 200
    assert kept.content == before
    assert "attachment" in kept.headers["content-disposition"]


def test_a_word_draft_keeps_the_typed_narrative(client: Client):
    """ensures taking the narrative from a Word draft keeps the answers with the typed sections."""
    from docx import Document

    sid = client.import_example("luzhou-etc-2023")
    typed = yaml.safe_load(client.http.get(f"/submissions/{sid}/download/answers.yaml").content)["narrative"]
    draft = Document()
    draft.add_heading("企业基本情况", 2)
    draft.add_paragraph("草稿正文。")
    buffer = __import__("io").BytesIO()
    draft.save(buffer)
    client.http.post(
        f"/submissions/{sid}/answers-file",
        files={"file": ("草稿.docx", buffer.getvalue())},
        headers=client.headers(**HTMX),
    )
    page = client.http.get(f"/submissions/{sid}").text
    link = re.findall(rf'href="(/submissions/{sid}/kept/\d+)"', page)[0]
    kept = yaml.safe_load(client.http.get(link).content)
    assert kept["narrative"] == typed
    assert (
        "file"
        in yaml.safe_load(client.http.get(f"/submissions/{sid}/download/answers.yaml").content)["narrative"]
    )


def test_a_kept_answers_of_another_submission_is_not_found(client: Client):
    """ensures a kept answers id read through another submission answers 404 (no leak)."""
    sid = client.import_example("luzhou-etc-2023")
    client.http.post(
        f"/submissions/{sid}/answers-file",
        files={"file": ("answers.yaml", b"profile: {company_name: X}\n")},
        headers=client.headers(**HTMX),
    )
    page = client.http.get(f"/submissions/{sid}").text
    entry = re.findall(rf'href="/submissions/{sid}/kept/(\d+)"', page)[0]
    other = _new(client)
    assert client.http.get(f"/submissions/{other}/kept/{entry}").status_code == 404


def _narrative_edit(client: Client, sid: str, section: str, text: str) -> str:
    answer = client.http.post(
        f"/submissions/{sid}/edit",
        data={"op": "set", "path": f'["narrative", "{section}"]', "value": text, "kind": "textarea"},
        headers=client.headers(**HTMX),
    )
    assert answer.status_code == 200
    return answer.text


def _first_section(program: str = "luzhou-etc-2023") -> str:
    catalog = load_catalog()
    outline = catalog.outlines[next(iter(catalog.programs[program].outlines.values()))]
    return outline.sections[0].id


def test_a_section_preview_comes_back_with_the_edit_laid_out_as_the_report(client: Client):
    """ensures writing a section sends back its preview out of band: Markdown read by the report's
    own reader (a heading, bold, a list, a table), the text escaped, a <script> only text."""
    from docgen.narrative.markdown import markdown_to_blocks

    sid = _new(client)
    section = _first_section()
    text = "### 概况\n\n本企业 **专注** 隧道装备。\n\n- 甲\n- 乙\n\n| 年度 | 收入 |\n|---|---|\n| 2022 | 1 |\n\n<script>alert(1)</script> & 后"
    part = _narrative_edit(client, sid, section, text)
    target = "v" + slot(("narrative", section))
    preview = part[part.index(f'id="{target}"') :]
    preview = preview[: preview.index("</div>")]
    assert 'hx-swap-oob="true"' in part[part.index(f'id="{target}"') - 80 : part.index(f'id="{target}"') + 80]
    assert "<h5>概况</h5>" in preview
    assert "<strong>专注</strong>" in preview
    assert "<ul><li" in preview
    assert '<th scope="col">年度</th>' in preview
    assert "<td>2022</td>" in preview
    assert "<script" not in preview
    assert "&lt;script&gt;" in preview
    assert "<p>alert(1)</p>" in preview
    assert "<p>&amp; 后</p>" in preview
    kinds = [b.kind for b in markdown_to_blocks(text)]
    assert preview.count("<li") == kinds.count("bullet")


def test_a_section_past_the_markdown_limits_previews_as_plain_paragraphs(client: Client):
    """ensures a section past a Markdown limit of the report is previewed as the report lays it
    out: plain paragraphs (its markup left as typed) with the reason said."""
    from docgen.narrative.limits import MAX_MARKUP_CHARS

    sid = _new(client)
    section = _first_section()
    text = "**粗体**" + "*" * MAX_MARKUP_CHARS
    part = _narrative_edit(client, sid, section, text)
    target = "v" + slot(("narrative", section))
    preview = part[part.index(f'id="{target}"') :]
    preview = preview[: preview.index("</div>")]
    assert "按普通段落排版" in preview
    assert "<strong>" not in preview
    assert "**粗体**" in preview


def test_every_section_has_its_preview_on_the_page(client: Client):
    """ensures the workspace shows a preview region under each section's textarea, the example's
    text in it."""
    sid = client.import_example("luzhou-etc-2023")
    page = client.http.get(f"/submissions/{sid}").text
    catalog = load_catalog()
    outline = catalog.outlines[next(iter(catalog.programs["luzhou-etc-2023"].outlines.values()))]
    for section in outline.sections:
        assert f'id="v{slot(("narrative", section.id))}"' in page
    assert page.count('class="preview-scroll" role="region" tabindex="0"') == len(outline.sections)


@pytest.mark.parametrize("program", ["luzhou-etc-2023", "gansu-itc-2022"])
def test_findings_link_to_the_controls_they_name(client: Client, program: str):
    """ensures each finding of a new submission that names a field links (#id) to a control the
    page has, and a missing figure's finding links to the input labelled with that figure."""
    sid = _new(client, program)
    page = client.http.get(f"/submissions/{sid}").text
    findings = page[page.index('id="findings"') : page.index("</ol>")]
    links = re.findall(r'<a class="jump" href="#([^"]+)">([^<]*)</a>', findings)
    assert links
    for target, _message in links:
        assert re.search(rf'<(input|select|textarea|button)[^>]* id="{target}"', page), target
    catalog = load_catalog()
    rows = [r for r in catalog.programs[program].data_rows if r.key]
    named = [(t, m) for t, m in links if any(f"“{r.label}”" in m for r in rows)]
    assert named
    for target, message in named:
        label = re.search(rf'<label for="{target}"[^>]*>([^<]*)', page)
        assert label is not None
        quoted = re.search(r"“(.+)”", message)
        assert quoted is not None
        assert label.group(1).startswith(quoted.group(1))


def test_a_finding_with_no_field_of_its_own_is_plain_text(client: Client):
    """ensures a finding about the whole answers (no key path) is not a link to nowhere."""
    sid = _new(client)
    page = client.http.get(f"/submissions/{sid}").text
    findings = page[page.index('id="findings"') : page.index("</ol>")]
    items = re.findall(r'<li class="(?:error|warning)" data-slots="([^"]*)"[^>]*>(.*?)</li>', findings, re.S)
    assert items
    for slots, body in items:
        if not slots:
            assert "<a " not in body


def test_kept_answers_survive_a_backup_and_restore(tmp_path: Path):
    """ensures the answers kept before a replacement are backed up with the uploads and download
    the same from the restored server."""
    from click.testing import CliRunner

    from docgen.cli.main import cli

    client = Client(tmp_path / "data")
    sid = client.import_example("luzhou-etc-2023")
    before = client.http.get(f"/submissions/{sid}/download/answers.yaml").content
    client.http.post(
        f"/submissions/{sid}/answers-file",
        files={"file": ("answers.yaml", b"program: luzhou-etc-2023\n")},
        headers=client.headers(**HTMX),
    )
    runner = CliRunner()
    backed = runner.invoke(
        cli, ["data", "backup", str(tmp_path / "backup"), "--data", str(tmp_path / "data")]
    )
    assert backed.exit_code == 0, backed.output
    restored = runner.invoke(
        cli, ["data", "restore", str(tmp_path / "backup"), "--data", str(tmp_path / "new")]
    )
    assert restored.exit_code == 0, restored.output
    again = Client(tmp_path / "new")
    page = again.http.get(f"/submissions/{sid}").text
    link = re.findall(rf'href="(/submissions/{sid}/kept/\d+)"', page)[0]
    assert again.http.get(link).content == before

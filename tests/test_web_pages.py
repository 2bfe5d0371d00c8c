"""The workspace pages (SPEC §10) for all six programs: made from the definitions, every input
labelled, edits saved, checked and scored at once, the parts that change sent back."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document

from docgen.app.programs import form_files
from docgen.app.submission import evaluate_submission, open_submission
from docgen.definitions.load import load_catalog
from docgen.numbers import fmt_fixed
from tests.web_helpers import EXAMPLES, PROGRAMS, Client

HTMX = {"HX-Request": "true"}


class _Inputs(HTMLParser):
    """Collects the form controls (id, tag, attributes) and the labels' for= targets."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labels: dict[str, str] = {}
        self._label: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append({"tag": tag, **a})
        if tag == "label":
            self._label, self._text = a.get("for"), []

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label is not None:
            self.labels[self._label] = "".join(self._text).strip()
            self._label = None


def _parse(html: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(html)
    return parser


@pytest.fixture
def client(tmp_path: Path) -> Client:
    return Client(tmp_path / "data")


@pytest.mark.parametrize("program", PROGRAMS)
def test_workspace_page_is_made_from_the_definitions(client: Client, program: str):
    """ensures the workspace of each example shows every data table figure by its label with
    its unit, every control has a <label>, and the score panel shows the CLI's totals."""
    sid = client.import_example(program)
    page = client.http.get(f"/submissions/{sid}")
    assert page.status_code == 200
    parsed = _parse(page.text)
    unlabelled = [c.get("id") for c in parsed.controls if c.get("id") not in parsed.labels]
    assert unlabelled == []
    labels = set(parsed.labels.values())
    catalog = load_catalog()
    prog = catalog.programs[program]
    for row in prog.data_rows:
        if row.key and not catalog.fields[row.key].derive and row.key in {k for k in _used(program)}:
            unit = catalog.fields[row.key].unit
            assert f"{row.label}（{unit}）" in labels or row.label in labels, row.label
    ev = evaluate_submission(open_submission(EXAMPLES / program))
    assert f'id="claimed-total">{fmt_fixed(ev.claimed.total)}<' in page.text
    assert f'id="evidenced-total">{fmt_fixed(ev.evidenced.total)}<' in page.text
    outline = open_submission(EXAMPLES / program).outline
    assert outline is not None
    for section in outline.sections:
        assert f"{section.id} {section.title}" in labels, section.id


def _used(program: str) -> list[str]:
    from docgen.answers import used_keys

    catalog = load_catalog()
    return used_keys(catalog.programs[program], catalog)


def _edit(client: Client, sid: str, op: str, path: list, value: str = "", kind: str = "text"):
    return client.http.post(
        f"/submissions/{sid}/edit",
        data={"op": op, "path": json.dumps(path, ensure_ascii=False), "value": value, "kind": kind},
        headers=client.headers(**HTMX),
    )


def test_an_edit_saves_checks_and_scores_at_once(client: Client):
    """ensures typing a figure saves it as a number, and the answer carries the new score panel
    and findings (out-of-band parts) with the rule's result: R&D spending below the 150万元
    bound makes the enterprise ineligible."""
    sid = client.import_example("luzhou-etc-2023")
    answer = _edit(client, sid, "set", ["data", "rd_expense"], "120", "number")
    assert answer.status_code == 200
    assert 'id="score"' in answer.text
    assert 'hx-swap-oob="true"' in answer.text
    assert "不符合" in answer.text
    saved = client.http.get(f"/api/submissions/{sid}").json()
    assert saved["answers"]["data"]["rd_expense"] == 120
    assert saved["version"] == 2
    score = client.http.get(f"/api/submissions/{sid}/score").json()
    assert score["eligible"] is False


def test_a_wrong_value_is_kept_and_named_beside_its_field(client: Client):
    """ensures a value that is no number is saved as typed and its finding carries the slot of
    its field (the page puts it beside the input)."""
    from docgen.web.form_model import slot

    sid = client.import_example("luzhou-etc-2023")
    answer = _edit(client, sid, "set", ["data", "rd_staff"], "一百多", "number")
    assert answer.status_code == 200
    assert re.search(rf'class="error" data-slots="{slot(("data", "rd_staff"))}', answer.text)
    assert client.http.get(f"/api/submissions/{sid}").json()["answers"]["data"]["rd_staff"] == "一百多"


def test_item_rows_are_added_and_removed(client: Client):
    """ensures 添加 appends an empty row and 删除 removes the named one, the list sent back."""
    sid = client.import_example("luzhou-etc-2023")
    before = len(client.http.get(f"/api/submissions/{sid}").json()["answers"]["items"]["awards"])
    added = _edit(client, sid, "add-row", ["items", "awards"])
    assert added.status_code == 200
    assert 'id="items"' in added.text
    assert len(client.http.get(f"/api/submissions/{sid}").json()["answers"]["items"]["awards"]) == before + 1
    removed = _edit(client, sid, "remove-row", ["items", "awards", 0])
    rows = client.http.get(f"/api/submissions/{sid}").json()["answers"]["items"]["awards"]
    assert removed.status_code == 200
    assert len(rows) == before
    assert rows[-1] == {}


def test_a_bad_edit_path_is_a_notice_not_an_error_page(client: Client):
    """ensures an edit naming no place answers the notice fragment (htmx) and saves nothing."""
    sid = client.import_example("luzhou-etc-2023")
    answer = _edit(client, sid, "remove-row", ["items", "awards", 99])
    assert answer.status_code == 200
    assert 'id="notice"' in answer.text
    assert "不可用" in answer.text
    assert client.http.get(f"/api/submissions/{sid}").json()["version"] == 1
    answer = _edit(client, sid, "set", ["__class__", "x"], "1")
    assert 'id="notice"' in answer.text


def test_narrative_points_tick_as_they_are_covered(client: Client):
    """ensures writing a section sends back its points, ticked where the text names them."""
    sid = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    outline = open_submission(EXAMPLES / "luzhou-etc-2023").outline
    assert outline is not None
    section = outline.sections[0]
    first, second = section.points[0].title, section.points[1].title
    answer = _edit(client, sid, "set", ["narrative", section.id], f"本公司{first}良好。", "textarea")
    assert answer.status_code == 200
    assert f'class="covered">☑ {first}<' in answer.text
    assert f'class="open">☐ {second}<' in answer.text


def test_upload_on_a_checklist_entry_attaches_the_files(client: Client):
    """ensures files uploaded on a checklist entry are stored, named in the answers under that
    document, and shown with their inspection status."""
    sid = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    pdf = (EXAMPLES / "luzhou-etc-2023" / "evidence" / "承诺书.pdf").read_bytes()
    answer = client.http.post(
        f"/submissions/{sid}/upload",
        data={"document": "commitment_letter"},
        files=[
            ("file", ("承诺书.pdf", pdf, "application/pdf")),
            ("file", ("承诺书-2.pdf", pdf, "application/pdf")),
        ],
        headers=client.headers(**HTMX),
    )
    assert answer.status_code == 200
    assert 'id="documents"' in answer.text
    evidence = client.http.get(f"/api/submissions/{sid}").json()["answers"]["evidence"]
    assert evidence["commitment_letter"] == ["evidence/承诺书.pdf", "evidence/承诺书-2.pdf"]
    assert "齐全" in answer.text


def test_home_lists_submissions_with_score_and_completeness(client: Client):
    """ensures the home page lists the programs with issuer, and each submission with company,
    status and score."""
    sid = client.import_example("gansu-etc-2022")
    page = client.http.get("/").text
    catalog = load_catalog()
    for program in catalog.programs.values():
        assert program.title in page
        assert program.issuer in page
    ev = evaluate_submission(open_submission(EXAMPLES / "gansu-etc-2022"))
    assert f'href="/submissions/{sid}"' in page
    assert ev.claimed.company in page
    assert fmt_fixed(ev.claimed.total) in page
    assert "草稿" in page


def test_forms_page_offers_every_blank_attachment(client: Client):
    """ensures 表格下载 lists every program's attachments and each downloads as the same .docx
    `docgen forms` writes."""
    page = client.http.get("/forms").text
    catalog = load_catalog()
    files = form_files(catalog, ["gansu-demo-2022"])
    for _program, name, _data in files:
        assert name in page
    _p, name, data = files[0]
    served = client.http.get(f"/forms/gansu-demo-2022/{name}")
    assert served.status_code == 200
    assert served.content == data
    assert Document(io.BytesIO(served.content)).paragraphs is not None
    assert client.http.get("/forms/gansu-demo-2022/none.docx").status_code == 404


def test_downloads_of_answers_and_filled_forms(client: Client):
    """ensures answers.xlsx opens as the workbook and the filled forms zip holds the program's
    attachments, filled with the company name."""
    import zipfile

    import openpyxl

    sid = client.import_example("luzhou-etc-2023")
    xlsx = client.http.get(f"/submissions/{sid}/download/answers.xlsx")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert "评价数据表" in book.sheetnames
    forms = client.http.get(f"/submissions/{sid}/download/forms.zip")
    company = open_submission(EXAMPLES / "luzhou-etc-2023").answers.company
    with zipfile.ZipFile(io.BytesIO(forms.content)) as archive:
        names = archive.namelist()
        assert names
        assert all(n.endswith(".docx") for n in names)
        texts = []
        for n in names:
            doc = Document(io.BytesIO(archive.read(n)))
            texts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
            texts += [p.text for p in doc.paragraphs]
        assert any(company in t for t in texts)


def test_a_job_prepares_the_documents_and_reports_progress(client: Client):
    """ensures 生成全部文件 starts a job whose progress line ends with the download links."""
    import time

    sid = client.import_example("luzhou-etc-2023")
    started = client.http.post(
        f"/submissions/{sid}/jobs", data={"what": "all"}, headers=client.headers(**HTMX)
    )
    assert started.status_code == 200
    assert 'id="job"' in started.text
    jid = re.search(r"/jobs/([0-9a-f]+)", started.text)
    if jid is None:  # already done when it answered
        assert "report.docx" in started.text
        return
    for _ in range(200):
        status = client.http.get(f"/submissions/{sid}/jobs/{jid.group(1)}").text
        if "已生成" in status:
            break
        time.sleep(0.1)
    assert "已生成" in status
    assert f"/api/submissions/{sid}/outputs/report.docx" in status


def test_a_word_draft_uploaded_becomes_the_narrative(client: Client, tmp_path: Path):
    """ensures a Word draft uploaded on the 正文 section is stored and read as the narrative: the
    answers name it, the draft's sections cover the outline and the score is the example's."""
    from tests.word_drafts import DRAFT, draft_example

    folder = draft_example(tmp_path / "drafted")
    sid = client.import_example("luzhou-etc-2023")
    answer = client.http.post(
        f"/submissions/{sid}/answers-file",
        files={"file": (DRAFT, (folder / DRAFT).read_bytes())},
        headers=client.headers(**HTMX),
    )
    assert answer.status_code == 200
    assert answer.headers["HX-Redirect"] == f"/submissions/{sid}"
    saved = client.http.get(f"/api/submissions/{sid}").json()
    assert saved["answers"]["narrative"] == {"file": DRAFT}
    assert DRAFT in [f["path"] for f in saved["files"]]
    check = client.http.get(f"/api/submissions/{sid}/check").json()
    assert not [d for d in check["diagnostics"] if d["code"].startswith("narrative.")]
    page = client.http.get(f"/submissions/{sid}").text
    assert f"正文取自 Word 草稿 {DRAFT}" in page


def test_an_answers_workbook_uploaded_replaces_the_answers(client: Client):
    """ensures answers.xlsx uploaded on the workspace replaces the answers and scores as the
    workbook's own answers (the example's)."""
    sid = client.import_example("luzhou-etc-2023")
    xlsx = client.http.get(f"/submissions/{sid}/download/answers.xlsx").content
    other = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    answer = client.http.post(
        f"/submissions/{other}/answers-file",
        files={"file": ("answers.xlsx", xlsx)},
        headers=client.headers(**HTMX),
    )
    assert answer.status_code == 200
    mine = client.http.get(f"/api/submissions/{other}/check").json()
    theirs = client.http.get(f"/api/submissions/{sid}/check").json()
    assert [d["code"] for d in mine["diagnostics"] if not d["code"].startswith("evidence.")] == [
        d["code"] for d in theirs["diagnostics"] if not d["code"].startswith("evidence.")
    ]
    assert client.http.get(f"/api/submissions/{other}").json()["company"] == "泸州川锐智能装备股份有限公司"


def test_times_are_shown_in_beijing_time(client: Client):
    """ensures the pages show times as Beijing time (UTC+8) whatever zone the server runs in:
    16:05 UTC is the next day's 00:05, and the 首页 row shows its submission's save time so."""
    import datetime as dt

    from docgen.web.display import beijing_time

    assert beijing_time(dt.datetime(2026, 12, 3, 16, 5)) == "2026-12-04 00:05"
    assert beijing_time("2026-12-03T16:05:09Z", True) == "2026-12-04 00:05:09"
    sid = client.import_example("luzhou-etc-2023")
    updated = client.http.get(f"/api/submissions/{sid}").json()["updated"]
    assert beijing_time(updated) in client.http.get("/").text


def test_findings_on_a_page_leave_out_the_answers_keys(client: Client):
    """ensures a finding shown beside its field says its label, not the YAML key the CLI names
    for someone editing answers.yaml («缺少计分所需的数据“主营业务收入”», no «（main_revenue）»)."""
    sid = client.import_example("luzhou-etc-2023")
    answer = _edit(client, sid, "set", ["data", "main_revenue"], "", "number")
    assert answer.status_code == 200
    messages = re.findall(r'data-message="([^"]*)"', answer.text)
    revenue = [m for m in messages if "主营业务收入" in m]
    assert revenue
    assert not any("main_revenue" in m for m in messages)

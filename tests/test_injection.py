"""Injection into outputs: formulas in the 汇总表, escapes and markup on the terminal, template
syntax in user text, and custom templates that loop or emit without end (issue 18, classes 4 and 6)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from docgen.cli.main import cli
from tests.conftest import DATA, ROOT

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3", "\t=1", "\r=1"]
SHOWN = [name.strip() for name in FORMULAS]  # the profile reader strips surrounding whitespace
HOSTILE_FOLDER = "=cmd|' -C calc'!A0"  # a broken submission is named by its folder


def run(*args: object) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _yaml_string(text: str) -> str:
    """Returns ``text`` as a YAML double-quoted scalar (escapes, quotes and control characters)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _submission(folder: Path, company: str) -> Path:
    shutil.copytree(DATA / "luzhou-basic", folder)
    path = folder / "answers.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "company_name: 测试公司", f"company_name: {_yaml_string(company)}"
    )
    path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def hostile_batch(tmp_path: Path) -> Path:
    """A review folder whose company names are spreadsheet formulas, plus a broken submission whose
    folder name is a DDE formula."""
    root = tmp_path / "batch"
    for index, company in enumerate(FORMULAS):
        _submission(root / f"s{index}", company)
    (root / HOSTILE_FOLDER).mkdir()
    (root / HOSTILE_FOLDER / "answers.yaml").write_text("program: [\n", encoding="utf-8")
    return root


# -- spreadsheets --------------------------------------------------------------------------------


def test_summary_csv_and_xlsx_neutralise_formulas(hostile_batch: Path, tmp_path: Path):
    """ensures that a company or folder name that a spreadsheet would read as a formula reaches the
    .csv with a leading ' and the .xlsx as a plain string, text kept visible, numbers left numbers."""
    out = tmp_path / "out"
    result = run("review", hostile_batch, "--program", "luzhou-etc-2023", "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((out / "汇总表.csv").read_bytes().decode("utf-8-sig"))))
    names = {row[1] for row in rows[1:]}
    expected = {"'" + name for name in [*SHOWN, HOSTILE_FOLDER]}
    assert names == expected
    for row in rows[1:]:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row
        if row[5]:  # a reviewed submission's claimed score stays a plain number
            float(row[5])
    workbook = load_workbook(out / "汇总表.xlsx")
    for sheet in workbook:
        cells = [c for row in sheet.iter_rows(min_row=1, max_row=len(FORMULAS) + 4) for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], sheet.title
    summary = workbook["汇总表"]  # its rows start under the title, the sender lines and the titles
    company = {summary.cell(row=r, column=2) for r in range(4, len(FORMULAS) + 5)}
    assert {c.value for c in company} == {*SHOWN, HOSTILE_FOLDER}
    assert {c.data_type for c in company} == {"s"}
    scores = [summary.cell(row=r, column=6) for r in range(4, len(FORMULAS) + 5)]
    assert any(isinstance(c.value, int | float) and c.data_type == "n" for c in scores)
    matrix = workbook["完整性核对"]
    assert {matrix.cell(row=r, column=1).value for r in range(2, len(FORMULAS) + 3)} == {
        *SHOWN,
        HOSTILE_FOLDER,
    }


@pytest.mark.parametrize(
    ("value", "csv_cell", "is_text"),
    [
        ("=1+1", "'=1+1", True),
        ("-2+3", "'-2+3", True),
        ("@SUM(A1)", "'@SUM(A1)", True),
        ("\t=1", "'\t=1", True),
        ("测试公司", "测试公司", False),
        ("", "", False),
        (-2.5, "-2.50", False),
        (-3, -3, False),
    ],
    ids=["equals", "minus-text", "at", "tab", "plain", "empty", "negative-float", "negative-int"],
)
def test_spreadsheet_cells(value: object, csv_cell: object, is_text: bool):
    """ensures that only text a spreadsheet would read as a formula is neutralised; a negative number
    is a number."""
    from docgen.outputs.summary_csv import csv_cell as to_csv
    from docgen.outputs.summary_csv import formula_like

    assert formula_like(value) is is_text
    assert to_csv(value) == csv_cell


def test_xlsx_keeps_a_negative_number_numeric():
    """ensures that the workbook writer forces text only on formula-like strings."""
    from openpyxl import Workbook

    from docgen.outputs.summary_xlsx import write_row

    sheet = Workbook().active
    write_row(sheet, ["=1+1", -2.5, -3, "-x", "ok"])
    cells = list(sheet[1])
    assert [c.data_type for c in cells] == ["s", "n", "n", "s", "s"]
    assert [c.value for c in cells] == ["=1+1", -2.5, -3, "-x", "ok"]


# -- terminal ------------------------------------------------------------------------------------

HOSTILE_NAME = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil\x1b\\点我\x1b]8;;\x1b\\[/][bold red]红[link=http://x]链[/link]\x9b31m"


def wide(*args: object) -> Any:
    """Runs the CLI with a terminal wide enough that table cells do not wrap."""
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "400"})


def _assert_inert(output: str) -> None:
    assert "\x1b" not in output
    assert "\x07" not in output
    assert "\x9b" not in output
    assert "MarkupError" not in output
    assert "内部错误" not in output


def test_score_prints_a_hostile_company_name_inert(tmp_path: Path):
    """ensures that ANSI escapes and rich markup in the company name neither reach the terminal nor
    crash the score table; the markup shows as typed."""
    folder = _submission(tmp_path / "s", HOSTILE_NAME)
    result = wide("score", folder)
    assert result.exit_code == 0, result.output
    _assert_inert(result.output)
    assert "[/][bold red]红[link=http://x]链[/link]" in result.output


def test_review_prints_hostile_company_names_inert(tmp_path: Path):
    """ensures that the review table shows rich markup in company names as typed (control
    characters cannot reach it: the summary documents refuse them at input, issue 18 class 3)."""
    root = tmp_path / "batch"
    _submission(root / "a", "[/][bold red]红[link=http://x]链[/link]")
    _submission(root / "b", "[/]")
    result = wide("review", root, "--program", "luzhou-etc-2023", "-o", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 0, result.output
    _assert_inert(result.output)
    assert "[bold red]红[link=http://x]链" in result.output


def test_evidence_table_and_findings_are_escaped(tmp_path: Path, capsys):
    """ensures that file names in the evidence table and user text in findings and source lines are
    printed with control characters made visible and markup as text."""
    from rich.console import Console

    from docgen.cli.output import print_findings, visible
    from docgen.cli.terminal import print_evidence
    from docgen.diagnostics import Diagnostic, Location, Severity

    console = Console(file=io.StringIO(), width=200)
    data = {
        "documents": [
            {
                "group": "[/]",
                "title": "承诺书",
                "file": "evidence/\x1b[31m[red].pdf",
                "pages": 1,
                "status": "ok",
            }
        ],
        "shortfalls": [],
        "claimed_total": 1.0,
        "evidenced_total": 1.0,
    }
    print_evidence(data, console)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b" not in text
    assert "␛[31m[red].pdf" in text
    assert "[/]" in text
    answers = tmp_path / "answers.yaml"
    answers.write_text("profile:\n  company_name: \x1b]0;title\x07\n", encoding="utf-8")
    finding = Diagnostic(
        code="answers.x",
        severity=Severity.ERROR,
        message="名称 «\x1b[2J» 有误",
        location=Location("answers.yaml", 2, 3),
    )
    print_findings([finding], err=False, source=answers)
    printed = capsys.readouterr().out
    assert "\x1b" not in printed
    assert "\x07" not in printed
    assert "␛[2J" in printed
    assert "␛]0;title␇" in printed
    assert visible("a\tb\nc\x00\x7f\x85") == "a\tb\nc␀␡\ufffd"


# -- template syntax in user text ----------------------------------------------------------------

# Markdown: a backslash keeps an underscore literal, a code span keeps everything (a bare
# {_{ x }_} is emphasis by CommonMark: «{» then «{ x }» in italics then «}»)
NARRATIVE = r"{\_{ x }\_} {\_% y %\_} `{_{ code }_}` {{ z }} {% if a %}{# c #}"
LITERALS = "{_{ x }_} {_% y %_} {_{ code }_} {{ z }} {% if a %}{# c #}"


def test_template_syntax_in_user_text_comes_out_as_typed(example: Path, tmp_path: Path):
    """ensures that docxtpl's {_{ … }_} escape and Jinja syntax in a narrative or the company name
    come out of report.docx exactly as typed, never evaluated or altered."""
    path = example / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    company = "泸州川锐智能装备股份有限公司"
    name = "{_{ x }_}{{ 7*7 }}{% for i in range(3) %}i{% endfor %}"
    text = text.replace(f"company_name: {company}", f"company_name: {_yaml_string(company + name)}", 1)
    text = text.replace("公司所有制性质为**民营**", f"公司所有制性质为**民营**{NARRATIVE}", 1)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", example, "-o", out)
    assert result.exit_code == 0, result.output
    document = Document(out / "report.docx")
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert LITERALS in paragraphs
    assert company + name in paragraphs + cells
    assert "iii" not in paragraphs


def test_template_escape_still_works_in_a_template(example: Path, tmp_path: Path):
    """ensures that a template author's own {_{ … }_} still prints {{ … }} (docxtpl's documented escape)."""
    template = tmp_path / "mine.docx"
    doc = Document()
    doc.add_paragraph("{_{ literal }_} {_% tag %_} {{ company.name }}")
    doc.save(template)
    out = tmp_path / "out"
    result = run("build", example, "-o", out, "--template", template)
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(out / "report.docx").paragraphs)
    assert "{{ literal }} {% tag %} 泸州川锐智能装备股份有限公司" in text


def test_template_escape_in_the_plain_path(example: Path, tmp_path: Path):
    """ensures that a template with fields in its header (rendered by plain docxtpl) leaves a value's
    {_{ as typed and still resolves its own escapes, in the header as in the body."""
    path = example / "answers.yaml"
    company = "泸州川锐智能装备股份有限公司"
    text = path.read_text(encoding="utf-8").replace(
        f"company_name: {company}", f"company_name: {_yaml_string(company + '{_{ x }_}')}", 1
    )
    path.write_text(text, encoding="utf-8")
    template = tmp_path / "header.docx"
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "{_{ own }_} {{ company.name }}"
    doc.add_paragraph("{_% own %_} {{ company.name }}")
    doc.save(template)
    out = tmp_path / "out"
    result = run("build", example, "-o", out, "--template", template)
    assert result.exit_code == 0, result.output
    report = Document(out / "report.docx")
    assert report.sections[0].header.paragraphs[0].text == "{{ own }} " + company + "{_{ x }_}"
    assert "{% own %} " + company + "{_{ x }_}" in [p.text for p in report.paragraphs]


# -- custom templates that loop or emit without end ----------------------------------------------

BOMBS = {
    "huge-range": "{% for i in range(10**9) %}x{% endfor %}",
    "nested-ranges": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested-lists": "{% for a in [0]*1000 %}{% for b in [0]*1000 %}{% for c in [0]*1000 %}{% endfor %}"
    "{% endfor %}{% endfor %}",
    "huge-output": "{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}",
    "one-huge-value": "{{ 'x' * 10**10 }}",
    "huge-power": "{{ 2**10000000000 }}",
    "wide-format": "{{ '{:>10000000000}'.format(1) }}",
    "division": "{{ 1 / 0 }}",
    "padding": "{{ 'x'.ljust(10**10) }}",
    "filter-width": "{{ 'x'|center(10**10) }}",
    "doubling": "{% set s = 'x' * 1000000 %}" + "{% set s = s ~ s %}" * 20 + "{{ s|length }}",
    "recursion": "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}",
    "macro-recursion": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
}


def _bomb_template(folder: Path, body: str) -> Path:
    template = folder / "bomb.docx"
    doc = Document()
    doc.add_paragraph("{{ company.name }}")
    doc.add_paragraph(body)
    doc.save(template)
    return template


@pytest.mark.parametrize("body", list(BOMBS.values()), ids=list(BOMBS))
def test_runaway_template_stops_cleanly(example: Path, tmp_path: Path, body: str):
    """ensures that a custom template with huge or nested loops, huge output or unbounded recursion
    stops within seconds with a TemplateRenderError (exit 1, a Chinese message), writing nothing.

    Run in a child process with a timeout, so that a regression fails instead of hanging the suite.
    """
    template = _bomb_template(tmp_path, body)
    out = tmp_path / "out"
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-m", "docgen", "build", str(example), "-o", str(out), "--template", str(template)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    elapsed = time.monotonic() - started
    assert child.returncode == 1, child.stderr
    assert "模板 bomb.docx" in child.stderr
    assert "Traceback" not in child.stderr
    assert "内部错误" not in child.stderr
    assert not (out / "report.docx").exists()
    assert elapsed < 10


def test_render_budget_names_its_limit():
    """ensures that the loop budget is a named constant and that its error says which limit was hit."""
    from docgen.word.environment import MAX_LOOP_ITERATIONS, RenderLimitExceeded, environment

    template = environment().from_string("{% for i in range(n) %}{% endfor %}")
    assert template.render(n=MAX_LOOP_ITERATIONS) == ""
    with pytest.raises(RenderLimitExceeded) as info:
        template.render(n=MAX_LOOP_ITERATIONS + 1)
    assert info.value.limit == "loop_iterations"

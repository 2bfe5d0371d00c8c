"""The missing-evidence report's tables over several pages (#17): every page repeats the column
headings and the group's 类别, rows never split, every row names its document, titles and names
broken between phrases only, the rounding rule stated, the 落款 never without text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table

from docgen.cli.main import cli
from docgen.outputs.missing_pages import LAST_ROWS, MARGIN_PT, closing_pt, last_page_room
from docgen.text.labels import TEXT
from docgen.word.layout import _tokens

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "luzhou-etc-2023"
KEPT = "承诺书.pdf"  # the variant keeps only the commitment letter


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Builds the Luzhou example (its cash-flow statement missing) and a variant with every
    evidence file but the commitment letter removed; returns each output folder."""
    base = tmp_path_factory.mktemp("missing")
    variant = base / "many-missing"
    shutil.copytree(EXAMPLE, variant)
    for path in (variant / "evidence").iterdir():
        if path.name != KEPT:
            path.unlink()
    out = {}
    for name, source in (("example", EXAMPLE), ("many-missing", variant)):
        result = CliRunner().invoke(cli, ["build", str(source), "-o", str(base / f"out-{name}")])
        assert result.exit_code == 0, result.output
        out[name] = base / f"out-{name}"
    return out


CASES = ["example", "many-missing"]


def _context(reports: dict[str, Path], case: str) -> dict[str, Any]:
    """Returns the missing-evidence report's context as the build computed it for ``case``."""
    from docgen.app.build import document_date, line_keys
    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.outputs.cff_font import find_face
    from docgen.outputs.missing import missing_context

    source = EXAMPLE if case == "example" else reports[case].parent / case
    sub = open_submission(source)
    evaluation = evaluate_submission(sub)
    return missing_context(
        sub.program,
        sub.answers,
        evaluation.claimed,
        evaluation.evidenced,
        evaluation.evidence,
        document_date(sub),
        bundle_font_embedded=find_face() is not None,
        line_keys=line_keys(sub),
    )


def _doc(reports: dict[str, Path], case: str):
    return Document(str(reports[case] / "missing-evidence.docx"))


def _material_tables(doc) -> list[Table]:
    return [t for t in doc.tables if t.rows[0].cells[0].text == TEXT["me_col_title"]]


def _row_flags(table: Table) -> list[set[str]]:
    flags = []
    for tr in table._tbl.tr_lst:
        tr_pr = tr.trPr
        flags.append({child.tag.split("}")[1] for child in tr_pr} if tr_pr is not None else set())
    return flags


def _md_rows(reports: dict[str, Path], case: str, heading: str) -> list[list[str]]:
    """Returns the rows (类别 first) of the .md's table under ``heading``."""
    text = (reports[case] / "missing-evidence.md").read_text(encoding="utf-8")
    part = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split(" | ") for line in part.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows[1:]]


@pytest.mark.parametrize("case", CASES)
def test_every_table_repeats_its_headings_and_keeps_rows_whole(reports: dict[str, Path], case: str) -> None:
    """ensures every table's heading row is repeated on each page (w:tblHeader) and no row breaks
    across pages (w:cantSplit on every row)."""
    doc = _doc(reports, case)
    assert len(doc.tables) >= 3
    for table in doc.tables:
        flags = _row_flags(table)
        assert "tblHeader" in flags[0]
        assert all("cantSplit" in row for row in flags), flags


@pytest.mark.parametrize("case", CASES)
def test_each_group_is_a_table_headed_by_its_category(reports: dict[str, Path], case: str) -> None:
    """ensures each group of 二 and 四 is a table whose second row, a header row Word repeats on
    every page the group continues on, spans the table with the group's 类别; the rows under it
    are the .md's rows of that 类别, in order, none of them without its title."""
    doc = _doc(reports, case)
    tables = _material_tables(doc)
    printed = []
    for table in tables:
        columns = len(table._tbl.tblGrid.findall(qn("w:gridCol")))
        heading = table._tbl.tr_lst[1]
        cells = heading.findall(qn("w:tc"))
        assert len(cells) == 1
        assert cells[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == str(columns)
        assert "tblHeader" in _row_flags(table)[1]
        assert all("tblHeader" not in row for row in _row_flags(table)[2:])
        group = table.rows[1].cells[0].text
        ids = table.rows[0].cells[1].text == TEXT["me_col_identifier"]  # dropped when all empty
        for row in table.rows[2:]:
            title = row.cells[0].text.replace("\n", "")
            identifier = row.cells[1].text.replace("\n", "") if ids else ""
            assert title
            printed.append([group, title, identifier])
    sections = [
        _md_rows(reports, case, h) for h in (TEXT["me_heading_problems"], TEXT["me_heading_documents"])
    ]
    assert printed == [row[:3] for rows in sections for row in rows]
    runs = [g for rows in sections for i, g in enumerate(r[0] for r in rows) if i == 0 or rows[i - 1][0] != g]
    names = [t.rows[1].cells[0].text for t in tables]
    assert names in (runs, [*runs, runs[-1]])  # the last group's last rows may start a page


@pytest.mark.parametrize("case", CASES)
def test_a_title_repeated_for_further_items_is_lighter(reports: dict[str, Path], case: str) -> None:
    """ensures a document's first row prints its title in the table style and the rows of its
    further items repeat it in the lighter «Table Text Repeated» character style."""
    doc = _doc(reports, case)
    repeated_style = doc.styles["Table Text Repeated"]
    assert repeated_style.font.color.rgb is not None
    seen_repeat = False
    for table in _material_tables(doc):
        previous = None
        for row in table.rows[2:]:
            title = row.cells[0]
            runs = [r for p in title.paragraphs for r in p.runs if r.text]
            styled = {r.style.name if r.style is not None else "" for r in runs}
            if title.text == previous:
                assert styled == {"Table Text Repeated"}
                seen_repeat = True
            else:
                assert "Table Text Repeated" not in styled
            previous = title.text
    assert seen_repeat


def _token_bounds(text: str) -> set[int]:
    bounds, position = {0}, 0
    for token in _tokens(text):
        position += len(token)
        bounds.add(position)
    return bounds


@pytest.mark.parametrize("case", CASES)
def test_titles_and_names_break_between_tokens_only(reports: dict[str, Path], case: str) -> None:
    """ensures a title, name or «缺：…» line set over several lines breaks only between the
    layout's tokens (never inside «107-2», «（利润表）» or a number), «缺：» is never alone on
    its line and no line holds a broken word's last character alone."""
    doc = _doc(reports, case)
    broken = 0
    for table in doc.tables:
        for row in table.rows[1:]:
            for cell in row.cells:
                lines = [p.text for p in cell.paragraphs if p.text]
                if len(lines) < 2:
                    continue
                broken += 1
                joined, cut = "".join(lines), 0
                for line in lines[:-1]:
                    cut += len(line)
                    assert cut in _token_bounds(joined), lines
                assert "缺：" not in lines
                assert len(lines[-1]) > 1 or not re.match(r"[\u4e00-\u9fff]", lines[-1]), lines
    assert broken > 0


@pytest.mark.parametrize("case", CASES)
def test_rounding_rule_is_stated_once(reports: dict[str, Path], case: str) -> None:
    """ensures the report says once, in the .docx and the .md, how its figures are rounded and
    that differences are computed from the printed figures."""
    doc = _doc(reports, case)
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs.count(TEXT["me_rounding_rule"]) == 1
    assert "四舍五入" in TEXT["me_rounding_rule"]
    md = (reports[case] / "missing-evidence.md").read_text(encoding="utf-8")
    assert md.count(TEXT["me_rounding_rule"]) == 1


@pytest.mark.parametrize("case", CASES)
def test_no_file_path_and_closing_kept_with_the_signature(reports: dict[str, Path], case: str) -> None:
    """ensures no file path or file name is printed anywhere, and «特此报告。» precedes the 落款 and
    keeps with it, so the name and date never stand on a page without text."""
    doc = _doc(reports, case)
    texts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert not any("evidence/" in t or ".pdf" in t.lower() for t in texts)
    paragraphs = doc.paragraphs
    closing = max(i for i, p in enumerate(paragraphs) if p.text == TEXT["me_closing"])
    tail = paragraphs[closing:]
    assert all(p.paragraph_format.keep_with_next for p in tail[:-1])
    assert tail[-1].text.endswith("日")


def test_variant_lists_every_missing_document(reports: dict[str, Path]) -> None:
    """ensures the variant's section 二 lists as many rows as it counts, at least one per file
    removed from the example, under more than one 类别."""
    doc = _doc(reports, "many-missing")
    summary = next(p.text for p in doc.paragraphs if p.text.startswith("缺失或无法使用的材料"))
    count = int(re.search(r"材料(\d+)项", summary).group(1))  # type: ignore[union-attr]
    rows = _md_rows(reports, "many-missing", TEXT["me_heading_problems"])
    removed = sum(1 for p in (EXAMPLE / "evidence").iterdir() if p.name != KEPT)
    assert len(rows) == count
    assert count >= removed
    assert len({row[0] for row in rows}) > 1


def test_a_figure_at_a_line_end_starts_the_next_line_whole(reports: dict[str, Path]) -> None:
    """ensures the variant's long eligibility sentence (three bounds in 万元 and 人) carries a line
    break where the estimate puts a figure across a line end, always just before the figure, and
    reads as the .md's sentence once the breaks are taken out."""
    doc = _doc(reports, "many-missing")
    md = (reports["many-missing"] / "missing-evidence.md").read_text(encoding="utf-8")
    summary = md.split(f"## {TEXT['me_heading_summary']}", 1)[1].split("\n## ", 1)[0]
    lines = [line[2:] for line in summary.splitlines() if line.startswith("- ")]
    printed = [p.text for p in doc.paragraphs if p.text.replace("\n", "") in lines]
    assert len(printed) == len(lines)
    breaks = [text.split("\n") for text in printed if "\n" in text]
    assert breaks
    for parts in breaks:
        assert all(re.match(r"\d", part) for part in parts[1:])
        assert all(not part[-1:].isdigit() for part in parts[:-1])


def _breaks_before(element) -> bool:
    """Returns True when the paragraph just before a table ``element`` starts a page."""
    before = element.getprevious()
    while before is not None and before.tag != qn("w:p"):
        before = before.getprevious()
    return before is not None and before.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None


def _read_groups(tables: list[Table]) -> list[dict]:
    """Returns the 材料 tables as the page estimate reads them: the 类别 and each row's lines."""
    groups = []
    for table in tables:
        rows = []
        for tr in table._tbl.tr_lst[2:]:
            cells = tr.findall(qn("w:tc"))
            title, identifier = (cells[i].findall(qn("w:p")) for i in (0, 1))
            rows.append({"title_lines": title, "identifier_lines": identifier})
        groups.append({"name": table.rows[1].cells[0].text, "rows": rows})
    return groups


@pytest.mark.parametrize("case", CASES)
def test_closing_stands_on_its_page_with_the_last_rows(reports: dict[str, Path], case: str) -> None:
    """ensures section 四 follows what precedes it where the estimate starts it (no page break
    before it), and its tables, laid out from there as the template sets them, leave room under the last row for the notes, «特此报告。» and the 落款 (with a margin), on
    a page holding at least two rows: where they would not, the last group's last rows are a
    table of their own after a page break, the closing's page; no other table starts a page."""
    doc = _doc(reports, case)
    heading = next(p for p in doc.paragraphs if p.text == TEXT["me_heading_documents"])
    assert not heading.paragraph_format.page_break_before  # it follows what precedes (summary17b)
    offset = _context(reports, case)["document_start"]
    body = list(doc.element.body)
    tables = [t for t in _material_tables(doc) if body.index(t._tbl) > body.index(heading._p)]
    broken = [i for i, t in enumerate(tables) if i and _breaks_before(t._tbl)]  # 0: the heading
    assert broken in ([], [len(tables) - 1])
    groups = _read_groups(tables[broken[0] :] if broken else tables)
    paragraphs = doc.paragraphs
    closing = max(i for i, p in enumerate(paragraphs) if p.text == TEXT["me_closing"])
    signature = [p for p in paragraphs[closing + 2 : -1] if p.text]
    height = closing_pt(len(signature), [], "")
    room, start, end, here = last_page_room(groups, 8844 / 105, 0.0 if broken else offset)
    assert room >= height + MARGIN_PT
    assert here >= 2 or start == end
    if broken:
        assert len(groups[-1]["rows"]) <= 2 * LAST_ROWS
        assert start == end == 0

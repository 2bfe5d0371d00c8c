"""The Gansu alliance's 汇总表 (#17): the 培育组建汇总表 the notice names — 联盟名称, 牵头单位, 主要成员单位,
所属领域 … as the blank template docgen forms prints them, in that order — with the review's own
columns added as the Gansu 申报企业情况汇总表 adds them, each row carrying its submission's units."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from docgen.cli.main import cli
from docgen.definitions.load import load_catalog, load_catalog_from
from docgen.errors import DefinitionError
from docgen.outputs.summary_xlsx import capacity, paper_for
from docgen.word.layout import display_width, line_count, row_height
from tests.conftest import ROOT

ALLIANCE = ROOT / "examples" / "gansu-alliance-2022"
PROGRAM = "gansu-alliance-2022"
SECOND = {  # the second alliance: other units, one more 共性技术难题 solved (a higher 自评得分)
    "甘肃陇药中药材产业技术创新联盟": "甘肃河西新能源装备产业技术创新联盟",  # the profile and the text
    "甘肃陇药科技集团有限公司": "酒泉风电装备集团有限公司",
    "member_units: 甘肃农业大学、甘肃中医药大学": "member_units: 兰州理工大学、甘肃省机械科学研究院",
    "domain: 中药材": "domain: 新能源装备",
    "credit_code: 91621100MA73LY2D94": "credit_code: 91620900MA74FJ3KX0",
    "contact: 陈静": "contact: 王磊",
    "phone: 0932-8213366": "phone: 0937-2618840",
    "solved_problems: 3": "solved_problems: 4",
}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _answers(folder: Path) -> dict[str, str]:
    """The profile lines of a submission's answers.yaml as key → value."""
    text = (folder / "answers.yaml").read_text(encoding="utf-8")
    profile = text[text.index("profile:\n") : text.index("\ndata:")]
    pairs = (line.strip().partition(": ") for line in profile.splitlines()[1:])
    return {key: value.strip("'") for key, _, value in pairs}


@pytest.fixture
def alliance_batch(tmp_path: Path) -> Path:
    """Two alliance submissions: a (the example as shipped) and b (other names and figures)."""
    root = tmp_path / "alliance"
    shutil.copytree(ALLIANCE, root / "a")
    shutil.copytree(ALLIANCE, root / "b")
    path = root / "b" / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in SECOND.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return root


def _review(batch: Path, out: Path, *extra: str) -> Path:
    result = run("review", batch, "--program", PROGRAM, "-o", out, "--jobs", "1", *extra)
    assert result.exit_code == 0, result.output
    return out


def _published() -> list[str]:
    """The columns of the 培育组建汇总表 as docgen's blank template prints them."""
    program = load_catalog().programs[PROGRAM]
    template = next(a for a in program.attachments if a.title == "培育组建汇总表")
    return [c.title for c in template.columns]


def _docx_rows(path: Path) -> list[list[str]]:
    return [[c.text.replace("\n", "") for c in row.cells] for row in Document(path).tables[0].rows]


def _xlsx_rows(path: Path) -> list[list[str]]:
    """The 汇总表 sheet's column titles and rows (row 3 on; rows 1–2 are the title and senders)."""
    sheet = load_workbook(path)["汇总表"]
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    rows = rows[: rows.index([None] * len(rows[0]))]
    return [["" if v is None else str(v).replace("\n", "") for v in r] for r in rows]


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _check_table(rows: list[list[str]], batch: Path) -> None:
    """The titles: the template's in its order, the review's between (核定分 after 自评得分, the
    rest before 备注); each row: its alliance's 牵头单位, 主要成员单位, 所属领域 and contact."""
    published = _published()
    titles = rows[0][: len(rows[0])]
    shown = [t for t in titles if t in published]
    assert shown == published
    assert titles[: published.index("自评得分")] == published[: published.index("自评得分")]
    assert titles[titles.index("自评得分") + 1] == "核定分"
    assert titles.index("备注") > titles.index("推荐意见")
    by_name = {r[1]: dict(zip(titles, r, strict=False)) for r in rows[1:]}
    assert len(by_name) == 2
    for folder in ("a", "b"):
        profile = _answers(batch / folder)
        row = by_name[profile["company_name"]]
        assert row["牵头单位"] == profile["lead_unit"]
        assert row["主要成员单位"] == profile["member_units"]
        assert row["所属领域"] == profile["domain"]
        assert row["联系人及电话"] == f"{profile['contact']} {profile['phone']}"


def test_published_columns_are_the_templates():
    """ensures the blank 培育组建汇总表 keeps its columns (the notice names the table, does not print
    it) and that its units are profile fields under the same labels."""
    assert _published() == [
        "序号",
        "联盟名称",
        "牵头单位",
        "主要成员单位",
        "所属领域",
        "联系人及电话",
        "自评得分",
        "备注",
    ]
    fields = load_catalog().profile_fields
    assert fields["lead_unit"].label == "牵头单位"
    assert fields["member_units"].label == "主要成员单位"
    assert fields["domain"].label == "所属领域"


def test_alliance_summary_has_the_templates_columns(alliance_batch: Path, tmp_path: Path):
    """ensures `docgen review` over two alliances writes the 培育组建汇总表 under its title with the
    template's columns in order in the .docx, the .xlsx and the .csv, each row carrying its own
    牵头单位, 主要成员单位, 所属领域 and 联系人及电话, and the higher 自评得分 first."""
    out = _review(alliance_batch, tmp_path / "out")
    document = Document(out / "汇总表.docx")
    assert document.paragraphs[0].text == "甘肃省产业技术创新联盟培育组建汇总表"
    for rows in (
        _docx_rows(out / "汇总表.docx"),
        _xlsx_rows(out / "汇总表.xlsx"),
        _csv_rows(out / "汇总表.csv"),
    ):
        _check_table(rows, alliance_batch)
        titles = rows[0]
        claimed = [float(r[titles.index("自评得分")]) for r in rows[1:]]
        assert claimed == sorted(claimed, reverse=True)
        assert rows[1][1] == "甘肃河西新能源装备产业技术创新联盟"


def test_alliance_summary_with_reports(alliance_batch: Path, tmp_path: Path):
    """ensures `docgen review --reports` writes the same 培育组建汇总表 columns and rows."""
    out = _review(alliance_batch, tmp_path / "out", "--reports")
    _check_table(_docx_rows(out / "汇总表.docx"), alliance_batch)
    _check_table(_xlsx_rows(out / "汇总表.xlsx"), alliance_batch)


def test_wide_sheet_narrows_its_wrapping_columns_to_fit_one_page(alliance_batch: Path, tmp_path: Path):
    """ensures the alliance's 汇总表 sheet, whose columns at their comfortable widths need more
    than one A3 width at 9 pt (234 width units), prints on one A3 width fitted to the page: its
    wrapping columns (names, units, 缺失材料, 备注) narrowed, never below their titles, the figure
    columns as wide as before, every row tall enough for its lines, no column repeated."""
    out = _review(alliance_batch, tmp_path / "out")
    sheet = load_workbook(out / "汇总表.xlsx")["汇总表"]
    titles = [c.value for c in sheet[3]]
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[3]]
    paper, scale = paper_for(widths[:-1])
    assert paper == "8"  # A3
    assert scale is not None
    assert scale >= 0.9
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_cols is None
    for title, width in zip(titles, widths, strict=True):
        assert width >= max(map(display_width, title.split("\n"))) + 2, title
    for title in ("自评得分", "核定分", "排名"):  # not wrapping: as wide as the title or a figure
        index = titles.index(title)
        values = [sheet.cell(row=r, column=index + 1).value for r in (4, 5)]
        texts = [f"{v:.2f}" if isinstance(v, float) else str(v) for v in values]
        assert widths[index] == max(display_width(title), *map(display_width, texts)) + 2, title
    for row in range(4, 4 + 2):
        for cell, width in zip(sheet[row], widths, strict=True):
            lines = line_count(str(cell.value or ""), capacity(width))
            assert sheet.row_dimensions[row].height >= row_height(lines, 10)
    assert any(line_count(str(c.value), capacity(w)) > 1 for c, w in zip(sheet[4], widths, strict=True))


def test_notes_print_whole_on_every_page_of_a_split_sheet(
    alliance_batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """ensures a 汇总表 sheet too wide for one A3 width at 9 pt even with its wrapping columns
    narrowed (here: the least scale raised so that no width fits) prints its columns over pages
    with 序号 and 企业名称 repeated, and every 说明 line under the table is merged over exactly
    those repeated columns, wrapped, its row tall enough for its lines at their width, so a
    continuation page prints it whole rather than cut at the repeated columns' edge."""
    from docgen.outputs import summary_xlsx

    monkeypatch.setattr(summary_xlsx, "LEAST_SCALE", 2.0)
    out = _review(alliance_batch, tmp_path / "out")
    sheet = load_workbook(out / "汇总表.xlsx")["汇总表"]
    titles = [c.value for c in sheet[3]]
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[3]]
    assert paper_for(widths[:-1])[1] is None  # the working copy's 材料文件夹 is not printed
    assert sheet.print_title_cols == "$A:$B"
    assert titles[:2] == ["序号", "联盟名称"]
    heading = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "说明：")
    merges = {m.min_row: m for m in sheet.merged_cells.ranges}
    room = capacity(sum(widths[:2]))
    notes = range(heading + 1, sheet.max_row + 1)
    assert len(notes) >= 2
    for number in (heading, *notes):
        cell = sheet.cell(row=number, column=1)
        assert (merges[number].min_col, merges[number].max_col) == (1, 2)
        assert cell.alignment.wrap_text
        assert sheet.row_dimensions[number].height >= row_height(line_count(cell.value, room), 10)
    assert any(line_count(sheet.cell(row=n, column=1).value, room) > 1 for n in notes)


@pytest.mark.parametrize(
    ("column", "code"),
    [
        ("{column: profile}", "definition.invalid"),
        ("{column: profile, field: no_such}", "definition.unknown_field"),
        ("{column: profile, field: main_revenue}", "definition.unknown_field"),
    ],
)
def test_profile_columns_are_checked(tmp_path: Path, column: str, code: str):
    """ensures a profile column of a summary_table must name a profile field (a data figure is not
    one)."""
    for name in ("programs", "outlines", "checklists"):
        shutil.copytree(ROOT / name, tmp_path / name)
    path = tmp_path / "programs" / f"{PROGRAM}.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    - {column: profile, field: lead_unit, title: 牵头单位}"
    assert old in text
    path.write_text(text.replace(old, f"    - {column}"), encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_catalog_from(tmp_path / "programs", tmp_path / "outlines", tmp_path / "checklists")
    assert code in [d.code for d in info.value.diagnostics]

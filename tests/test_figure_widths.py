"""A figure is never broken mid-number in a narrow 数据值 cell (#17): the column of the filled
附件3 and of the report's 附表1 is as wide as its widest figure, the width taken from 指标名称."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from docgen.cli.main import cli
from docgen.word.layout import HALF_EM_MM, display_width

ROOT = Path(__file__).parent.parent
FORM = "附件3-泸州市企业技术中心评价数据表.docx"
CELL_MARGINS_MM = 2.0  # the forms' cell margins (2 × 1 mm)
HUGE = "12345678.91"  # a group's 主营业务收入 in 万元: a figure wider than the published column


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def huge(tmp_path_factory) -> Path:
    """The Luzhou example with a 主营业务收入 of eleven characters."""
    folder = tmp_path_factory.mktemp("huge") / "luzhou"
    shutil.copytree(ROOT / "examples" / "luzhou-etc-2023", folder)
    answers = folder / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    assert "main_revenue: 56800 " in text
    answers.write_text(text.replace("main_revenue: 56800 ", f"main_revenue: {HUGE} ", 1), encoding="utf-8")
    return folder


def figure_tables(doc) -> list:
    """Returns the parts of the figures table (序号, 指标名称, 单位, 数据值)."""
    return [
        t
        for t in doc.tables
        if t.rows and [c.text for c in t.rows[0].cells] == ["序号", "指标名称", "单位", "数据值"]
    ]


def grid_mm(table) -> list[float]:
    return [int(c.get(qn("w:w"))) / Mm(1).twips for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def widest_figure(tables: list) -> str:
    return max((row.cells[3].text for t in tables for row in t.rows[1:]), key=display_width)


def test_filled_data_table_widens_its_figure_column(tmp_path: Path, huge: Path):
    """ensures the filled 附件3 prints the whole figure and its 数据值 column holds the widest figure
    on one line, the table as wide as the blank form's (the width comes from 指标名称)."""
    assert run("forms", "luzhou-etc-2023", "-o", tmp_path / "blank").exit_code == 0
    assert run("forms", "luzhou-etc-2023", "--fill", huge, "-o", tmp_path / "filled").exit_code == 0
    blank = figure_tables(Document(tmp_path / "blank" / FORM))
    filled = figure_tables(Document(tmp_path / "filled" / FORM))
    figure = widest_figure(filled)
    assert HUGE in figure
    widths, published = grid_mm(filled[0]), grid_mm(blank[0])
    assert widths[3] >= display_width(figure) * HALF_EM_MM + CELL_MARGINS_MM
    assert widths[3] > published[3]
    assert sum(widths) == pytest.approx(sum(published), abs=0.2)
    assert widths[0] == pytest.approx(published[0], abs=0.1)


def test_blank_data_table_keeps_the_published_widths(tmp_path: Path):
    """ensures a form without figures keeps its 数据值 column at the width the layout gives it."""
    assert run("forms", "luzhou-etc-2023", "-o", tmp_path).exit_code == 0
    tables = figure_tables(Document(tmp_path / FORM))
    widths = grid_mm(tables[0])
    assert widths[3] < widths[1]
    assert widest_figure(tables) == ""


def test_report_data_table_widens_its_figure_column(tmp_path: Path, huge: Path):
    """ensures the report's 附表1 holds its widest figure on one line in every part of the table."""
    assert run("build", huge, "-o", tmp_path).exit_code == 0
    parts = figure_tables(Document(tmp_path / "report.docx"))
    figure = widest_figure(parts)
    assert HUGE.split(".", maxsplit=1)[0] in figure
    for part in parts:
        assert grid_mm(part)[3] >= display_width(figure) * HALF_EM_MM + CELL_MARGINS_MM

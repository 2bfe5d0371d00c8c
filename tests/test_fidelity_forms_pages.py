"""Issue #17 «pagination» on the forms: closing rows kept with the table, figure columns whole.

A filled form's 基本分/加分/合计 rows keep with the last lines above them and the seal below
(keep-with-next chained), so no page holds them alone; a column of short figures and words
(得分, 评价结果, 单位) is wide enough for its widest figure, and a cell holding a figure and a
verdict («0.3百分点，达标») breaks only between them; a single note is not numbered.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.table import Table

from docgen.outputs.form_figures import figure_lines, figure_widths
from docgen.outputs.form_layout import CELL_MARGIN_MM
from docgen.word.layout import display_width
from docgen.word.namespaces import W

HALF_EM_MM = 5.25 * 25.4 / 72


def _table(path: Path) -> Table:
    return docx.Document(str(path)).tables[0]


def _widths(table: Table) -> list[float]:
    return [int(g.get(f"{W}w")) / 1440 * 25.4 for g in table._tbl.findall(f"{W}tblGrid/{W}gridCol")]


def _keeps(tr) -> bool:
    return tr.find(f".//{W}pPr/{W}keepNext") is not None


def test_closing_rows_keep_with_the_lines_above(filled_forms: Path):
    """ensures the filled ITC form's 基本分/加分/合计 and the two lines above them are chained
    by keep-with-next to the seal, the line before them not (#17: p.3 held only 加分/合计 and
    the seal), and its 得分 column holds «101.00» on one line."""
    table = _table(filled_forms / "gansu-itc-2022" / "附件2-甘肃省行业技术中心自评表.docx")
    rows = table._tbl.findall(f"{W}tr")
    texts = [[c.text for c in row.cells] for row in table.rows]
    assert [t[0] for t in texts[-3:]] == ["基本分", "加分", "合计"]
    assert all(_keeps(tr) for tr in rows[-5:])
    score = _widths(table)[-1]
    assert texts[-1][-1] == "101.00"
    assert score - 2 * CELL_MARGIN_MM >= display_width("101.00") * HALF_EM_MM


def test_result_column_never_breaks_inside_a_word(filled_forms: Path):
    """ensures the demo's 评价结果 cells break only after their comma («0.3百分点，|达标»), every
    line within the column, and its 单位 column holds «百分点» and «万美元» (#17: «未达/标»)."""
    table = _table(filled_forms / "gansu-demo-2022" / "附件4-技术创新示范企业申报自评表.docx")
    widths = _widths(table)
    room = (widths[-1] - 2 * CELL_MARGIN_MM) / HALF_EM_MM
    cells = [row.cells[-1].text for row in table.rows[1:-3]]
    assert "0.3百分点，\n达标" in cells
    for text in cells:
        for line in text.split("\n"):
            assert display_width(line) <= room, line
            assert line.endswith(("达标", "，")), line
    units = {row.cells[4].text for row in table.rows[1:]}
    assert {"百分点", "万美元"} <= units
    assert widths[4] - 2 * CELL_MARGIN_MM >= display_width("万美元") * HALF_EM_MM


def test_figure_widths_take_from_the_widest_text_column():
    """ensures a figure column narrower than its widest piece grows by what the widest text
    column gives (the table keeps its width), a blank 得分 column holds «10.00», and a cell
    that fits stays one line."""
    columns = [("indicator", "指标", 80.0), ("criteria", "评价标准", 60.0), ("score", "得分", 8.0)]
    wider = figure_widths(columns, [["a", "b", ""]], ("indicator", "criteria"), CELL_MARGIN_MM)
    assert sum(w for _, _, w in wider) == sum(w for _, _, w in columns)
    assert wider[1][2] == 60.0
    assert wider[2][2] > 8.0
    assert wider[0][2] < 80.0
    assert figure_lines("2.5%，达标", 30.0, CELL_MARGIN_MM) == "2.5%，达标"
    assert figure_lines("1600万元，达标", 16.0, CELL_MARGIN_MM) == "1600万元，\n达标"

"""Issue #17 «pagination»: the report's tables flow over their pages as a clerk lets them.

附表1 and 附表2 are single tables that Word lets flow (docgen's estimated page breaks left pages
half empty), their last rows kept with the closing rows, the note and the seal; the 计分过程's
notes come under a «说明：» lead-in, kept with the table's last rows when they are short.
"""

from __future__ import annotations

import io

import docx
import pytest
from docx.table import Table

from docgen.app.build import render_outputs
from docgen.app.submission import open_submission
from docgen.word.namespaces import W
from tests.conftest import ROOT

PROGRAMS = ("luzhou-etc-2023", "gansu-demo-2022", "gansu-etc-2022", "national-etc-2021")


@pytest.fixture(scope="module")
def built() -> dict[str, tuple[docx.document.Document, None]]:
    out = {}
    for name in PROGRAMS:
        outputs, _ = render_outputs(open_submission(ROOT / "examples" / name))
        out[name] = (docx.Document(io.BytesIO(outputs["report.docx"])), None)
    return out


def _rows(table: Table) -> list[list[str]]:
    return [[c.text.replace("\n", "") for c in row.cells] for row in table.rows]


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _tables(document: docx.document.Document, first: str, second: str) -> list[Table]:
    """Returns the tables whose header row starts with ``first``, ``second``."""
    return [t for t in document.tables if _rows(t)[0][:2] == [first, second]]


def test_data_table_flows_as_one_table(built):
    """ensures 附表1 is one table that Word lets flow (#17: the estimated break left Luzhou's
    rows 13–18 and the seal on a page two-thirds empty): its header repeated, no page break of
    docgen's, lines exactly 15 pt as the forms' (Luzhou's table and seal now fit one page); a
    «其中» row keeps with its parent, and the last two rows with the seal lines under them."""
    from docgen.outputs.score_table import DATA_LINE_PT

    for name in ("luzhou-etc-2023", "gansu-demo-2022"):
        document, _ = built[name]
        parts = _tables(document, "序号", "指标名称")
        assert len(parts) == 1, name
        table = parts[0]._tbl
        rows = table.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        spacing = rows[1].find(f".//{W}pPr/{W}spacing")
        assert spacing is not None
        assert spacing.get(f"{W}line") == str(round(DATA_LINE_PT * 20))
        texts = _rows(parts[0])
        for index, row in enumerate(texts[1:-1], 1):  # a row above a «其中» row keeps with it
            if not texts[index + 1][0]:
                assert rows[index].find(f".//{W}keepNext") is not None, row
        after = "".join(table.getnext().itertext())
        sealed = after.startswith("填报单位（盖章）")
        assert rows[-2].find(f".//{W}keepNext") is not None
        assert (rows[-1].find(f".//{W}keepNext") is not None) == sealed, name
    rows = _rows(_tables(built["luzhou-etc-2023"][0], "序号", "指标名称")[0])
    assert len(rows) - 1 == 20  # 18 rows and two «其中»
    assert rows[-1][0] == "18"


def test_data_table_unit_column_holds_its_units(built):
    """ensures the 单位 column is wide enough for its longest unit on one line (#17: the demo's
    «万美/元», «百分/点»)."""
    from docgen.word.layout import FIGURE_PADDING_MM, HALF_EM_MM, display_width

    document, _ = built["gansu-demo-2022"]
    table = _tables(document, "序号", "指标名称")[0]
    widths = [int(g.get(f"{W}w")) / 1440 * 25.4 for g in table._tbl.findall(f"{W}tblGrid/{W}gridCol")]
    units = [row[2] for row in _rows(table)[1:]]
    assert "百分点" in units
    assert widths[2] >= max(display_width(u) for u in units) * HALF_EM_MM + FIGURE_PADDING_MM - 0.1


def test_scoring_notes_have_a_lead_in_kept_with_the_table(built):
    """ensures the notes under the 计分过程 follow a «说明：» lead-in (as the notice's tables print
    theirs) and, being short, are kept together and with the table's last two rows, so that no
    page holds the notes alone (#17: Luzhou's notes 5–10 stood alone on a landscape page)."""
    from docgen.outputs.score_process import SHORT_NOTES_PT, notes_pt
    from docgen.text.labels import TEXT

    for name in PROGRAMS:
        document, _ = built[name]
        parts = _tables(document, "序号", "指标")
        assert len(parts) <= 2, name
        if len(parts) == 2:  # the last two rows, estimated to start a page with the notes
            between = parts[0]._tbl.getnext()
            assert between.find(f"{W}pPr/{W}pageBreakBefore") is not None
            assert len(parts[1].rows) == 1 + 2
        table = parts[-1]._tbl
        rows = table.findall(f"{W}tr")
        lead = table.getnext()
        assert _text(lead) == TEXT["notes_heading"], name
        notes = []
        node = lead.getnext()
        while node is not None and node.tag == f"{W}p" and _text(node):
            notes.append(node)
            node = node.getnext()
        assert notes, name
        kept = [p.find(f"{W}pPr/{W}keepNext") is not None for p in (lead, *notes)]
        if notes_pt([_text(p) for p in notes]) <= SHORT_NOTES_PT:
            assert kept == [True] * len(notes) + [False], name
        else:  # long notes (Luzhou's ten) flow, their lead-in kept with the first
            assert kept == [True] + [False] * len(notes), name
        assert all(tr.find(f".//{W}keepNext") is not None for tr in rows[-2:])
        assert rows[-3].find(f".//{W}keepNext") is None
        if len(notes) > 1:
            assert _text(notes[0]).startswith("1. ")


def test_a_single_note_is_not_numbered():
    """ensures a single note under «说明：» prints without «1.», long notes keep only their
    lead-in with the first note (they flow), and a table without notes keeps no row."""
    from docgen.outputs.score_process import score_process_xml

    rows = [{"no": str(i), "title": "t", "explanation": "e"} for i in range(1, 5)]
    one = str(score_process_xml(rows, ["只此一条。"], {}))
    assert "只此一条。" in one
    assert "1. 只此一条" not in one
    assert one.count("<w:keepNext/>") == 3 * 2 + 1  # the last two rows (three cells) and the lead-in
    long = str(score_process_xml(rows, ["很长的说明" * 200, "第二条"], {}))
    assert long.count("<w:keepNext/>") == 3 * 2 + 1
    none = str(score_process_xml(rows, [], {}))
    assert "<w:keepNext/>" not in none

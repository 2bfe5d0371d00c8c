"""Issue #17 «Reports»: the application report's annex tables, sections, cover and labels.

附表2 is the program's own indicator system, scored (SPEC §7 «Fidelity to the notice»): per line
基本要求 and 满分值 (or the notice's 评价标准), data value, evaluated value, weight and score, the
group weights, and closing 基本分 / 加分 / 合计 rows inside the table; 附表1 carries the seal line
its attachment asks for; the cover and the contents are unnumbered and the body starts at
«— 1 —»; an alliance is 培育组建, not 认定; a program's own wording of a figure is its label.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
import pytest
from docx.table import Table

from docgen.app.build import render_outputs
from docgen.app.submission import Submission, evaluate_submission, open_submission
from docgen.numbers import fmt_fixed
from docgen.word.namespaces import W
from tests.conftest import ROOT

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "answers.yaml").exists())


@pytest.fixture(scope="module")
def built() -> dict[str, tuple[Submission, docx.document.Document, bytes]]:
    out = {}
    for name in EXAMPLES:
        sub = open_submission(ROOT / "examples" / name)
        outputs, _ = render_outputs(sub)
        data = outputs["report.docx"]
        out[name] = (sub, docx.Document(io.BytesIO(data)), data)
    return out


def _score_tables(document: docx.document.Document) -> list[Table]:
    """Returns the parts of 附表2 (it is cut where the pages end, each part with its header)."""
    return [t for t in document.tables if {"数据值", "评价值", "得分"} <= {c.text for c in t.rows[0].cells}]


def _score_table(document: docx.document.Document) -> Table:
    return _score_tables(document)[0]


def _header(table: Table) -> list[str]:
    return [c.text for c in table.rows[0].cells]


def _rows(table: Table) -> list[list[str]]:
    return [[c.text.replace("\n", "") for c in row.cells] for row in table.rows]


def _score_rows(document: docx.document.Document) -> list[list[str]]:
    """Returns the header and every line of 附表2 over all its parts."""
    parts = _score_tables(document)
    return _rows(parts[0])[:1] + [row for part in parts for row in _rows(part)[1:]]


def _last(texts: list[str], text: str) -> int:
    """Returns the index of the last paragraph ``text`` (the heading, not its contents entry)."""
    return len(texts) - 1 - texts[::-1].index(text)


def _all_text(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
        return "".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8")) for n in parts)


# -- 附表2 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_score_table_columns(built, name: str) -> None:
    """ensures that 附表2 shows the requirement (基本要求 and 满分值, or the notice's 评价标准),
    数据值, 评价值, 权重 and 得分 for every program."""
    sub, document, _ = built[name]
    header = _header(_score_table(document))
    assert {"数据值", "评价值", "权重", "得分", "单位"} <= set(header)
    criteria = any(i.criteria for i in sub.program.indicators)
    if criteria:
        assert "评价标准" in header
    else:
        assert "基本要求" in header
    assert header[-2:] == ["权重", "得分"]


def test_score_table_national_and_luzhou_have_basic_and_full(built) -> None:
    """ensures that the programs with 基本要求/满分要求 (national, Luzhou) print both per line."""
    for name in ("national-etc-2021", "luzhou-etc-2023"):
        table = _score_table(built[name][1])
        header = _header(table)
        assert header[:3] == ["一级指标", "二级指标", "三级指标"]
        assert header[3:5] == ["基本要求", "满分值"]
    rows = _score_rows(built["national-etc-2021"][1])
    line = next(r for r in rows if r[2] == "研发人员占企业职工总数的比重")
    assert line[3:5] == ["5", "30"] or (line[3] not in ("", "—") and line[4] not in ("", "—"))


def test_score_table_demo_has_met_column(built) -> None:
    """ensures that the demo report has 基本要求 and 达标情况 columns with 达标 and 未达标, as its
    note promises (对照基本要求逐项评价，达标得该项权重分)."""
    table = _score_table(built["gansu-demo-2022"][1])
    header = _header(table)
    assert "基本要求" in header
    assert "达标情况" in header
    column = header.index("达标情况")
    rows = _score_rows(built["gansu-demo-2022"][1])
    values = {row[column] for row in rows[1:]}
    assert {"达标", "未达标"} <= values
    line = next(r for r in rows if r[2] == "企业拥有的中国名牌产品或驰名商标数")
    assert line[header.index("基本要求")] == "≥1"
    assert line[column] == "未达标"
    assert line[-1] == "0.00"


@pytest.mark.parametrize("name", EXAMPLES)
def test_score_table_closing_rows(built, name: str) -> None:
    """ensures that 基本分 / 加分 / 合计 close the table with the card's numbers (no sentence
    outside the table carries the total)."""
    sub, document, _ = built[name]
    card = evaluate_submission(sub).claimed
    rows = _score_rows(document)
    last = rows[-1]
    assert last[0].startswith("合计")
    assert last[-1] == fmt_fixed(card.total)
    if sub.program.bonus:
        base, bonus = rows[-3], rows[-2]
        assert base[0] == "基本分"
        assert base[-1] == fmt_fixed(card.base_score)
        assert bonus[0] == "加分"
        assert bonus[-1] == fmt_fixed(card.bonus_score)
        assert bonus[-2].startswith("≤")
    # the label spans the leading columns: one merged cell
    table = _score_tables(document)[-1]
    tcs = table.rows[-1]._tr.findall(f"{W}tc")
    assert len(tcs) == 3
    notes = [p.text for p in document.paragraphs]
    assert not any(t.startswith("基本分") and "加分" in t for t in notes)


def test_score_table_luzhou_reference_total(built) -> None:
    """ensures that Luzhou's 合计 row says it is a 参考分 and the 二级 weights are printed."""
    rows = _score_rows(built["luzhou-etc-2023"][1])
    assert rows[-1][0] == "合计（参考分）"
    groups = {r[1] for r in rows[1:]}
    assert {"创新经费（20分）", "创新人才（15分）", "技术积累（14分）", "创新平台（11分）"} <= groups
    assert "创新投入（35分）" in {r[0] for r in rows}


@pytest.mark.parametrize("name", ["gansu-alliance-2022", "gansu-itc-2022"])
def test_score_table_one_group_level(built, name: str) -> None:
    """ensures that the ITC and alliance tables follow their own forms: 一级指标 with its weight,
    the indicator in the 二级指标 column (no empty 三级 column)."""
    table = _score_table(built[name][1])
    header = _header(table)
    assert header[:3] == ["一级指标", "二级指标", "评价标准"]
    assert "三级指标" not in header
    rows = _score_rows(built[name][1])
    if name == "gansu-alliance-2022":
        assert rows[1][:2] == ["产业联盟运行机制（10分）", "产业联盟管理制度建设"]
        assert "产业联盟牵头单位创新能力（40分）" in {r[0] for r in rows}
    else:
        line = next(r for r in rows if r[1] == "研发设备原值")
        assert line[0] == "研发设施（5分）"
        assert line[2].startswith("1300万以上得5分")


def _keeps(tr) -> bool:
    return tr.find(f".//{W}pPr/{W}keepNext") is not None


def test_score_table_flows_with_its_group_labels(built) -> None:
    """ensures that 附表2 is one table Word lets flow (#17: docgen's estimated page breaks left
    pages half empty): the header repeated, rows that never break, no page break after it; group
    cells merge vertically and restart, with their label, on each row estimated to start a page;
    the last two lines and the closing rows keep with the next (the note, then the seal)."""
    from docgen.outputs.score_table import (
        CELL_PADDING_MM,
        FLOW_BORDER_PT,
        FLOW_FIRST_PT,
        FLOW_NOTE_PT,
        FLOW_PAGE_PT,
        FLOW_SEAL_PT,
        MM_PER_UNIT,
        TABLE_LINE_PT,
        score_flow,
        score_grid,
    )
    from docgen.word.grid import page_starts, row_heights

    for name in EXAMPLES:
        sub, document, _ = built[name]
        card = evaluate_submission(sub).claimed
        parts = score_flow(sub.program, card, sub.catalog.rules, "合计")
        tables = _score_tables(document)
        assert len(tables) == len(parts) <= 2, name
        closing = 3 if sub.program.bonus else 1
        for table in tables:
            rows = table._tbl.findall(f"{W}tr")
            assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
            assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows[1:])
        if len(tables) == 2:  # the kept last run starts a page: a page break before it
            between = tables[0]._tbl.getnext()
            assert between.find(f"{W}pPr/{W}pageBreakBefore") is not None
            assert len(tables[1].rows) == 1 + closing + 2
            assert tables[1].rows[1].cells[0].text, name
        after = tables[-1]._tbl.getnext()
        assert after.find(f"{W}pPr/{W}pageBreakBefore") is None
        assert after.find(f"{W}pPr/{W}keepNext") is not None  # the note keeps with the seal
        rows = [tr for t in tables for tr in t._tbl.findall(f"{W}tr")[1:]]
        assert all(_keeps(tr) for tr in rows[-(closing + 2) :])
        assert not _keeps(rows[-(closing + 3)])
        grid = score_grid(sub.program, card, sub.catalog.rules, "合计")
        heights = row_heights(grid, TABLE_LINE_PT, MM_PER_UNIT, CELL_PADDING_MM, FLOW_BORDER_PT)
        starts = page_starts(grid, heights, FLOW_FIRST_PT, FLOW_PAGE_PT, FLOW_NOTE_PT + FLOW_SEAL_PT)
        for start in starts:  # the group label shown again where a page is estimated to begin
            if start < len(parts[0].rows):
                first = parts[0].rows[start].cells[0]
                assert first.merge != "continue", (name, start)
                assert first.text, (name, start)
    table = _score_table(built["luzhou-etc-2023"][1])
    body = table._tbl.findall(f"{W}tr")[1:]
    merges = [tr.findall(f"{W}tc")[0].find(f"{W}tcPr/{W}vMerge") for tr in body[:5]]
    assert merges[0] is not None
    assert merges[0].get(f"{W}val") == "restart"
    assert all(m is not None and m.get(f"{W}val") is None for m in merges[1:])


def test_page_starts_move_a_kept_chain_whole() -> None:
    """ensures that the estimate of Word's breaks moves a run of keep-with-next rows (with the
    tail under the last one) to the next page as a whole, and that ``flowed`` restarts a merged
    group cell there, as one table."""
    from docgen.word.grid import Grid, GridCell, GridRow, flowed, page_starts

    def grid(kept: int) -> Grid:
        out = Grid([10.0, 10.0])
        out.rows.append(GridRow((GridCell("h"), GridCell("h")), header=True))
        for index in range(10):
            merge = "restart" if index == 0 else "continue"
            cells = (GridCell("G", merge=merge), GridCell(str(index)))
            out.rows.append(GridRow(cells, keep_next=index >= 10 - kept))
        return out

    heights = [10.0] * 11
    assert page_starts(grid(0), heights, 100, 100, 0) == [10]  # nine rows on the first page
    assert page_starts(grid(3), heights, 100, 100, 0) == [8]  # rows 7–9 move together
    assert page_starts(grid(2), heights, 100, 100, 0) == [9]
    assert page_starts(grid(0), heights, 110, 110, 0) == []  # all ten fit
    assert page_starts(grid(0), heights, 110, 110, 15) == [10]  # the tail under the last row
    (flow,) = flowed(grid(3), heights, 100, 100, 0)
    assert len(flow.rows) == 11
    assert [r.cells[0].merge for r in flow.rows[6:11]] == [
        "continue",
        "continue",
        "restart",
        "continue",
        "continue",
    ]
    assert flow.rows[8].cells[0].text == "G"
    # a kept last run with a tail that starts a page is a second part (LibreOffice does not
    # keep a table's last row with the paragraph after it): header repeated, label restarted
    first, second = flowed(grid(3), heights, 100, 100, 15)
    assert [r.cells[1].text for r in second.rows] == ["h", "7", "8", "9"]
    assert second.rows[1].cells[0].merge == "restart"
    assert len(first.rows) == 8


def test_score_table_alliance_columns_fit(built) -> None:
    """ensures that the alliance's 一级 column is sized from its content: wide enough for its
    longest name in two lines (not six), and the table fits the landscape page."""
    from docgen.outputs.score_table import LANDSCAPE_TEXT_MM, MM_PER_UNIT

    table = _score_table(built["gansu-alliance-2022"][1])
    widths = [int(g.get(f"{W}w")) / 1440 * 25.4 for g in table._tbl.findall(f"{W}tblGrid/{W}gridCol")]
    assert sum(widths) == pytest.approx(LANDSCAPE_TEXT_MM, abs=0.5)
    longest = "产业联盟牵头单位创新能力（40分）"
    assert widths[0] * 2 >= len(longest) * 2 * MM_PER_UNIT
    assert widths[2] == max(widths)  # the criteria take the room


# -- 附表1 seal, 附表4 documents ---------------------------------------------------------------


def test_data_table_sealed(built) -> None:
    """ensures that Luzhou's 附表1 (附件3 is sealed) is followed by the seal and date lines."""
    sub, document, _ = built["luzhou-etc-2023"]
    texts = [p.text for p in document.paragraphs]
    start = _last(texts, "附表1　评价数据表")
    end = _last(texts, "附表2　自评得分表")
    section = texts[start:end]
    assert f"填报单位（盖章）：{sub.answers.company}" in section
    assert any(t.startswith("填报日期：") and "年" in t for t in section)


@pytest.mark.parametrize("name", ["gansu-etc-2022", "gansu-alliance-2022", "gansu-demo-2022"])
def test_score_table_sealed_for_sealed_forms(built, name: str) -> None:
    """ensures that a program whose 自评表 is sealed has the seal line under 附表2, sealed by the
    applicant or by the unit that seals for it (the alliance's 牵头单位)."""
    sub, document, _ = built[name]
    texts = [p.text for p in document.paragraphs]
    start, end = _last(texts, "附表2　自评得分表"), texts.index("计分过程")
    sealer = sub.answers.profile.get(sub.program.sealed_by) if sub.program.sealed_by else None
    assert f"填报单位（盖章）：{sealer or sub.answers.company}" in texts[start:end]


def test_national_has_no_seal_lines(built) -> None:
    """ensures that no seal line is invented where no attachment asks for one."""
    _, document, _ = built["national-etc-2021"]
    assert not any(p.text.startswith("填报单位（盖章）") for p in document.paragraphs)


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_file_paths(built, name: str) -> None:
    """ensures that the report names documents by their checklist titles, never by a path."""
    _, document, data = built[name]
    text = _all_text(data)
    assert "evidence/" not in text
    assert ".pdf" not in text
    evidence = next(t for t in document.tables if _header(t) == ["类别", "材料", "页数", "状态"])
    assert len(evidence.rows) > 2


# -- sections and page numbers --------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_sections_and_page_numbers(built, name: str) -> None:
    """ensures that cover and contents form an unnumbered section and the body restarts at 1."""
    _, document, _ = built[name]
    sections = document.sections
    assert len(sections) == 4
    cover_footer = sections[0].footer._element
    assert "PAGE" not in "".join(cover_footer.itertext())
    body = sections[1]
    number = body._sectPr.find(f"{W}pgNumType")
    assert number is not None
    assert number.get(f"{W}start") == "1"
    assert not body.footer.is_linked_to_previous
    assert "PAGE" in "".join(body.footer._element.itertext())
    assert sections[2].page_width > sections[2].page_height  # 附表2 landscape
    for later in (sections[2], sections[3]):
        assert later._sectPr.find(f"{W}pgNumType") is None  # numbering continues
        assert later.footer.is_linked_to_previous
    # the contents are in the first section, the body title in the second
    texts = [p.text for p in document.paragraphs]
    contents = texts.index("目　　录")
    breaks = [i for i, p in enumerate(document.paragraphs) if p._p.find(f"{W}pPr/{W}sectPr") is not None]
    assert contents < breaks[0] < _last(texts, "附表1　评价数据表")


# -- cover ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_cover_has_credit_code(built, name: str) -> None:
    """ensures that every cover prints the 统一社会信用代码."""
    sub, document, _ = built[name]
    cover = document.tables[0]
    row = next(r for r in cover.rows if r.cells[0].text.startswith("统一社会信用代码"))
    code = str(sub.answers.profile["credit_code"])
    assert len(code) == 18
    assert row.cells[1].text == code


def test_alliance_cover_says_peiyu_zujian(built) -> None:
    """ensures that the alliance's cover takes the kind's wording from its definition: an
    alliance is 培育组建 (seed 000: 甘肃省产业技术创新联盟培育组建), not 认定."""
    _, document, _ = built["gansu-alliance-2022"]
    texts = [p.text for p in document.paragraphs]
    assert "（培育组建）" in texts
    assert "（认定）" not in texts
    _, other, _ = built["gansu-etc-2022"]
    assert "（认定）" in [p.text for p in other.paragraphs]


def test_kind_titles_must_name_a_kind(catalog) -> None:
    """ensures that a kind_titles entry for a kind the program does not have is an error."""
    from docgen.definitions.programs import build_program
    from docgen.sources.yamlio import parse_yaml

    text = (ROOT / "programs" / "gansu-alliance-2022.yaml").read_text("utf-8")
    text = text.replace("kind_titles: {认定: 培育组建}", "kind_titles: {评价: 培育组建}")
    program, findings = build_program(parse_yaml(text, "x.yaml"), catalog)
    assert program is None
    assert any("kind_titles" in d.location.path for d in findings)


# -- the program's own labels ---------------------------------------------------------------


def _explanations(document: docx.document.Document) -> dict[str, str]:
    table = next(t for t in document.tables if _header(t) == ["序号", "指标", "计算过程"])
    return {r.cells[1].text: r.cells[2].text for r in table.rows[1:]}


def test_alliance_label_in_explanations(built) -> None:
    """ensures that the alliance's explanation uses its data table's words."""
    _, document, data = built["gansu-alliance-2022"]
    text = _explanations(document)["集聚创新资源，解决行业发展关键和共性技术难题"]
    assert "解决行业发展关键和共性技术难题数3个" in text
    assert "年为企业解决技术难题数" not in _all_text(data)


def test_itc_label_in_explanations(built) -> None:
    """ensures that the ITC report says 研发设备原值 (its form), not the shared label."""
    _, document, data = built["gansu-itc-2022"]
    assert _explanations(document)["研发设备原值"].startswith("研发设备原值1300万元")
    assert "企业技术开发仪器设备原值" not in _all_text(data)


def test_shared_label_still_used_elsewhere(built) -> None:
    """ensures that a program without its own wording keeps the shared label."""
    _, document, _ = built["luzhou-etc-2023"]
    rows = _score_rows(document)
    assert any(r[2] == "企业技术开发仪器设备原值" for r in rows)


def test_alliance_label_in_diagnostics(tmp_path: Path) -> None:
    """ensures that a finding about a figure names it as the program's data table does, and
    that the shared label is still accepted as a key."""
    folder = tmp_path / "alliance"
    shutil.copytree(ROOT / "examples" / "gansu-alliance-2022", folder)
    answers = folder / "answers.yaml"
    text = answers.read_text("utf-8")
    assert re.search(r"^\s+solved_problems: 3", text, re.M)
    answers.write_text(
        re.sub(r"(^\s+)solved_problems: 3", r"\1solved_problems: -3", text, flags=re.M), "utf-8"
    )
    sub = open_submission(folder)
    messages = [d.message for d in sub.diagnostics if "难题" in d.message]
    assert messages
    assert all("解决行业发展关键和共性技术难题数" in m for m in messages)
    assert sub.catalog.fields["solved_problems"].label == "解决行业发展关键和共性技术难题数"
    assert "年为企业解决技术难题数" in sub.catalog.fields["solved_problems"].aliases


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_report_names_the_notice_as_it_names_itself(built, name: str) -> None:
    """ensures that where the report speaks of the program's own document («本通知», «本指南»,
    «本评价方法»), it uses the word the program's definition gives, never another kind."""
    sub, _, data = built[name]
    text = _all_text(data)
    own = sub.program.document_kind
    for kind in ("办法", "通知", "指南", "评价方法"):
        if kind != own and not own.endswith(kind):
            assert f"本{kind}" not in text, (name, kind)
    if "未设限定性指标" in text:
        assert f"本{own}未设限定性指标。" in text
    if name == "gansu-alliance-2022":
        assert "本通知未设限定性指标。" in text


def test_rated_lines_show_their_rating_word(built) -> None:
    """ensures that a line scored on a 自评 rating shows the rating word as its data and
    evaluated value in 附表2 (not «—»), and its score is the points of that word."""
    sub, document, _ = built["gansu-alliance-2022"]
    rows = _score_rows(document)
    header = rows[0]
    line = next(r for r in rows if "产业联盟管理制度建设" in r)
    value, evaluated = line[header.index("数据值")], line[header.index("评价值")]
    assert value == evaluated == sub.answers.ratings["management"] == "比较完善"
    assert line[-1] == "3.00"  # 比较完善得3分

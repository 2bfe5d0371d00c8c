"""The missing-evidence report and the evidence bundle as a bureau reads them (#17, round 3)."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for name in ("national-etc-2021", "gansu-alliance-2022", "gansu-itc-2022"):
        folder = tmp_path_factory.mktemp(name)
        subprocess.run(
            [sys.executable, "-m", "docgen", "build", str(ROOT / "examples" / name), "-o", str(folder)],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        out[name] = folder
    return out


def _text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _tables(path: Path) -> list[list[list[str]]]:
    """Returns the report's three tables (二, 三, 四) as rows of cell texts, header row first; a
    材料 table, printed as one table per group under its 类别 row, is read back as one table whose
    first column is the 类别, its title and identifier lines joined."""
    tables: list[list[list[str]]] = [[], [], []]
    part = 0
    for table in Document(str(path)).tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0][-1] == "影响":
            tables[1], part = rows, 2
            continue
        group = rows[1][0]
        body = [[group, *(cell.replace("\n", "") for cell in row)] for row in rows[2:]]
        tables[part] = tables[part] or [["类别", *rows[0]]]
        tables[part] += body
    return tables


def test_every_figure_cut_to_zero_names_its_missing_document(built):
    """point 1: the bare counts cut to 0 name the item proof they lack, it counts as missing and
    section 四 lists it."""
    path = built["national-etc-2021"] / "missing-evidence.docx"
    text = _text(path)
    assert "缺失或无法使用的材料4项，其中必需材料1项。" in text
    problems, shortfalls, documents = _tables(path)
    missing = {row[1] for row in problems[1:]}
    assert {"高级专家和博士证明（职称、学位证书）", "有效发明专利证书", "专利申请受理通知书"} <= missing
    rows = {row[0].split("\n")[0]: row for row in shortfalls[1:]}
    assert "缺：有效发明专利证书" in rows["企业拥有的全部有效发明专利数"][0]
    assert "缺：专利申请受理通知书" in rows["当年被受理的发明专利申请数"][0]
    assert "缺：经审计的财务报告" in rows["利润率"][0]
    listed = {(row[1], row[4]) for row in documents[1:]}
    assert ("专利申请受理通知书", "缺失") in listed


def test_differences_and_values_are_consistent(built):
    """points 3 and 4: a rounding gap is explained; values carry units and the report's digits."""
    path = built["national-etc-2021"] / "missing-evidence.docx"
    text = _text(path)
    assert "相差50.64分" in text
    assert "表中各项影响之和为50.65分，与总分相差50.64分略有出入，系各项得分四舍五入所致。" in text
    shortfalls = _tables(path)[1]
    effects = sum(Decimal(row[5]) for row in shortfalls[1:])
    assert effects == Decimal("-50.65")
    claimed = {row[0].split("\n")[0]: row[1] for row in shortfalls[1:]}
    assert claimed["技术中心拥有的高级专家和博士人数"] == "42人"
    assert claimed["研发经费支出占主营业务收入的比重"] == "4.00%"
    assert not any(re.search(r"\.\d{3,}", row[1]) for row in shortfalls[1:])


def test_qualitative_lines_and_zero_effects(built):
    """point 5: a rated line is «无证明材料», not «无法计算»; a cut without effect is a sentence."""
    path = built["gansu-alliance-2022"] / "missing-evidence.docx"
    shortfalls = _tables(path)[1]
    rows = {row[0].split("\n")[0]: row for row in shortfalls[1:]}
    assert rows["产业联盟中长期发展规划"][1:3] == ["较好", "无证明材料"]
    assert rows["高层次人才"][2] == "无证明材料"
    assert all(row[5] != "+0.00" for row in shortfalls[1:])
    assert "近3年获专利等知识产权数量" not in rows
    assert "下列指标的数据经核减，但得分不变：近3年获专利等知识产权数量（6件核减为2件）。" in _text(path)


def test_no_scoring_notes_and_plain_explanation(built):
    """point 6: section 五 has no scoring notes; the explanation reads as an official's."""
    for name in built:
        text = _text(built[name] / "missing-evidence.docx")
        assert "五、说明" not in text
        assert "计分" not in text
        assert "所列文件不存在" not in text
    assert "只填报数量、未逐项提供的，按缺失计。" in _text(
        built["national-etc-2021"] / "missing-evidence.docx"
    )


def test_signature_never_breaks(built):
    """point 2: a long 署名 in whole lines (the ITC's, broken before «（»), indents within the
    width, kept together; the alliance's 牵头单位 seals under «牵头单位（盖章）：» (summary17b)."""
    alliance = Document(str(built["gansu-alliance-2022"] / "missing-evidence.docx")).paragraphs
    at = next(i for i, p in enumerate(alliance) if p.text == "2022年7月15日")
    assert alliance[at - 1].text == "牵头单位（盖章）：甘肃陇药科技集团有限公司"
    doc = Document(str(built["gansu-itc-2022"] / "missing-evidence.docx"))
    paragraphs = doc.paragraphs
    date = next(i for i, p in enumerate(paragraphs) if p.text == "2022年4月18日")
    assert [p.text for p in paragraphs[date - 2 : date]] == [
        "甘肃省建材行业技术中心",
        "（甘肃建材科学研究院有限公司）",
    ]
    for p in paragraphs[date - 4 : date + 1]:
        ind = p._p.find(f"{W}pPr/{W}ind")
        if ind is not None:
            right = int(ind.get(f"{W}right"))
            assert right + len(p.text) * 2 * 160 <= 8844
    for p in paragraphs[date - 4 : date]:
        assert p.paragraph_format.keep_with_next


def test_bundle_binds_every_missing_document(built):
    """point 8: the alliance bundle lists its three missing documents «（缺）» and binds no sheet
    for them (summary17b); the cover names the alliance and its 牵头单位 under «牵头单位（盖章）：»,
    as the report's cover; stamp 9 pt at least 10 mm from the top."""
    reader = PdfReader(str(built["gansu-alliance-2022"] / "evidence-bundle.pdf"))
    contents = reader.pages[1].extract_text()
    for title in ("联盟中长期发展规划", "院士、国家级人才、省领军人才证明"):
        assert f"{title}（缺）" in contents.replace("\n", "")
    pages = [p.extract_text() for p in reader.pages]
    assert sum("该证明材料未提供" in t for t in pages) == 0
    cover = pages[0]
    assert "联盟名称：甘肃陇药中药材产业技术创新联盟" in cover
    assert "牵头单位（盖章）：甘肃陇药科技集团有限公司" in cover
    assert "申报单位（盖章）" not in cover
    content = reader.pages[2].get_contents().get_data().decode("latin-1")
    match = re.search(
        r"/DocgenStamp (\d+(?:\.\d+)?) Tf [-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ ([-\d.]+) Tm", content
    )
    assert match
    size, y = float(match.group(1)), float(match.group(2))
    assert size == 9
    top = float(reader.pages[2].mediabox.top)
    assert top - (y + size) >= 10 * 72 / 25.4

"""Issue #17, the appendices: the missing-evidence report reads as an official document and the
evidence bundle has a cover, contents with the checklist's groups, embedded fonts and a stamp
clear of a document's own page number."""

from __future__ import annotations

import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from docgen.cli.main import cli
from docgen.outputs import cff_font
from docgen.outputs.bundle_pages import STAMP_RIGHT, STAMP_SIZE, STAMP_TOP, stamp_position
from docgen.outputs.missing import CELL_MARGIN, NAME_LIMIT, TEXT_WIDTH, UNIT, widest_token
from docgen.word.layout import display_width, wrap_lines

ROOT = Path(__file__).parent.parent
PROGRAMS = [
    "luzhou-etc-2023",
    "gansu-etc-2022",
    "gansu-itc-2022",
    "gansu-demo-2022",
    "gansu-alliance-2022",
    "national-etc-2021",
]
COVER = {
    "luzhou-etc-2023": ("泸州川锐智能装备股份有限公司", "泸州市企业技术中心认定评价", "2022"),
    "gansu-etc-2022": ("兰州金诚新材料科技有限公司", "", "2021"),
}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("appendices")
    for program in PROGRAMS:
        result = CliRunner().invoke(
            cli, ["build", str(ROOT / "examples" / program), "-o", str(out / program)]
        )
        assert result.exit_code == 0, result.output
    return {program: out / program for program in PROGRAMS}


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(path).paragraphs if p.text.strip()]


def _all_text(path: Path) -> str:
    doc = Document(path)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


# -- the missing-evidence report --


@pytest.mark.parametrize("program", PROGRAMS)
def test_difference_is_computed_from_the_printed_figures(builds: dict[str, Path], program: str) -> None:
    """ensures «相差» is the printed claimed total minus the printed evidenced total (it said
    相差1.83 for 88.52 − 86.68), in the .docx and the .md."""
    pattern = re.compile(r"为(\d+\.\d\d)分，按证明材料核定的得分为(\d+\.\d\d)分，相差(-?\d+\.\d\d)分")
    md = (builds[program] / "missing-evidence.md").read_text(encoding="utf-8")
    for text in (md, "\n".join(_paragraphs(builds[program] / "missing-evidence.docx"))):
        claimed, evidenced, difference = pattern.search(text).groups()  # type: ignore[union-attr]
        assert Decimal(difference) == Decimal(claimed) - Decimal(evidenced)


def test_shortfall_effects_are_differences_of_the_printed_scores(builds: dict[str, Path]) -> None:
    """ensures each 核减 line's 影响 is its printed 核减后得分 minus its printed 填报得分."""
    rows = []
    for program in PROGRAMS:
        for table in Document(builds[program] / "missing-evidence.docx").tables:
            if table.rows[0].cells[-1].text == "影响":
                rows += [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) >= 10
    for row in rows:
        assert Decimal(row[5]) == Decimal(row[4]) - Decimal(row[3]), row
        assert row[5].startswith(("+", "-"))


@pytest.mark.parametrize("program", PROGRAMS)
def test_no_file_paths_and_documents_named_by_title(builds: dict[str, Path], program: str) -> None:
    """ensures no «evidence/…» and no «.pdf» appears: documents are named by their checklist titles,
    an item's identifier in its own column."""
    md = (builds[program] / "missing-evidence.md").read_text(encoding="utf-8")
    docx = _all_text(builds[program] / "missing-evidence.docx")
    for text in (md, docx):
        assert "evidence/" not in text
        assert ".pdf" not in text.lower()
        assert ".docx" not in text.lower()
    header = Document(builds[program] / "missing-evidence.docx").tables[-1].rows[0].cells
    assert [c.text for c in header] == ["材料名称", "所列编号或名称", "页数", "状态"]


def test_unproved_and_undefined_texts_stay(builds: dict[str, Path]) -> None:
    """ensures «无证明材料» and «无法计算» are still printed for the national example."""
    text = _all_text(builds["national-etc-2021"] / "missing-evidence.docx")
    assert "无证明材料" in text
    assert "无法计算" in text


@pytest.mark.parametrize("program", PROGRAMS)
def test_official_heading_and_signature(builds: dict[str, Path], program: str) -> None:
    """ensures the report opens with its title, 申报单位 and 申报项目, and ends with the applicant's
    name above the date (the date starting two characters right of the name, GB/T 9704)."""
    path = builds[program] / "missing-evidence.docx"
    doc = Document(path)
    texts = _paragraphs(path)
    company = texts[1].removeprefix("申报单位：")
    assert texts[0] == "证明材料缺失情况报告"
    assert texts[1].startswith("申报单位：")
    assert texts[2].startswith("申报项目：")
    assert re.fullmatch(r"报告年度：20\d\d年", texts[3])
    if program == "gansu-alliance-2022":  # no seal of its own: its 牵头单位 seals, as on the cover
        company = "牵头单位（盖章）：甘肃陇药科技集团有限公司"
    # a name wider than the text block is broken into whole lines before its last «（» (appendix-fix2)
    lines = 1 if texts[-2] == company else 2
    assert "".join(texts[-1 - lines : -1]) == company
    assert re.fullmatch(r"20\d\d年\d{1,2}月\d{1,2}日", texts[-1])
    md = (builds[program] / "missing-evidence.md").read_text(encoding="utf-8").rstrip().splitlines()
    assert md[-1 - lines :] == [*texts[-1 - lines : -1], texts[-1]]
    name, date = [p for p in doc.paragraphs if p.text.strip()][-2:]
    indents = [int(p._p.pPr.find(qn("w:ind")).get(qn("w:right"))) for p in (name, date)]
    assert name.alignment == date.alignment == 2  # right
    name_start = indents[0] + display_width(name.text) * 160  # twips from the right margin
    date_start = indents[1] + display_width(date.text) * 160
    assert indents[0] >= 0
    if display_width(name.text) >= display_width(date.text) + 4:
        assert name_start - date_start == 4 * 160  # two characters


@pytest.mark.parametrize("program", PROGRAMS)
def test_column_widths_keep_names_and_titles_whole(builds: dict[str, Path], program: str) -> None:
    """ensures the widths of the 材料 tables add up to the text width, no token of a title or
    identifier is wider than its column (no mid-word break), and a name or number of up to
    NAME_LIMIT units stays on one line (docgen.word.layout's measure at 五号)."""
    doc = Document(builds[program] / "missing-evidence.docx")
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == "材料名称"]
    assert tables
    for table in tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) == TEXT_WIDTH
        rooms = [(w - 2 * CELL_MARGIN) / UNIT for w in grid]
        for row in table.rows[2:]:  # under the column headings and the group's row
            cells = [c.text for c in row.cells]
            for text, room in zip(cells, rooms, strict=True):
                assert widest_token(text) <= room, (text, room)
                assert all(len(wrap_lines(line, room)) == 1 for line in text.split("\n")), (text, room)
            if cells[1] and display_width(cells[1]) <= NAME_LIMIT:
                assert "\n" not in cells[1]
            cell_w = [int(c._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for c in row.cells]
            assert cell_w == grid


@pytest.mark.parametrize("program", PROGRAMS)
def test_shortfall_figures_are_not_broken(builds: dict[str, Path], program: str) -> None:
    """ensures the 核减 table's columns are sized from its cells: «无证明材料», «核减后得分» and every
    figure stay on one line, the indicator's name wraps between words only."""
    doc = Document(builds[program] / "missing-evidence.docx")
    for table in [t for t in doc.tables if t.rows[0].cells[-1].text == "影响"]:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) == TEXT_WIDTH
        rooms = [(w - 2 * CELL_MARGIN) / UNIT for w in grid]
        for row in table.rows:
            cells = [c.text for c in row.cells]
            assert widest_token(cells[0]) <= rooms[0]
            for text, room in zip(cells[1:], rooms[1:], strict=True):
                assert len(wrap_lines(text, room)) == 1, (text, room)


def test_person_names_are_listed_whole(builds: dict[str, Path]) -> None:
    """ensures the Luzhou report lists each person in a row of its own under the title, one name
    per row (it broke «李建|国» at the end of a line)."""
    tables = Document(builds["luzhou-etc-2023"] / "missing-evidence.docx").tables
    section = [t for t in tables if t.rows[1].cells[0].text == tables[-1].rows[1].cells[0].text]
    rows = [r for t in section for r in t.rows]  # its last rows may be a table on the closing's page
    names = [r.cells[1].text for r in rows if r.cells[0].text.startswith("技术中心高级职称")]
    assert names[:3] == ["李建国", "陈志远", "刘海涛"]
    assert len(names) == 12


# -- the evidence bundle --


def _bundle(builds: dict[str, Path], program: str) -> PdfReader:
    return PdfReader(builds[program] / "evidence-bundle.pdf")


def _font_files(reader: PdfReader, pages: range) -> list[tuple[str, bool]]:
    """Returns (base font, embedded) of the fonts docgen's own pages use."""
    out = []
    for index in pages:
        fonts = reader.pages[index]["/Resources"]["/Font"]
        for name in ("/DocgenCJK", "/DocgenStamp"):
            if name not in fonts:
                continue
            font = fonts[name].get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            embedded = "/FontFile2" in descriptor or "/FontFile3" in descriptor
            out.append((str(font["/BaseFont"]), embedded))
    return out


@pytest.mark.parametrize("program", PROGRAMS)
def test_cover_and_contents_with_group_headings(builds: dict[str, Path], program: str) -> None:
    """ensures page 1 is the cover (program, «证明材料汇编», applicant, year, no stamp) and page 2
    the contents with the checklist's group headings «一、…» in order."""
    reader = _bundle(builds, program)
    cover = reader.pages[0].extract_text()
    md = (builds[program] / "missing-evidence.md").read_text(encoding="utf-8")
    company = re.search(r"^申报单位：(.+)$", md, re.M).group(1)  # type: ignore[union-attr]
    program_title = re.search(r"^申报项目：(.+)$", md, re.M).group(1)  # type: ignore[union-attr]
    year = re.search(r"^报告年度：(\d{4})年$", md, re.M).group(1)  # type: ignore[union-attr]
    flat = cover.replace("\n", "")
    assert "证明材料汇编" in cover
    assert company in flat
    assert program_title in flat
    assert f"报告年度：{year}年" in cover
    assert "第1页" not in cover
    if program in COVER:
        assert COVER[program][0] == company
        assert COVER[program][2] == year
    contents = reader.pages[1].extract_text()
    assert "证明材料目录" in contents
    groups = [item.title for item in reader.outline if not isinstance(item, list)][1:]
    numerals = "一二三四五六七八九十"
    positions = [contents.find(f"{numerals[k]}、{group}") for k, group in enumerate(groups)]
    assert -1 not in positions, (groups, contents)
    assert positions == sorted(positions)


@pytest.mark.parametrize("program", PROGRAMS)
def test_no_placeholder_wording(builds: dict[str, Path], program: str) -> None:
    """ensures no page says «占位» or «缺：», and no sheet is bound in for a missing document
    (summary17b): the contents marks it «（缺）» without a page number."""
    reader = _bundle(builds, program)
    texts = [p.extract_text() for p in reader.pages]
    assert not [t for t in texts if "占位" in t or "缺：" in t]
    assert not [t for t in texts if "（该证明材料未提供）" in t]
    contents = "".join(texts[1:3])
    marked = [line for line in contents.splitlines() if line.endswith("（缺）")]
    assert len(marked) == contents.count("（缺）")  # never followed by a page number


def test_missing_document_marked_in_the_contents(builds: dict[str, Path]) -> None:
    """ensures the Luzhou example's missing 现金流量表 is listed «（缺）» without a page and has
    no page of its own; the next document's page follows the one before it."""
    texts = [p.extract_text() for p in _bundle(builds, "luzhou-etc-2023").pages]
    lines = texts[1].splitlines()
    at = next(i for i, line in enumerate(lines) if "企业现金流量表" in line)
    assert re.fullmatch(r"\d+\. 企业现金流量表（缺）", lines[at])
    before, after = (int(lines[i].rsplit(" ", 1)[1]) for i in (at - 1, at + 1))
    assert after == before + 1  # the statement before it has one page
    assert not [t for t in texts[2:] if t.splitlines()[0] == "企业现金流量表"]


@pytest.mark.parametrize("program", PROGRAMS)
def test_fonts_embedded_when_a_cjk_font_is_installed(builds: dict[str, Path], program: str) -> None:
    """ensures docgen's own pages use one font, embedded (FontFile3, a subset «ABCDEF+…») when
    the machine has a CJK font, else the built-in STSong-Light, which the report's 说明 names."""
    reader = _bundle(builds, program)
    fonts = set(_font_files(reader, range(len(reader.pages))))
    note = "未安装中文字体" in (builds[program] / "missing-evidence.md").read_text(encoding="utf-8")
    if cff_font.find_face() is not None:
        assert len(fonts) == 1
        ((name, embedded),) = fonts
        assert embedded
        assert re.fullmatch(r"/[A-Z]{6}\+[A-Za-z0-9-]+", name)
        assert not note
    else:
        assert {embedded for _, embedded in fonts} == {False}
        assert note


def _built_without_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cff_font, "FONT_CANDIDATES", ())
    monkeypatch.delenv(cff_font.ENVIRONMENT, raising=False)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(ROOT / "examples" / "luzhou-etc-2023"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_fallback_font_is_the_builtin_cid_font_and_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ensures that without a CJK font the bundle's own pages use STSong-Light (not embedded),
    their text still reads, and the missing-evidence report says so under 说明."""
    out = _built_without_font(tmp_path, monkeypatch)
    reader = PdfReader(out / "evidence-bundle.pdf")
    assert set(_font_files(reader, range(len(reader.pages)))) == {("/STSong-Light", False)}
    assert "证明材料汇编" in reader.pages[0].extract_text()
    assert "一、企业对报送资料的真实性、完整性承诺" in reader.pages[1].extract_text()
    assert "证明材料汇编　第2页" in reader.pages[1].extract_text()
    md = (out / "missing-evidence.md").read_text(encoding="utf-8")
    assert "未安装中文字体" in md
    assert "未安装中文字体" in "".join(_paragraphs(out / "missing-evidence.docx"))


def test_font_override_and_search_are_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ensures DOCGEN_BUNDLE_FONT naming something that is not a font falls through to the fixed
    list, and that a font given there is the one used (the first candidate found otherwise)."""
    junk = tmp_path / "junk.otf"
    junk.write_bytes(b"not a font")
    monkeypatch.setenv(cff_font.ENVIRONMENT, str(junk))
    monkeypatch.setattr(cff_font, "FONT_CANDIDATES", ())
    assert cff_font.find_face() is None
    installed = [p for p in cff_font.FONT_CANDIDATES if Path(p).exists()]
    if installed:
        copy = tmp_path / "font.ttc"
        shutil.copyfile(installed[0], copy)
        monkeypatch.setenv(cff_font.ENVIRONMENT, str(copy))
        face = cff_font.find_face()
        assert face is not None
        assert face.path == str(copy)


def _charstrings(cff: bytes) -> tuple[list[bytes], dict[int, list[float]]]:
    _, pos = cff_font._index(cff, cff[2])
    tops, _ = cff_font._index(cff, pos)
    ops = {op: operands for op, operands, _ in cff_font._dict(cff[tops[0][0] : tops[0][1]])}
    spans, _ = cff_font._index(cff, int(ops[17][0]))
    return [cff[s:e] for s, e in spans], ops


def test_a_font_without_cff_outlines_is_refused() -> None:
    """ensures a TrueType (or any other) file is not taken for the CFF font docgen can subset."""
    with pytest.raises(cff_font.FontError):
        cff_font.read_face(b"\x00\x01\x00\x00" + b"\x00" * 12)
    with pytest.raises(cff_font.FontError):
        cff_font.read_face(b"OTTO\x00\x00")


def test_subset_keeps_the_glyphs_used() -> None:
    """ensures the CFF subset has glyph 0 and the glyphs asked for, in order, with their own
    charstrings, and is a small part of the font (when the machine has a CJK font: on one without,
    the fallback test covers the bundle)."""
    face = cff_font.find_face()
    if face is None:
        assert _built_fonts_fallback_only()
        return
    glyphs = [0, *sorted({face.glyph(c) for c in "证明材料汇编第12页"})]
    subset = cff_font.subset_cff(face.cff, glyphs)
    assert len(subset) < len(face.cff) // 50
    new, ops = _charstrings(subset)
    old, _ = _charstrings(face.cff)
    assert ops[1234] == [len(glyphs)]  # CIDCount
    assert new == [old[g] for g in glyphs]


def _built_fonts_fallback_only() -> bool:
    return all(not Path(p).exists() for p in cff_font.FONT_CANDIDATES)


def test_rebuilt_bundle_is_byte_identical(tmp_path: Path) -> None:
    """ensures the same machine gives the same bundle bytes (the font found, its subset, the tag)."""
    data = []
    for name in ("a", "b"):
        result = CliRunner().invoke(
            cli, ["bundle", str(ROOT / "examples" / "gansu-etc-2022"), "-o", str(tmp_path / f"{name}.pdf")]
        )
        assert result.exit_code == 0, result.output
        data.append((tmp_path / f"{name}.pdf").read_bytes())
    assert data[0] == data[1]


def _positions(page) -> list[tuple[float, float, str]]:  # type: ignore[no-untyped-def]
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("program", ["luzhou-etc-2023", "gansu-etc-2022"])
def test_stamp_is_clear_of_the_documents_own_page_number(builds: dict[str, Path], program: str) -> None:
    """ensures on every bound document page the stamp sits in the top margin, right-aligned, small,
    and no text of the document comes near it, while the document's own page number (at its foot)
    stays alone there."""
    reader = _bundle(builds, program)
    checked = 0
    for number, page in enumerate(reader.pages, 1):
        if number <= 2 or "/DocgenCJK" in page["/Resources"]["/Font"]:
            continue  # cover, contents, docgen's own pages
        height, width = float(page.mediabox.height), float(page.mediabox.width)
        positions = _positions(page)
        stamps = [p for p in positions if "证明材料汇编" in p[2]]
        assert len(stamps) == 1
        x, y, _ = stamps[0]
        assert y == pytest.approx(height - STAMP_TOP, abs=0.5)
        assert x > width / 2
        others = [p for p in positions if p is not stamps[0]]
        assert all(oy < y - STAMP_SIZE for _, oy, _ in others)  # nothing of the page up there
        feet = [p for p in others if p[1] < 60]
        assert all(fy < height / 2 for _, fy, _ in feet)
        checked += 1
    assert checked >= 10


def test_stamp_position_on_turned_pages() -> None:
    """ensures a page shown turned (/Rotate) gets its stamp upright in the top-right of what is shown."""
    box = (0.0, 0.0, 595.0, 842.0)
    a, b, c, d, x, y = stamp_position(box, 0, 100)
    assert (a, b, c, d) == (1, 0, 0, 1)
    assert (x, y) == (595 - STAMP_RIGHT - 100, 842 - STAMP_TOP)
    # turned 90° clockwise: shown 842 wide, 595 high; its top-right is the user space's top-left
    a, b, c, d, x, y = stamp_position(box, 90, 100)
    assert (a, b, c, d) == (0, 1, -1, 0)
    assert x == pytest.approx(STAMP_TOP)
    assert y == pytest.approx(842 - STAMP_RIGHT - 100)
    a, b, c, d, x, y = stamp_position(box, 180, 100)
    assert (x, y) == (STAMP_RIGHT + 100, STAMP_TOP)
    a, b, c, d, x, y = stamp_position(box, 270, 100)
    assert x == pytest.approx(595 - STAMP_TOP)
    assert y == pytest.approx(STAMP_RIGHT + 100)


def test_bundle_reason_for_an_unusable_file(tmp_path: Path) -> None:
    """ensures a required document whose file cannot be used is bound as no sheet at all: the
    contents lists it «（缺）» (the missing-evidence report says why)."""
    from docgen.model.results import DocumentStatus, EvidenceReport
    from docgen.outputs.bundle import render_bundle

    documents = [
        DocumentStatus("a", "企业资产负债表", "相关统计和财务报表", "evidence/a.pdf", "encrypted", None, True)
    ]
    data, _ = render_bundle(tmp_path, EvidenceReport(documents, None, []), "证明材料汇编")  # type: ignore[arg-type]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2  # the cover and the contents
    assert "1. 企业资产负债表（缺）" in reader.pages[1].extract_text()

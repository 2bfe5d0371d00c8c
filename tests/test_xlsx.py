"""answers.xlsx (SPEC §9): the fill-in workbook of ``init --xlsx``, reading it as an answers file
with findings on their cells, ``convert`` between .yaml/.json/.xlsx, and hostile workbooks."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from docgen.cli.main import cli
from docgen.sources.workbook import MAX_MEMBER_BYTES, load_workbook_document, parse_workbook

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "answers.yaml").is_file())


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def as_workbook(tmp_path: Path, name: str) -> Path:
    """A copy of the example ``name`` whose answers are converted to answers.xlsx."""
    folder = tmp_path / name
    shutil.copytree(ROOT / "examples" / name, folder)
    code, _, err = run("convert", folder / "answers.yaml", folder / "answers.xlsx")
    assert code == 0, err
    (folder / "answers.yaml").unlink()
    return folder


def findings(folder: Path) -> list[tuple[str, str, str, str]]:
    _code, out, _ = run("check", folder, "--json")
    data = json.loads(out)
    return sorted((d["severity"], d["code"], d["path"], d["message"]) for d in data["diagnostics"])


def key_cells(ws, key_column: int) -> dict[str, int]:
    """Returns the row of each key of a keyed sheet."""
    return {
        row[key_column - 1].value: row[0].row
        for row in ws.iter_rows(min_row=3)
        if row[key_column - 1].value is not None
    }


# -- init --xlsx: the fill-in workbook -------------------------------------------------------


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("init") / "sub"
    code, out, err = run("init", "luzhou-etc-2023", folder, "--xlsx")
    assert code == 0, err
    assert "answers.xlsx" in out
    return folder / "answers.xlsx"


def test_init_xlsx_sheets_and_headings(blank: Path):
    """ensures that the workbook has the sheets of SPEC §9 with the notice's data-table columns."""
    book = openpyxl.load_workbook(blank)
    names = book.sheetnames
    assert names[:2] == ["基本信息", "评价数据表"]
    assert {"标准", "科技奖励", "专利申请", "有效发明专利", "研发平台", "技术中心人员"} <= set(names)
    assert names[-2:] == ["证明材料", "正文"]
    data = book["评价数据表"]
    assert [c.value for c in data[2]][:5] == ["序号", "指标名称", "单位", "数据值", "指标解释"]
    assert data.column_dimensions["F"].hidden
    rows = key_cells(data, 6)
    row = rows["main_revenue"]
    assert data.cell(row, 2).value == "主营业务收入"
    assert data.cell(row, 3).value == "万元"
    assert "主营业务收入：指报告年度内企业确认的销售商品" in data.cell(row, 5).value
    assert (
        "主营业务收入：指报告年度内企业确认的销售商品" in data.cell(row, 2).comment.text
    )  # 指标解释 as a comment
    standards = book["标准"]
    assert standards.row_dimensions[2].hidden
    assert standards["A2"].value == "standards"
    assert "标准编号（必填）" in [c.value for c in standards[1]]


def test_init_xlsx_validation_protection_print(blank: Path):
    """ensures input cells are unlocked with Chinese input messages and validations, labels are
    locked under a sheet protection without password, printing is A4 with print titles."""
    book = openpyxl.load_workbook(blank)
    data = book["评价数据表"]
    row = key_cells(data, 6)["rd_staff"]
    value, label = data.cell(row, 4), data.cell(row, 2)
    assert not value.protection.locked
    assert label.protection.locked
    assert data.protection.sheet
    assert not data.protection.password
    checks = {str(cell): dv for dv in data.data_validations.dataValidation for cell in dv.sqref.ranges}
    dv = checks[value.coordinate]
    assert dv.type == "whole"
    assert dv.operator == "greaterThanOrEqual"
    assert dv.formula1 == "0"
    assert "不小于 0" in dv.prompt
    assert "人" in dv.prompt
    standards = book["标准"]
    lists = [dv for dv in standards.data_validations.dataValidation if dv.type == "list"]
    assert any("国家" in dv.formula1 and "行业" in dv.formula1 for dv in lists)
    ratings_or_profile = book["基本信息"]
    assert any(dv.type == "list" for dv in ratings_or_profile.data_validations.dataValidation)
    assert int(data.page_setup.paperSize) == int(data.PAPERSIZE_A4)
    assert data.print_title_rows.replace("$", "") == "1:2"
    assert label.font.name == "宋体"


def test_filled_workbook_reads_checks_and_scores(blank: Path, tmp_path: Path):
    """ensures a workbook from init --xlsx, filled by openpyxl as a clerk would, is checked and
    scored: the figures of the YAML example give the same score."""
    folder = tmp_path / "filled"
    shutil.copytree(ROOT / "examples" / "luzhou-etc-2023", folder)
    (folder / "answers.yaml").unlink()
    yaml_folder = ROOT / "examples" / "luzhou-etc-2023"
    # the example's own workbook is the reference; a blank one filled cell by cell must match it
    reference = as_workbook(tmp_path / "ref", "luzhou-etc-2023") / "answers.xlsx"
    source = openpyxl.load_workbook(reference)
    book = openpyxl.load_workbook(blank)
    for name in source.sheetnames:
        for row in source[name].iter_rows(min_row=3):
            for cell in row:
                target = book[name].cell(cell.row, cell.column)
                if not target.protection.locked and cell.value is not None:
                    target.value = cell.value
    book.save(folder / "answers.xlsx")
    code, out, err = run("score", folder, "--json")
    assert code == 0, err
    _, expected, _ = run("score", yaml_folder, "--json")
    assert json.loads(out)["total"] == json.loads(expected)["total"]


# -- findings on their cells -----------------------------------------------------------------


def test_wrong_cells_named_in_json_and_terminal(tmp_path: Path):
    """ensures text in a number cell and a value outside a vocabulary are diagnosed with their
    cell, in check --json (cell, line null) and in the terminal (the cell and its content)."""
    folder = as_workbook(tmp_path, "luzhou-etc-2023")
    book = openpyxl.load_workbook(folder / "answers.xlsx")
    data = book["评价数据表"]
    row = key_cells(data, 6)["rd_staff"]
    data.cell(row, 4).value = "一百二十人"
    book["标准"]["D3"] = "国家级"
    book.save(folder / "answers.xlsx")
    code, out, _ = run("check", folder, "--json")
    found = {d["code"]: d for d in json.loads(out)["diagnostics"]}
    wrong = found["answers.not_a_number"]
    assert wrong["file"] == "answers.xlsx"
    assert wrong["line"] is None
    assert wrong["cell"] == f"评价数据表!D{row}"
    assert wrong["path"] == "data.rd_staff"
    assert found["answers.choice"]["cell"] == "标准!D3"
    code, out, err = run("check", folder)
    err += out
    assert code == 1
    assert f"answers.xlsx 评价数据表!D{row}: error answers.not_a_number" in err
    assert f"    评价数据表!D{row}: 一百二十人" in err
    assert "    标准!D3: 国家级" in err


def test_numbers_typed_as_text_and_empty_rows(tmp_path: Path):
    """ensures «1,200» and full-width digits are read as the YAML reader reads them (a warning on
    the cell), «12.5%» is refused on its cell, and empty rows between items are ignored."""
    folder = as_workbook(tmp_path, "luzhou-etc-2023")
    book = openpyxl.load_workbook(folder / "answers.xlsx")
    data = book["评价数据表"]
    rows = key_cells(data, 6)
    data.cell(rows["main_revenue"], 4).value = "56,800"
    data.cell(rows["rd_staff"], 4).value = "１２６"
    data.cell(rows["rd_expense"], 4).value = "12.5%"
    staff = book["技术中心人员"]
    staff.insert_rows(5, 3)  # three empty rows inside the list
    book.save(folder / "answers.xlsx")
    _code, out, _ = run("check", folder, "--json")
    found = json.loads(out)["diagnostics"]
    texts = {d["cell"]: d for d in found if d["code"] == "answers.number_text"}
    assert texts[f"评价数据表!D{rows['main_revenue']}"]["message"].endswith(
        "已按 56800 读取（提示：请直接填写数字）"
    )
    assert f"评价数据表!D{rows['rd_staff']}" in texts
    [percent] = [d for d in found if d["code"] == "answers.not_a_number"]
    assert percent["cell"] == f"评价数据表!D{rows['rd_expense']}"
    doc = load_workbook_document(folder / "answers.xlsx")
    assert len(doc.data["items"]["staff"]) == 12  # the empty rows are not items


def test_two_answers_files_are_an_error(tmp_path: Path):
    """ensures a folder holding answers.yaml and answers.xlsx is an error naming both."""
    folder = as_workbook(tmp_path, "luzhou-etc-2023")
    shutil.copy(ROOT / "examples" / "luzhou-etc-2023" / "answers.yaml", folder)
    code, _, err = run("check", folder)
    assert code == 1
    assert "answers.two_files" in err
    assert "answers.yaml 和 answers.xlsx" in err


def test_hidden_keys_survive_renamed_labels(tmp_path: Path):
    """ensures the hidden key column and row decide what a cell means, not its label."""
    folder = as_workbook(tmp_path, "luzhou-etc-2023")
    before = load_workbook_document(folder / "answers.xlsx").data
    book = openpyxl.load_workbook(folder / "answers.xlsx")
    for name in ("基本信息", "评价数据表", "证明材料"):
        ws = book[name]
        label = 1 if name == "基本信息" else 2
        for row in ws.iter_rows(min_row=3):
            row[label - 1].value = f"改名{row[0].row}"
    for cell in book["标准"][1]:
        cell.value = "随便"
    book["标准"].title = "标准（本单位）"
    book.save(folder / "answers.xlsx")
    after = load_workbook_document(folder / "answers.xlsx")
    assert after.data == before
    assert findings(folder) == findings(as_workbook(tmp_path / "again", "luzhou-etc-2023"))


# -- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_round_trips_keep_check_and_score(tmp_path: Path, name: str):
    """ensures yaml → xlsx → yaml and → json give the same check findings and the same score."""
    original = ROOT / "examples" / name
    workbook = as_workbook(tmp_path / "x", name)
    folders = {"xlsx": workbook}
    for suffix in ("yaml", "json"):
        folder = tmp_path / suffix / name
        shutil.copytree(original, folder)
        (folder / "answers.yaml").unlink()
        code, _, err = run("convert", workbook / "answers.xlsx", folder / f"answers.{suffix}")
        assert code == 0, err
        folders[suffix] = folder
    expected = findings(original)
    _, score, _ = run("score", original, "--json")
    for folder in folders.values():
        assert findings(folder) == expected
        code, out, err = run("score", folder, "--json")
        assert code == 0, err
        assert json.loads(out) == json.loads(score)
    assert len(EXAMPLES) == 6


def test_convert_never_overwrites_without_force(tmp_path: Path):
    """ensures convert refuses an existing DEST (untouched) unless --force, and bad suffixes."""
    source = ROOT / "examples" / "luzhou-etc-2023" / "answers.yaml"
    target = tmp_path / "answers.json"
    target.write_text("keep", encoding="utf-8")
    code, _, err = run("convert", source, target)
    assert code == 1
    assert "已存在，未覆盖" in err
    assert "--force" in err
    assert target.read_text(encoding="utf-8") == "keep"
    code, _, _ = run("convert", source, target, "--force")
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["program"] == "luzhou-etc-2023"
    code, _, err = run("convert", source, tmp_path / "answers.txt")
    assert code == 2
    assert ".xlsx" in err


def test_init_xlsx_refuses_beside_answers(tmp_path: Path):
    """ensures init --xlsx never writes a second answers file into a folder."""
    (tmp_path / "answers.yaml").write_text("program: luzhou-etc-2023\n", encoding="utf-8")
    code, _, err = run("init", "luzhou-etc-2023", tmp_path, "--xlsx")
    assert code == 1
    assert "answers.yaml" in err
    assert not (tmp_path / "answers.xlsx").exists()


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: the LibreOffice round trip is not tested"
)
def test_libreoffice_saved_workbook_reads_the_same(tmp_path: Path):
    """ensures a workbook saved by LibreOffice Calc reads to the same answers and findings."""
    soffice = SOFFICE
    assert soffice is not None
    folder = as_workbook(tmp_path, "luzhou-etc-2023")
    before = load_workbook_document(folder / "answers.xlsx").data
    saved = tmp_path / "lo"
    saved.mkdir()
    shutil.copy(folder / "answers.xlsx", saved / "in.xlsx")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(saved / "out"),
            str(saved / "in.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.copy(saved / "out" / "in.xlsx", folder / "answers.xlsx")
    after = load_workbook_document(folder / "answers.xlsx")
    assert after.diagnostics == []
    assert after.data == before
    assert findings(folder) == findings(ROOT / "examples" / "luzhou-etc-2023")


# -- hostile workbooks -------------------------------------------------------------------------


def _workbook_bytes(edit) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "评价数据表"
    ws["F2"] = "#key"
    ws["B3"], ws["D3"], ws["F3"] = "主营业务收入", 100, "main_revenue"
    edit(book, ws)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_formula_without_cached_value_is_diagnosed():
    """ensures a formula cell that carries no cached value is an error on its cell."""
    raw = _workbook_bytes(lambda book, ws: ws.__setitem__("D3", "=1+1"))
    doc = parse_workbook(raw, "answers.xlsx")
    [finding] = [d for d in doc.diagnostics if d.code == "xlsx.formula"]
    assert finding.is_error
    assert finding.location.cell == "评价数据表!D3"
    assert "=1+1" in finding.message


def test_zip_bomb_member_is_refused_unread():
    """ensures a member inflating past the limit stops the read with one finding."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"0" * (1024 * 1024)
            for _ in range(MAX_MEMBER_BYTES // len(chunk) + 2):
                member.write(chunk)
    doc = parse_workbook(buffer.getvalue(), "answers.xlsx")
    assert doc.data is None
    assert [d.code for d in doc.diagnostics] == ["xlsx.too_large"]


def test_huge_declared_dimensions_and_garbage():
    """ensures a sheet declaring a million rows reads only what it holds, and a file that is
    not a workbook is one finding, not a traceback."""

    def far(book, ws):
        ws["D1048576"] = None
        ws.cell(1048576, 16384).value = None

    raw = _workbook_bytes(far)
    raw = raw.replace(b'<dimension ref="B2:F3"/>', b'<dimension ref="A1:XFD1048576"/>')
    doc = parse_workbook(raw, "answers.xlsx")
    assert doc.data == {"data": {"main_revenue": 100}}
    assert doc.cells[("data", "main_revenue")] == "评价数据表!D3"
    bad = parse_workbook(b"PK\x03\x04 not really", "answers.xlsx")
    assert [d.code for d in bad.diagnostics] == ["xlsx.unreadable"]
    assert bad.diagnostics[0].location.line is None  # a workbook has no lines


def test_every_command_reads_the_workbook(tmp_path: Path):
    """ensures check, score, evidence, build, bundle, forms --fill and review take a submission
    whose answers are answers.xlsx, with the results of its answers.yaml."""
    folder = as_workbook(tmp_path / "subs", "luzhou-etc-2023")
    yaml_folder = ROOT / "examples" / "luzhou-etc-2023"
    code, out, err = run("evidence", folder, "--json")
    assert code == 0, err
    _, expected, _ = run("evidence", yaml_folder, "--json")
    assert json.loads(out) == json.loads(expected)
    code, out, err = run("build", folder, "-o", tmp_path / "out")
    assert code == 0, err
    score = json.loads((tmp_path / "out" / "score.json").read_text(encoding="utf-8"))
    assert score["company"] == "泸州川锐智能装备股份有限公司"
    import docx

    report = docx.Document(str(tmp_path / "out" / "report.docx"))
    assert any("泸州川锐智能装备股份有限公司" in p.text for p in report.paragraphs)
    code, _, err = run("bundle", folder, "-o", tmp_path / "bundle.pdf")
    assert code == 0, err
    assert (tmp_path / "bundle.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = run("forms", "luzhou-etc-2023", "--fill", folder, "-o", tmp_path / "forms")
    assert code == 0, err
    assert any(p.suffix == ".docx" for p in (tmp_path / "forms").iterdir())
    code, out, err = run("review", tmp_path / "subs", "--program", "luzhou-etc-2023", "--json", "--no-cache")
    assert code == 0, err
    [entry] = json.loads(out)["submissions"]
    assert entry["path"] == "luzhou-etc-2023"
    shutil.copytree(yaml_folder, tmp_path / "yaml-subs" / "luzhou-etc-2023")
    _, out, _ = run("review", tmp_path / "yaml-subs", "--program", "luzhou-etc-2023", "--json", "--no-cache")
    [expected_entry] = json.loads(out)["submissions"]
    assert entry["total"] == expected_entry["total"]
    assert entry["evidenced_total"] == expected_entry["evidenced_total"]


def test_ratings_sheet_has_drop_downs(tmp_path: Path):
    """ensures the 自评 sheet offers each rating's words as a drop-down with a Chinese prompt."""
    folder = as_workbook(tmp_path, "gansu-itc-2022")
    book = openpyxl.load_workbook(folder / "answers.xlsx")
    ws = book["自评"]
    rows = key_cells(ws, 5)
    cell = ws.cell(rows["organization"], 3)
    assert cell.value == "很完善"
    assert not cell.protection.locked
    [dv] = [dv for dv in ws.data_validations.dataValidation if cell.coordinate in dv.sqref]
    assert dv.type == "list"
    assert "很完善" in dv.formula1
    assert dv.prompt == "请选择自评等级"


def test_blank_workbook_findings_point_at_their_empty_cells(blank: Path, tmp_path: Path):
    """ensures a figure, a profile fact or a section left empty is named by its own input cell,
    never by the sheet's title."""
    folder = tmp_path / "blank"
    folder.mkdir()
    shutil.copy(blank, folder / "answers.xlsx")
    code, out, _ = run("check", folder, "--json")
    assert code == 1
    found = {(d["code"], d["path"]): d["cell"] for d in json.loads(out)["diagnostics"]}
    rows = key_cells(openpyxl.load_workbook(blank)["评价数据表"], 6)
    assert found[("answers.missing_figure", "data.main_revenue")] == f"评价数据表!D{rows['main_revenue']}"
    assert found[("answers.required", "profile.company_name")] == "基本信息!B4"
    sections = key_cells(openpyxl.load_workbook(blank)["正文"], 4)
    assert sections["file"] == 3  # the draft's row first (empty: the sections are written here)
    assert found[("narrative.missing", "narrative.1.1")] == f"正文!C{sections['1.1']}"
    assert not any(cell and cell.endswith("!A1") for cell in found.values())


def test_a_workbook_naming_a_word_draft_reads_the_narrative_from_it(tmp_path: Path):
    """ensures that the 正文 sheet's first row names a Word draft (narrative: {file: …}): a
    workbook made from answers that use a draft keeps the name, and check and the report read
    the sections from the draft exactly as with the YAML answers."""
    from tests.word_drafts import DRAFT, draft_example

    yaml_folder = draft_example(tmp_path / "yaml")
    xlsx_folder = tmp_path / "xlsx"
    shutil.copytree(yaml_folder, xlsx_folder)
    code, _, err = run("convert", xlsx_folder / "answers.yaml", xlsx_folder / "answers.xlsx")
    assert code == 0, err
    (xlsx_folder / "answers.yaml").unlink()
    ws = openpyxl.load_workbook(xlsx_folder / "answers.xlsx")["正文"]
    row = key_cells(ws, 4)["file"]
    assert ws.cell(row, 3).value == DRAFT
    assert [f[:3] for f in findings(xlsx_folder)] == [f[:3] for f in findings(yaml_folder)]
    code, _, err = run("build", xlsx_folder, "-o", tmp_path / "out")
    assert code == 0, err
    import docx

    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "out" / "report.docx")).paragraphs)
    yaml_text = (yaml_folder / "answers.yaml").read_text(encoding="utf-8")
    assert "1.1:" not in yaml_text.split("narrative:", 1)[1].split("evidence:", 1)[0]  # only the draft
    import yaml

    original = yaml.safe_load((ROOT / "examples" / "luzhou-etc-2023" / "answers.yaml").read_text("utf-8"))
    first = original["narrative"]["1.1"].strip().splitlines()[0][:30]
    assert first in text  # the draft's paragraph, in the report

"""Issue #17, the forms' header blocks as the notices print them: the Luzhou 附件3 has three
联系电话 cells, one beside each person (企业负责人, 技术中心负责人, 联系人), each filled from that
person's own profile field; the answers workbook keeps the three apart; the example validates
without a finding about them. Checked with python-docx and openpyxl on the generated files."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document

from docgen.app.build import render_outputs
from docgen.app.submission import check_submission, open_submission
from tests.conftest import ROOT

LUZHOU = ROOT / "examples" / "luzhou-etc-2023"
PHONES = {  # the person's field → the field of their 联系电话, as the notice pairs them on 附件3
    "legal_representative": "legal_representative_phone",
    "center_director": "center_director_phone",
    "contact": "phone",
}


@pytest.fixture(scope="module")
def profile() -> dict:
    return yaml.safe_load((LUZHOU / "answers.yaml").read_text(encoding="utf-8"))["profile"]


def _header_rows(doc) -> dict[str, list[str]]:
    """Returns the header block's rows of the first table whose first cell is 企业名称, by label."""
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "企业名称")
    return {row.cells[0].text: [c.text for c in row.cells] for row in table.rows}


def test_each_person_has_their_phone_beside_them_on_the_filled_form(filled_forms: Path, profile: dict):
    """ensures the filled 附件3 prints each person's own 联系电话 in the cell after their name, three
    different numbers in three rows, under the label the notice prints (联系电话)."""
    doc = Document(filled_forms / "luzhou-etc-2023" / "附件3-泸州市企业技术中心评价数据表.docx")
    rows = _header_rows(doc)
    labels = {"legal_representative": "企业负责人", "center_director": "技术中心负责人", "contact": "联系人"}
    for person, phone in PHONES.items():
        row = rows[labels[person]]
        assert row[1] == str(profile[person])
        assert row[2] == "联系电话"
        assert row[3] == str(profile[phone])
    assert len({str(profile[phone]) for phone in PHONES.values()}) == 3


def test_the_blank_form_leaves_the_three_phones_to_be_written(blank_forms: Path):
    """ensures the blank 附件3 prints the three 联系电话 labels with empty cells beside them."""
    doc = Document(blank_forms / "luzhou-etc-2023" / "附件3-泸州市企业技术中心评价数据表.docx")
    rows = _header_rows(doc)
    for label in ("企业负责人", "技术中心负责人", "联系人"):
        assert rows[label] == [label, "", "联系电话", ""]


def test_the_reports_data_table_prints_the_three_phones(profile: dict):
    """ensures 附表1 of the report lays out the same header block with the three numbers."""
    outputs, _ = render_outputs(open_submission(LUZHOU))
    rows = _header_rows(Document(io.BytesIO(outputs["report.docx"])))
    assert rows["企业负责人"][3] == str(profile["legal_representative_phone"])
    assert rows["技术中心负责人"][3] == str(profile["center_director_phone"])
    assert rows["联系人"][3] == str(profile["phone"])


def test_the_example_validates_without_a_finding_on_the_phones():
    """ensures the example's answers raise no finding about any profile key (the two new phone
    fields are known ones), only the evidence file it leaves out on purpose."""
    findings = check_submission(open_submission(LUZHOU))
    on_profile = [d.code for d in findings if d.location.key_path[:1] == ("profile",)]
    assert on_profile == []
    assert [d.code for d in findings] == ["evidence.missing_file"]


def test_the_answers_workbook_keeps_the_three_phones_apart(tmp_path: Path, profile: dict):
    """ensures answers.yaml → answers.xlsx → answers.yaml keeps each phone under its own key, and
    the workbook labels them by whose number they are (three rows, not three «联系电话»)."""
    from click.testing import CliRunner

    from docgen.cli.main import cli

    book, back = tmp_path / "answers.xlsx", tmp_path / "answers.yaml"
    runner = CliRunner()
    assert runner.invoke(cli, ["convert", str(LUZHOU / "answers.yaml"), str(book)]).exit_code == 0
    assert runner.invoke(cli, ["convert", str(book), str(back)]).exit_code == 0
    again = yaml.safe_load(back.read_text(encoding="utf-8"))["profile"]
    for phone in PHONES.values():
        assert str(again[phone]) == str(profile[phone])
    sheet = openpyxl.load_workbook(book).worksheets[0]
    labels = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "企业负责人联系电话" in labels
    assert "技术中心负责人联系电话" in labels

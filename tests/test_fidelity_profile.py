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


# -- the alliance applies through its 牵头单位 (seed 000: 自评表 «产业联盟牵头单位创新能力», 培育组建汇总表
# columns 联盟名称 / 牵头单位; 四、«申报材料、自评表…») ------------------------------------------------

ALLIANCE = ROOT / "examples" / "gansu-alliance-2022"


def _day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture(scope="module")
def alliance_profile() -> dict:
    return yaml.safe_load((ALLIANCE / "answers.yaml").read_text(encoding="utf-8"))["profile"]


@pytest.fixture(scope="module")
def alliance_outputs() -> dict[str, bytes]:
    outputs, _ = render_outputs(open_submission(ALLIANCE))
    return outputs


def test_the_alliance_cover_names_the_alliance_and_its_lead_unit(alliance_outputs, alliance_profile):
    """ensures the alliance's cover names the alliance under 联盟名称 and the unit that seals under
    «牵头单位（盖章）», each in its own row, and is titled with the notice's word: 申报材料."""
    doc = Document(io.BytesIO(alliance_outputs["report.docx"]))
    cover = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert cover["联盟名称："] == alliance_profile["company_name"]
    assert cover["牵头单位（盖章）："] == alliance_profile["lead_unit"]
    assert "申请单位（盖章）：" not in cover
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert titles[0] == "甘肃省产业技术创新联盟申报材料"
    assert not [t for t in titles if "申请报告" in t]


def test_an_enterprise_cover_keeps_the_applicant_who_seals():
    """ensures a program without ``sealed_by`` keeps «申请单位（盖章）» with the company and its
    申请报告 title (the Luzhou example)."""
    outputs, _ = render_outputs(open_submission(LUZHOU))
    doc = Document(io.BytesIO(outputs["report.docx"]))
    cover = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert list(cover)[:2] == ["申请单位（盖章）：", "统一社会信用代码："]
    assert next(p.text for p in doc.paragraphs if p.style.name == "Title") == "泸州市企业技术中心申请报告"


def test_the_alliance_data_table_has_the_lead_unit_on_a_row_of_its_own(alliance_outputs, alliance_profile):
    """ensures 附表1 prints the 联盟名称 and the 牵头单位 each across the table (the names whole)."""
    doc = Document(io.BytesIO(alliance_outputs["report.docx"]))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "联盟名称")
    first, second = table.rows[0], table.rows[1]
    assert second.cells[0].text == "牵头单位"
    assert {c.text for c in first.cells[1:]} == {alliance_profile["company_name"]}
    assert {c.text for c in second.cells[1:]} == {alliance_profile["lead_unit"]}


def test_the_filled_alliance_form_is_sealed_by_the_lead_unit(filled_forms: Path, alliance_profile):
    """ensures the filled 自评表's 填报单位（盖章） is the 牵头单位 (an alliance has no seal of its
    own), with the report date under it."""
    doc = Document(filled_forms / "gansu-alliance-2022" / "附件3-甘肃省产业技术创新产业联盟自评表.docx")
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[-2] == f"填报单位（盖章）：{alliance_profile['lead_unit']}"
    assert texts[-1] == f"填报日期：{_day(alliance_profile['report_date'])}"


def test_the_alliance_signs_with_its_lead_unit(alliance_outputs, alliance_profile):
    """ensures the missing-evidence report's 申报单位 line names the alliance and its 落款 is
    «牵头单位（盖章）：» with the lead unit, as the report's cover (summary17b)."""
    doc = Document(io.BytesIO(alliance_outputs["missing-evidence.docx"]))
    texts = [p.text for p in doc.paragraphs]
    assert f"申报单位：{alliance_profile['company_name']}" in texts
    date = texts.index(_day(alliance_profile["report_date"]))
    assert texts[date - 1] == f"牵头单位（盖章）：{alliance_profile['lead_unit']}"


def test_the_alliance_example_validates_with_its_lead_unit():
    """ensures lead_unit is a known profile field: the alliance example raises no finding on its
    profile."""
    findings = check_submission(open_submission(ALLIANCE))
    assert [d.code for d in findings if d.location.key_path[:1] == ("profile",)] == []

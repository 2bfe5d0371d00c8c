"""Issue #17 «Fidelity»: the alliance's 申报材料 follows an outline of its own, not the 企业技术中心's.

The Gansu notice (seed 000, 四、) asks an 产业技术创新联盟 for «申报材料、自评表…» and publishes no
outline; the report is written by the 自评表's 一级指标 (one chapter each, one section per 二级指标,
the points taken from the 评价标准) with 联盟基本情况 before and 发展目标 after. The cover and
附表1 name an alliance as one (联盟名称, 联盟理事长) through the program's ``profile_labels``.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
import pytest

from docgen.app.build import render_outputs
from docgen.app.submission import check_submission, open_submission
from docgen.definitions.load import load_catalog_from
from docgen.errors import DefinitionError
from tests.conftest import ROOT

ALLIANCE = ROOT / "examples" / "gansu-alliance-2022"
CENTRE_WORDS = ("企业技术中心", "企业的地位和作用", "企业技术创新发展战略", "企业技术创新的现状和成绩")


@pytest.fixture(scope="module")
def report() -> docx.document.Document:
    outputs, _ = render_outputs(open_submission(ALLIANCE))
    return docx.Document(io.BytesIO(outputs["report.docx"]))


def _texts(document: docx.document.Document) -> list[str]:
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return [p.text for p in document.paragraphs] + cells


def test_the_alliance_program_uses_its_own_outline(catalog) -> None:
    """ensures that the alliance no longer borrows the Luzhou 企业技术中心 outline and that the
    outline's chapters 二–六 are the 自评表's 一级指标 and their sections its 二级指标, in order."""
    program = catalog.programs["gansu-alliance-2022"]
    assert program.outlines == {"认定": "gansu-alliance-application"}
    outline = catalog.outlines["gansu-alliance-application"]
    chapters = [c.title for c in outline.chapters]
    assert chapters[0] == "联盟基本情况"
    assert chapters[1:6] == [g.title for g in program.groups]
    assert chapters[6] == "发展目标"
    assert chapters[1:6] == [
        "产业联盟运行机制",
        "产业联盟牵头单位创新能力",
        "产业联盟服务能力",
        "人才队伍",
        "特色工作",
    ]
    scored = [s for c in outline.chapters[1:6] for s in c.sections]
    assert len(scored) == len(program.indicators) == 8
    for chapter, group in zip(outline.chapters[1:6], program.groups, strict=True):
        assert len(chapter.sections) == len(group.indicators)
    basics = " ".join(s.title for s in outline.chapters[0].sections)
    for word in ("组建背景", "成员单位", "联盟协议"):
        assert word in basics
    assert outline.attachment == 0  # the notice publishes no outline: nothing printed as a form
    assert [s.id for s in outline.sections if s.introduces_applicant] == ["1.1"]


def test_the_scored_sections_ask_for_the_criteria_of_the_form(catalog) -> None:
    """ensures that every required point of chapters 二–六 is worded from its line of the 自评表:
    a word of the point is in the line's 二级指标 or 评价标准, or the point is made of its words
    (项目管理制度 from «项目、经费、保密、产学研合作等管理制度»); no 企业技术中心 wording anywhere."""
    program = catalog.programs["gansu-alliance-2022"]
    outline = catalog.outlines["gansu-alliance-application"]
    scored = [s for c in outline.chapters[1:6] for s in c.sections]
    for section, indicator in zip(scored, program.indicators, strict=True):
        form = indicator.title + indicator.criteria
        assert section.points, section.id
        for point in section.points:
            words = (point.title, *point.synonyms)
            assert any(w in form for w in words) or set(point.title) <= set(form), (section.id, point.title)
    talents = next(s for s in scored if s.title == "高层次人才")
    assert [p.title for p in talents.points] == ["院士", "国家级人才", "省领军人才"]
    wording = " ".join(
        f"{c.title} {s.title} {s.guidance} {' '.join(p.title for p in s.points)}"
        for c in outline.chapters
        for s in c.sections
    )
    for word in CENTRE_WORDS:
        assert word not in wording
    assert "技术中心" not in wording


def test_the_outline_note_says_what_the_report_follows(catalog) -> None:
    """ensures that the note ``outline-borrowed`` states the alliance's own outline (the 自评表's
    一级指标, 联盟基本情况, 发展目标), says the notice gives none, and stays out of the report."""
    program = catalog.programs["gansu-alliance-2022"]
    note = program.notes["outline-borrowed"]
    assert not note.in_report
    assert note.text.startswith("本通知未附申报材料编写提纲")
    for group in program.groups:
        assert group.title in note.text
    for word in ("联盟基本情况", "发展目标"):
        assert word in note.text
    for word in ("泸州", "企业技术中心", "申请报告提纲"):
        assert word not in note.text


def test_the_alliance_report_has_no_enterprise_centre_headings(report) -> None:
    """ensures that the built report's contents and body carry the alliance's headings, in
    order, and that no 企业技术中心 chapter or section title is left anywhere in it."""
    texts = _texts(report)
    headings = [p.text for p in report.paragraphs if p.style.name.startswith("Heading")]
    expected = [
        "一、联盟基本情况",
        "（一）联盟组建背景",
        "（二）牵头单位、成员单位和联盟协议",
        "二、产业联盟运行机制",
        "（一）产业联盟管理制度建设",
        "（二）产业联盟中长期发展规划",
        "三、产业联盟牵头单位创新能力",
        "（一）近3年获专利等知识产权情况",
        "（二）近3年主持或参与制定标准情况",
        "四、产业联盟服务能力",
        "（一）集聚创新资源，解决行业发展关键和共性技术难题",
        "（二）为联盟内企业产生的新产品销售收入",
        "五、人才队伍",
        "（一）高层次人才",
        "六、特色工作",
        "（一）学术、科技成果推广",
        "七、发展目标",
        "（一）发展目标和重点任务",
    ]
    body = [h for h in headings if re.match(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）", h)]
    assert body == expected
    contents = [t for t in texts if t.strip()]
    assert contents.index("一、联盟基本情况") < contents.index("七、发展目标")
    whole = "\n".join(texts)
    for word in CENTRE_WORDS:
        assert word not in whole
    assert "（一）企业技术中心基本情况" not in whole


def test_the_alliance_profile_is_labelled_as_an_alliance(report) -> None:
    """ensures that 附表1's header block says 联盟名称 and 联盟理事长 for the alliance (not
    企业名称 / 企业负责人), while a program without its own labels keeps the shared ones."""
    header = [c.text for t in report.tables for r in t.rows[:5] for c in r.cells]
    assert "联盟名称" in header
    assert "联盟理事长" in header
    assert "企业名称" not in header
    assert "企业负责人" not in header
    i = header.index("联盟名称")
    assert header[i + 1].startswith("甘肃陇药中药材产业技术创新联盟")
    assert header[header.index("联盟理事长") + 1] == "何兴邦"
    luzhou, _ = render_outputs(open_submission(ROOT / "examples" / "luzhou-etc-2023"))
    other = docx.Document(io.BytesIO(luzhou["report.docx"]))
    cells = [c.text for t in other.tables for r in t.rows[:3] for c in r.cells]
    assert "企业名称" in cells
    assert "联盟名称" not in cells


@pytest.mark.parametrize("key", ["联盟名称", "企业名称", "company_name"])
def test_the_alliance_name_key_is_accepted_in_its_own_and_the_shared_words(tmp_path: Path, key: str) -> None:
    """ensures that an alliance's answers may key its name by the program's label (联盟名称),
    the shared one (企业名称) or the English key, and that findings name it 联盟名称."""
    folder = tmp_path / "alliance"
    shutil.copytree(ALLIANCE, folder)
    answers = folder / "answers.yaml"
    text = answers.read_text("utf-8")
    assert re.search(r"^  company_name: ", text, re.M)
    answers.write_text(re.sub(r"^  company_name: ", f"  {key}: ", text, count=1, flags=re.M), "utf-8")
    sub = open_submission(folder)
    assert sub.answers.company.startswith("甘肃陇药中药材产业技术创新联盟")
    assert sub.catalog.profile_fields["company_name"].label == "联盟名称"
    assert "企业名称" in sub.catalog.profile_fields["company_name"].label_aliases
    assert "法定代表人" in sub.catalog.profile_fields["legal_representative"].label_aliases

    answers.write_text(re.sub(r"^  company_name: .*\n", "", text, count=1, flags=re.M), "utf-8")
    missing = [d.message for d in open_submission(folder).diagnostics if d.code == "answers.required"]
    assert missing
    assert all("联盟名称" in m and "企业名称" not in m for m in missing)


@pytest.fixture
def definitions(tmp_path: Path) -> Path:
    for name in ("programs", "outlines", "checklists"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def _load(root: Path):
    return load_catalog_from(root / "programs", root / "outlines", root / "checklists")


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ("{company_name: 联盟名称, alliance_secretary: 秘书长}", "definition.unknown_field"),
        ('{company_name: " "}', "definition.invalid"),
    ],
)
def test_profile_labels_are_checked(definitions: Path, entry: str, code: str) -> None:
    """ensures that ``profile_labels`` names defined profile fields and gives each a label."""
    path = definitions / "programs" / "gansu-alliance-2022.yaml"
    text = path.read_text("utf-8")
    old = next(
        line for line in text.splitlines() if line.startswith("profile_labels: {company_name: 联盟名称")
    )
    path.write_text(text.replace(old, f"profile_labels: {entry}"), "utf-8")
    with pytest.raises(DefinitionError) as info:
        _load(definitions)
    found = [d for d in info.value.diagnostics if d.code == code]
    assert found
    assert all(
        str(d.location.file).endswith("gansu-alliance-2022.yaml") and "profile_labels" in d.location.key_path
        for d in found
    )


def test_the_alliance_example_covers_its_outline() -> None:
    """ensures that the example's narrative has exactly the outline's sections, covers every
    point at its length (no narrative finding at all), and that check reports nothing but the
    development plan left out on purpose."""
    sub = open_submission(ALLIANCE)
    assert sub.outline is not None
    assert sorted(sub.answers.narrative) == sorted(s.id for s in sub.outline.sections)
    findings = check_submission(sub)
    assert not [d for d in findings if d.code.startswith("narrative.")]
    assert [(d.code, d.is_error) for d in findings] == [("evidence.missing_file", False)]
    text = "\n".join(s.text for s in sub.answers.narrative.values())
    for figure in (
        "成员单位28家",
        "发明专利授权2件",
        "实用新型专利授权4件",
        "6200万元",
        "省领军人才2人",
        "活动2次",
    ):
        assert figure in text
    for word in CENTRE_WORDS:
        assert word not in text


def test_the_alliance_skeleton_speaks_as_the_alliance(tmp_path: Path) -> None:
    """ensures that ``docgen init`` writes the alliance's own labels in its comments (联盟名称,
    联盟理事长, the data table's wording of a figure), as answers.xlsx does, and its own sections."""
    from docgen.app.programs import write_skeleton
    from docgen.definitions.load import load_catalog

    text = write_skeleton(load_catalog(), "gansu-alliance-2022", tmp_path / "new").read_text("utf-8")
    assert re.search(r"^  company_name: .*# 联盟名称（必填）$", text, re.M)
    assert re.search(r"^  legal_representative: .*# 联盟理事长$", text, re.M)
    assert "解决行业发展关键和共性技术难题数" in text
    assert '"1.2": |   # 牵头单位、成员单位和联盟协议' in text
    assert "企业名称" not in text
    assert "企业技术中心" not in text

"""Tests for definition loading: every shipped file is valid; broken ones name file and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.definitions.load import load_catalog, load_catalog_from
from docgen.errors import DefinitionError

ROOT = Path(__file__).parent.parent


def test_shipped_definitions_load(catalog):
    """ensures that every program, outline and checklist loads with zero findings."""
    program = catalog.programs["luzhou-etc-2023"]
    assert len(program.indicators) == 17
    assert sum(i.weight for i in program.indicators) == 100
    assert sum(i.weight for i in program.bonus) == 15
    assert set(catalog.outlines) >= {"luzhou-application", "luzhou-summary"}
    assert len(catalog.outlines["luzhou-application"].sections) == 9
    assert len(catalog.outlines["luzhou-summary"].sections) == 5


def test_coefficient_table_has_38_plus_1_rows(catalog):
    """ensures that the shared industry table has the seed's 39 rows with 其他 as fallback."""
    table = catalog.coefficients["industry-coefficients"]
    assert len(table.rows) == 39
    row, fallback = table.lookup("27")
    assert (row.name, str(row.values["rd_ratio"]), fallback) == ("医药制造业", "4/5", False)
    row, fallback = table.lookup("99")
    assert row.name == "其他"
    assert fallback


@pytest.fixture
def definitions(tmp_path: Path) -> Path:
    for name in ("programs", "outlines", "checklists"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def _load(root: Path):
    return load_catalog_from(root / "programs", root / "outlines", root / "checklists")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_weights_that_do_not_add_up_fail(definitions: Path):
    """ensures that a transcription error in a weight is caught with file, line and key."""
    path = definitions / "programs" / "luzhou-etc-2023.yaml"
    _edit(
        path,
        "            weight: 8\n            value: {ratio: [rd_expense, rd_staff]}",
        "            weight: 9\n            value: {ratio: [rd_expense, rd_staff]}",
    )
    with pytest.raises(DefinitionError) as info:
        _load(definitions)
    codes = {(d.code, d.location.file, d.location.path) for d in info.value.diagnostics}
    assert ("definition.weights", "programs/luzhou-etc-2023.yaml", "max_score") in codes
    assert ("definition.weights", "programs/luzhou-etc-2023.yaml", "groups[0].groups[0].weight") in codes
    assert all(d.location.line for d in info.value.diagnostics)


def test_unknown_rule_type_is_named(definitions: Path):
    """ensures that a misspelled rule type is an error listing the known ones."""
    path = definitions / "programs" / "luzhou-etc-2023.yaml"
    _edit(
        path,
        "rule: {type: cohort_relative, basic: 3, reference_full: 120}",
        "rule: {type: cohort_relativ, basic: 3, reference_full: 120}",
    )
    with pytest.raises(DefinitionError) as info:
        _load(definitions)
    (finding,) = [d for d in info.value.diagnostics if d.code == "definition.unknown_rule"]
    assert "cohort_relativ" in finding.message
    assert finding.location.path.endswith("rule.type")


def test_unknown_key_and_undefined_field(definitions: Path):
    """ensures that strict definitions refuse unknown keys and references to undefined fields."""
    path = definitions / "programs" / "luzhou-etc-2023.yaml"
    _edit(path, "scoring_basis:", "scoring_basiss:")
    _edit(path, "value: {field: external_expert_months}", "value: {field: external_experts_months}")
    with pytest.raises(DefinitionError) as info:
        _load(definitions)
    found = {d.code for d in info.value.diagnostics}
    assert {"definition.unknown_key", "definition.unknown_field"} <= found


def test_bad_rule_parameters(definitions: Path):
    """ensures that a rule type checks its own parameters at load time."""
    path = definitions / "programs" / "luzhou-etc-2023.yaml"
    _edit(
        path,
        "rule: {type: per_unit_above, threshold: 1, step: 1, points: 2, cap: 5}",
        "rule: {type: per_unit_above, threshold: 1, step: 1, cap: 5}",
    )
    with pytest.raises(DefinitionError) as info:
        _load(definitions)
    assert any("缺少参数 points" in d.message for d in info.value.diagnostics)


def test_catalog_cache_is_data_read_back_equal(tmp_path: Path, monkeypatch):
    """ensures that the checked catalog is stored under $DOCGEN_CACHE as JSON (no pickle), read
    back equal by the next process, and that a damaged or foreign entry is ignored and rebuilt."""
    from docgen.definitions import load as module

    monkeypatch.setenv("DOCGEN_CACHE", str(tmp_path / "cache"))
    module.load_catalog.cache_clear()
    try:
        first = module.load_catalog()
        [entry] = (tmp_path / "cache" / "catalog").glob("*.json")
        assert entry.read_bytes().startswith(b'{"fields":')
        module.load_catalog.cache_clear()
        second = module.load_catalog()
        assert second is not first
        assert second.programs == first.programs
        assert second.outlines == first.outlines
        assert second.checklists == first.checklists
        assert second.fields == first.fields
        assert sorted(second.rules.types) == sorted(first.rules.types)
        for damaged in (b"\x80garbage", b'{"fields": {}}', b'{"$class": "Program", "fields": {}}'):
            entry.write_bytes(damaged)
            module.load_catalog.cache_clear()
            assert module.load_catalog().programs == first.programs
            assert entry.read_bytes().startswith(b'{"fields":')  # rebuilt and stored again
        assert not list((ROOT / "checklists").glob("catalog"))
    finally:
        module.load_catalog.cache_clear()


def test_company_suffixes_and_introducing_section_are_read(definitions: Path):
    """ensures the suffixes and 1.1's introduces_applicant load, and an empty suffix is refused."""
    catalog = _load(definitions)
    assert catalog.company_suffixes == ("股份有限公司", "有限责任公司", "有限公司", "集团")
    marked = {
        o: [s.id for s in sections.sections if s.introduces_applicant]
        for o, sections in catalog.outlines.items()
    }
    assert marked == {
        "luzhou-application": ["1.1"],
        "luzhou-summary": [],
        "gansu-alliance-application": ["1.1"],
    }
    path = definitions / "programs" / "shared" / "fields.yaml"
    _edit(path, "company_suffixes: [股份有限公司,", 'company_suffixes: ["", 股份有限公司,')
    with pytest.raises(DefinitionError) as info:
        _load(definitions)
    (finding,) = info.value.diagnostics
    assert finding.code == "definition.invalid"
    assert finding.location.path == "company_suffixes[0]"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[finding.location.line - 1].startswith("company_suffixes:")


def test_data_table_sub_rows_follow_their_parent(catalog):
    """ensures a «其中» row comes right after the row of the figure it is part of, and that a
    program's sub-rows are numbered alike (Luzhou: no 序号, as the notice's table; SPEC data_table)."""
    for program_id, program in catalog.programs.items():
        rows = program.data_rows
        subs = [i for i, row in enumerate(rows) if row.label.startswith("其中")]
        for i in subs:
            assert i > 0, (program_id, rows[i].label)
            parent = catalog.fields[rows[i].key].part_of if rows[i].key else None
            assert parent is not None, (program_id, rows[i].label)
            assert rows[i - 1].key == parent, (program_id, rows[i].label, rows[i - 1].label)
        assert len({rows[i].no == "" for i in subs}) <= 1, program_id
    luzhou = catalog.programs["luzhou-etc-2023"].data_rows
    assert [(r.no, r.label) for r in luzhou if r.label.startswith("其中")] == [
        ("", "其中：基础研究和应用研究项目数"),
        ("", "其中：被受理的发明专利申请数"),
    ]
    gansu = {r.no: r.label for r in catalog.programs["gansu-etc-2022"].data_rows}
    assert gansu["12"] == "当年被受理的发明专利申请数"


def test_a_misspelt_item_field_in_a_window_is_refused(definitions: Path):
    """ensures a derived count or an item-scored line naming a field its item kind lacks (here a
    window on «registerd») fails the definition check instead of counting every item or crashing."""
    _edit(
        definitions / "programs" / "shared" / "fields.yaml",
        "window: {field: registered, years: 1}",
        "window: {field: registerd, years: 1}",
    )
    _edit(
        definitions / "programs" / "gansu-etc-2022.yaml",
        "        window: {field: year}\n",
        "        window: {field: yaer}\n",
    )
    with pytest.raises(DefinitionError) as info:
        _load(definitions)
    problems = {(d.location.path, d.message) for d in info.value.diagnostics}
    assert any(path == "fields.software_copyrights.derive" and "registerd" in m for path, m in problems), (
        problems
    )
    assert any(path == "indicators.bonus_awards.rule" and "yaer" in m for path, m in problems), problems


def test_attachment_columns_are_parsed_at_load(catalog):
    """ensures that an attachment's ``columns`` strings become Column objects once, at load."""
    from docgen.model.attachments import Column

    national = catalog.programs["national-etc-2021"].attachments[0]
    assert national.columns[:2] == (Column("group2", "二级指标", 18.0), Column("indicator", "三级指标", 66.0))
    assert national.filled_columns == (Column("score", "得分", 16.0),)
    summary = catalog.programs["gansu-demo-2022"].attachments[1]
    assert summary.columns[1] == Column("", "企业名称", 48.0)


_FIELDS = "programs/shared/fields.yaml"
_NATIONAL = "programs/national-etc-2021.yaml"

# (file, old text, new text, code, key path, message, hint)
_BROKEN = [
    (
        _FIELDS,
        "rd_expense_3y: {label: 近三年累计科技研发投入, unit: 万元, type: amount}",
        "rd_expense_3y: {label: 近三年累计科技研发投入, unit: 万元, type: amonut}",
        "definition.unknown_type",
        "fields.rd_expense_3y.type",
        "未知的字段类型“amonut”",
        "可用的类型：amount、count、half",
    ),
    (
        _FIELDS,
        "company_name: {label: 企业名称, type: text, required: true}",
        "company_name: {label: 企业名称, type: txt, required: true}",
        "definition.unknown_type",
        "profile.company_name.type",
        "未知的字段类型“txt”",
        "可用的类型：amount、bool、choice、count、credit_code、date、file、half、industry_code、patent_number、text、year",
    ),
    (
        _FIELDS,
        "legal_representative: {label: 企业负责人, type: text, label_aliases: [法定代表人]}",
        "legal_representative: {label: 企业负责人, type: text, aliases: [法定代表人]}",
        "definition.aliases_are_labels",
        "profile.legal_representative.aliases",
        "其他标签应写在“label_aliases”下（列表），不再写作“aliases”",
        "“aliases”只表示取值别名（映射：别名 → 选项）",
    ),
    (
        _FIELDS,
        "type: count, label_aliases: [职工总数]",
        "type: count, aliases: [职工总数]",
        "definition.aliases_are_labels",
        "fields.total_staff.aliases",
        "其他标签应写在“label_aliases”下（列表），不再写作“aliases”",
        "“aliases”只表示取值别名（映射：别名 → 选项）",
    ),
    (
        _NATIONAL,
        '"group2 二级指标 18"',
        '"group2 二级指标"',
        "definition.column_format",
        "attachments[0].columns[0]",
        "指标表的列“group2 二级指标”应写作“列键 标题 宽度”",
        "三项以空格分隔，如“group1 一级指标 18”",
    ),
    (
        _NATIONAL,
        '"indicator 三级指标 66"',
        '"indicator 三级 指标 66"',
        "definition.column_title_space",
        "attachments[0].columns[1]",
        "表格列“indicator 三级 指标 66”的标题含有空格",
        "各项以空格分隔，标题中不能有空格",
    ),
    (
        _NATIONAL,
        '"unit 单位 14"',
        '"units 单位 14"',
        "definition.unknown_column",
        "attachments[0].columns[2]",
        "未知的指标表列“units”",
        "可用的列：group1、group1_weight、group2、group2_weight、indicator、indicator_weight、"
        "indicator_criteria、criteria、unit、weight、basic、full、score、result",
    ),
    (
        _NATIONAL,
        '"weight 权重 14"',
        '"weight 权重 -14"',
        "definition.column_width",
        "attachments[0].columns[3]",
        "表格列“weight 权重 -14”的宽度“-14”应为正数（毫米）",
        None,
    ),
    (
        "programs/gansu-demo-2022.yaml",
        '"企业名称 48"',
        '"企业 名称 48"',
        "definition.column_title_space",
        "attachments[1].columns[1]",
        "表格列“企业 名称 48”的标题含有空格",
        "各项以空格分隔，标题中不能有空格",
    ),
    (
        "programs/luzhou-etc-2023.yaml",
        'paragraphs: ["@explanations"]',
        'paragraphs: ["@explanation"]',
        "definition.unknown_sentinel",
        "attachments[2].sections[3].paragraphs[0]",
        "未知的占位段落“@explanation”",
        "可用的占位：@table、@explanations、@coefficients、@limiting",
    ),
    (
        "programs/gansu-etc-2022.yaml",
        'heading: "@table"',
        'heading: "@tabel"',
        "definition.sentinel_heading",
        "attachments[0].sections[0].heading",
        "标题“@tabel”不是可用的占位",
        "以 @ 开头的标题只能是 @table",
    ),
    (
        "programs/gansu-itc-2022.yaml",
        'heading: "@table"\n        paragraphs: []',
        'heading: 说明\n        paragraphs: ["@coefficients"]',
        "definition.sentinel_coefficients",
        "attachments[0].sections[0].paragraphs[0]",
        "占位“@coefficients”需要项目定义引用系数表（coefficients）",
        None,
    ),
    (
        "programs/luzhou-etc-2023.yaml",
        "{number: 1, title:",
        "{number: one, title:",
        "definition.invalid",
        "attachments[0].number",
        "定义文件错误：attachments.0.number 应为整数",
        None,
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "code", "path", "message", "hint"),
    _BROKEN,
    ids=[
        "figure-type",
        "profile-type",
        "profile-list-aliases",
        "figure-aliases",
        "column-two-items",
        "column-title-space",
        "unknown-column",
        "column-width",
        "summary-title-space",
        "unknown-sentinel",
        "heading-sentinel",
        "coefficients-without-table",
        "number-not-integer",
    ],
)
def test_malformed_definitions_are_named(
    definitions: Path, file: str, old: str, new: str, code: str, path: str, message: str, hint: str | None
):
    """ensures that a malformed type, column, placeholder or alias is one definition error with
    its code, file, line, key path and message (no internal exception)."""
    _edit(definitions / file, old, new)
    with pytest.raises(DefinitionError) as info:
        _load(definitions)
    (finding,) = info.value.diagnostics
    assert (finding.code, finding.location.path, finding.message, finding.hint) == (code, path, message, hint)
    assert finding.location.file == "/".join(Path(file).parts[-2:])  # relative to the folder's parent
    lines = (definitions / file).read_text(encoding="utf-8").splitlines()
    assert new.splitlines()[-1].strip() in lines[finding.location.line - 1]


def test_value_aliases_must_name_a_choice(definitions: Path):
    """ensures that a value alias pointing at no choice is refused, naming the choices."""
    _edit(definitions / _FIELDS, "申请: 认定,", "申请: 认证,")
    with pytest.raises(DefinitionError) as info:
        _load(definitions)
    (finding,) = info.value.diagnostics
    assert finding.code == "definition.alias_target"
    assert finding.location.path == "profile.application_type.aliases.申请"
    assert finding.message == "别名“申请”指向的“认证”不是可选值"


@pytest.mark.parametrize("program_id", sorted(load_catalog().programs))
def test_every_scored_figure_and_rating_has_a_proof(program_id: str):
    """ensures that the checklist of every program declares a proof for each figure its lines,
    eligibility and tiers read (an item proof for counts derived from items, or a document that
    `proves` it) and a document for each self-rating (`rates`): SPEC §6, every scored figure
    needs proof, so a bare number can always be 核减."""
    from docgen.answers import rating_rules, used_keys

    catalog = load_catalog()
    program = catalog.programs[program_id]
    checklist = catalog.checklists[program.checklist or ""]
    item_kinds = {p.items for g in checklist.groups for p in g.item_proofs}
    proved = {k for g in checklist.groups for d in g.documents for k in d.proves}
    rated = {k for g in checklist.groups for d in g.documents for k in d.rates}
    unproved = [
        key
        for key in used_keys(program, catalog)
        if key not in proved
        and not (catalog.fields[key].derive and catalog.fields[key].derive.items in item_kinds)
    ]
    assert unproved == []
    assert sorted(set(rating_rules(program, catalog)) - rated) == []

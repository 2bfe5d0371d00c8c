"""Tests for definition loading: every shipped file is valid; broken ones name file and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.definitions.load import load_catalog_from
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


def test_catalog_is_read_from_the_definition_files_only(tmp_path: Path, monkeypatch):
    """ensures that loading the catalog stores nothing in the cache folder (no pickled model to
    be read back by a later process) and that a second load in the process is the same object."""
    from docgen.definitions import load as module

    monkeypatch.setenv("DOCGEN_CACHE", str(tmp_path / "cache"))
    module.load_catalog.cache_clear()
    try:
        first = module.load_catalog()
        assert "luzhou-etc-2023" in first.programs
        assert not (tmp_path / "cache").exists()
        assert module.load_catalog() is first
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
    assert marked == {"luzhou-application": ["1.1"], "luzhou-summary": []}
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

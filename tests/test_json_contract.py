"""The skeleton trap (issue #19 point 6) and the JSON contract (point 7, SPEC §8, docs/json.md).

The JSON objects are validated against the schemas shipped in docgen/schemas/ with
tests/json_schema_subset.py (``jsonschema`` is not installed in the project's environment).
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from docgen.cli.main import cli
from docgen.resources import SCHEMAS, schema_path
from docgen.text.labels import STATUS
from tests.conftest import EXAMPLE, ROOT
from tests.json_schema_subset import SchemaError, errors

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "answers.yaml").is_file())
SCHEMA = {name: json.loads(schema_path(name).read_text(encoding="utf-8")) for name in SCHEMAS}


def run(*args: object) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args])


def json_of(*args: object, exit_code: int = 0) -> dict[str, Any]:
    result = run(*args)
    assert result.exit_code == exit_code, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def assert_valid(data: dict[str, Any], name: str) -> None:
    assert errors(data, SCHEMA[name]) == []
    assert data["schema_version"] == 1


# -- point 6: the skeleton trap --------------------------------------------------------------------


def _init(program: str, folder: Path) -> Path:
    result = run("init", program, folder)
    assert result.exit_code == 0, result.output
    return folder / "answers.yaml"


def _placeholders(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in data["diagnostics"] if d["code"] == "narrative.placeholder"]


def test_init_then_check_names_each_placeholder_on_its_line(tmp_path: Path) -> None:
    """ensures that every section `init` leaves with its placeholder is an error naming the
    section, on the line that holds the placeholder."""
    answers = _init("luzhou-etc-2023", tmp_path / "sub")
    lines = answers.read_text(encoding="utf-8").splitlines()
    data = json_of("check", tmp_path / "sub", "--json", exit_code=1)
    assert_valid(data, "check")
    found = _placeholders(data)
    assert [d["path"] for d in found] == [
        f"narrative.{i}" for i in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2")
    ]
    for d in found:
        assert d["severity"] == "error"
        section = d["path"].removeprefix("narrative.")
        assert f"章节 {section} " in d["message"]
        assert lines[d["line"] - 1].strip().startswith("（在此填写")  # the placeholder's own line
        assert lines[d["line"] - 2].strip().startswith(f'"{section}": |')
    assert "（在此填写企业基本情况，不少于 200 字。）" in found[0]["message"]


def test_the_guidance_is_in_comments_not_in_the_answer(tmp_path: Path) -> None:
    """ensures that the «应包括：…» guidance is a YAML comment above each section: the sections
    read back hold the placeholder only."""
    answers = _init("luzhou-etc-2023", tmp_path / "sub")
    text = answers.read_text(encoding="utf-8")
    narrative = yaml.safe_load(text)["narrative"]
    assert narrative["1.1"] == "（在此填写企业基本情况，不少于 200 字。）\n"
    assert not any("应包括" in value for value in narrative.values())
    guidance = "  # 应包括：所有制性质、主要下属企业、职工人数、企业总资产、资产负债率、银行信用等级、销售收入、利润、主导产品及市场占有率\n"
    assert guidance + '  "1.1": |   # 企业基本情况\n    （在此填写企业基本情况' in text


@pytest.mark.parametrize("program", EXAMPLES)
def test_every_program_skeleton_has_one_placeholder_error_per_section(program: str, tmp_path: Path) -> None:
    """ensures that for every program with an outline, check after init reports each section once."""
    answers = _init(program, tmp_path / "sub")
    narrative = yaml.safe_load(answers.read_text(encoding="utf-8"))["narrative"]
    found = _placeholders(json_of("check", tmp_path / "sub", "--json", exit_code=1))
    assert sorted(d["path"] for d in found) == sorted(f"narrative.{key}" for key in narrative)
    assert all("应包括" not in value for value in narrative.values())


_FILLER = (
    "本公司成立于二〇〇八年，是一家专注于智能装备研发、生产和销售的企业，技术中心设于总部。"
    "多年来公司坚持以市场为导向，持续完善研发体系，积极开展对外合作，形成了较为完整的产品线。"
) * 3


def _fill(answers: Path, section: str, text: str) -> None:
    lines = answers.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(f'"{section}": |'))
    assert lines[start + 1].strip().startswith("（在此填写")
    lines[start + 1] = "".join(f"    {line}\n" for line in text.splitlines())
    answers.write_text("".join(lines), encoding="utf-8")


def test_filling_a_section_removes_its_error_and_the_guidance_covers_no_point(tmp_path: Path) -> None:
    """ensures that writing a section's text removes its placeholder error (the others stay), and
    that the guidance comment above it does not make the point check pass."""
    answers = _init("luzhou-etc-2023", tmp_path / "sub")
    _fill(answers, "1.1", _FILLER)
    data = json_of("check", tmp_path / "sub", "--json", exit_code=1)
    paths = [d["path"] for d in _placeholders(data)]
    assert "narrative.1.1" not in paths
    assert "narrative.1.2" in paths
    uncovered = [d["message"] for d in data["diagnostics"] if d["code"] == "narrative.point_missing"]
    for point in ("所有制性质", "主要下属企业", "职工人数", "资产负债率", "主导产品及市场占有率"):
        assert any(f"“{point}”" in m and "章节 1.1" in m for m in uncovered), point
    assert not [
        d for d in data["diagnostics"] if d["path"] == "narrative.1.1" and d["code"] == "narrative.empty"
    ]


def test_guidance_left_inside_a_section_is_an_error_and_covers_no_point(example: Path) -> None:
    """ensures that an older skeleton's guidance line written inside the | block (the trap: it was
    read as the answer's heading and covered every point) is an error on its line, counts for
    nothing, and stops the build."""
    answers = example / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    guidance = "# 应包括：所有制性质、主要下属企业、职工人数、企业总资产、资产负债率、银行信用等级、销售收入、利润、主导产品及市场占有率"
    start = re.search(r'^  "1\.1": [|>][^\n]*\n', text, re.MULTILINE)
    assert start is not None
    text = text[: start.end()] + f"    {guidance}\n" + text[start.end() :]
    answers.write_text(text, encoding="utf-8")
    line = text[: start.end()].count("\n") + 1
    data = json_of("check", example, "--json", exit_code=1)
    found = _placeholders(data)
    assert [(d["path"], d["line"]) for d in found] == [("narrative.1.1", line)]
    assert guidance in found[0]["message"]
    build = run("build", example, "-o", example.parent / "out")
    assert build.exit_code == 1
    assert "narrative.placeholder" in build.output
    assert not (example.parent / "out" / "report.docx").exists()


def test_a_one_line_placeholder_is_reported_on_its_key_line(luzhou_basic: Path) -> None:
    """ensures that a placeholder given as a one-line value (JSON, a quoted YAML string) is
    reported on the key's own line."""
    answers = luzhou_basic / "answers.yaml"
    text = answers.read_text(encoding="utf-8") + 'narrative:\n  "1.1": "（在此填写企业基本情况。）"\n'
    answers.write_text(text, encoding="utf-8")
    found = _placeholders(json_of("check", luzhou_basic, "--json", exit_code=1))
    assert [(d["path"], d["line"]) for d in found] == [("narrative.1.1", text.count("\n"))]


# -- point 7: the JSON contract --------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_check_score_evidence_json_follow_their_schemas(name: str) -> None:
    """ensures that the check, score and evidence objects of every shipped example validate."""
    folder = ROOT / "examples" / name
    assert_valid(json_of("check", folder, "--json"), "check")
    score = json_of("score", folder, "--json")
    assert_valid(score, "score")
    assert score["program"] == name
    evidence = json_of("evidence", folder, "--json")
    assert_valid(evidence, "evidence")
    assert {d["status"] for d in evidence["documents"]} <= set(STATUS)


@pytest.mark.parametrize("name", EXAMPLES)
def test_build_score_json_follows_the_score_schema(name: str, tmp_path: Path) -> None:
    """ensures that score.json written by build is the score object plus the evidenced keys."""
    out = tmp_path / "out"
    result = run("build", ROOT / "examples" / name, "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "score.json").read_text(encoding="utf-8"))
    assert_valid(data, "score")
    assert isinstance(data["evidenced_total"], int | float)
    assert isinstance(data["evidenced_eligible"], bool)
    score = json_of("score", ROOT / "examples" / name, "--json")
    assert {k: v for k, v in data.items() if not k.startswith("evidenced_")} == score


def _review_folder(root: Path, name: str) -> Path:
    """The example twice (one copy without its first evidence file) plus an unreadable one."""
    shutil.copytree(ROOT / "examples" / name, root / "a")
    shutil.copytree(ROOT / "examples" / name, root / "b")
    evidence = sorted((root / "b" / "evidence").iterdir())
    evidence[0].unlink()
    (root / "c").mkdir()
    (root / "c" / "answers.yaml").write_text("program: [\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("name", EXAMPLES)
def test_review_json_follows_its_schema_with_one_status_per_entry(name: str, tmp_path: Path) -> None:
    """ensures that review --json validates, every entry has the same keys and its status says
    which kind it is."""
    folder = _review_folder(tmp_path / "review", name)
    data = json_of("review", folder, "--program", name, "--json", "--jobs", "1", "--no-cache")
    assert_valid(data, "review")
    entries = {e["path"]: e for e in data["submissions"]}
    assert len({tuple(e) for e in entries.values()}) == 1  # the same keys, in the same order
    assert entries["b"]["status"] == "incomplete"  # a required file removed, or a figure unproved
    broken = entries["c"]
    assert broken["status"] == "broken"
    assert broken["total"] is None
    assert broken["errors"][0]["code"] == "yaml.syntax"
    assert entries["a"]["status"] in ("ok", "incomplete")
    assert entries["a"]["errors"] == []


def test_review_status_ok_for_a_complete_submission(tmp_path: Path) -> None:
    """ensures that a scored submission with every required document and every figure proved is
    ``ok``, and one missing a required document is ``incomplete``."""
    root = tmp_path / "review"
    for sub in ("a", "b"):
        shutil.copytree(EXAMPLE, root / sub)
    # the Luzhou example lacks only its 现金流量表 (check: missing_documents)
    shutil.copy(root / "a" / "evidence" / "利润表.pdf", root / "a" / "evidence" / "现金流量表.pdf")
    check = json_of("check", root / "a", "--json")
    assert check["complete"] is True
    data = json_of("review", root, "--program", "luzhou-etc-2023", "--json", "--jobs", "1", "--no-cache")
    assert_valid(data, "review")
    status = {e["path"]: e["status"] for e in data["submissions"]}
    assert status == {"a": "ok", "b": "incomplete"}
    missing = {e["path"]: e["missing"] for e in data["submissions"]}
    assert missing == {"a": [], "b": ["企业现金流量表"]}


@pytest.mark.parametrize("command", ["score", "evidence"])
def test_json_on_an_unreadable_answers_file_is_the_check_object(command: str, luzhou_basic: Path) -> None:
    """ensures that score/evidence --json on a broken answers file print the check object to
    stdout and exit 1, the same object check --json prints."""
    (luzhou_basic / "answers.yaml").write_text("program: luzhou-etc-2023\nprofile: [\n", encoding="utf-8")
    data = json_of(command, luzhou_basic, "--json", exit_code=1)
    assert_valid(data, "check")
    assert data["ok"] is False
    assert data["complete"] is False
    assert [d["code"] for d in data["diagnostics"]] == ["yaml.syntax"]
    assert data == json_of("check", luzhou_basic, "--json", exit_code=1)


@pytest.mark.parametrize("command", ["score", "evidence"])
def test_json_on_figure_errors_is_the_check_object(command: str, luzhou_basic: Path) -> None:
    """ensures that score/evidence --json stopped by errors in the figures print the whole check
    object (every finding, not only the blocking ones) and exit 1."""
    answers = luzhou_basic / "answers.yaml"
    answers.write_text(
        answers.read_text(encoding="utf-8").replace("rd_staff: 120", "rd_staff: 9000"), encoding="utf-8"
    )
    data = json_of(command, luzhou_basic, "--json", exit_code=1)
    assert_valid(data, "check")
    assert data["ok"] is False
    assert any(d["severity"] == "error" and d["path"] == "data.rd_staff" for d in data["diagnostics"])
    assert data == json_of("check", luzhou_basic, "--json", exit_code=1)
    plain = run(command, luzhou_basic)  # without --json: the errors on stderr, nothing on stdout
    assert plain.exit_code == 1
    assert plain.stdout == ""
    assert "rd_staff" in plain.stderr


def test_check_json_on_a_skeleton_with_errors_validates(tmp_path: Path) -> None:
    """ensures that the check object of an input full of errors (a fresh skeleton) validates."""
    _init("national-etc-2021", tmp_path / "sub")
    data = json_of("check", tmp_path / "sub", "--json", exit_code=1)
    assert_valid(data, "check")
    assert data["ok"] is False
    assert {d["severity"] for d in data["diagnostics"]} == {"error", "warning"}


# -- the schemas themselves ------------------------------------------------------------------------


def test_schemas_are_draft_2020_12_objects_with_a_version() -> None:
    """ensures that every schema declares draft 2020-12, its own id and the schema_version."""
    for name, schema in SCHEMA.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == f"urn:docgen:schema:{name}"
        assert schema["type"] == "object"
        assert schema["additionalProperties"] is False
        assert "schema_version" in schema["required"]
        assert schema["properties"]["schema_version"]["const"] == 1


def test_shared_definitions_are_the_same_in_every_schema() -> None:
    """ensures that a definition repeated in several schemas (each is self-contained) is the same."""
    seen: dict[str, Any] = {}
    for schema in SCHEMA.values():
        for key, definition in schema.get("$defs", {}).items():
            assert seen.setdefault(key, definition) == definition, key
    assert {"diagnostic", "indicator"} <= set(seen)


def test_evidence_statuses_are_the_spec_statuses() -> None:
    """ensures that the evidence schema's statuses are the SPEC §8 list, each with its label."""
    documents = SCHEMA["evidence"]["properties"]["documents"]["items"]
    assert documents["properties"]["status"]["enum"] == list(STATUS)
    assert list(STATUS) == [
        "ok",
        "missing",
        "outside",
        "unreadable",
        "encrypted",
        "no-text",
        "id-not-found",
        "expired",
    ]


def _keys(schema: dict[str, Any]) -> set[str]:
    found = set(schema.get("properties", {}))
    for value in (*schema.get("properties", {}).values(), *schema.get("$defs", {}).values()):
        found |= _keys(value)
    if isinstance(schema.get("items"), dict):
        found |= _keys(schema["items"])
    return found


def test_docs_json_documents_every_key_with_an_example() -> None:
    """ensures that docs/json.md names every key of every schema and gives an example object of
    each that validates."""
    text = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    for name, schema in SCHEMA.items():
        for key in _keys(schema):
            assert f"`{key}`" in text, (name, key)
    examples = re.findall(r"```json\n(.*?)```", text, re.DOTALL)
    kinds = []
    for example in examples:
        data = json.loads(example)
        kind = next(n for n in ("review", "evidence", "check", "score") if not errors(data, SCHEMA[n]))
        kinds.append(kind)
    assert set(kinds) == set(SCHEMAS)


def test_the_schemas_ship_in_the_wheel() -> None:
    """ensures that the schemas are package data: inside docgen/, tracked by git, not ignored, and
    the wheel target packages the whole docgen folder without excluding them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["docgen"]
    assert not wheel.get("exclude")
    ignored = [
        line.strip().strip("/")
        for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for name in SCHEMAS:
        path = schema_path(name)
        assert path.parent == ROOT / "docgen" / "schemas"
        parts = path.relative_to(ROOT).parts
        # hatch leaves out what .gitignore names
        assert not [p for p in ignored for part in parts if fnmatch.fnmatch(part, p)], path


# -- the validator can fail ------------------------------------------------------------------------


def test_the_validator_finds_what_is_wrong() -> None:
    """ensures that the subset validator reports wrong types, missing and extra keys, a bool given
    for a number, a wrong constant, and refuses keywords it does not know."""
    good = json_of("score", EXAMPLE, "--json")
    assert errors(good, SCHEMA["score"]) == []
    bad = json.loads(json.dumps(good))
    bad["total"] = "81.5"
    del bad["program"]
    bad["extra"] = 1
    bad["schema_version"] = True
    bad["indicators"][0]["weight"] = False
    bad["indicators"][0]["result"] = "通过"
    found = errors(bad, SCHEMA["score"])
    assert any("$.total" in e for e in found)
    assert any("'program'" in e for e in found)
    assert any("'extra'" in e for e in found)
    assert any("$.schema_version" in e for e in found)
    assert any("$.indicators[0].weight" in e for e in found)
    assert any("$.indicators[0].result" in e for e in found)
    assert errors(2.0, {"type": "integer"}) == []
    assert errors(2.5, {"type": "integer"}) != []
    with pytest.raises(SchemaError):
        errors("x", {"type": "string", "pattern": "^x$"})

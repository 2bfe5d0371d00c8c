"""The JSON API of the web workspace (SPEC §10), through the ASGI test client: shapes, status
codes, exact agreement with the CLI, bad input answered and nothing lost."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document

from docgen.app.build import build_submission, render_outputs
from docgen.app.submission import evaluate_submission, open_submission
from docgen.outputs.objects import score_json
from tests.web_helpers import EXAMPLES, PROGRAMS, Client

PDF = EXAMPLES / "luzhou-etc-2023" / "evidence" / "承诺书.pdf"


@pytest.fixture
def client(tmp_path: Path) -> Client:
    return Client(tmp_path / "data")


def _cli_score(program: str) -> dict:
    sub = open_submission(EXAMPLES / program)
    ev = evaluate_submission(sub)
    return score_json(ev.claimed, ev.evidenced)


def test_programs_and_session(client: Client):
    """ensures GET /api/programs lists the six programs with their kinds, and /api/session gives
    the local user and a token."""
    programs = client.http.get("/api/programs").json()
    assert sorted(p["id"] for p in programs) == PROGRAMS
    luzhou = next(p for p in programs if p["id"] == "luzhou-etc-2023")
    assert luzhou["kinds"] == ["认定", "评价"]
    assert set(luzhou) >= {"id", "title", "kinds", "deadline"}
    session = client.http.get("/api/session").json()
    assert session["user"] == "local"
    assert session["role"] == "local"
    assert len(session["csrf_token"]) == 64


def test_create_and_read_a_submission(client: Client):
    """ensures POST /api/submissions answers 201 with the program's first kind, and the
    submission reads back with the SPEC §10 keys."""
    made = client.http.post("/api/submissions", json={"program": "gansu-etc-2022"}, headers=client.headers())
    assert made.status_code == 201
    sid = made.json()["id"]
    got = client.http.get(f"/api/submissions/{sid}").json()
    assert {"id", "program", "kind", "status", "company", "answers", "updated", "reason"} <= set(got)
    assert (got["program"], got["kind"], got["status"], got["reason"]) == (
        "gansu-etc-2022",
        "认定",
        "draft",
        None,
    )
    assert [s["id"] for s in client.http.get("/api/submissions").json()] == [sid]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"program": "nowhere"}, "unknown_program"),
        ({"program": "luzhou-etc-2023", "kind": "复核"}, "bad_kind"),
    ],
)
def test_create_refuses_unknown_program_or_kind(client: Client, body: dict, code: str):
    """ensures an unknown program or kind is a 400 with the error object in Chinese."""
    answer = client.http.post("/api/submissions", json=body, headers=client.headers())
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == code
    assert "可选" in answer.json()["error"]["message"]


@pytest.mark.parametrize("program", PROGRAMS)
def test_imported_example_scores_as_the_cli(client: Client, program: str):
    """ensures each shipped example imported as a zip scores exactly as the CLI: the same score
    object (claimed and evidenced totals, every line) and the same check."""
    sid = client.import_example(program)
    score = client.http.get(f"/api/submissions/{sid}/score")
    assert score.status_code == 200
    assert score.json() == _cli_score(program)
    check = client.http.get(f"/api/submissions/{sid}/check").json()
    assert check["schema_version"] == 1
    assert isinstance(check["ok"], bool)
    evidence = client.http.get(f"/api/submissions/{sid}/evidence").json()
    assert evidence["evidenced_total"] == score.json()["evidenced_total"]


def test_report_is_byte_identical_to_a_build_of_the_exported_folder(client: Client, tmp_path: Path):
    """ensures every §8 output from the API equals, byte for byte, `docgen build` of the folder
    that export.zip holds."""
    sid = client.import_example("luzhou-etc-2023")
    exported = client.http.get(f"/api/submissions/{sid}/export.zip")
    assert exported.status_code == 200
    folder = tmp_path / "exported"
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        archive.extractall(folder)
    (top,) = list(folder.iterdir())
    built = build_submission(open_submission(top), tmp_path / "out")
    for name in (
        "report.docx",
        "missing-evidence.docx",
        "missing-evidence.md",
        "evidence-bundle.pdf",
        "score.json",
    ):
        served = client.http.get(f"/api/submissions/{sid}/outputs/{name}")
        assert served.status_code == 200, name
        assert served.content == (built.out / name).read_bytes(), name
    company = open_submission(EXAMPLES / "luzhou-etc-2023").answers.company
    text = "\n".join(
        p.text
        for p in Document(
            io.BytesIO(client.http.get(f"/api/submissions/{sid}/outputs/report.docx").content)
        ).paragraphs
    )
    assert company in text


def test_work_in_progress_is_saved_with_its_findings(client: Client):
    """ensures answers with an unknown key and a wrong type are saved and answered 200 with the
    check object naming them at their key paths; /score then answers 422 with the check."""
    sid = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    answers = {
        "program": "luzhou-etc-2023",
        "profile": {"company_name": "测试公司"},
        "data": {"rd_staff": "很多"},
        "colour": 1,
    }
    saved = client.http.put(f"/api/submissions/{sid}/answers", json=answers, headers=client.headers())
    assert saved.status_code == 200
    paths = {d["path"] for d in saved.json()["diagnostics"]}
    assert {"data.rd_staff", "colour"} <= paths
    assert saved.json()["ok"] is False
    got = client.http.get(f"/api/submissions/{sid}").json()
    assert got["answers"]["colour"] == 1
    assert got["company"] == "测试公司"
    score = client.http.get(f"/api/submissions/{sid}/score")
    assert score.status_code == 422
    assert score.json()["ok"] is False


def test_yaml_body_is_kept_verbatim(client: Client):
    """ensures a YAML body (Content-Type application/yaml) is kept as written, comments and all,
    so its diagnostics' lines are the user's own lines."""
    sid = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    text = (EXAMPLES / "luzhou-etc-2023" / "answers.yaml").read_text("utf-8")
    saved = client.http.put(
        f"/api/submissions/{sid}/answers",
        content=text.encode("utf-8"),
        headers=client.headers(**{"Content-Type": "application/yaml"}),
    )
    assert saved.status_code == 200
    exported = client.http.get(f"/submissions/{sid}/download/answers.yaml")
    assert exported.content.decode("utf-8") == text


@pytest.mark.parametrize(
    ("content", "media", "status", "code"),
    [
        (b'{"program": ', "application/json", 400, "not_json"),
        (b"[1, 2]", "application/json", 400, "not_object"),
        (b"program: [unclosed", "application/yaml", 400, "not_yaml"),
        (b'"text"', "application/json", 400, "not_object"),
        (b"\xff\xfe\x00", "application/json", 400, "not_utf8"),
    ],
)
def test_bad_bodies_are_400_and_save_nothing(
    client: Client, content: bytes, media: str, status: int, code: str
):
    """ensures a body that is not parseable, not UTF-8 or not an object answers 400 with the
    error object, and the saved answers and version stay as they were."""
    sid = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    before = client.http.get(f"/api/submissions/{sid}").json()
    answer = client.http.put(
        f"/api/submissions/{sid}/answers", content=content, headers=client.headers(**{"Content-Type": media})
    )
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == code
    assert answer.json()["error"]["message"]
    after = client.http.get(f"/api/submissions/{sid}").json()
    assert (after["version"], after["answers"]) == (before["version"], before["answers"])


def test_oversized_body_is_413(tmp_path: Path):
    """ensures an answers body over the limit is refused (413) before it is saved."""
    client = Client(tmp_path / "data", max_answers_bytes=1000)
    sid = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    big = {"program": "luzhou-etc-2023", "narrative": {"1.1": "字" * 2000}}
    answer = client.http.put(f"/api/submissions/{sid}/answers", json=big, headers=client.headers())
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"
    assert client.http.get(f"/api/submissions/{sid}").json()["version"] == 1


def test_stale_version_is_409(client: Client):
    """ensures a PUT made on an older version (If-Match) is refused with 409 and loses nothing."""
    sid = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    first = {"program": "luzhou-etc-2023", "profile": {"company_name": "甲公司"}}
    assert (
        client.http.put(
            f"/api/submissions/{sid}/answers", json=first, headers=client.headers(**{"If-Match": '"1"'})
        ).status_code
        == 200
    )
    second = {"program": "luzhou-etc-2023", "profile": {"company_name": "乙公司"}}
    late = client.http.put(
        f"/api/submissions/{sid}/answers", json=second, headers=client.headers(**{"If-Match": '"1"'})
    )
    assert late.status_code == 409
    assert "版本" in late.json()["error"]["message"]
    assert client.http.get(f"/api/submissions/{sid}").json()["company"] == "甲公司"


def test_upload_by_content_and_confined_paths(client: Client):
    """ensures uploads are typed by content (a text file named .pdf is 415), stored under their
    normalised path with their SHA-256, and that a path leaving the folder is refused."""
    import hashlib

    sid = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    data = PDF.read_bytes()
    ok = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("承诺书.pdf", data, "application/pdf")},
        data={"path": "evidence\\承诺书.pdf"},
        headers=client.headers(),
    )
    assert ok.status_code == 201
    assert ok.json() == {
        "path": "evidence/承诺书.pdf",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    fake = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("x.pdf", b"not a pdf at all", "application/pdf")},
        headers=client.headers(),
    )
    assert fake.status_code == 415
    assert "PDF" in fake.json()["error"]["message"]
    for bad in (
        "../outside.pdf",
        "/etc/passwd",
        "C:/x.pdf",
        "evidence/../../x.pdf",
        ".hidden/x.pdf",
        "answers.yaml",
    ):
        refused = client.http.post(
            f"/api/submissions/{sid}/files",
            files={"file": ("x.pdf", data, "application/pdf")},
            data={"path": bad},
            headers=client.headers(),
        )
        assert refused.status_code == 400, bad
    files = client.http.get(f"/api/submissions/{sid}").json()["files"]
    assert [f["path"] for f in files] == ["evidence/承诺书.pdf"]
    served = client.http.get(f"/api/submissions/{sid}/files/evidence/承诺书.pdf")
    assert served.status_code == 200
    assert served.content == data


def test_upload_limits_are_413(tmp_path: Path):
    """ensures a file over the per-file limit, and one that would take the submission over its
    total, are refused with 413 and not stored."""
    data = PDF.read_bytes()
    client = Client(tmp_path / "data", max_file_bytes=len(data) - 1)
    sid = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    answer = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("a.pdf", data, "application/pdf")},
        headers=client.headers(),
    )
    assert answer.status_code == 413
    client = Client(tmp_path / "data2", max_submission_bytes=len(data) + 10)
    sid = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    assert (
        client.http.post(
            f"/api/submissions/{sid}/files",
            files={"file": ("a.pdf", data, "application/pdf")},
            headers=client.headers(),
        ).status_code
        == 201
    )
    second = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("b.pdf", data, "application/pdf")},
        headers=client.headers(),
    )
    assert second.status_code == 413
    assert second.json()["error"]["code"] == "submission_too_large"
    assert [f["path"] for f in client.http.get(f"/api/submissions/{sid}").json()["files"]] == [
        "evidence/a.pdf"
    ]


def test_unknown_submission_is_404_everywhere(client: Client):
    """ensures an id that is not the caller's answers 404 on every route, downloads included."""
    for path in (
        "",
        "/check",
        "/score",
        "/evidence",
        "/outputs/report.docx",
        "/export.zip",
        "/files/evidence/a.pdf",
    ):
        assert client.http.get(f"/api/submissions/0123456789abcdef{path}").status_code == 404, path
    put = client.http.put(
        "/api/submissions/0123456789abcdef/answers", json={"program": "x"}, headers=client.headers()
    )
    assert put.status_code == 404
    assert put.json()["error"]["code"] == "not_found"
    assert client.http.get("/submissions/0123456789abcdef").status_code == 404


def test_import_refuses_unsafe_zip(client: Client):
    """ensures a zip whose member leaves the folder is refused whole, and one without answers is
    a 400 naming what is missing."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("answers.yaml", "program: luzhou-etc-2023\n")
        archive.writestr("../evil.pdf", PDF.read_bytes())
    answer = client.http.post(
        "/api/submissions/import", files={"file": ("x.zip", buffer.getvalue())}, headers=client.headers()
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "zip_unsafe"
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.pdf", PDF.read_bytes())
    answer = client.http.post(
        "/api/submissions/import", files={"file": ("x.zip", empty.getvalue())}, headers=client.headers()
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "zip_no_answers"
    assert client.http.get("/api/submissions").json() == []


def test_import_reads_gbk_names_of_a_windows_zip(client: Client):
    """ensures a zip made on Chinese Windows (GBK names, no UTF-8 flag) imports under the right
    Chinese file names."""
    buffer = io.BytesIO()
    gbk = "承诺书".encode("gbk")
    placeholder = b"A" * len(gbk)
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "answers.yaml", "program: luzhou-etc-2023\nevidence:\n  commitment_letter: evidence/承诺书.pdf\n"
        )
        archive.writestr(f"evidence/{placeholder.decode()}.pdf", PDF.read_bytes())
    raw = buffer.getvalue().replace(
        b"evidence/" + placeholder, b"evidence/" + gbk
    )  # names are not checksummed
    answer = client.http.post(
        "/api/submissions/import", files={"file": ("x.zip", raw)}, headers=client.headers()
    )
    assert answer.status_code == 201
    assert [f["path"] for f in answer.json()["files"]] == ["evidence/承诺书.pdf"]


def test_every_json_error_is_the_error_object(client: Client):
    """ensures unknown API routes and wrong methods answer the error object, never a traceback."""
    missing = client.http.get("/api/nothing")
    assert missing.status_code == 404
    assert set(missing.json()["error"]) == {"code", "message"}
    wrong = client.http.delete("/api/programs", headers=client.headers())
    assert wrong.status_code == 405
    assert "DELETE" in wrong.json()["error"]["message"]
    assert json.loads(client.http.get("/api/programs").content)  # plain JSON, parseable


def test_outputs_wait_for_errors_to_be_fixed(client: Client):
    """ensures outputs of answers with errors answer 422 with the check object."""
    sid = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
    ).json()["id"]
    answer = client.http.get(f"/api/submissions/{sid}/outputs/report.docx")
    assert answer.status_code == 422
    assert answer.json()["ok"] is False
    assert answer.json()["diagnostics"]
    assert client.http.get(f"/api/submissions/{sid}/outputs/secrets.txt").status_code == 404


def test_render_outputs_agree_with_the_cached_ones(client: Client):
    """ensures the outputs kept in memory are those of the current version: after an edit the
    report is rendered again (the score in score.json follows the edit)."""
    sid = client.import_example("luzhou-etc-2023")
    first = json.loads(client.http.get(f"/api/submissions/{sid}/outputs/score.json").content)
    answers = client.http.get(f"/api/submissions/{sid}").json()["answers"]
    answers["data"]["rd_expense"] = 100  # below the 150万元 eligibility bound
    assert (
        client.http.put(f"/api/submissions/{sid}/answers", json=answers, headers=client.headers()).status_code
        == 200
    )
    second = json.loads(client.http.get(f"/api/submissions/{sid}/outputs/score.json").content)
    assert first["eligible"] is True
    assert second["eligible"] is False
    sub = open_submission(EXAMPLES / "luzhou-etc-2023")
    outputs, _ = render_outputs(sub)
    assert json.loads(outputs["score.json"])["total"] == first["total"]

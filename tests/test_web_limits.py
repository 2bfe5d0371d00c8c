"""Upload limits per program (SPEC §11: 50 MB a file, 500 MB a submission, a program may say
otherwise in its definition's ``platform``): every way a file arrives obeys its program's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.definitions.load import load_catalog_from
from docgen.errors import DefinitionError
from tests.web_helpers import ROOT, Client, zip_folder

EXAMPLE = ROOT / "examples" / "luzhou-etc-2023"


def _definitions(tmp_path: Path, platform_lines: str) -> Path:
    root = tmp_path / "definitions"
    for name in ("programs", "outlines", "checklists"):
        shutil.copytree(ROOT / name, root / name)
    path = root / "programs" / "luzhou-etc-2023.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nplatform:\n" in text
    path.write_text(text.replace("\nplatform:\n", f"\nplatform:\n{platform_lines}", 1), encoding="utf-8")
    return root


def _client(tmp_path: Path, platform_lines: str) -> Client:
    root = _definitions(tmp_path, platform_lines)
    catalog = load_catalog_from(root / "programs", root / "outlines", root / "checklists")
    client = Client.__new__(Client)
    from starlette.testclient import TestClient

    from docgen.web.app import create_app
    from docgen.web.settings import Settings

    client.http = TestClient(
        create_app(Settings(data=tmp_path / "data"), catalog), base_url="http://127.0.0.1:8000"
    )
    client.token = client.http.get("/api/session").json()["csrf_token"]
    return client


def _pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n"
    return head + b"0" * (size - len(head) - 6) + b"\n%%EOF"


def test_a_program_lowers_the_file_limit_for_every_way_a_file_arrives(tmp_path: Path):
    """ensures max_file_mb: 1 refuses a 1.5 MB PDF through the API, the page's upload and an
    imported zip (413 naming 1.0 MB), while a 0.5 MB one is stored."""
    client = _client(tmp_path, "  max_file_mb: 1\n")
    sid = client.import_example("luzhou-etc-2023")
    big, small = _pdf(1_500_000), _pdf(500_000)
    api = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("大.pdf", big, "application/pdf")},
        headers=client.headers(),
    )
    assert api.status_code == 413
    assert "1.0 MB" in api.json()["error"]["message"]
    page = client.http.post(
        f"/submissions/{sid}/upload",
        data={"document": ""},
        files={"file": ("大.pdf", big, "application/pdf")},
        headers=client.headers(),
    )
    assert page.status_code == 413
    ok = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("小.pdf", small, "application/pdf")},
        headers=client.headers(),
    )
    assert ok.status_code == 201
    folder = tmp_path / "folder"
    shutil.copytree(EXAMPLE, folder)
    (folder / "evidence" / "大.pdf").write_bytes(big)
    imported = client.http.post(
        "/api/submissions/import",
        files={"file": ("s.zip", zip_folder(folder), "application/zip")},
        headers=client.headers(),
    )
    assert imported.status_code == 413
    assert "evidence/大.pdf" in imported.json()["error"]["message"]


def test_a_program_limits_the_files_of_a_submission_together(tmp_path: Path):
    """ensures max_submission_mb: 1 refuses the upload that would bring the submission's files
    over 1 MB together (the example's own files are small), naming the total."""
    client = _client(tmp_path, "  max_submission_mb: 1\n")
    sid = client.import_example("luzhou-etc-2023")
    first = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("a.pdf", _pdf(600_000), "application/pdf")},
        headers=client.headers(),
    )
    assert first.status_code == 201
    second = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("b.pdf", _pdf(600_000), "application/pdf")},
        headers=client.headers(),
    )
    assert second.status_code == 413
    assert second.json()["error"]["code"] == "submission_too_large"


def test_the_default_limits_hold_without_a_program_limit(tmp_path: Path):
    """ensures a program without limits takes the server's: a 1.5 MB PDF is stored."""
    client = Client(tmp_path / "data")
    sid = client.import_example("luzhou-etc-2023")
    answer = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("大.pdf", _pdf(1_500_000), "application/pdf")},
        headers=client.headers(),
    )
    assert answer.status_code == 201


@pytest.mark.parametrize("value", ["0", "-5", "很大"])
def test_a_limit_that_is_no_positive_number_is_a_definition_error(tmp_path: Path, value: str):
    """ensures max_file_mb of 0, a negative number or text is a definition error naming it."""
    root = _definitions(tmp_path, f"  max_file_mb: {value}\n")
    with pytest.raises(DefinitionError) as info:
        load_catalog_from(root / "programs", root / "outlines", root / "checklists")
    paths = {d.location.path for d in info.value.diagnostics}
    assert "platform.max_file_mb" in paths

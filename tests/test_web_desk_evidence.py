"""The review desk's reading of a submission (SPEC §11, issue #21 point 4): each evidence file on
a page of its own — a PDF framed from our own origin, an image as itself, Word and Excel as
downloads — seen only by who may see the submission, ruled 不予认可 from there; and the desk's
zip of the reviewed submissions, which `docgen review` reads back to the same 汇总表."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from PIL import Image
from starlette.testclient import TestClient

from docgen.cli.main import cli
from docgen.web.accounts import add_user
from docgen.web.app import create_app
from docgen.web.settings import Settings
from tests.web_helpers import EXAMPLES, PLATFORM_PASSWORD, other_enterprise_code, platform_login, zip_folder

A = "9151050479184265X8"
B = other_enterprise_code()
PASSWORD = PLATFORM_PASSWORD
PROGRAM = "luzhou-etc-2023"
EVIDENCE = EXAMPLES / PROGRAM / "evidence"
PDF = "evidence/利润表.pdf"
PNG = "evidence/现场照片.png"
DOCX = "evidence/研发项目说明.docx"


@pytest.fixture
def app(tmp_path: Path):
    app = create_app(Settings(data=tmp_path / "data", platform=True))
    ws = app.state.workspace
    add_user(ws, A, "enterprise", PASSWORD, region="泸州市龙马潭区")
    add_user(ws, B, "enterprise", PASSWORD, region="泸州市江阳区")
    add_user(ws, "reviewer", "reviewer", PASSWORD, region="泸州市", programs=(PROGRAM,))
    add_user(ws, "elsewhere", "reviewer", PASSWORD, region="甘肃省")
    add_user(ws, "other-program", "reviewer", PASSWORD, region="泸州市", programs=("gansu-etc-2022",))
    add_user(ws, "admin", "admin", PASSWORD)
    return app


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _submitted(app) -> str:
    """Returns the id of the Luzhou example, completed with its 现金流量表, a photo and a Word
    file, accepted and submitted by A."""
    a, h = platform_login(app, A)
    sid = a.post(
        "/api/submissions/import", files={"file": ("a.zip", zip_folder(EXAMPLES / PROGRAM))}, headers=h
    ).json()["id"]
    docx = Path(__file__).resolve().parent.parent / "templates" / "application-report.docx"
    for path, data in (
        ("evidence/现金流量表.pdf", (EVIDENCE / "利润表.pdf").read_bytes()),
        (PNG, _png()),
        (DOCX, docx.read_bytes()),
    ):
        sent = a.post(
            f"/api/submissions/{sid}/files",
            files={"file": (path.rsplit("/", 1)[-1], data)},
            data={"path": path},
            headers=h,
        )
        assert sent.status_code == 201
    assert a.post(f"/api/submissions/{sid}/commitment", headers=h).status_code == 200
    assert a.post(f"/api/submissions/{sid}/submit", headers=h).status_code == 200
    return str(sid)


def test_each_file_is_shown_in_the_page_by_its_kind(app):
    """ensures the reviewer's page of a PDF frames the stored file, which is served inline as a
    PDF that our own pages may frame and nothing may run in; an image is an <img>; a Word file
    is a download, served as an attachment."""
    sid = _submitted(app)
    r, _ = platform_login(app, "reviewer")
    page = r.get(f"/submissions/{sid}/files/{PDF}")
    assert page.status_code == 200
    raw = f"/api/submissions/{sid}/files/{quote(PDF)}"
    assert f'<iframe class="viewer" src="{raw}"' in page.text
    assert "企业损益表" in page.text  # the checklist document it is used as
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    served = r.get(raw)
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith("inline")
    policy = served.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "script-src" not in policy
    assert served.headers["x-frame-options"] == "SAMEORIGIN"
    image = r.get(f"/submissions/{sid}/files/{PNG}")
    assert f'<img src="/api/submissions/{sid}/files/{quote(PNG)}"' in image.text
    assert r.get(f"/api/submissions/{sid}/files/{PNG}").headers["content-type"] == "image/png"
    word = r.get(f"/submissions/{sid}/files/{DOCX}")
    assert "<iframe" not in word.text
    assert f'href="/api/submissions/{sid}/files/{quote(DOCX)}" download' in word.text
    stored = r.get(f"/api/submissions/{sid}/files/{DOCX}")
    assert stored.headers["content-disposition"].startswith("attachment")
    assert stored.headers["x-frame-options"] == "DENY"
    assert r.get(f"/submissions/{sid}/files/evidence/没有这个文件.pdf").status_code == 404


@pytest.mark.parametrize(
    ("name", "status"),
    [(A, 200), ("reviewer", 200), (B, 404), ("elsewhere", 404), ("other-program", 404), ("admin", 404)],
)
def test_only_the_owner_and_its_reviewers_see_a_file(app, name: str, status: int):
    """ensures the file's page and the file itself answer the owner enterprise and the reviewer
    of its region and program, and 404 to every other account (another enterprise, a reviewer
    of another region or program, the admin)."""
    sid = _submitted(app)
    client, _ = platform_login(app, name)
    assert client.get(f"/submissions/{sid}/files/{PDF}").status_code == status
    assert client.get(f"/api/submissions/{sid}/files/{PDF}").status_code == status


def test_without_a_session_no_file_is_shown(app):
    """ensures a file's page and the file are refused to a visitor who has not signed in."""
    sid = _submitted(app)
    anonymous = TestClient(app, base_url="https://docgen.example.gov.cn")
    page = anonymous.get(f"/submissions/{sid}/files/{PDF}", follow_redirects=False)
    assert page.status_code in (303, 401)
    assert anonymous.get(f"/api/submissions/{sid}/files/{PDF}").status_code == 401


def test_a_ruling_is_made_from_the_files_page(app):
    """ensures the reviewer's 不予认可 posted from the file's page comes back to it with the
    reason shown, lowers the evidenced total, and is shown to the enterprise once returned."""
    sid = _submitted(app)
    r, rh = platform_login(app, "reviewer")
    page = r.get(f"/submissions/{sid}/files/{PDF}").text
    assert 'name="back" value="file"' in page
    before = r.get(f"/api/submissions/{sid}/score").json()["evidenced_total"]
    form = {
        "csrf_token": rh["X-CSRF-Token"],
        "step": "ruling",
        "back": "file",
        "file": PDF,
        "accepted": "false",
        "reason": "利润表未加盖公章",
    }
    done = r.post(f"/submissions/{sid}/workflow", data=form, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/submissions/{sid}/files/{quote(PDF)}"
    assert "不予认可。</strong>利润表未加盖公章" in r.get(done.headers["location"]).text
    assert r.get(f"/api/submissions/{sid}/score").json()["evidenced_total"] < before
    a, _ = platform_login(app, A)
    assert "利润表未加盖公章" not in a.get(f"/submissions/{sid}/files/{PDF}").text  # not yet returned
    r.post(f"/api/submissions/{sid}/return", json={"reason": "请重新上传盖章的利润表"}, headers=rh)
    assert "利润表未加盖公章" in a.get(f"/submissions/{sid}/files/{PDF}").text
    assert r.get(f"/submissions/{sid}/files/{PDF}").status_code == 404  # back with the enterprise


def test_the_review_zip_reviews_to_the_desks_summary(app, tmp_path: Path):
    """ensures 评审材料.zip holds the desk's 汇总表 and each submission's folder without the file
    ruled 不予认可, that `docgen review` of those folders writes the same 汇总表.csv as the desk,
    and that it is the reviewer's alone."""
    sid = _submitted(app)
    r, rh = platform_login(app, "reviewer")
    ruling = {"file": PDF, "accepted": False, "reason": "未盖章"}
    assert r.post(f"/api/submissions/{sid}/rulings", json=ruling, headers=rh).status_code == 200
    answer = r.get(f"/api/programs/{PROGRAM}/review/评审材料.zip")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    assert quote(f"{PROGRAM}-评审材料.zip") in answer.headers["content-disposition"]
    top = f"{PROGRAM}-评审材料"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "x")
    assert f"{top}/汇总表.docx" in names
    assert f"{top}/申报/{sid}/answers.yaml" in names
    assert f"{top}/申报/{sid}/{PNG}" in names
    assert f"{top}/申报/{sid}/{PDF}" not in names
    rulings = (tmp_path / "x" / top / "不予认可的材料.csv").read_text("utf-8-sig")
    assert "利润表.pdf,未盖章,reviewer" in rulings
    desk_csv = r.get(f"/api/programs/{PROGRAM}/review/汇总表.csv").content
    assert (tmp_path / "x" / top / "汇总表.csv").read_bytes() == desk_csv
    out = tmp_path / "out"
    folders = str(tmp_path / "x" / top / "申报")
    ran = CliRunner().invoke(cli, ["review", folders, "--program", PROGRAM, "-o", str(out)])
    assert ran.exit_code == 0, ran.output
    assert (out / "汇总表.csv").read_bytes() == desk_csv
    a, _ = platform_login(app, A)
    assert a.get(f"/api/programs/{PROGRAM}/review/评审材料.zip").status_code == 403
    other, _ = platform_login(app, "other-program")
    assert other.get(f"/api/programs/{PROGRAM}/review/评审材料.zip").status_code == 404


def test_the_review_zip_is_bounded(app, tmp_path: Path):
    """ensures a review zip whose files exceed the server's limit is refused with 413 and leaves
    no temporary file behind."""
    sid = _submitted(app)
    small = create_app(Settings(data=tmp_path / "data", platform=True, max_review_zip_bytes=1000))
    r, _ = platform_login(small, "reviewer")
    assert r.get(f"/api/programs/{PROGRAM}/review").json()["submissions"][0]["path"] == sid
    refused = r.get(f"/api/programs/{PROGRAM}/review/评审材料.zip")
    assert refused.status_code == 413
    assert "下载上限" in refused.json()["error"]["message"]
    assert list((tmp_path / "data" / "review").glob("tmp*")) == []

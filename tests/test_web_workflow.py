"""The submission workflow of platform mode (SPEC §11): the commitment, submit with its checks,
return with a reason, correct and resubmit, a ruling that 核减s, accept — and the audit log."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from docgen.web.accounts import add_user
from docgen.web.app import create_app
from docgen.web.settings import Settings
from tests.web_helpers import EXAMPLES, PLATFORM_PASSWORD, complete_luzhou, platform_login, zip_folder

A = "9151050479184265X8"
PASSWORD = PLATFORM_PASSWORD


@pytest.fixture
def app(tmp_path: Path):
    app = create_app(Settings(data=tmp_path / "data", platform=True))
    ws = app.state.workspace
    add_user(ws, A, "enterprise", PASSWORD, region="泸州市龙马潭区")
    add_user(ws, "reviewer", "reviewer", PASSWORD, region="泸州市", programs=("luzhou-etc-2023",))
    add_user(ws, "admin", "admin", PASSWORD)
    return app


def test_the_whole_workflow(app):
    """ensures: submit needs the commitment; submitted is read-only; the reviewer returns it with
    a reason the enterprise sees; the enterprise resubmits; a ruling 不予认可 lowers the evidenced
    total; the reviewer accepts; the audit log has every step with its statuses."""
    a, h = platform_login(app, A)
    sid = complete_luzhou(a, h)
    check = a.get(f"/api/submissions/{sid}/check").json()
    assert check["ok"] is True
    assert check["complete"] is True
    early = a.post(f"/api/submissions/{sid}/submit", headers=h)
    assert early.status_code == 409
    assert "告知承诺书" in early.json()["error"]["message"]
    assert a.post(f"/api/submissions/{sid}/commitment", headers=h).status_code == 200
    submitted = a.post(f"/api/submissions/{sid}/submit", headers=h)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    locked = a.put(f"/api/submissions/{sid}/answers", json={"program": "luzhou-etc-2023"}, headers=h)
    assert locked.status_code == 409

    r, rh = platform_login(app, "reviewer")
    assert r.post(f"/api/submissions/{sid}/return", json={"reason": ""}, headers=rh).status_code == 400
    returned = r.post(
        f"/api/submissions/{sid}/return", json={"reason": "请补充2022年度审计报告。"}, headers=rh
    )
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    seen = a.get(f"/api/submissions/{sid}").json()
    assert seen["status"] == "returned"
    assert seen["reason"] == "请补充2022年度审计报告。"
    assert r.get(f"/api/submissions/{sid}").status_code == 404  # returned: back with the enterprise

    assert a.post(f"/api/submissions/{sid}/submit", headers=h).status_code == 200
    before = r.get(f"/api/submissions/{sid}/score").json()["evidenced_total"]
    ruled = r.post(
        f"/api/submissions/{sid}/rulings",
        json={"file": "evidence/利润表.pdf", "accepted": False, "reason": "利润表未加盖公章"},
        headers=rh,
    )
    assert ruled.status_code == 200
    after = r.get(f"/api/submissions/{sid}/score").json()["evidenced_total"]
    assert after < before
    evidence = r.get(f"/api/submissions/{sid}/evidence").json()
    assert any(
        d["file"] == "evidence/利润表.pdf" and d["status"] == "unreadable" for d in evidence["documents"]
    )
    accepted = r.post(f"/api/submissions/{sid}/accept", headers=rh)
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert r.post(f"/api/submissions/{sid}/accept", headers=rh).status_code == 409

    admin, _ = platform_login(app, "admin")
    log = admin.get("/api/audit").json()
    steps = [
        (e["action"], e["before"], e["after"])
        for e in log
        if e["submission"] == sid and e["action"] != "upload"
    ]
    assert steps == [
        ("import", None, "draft"),
        ("commitment", "draft", "draft"),
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"),
        ("ruling", "submitted", "submitted"),
        ("accept", "submitted", "accepted"),
    ]
    assert {e["user"] for e in log if e["submission"] == sid} == {A, "reviewer"}
    table = list(csv.DictReader(io.StringIO(admin.get("/api/audit?format=csv").content.decode("utf-8-sig"))))
    assert [row["action"] for row in table if row["submission"] == sid][-1] == "accept"
    assert a.get("/api/audit").status_code == 403


def test_an_incomplete_submission_cannot_be_submitted(app):
    """ensures submitting the example as shipped (its 现金流量表 missing) is refused with 409 and
    the check object naming what is missing."""
    a, h = platform_login(app, A)
    sid = a.post(
        "/api/submissions/import",
        files={"file": ("a.zip", zip_folder(EXAMPLES / "luzhou-etc-2023"))},
        headers=h,
    ).json()["id"]
    assert a.post(f"/api/submissions/{sid}/commitment", headers=h).status_code == 200
    refused = a.post(f"/api/submissions/{sid}/submit", headers=h)
    assert refused.status_code == 409
    assert refused.json()["complete"] is False
    assert "企业现金流量表" in refused.json()["missing_documents"]
    assert a.get(f"/api/submissions/{sid}").json()["status"] == "draft"


def test_only_a_reviewer_returns_or_accepts(app):
    """ensures the enterprise cannot accept or return its own submission, nor rule a file."""
    a, h = platform_login(app, A)
    sid = complete_luzhou(a, h)
    a.post(f"/api/submissions/{sid}/commitment", headers=h)
    assert a.post(f"/api/submissions/{sid}/submit", headers=h).status_code == 200
    assert a.post(f"/api/submissions/{sid}/accept", headers=h).status_code == 404
    assert a.post(f"/api/submissions/{sid}/return", json={"reason": "x"}, headers=h).status_code == 404
    ruling = {"file": "evidence/利润表.pdf", "accepted": False, "reason": "x"}
    assert a.post(f"/api/submissions/{sid}/rulings", json=ruling, headers=h).status_code == 404


def test_the_review_desk_is_the_review_of_what_the_reviewer_sees(app, tmp_path: Path):
    """ensures the desk's review object is `docgen review`'s over the submitted submissions
    (by id, drafts left out), that a ruling 不予认可 lowers the evidenced total there too, that its
    汇总表 downloads name the company, and that it is the reviewer's alone."""
    import zipfile

    import openpyxl

    from docgen.app.review import review_folder

    a, h = platform_login(app, A)
    sid = complete_luzhou(a, h)
    draft = a.post("/api/submissions", json={"program": "luzhou-etc-2023"}, headers=h).json()["id"]
    a.post(f"/api/submissions/{sid}/commitment", headers=h)
    assert a.post(f"/api/submissions/{sid}/submit", headers=h).status_code == 200
    r, rh = platform_login(app, "reviewer")
    first = r.get("/api/programs/luzhou-etc-2023/review")
    assert first.status_code == 200
    (before,) = first.json()["submissions"]
    assert before["path"] == sid
    assert draft not in {e["path"] for e in first.json()["submissions"]}
    ruling = {"file": "evidence/利润表.pdf", "accepted": False, "reason": "未盖章"}
    assert r.post(f"/api/submissions/{sid}/rulings", json=ruling, headers=rh).status_code == 200
    (after,) = r.get("/api/programs/luzhou-etc-2023/review").json()["submissions"]
    assert after["total"] == before["total"]
    assert after["evidenced_total"] < before["evidenced_total"]
    batch = tmp_path / "batch"
    with zipfile.ZipFile(io.BytesIO(a.get(f"/api/submissions/{sid}/export.zip").content)) as archive:
        archive.extractall(batch)
    (batch / sid / "evidence" / "利润表.pdf").unlink()
    (cli,) = review_folder(batch, "luzhou-etc-2023", jobs=1).rows
    claimed, evidenced = cli.cards()
    assert after["evidenced_total"] == round(float(evidenced.total), 2)
    assert after["total"] == round(float(claimed.total), 2)
    xlsx = r.get("/api/programs/luzhou-etc-2023/review/汇总表.xlsx")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("泸州川锐智能装备股份有限公司" in c for c in cells)
    assert r.get("/api/programs/luzhou-etc-2023/review?threshold=abc").status_code == 400
    assert r.get("/api/programs/gansu-etc-2022/review").status_code == 404
    assert a.get("/api/programs/luzhou-etc-2023/review").status_code == 403


def test_the_pages_of_the_workflow(app):
    """ensures the pages carry the workflow: the commitment text in full and its button for the
    enterprise, a read-only workspace after submitting, the reviewer's return form, the desk
    page listing the submission, and the admin's audit page."""
    a, h = platform_login(app, A)
    sid = complete_luzhou(a, h)
    page = a.get(f"/submissions/{sid}").text
    text = app.state.workspace.catalog.programs["luzhou-etc-2023"].platform.commitment
    assert text.splitlines()[-1] in page
    assert "我已阅读并同意" in page
    form = {"csrf_token": h["X-CSRF-Token"]}
    assert (
        a.post(
            f"/submissions/{sid}/workflow", data={**form, "step": "commitment"}, follow_redirects=False
        ).status_code
        == 303
    )
    assert (
        a.post(
            f"/submissions/{sid}/workflow", data={**form, "step": "submit"}, follow_redirects=False
        ).status_code
        == 303
    )
    page = a.get(f"/submissions/{sid}").text
    assert '<fieldset class="plain" disabled>' in page
    r, rh = platform_login(app, "reviewer")
    desk = r.get("/review/luzhou-etc-2023").text
    assert f'href="/submissions/{sid}"' in desk
    assert "泸州川锐智能装备股份有限公司" in desk
    view = r.get(f"/submissions/{sid}").text
    assert "退回修改的理由" in view
    assert '<fieldset class="plain" disabled>' in view
    rform = {"csrf_token": rh["X-CSRF-Token"], "step": "return", "reason": "请补充审计报告"}
    assert r.post(f"/submissions/{sid}/workflow", data=rform, follow_redirects=False).status_code == 303
    assert "请补充审计报告" in a.get(f"/submissions/{sid}").text
    admin, _ = platform_login(app, "admin")
    audit = admin.get("/admin").text
    assert "退回修改" in audit  # the action in words
    assert "退回修改" in audit


def test_a_return_writes_the_correction_notice(app):
    """ensures a returned submission has its 补正通知: addressed to the company, the reviewer's
    reason, the documents missing or not accepted numbered, the bureau above the date; and that
    there is none before a return."""
    from docx import Document

    a, h = platform_login(app, A)
    sid = complete_luzhou(a, h)
    assert a.get(f"/api/submissions/{sid}/correction-notice.docx").status_code == 404
    a.post(f"/api/submissions/{sid}/commitment", headers=h)
    assert a.post(f"/api/submissions/{sid}/submit", headers=h).status_code == 200
    r, rh = platform_login(app, "reviewer")
    ruling = {"file": "evidence/现金流量表.pdf", "accepted": False, "reason": "所附为利润表，不是现金流量表"}
    assert r.post(f"/api/submissions/{sid}/rulings", json=ruling, headers=rh).status_code == 200
    reason = "现金流量表有误，请重新上传。\n请核对研发人员数。"
    assert r.post(f"/api/submissions/{sid}/return", json={"reason": reason}, headers=rh).status_code == 200
    notice = a.get(f"/api/submissions/{sid}/correction-notice.docx")
    assert notice.status_code == 200
    lines = [p.text for p in Document(io.BytesIO(notice.content)).paragraphs if p.text.strip()]
    assert lines[0] == "补正通知"
    assert lines[1] == "泸州川锐智能装备股份有限公司："
    assert "现金流量表有误，请重新上传。" in lines
    assert "请核对研发人员数。" in lines
    assert "1. 企业现金流量表：不予认可（所附为利润表，不是现金流量表）" in lines
    assert not [line for line in lines if "企业现金流量表：未提供" in line]
    program = app.state.workspace.catalog.programs["luzhou-etc-2023"]
    assert lines[-2] == program.issuer
    assert lines[-1].endswith("日")
    assert "补正通知" in a.get(f"/submissions/{sid}").text

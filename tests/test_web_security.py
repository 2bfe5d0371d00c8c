"""Attacks on the local workspace (SPEC §10–11): a page on another site must not drive it, a
rebound DNS name must not reach it, nothing user-given runs as HTML, and the headers forbid
framing and inline script."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli.main import cli
from tests.web_helpers import Client


@pytest.fixture
def client(tmp_path: Path) -> Client:
    return Client(tmp_path / "data")


def _new(client: Client) -> str:
    return str(
        client.http.post(
            "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers()
        ).json()["id"]
    )


def test_state_changes_need_the_csrf_token(client: Client):
    """ensures a POST or PUT without the token, or with another token, is refused (403) and
    changes nothing."""
    no_token = client.http.post("/api/submissions", json={"program": "luzhou-etc-2023"})
    assert no_token.status_code == 403
    assert no_token.json()["error"]["code"] == "csrf"
    wrong = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers={"X-CSRF-Token": "0" * 64}
    )
    assert wrong.status_code == 403
    assert client.http.get("/api/submissions").json() == []
    sid = _new(client)
    put = client.http.put(f"/api/submissions/{sid}/answers", json={"program": "luzhou-etc-2023", "x": 1})
    assert put.status_code == 403
    assert client.http.get(f"/api/submissions/{sid}").json()["version"] == 1


def test_a_form_from_another_page_needs_the_token_too(client: Client):
    """ensures a plain HTML form post (what a hostile page can send without script) without the
    csrf_token field is refused, with it accepted."""
    forged = client.http.post("/submissions", data={"program": "luzhou-etc-2023"}, follow_redirects=False)
    assert forged.status_code == 403
    upload = client.http.post(
        "/api/submissions/import",
        files={"file": ("a.yaml", b"program: luzhou-etc-2023\n")},
        follow_redirects=False,
    )
    assert upload.status_code == 403
    real = client.http.post(
        "/submissions",
        data={"program": "luzhou-etc-2023", "csrf_token": client.token},
        follow_redirects=False,
    )
    assert real.status_code == 303
    assert real.headers["location"].startswith("/submissions/")


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_requests_from_another_origin_are_refused(client: Client, headers: dict[str, str]):
    """ensures a state change whose Origin or Sec-Fetch-Site says another site is refused even
    with the right token (a page that somehow read it)."""
    answer = client.http.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers=client.headers(**headers)
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "origin"
    assert client.http.get("/api/submissions").json() == []


def test_same_origin_is_accepted(client: Client):
    """ensures the workspace's own pages (Origin = the server) may change things."""
    answer = client.http.post(
        "/api/submissions",
        json={"program": "luzhou-etc-2023"},
        headers=client.headers(Origin="http://127.0.0.1:8000", **{"Sec-Fetch-Site": "same-origin"}),
    )
    assert answer.status_code == 201


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8000", "192.168.1.5:8000", "127.0.0.1.evil.example"]
)
def test_a_rebound_host_name_is_refused(client: Client, host: str):
    """ensures a request naming a host other than loopback (DNS rebinding) is refused, reads
    included, so another site cannot read the token or the submissions."""
    answer = client.http.get("/api/session", headers={"Host": host})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "host"
    assert "csrf_token" not in answer.text


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]:8000"])
def test_loopback_host_names_are_served(client: Client, host: str):
    """ensures the names of this machine are served."""
    assert client.http.get("/api/session", headers={"Host": host}).status_code == 200


def test_security_headers_on_every_answer(client: Client):
    """ensures pages, API answers and errors carry the CSP (no framing, no inline script), and
    forbid sniffing and framing."""
    for path in ("/", "/api/programs", "/api/nothing", "/forms"):
        headers = client.http.get(path).headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp, path
        assert "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp, path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff", path


def test_user_text_is_escaped_on_every_page(client: Client):
    """ensures a company name and a narrative with markup render as text, never as HTML."""
    sid = _new(client)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    answers = {
        "program": "luzhou-etc-2023",
        "profile": {"company_name": hostile},
        "narrative": {"1.1": hostile},
    }
    assert (
        client.http.put(f"/api/submissions/{sid}/answers", json=answers, headers=client.headers()).status_code
        == 200
    )
    for path in ("/", f"/submissions/{sid}"):
        page = client.http.get(path).text
        assert "<script>alert" not in page, path
        assert "<img src=x" not in page, path
        assert "&lt;script&gt;alert(" in page, path


def test_serve_refuses_a_non_loopback_host():
    """ensures `docgen serve --host 0.0.0.0` is refused (exit 2, Chinese message naming
    --platform) and so is another interface's address."""
    for host in ("0.0.0.0", "192.168.1.5", "::"):
        result = CliRunner().invoke(cli, ["serve", "--host", host])
        assert result.exit_code == 2, host
        assert "--platform" in result.output, host
        assert "本机" in result.output, host


def test_downloads_of_stored_files_never_run_in_the_page(client: Client):
    """ensures a stored file is served with the type its content has (not one its name
    suggests), as an attachment unless it is a PDF or an image."""
    sid = _new(client)
    docx = Path(__file__).resolve().parent.parent / "templates" / "application-report.docx"
    stored = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("page.html", docx.read_bytes())},
        data={"path": "evidence/page.html"},
        headers=client.headers(),
    )
    assert stored.status_code == 201
    served = client.http.get(f"/api/submissions/{sid}/files/evidence/page.html")
    assert "text/html" not in served.headers["content-type"]
    assert served.headers["content-disposition"].startswith("attachment")

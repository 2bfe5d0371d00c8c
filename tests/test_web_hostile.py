"""The web workspace under attack: each class the attack campaign on `docgen serve` found, tried
again — numbers that would hang a worker, bodies that bypass the CSRF check, text that breaks the
documents, bodies too big to read in time, races between writers, damaged archives, hosts that
are not host names. Every answer is a status and a Chinese message, never a 500."""

from __future__ import annotations

import io
import json
import logging
import threading
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from docgen.web.accounts import add_user
from docgen.web.app import create_app
from docgen.web.bodies import MAX_WEB_VALUES
from docgen.web.settings import Settings
from tests.web_helpers import Client

JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PASSWORD = "correct horse battery"


@pytest.fixture
def client(tmp_path: Path) -> Client:
    return Client(tmp_path / "data")


@pytest.fixture
def luzhou(client: Client) -> str:
    return client.import_example("luzhou-etc-2023")


def _answers(client: Client, sid: str) -> dict:
    return client.http.get(f"/api/submissions/{sid}").json()["answers"]


def _put(client: Client, sid: str, body: bytes, **headers: str):
    return client.http.put(
        f"/api/submissions/{sid}/answers", content=body, headers=client.headers(**JSON, **headers)
    )


def _with_figure(client: Client, sid: str, literal: str) -> bytes:
    text = json.dumps(_answers(client, sid), ensure_ascii=False)
    return text.replace('"main_revenue": 56800', f'"main_revenue": {literal}').encode()


# -- numbers are bounded before they become numbers -----------------------------------------------


@pytest.mark.parametrize("literal", ["1e999999", "1e-9999999", "9" * 5000])
def test_a_huge_number_in_json_answers_is_named_not_built(client: Client, luzhou: str, literal: str):
    """ensures 1e999999 (a million-digit integer when written out), 1e-9999999 (ten megabytes of
    zeros) and a 5,000-digit integer are saved as the text sent, the check naming the field as
    out of range — no 500, no answers file of megabytes."""
    answer = _put(client, luzhou, _with_figure(client, luzhou, literal))
    assert answer.status_code == 200, answer.text
    codes = {(d["code"], d["path"]) for d in answer.json()["diagnostics"]}
    assert ("answers.number_out_of_range", "data.main_revenue") in codes
    saved = client.http.get(f"/api/submissions/{luzhou}/outputs/score.json")
    assert saved.status_code in (200, 422)
    exported = client.http.get(f"/api/submissions/{luzhou}/export.zip").content
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        answers = next(i for i in archive.infolist() if i.filename.endswith("answers.yaml"))
        assert answers.file_size < 40_000


def test_a_huge_number_typed_in_a_page_stays_text(client: Client, luzhou: str):
    """ensures a figure typed as 1e999999 in the page is kept as typed and named beside its
    field, the answers staying small."""
    answer = client.http.post(
        f"/submissions/{luzhou}/edit",
        data={"op": "set", "path": '["data", "main_revenue"]', "value": "1e999999", "kind": "number"},
        headers=client.headers(**{"HX-Request": "true"}),
    )
    assert answer.status_code == 200
    assert "超出可读取的范围" in answer.text
    assert _answers(client, luzhou)["data"]["main_revenue"] == "1e999999"


def test_the_desk_reads_no_query_of_a_caller_that_is_no_reviewer(client: Client):
    """ensures a cross-site GET of the review with a threshold of 1e999999999 (a billion-digit
    Fraction) is refused for its role before the query is read."""
    answer = client.http.get("/api/programs/luzhou-etc-2023/review?threshold=1e999999999")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "role_forbidden"


@pytest.mark.parametrize("query", ["threshold=1e999999999", "threshold=" + "9" * 100, "quota=" + "9" * 5000])
def test_the_desk_refuses_a_query_beyond_its_bounds(tmp_path: Path, query: str):
    """ensures a reviewer's threshold or quota beyond the number bounds is a 400 naming them."""
    app = create_app(Settings(data=tmp_path / "data", platform=True))
    add_user(app.state.workspace, "reviewer", "reviewer", PASSWORD, region="泸州市")
    http = TestClient(app, base_url="https://docgen.example.gov.cn")
    assert http.post("/api/login", json={"username": "reviewer", "password": PASSWORD}).status_code == 200
    answer = http.get(f"/api/programs/luzhou-etc-2023/review?{query}")
    assert answer.status_code == 400
    assert "threshold" in answer.json()["error"]["message"]


def test_an_if_match_of_5000_digits_is_a_clear_400(client: Client, luzhou: str):
    """ensures an If-Match no version can be is refused with its own message, nothing saved."""
    answer = _put(client, luzhou, b'{"program": "luzhou-etc-2023"}', **{"If-Match": "9" * 5000})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_if_match"
    assert client.http.get(f"/api/submissions/{luzhou}").json()["version"] == 1


def test_a_path_nested_100000_deep_is_a_400(client: Client, luzhou: str):
    """ensures an edit whose key path is 100 000 nested lists is refused as a bad field."""
    answer = client.http.post(
        f"/submissions/{luzhou}/edit",
        data={"op": "set", "path": "[" * 100_000 + "]" * 100_000, "value": "1"},
        headers=client.headers(),
    )
    assert answer.status_code == 400
    assert "字段路径" in answer.text


# -- the CSRF check cannot be bypassed by the body's type -------------------------------------------


@pytest.mark.parametrize(
    ("method", "route"),
    [("PUT", "answers"), ("POST", "commitment"), ("POST", "submit"), ("DELETE", "files/evidence/x.pdf")],
)
def test_a_form_type_without_the_token_is_refused_where_no_form_is_read(
    client: Client, luzhou: str, method: str, route: str
):
    """ensures a body typed as a form (what a page on another site can post without CORS) gets
    no pass on a route that reads no form: 403 csrf, nothing changed."""
    answer = client.http.request(method, f"/api/submissions/{luzhou}/{route}", content=b"{}", headers=FORM)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "csrf"
    assert client.http.get(f"/api/submissions/{luzhou}").json()["version"] == 1


def test_a_form_without_its_token_field_is_refused_where_it_is_read(client: Client, luzhou: str):
    """ensures the routes that do read a form still check its csrf_token field."""
    answer = client.http.post(
        f"/submissions/{luzhou}/edit", data={"op": "set", "path": '["data", "rd_staff"]', "value": "1"}
    )
    assert answer.status_code == 403
    assert _answers(client, luzhou)["data"]["rd_staff"] == 126


def test_a_token_no_ascii_can_spell_is_a_403(client: Client, luzhou: str):
    """ensures a CSRF header of Latin-1 bytes (which compare_digest refuses as text) is a 403."""
    headers = [(b"x-csrf-token", "é".encode("latin-1") * 64), (b"content-type", b"application/json")]
    answer = client.http.put(f"/api/submissions/{luzhou}/answers", content=b"{}", headers=headers)
    assert answer.status_code == 403


# -- text that would break the documents --------------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800", "\\uffff"])
def test_characters_xml_cannot_hold_are_removed_and_said(client: Client, luzhou: str, escape: str):
    """ensures NUL, a lone surrogate or U+FFFF sent as a JSON escape in the company name is
    removed with a warning naming the field (the fast reader leaves such bodies to the careful
    one), and the report is still written."""
    text = json.dumps(_answers(client, luzhou), ensure_ascii=False)
    body = text.replace("泸州川锐智能装备股份有限公司", f"泸州川锐{escape}智能装备股份有限公司").encode()
    answer = _put(client, luzhou, body)
    assert answer.status_code == 200, answer.text
    found = [d for d in answer.json()["diagnostics"] if d["code"] == "yaml.invalid_character"]
    assert "profile.company_name" in [d["path"] for d in found]  # (and where else the name is written)
    assert _answers(client, luzhou)["profile"]["company_name"] == "泸州川锐智能装备股份有限公司"
    assert client.http.get(f"/api/submissions/{luzhou}/outputs/report.docx").status_code == 200


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_is_no_json_number(client: Client, luzhou: str, constant: str):
    """ensures NaN and Infinity (which Python's reader takes) are a 400 saying so, nothing saved."""
    answer = _put(client, luzhou, _with_figure(client, luzhou, constant))
    assert answer.status_code == 400
    assert f"「{constant}」不是 JSON 数值" in answer.json()["error"]["message"]
    assert client.http.get(f"/api/submissions/{luzhou}").json()["version"] == 1


# -- bodies too big to read in time -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["json", "yaml", "unusual json"])
def test_answers_of_too_many_values_are_refused_before_they_are_read(client: Client, luzhou: str, kind: str):
    """ensures answers of 700 000 values under the 4 MB limit (ten seconds to compose) are a
    413 naming the limit of values, counted before the careful reading; nothing saved."""
    filler = [1] * 700_000
    if kind == "yaml":
        body = ("program: luzhou-etc-2023\nx: [" + ",".join("1" for _ in filler) + "]\n").encode()
        headers = {"Content-Type": "application/yaml"}
    else:
        data = {"program": "luzhou-etc-2023", "x": filler}
        body = json.dumps(data).encode()
        if kind == "unusual json":  # a repeated key sends it to the careful reader
            body = body[:-1] + b', "x": 1}'
        headers = JSON
    answer = client.http.put(
        f"/api/submissions/{luzhou}/answers", content=body, headers=client.headers(**headers)
    )
    assert answer.status_code == 413
    assert str(MAX_WEB_VALUES) in answer.json()["error"]["message"]
    assert client.http.get(f"/api/submissions/{luzhou}").json()["version"] == 1


# -- writers racing ------------------------------------------------------------------------------------


def test_concurrent_puts_without_if_match_each_get_their_own_version(client: Client, luzhou: str):
    """ensures eight writers without If-Match all succeed (last write wins, no spurious 409) and
    each is answered its own version, never another writer's."""
    base = _answers(client, luzhou)
    answers: dict[int, object] = {}

    def write(n: int) -> None:
        body = {**base, "data": {**base["data"], "rd_staff": 100 + n}}
        answer = _put(client, luzhou, json.dumps(body, ensure_ascii=False).encode())
        answers[n] = (answer.status_code, answer.json().get("version"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(status for status, _ in answers.values()) == [200] * 8
    assert sorted(version for _, version in answers.values()) == list(range(2, 10))
    final = client.http.get(f"/api/submissions/{luzhou}").json()
    assert final["version"] == 9
    writer = next(n for n, (_, version) in answers.items() if version == 9)
    assert final["answers"]["data"]["rd_staff"] == 100 + writer


# -- archives -----------------------------------------------------------------------------------------


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _import(client: Client, name: str, data: bytes):
    return client.http.post(
        "/api/submissions/import", files={"file": (name, data, "application/zip")}, headers=client.headers()
    )


def test_a_zip_with_two_members_of_one_name_is_refused(client: Client):
    """ensures two members with one path (the last would silently win) refuse the archive."""
    answers = b"program: luzhou-etc-2023\n"
    pdf = b"%PDF-1.4\n%%EOF\n"
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = _zip([("s/answers.yaml", answers), ("s/evidence/a.pdf", pdf), ("s/evidence/a.pdf", pdf)])
    answer = _import(client, "s.zip", data)
    assert answer.status_code == 400
    assert (
        answer.json()["error"]["message"]
        == "压缩包中有两个文件都是「evidence/a.pdf」，无法确定用哪一个，已拒绝整个压缩包。"
    )


def test_a_zip_of_too_many_members_says_so(client: Client):
    """ensures an archive of 6 000 tiny members is refused for their number, not their size."""
    data = _zip([(f"s/{n}.txt", b"") for n in range(6000)])
    answer = _import(client, "s.zip", data)
    assert answer.status_code == 413
    assert answer.json()["error"]["message"] == "压缩包中有 6000 个文件，超过上限 5000 个。"


def test_damaged_archives_and_files_are_said_in_chinese(client: Client):
    """ensures a damaged zip, a lone .json that is no JSON and a YAML problem PyYAML words in
    English are each a Chinese message, naming the file uploaded."""
    broken = _import(client, "s.zip", b"PK\x03\x04 not a zip")
    assert broken.status_code == 400
    assert (
        broken.json()["error"]["message"]
        == "上传的不是可用的 zip 压缩包（文件已损坏、不完整，或不是 zip 格式）。"
    )
    lone = _import(client, "申报.json", b'{"program": "luzhou-etc-2023",}')
    assert lone.status_code == 400
    message = lone.json()["error"]["message"]
    assert message.startswith("答卷文件「申报.json」无法读取：")
    assert "Expecting" not in message
    yaml_body = client.http.put(
        "/api/submissions/x/answers",
        content=b"a: *undefined_anchor_x\n",
        headers=client.headers(**{"Content-Type": "text/yaml"}),
    )
    assert yaml_body.status_code in (400, 404)


# -- hosts and disconnects --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["127.0.0.1@evil.example", "127.0.0.1,evil.example", "127.0.0.1 evil", "a..b", ""]
)
def test_a_host_header_that_is_no_host_name_is_refused_even_on_the_platform(tmp_path: Path, host: str):
    """ensures a platform that answers any host name (behind its proxy) still refuses a Host
    header with a user part, a list, spaces or empty labels."""
    app = create_app(Settings(data=tmp_path / "data", platform=True))
    answer = TestClient(app).get("/api/programs", headers={"Host": host})
    assert answer.status_code == 400


def test_a_client_leaving_mid_upload_is_no_internal_error(client: Client, luzhou: str, caplog):
    """ensures a browser that goes away while its body arrives is logged as such, without a
    traceback, and nothing is saved."""
    import anyio

    app = client.http.app
    scope = {
        "type": "http",
        "method": "PUT",
        "path": f"/api/submissions/{luzhou}/answers",
        "raw_path": b"",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"x-csrf-token", client.token.encode()),
            (b"content-type", b"application/json"),
        ],
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5000),
        "http_version": "1.1",
        "root_path": "",
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    with caplog.at_level(logging.INFO, logger="docgen.web"):
        anyio.run(app, scope, receive, send)
    assert "unexpected error" not in caplog.text
    assert "client left" in caplog.text
    assert client.http.get(f"/api/submissions/{luzhou}").json()["version"] == 1

"""Long work with several worker processes: a job started in one process is followed and its
documents downloaded from another; the same work is never started twice; a process runs a
bounded number of jobs; damaged job state is no 500."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pytest

from docgen.web import jobs
from tests.web_helpers import Client

HTMX = {"HX-Request": "true"}


@pytest.fixture
def client(tmp_path: Path) -> Client:
    return Client(tmp_path / "data")


def _start(client: Client, sid: str):
    return client.http.post(f"/submissions/{sid}/jobs", data={"what": "all"}, headers=client.headers(**HTMX))


def _job_id(client: Client, sid: str) -> str:
    version = client.http.get(f"/api/submissions/{sid}").json()["version"]
    return hashlib.sha256(f"{sid}:{version}:all".encode()).hexdigest()[:16]


def _wait(client: Client, sid: str, jid: str) -> str:
    for _ in range(300):
        status = client.http.get(f"/submissions/{sid}/jobs/{jid}")
        assert status.status_code == 200, status.text
        if "已生成" in status.text or "生成失败" in status.text:
            return status.text
        time.sleep(0.1)
    raise AssertionError("the job did not finish in 30 s")


def test_a_job_is_followed_from_another_worker_process(tmp_path: Path):
    """ensures a job started by one server process (app A) is found, followed to its end and
    its report downloaded by another process over the same data folder (app B), and the report
    is the same bytes either process serves."""
    a = Client(tmp_path / "data")
    b = Client(tmp_path / "data")
    sid = a.import_example("luzhou-etc-2023")
    assert _start(a, sid).status_code == 200
    status = _wait(b, sid, _job_id(a, sid))
    assert "已生成" in status
    assert f"/api/submissions/{sid}/outputs/report.docx" in status
    from_b = b.http.get(f"/api/submissions/{sid}/outputs/report.docx")
    from_a = a.http.get(f"/api/submissions/{sid}/outputs/report.docx")
    assert from_b.status_code == 200
    assert from_b.content == from_a.content


def test_the_same_work_is_one_job(client: Client):
    """ensures starting the documents of one version twice follows the one job (single flight),
    and a new version is a new job."""
    sid = client.import_example("luzhou-etc-2023")
    jid = _job_id(client, sid)
    first = _start(client, sid)
    second = _start(client, sid)
    assert first.status_code == 200
    assert second.status_code == 200
    _wait(client, sid, jid)
    assert (client.http.app.state.settings.cache / "jobs" / f"{jid}.json").is_file()
    again = _start(client, sid)
    assert "已生成" in again.text  # done already: the finished job, not a new one
    client.http.put(
        f"/api/submissions/{sid}/answers",
        content=client.http.get(f"/submissions/{sid}/download/answers.yaml").content,
        headers=client.headers(**{"Content-Type": "application/yaml"}),
    )
    assert _job_id(client, sid) != jid


def test_a_process_runs_a_bounded_number_of_jobs(client: Client):
    """ensures a process already running MAX_RUNNING jobs refuses another with a Chinese notice
    (htmx swaps only a 200, so the notice comes as one that changes nothing on the page) and
    starts nothing: a flood of PDF jobs cannot exhaust the machine."""
    sid = client.import_example("luzhou-etc-2023")
    for _ in range(jobs.MAX_RUNNING):
        assert jobs._running.acquire(blocking=False)
    try:
        answer = _start(client, sid)
    finally:
        for _ in range(jobs.MAX_RUNNING):
            jobs._running.release()
    assert answer.headers["HX-Reswap"] == "none"
    assert "请稍候片刻再试" in answer.text
    assert not (client.http.app.state.settings.cache / "jobs" / f"{_job_id(client, sid)}.json").exists()


@pytest.mark.parametrize(
    "content", [b"", b"[1, 2]", b'{"id": 1}', b"\x80\x81 not json", b'{"unknown": true}']
)
def test_damaged_job_state_is_no_job(client: Client, content: bytes):
    """ensures a job file that is empty, torn, or not a job's state answers 404 job_unknown
    (and starting the work again replaces it), never a 500."""
    sid = client.import_example("luzhou-etc-2023")
    jid = _job_id(client, sid)
    folder = client.http.app.state.settings.cache / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{jid}.json").write_bytes(content)
    assert client.http.get(f"/submissions/{sid}/jobs/{jid}").status_code == 404
    assert client.http.get(f"/submissions/{sid}/jobs/..%2F..%2Fsecret").status_code == 404
    assert _start(client, sid).status_code == 200
    assert "已生成" in _wait(client, sid, jid)


def test_another_submissions_job_is_not_found(client: Client):
    """ensures a job id is found only under its own submission."""
    sid = client.import_example("luzhou-etc-2023")
    other = client.import_example("gansu-etc-2022")
    _start(client, sid)
    _wait(client, sid, _job_id(client, sid))
    assert client.http.get(f"/submissions/{other}/jobs/{_job_id(client, sid)}").status_code == 404


def test_rendered_documents_keep_only_the_last_versions(client: Client):
    """ensures the documents kept on disk for the workers are those of the last two versions."""
    sid = client.import_example("luzhou-etc-2023")
    text = client.http.get(f"/submissions/{sid}/download/answers.yaml").content
    for _ in range(4):
        assert client.http.get(f"/api/submissions/{sid}/outputs/score.json").status_code == 200
        client.http.put(
            f"/api/submissions/{sid}/answers",
            content=text,
            headers=client.headers(**{"Content-Type": "application/yaml"}),
        )
    assert client.http.get(f"/api/submissions/{sid}/outputs/score.json").status_code == 200
    kept = client.http.app.state.settings.cache / "rendered" / sid
    assert sorted(int(p.name) for p in kept.iterdir() if re.fullmatch(r"\d+", p.name)) == [4, 5]

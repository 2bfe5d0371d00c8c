"""The uploads' lane (#21, point 7): an upload's work after its body is read runs UPLOAD_LANES
at a time per event loop, outside the threadpool's shared tokens, and every upload is done."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import anyio
import anyio.to_thread

from docgen.web import lanes
from tests.web_helpers import EXAMPLES, Client


def test_uploads_take_turns_in_their_lane_and_leave_the_threadpool_free():
    """ensures six uploads' work started at once runs UPLOAD_LANES at a time, each answered its
    own result, while other work goes on in the shared threadpool meanwhile."""
    running: list[int] = []
    most: list[int] = [0]
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            running.append(n)
            most[0] = max(most[0], len(running))
        time.sleep(0.02)
        with lock:
            running.remove(n)
        return n * 10

    async def main() -> tuple[list[int], int]:
        results: list[int] = [0] * 6
        other = 0

        async def one(n: int) -> None:
            results[n] = await lanes.run_upload(work, n)

        def busy() -> int:
            deadline = time.monotonic() + 5
            while not running and time.monotonic() < deadline:
                time.sleep(0.001)
            return len(running)

        async def beside() -> None:
            nonlocal other
            other = await anyio.to_thread.run_sync(busy)

        async with anyio.create_task_group() as tasks:
            for n in range(6):
                tasks.start_soon(one, n)
            tasks.start_soon(beside)
        return results, other

    results, other = anyio.run(main)
    assert results == [0, 10, 20, 30, 40, 50]
    assert most[0] == lanes.UPLOAD_LANES
    assert other == lanes.UPLOAD_LANES  # the shared threadpool answered while the lane was busy


def test_files_uploaded_through_the_lane_are_stored(tmp_path: Path):
    """ensures an upload by the API and one by the page's form both store their file."""
    client = Client(tmp_path / "data")
    sid = client.import_example("luzhou-etc-2023")
    pdf = (EXAMPLES / "luzhou-etc-2023" / "evidence" / "承诺书.pdf").read_bytes()
    api = client.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("甲.pdf", pdf)},
        data={"path": "evidence/甲.pdf"},
        headers=client.headers(),
    )
    assert api.status_code == 201
    page = client.http.post(
        f"/submissions/{sid}/upload",
        files={"file": ("乙.pdf", pdf)},
        data={"csrf_token": client.token},
        headers={"HX-Request": "true"},
    )
    assert page.status_code == 200
    paths = [f["path"] for f in client.http.get(f"/api/submissions/{sid}").json()["files"]]
    assert "evidence/甲.pdf" in paths
    assert "evidence/乙.pdf" in paths

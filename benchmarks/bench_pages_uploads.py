"""A workspace page's time while other enterprises upload without a pause (issue #21, point 7):
does a burst of uploads crowd the pages out of a worker's time?

Run: python benchmarks/bench_pages_uploads.py [--uploaders 8] [--rounds 40]
A platform server (`python -m docgen serve --platform --workers 2`, SQLite, a fresh data folder)
is driven over loopback: ``--uploaders`` enterprises each upload the Luzhou example's evidence
files over and over, while one more enterprise, ``--rounds`` times, uploads one file (a new
version) and opens its workspace page twice — the version's first assessment, then the same
version again. Prints the medians and p95 of both pages and of the uploads, and how many uploads
were done. Compare trees by running each tree's copy (figures in benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.bench_platform import EXAMPLE, PASSWORD, credit_codes, make_accounts  # noqa: E402
from benchmarks.bench_web import PYTHON, free_port  # noqa: E402


def _summary(values: list[float]) -> str:
    ranked = sorted(values)
    return f"median {statistics.median(ranked):5.0f} ms, p95 {ranked[max(0, int(0.95 * len(ranked)) - 1)]:5.0f} ms"


class Enterprise:
    """One signed-in enterprise with a submission holding the example's answers."""

    def __init__(self, base: str, code: str, answers: object) -> None:
        self.client = httpx.Client(base_url=base, timeout=120)
        login = self.client.post("/api/login", json={"username": code, "password": PASSWORD})
        self.headers = {"X-CSRF-Token": login.json()["csrf_token"]}
        made = self.client.post("/api/submissions", json={"program": "luzhou-etc-2023"}, headers=self.headers)
        self.sid = made.json()["id"]
        self.client.put(f"/api/submissions/{self.sid}/answers", json=answers, headers=self.headers)

    def upload(self, path: str, data: bytes) -> float:
        start = time.perf_counter()
        answer = self.client.post(
            f"/api/submissions/{self.sid}/files",
            files={"file": (path.rsplit("/", 1)[-1], data)},
            data={"path": path},
            headers=self.headers,
        )
        if answer.status_code != 201:
            raise SystemExit(f"upload: {answer.status_code} {answer.text[:200]}")
        return (time.perf_counter() - start) * 1000

    def page(self) -> float:
        start = time.perf_counter()
        answer = self.client.get(f"/submissions/{self.sid}")
        if answer.status_code != 200:
            raise SystemExit(f"page: {answer.status_code}")
        return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploaders", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    from docgen.outputs.answers_text import answers_json
    from docgen.sources.yamlio import load_document

    answers = json.loads(answers_json(load_document(EXAMPLE / "answers.yaml").data))
    files = [(f"evidence/{p.name}", p.read_bytes()) for p in sorted((EXAMPLE / "evidence").glob("*.pdf"))]
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data"
        codes = credit_codes(args.uploaders + 1)
        make_accounts(data, "", codes)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [PYTHON, "-m", "docgen", "serve", "--platform", "--data", str(data), "--port", str(port)]
        server = subprocess.Popen(
            [*command, "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            while True:
                try:
                    httpx.get(f"{base}/api/session", timeout=1.0)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            shown = Enterprise(base, codes[0], answers)
            for path, blob in files:
                shown.upload(path, blob)
            shown.page()
            stop = threading.Event()
            uploads: list[float] = []

            def keep_uploading(code: str) -> None:
                other = Enterprise(base, code, answers)
                n = 0
                while not stop.is_set():
                    path, blob = files[n % len(files)]
                    uploads.append(other.upload(path, blob))
                    n += 1

            threads = [threading.Thread(target=keep_uploading, args=(c,)) for c in codes[1:]]
            for thread in threads:
                thread.start()
            time.sleep(2)
            fresh, again = [], []
            for n in range(args.rounds):
                shown.upload(*files[n % len(files)])
                fresh.append(shown.page())
                again.append(shown.page())
            stop.set()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(30)
    print(f"workspace page, its version's first assessment: {_summary(fresh)}")
    print(f"workspace page, the same version again:         {_summary(again)}")
    print(f"uploads meanwhile: {len(uploads)}, {_summary(uploads)}")


if __name__ == "__main__":
    main()

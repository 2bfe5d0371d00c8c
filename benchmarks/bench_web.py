"""Times the web workspace (`docgen serve`) against a cold `docgen score` process (issue #20, point 5).

Run: python benchmarks/bench_web.py [--runs N] [--edits 200] [--clients 8] [--client-edits 50]
                                    [--memory-edits 400] [--profile 100]
In one run: the anchor (a cold `docgen score` of the Luzhou example, byte-compiled), then a real
server (`python -m docgen serve` on a free loopback port, an empty data folder) driven over HTTP
with keep-alive: one edit is PUT answers (JSON, data.main_revenue changed, so every edit is a new
version) + GET score; one client, then several at once each on its own submission; the server's
RSS before and after a run of edits; the report.docx download (first, then cached) against a cold
`docgen build`; the workspace page. ``--profile N`` then profiles N edits in-process (cProfile over
create_app with starlette's TestClient) and prints where the time goes. Figures recorded in
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import os
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import httpx2 as httpx  # the test extra's client (Starlette's test client uses it too)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "luzhou-etc-2023"
PYTHON = sys.executable


def p95(values: list[float]) -> float:
    """Returns the 95th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def cold_process(args: list[str], runs: int, env: dict[str, str]) -> list[float]:
    """Returns the wall times in ms of ``runs`` runs of ``python -m docgen ARGS`` (one warm-up
    run first fills the inspection cache, as a user's earlier run would have)."""
    command = [PYTHON, "-m", "docgen", *args]
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
        times.append((time.perf_counter() - start) * 1000)
    return times


def zip_example() -> bytes:
    """Returns the example folder zipped under one top folder (as a user zips it)."""
    from tests.web_helpers import zip_folder

    return zip_folder(EXAMPLE)


def free_port() -> int:
    """Returns a loopback port nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _tree(pid: int) -> list[int]:
    """Returns ``pid`` and its descendants (the server's worker processes)."""
    out, queue = [], [pid]
    while queue:
        current = queue.pop()
        out.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            queue += [int(c) for c in task.read_text().split()]
    return out


def rss_mb(pid: int) -> tuple[float, float]:
    """Returns (VmRSS, VmHWM) in MB summed over the server process and its workers (/proc)."""
    rss = peak = 0.0
    for member in _tree(pid):
        try:
            lines = Path(f"/proc/{member}/status").read_text().splitlines()
        except OSError:
            continue
        fields = {name: value.strip() for name, _, value in (line.partition(":") for line in lines)}
        rss += int(fields["VmRSS"].split()[0]) / 1024
        peak += int(fields["VmHWM"].split()[0]) / 1024
    return rss, peak


class Editor:
    """One client's edits of one submission: PUT answers + GET score, each a new version."""

    def __init__(
        self, client: httpx.Client, token: str, sid: str, answers: dict[str, Any], seed: int
    ) -> None:
        self.client = client
        self.headers = {"X-CSRF-Token": token}
        self.sid = sid
        self.answers = answers
        self.base = int(answers["data"]["main_revenue"])
        self.count = seed * 100_000
        self.errors: list[str] = []
        self.totals: list[Any] = []

    def edit(self) -> float:
        """Makes one edit and returns its wall time in ms (errors are counted, not raised)."""
        self.count += 1
        self.answers["data"]["main_revenue"] = self.base + self.count % 5000
        start = time.perf_counter()
        put = self.client.put(f"/api/submissions/{self.sid}/answers", json=self.answers, headers=self.headers)
        score = self.client.get(f"/api/submissions/{self.sid}/score")
        elapsed = (time.perf_counter() - start) * 1000
        for response in (put, score):
            if response.status_code != 200:
                self.errors.append(f"{response.request.method} {response.status_code} {response.text[:120]}")
        if score.status_code == 200:
            self.totals.append(score.json()["total"])
        return elapsed


class Server:
    """`python -m docgen serve` on a free loopback port over an empty data folder."""

    def __init__(self, data: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(data.parent / "server.log", "w+b")  # noqa: SIM115 (closed in stop)
        command = [PYTHON, "-m", "docgen", "serve", "--data", str(data), "--port", str(self.port)]
        start = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log
        )
        while True:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"the server stopped: {self.log.read().decode(errors='replace')[-2000:]}")
            try:
                httpx.get(f"{self.url}/api/session", timeout=1.0)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        self.started_ms = (time.perf_counter() - start) * 1000

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def import_example(client: httpx.Client, token: str, archive: bytes) -> str:
    """Imports the zipped example and returns the new submission's id."""
    response = client.post(
        "/api/submissions/import",
        files={"file": ("luzhou-etc-2023.zip", archive, "application/zip")},
        headers={"X-CSRF-Token": token},
    )
    response.raise_for_status()
    return str(response.json()["id"])


def timed_get(client: httpx.Client, path: str) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    response.raise_for_status()
    return elapsed, response


def run_server_bench(args: argparse.Namespace, work: Path, env: dict[str, str]) -> dict[str, Any]:
    """Starts the server, imports the example, times the edits, downloads and page; stops it."""
    out: dict[str, Any] = {}
    archive = zip_example()
    server = Server(work / "data", env)
    out["startup"] = server.started_ms
    try:
        pid = server.process.pid
        out["rss_started"] = rss_mb(pid)[0]
        with httpx.Client(base_url=server.url, timeout=120) as client:
            token = client.get("/api/session").json()["csrf_token"]
            start = time.perf_counter()
            sids = [import_example(client, token, archive) for _ in range(args.clients + 1)]
            out["import"] = (time.perf_counter() - start) * 1000 / len(sids)
            answers = client.get(f"/api/submissions/{sids[0]}").json()["answers"]
            out["first_score"], first = timed_get(client, f"/api/submissions/{sids[0]}/score")
            out["server_total"] = first.json()["total"]
            for sid in sids[1:]:  # each submission's first assessment, before the timed edits
                client.get(f"/api/submissions/{sid}/score").raise_for_status()
            single = Editor(client, token, sids[0], answers, 0)
            for _ in range(3):
                single.edit()
            out["rss_before"] = rss_mb(pid)[0]
            out["single"] = [single.edit() for _ in range(args.edits)]
            out["single_errors"] = single.errors
            out["rss_after_single"] = rss_mb(pid)[0]

        out["concurrent"], out["concurrent_errors"], out["concurrent_wall"] = concurrent_edits(
            server.url, token, sids[1:], answers, args.client_edits
        )
        out["rss_after_concurrent"] = rss_mb(pid)[0]

        with httpx.Client(base_url=server.url, timeout=120) as client:
            editors = [Editor(client, token, sid, answers, 50 + i) for i, sid in enumerate(sids)]
            before = rss_mb(pid)[0]
            memory_times = [editors[i % len(editors)].edit() for i in range(args.memory_edits)]
            after, peak = rss_mb(pid)
            out["memory"] = (before, after, peak, statistics.median(memory_times))
            out["memory_errors"] = [e for ed in editors for e in ed.errors]

            sid = sids[0]
            first_ms, response = timed_get(client, f"/api/submissions/{sid}/outputs/report.docx")
            cached = [timed_get(client, f"/api/submissions/{sid}/outputs/report.docx")[0] for _ in range(10)]
            out["report_first"], out["report_cached"] = first_ms, cached
            out["report_bytes"] = response.content
            export = client.get(f"/api/submissions/{sid}/export.zip")  # the version the report is of
            export.raise_for_status()
            out["export"] = export.content
            page = [timed_get(client, f"/submissions/{sid}")[0] for _ in range(10)]
            out["page"] = page
            Editor(client, token, sid, answers, 99).edit()  # a new version: the page assessed anew
            out["page_new_version"] = timed_get(client, f"/submissions/{sid}")[0]
            out["report_sid"] = sid
    finally:
        server.stop()
    out["stopped"] = server.process.returncode
    return out


def concurrent_edits(
    url: str, token: str, sids: list[str], answers: dict[str, Any], edits: int
) -> tuple[list[float], list[str], float]:
    """Runs one thread per submission, each its own keep-alive client making ``edits`` edits,
    all started at once; returns every edit's time, the errors and the wall time in ms."""
    import copy

    barrier = threading.Barrier(len(sids) + 1)
    times: list[list[float]] = [[] for _ in sids]
    errors: list[str] = []

    def work(index: int, sid: str) -> None:
        with httpx.Client(base_url=url, timeout=120) as client:
            editor = Editor(client, token, sid, copy.deepcopy(answers), index + 1)
            client.get("/api/session").raise_for_status()  # connected before the start
            barrier.wait()
            for _ in range(edits):
                times[index].append(editor.edit())
            errors.extend(editor.errors)

    threads = [threading.Thread(target=work, args=(i, sid)) for i, sid in enumerate(sids)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = (time.perf_counter() - start) * 1000
    return [t for per in times for t in per], errors, wall


def same_as_build(export: bytes, report: bytes, work: Path, env: dict[str, str]) -> bool:
    """Returns whether ``report`` is byte-identical to `docgen build` of the exported folder."""
    folder = work / "exported"
    with zipfile.ZipFile(io.BytesIO(export)) as archive:
        archive.extractall(folder)
    (top,) = list(folder.iterdir())
    subprocess.run(
        [PYTHON, "-m", "docgen", "build", str(top), "-o", str(work / "exported-out")],
        check=True,
        capture_output=True,
        cwd=ROOT,
        env=env,
    )
    return (work / "exported-out" / "report.docx").read_bytes() == report


def profile_edits(count: int, work: Path) -> None:
    """Profiles ``count`` edits in-process (create_app + TestClient) and prints the top entries."""
    from starlette.testclient import TestClient

    from docgen.web.app import create_app
    from docgen.web.settings import Settings

    app = create_app(Settings(data=work / "profile-data"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        token = client.get("/api/session").json()["csrf_token"]
        sid = import_example(client, token, zip_example())  # type: ignore[arg-type]
        answers = client.get(f"/api/submissions/{sid}").json()["answers"]
        editor = Editor(client, token, sid, answers, 0)  # type: ignore[arg-type]
        for _ in range(5):
            editor.edit()
        profiler = cProfile.Profile()
        profiler.enable()
        times = [editor.edit() for _ in range(count)]
        profiler.disable()
    print(f"\nprofile: {count} edits in-process (TestClient), median {statistics.median(times):.1f} ms")
    for key in ("cumulative", "tottime"):
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(key)
        stats.print_stats(30)
        body = text.getvalue()
        print(f"--- top entries by {key} ---")
        print(body[body.find("   ncalls") :].rstrip())


def row(name: str, value: str, ratio: str = "") -> str:
    return f"{name:<58} {value:>22}  {ratio}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10, help="cold score/build processes")
    parser.add_argument("--edits", type=int, default=200, help="edits from one client")
    parser.add_argument("--clients", type=int, default=8, help="clients editing at once")
    parser.add_argument("--client-edits", type=int, default=50, help="edits of each concurrent client")
    parser.add_argument("--memory-edits", type=int, default=400, help="edits between the RSS readings")
    parser.add_argument("--profile", type=int, default=0, help="then profile N edits in-process")
    args = parser.parse_args()

    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "docgen")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "DOCGEN_CACHE": str(work / "cache"), "PYTHONPATH": str(ROOT)}
        env.pop("DOCGEN_DATA", None)
        score_times = cold_process(["score", str(EXAMPLE), "--json"], args.runs, env)
        cli_total = subprocess.run(
            [PYTHON, "-c", "import json,sys; print(json.load(sys.stdin)['total'])"],
            input=subprocess.run(
                [PYTHON, "-m", "docgen", "score", str(EXAMPLE), "--json"],
                capture_output=True,
                check=True,
                cwd=ROOT,
                env=env,
            ).stdout,
            capture_output=True,
            check=True,
        ).stdout.decode()
        build_times = cold_process(["build", str(EXAMPLE), "-o", str(work / "build")], args.runs, env)
        load = os.getloadavg()
        found = run_server_bench(args, work, env)
        identical = same_as_build(found["export"], found["report_bytes"], work, env)
        load_after = os.getloadavg()

        score = statistics.median(score_times)
        build = statistics.median(build_times)
        single, conc = found["single"], found["concurrent"]
        before, after, peak, memory_median = found["memory"]
        lines = [
            row("measure", "ms (median / p95)", "ratio"),
            row(
                f"cold `docgen score --json` process ({args.runs} runs)",
                f"{score:.0f} / {p95(score_times):.0f}",
                "1 (the anchor)",
            ),
            row(
                f"cold `docgen build` process ({args.runs} runs)",
                f"{build:.0f} / {p95(build_times):.0f}",
                f"{build / score:.2f} × score",
            ),
            row("server start (process until /api/session answers)", f"{found['startup']:.0f}"),
            row("import of the zipped example (mean of 9)", f"{found['import']:.0f}"),
            row("first GET score after import (inspects 24 files)", f"{found['first_score']:.0f}"),
            row(
                f"one edit, one client ({args.edits} edits)",
                f"{statistics.median(single):.1f} / {p95(single):.1f}",
                f"p95 {p95(single) / score:.3f} × score (target ≤ 0.3)",
            ),
            row(
                f"one edit, {args.clients} clients at once ({args.client_edits} each)",
                f"{statistics.median(conc):.1f} / {p95(conc):.1f}",
                f"p95 {p95(conc) / score:.3f} × score (target ≤ 1.0)",
            ),
            row(
                f"  {args.clients} clients: throughput, errors",
                f"{len(conc) / found['concurrent_wall'] * 1000:.1f} edits/s",
                f"{len(found['concurrent_errors'])} errors (target 0)",
            ),
            row(
                f"memory run: {args.memory_edits} edits over 9 submissions",
                f"{memory_median:.1f} median",
                f"{len(found['memory_errors'])} errors",
            ),
            row(
                "report.docx download, first (renders)",
                f"{found['report_first']:.0f}",
                f"{found['report_first'] / build:.2f} × build",
            ),
            row(
                "report.docx download, cached (10)",
                f"{statistics.median(found['report_cached']):.1f} / {p95(found['report_cached']):.1f}",
                f"{statistics.median(found['report_cached']) / build:.3f} × build",
            ),
            row(
                "workspace page GET /submissions/SID (10, same version)",
                f"{statistics.median(found['page']):.1f} / {p95(found['page']):.1f}",
                f"{statistics.median(found['page']) / score:.3f} × score",
            ),
            row(
                "workspace page after an edit (new version)",
                f"{found['page_new_version']:.1f}",
                f"{found['page_new_version'] / score:.3f} × score",
            ),
        ]
        print("\n".join(lines))
        print(
            f"server RSS (MB): started {found['rss_started']:.0f}, before the timed edits "
            f"{found['rss_before']:.0f}, after {args.edits} single {found['rss_after_single']:.0f}, after "
            f"{args.clients}×{args.client_edits} {found['rss_after_concurrent']:.0f}; memory run "
            f"{before:.0f} → {after:.0f} (growth {after - before:+.1f} MB over {args.memory_edits} edits, "
            f"target < 60), peak {peak:.0f}; growth since the first timed edit "
            f"{after - found['rss_before']:+.1f} MB"
        )
        print(
            f"score total: server {found['server_total']}, CLI {cli_total.strip()}; report.docx "
            f"byte-identical to `docgen build` of export.zip: {'yes' if identical else 'NO'}"
        )
        errors = found["single_errors"] + found["concurrent_errors"] + found["memory_errors"]
        for error in errors[:5]:
            print(f"error: {error}")
        print(
            f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} before the server run, "
            f"{load_after[0]:.2f} after; server stopped (exit {found['stopped']}); {os.cpu_count()} cores"
        )
        if args.profile:
            profile_edits(args.profile, work)


if __name__ == "__main__":
    main()

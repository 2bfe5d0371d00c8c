"""Load on the platform (issue #21, point 7): 50 enterprises and 2 reviewers at once, against a
cold `docgen score` process measured in the same run, on SQLite and on PostgreSQL.

Run: python benchmarks/bench_platform.py [--enterprises 50] [--parallel 10] [--runs 5]
                                         [--workers 2] [--postgres URL | --no-postgres]
                                         [--no-settle]
In one run: the anchor (a cold `docgen score` of the Luzhou example, byte-compiled); then, for
each database, a real platform server (`python -m docgen serve --platform --workers N` on a free
loopback port over an empty data folder, accounts made beforehand) driven over HTTP: each
enterprise signs in, opens 首页, creates a submission, PUTs the example's answers, uploads every
evidence file of the example (and the one it lacks), opens its workspace page and its score,
accepts the 告知承诺书 and submits — `--parallel` enterprises at a time — while 2 reviewers sign
in and open the review desk (page and API) over and over until the enterprises are done. Every
request is timed; any answer other than the expected status is an error. PostgreSQL: the URL
given, else a throwaway server started with tools/postgres-for-tests.sh when PostgreSQL is
installed. The load begins once the server's processes are idle (every worker started: a worker
still importing and warming up would otherwise take a core from the first requests; since
2026-12-06, `--no-settle` for the earlier start). Figures recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.bench_web import PYTHON, cold_process, free_port, p95  # noqa: E402

EXAMPLE = ROOT / "examples" / "luzhou-etc-2023"
PASSWORD = "benchmark password"
DEADLINE_S = 900  # the run stops by itself after this, whatever is left


def credit_codes(count: int) -> list[str]:
    """Returns ``count`` valid 统一社会信用代码 (check digits computed)."""
    from docgen.model.credit_code import check_character, organisation_check

    out = []
    for n in range(count):
        body = f"MA{n:06d}"
        first17 = "91510504" + body + organisation_check(body)
        out.append(first17 + check_character(first17))
    return out


def make_accounts(data: Path, database_url: str, codes: list[str]) -> None:
    from docgen.web.accounts import add_user
    from docgen.web.settings import Settings
    from docgen.web.workspace import Workspace

    ws = Workspace(Settings(data=data, platform=True, database_url=database_url))
    for code in codes:
        add_user(ws, code, "enterprise", PASSWORD, region="泸州市龙马潭区")
    for name in ("reviewer-1", "reviewer-2"):
        add_user(ws, name, "reviewer", PASSWORD, region="泸州市", programs=("luzhou-etc-2023",))
    ws.engine.dispose()


class Timings:
    """Request times in ms by kind, and the errors."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def call(
        self, client: httpx.Client, kind: str, method: str, url: str, expect: int, **kw: object
    ) -> httpx.Response:
        start = time.perf_counter()
        response = client.request(method, url, **kw)  # type: ignore[arg-type]
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.times[kind].append(elapsed)
            if response.status_code != expect:
                self.errors.append(f"{kind}: {response.status_code} {response.text[:160]}")
        return response


def sign_in(t: Timings, client: httpx.Client, name: str) -> dict[str, str]:
    answer = t.call(client, "login", "POST", "/api/login", 200, json={"username": name, "password": PASSWORD})
    return {"X-CSRF-Token": answer.json().get("csrf_token", "")}


def enterprise(
    t: Timings, base: str, code: str, answers: dict[str, object], files: list[tuple[str, bytes]]
) -> None:
    with httpx.Client(base_url=base, timeout=120) as client:
        h = sign_in(t, client, code)
        t.call(client, "page", "GET", "/", 200)
        made = t.call(
            client, "api", "POST", "/api/submissions", 201, json={"program": "luzhou-etc-2023"}, headers=h
        )
        sid = made.json()["id"]
        t.call(client, "api", "PUT", f"/api/submissions/{sid}/answers", 200, json=answers, headers=h)
        for path, data in files:
            t.call(
                client,
                "upload",
                "POST",
                f"/api/submissions/{sid}/files",
                201,
                files={"file": (path.rsplit("/", 1)[-1], data)},
                data={"path": path},
                headers=h,
            )
        t.call(client, "page", "GET", f"/submissions/{sid}", 200)
        t.call(client, "api", "GET", f"/api/submissions/{sid}/score", 200)
        t.call(client, "api", "POST", f"/api/submissions/{sid}/commitment", 200, headers=h)
        t.call(client, "api", "POST", f"/api/submissions/{sid}/submit", 200, headers=h)


def reviewer(t: Timings, base: str, name: str, done: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=120) as client:
        sign_in(t, client, name)
        while not done.is_set():
            t.call(client, "desk page", "GET", "/review/luzhou-etc-2023", 200)
            t.call(client, "desk api", "GET", "/api/programs/luzhou-etc-2023/review", 200)
            time.sleep(0.5)


def run(
    args: argparse.Namespace, database_url: str, label: str, work: Path, env: dict[str, str]
) -> dict[str, object]:
    data = work / label / "data"
    codes = credit_codes(args.enterprises)
    make_accounts(data, database_url, codes)
    port = free_port()
    server_env = {**env, "DOCGEN_DATABASE_URL": database_url} if database_url else env
    log = open(work / f"{label}-server.log", "w+b")  # noqa: SIM115
    command = [
        PYTHON,
        "-m",
        "docgen",
        "serve",
        "--platform",
        "--data",
        str(data),
        "--port",
        str(port),
        "--workers",
        str(args.workers),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=server_env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise SystemExit(log.read().decode(errors="replace")[-2000:])
            try:
                httpx.get(f"{base}/api/session", timeout=1.0)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        if args.settle:
            settle(process.pid)
        from docgen.outputs.answers_text import answers_json
        from docgen.sources.yamlio import load_document

        answers = json.loads(answers_json(load_document(EXAMPLE / "answers.yaml").data))  # exact numbers
        files = [(f"evidence/{p.name}", p.read_bytes()) for p in sorted((EXAMPLE / "evidence").glob("*.pdf"))]
        files.append(("evidence/现金流量表.pdf", (EXAMPLE / "evidence" / "利润表.pdf").read_bytes()))
        t = Timings()
        done = threading.Event()
        desks = [
            threading.Thread(target=reviewer, args=(t, base, n, done)) for n in ("reviewer-1", "reviewer-2")
        ]
        for desk in desks:
            desk.start()
        start = time.perf_counter()
        with ThreadPoolExecutor(args.parallel) as pool:
            futures = [pool.submit(enterprise, t, base, code, answers, files) for code in codes]
            for future in futures:
                future.result(timeout=DEADLINE_S)
        elapsed = time.perf_counter() - start
        done.set()
        for desk in desks:
            desk.join(60)
    finally:
        process.terminate()
        process.wait(30)
        log.close()
    every = [v for values in t.times.values() for v in values]
    return {
        "label": label,
        "seconds": elapsed,
        "requests": len(every),
        "errors": t.errors,
        "p95": p95(every),
        "kinds": {k: (len(v), p95(v)) for k, v in sorted(t.times.items())},
    }


def _tree(pid: int) -> list[int]:
    """Returns ``pid`` and its descendants (Linux: /proc)."""
    out = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            out.extend(_tree(int(child)))
    return out


def _tree_cpu(pid: int) -> float:
    """Returns the CPU seconds (user and system) ``pid`` and its descendants have used so far."""
    ticks = 0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def settle(pid: int, quiet_s: float = 0.02, windows: int = 3, limit_s: float = 30.0) -> None:
    """Waits until the server's processes are idle — every worker started, not only the one that
    answered first — before the load begins: ``windows`` windows of 0.2 s in a row in which
    they use less than ``quiet_s`` of CPU (at most ``limit_s``)."""
    quiet, end = 0, time.monotonic() + limit_s
    used = _tree_cpu(pid)
    while quiet < windows and time.monotonic() < end:
        time.sleep(0.2)
        now = _tree_cpu(pid)
        quiet = quiet + 1 if now - used < quiet_s else 0
        used = now


def start_postgres(work: Path) -> tuple[str, Path] | None:
    script = ROOT / "tools" / "postgres-for-tests.sh"
    try:
        done = subprocess.run(
            ["bash", str(script), "start", str(work / "pg"), str(free_port())],
            capture_output=True,
            text=True,
            check=True,
        )
    except (subprocess.CalledProcessError, OSError):
        return None
    return done.stdout.strip(), work / "pg"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=50)
    parser.add_argument("--parallel", type=int, default=10, help="enterprises working at once")
    parser.add_argument("--runs", type=int, default=5, help="cold score processes (the anchor)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL (else a throwaway server)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--no-settle",
        dest="settle",
        action="store_false",
        help="start the load when the first worker answers, while the others may still be starting",
    )
    args = parser.parse_args()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "docgen")], check=True)
    anchor = p95(cold_process(["score", str(EXAMPLE)], args.runs, env))
    print(f"cold `docgen score` p95: {anchor:.0f} ms")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        results = [run(args, "", "sqlite", work, env)]
        started = None
        if not args.no_postgres:
            url = args.postgres
            if not url:
                started = start_postgres(work)
                url = started[0] if started else ""
            if url:
                results.append(run(args, url, "postgresql", work, env))
            else:
                print("PostgreSQL: not installed, skipped")
        if started:
            subprocess.run(
                ["bash", str(ROOT / "tools" / "postgres-for-tests.sh"), "stop", str(started[1])], check=False
            )
    for r in results:
        print(
            f"\n{r['label']}: {r['requests']} requests in {r['seconds']:.1f} s, errors {len(r['errors'])}, "
            f"p95 {r['p95']:.0f} ms = {r['p95'] / anchor:.2f} × cold score"
        )
        for kind, (count, value) in r["kinds"].items():  # type: ignore[attr-defined]
            print(f"  {kind:10} {count:5} requests  p95 {value:6.0f} ms  {value / anchor:.2f} ×")
        for error in r["errors"][:5]:  # type: ignore[index]
            print("  error:", error)


if __name__ == "__main__":
    main()

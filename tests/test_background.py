"""The forked helper of docgen build: same result as in-process, falls back, cleans up."""

from __future__ import annotations

import os
import time
from pathlib import Path

from docgen.app.background import Background, can_fork


def test_result_comes_from_a_child_when_forking_is_possible():
    """ensures the computation runs in another process where fork is usable, here otherwise."""
    parent = os.getpid()
    with Background(os.getpid) as job:
        pid = job.result()
    if can_fork():
        assert pid != parent
    else:
        assert pid == parent


def test_switched_off_by_environment(monkeypatch):
    """ensures DOCGEN_FORK=off computes in this process."""
    monkeypatch.setenv("DOCGEN_FORK", "off")
    assert not can_fork()
    assert Background(os.getpid).result() == os.getpid()


def _fails_in_a_child(parent: int) -> str:
    if os.getpid() != parent:
        raise RuntimeError("child trouble")
    return "computed here"


def test_child_failure_falls_back_to_this_process():
    """ensures an exception in the child means the parent computes (and would raise) itself."""
    with Background(_fails_in_a_child, os.getpid()) as job:
        assert job.result() == "computed here"


def _dies_in_a_child(parent: int) -> str:
    if os.getpid() != parent:
        os._exit(9)
    return "computed here"


def test_child_death_falls_back_to_this_process():
    """ensures a child that dies without a result is replaced by computing here."""
    with Background(_dies_in_a_child, os.getpid()) as job:
        assert job.result() == "computed here"


def test_leaving_early_stops_the_child():
    """ensures an error elsewhere (leaving the block) kills a child still at work, leaving no process."""
    started = time.monotonic()
    with Background(time.sleep, 30) as job:
        pid = job._pid
    assert time.monotonic() - started < 10
    if pid is not None:
        assert job._pid is None
        try:
            os.kill(pid, 0)
            alive = True
        except ProcessLookupError:
            alive = False
        assert not alive


def test_large_results_cross_the_pipe():
    """ensures a result larger than a pipe's buffer arrives whole."""
    blob = os.urandom(3 * 1024 * 1024)
    with Background(bytes, blob) as job:
        assert job.result() == blob


def test_build_outputs_identical_with_and_without_the_child(example: Path):
    """ensures the forked bundle gives byte-identical outputs to the sequential build."""
    from docgen.app.build import render_outputs
    from docgen.app.submission import open_submission

    forked, _ = render_outputs(open_submission(example), fork=True)
    plain, _ = render_outputs(open_submission(example), fork=False)
    assert forked == plain
    assert forked["evidence-bundle.pdf"].startswith(b"%PDF")

"""Runs one pure computation in a forked child while the caller goes on (POSIX, several cores).

Used by ``docgen build`` to draw the evidence bundle (pypdf, CPU-bound) while the Word reports
are rendered, which takes a cold build from ~0.9 s to ~0.7 s on two cores. The child sends back
a pickled result through a pipe and exits with ``os._exit`` (no cleanup, no buffered output of
the parent flushed twice). Anything unusual — no ``fork``, one core, other threads running, the
child failing or dying — falls back to computing the result in this process when it is asked
for, so errors surface exactly as without the child and the result is always the same.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """Returns whether a forked helper is safe and useful here."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1  # forking a threaded process can deadlock the child
        and os.environ.get("DOCGEN_FORK", "") != "off"
    )


class Background:
    """``fn(*args)`` computed in a forked child; ``result()`` returns it (or computes it here).

    Use it as a context manager: leaving the block early (an error elsewhere) stops the child.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, fork: bool = True) -> None:
        self._fn = fn
        self._args = args
        self._pid: int | None = None
        self._read: int | None = None
        if fork and can_fork():
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: compute, send, leave without running any cleanup
            os.close(read)
            code = 0
            try:
                payload = pickle.dumps(self._fn(*self._args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(payload)
            except BaseException:
                code = 1
            os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stops a child whose result was not asked for and releases the pipe."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None
        if self._read is not None:
            os.close(self._read)
            self._read = None

    def result(self) -> Any:
        """Returns the computation's result; computed here when the child did not deliver it."""
        if self._read is not None and self._pid is not None:
            with os.fdopen(self._read, "rb") as pipe:
                payload = pipe.read()
            _, status = os.waitpid(self._pid, 0)
            self._read = self._pid = None
            if os.waitstatus_to_exitcode(status) == 0 and payload:
                try:
                    return pickle.loads(payload)
                except (pickle.UnpicklingError, EOFError, ValueError):
                    pass
        return self._fn(*self._args)
